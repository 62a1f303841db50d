#!/usr/bin/env bash
# A/B of benchmarks 1 and 2 between two builds: GAZETTE_REF (a reference
# build, e.g. the commit before a change) and this tree's ./gazette, each
# serving its own copy of the seed story with 50 comments, cached and with
# --no-cache, against nginx serving the same bytes as a static file with
# its access log on (as Gazette logs) and off (the physical limit). All six
# servers take turns in each round (wrk -t2 -c64), and the medians give
# each build's ratios to nginx, so the two builds are compared on the same
# machine in the same minutes. ROUNDS, SECONDS_PER_RUN may be set.
source "$(dirname "$0")/lib.sh"
REF=${GAZETTE_REF:?set GAZETTE_REF to the reference build of gazette}
NEW=$GAZETTE
ROUNDS=${ROUNDS:-6}
SECS=${SECONDS_PER_RUN:-6}
CONNS=64
STORY=/2024/07/05/pakistan-azerbaijan-ties-strengthening-bonds-for-development

GAZETTE=$REF make_site "$WORK/ref" 50
GAZETTE=$NEW make_site "$WORK/new" 50
rp=$(free_port); GAZETTE=$REF start_gazette "$WORK/ref" "$rp"
ru=$(free_port); GAZETTE=$REF start_gazette "$WORK/ref" "$ru" --no-cache
np=$(free_port); GAZETTE=$NEW start_gazette "$WORK/new" "$np"
nu=$(free_port); GAZETTE=$NEW start_gazette "$WORK/new" "$nu" --no-cache
mkdir -p "$WORK/static"
curl -fs "http://127.0.0.1:$np$STORY" >"$WORK/static/index.html"
xp=$(free_port); start_nginx "$WORK/static" "$xp"
xq=$(free_port); start_nginx "$WORK/static" "$xq" nolog
echo "page: $(wc -c <"$WORK/static/index.html") bytes; wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS rounds"
declare -A URL=(
	[ref]="http://127.0.0.1:$rp$STORY" [ref_nc]="http://127.0.0.1:$ru$STORY"
	[new]="http://127.0.0.1:$np$STORY" [new_nc]="http://127.0.0.1:$nu$STORY"
	[nginx]="http://127.0.0.1:$xp/" [nginx_nolog]="http://127.0.0.1:$xq/")
ORDER="ref new nginx ref_nc new_nc nginx_nolog"
for who in $ORDER; do wrk -t2 -c$CONNS -d2s "${URL[$who]}" >/dev/null; : >"$WORK/r-$who"; done
printf '%-6s %-12s %12s %10s\n' round server req/s p99_ms
for r in $(seq "$ROUNDS"); do
	# the builds swap places every other round: whichever runs second
	# measured up to 7% lower in an A/B of one build against itself
	order=$ORDER
	[ $((r % 2)) -eq 0 ] && order="new ref nginx new_nc ref_nc nginx_nolog"
	for who in $order; do
		read -r rps p99 < <(wrk_rate "${URL[$who]}" $CONNS "$SECS")
		echo "$rps" >>"$WORK/r-$who"
		printf '%-6s %-12s %12s %10s\n' "$r" "$who" "$rps" "$p99"
	done
done
medians $ORDER
awk -F= '{m[$1]=$2} END {
	printf "cached / nginx (logging):      ref %.3f  new %.3f  change %+.1f%%\n", m["ref"]/m["nginx"], m["new"]/m["nginx"], 100*(m["new"]/m["ref"]-1)
	printf "cached / nginx (no log):       ref %.3f  new %.3f\n", m["ref"]/m["nginx_nolog"], m["new"]/m["nginx_nolog"]
	printf "uncached / nginx (logging):    ref %.3f  new %.3f  change %+.1f%%\n", m["ref_nc"]/m["nginx"], m["new_nc"]/m["nginx"], 100*(m["new_nc"]/m["ref_nc"]-1)
	printf "uncached / nginx (no log):     ref %.3f  new %.3f\n", m["ref_nc"]/m["nginx_nolog"], m["new_nc"]/m["nginx_nolog"] }' "$WORK/medians"
