#!/usr/bin/env bash
# bench/media-load.sh: readers' story-page latency while the media library
# processes 20 uploads (issue 14: p99 under 10 ms). An editor sends 20
# camera-sized JPEGs (PHOTO_W x PHOTO_H, default 4000x3000, made by
# bench/gen_photo.c, each different) in one upload to /admin/media, where
# the server decodes each and writes its variants (WebP, JPEG, AVIF) while
# wrk reads the cached seed story page, two ways: flat out (-t2, 64
# connections: the machine saturated by wrk and Gazette before any upload)
# and paced as readers come (16 connections, each waiting PACE_MS, default
# 10 ms, between requests: about 1,500 pages a second, a busy news site).
# Reported: req/s and p99 alone, then during the uploads (each window fits
# inside the processing: its length is 80% of the time the same upload
# took on a quiet server, run first on another site).
source "$(dirname "$0")/lib.sh"
W=${PHOTO_W:-4000}
H=${PHOTO_H:-3000}
PACE_MS=${PACE_MS:-10}
STORY=/2024/07/05/pakistan-azerbaijan-ties-strengthening-bonds-for-development
PASS='bench-password-1234'
cc -O2 -o "$WORK/gen_photo" "$ROOT/bench/gen_photo.c" $(pkg-config --cflags --libs vips)
files=()
for i in $(seq 20); do
	"$WORK/gen_photo" "$WORK/p$i.jpg" "$W" "$H" photo
	files+=("$WORK/p$i.jpg")
done
mb=$(du -cm "${files[@]}" | tail -n 1 | cut -f1)

site() { # dir: a demo site with an editor who may upload 50 MB files
	make_site "$1" 50
	printf 'upload_limit = 50000000\n' >>"$1/gazette.conf"
	printf '%s\n' "$PASS" | "$GAZETTE" user add --site "$1" --role editor --email editor@bench.test 'Bench Editor' >/dev/null
	sqlite3 "$1/gazette.db" 'SELECT count(*) FROM media' >"$1/.demo-media"
}
upload() { # port
	node "$ROOT/bench/upload.js" "http://127.0.0.1:$1" editor@bench.test "$PASS" "${files[@]}"
}
# library rows added since the site was made (the demo brings its photos)
added() { echo $(($(sqlite3 "$1/gazette.db" 'SELECT count(*) FROM media') - $(cat "$1/.demo-media"))); }

# the upload alone, on a quiet server: how long the processing lasts
site "$WORK/quiet"
qp=$(free_port); start_gazette "$WORK/quiet" "$qp"
t=$(upload "$qp" | awk '{print $1}')
[ "$(added "$WORK/quiet")" = 20 ] || { echo "the quiet upload added $(added "$WORK/quiet") of 20" >&2; exit 1; }
secs=$(awk -v t="$t" 'BEGIN { s = int(t * 0.8); print (s < 2) ? 2 : s }')

printf 'function delay() return %s end\n' "$PACE_MS" >"$WORK/pace.lua"
echo "20 JPEGs of ${W}x${H} (${mb} MB in all) in one upload: ${t} s on a quiet server; ${secs} s windows"
printf '%-52s %12s %10s\n' "story page" req/s p99_ms
for mode in flat paced; do
	site "$WORK/$mode"
	port=$(free_port); start_gazette "$WORK/$mode" "$port"
	url="http://127.0.0.1:$port$STORY"
	if [ "$mode" = flat ]; then
		label="flat out, 64 connections"; conns=64; more=()
	else
		label="paced, 16 connections, ${PACE_MS} ms apart"; conns=16; more=(-s "$WORK/pace.lua")
	fi
	wrk -t2 -c"$conns" -d2s "${more[@]}" "$url" >/dev/null
	read -r rps0 p990 < <(wrk_rate "$url" "$conns" "$secs" "${more[@]}")
	upload "$port" >"$WORK/upload.txt" &
	up=$!
	sleep 0.3 # the request is in, the first picture decoding
	read -r rps1 p991 < <(wrk_rate "$url" "$conns" "$secs" "${more[@]}")
	still=no
	kill -0 "$up" 2>/dev/null && still=yes
	wait "$up"
	[ "$(added "$WORK/$mode")" = 20 ] || { echo "the upload under load added $(added "$WORK/$mode") of 20" >&2; exit 1; }
	printf '%-52s %12s %10s\n' "$label, alone" "$rps0" "$p990"
	printf '%-52s %12s %10s\n' "$label, during uploads" "$rps1" "$p991"
	echo "  (the upload took $(cut -d, -f1 "$WORK/upload.txt") under this load; still processing when wrk stopped: $still)"
done
awk -v p="$p991" 'BEGIN { printf "p99 while 20 uploads are processed, paced readers: %.2f ms (goal < 10 ms)\n", p }'
