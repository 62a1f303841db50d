#!/usr/bin/env bash
# bench/import.sh: the import benchmark of issue 4. Generates a WXR export of POSTS posts
# with COMMENTS comments each (default 10,000 and 10: 100,000 comments), imports it into a
# fresh site and prints wall time and peak RSS (GNU time -v, Debian package `time`).
# The bar: under 30 s on a 2-core machine, with memory that does not grow with the file.
#   bench/import.sh [POSTS] [COMMENTS_PER_POST]
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-10000}
per=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x ./gazette ] || make gazette >/dev/null
node bench/gen_wxr.js "$posts" "$per" > "$tmp/export.xml"
echo "export: $(du -h "$tmp/export.xml" | cut -f1), $posts posts, $((posts * per)) comments"
./gazette init --site "$tmp/site" >/dev/null
/usr/bin/time -v ./gazette import wordpress "$tmp/export.xml" --site "$tmp/site" \
	>"$tmp/report" 2>"$tmp/time" || { cat "$tmp/time"; exit 1; }
grep -E '^  (posts|comments|redirects):|^time:' "$tmp/report"
wall=$(grep 'Elapsed (wall clock)' "$tmp/time" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$tmp/time" | awk '{print $NF}')
echo "wall: $wall  peak RSS: $((rss / 1024)) MB"
# a second run must be a no-op, and quick
/usr/bin/time -f '%e' ./gazette import wordpress "$tmp/export.xml" --site "$tmp/site" \
	>"$tmp/report2" 2>"$tmp/time2"
echo "re-import (no-op): $(tail -1 "$tmp/time2") s, $(grep -c 'already imported: '"$posts"' unchanged' "$tmp/report2") ok"
