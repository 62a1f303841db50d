#!/usr/bin/env bash
# Runs libFuzzer targets built by `make fuzz-build` (see the Makefile).
#   fuzz/run.sh replay 0 BIN...     every file of fuzz/corpus/NAME through BIN once
#   fuzz/run.sh run SECONDS BIN...  fuzz each BIN for SECONDS with fuzz/NAME.dict,
#                                   FUZZ_JOBS targets at a time (default: nproc)
# NAME is the binary's name without "_fuzz". New inputs go to
# $FUZZ_DIR/corpus/NAME (the committed seeds stay as they are); crashes to
# $FUZZ_DIR/artifacts/. Exits non-zero when any target fails.
set -u
cd "$(dirname "$0")/.." || exit 2
mode=$1 secs=$2
shift 2
out=${FUZZ_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p "$out/artifacts"

one() { # bin -> 0 ok
	local bin=$1 name seeds dict
	name=$(basename "$bin" _fuzz)
	seeds=fuzz/corpus/$name
	[ -d "$seeds" ] || { echo "!! $bin: no seed corpus $seeds"; return 1; }
	mkdir -p "$out/corpus/$name"
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=("-dict=fuzz/$name.dict")
	if [ "$mode" = replay ]; then
		echo "== replay $name: $(find "$seeds" -type f | wc -l) seeds"
		find "$seeds" -type f -print0 | xargs -0 "$bin" -timeout=10 >"$out/replay-$name.log" 2>&1 ||
			{ tail -n 40 "$out/replay-$name.log"; echo "!! replay of $name failed"; return 1; }
		return 0
	fi
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$name-" "${dict[@]}" "$out/corpus/$name" "$seeds" \
		>"$out/fuzz-$name.log" 2>&1 ||
		{ tail -n 60 "$out/fuzz-$name.log"; echo "!! fuzzing $name found a problem (see $out/artifacts/)"; return 1; }
	echo "== fuzz $name for $secs s: $(grep -E '^stat::number_of_executed_units' "$out/fuzz-$name.log" | awk '{print $2}') runs, no crash"
}

case $mode in replay | run) ;; *) echo "usage: fuzz/run.sh replay|run SECONDS BIN..."; exit 2 ;; esac
fail=0
running=0
for bin in "$@"; do
	if [ "$mode" = replay ]; then
		one "$bin" || fail=1
		continue
	fi
	one "$bin" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n || fail=1
		running=$((running - 1))
	fi
done
while [ "$running" -gt 0 ]; do
	wait -n || fail=1
	running=$((running - 1))
done
exit $fail
