#!/usr/bin/env bash
# Benchmarks 1 and 2: the seed story with 50 approved comments, keep-alive,
# 64 connections: Gazette (cached, then --no-cache) against nginx serving
# the very same bytes as a static file. Rounds interleave A B A B A B and
# the medians are compared. ROUNDS and SECONDS may be set in the environment.
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER_RUN:-8}
CONNS=64
STORY=/2024/07/05/pakistan-azerbaijan-ties-strengthening-bonds-for-development

make_site "$WORK/site" 50
gp=$(free_port); start_gazette "$WORK/site" "$gp"
np=$(free_port); mkdir -p "$WORK/static"
curl -fs "http://127.0.0.1:$gp$STORY" >"$WORK/static/index.html"
start_nginx "$WORK/static" "$np"
qp=$(free_port); start_nginx "$WORK/static" "$qp" nolog
up=$(free_port); start_gazette "$WORK/site" "$up" --no-cache
cmp -s "$WORK/static/index.html" <(curl -fs "http://127.0.0.1:$np/") || { echo "nginx serves other bytes" >&2; exit 1; }
bytes=$(wc -c <"$WORK/static/index.html")
comments=$(grep -c 'class="comment depth' "$WORK/static/index.html")
echo "page: $bytes bytes, $comments comments; wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS interleaved rounds"

# warm up all three
for u in "http://127.0.0.1:$gp$STORY" "http://127.0.0.1:$np/" "http://127.0.0.1:$up$STORY" "http://127.0.0.1:$qp/"; do
	wrk -t2 -c$CONNS -d2s "$u" >/dev/null
done
: >"$WORK/g"; : >"$WORK/n"; : >"$WORK/u"; : >"$WORK/q"
printf '%-6s %-22s %12s %10s\n' round server req/s p99_ms
for r in $(seq "$ROUNDS"); do
	for who in g n u q; do
		case $who in
		g) name="gazette (cache)"; url="http://127.0.0.1:$gp$STORY" ;;
		n) name="nginx (static file)"; url="http://127.0.0.1:$np/" ;;
		u) name="gazette --no-cache"; url="http://127.0.0.1:$up$STORY" ;;
		q) name="nginx, no access log"; url="http://127.0.0.1:$qp/" ;;
		esac
		read -r rps p99 < <(wrk_rate "$url" $CONNS "$SECS")
		echo "$rps" >>"$WORK/$who"
		printf '%-6s %-22s %12s %10s\n' "$r" "$name" "$rps" "$p99"
	done
done
g=$(median <"$WORK/g"); n=$(median <"$WORK/n"); u=$(median <"$WORK/u"); q=$(median <"$WORK/q")
echo
printf 'median req/s: gazette %s, nginx %s, gazette --no-cache %s, nginx without its log %s\n' "$g" "$n" "$u" "$q"
awk -v g="$g" -v n="$n" -v u="$u" -v q="$q" 'BEGIN {
	printf "ratio gazette/nginx:           %.2f (goal >= 0.90; both log)\n", g / n
	printf "ratio gazette --no-cache/nginx: %.2f (goal >= 0.25; both log)\n", u / n
	printf "ratio gazette/nginx, no log:   %.2f (nginx without its access log)\n", g / q
	printf "ratio --no-cache/nginx, no log: %.2f\n", u / q }'
