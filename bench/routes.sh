#!/usr/bin/env bash
# bench/routes.sh [N]: every public route of a site of N generated stories
# (default 400,000), uncached, at p99 (issue 12: each under 50 ms).
#
# Fills a fresh demo site with bench/gen_stories (or uses SITE=DIR, a site
# made by an earlier run, as it is), starts `gazette serve --no-cache`, and
# sends ROUNDS requests (default 200) to each route over one keep-alive
# connection: first and deep pages of the home page, the biggest section,
# tag and author (deep pages by the cursor links readers follow, and the
# last page ?page=N alone reaches), pages past the end, a story, every
# feed, the sitemap index and its pages, worst-case searches and 404s.
# Prints median, p99 and max in ms per route, and each p99 as a ratio of
# the same run's robots.txt p99 (the server's floor: routing, no query).
source "$(dirname "$0")/lib.sh"
N=${1:-400000}
ROUNDS=${ROUNDS:-200}
if [ -z "${SITE:-}" ]; then
	cc -O2 -o "$WORK/gen_stories" "$ROOT/bench/gen_stories.c" -lsqlite3 -lm
	SITE="$WORK/site"
	"$GAZETTE" init --demo --site "$SITE" >/dev/null
	printf 'cache_size = 0\nthreads = 2\nsearch_rate_per_minute = 100000000\nper_ip_connections = 10000\n' \
		>>"$SITE/gazette.conf"
	start=$(date +%s)
	"$WORK/gen_stories" "$SITE/gazette.db" "$N" 2>"$WORK/gen.log"
	echo "generated $N stories in $(($(date +%s) - start)) s ($(du -h "$SITE/gazette.db" | cut -f1))"
