#!/usr/bin/env bash
# Runs every test suite: the C unit-test binaries (built by `make unit`), then the
# integration and browser tests under Node's built-in runner. Prints the total as
# a last line "N passed, N failed" and exits non-zero if anything failed.
# With arguments (`tests/run.sh tests/cluster/*.test.js`, make test-cluster): only
# those node test files, one at a time (each starts its own cluster).
# STORE=pg (`make test STORE=pg`): every site a test makes lives in one
# PostgreSQL started for the whole run (tests/unit/with_pg.sh, which names it
# in PGHOST/PGPORT; helpers.js makeSite creates a database per site).
set -u
cd "$(dirname "$0")/.." || exit 2
if [ "${STORE:-sqlite}" = pg ] && [ -z "${GAZETTE_TEST_PG:-}" ]; then
	exec tests/unit/with_pg.sh "$0" "$@"
fi

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the run's template sites (helpers.js makeSite), made once for every file
export GAZETTE_TEST_TMP="$tmp"

# ---- unit binaries (GAZETTE_UNIT_DIR: another build of them, e.g. build-asan/tests/unit)
units="${GAZETTE_UNIT_DIR:-tests/unit}/test_*"
concurrency=2
[ "$#" -gt 0 ] && units="" && concurrency=1
for t in $units; do
	[ -e "$t" ] || continue
	case "$t" in *.c|*.h|*.o|*.d|*.dSYM) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	echo "== $t"
	if command -v timeout >/dev/null 2>&1; then
		timeout 300 "$t" >"$tmp/unit.out" 2>&1
	else
		"$t" >"$tmp/unit.out" 2>&1
	fi
	rc=$?
	[ "$rc" -eq 124 ] && echo "!! $t timed out after 300 s"
	cat "$tmp/unit.out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/unit.out" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\1/')
		f=$(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\2/')
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "!! $t exited with status $rc"
			failed=$((failed + 1))
		fi
	else
		echo "!! $t crashed or printed no summary (exit status $rc)"
		failed=$((failed + 1))
	fi
done

# ---- node integration and end-to-end tests
files=()
[ "$#" -gt 0 ] || set -- tests/integration/*.test.js tests/e2e/*.test.js
for f in "$@"; do
	[ -e "$f" ] && files+=("$f")
done
if [ "${#files[@]}" -gt 0 ]; then
	if ! command -v node >/dev/null 2>&1; then
		echo "!! node is not installed"
		failed=$((failed + 1))
	else
		if [ ! -d node_modules ]; then
			npm ci --no-audit --no-fund || { echo "!! npm ci failed"; failed=$((failed + 1)); }
		fi
		node --test --test-reporter=tap --test-reporter-destination=stdout \
			--test-reporter=./tests/durations.js --test-reporter-destination="$tmp/durations" \
			--test-concurrency="$concurrency" --test-timeout=300000 "${files[@]}" \
			2>&1 | tee "$tmp/node.out"
		rc=${PIPESTATUS[0]}
		echo "== the slowest test files (their tests' own time; tests/durations.js)"
		sed -e '$d' "$tmp/durations" 2>/dev/null | head -n 15
		tail -n 1 "$tmp/durations" 2>/dev/null
		np=$(grep -E '^# pass [0-9]+' "$tmp/node.out" | tail -n 1 | awk '{print $3}')
		nf=$(grep -E '^# fail [0-9]+' "$tmp/node.out" | tail -n 1 | awk '{print $3}')
		nc=$(grep -E '^# cancelled [0-9]+' "$tmp/node.out" | tail -n 1 | awk '{print $3}')
		if [ -z "$np" ] || [ -z "$nf" ]; then
			echo "!! node --test printed no summary (exit status $rc)"
			failed=$((failed + 1))
		else
			passed=$((passed + np))
			failed=$((failed + nf + ${nc:-0}))
			if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ] && [ "${nc:-0}" -eq 0 ]; then
				echo "!! node --test exited with status $rc"
				failed=$((failed + 1))
			fi
		fi
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
