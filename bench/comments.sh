#!/usr/bin/env bash
# Benchmark 3: comment posts per second (each answered 303 only after its
# transaction committed with synchronous=FULL), while a second wrk reads
# the article page; prints the post rate and the readers' p99 latency,
# with the readers' p99 alone as the reference.
source "$(dirname "$0")/lib.sh"
SECS=${SECONDS_PER_RUN:-10}
STORY=/2024/07/05/pakistan-azerbaijan-ties-strengthening-bonds-for-development
make_site "$WORK/site" 50
# every post names its own client (post_comment.lua): a stamp is good for
# one comment per client
printf 'trusted_proxy = 127.0.0.1\n' >>"$WORK/site/gazette.conf"
port=$(free_port); start_gazette "$WORK/site" "$port"
base="http://127.0.0.1:$port"
export GZ_TS=$(curl -fs "$base$STORY" | sed -n 's/.*name="gz_ts" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$GZ_TS" ] || { echo "no form stamp on the page" >&2; exit 1; }
before=$(sqlite3 "$WORK/site/gazette.db" "SELECT count(*) FROM comments")
read -r alone_rps alone_p99 < <(wrk_rate "$base$STORY" 16 "$SECS")
wrk -t1 -c8 -d"${SECS}s" -s "$(dirname "$0")/post_comment.lua" "$base" >"$WORK/post.out" &
wpid=$!
read -r read_rps read_p99 < <(wrk_rate "$base$STORY" 16 "$SECS")
wait $wpid
after=$(sqlite3 "$WORK/site/gazette.db" "SELECT count(*) FROM comments")
posted=$((after - before))
post_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/post.out")
non303=$(grep -c "Non-2xx" "$WORK/post.out" || true)
printf '%-40s %12s %10s\n' measure value goal
printf '%-40s %12s %10s\n' "comments stored during the run" "$posted" ""
printf '%-40s %12.0f %10s\n' "comment posts/s (wrk, 8 connections)" "$post_rps" ">= 2000"
printf '%-40s %12s %10s\n' "reader p99 ms, alone" "$alone_p99" ""
printf '%-40s %12s %10s\n' "reader p99 ms, while posting" "$read_p99" "< 10"
printf '%-40s %12s %10s\n' "reader req/s while posting" "$read_rps" ""
awk -v a="$posted" -v s="$SECS" 'BEGIN { printf "stored comments/s: %.0f\n", a / s }'
