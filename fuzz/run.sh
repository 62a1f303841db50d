#!/bin/sh
# Runs libFuzzer targets built by `make fuzz-build` (see the Makefile).
#   fuzz/run.sh replay 0 BIN...     every file of fuzz/corpus/NAME through BIN once
#   fuzz/run.sh run SECONDS BIN...  fuzz each BIN for SECONDS with fuzz/NAME.dict
# NAME is the binary's name without "_fuzz". New inputs go to
# $FUZZ_DIR/corpus/NAME (the committed seeds stay as they are); crashes to
# $FUZZ_DIR/artifacts/. Exits non-zero at the first target that fails.
set -eu
cd "$(dirname "$0")/.."
mode=$1 secs=$2
shift 2
out=${FUZZ_DIR:-build-fuzz}
for bin in "$@"; do
	name=$(basename "$bin" _fuzz)
	seeds=fuzz/corpus/$name
	[ -d "$seeds" ] || { echo "!! $bin: no seed corpus $seeds"; exit 1; }
	mkdir -p "$out/corpus/$name" "$out/artifacts"
	dict=""
	[ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
	case $mode in
	replay)
		n=$(find "$seeds" -type f | wc -l)
		echo "== replay $name: $n seeds"
		find "$seeds" -type f -print0 | xargs -0 "$bin" -timeout=10 >"$out/replay-$name.log" 2>&1 ||
			{ tail -n 40 "$out/replay-$name.log"; echo "!! replay of $name failed"; exit 1; }
		;;
	run)
		echo "== fuzz $name for $secs s"
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix="$out/artifacts/$name-" $dict "$out/corpus/$name" "$seeds" \
			>"$out/fuzz-$name.log" 2>&1 ||
			{ tail -n 60 "$out/fuzz-$name.log"; echo "!! fuzzing $name found a problem (see $out/artifacts/)"; exit 1; }
		grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$out/fuzz-$name.log" | tail -n 2 || true
		;;
	*) echo "usage: fuzz/run.sh replay|run SECONDS BIN..."; exit 2 ;;
	esac
done
