#!/usr/bin/env bash
# Benchmark 4: a site of STORIES stories and COMMENTS comments (defaults
# 100,000 and 1,000,000): uncached (--no-cache) home, section and article
# pages at p99, start-up time, resident memory. The reference in the same
# run is the cost of the tiny demo site's same pages.
source "$(dirname "$0")/lib.sh"
STORIES=${STORIES:-100000}
COMMENTS=${COMMENTS:-1000000}
SECS=${SECONDS_PER_RUN:-8}
echo "generating $STORIES stories and $COMMENTS comments..."
GAZETTE_BIN=$GAZETTE "$(dirname "$0")/gen_site.sh" "$WORK/big" "$STORIES" "$COMMENTS"
printf 'per_ip_connections = 10000\n' >>"$WORK/big/gazette.conf"
port=$(free_port)
t0=$(date +%s%N)
"$GAZETTE" serve --site "$WORK/big" --listen "127.0.0.1:$port" --no-cache >"$WORK/big.log" 2>&1 &
PIDS+=($!)
pid=$!
until grep -q "listening on" "$WORK/big.log" 2>/dev/null; do sleep 0.005; done
t1=$(date +%s%N)
base="http://127.0.0.1:$port"
story=$(sqlite3 "$WORK/big/gazette.db" "SELECT '/' || strftime('%Y/%m/%d/', published_at, 'unixepoch') || slug FROM stories WHERE slug LIKE 'generated-story-%' ORDER BY comment_count DESC LIMIT 1")
wait_http "$base/"
printf '%-28s %10s %10s %10s\n' page req/s p99_ms goal
for page in "/" "/?page=500" "/section/business" "$story"; do
	curl -fs -o /dev/null "$base$page" || { echo "GET $page failed" >&2; exit 1; }
	read -r rps p99 < <(wrk_rate "$base$page" 4 "$SECS")
	printf '%-28s %10s %10s %10s\n' "${page:0:28}" "$rps" "$p99" "< 5"
done
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
printf 'start-up (exec to listening): %d ms (goal < 200)\n' $(((t1 - t0) / 1000000))
printf 'resident memory after the runs: %d MB (goal < 200)\n' $((rss / 1024))
printf 'database: %d MB\n' $(($(stat -c %s "$WORK/big/gazette.db") / 1048576))