fi
PORT=$(free_port)
"$GAZETTE" serve --site "$SITE" --listen "127.0.0.1:$PORT" --no-cache >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/robots.txt" 6000
db="$SITE/gazette.db"
q() { sqlite3 "$db" "$1"; }
# the biggest section, tag and author, and cursors near the end of each list
sec=$(q "SELECT sec.path FROM sections sec JOIN section_stories x ON x.section_id = sec.id AND x.status = 3 GROUP BY sec.id ORDER BY count(*) DESC LIMIT 1")
tag=$(q "SELECT t.slug FROM tags t JOIN story_tags x ON x.tag_id = t.id AND x.status = 3 GROUP BY t.id ORDER BY count(*) DESC LIMIT 1")
author=$(q "SELECT u.slug FROM users u JOIN stories s ON s.author_id = u.id AND s.status = 3 GROUP BY u.id ORDER BY count(*) DESC LIMIT 1")
cur() { q "SELECT published_at || '.' || $1 FROM $2 WHERE $3 status = 3 ORDER BY published_at, $1 LIMIT 1 OFFSET 15"; }
c_home=$(cur id stories "")
c_sec=$(cur story_id section_stories "section_id = (SELECT id FROM sections WHERE path = '$sec') AND")
c_tag=$(cur story_id story_tags "tag_id = (SELECT id FROM tags WHERE slug = '$tag') AND")
c_author=$(cur id stories "author_id = (SELECT id FROM users WHERE slug = '$author') AND")
oldest=$(q "SELECT published_at || '.' || id FROM stories WHERE status = 3 ORDER BY published_at, id LIMIT 1")
story=$(q "SELECT '/' || strftime('%Y/%m/%d/', published_at, 'unixepoch') || slug FROM stories WHERE status = 3 ORDER BY published_at LIMIT 1 OFFSET 1000")
nmaps=$(curl -fs "http://127.0.0.1:$PORT/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed 's/<[^>]*>//g; s|^https\?://[^/]*||')
echo "section /section/$sec, tag /tag/$tag, author /author/$author"
python3 - "$PORT" "$ROUNDS" <<PY
import http.client, sys, time, statistics
port, rounds = int(sys.argv[1]), int(sys.argv[2])
common = "the of and to in said on for with as at by government minister year people"
routes = [
    ("robots.txt (floor)", "/robots.txt", 200),
    ("home", "/", 200),
    ("home ?page=50", "/?page=50", 200),
    ("home deepest page", "/?page=20000&before=$c_home", 200),
    ("home newer than deepest", "/?page=19999&after=$c_home", 200),
    ("home past the end", "/?page=20001&before=$oldest", 404),
    ("home ?page=999999", "/?page=999999", 404),
    ("section", "/section/$sec", 200),
    ("section deepest page", "/section/$sec?page=9999&before=$c_sec", 200),
    ("section past the end", "/section/$sec?page=9999&before=$oldest", 404),
    ("tag", "/tag/$tag", 200),
    ("tag ?page=50", "/tag/$tag?page=50", 200),
    ("tag deepest page", "/tag/$tag?page=9999&before=$c_tag", 200),
    ("tag past the end", "/tag/$tag?page=9999&before=$oldest", 404),
    ("author", "/author/$author", 200),
    ("author deepest page", "/author/$author?page=9999&before=$c_author", 200),
    ("story", "$story", 200),
    ("feed (RSS)", "/feed", 200),
    ("feed (Atom)", "/feed.atom", 200),
    ("feed (JSON)", "/feed.json", 200),
    ("section feed", "/section/$sec/feed", 200),
    ("tag feed", "/tag/$tag/feed", 200),
    ("author feed", "/author/$author/feed", 200),
    ("comments feed", "/comments/feed", 200),
    ("story comments feed", "$story/comments/feed", 200),
    ("search feed", "/search/feed?q=energy", 200),
    ("news sitemap", "/news-sitemap.xml", 200),
    ("sitemap index", "/sitemap.xml", 200),
    ("search common word", "/search?q=the", 200),
    ("search 16 common words", "/search?q=" + common.replace(" ", "+"), 200),
    ("search same word 32x", "/search?q=" + "+".join(["government"] * 32), 200),
    ("search page 50", "/search?q=energy&page=50", 200),
    ("search no match", "/search?q=zzqqxx", 200),
    ("404 unknown path", "/no/such/page/here", 404),
    ("404 unknown story", "/2020/01/01/no-such-story", 404),
    ("404 unknown tag", "/tag/no-such-tag", 404),
]
maps = """$nmaps""".split()
kinds = {}
for m in maps:  # the first and the last page of each kind
    kinds.setdefault(m.rsplit("/", 1)[-1].split("-")[0], []).append(m)
for pages in kinds.values():
    for m in dict.fromkeys([pages[0], pages[-1]]):
        routes.append(("sitemap " + m.rsplit("/", 1)[-1], m, 200))
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def get(path):
    t = time.perf_counter()
    c.request("GET", path, headers={"Accept-Encoding": "gzip"})
    r = c.getresponse(); r.read()
    return (time.perf_counter() - t) * 1000, r.status
floor = None
print(f"{'route':28} {'status':>6} {'median':>8} {'p99 ms':>8} {'max':>8} {'x floor':>8}  goal p99 < 50 ms")
worst = 0
for name, path, want in routes:
    ms, st = get(path)
    if st != want:
        raise SystemExit(f"{name}: GET {path} answered {st}, expected {want}")
    ts = sorted(get(path)[0] for _ in range(rounds))
    p99 = ts[min(len(ts) - 1, int(len(ts) * 0.99))]
    if floor is None:
        floor = p99
    worst = max(worst, p99)
    flag = "" if p99 < 50 else "  OVER"
    print(f"{name:28} {st:>6} {statistics.median(ts):8.2f} {p99:8.2f} {ts[-1]:8.2f} {p99 / floor:8.1f}{flag}")
print(f"worst p99: {worst:.2f} ms over {len(routes)} routes ({rounds} requests each)")
PY
