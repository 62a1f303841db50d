#!/usr/bin/env bash
# bench/search.sh [N]: search latency over N generated stories (default 100,000).
#
# Builds bench/gen_stories, fills a fresh demo site with N stories, starts
# `gazette serve` on 127.0.0.1 with the page cache off (every request runs
# the query), then sends GET /search?q=... over one keep-alive connection:
# a mix of common, mid-frequency, rare, multi-word, non-Latin, no-match and
# second-page queries, each many times. Prints per-kind and overall median
# and p99 in milliseconds, and the time of a sitemap page and the index.
source "$(dirname "$0")/lib.sh"
N=${1:-100000}
ROUNDS=${ROUNDS:-20}
cc -O2 -o "$WORK/gen_stories" "$ROOT/bench/gen_stories.c" -lsqlite3 -lm
SITE="$WORK/site"
"$GAZETTE" init --demo --site "$SITE" >/dev/null
printf 'cache_size = 0\nthreads = 2\nsearch_rate_per_minute = 100000000\n' >>"$SITE/gazette.conf"
start=$(date +%s.%N)
"$WORK/gen_stories" "$SITE/gazette.db" "$N" 2>"$WORK/gen.log"
echo "generated $N stories in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -h "$SITE/gazette.db" | cut -f1) database)"
PORT=$(free_port)
"$GAZETTE" serve --site "$SITE" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/robots.txt"
python3 - "$PORT" "$ROUNDS" <<'PY'
import http.client, sys, time, urllib.parse, statistics
port, rounds = int(sys.argv[1]), int(sys.argv[2])
queries = {
    "common word":   ["government", "said", "the", "energy", "police"],
    "mid word":      ["baku", "football", "pipeline", "vaccine", "summit"],
    "rare word":     ["anmivo", "telkaro", "surden", "gorzi", "vopa"],
    "two words":     ["trade agreement", "solar power", "airline flights", "court police", "oil prices"],
    "three words":   ["government energy budget", "baku pakistan trade", "farmers rain crops"],
    "stemmed":       ["flooding", "elections", "investments", "players"],
    "non-latin":     ["Азербайджан", "پاکستان", "Bakı"],
    "no match":      ["zzqqxx", "nonexistentword"],
    "hostile":       ['"unbalanced', "a AND OR NOT", "NEAR(x y", "*^:()", "x" * 1500],
    "page 2":        ["government&page=2", "energy&page=3"],
}
c = http.client.HTTPConnection("127.0.0.1", port)
def get(path):
    t = time.perf_counter()
    c.request("GET", path)
    r = c.getresponse(); body = r.read()
    ms = (time.perf_counter() - t) * 1000
    if r.status != 200:
        raise SystemExit(f"{path}: HTTP {r.status}")
    return ms, body
def q(s):
    if "&page=" in s:
        w, p = s.split("&page=")
        return "/search?q=" + urllib.parse.quote_plus(w) + "&page=" + p
    return "/search?q=" + urllib.parse.quote_plus(s)
for kind in queries:                       # warm up: page in the index
    for s in queries[kind]: get(q(s))
allt = []
print(f"{'kind':14} {'requests':>8} {'median ms':>10} {'p99 ms':>8}  results (first query)")
for kind, qs in queries.items():
    ts = []
    for _ in range(rounds):
        for s in qs:
            ms, body = get(q(s)); ts.append(ms)
    ts.sort(); allt += ts
    _, body = get(q(qs[0]))
    import re
    m = re.search(rb'class="search-count"[^>]*>([^<]*)<', body)
    print(f"{kind:14} {len(ts):8d} {statistics.median(ts):10.2f} {ts[int(len(ts)*0.99)-1]:8.2f}  {m.group(1).decode() if m else 'none'}")
allt.sort()
print(f"{'ALL':14} {len(allt):8d} {statistics.median(allt):10.2f} {allt[int(len(allt)*0.99)-1]:8.2f}")
for path in ["/sitemap.xml", "/sitemaps/stories-1.xml", "/sitemaps/stories-40.xml", "/sitemaps/tags-1.xml", "/news-sitemap.xml", "/feed", "/search/feed?q=energy"]:
    ts = sorted(get(path)[0] for _ in range(5))
    print(f"{path:28} median {statistics.median(ts):8.2f} ms")
PY
