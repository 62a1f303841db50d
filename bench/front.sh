#!/usr/bin/env bash
# The edited front page (issue 15): a lead, 8 featured stories, 4 section
# blocks, "Most read" over 24 hours of counts, a breaking-news banner and
# two filled ad slots, on a site of 300 stories.
# Served cached and with --no-cache against nginx serving the same bytes as
# a static file, its access log on and off; then the cached story page
# requested with a browser's User-Agent (each hit counted for "Most read")
# and with a robot's (not counted): the ratio shows what counting costs a
# cached hit. ROUNDS, SECONDS_PER_RUN may be set.
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER_RUN:-5}
CONNS=64
BROWSER='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
ROBOT='Googlebot/2.1 (+http://www.google.com/bot.html)'

site=$WORK/site
GAZETTE_BIN=$GAZETTE "$ROOT/bench/gen_site.sh" "$site" 300 3000
printf 'per_ip_connections = 10000\nthreads = %s\n' "${THREADS:-4}" >>"$site/gazette.conf"
now=$(date +%s)
sqlite3 "$site/gazette.db" >/dev/null <<SQL
BEGIN;
-- the lead and 8 featured stories, newest generated ones first
INSERT INTO front_pins(story_id, lead, place, expires_at)
SELECT id, CASE WHEN rn = 1 THEN 1 ELSE 0 END, rn, 0 FROM (
  SELECT id, row_number() OVER (ORDER BY published_at DESC) AS rn FROM stories WHERE status = 3)
WHERE rn <= 9;
INSERT INTO front_banner(id, text, url, expires_at)
VALUES(1, 'Breaking: talks resume in Baku this afternoon', '/search?q=talks', 0);
INSERT INTO front_blocks(section_id, place, count)
SELECT id, row_number() OVER (ORDER BY id), 4 FROM sections ORDER BY id LIMIT 4;
-- 24 hours of reads spread over 40 stories
WITH RECURSIVE h(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM h WHERE i < 23)
INSERT INTO story_reads(story_id, hour, count)
SELECT s.id, $now / 3600 - h.i, 10 + (s.id * 7 + h.i) % 50 FROM h,
  (SELECT id FROM stories WHERE status = 3 ORDER BY published_at DESC LIMIT 40) s;
COMMIT;
SQL
# two ad slots filled (docs/slots.md), as an admin's form stores them
sqlite3 "$site/gazette.db" "INSERT INTO settings(key, value) VALUES
  ('slot_top', '<div class=\"ad\"><a href=\"https://ads.example.com/c/1\"><img src=\"/static/favicon.svg\" alt=\"Advertisement\" width=\"728\" height=\"90\"></a></div>'),
  ('slot_sidebar', '<div class=\"ad\"><ins class=\"adsbygoogle\" data-ad-client=\"ca-pub-1\" data-ad-slot=\"2\"></ins></div>')
  ON CONFLICT(key) DO UPDATE SET value = excluded.value"
cp=$(free_port); start_gazette "$site" "$cp"
cpid=${PIDS[-1]}
up=$(free_port); start_gazette "$site" "$up" --no-cache
story=$(curl -fs "http://127.0.0.1:$cp/" | grep -o 'href="/20[0-9][0-9]/[^"]*"' | head -1 | cut -d'"' -f2)
mkdir -p "$WORK/static"
curl -fs "http://127.0.0.1:$cp/" >"$WORK/static/index.html"
for what in 'front-top' 'front-block' 'Most read' 'Breaking' 'slot-top' 'slot-sidebar'; do
	grep -q "$what" "$WORK/static/index.html" || { echo "the front page lacks $what" >&2; exit 1; }
done
xp=$(free_port); start_nginx "$WORK/static" "$xp"
xq=$(free_port); start_nginx "$WORK/static" "$xq" nolog
echo "front page: $(wc -c <"$WORK/static/index.html") bytes, $(grep -o '<article class="summary' "$WORK/static/index.html" | wc -l) cards; story $story"
echo "wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS rounds"
declare -A URL=([cached]="http://127.0.0.1:$cp/" [uncached]="http://127.0.0.1:$up/"
	[nginx]="http://127.0.0.1:$xp/" [nginx_nolog]="http://127.0.0.1:$xq/"
	[story_browser]="http://127.0.0.1:$cp$story" [story_robot]="http://127.0.0.1:$cp$story")
declare -A UA=([story_browser]="$BROWSER" [story_robot]="$ROBOT")
ORDER="cached nginx uncached nginx_nolog story_browser story_robot"
for who in $ORDER; do : >"$WORK/r-$who"; done
wrk -t2 -c$CONNS -d2s "${URL[cached]}" >/dev/null
printf '%-6s %-14s %12s %10s\n' round server req/s p99_ms
for r in $(seq "$ROUNDS"); do
	order=$ORDER
	[ $((r % 2)) -eq 0 ] && order="nginx cached nginx_nolog uncached story_robot story_browser"
	for who in $order; do
		read -r rps p99 < <(wrk_rate "${URL[$who]}" $CONNS "$SECS" -H "User-Agent: ${UA[$who]:-$BROWSER}")
		echo "$rps" >>"$WORK/r-$who"
		printf '%-6s %-14s %12s %10s\n' "$r" "$who" "$rps" "$p99"
	done
done
medians $ORDER
awk -F= '{m[$1]=$2} END {
	printf "front cached / nginx (logging):   %.3f (goal >= 0.9)\n", m["cached"]/m["nginx"]
	printf "front cached / nginx (no log):    %.3f\n", m["cached"]/m["nginx_nolog"]
	printf "front uncached / nginx (logging): %.3f (goal >= 0.25)\n", m["uncached"]/m["nginx"]
	printf "front uncached / nginx (no log):  %.3f\n", m["uncached"]/m["nginx_nolog"]
	printf "cached story, counted / robot:    %.3f (1.0: counting costs a hit nothing)\n", m["story_browser"]/m["story_robot"] }' "$WORK/medians"
# the browser's hits were counted (in memory, added to story_reads by the
# scheduler and at shutdown), the robot's were not
slug=${story##*/}
kill "$cpid"; wait "$cpid" 2>/dev/null || true
echo "reads of $slug counted this hour: $(sqlite3 "$site/gazette.db" "SELECT coalesce(sum(r.count), 0) FROM story_reads r JOIN stories s ON s.id = r.story_id WHERE s.slug = '$slug' AND r.hour = $(date +%s) / 3600")"
