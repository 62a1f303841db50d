#!/usr/bin/env bash
# bench/media-serve.sh: an image variant from the media library, served by
# Gazette (/media/HASH-960.webp: ETag, immutable, sent from its
# descriptor) against nginx serving the very same file, keep-alive, 64
# connections, in interleaved rounds within one run: nginx with its access
# log (as Gazette logs) and without it (the physical limit). Goal (issue
# 14): Gazette >= 0.9x nginx. ROUNDS and SECONDS_PER_RUN may be set.
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
SECS=${SECONDS_PER_RUN:-6}
CONNS=64

"$GAZETTE" init --site "$WORK/site" >/dev/null
printf 'per_ip_connections = 10000\nthreads = %s\n' "${THREADS:-4}" >>"$WORK/site/gazette.conf"
"$GAZETTE" media add --site "$WORK/site" --alt "Hubble eXtreme Deep Field" \
	"$ROOT/demo/photos/hubble_deep_field.jpg" >"$WORK/add.txt"
file=$(cd "$WORK/site/media" && ls ./*-960.webp | head -n 1)
file=${file#./}
[ -n "$file" ] || { echo "no 960 webp variant was made" >&2; exit 1; }
mkdir -p "$WORK/static"
cp "$WORK/site/media/$file" "$WORK/static/$file"
echo ok >"$WORK/static/index.html" # what start_nginx waits for
gp=$(free_port); start_gazette "$WORK/site" "$gp"
np=$(free_port); start_nginx "$WORK/static" "$np"
qp=$(free_port); start_nginx "$WORK/static" "$qp" nolog
g_url="http://127.0.0.1:$gp/media/$file"
n_url="http://127.0.0.1:$np/$file"
q_url="http://127.0.0.1:$qp/$file"
cmp -s "$WORK/static/$file" <(curl -fs "$g_url") || { echo "gazette serves other bytes" >&2; exit 1; }
cmp -s "$WORK/static/$file" <(curl -fs "$n_url") || { echo "nginx serves other bytes" >&2; exit 1; }
curl -fsI "$g_url" | grep -qi '^cache-control: public, max-age=31536000, immutable' ||
	{ echo "the variant is not served immutable" >&2; exit 1; }
echo "file: $file, $(stat -c %s "$WORK/static/$file") bytes; wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS interleaved rounds"

for u in "$g_url" "$n_url" "$q_url"; do wrk -t2 -c$CONNS -d2s "$u" >/dev/null; done
: >"$WORK/g"; : >"$WORK/n"; : >"$WORK/q"
printf '%-6s %-22s %12s %10s\n' round server req/s p99_ms
for r in $(seq "$ROUNDS"); do
	for who in g n q; do
		case $who in
		g) name="gazette /media/"; url=$g_url ;;
		n) name="nginx (same file)"; url=$n_url ;;
		q) name="nginx, no access log"; url=$q_url ;;
		esac
		read -r rps p99 < <(wrk_rate "$url" $CONNS "$SECS")
		echo "$rps" >>"$WORK/$who"
		printf '%-6s %-22s %12s %10s\n' "$r" "$name" "$rps" "$p99"
	done
done
g=$(median <"$WORK/g"); n=$(median <"$WORK/n"); q=$(median <"$WORK/q")
echo
printf 'median req/s: gazette %s, nginx %s, nginx without its log %s\n' "$g" "$n" "$q"
awk -v g="$g" -v n="$n" -v q="$q" 'BEGIN {
	printf "ratio gazette/nginx:         %.2f (goal >= 0.90; both log)\n", g / n
	printf "ratio gazette/nginx, no log: %.2f (nginx without its access log)\n", g / q }'
