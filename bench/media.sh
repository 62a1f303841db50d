#!/usr/bin/env bash
# bench/media.sh: one 24-megapixel JPEG (6000x4000) to all its variants
# (widths 320-1920 in WebP, JPEG and AVIF where libvips writes it) with
# `gazette media add`, as a newsroom's upload would be: wall time and peak
# resident memory from /usr/bin/time -v. Goal (issue 14): under 2.5 s and
# 200 MB on a 2-core machine.
#
# The picture is made here by bench/gen_photo.c with libvips: "photo"
# (smooth colour with grain, quality 90: what a camera's file costs) and
# "noise" (every pixel random: the worst case for every encoder). Each is
# added ROUNDS times to a fresh site (default 5); medians and maxima.
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
cc -O2 -o "$WORK/gen_photo" "$ROOT/bench/gen_photo.c" $(pkg-config --cflags --libs vips)
printf '%-6s %10s %12s %10s %12s %10s   goal < 2.5 s, < 200 MB\n' kind "file MB" "median s" "max s" "median MB" "max MB"
for kind in photo noise; do
	"$WORK/gen_photo" "$WORK/$kind.jpg" 6000 4000 "$kind"
	secs=() mbs=()
	for i in $(seq "$ROUNDS"); do
		rm -rf "$WORK/site"
		"$GAZETTE" init --site "$WORK/site" >/dev/null
		/usr/bin/time -v -o "$WORK/time.txt" "$GAZETTE" media add --site "$WORK/site" \
			--alt "bench" "$WORK/$kind.jpg" >"$WORK/add.txt"
		secs+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$WORK/time.txt")")
		mbs+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$WORK/time.txt")")
	done
	printf '%-6s %10.1f %12s %10s %12s %10s\n' "$kind" \
		"$(echo "$(stat -c %s "$WORK/$kind.jpg") / 1000000" | bc -l)" \
		"$(printf '%s\n' "${secs[@]}" | median)" "$(printf '%s\n' "${secs[@]}" | sort -g | tail -n 1)" \
		"$(printf '%s\n' "${mbs[@]}" | median)" "$(printf '%s\n' "${mbs[@]}" | sort -g | tail -n 1)"
done
echo "variants: $(head -n 1 "$WORK/add.txt" | sed 's/^added media [0-9]*: [^,]*, //')"
