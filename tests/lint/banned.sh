#!/bin/sh
# Fails (exit 1) when a C file under src/ calls a function listed in
# src/util/banned.h. The compiler catches these too (the Makefile
# force-includes banned.h); this check also covers code built another way
# and prints every offender at once. Comments are not stripped: write the
# name without a following "(" when a comment has to mention one.
#   tests/lint/banned.sh [ROOT]   (ROOT defaults to the repository; ROOT/src is checked)
root=${1:-$(dirname "$0")/../..}
cd "$root" || exit 2
list='strcpy|strcat|strncpy|strncat|strtok|strtok_r|sprintf|vsprintf|gets|mktemp|tmpnam|gmtime|localtime|ctime|ctime_r|asctime|asctime_r'
hits=$(grep -nE "(^|[^A-Za-z0-9_.>])($list)[[:space:]]*\(" src/*/*.c src/*/*.h 2>/dev/null |
	grep -v '^src/util/banned\.h:')
if [ -n "$hits" ]; then
	echo "banned functions used (see src/util/banned.h for the safer spelling):"
	echo "$hits"
	exit 1
fi
echo "banned.sh: no banned function in src/"
