'use strict';
// Found and followed (issue 5): search, feeds, sitemaps, robots.txt and the
// metadata in page heads, against the real binary on 127.0.0.1. Feeds are
// checked with Debian's python3-feedparser and newsboat, sitemaps with
// xmllint against the sitemaps.org schema (tests/fixtures), pages with the
// Nu HTML Checker (vnu-jar on Java 17).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const h = require('./helpers');

const PY = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const STORY_COUNT = h.demoStories().length;

function sql(dir, statements) {
  return h.sql(dir, statements);
}

function search(srv, q, extra = '') {
  const qs = q === null ? '' : '?q=' + encodeURIComponent(q) + extra;
  return h.get(srv.url, '/search' + qs);
}

function resultTitles(html) {
  const out = [];
  const re = /<h2 class="summary-title"><a href="([^"]*)">([\s\S]*?)<\/a><\/h2>/g;
  let m;
  while ((m = re.exec(html))) out.push({ url: h.htmlUnescape(m[1]), html: m[2], text: h.textOf(m[2]) });
  return out;
}

// "more than 2,000 results" (past the ranked matches) counts as 2,001
function resultCount(html) {
  const m = /class="search-count"[^>]*>(more than )?([\d,]+) results?</.exec(html);
  return m ? Number(m[2].replace(/,/g, '')) + (m[1] ? 1 : 0) : 0;
}

// A published story inserted straight into the database, as any writer would:
// the index must follow through the triggers alone.
function insertStory(dir, { slug, title, body, status = 3, excerpt = '' }) {
  const q = (s) => "'" + String(s).replace(/'/g, "''") + "'";
  sql(dir, `INSERT INTO stories(slug, title, excerpt, body_md, body_html, author_id, status,
    published_at, created_at, updated_at) VALUES(${q(slug)}, ${q(title)}, ${q(excerpt)}, ${q(body)},
    ${q('<p>' + body + '</p>')}, (SELECT min(id) FROM users), ${status}, 1720000000, 1720000000, 1720000000);`);
}

test('search, feeds, sitemaps and metadata', { timeout: 240000 }, async (t) => {
  const dir = h.makeSite({ conf: { search_rate_per_minute: 100000, cache_size: 0, robots_extra: 'User-agent: ExampleBot\\nDisallow: /' } });
  const srv = await h.startServer(dir);
  t.after(async () => { await srv.stop(); h.cleanupSites(); });

  await t.test('search finds, ranks, counts and highlights', async () => {
    const r = await search(srv, 'Baku pakistan');
    assert.equal(r.status, 200);
    assert.match(r.headers['cache-control'], /^public/);
    const titles = resultTitles(r.body);
    assert.ok(titles.length >= 3, 'several stories match both words');
    assert.equal(resultCount(r.body), titles.length);
    assert.match(r.body, /<mark>Baku<\/mark>/);
    assert.match(r.body, /<title>Search results for “Baku pakistan” – /);
    assert.match(r.body, /<meta name="robots" content="noindex, follow">/);
    // the title match outranks a body-only match: "Caspian" is in one title
    const c = resultTitles((await search(srv, 'caspian')).body);
    assert.match(c[0].text, /Caspian/);
    // stems and case: "strengthening" is in the seed story's title
    const s = resultTitles((await search(srv, 'STRENGTHEN')).body);
    assert.ok(s.some((x) => x.url === h.SEED_PATH), 'porter stem finds Strengthening');
    // autodiscovery of the search's own feed
    assert.match(r.body, /<link rel="alternate" type="application\/rss\+xml" title="Search: Baku pakistan \(RSS\)" href="\/search\/feed\?q=Baku\+pakistan">/);
  });

  await t.test('no results, empty input and the search box', async () => {
    const none = await search(srv, 'zzqqxxnothing');
    assert.equal(none.status, 200);
    assert.match(none.body, /No stories matched/);
    assert.match(none.body, /0 results/);
    const empty = await search(srv, null);
    assert.equal(empty.status, 200);
    assert.match(empty.body, /Type a word or two/);
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /<form class="site-search" role="search" action="\/search" method="get">/);
  });

  await t.test('any input is a plain query: never a 500, never a database error', async () => {
    const hostile = ['"', '"unbalanced', 'a AND', 'OR', 'NOT baku', 'NEAR(baku pakistan, 2)', '*', 'baku*',
      '^baku', 'title:baku', '(baku', 'baku)', '{title}: baku', '- baku', '""""', "'; DROP TABLE stories; --",
      'x'.repeat(2000), 'é'.repeat(1300) + ' x', '<script>alert(1)</script>', 'baku\u0301', '😀', 'AND OR NOT'];
    for (const q of hostile) {
      const r = await search(srv, q);
      assert.equal(r.status, 200, `status for ${JSON.stringify(q).slice(0, 40)}`);
      assert.deepEqual(h.liveXss(r.body), []);
    }
    // operators are words: "NOT baku" is the words "not" and "baku" (the seed
    // story says "Not only this"), never "baku" excluded
    const notBaku = resultCount((await search(srv, 'NOT baku')).body);
    assert.equal(notBaku, resultCount((await search(srv, 'not BAKU')).body));
    assert.ok(notBaku > 0 && notBaku <= resultCount((await search(srv, 'baku')).body));
    assert.ok(resultCount((await search(srv, 'baku*')).body) > 0);
    const long = await search(srv, 'x'.repeat(2001));
    assert.equal(long.status, 400);
    assert.match(long.body, /at most 2,000 characters/);
    for (const raw of ['%00', 'baku%00', '%FF%FE', '%C3%28', '%ED%A0%80']) {
      const r = await h.get(srv.url, '/search?q=' + raw);
      assert.equal(r.status, 400, raw);
    }
    const bad = await h.get(srv.url, '/search?q=baku&page=0');
    assert.equal(bad.status, 404);
    assert.ok(!/database|sqlite|fts5/i.test(srv.output()), 'no database error was logged');
  });

  await t.test('only published stories are found, and the index follows every write', async () => {
    insertStory(dir, { slug: 'draft-quokka', title: 'Draft about quokkas', body: 'quokka draft text', status: 0 });
    insertStory(dir, { slug: 'sched-quokka', title: 'Scheduled quokkas', body: 'quokka later', status: 2 });
    assert.equal(resultCount((await search(srv, 'quokka')).body), 0);
    sql(dir, "UPDATE stories SET status = 3 WHERE slug = 'draft-quokka';");
    let r = await search(srv, 'quokkas');
    assert.equal(resultCount(r.body), 1);
    assert.match(resultTitles(r.body)[0].url, /draft-quokka$/);
    sql(dir, "UPDATE stories SET title = 'Wombats instead' WHERE slug = 'draft-quokka';");
    assert.equal(resultCount((await search(srv, 'wombat')).body), 1);
    sql(dir, "UPDATE stories SET status = 0 WHERE slug = 'draft-quokka';");
    assert.equal(resultCount((await search(srv, 'wombat')).body), 0);
    // a tag added later is searchable; renaming the tag follows too
    sql(dir, "UPDATE stories SET status = 3 WHERE slug = 'draft-quokka';" +
      "INSERT INTO tags(name, slug) VALUES('Marsupials', 'marsupials');" +
      "INSERT INTO story_tags(story_id, tag_id) SELECT s.id, t.id FROM stories s, tags t" +
      " WHERE s.slug = 'draft-quokka' AND t.slug = 'marsupials';");
    assert.equal(resultCount((await search(srv, 'marsupials')).body), 1);
    sql(dir, "UPDATE tags SET name = 'Pouched mammals' WHERE slug = 'marsupials';");
    assert.equal(resultCount((await search(srv, 'marsupials')).body), 0);
    assert.equal(resultCount((await search(srv, 'pouched')).body), 1);
    sql(dir, "DELETE FROM stories WHERE slug IN ('draft-quokka', 'sched-quokka');");
    assert.equal(resultCount((await search(srv, 'pouched')).body), 0);
  });

  await t.test('accents, and Urdu, Azerbaijani and Russian text', async () => {
    insertStory(dir, { slug: 'urdu', title: 'پاکستان اور آذربائیجان کے تعلقات', body: 'اسلام آباد میں مذاکرات' });
    insertStory(dir, { slug: 'azeri', title: 'Bakı şəhərində görüş', body: 'Azərbaycan və Pakistan' });
    insertStory(dir, { slug: 'russian', title: 'Переговоры в Баку', body: 'Азербайджан и Пакистан подписали' });
    insertStory(dir, { slug: 'cafe', title: 'Café society', body: 'crème brûlée' });
    const found = async (q, slug) => {
      const r = await search(srv, q);
      assert.ok(resultTitles(r.body).some((x) => x.url.endsWith('/' + slug)), `${q} finds ${slug}`);
    };
    await found('پاکستان', 'urdu');
    await found('مذاکرات', 'urdu');
    await found('şəhərində', 'azeri');
    await found('səhərində', 'azeri'); // ş matches s: diacritics removed on both sides
    await found('Баку', 'russian');
    await found('азербайджан', 'russian');
    await found('cafe', 'cafe');
    await found('CRÈME', 'cafe');
    await found('brulee', 'cafe');
    sql(dir, "DELETE FROM stories WHERE slug IN ('urdu', 'azeri', 'russian', 'cafe');");
  });

  // Issue 12: a long query matches its rarest words only (bounded work),
  // says which it left out, and ranks exactly as FTS5's bm25 would.
  await t.test('many words: the rarest are searched and the page says which', async () => {
    const words = ['the', 'of', 'and', 'to', 'in', 'for', 'with', 'a', 'on', 'as', 'by', 'at', 'is',
      'from', 'its', 'that', 'this', 'Caspian', 'pakistan', 'azerbaijan'];
    const r = await search(srv, words.join(' '));
    assert.equal(r.status, 200);
    const note = h.findElement(r.body, 'p', (a) => a.id === 'search-left-out');
    assert.ok(note, 'the page says words were left out');
    const left = /left out: (.*)\./.exec(h.textOf(note))[1].split(' ');
    assert.equal(left.length, 12);
    assert.ok(left.includes('the') && !left.includes('Caspian'), 'common words go first');
    const used = /<h1 class="list-title">Results for “([^”]*)”/.exec(r.body)[1].split(' ');
    assert.equal(used.length, 8);
    assert.ok(used.includes('Caspian') && used.includes('azerbaijan'));
    assert.deepEqual([...used, ...left].sort(), [...words].sort());
    assert.match(resultTitles(r.body)[0].text, /Caspian/);
    // eight words or fewer: all searched, no note
    const few = await search(srv, 'the Caspian');
    assert.equal(h.findElement(few.body, 'p', (a) => a.id === 'search-left-out'), null);
    assert.match(few.body, /Results for “the Caspian”/);
  });

  await t.test('the ranking is bm25 with the column weights, as FTS5 computes it', h.sqliteOnly('FTS5\'s bm25; PostgreSQL ranks with ts_rank (test_search_pg.c)'), async () => {
    for (const q of ['pakistan', 'Baku pakistan', 'trade deal', 'energy']) {
      const match = q.split(' ').map((w) => `"${w}"`).join(' ');
      const want = sql(dir, `SELECT s.slug FROM story_fts JOIN stories s ON s.id = story_fts.rowid
        WHERE story_fts MATCH '${match}' ORDER BY rank, s.published_at DESC LIMIT 10;`).trim().split('\n');
      const got = resultTitles((await search(srv, q)).body).map((x) => x.url.split('/').pop());
      assert.deepEqual(got, want, q);
    }
  });

  await t.test('pagination of results keeps the query', async () => {
    const dir2 = h.makeSite({ conf: { search_rate_per_minute: 100000, cache_size: 0, per_page: 2 } });
    const srv2 = await h.startServer(dir2);
    try {
      const r = await search(srv2, 'pakistan');
      const n = resultCount(r.body);
      assert.ok(n > 2);
      assert.match(r.body, /href="\/search\?q=pakistan&amp;page=2"/);
      const p2 = await search(srv2, 'pakistan', '&page=2');
      assert.equal(p2.status, 200);
      const seen = new Set([...resultTitles(r.body), ...resultTitles(p2.body)].map((x) => x.url));
      assert.equal(seen.size, 4, 'page 2 holds other stories');
      assert.equal((await search(srv2, 'pakistan', '&page=99')).status, 404);
    } finally {
      await srv2.stop();
    }
  });

  // ------------------------------------------------------------------ feeds

  const FEEDS = [
    ['/feed', STORY_COUNT], ['/feed.atom', STORY_COUNT], ['/feed.json', STORY_COUNT],
    ['/section/world/feed', null], ['/section/world/feed.atom', null], ['/section/world/feed.json', null],
    ['/tag/pakistan/feed', null], ['/tag/pakistan/feed.atom', null], ['/tag/pakistan/feed.json', null],
    ['/author/amira-haddad/feed', null], ['/author/amira-haddad/feed.atom', null],
    ['/author/amira-haddad/feed.json', null],
    ['/search/feed?q=baku', null], ['/search/feed.atom?q=baku', null], ['/search/feed.json?q=baku', null],
    ['/comments/feed', null], ['/comments/feed.atom', null], ['/comments/feed.json', null],
    [h.SEED_PATH + '/comments/feed', null], [h.SEED_PATH + '/comments/feed.atom', null],
    [h.SEED_PATH + '/comments/feed.json', null],
  ];

  await t.test('RSS and Atom feeds parse with feedparser (bozo = 0)', async () => {
    const xmlFeeds = FEEDS.filter(([u]) => !/\.json/.test(u));
    const script = `
import feedparser, json, sys
out = {}
for u in sys.argv[2:]:
    d = feedparser.parse(sys.argv[1] + u)
    out[u] = {"bozo": int(bool(d.bozo)), "err": str(d.get("bozo_exception", "")), "n": len(d.entries),
              "version": d.version, "title": d.feed.get("title", ""),
              "first": d.entries[0].get("title", "") if d.entries else "",
              "content": bool(d.entries and d.entries[0].get("content")),
              "tags": [t.get("term") for t in (d.entries[0].get("tags") or [])] if d.entries else [],
              "author": d.entries[0].get("author", "") if d.entries else ""}
print(json.dumps(out))`;
    const r = spawnSync(PY, ['-c', script, srv.url, ...xmlFeeds.map(([u]) => u)], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const res = JSON.parse(r.stdout);
    for (const [u, want] of xmlFeeds) {
      const f = res[u];
      assert.equal(f.bozo, 0, `${u}: ${f.err}`);
      assert.ok(f.n > 0, `${u} has entries`);
      if (want !== null) assert.equal(f.n, want, u);
      assert.match(f.version, /^(rss20|atom10)$/, u);
    }
    assert.equal(res['/feed'].first, h.demoStories()[0].title, 'newest story first');
    assert.ok(res['/feed'].content, 'content:encoded carries the body');
    assert.ok(res['/feed'].tags.length >= 2, 'categories');
    assert.ok(res['/feed'].author, 'dc:creator');
    assert.match(res['/comments/feed'].first, /^Comment on /);
  });

  await t.test('JSON Feed 1.1 documents are complete', async () => {
    for (const [u, want] of FEEDS.filter(([x]) => /\.json/.test(x))) {
      const r = await h.get(srv.url, u);
      assert.equal(r.status, 200, u);
      assert.match(r.headers['content-type'], /^application\/feed\+json/);
      const f = JSON.parse(r.body);
      assert.equal(f.version, 'https://jsonfeed.org/version/1.1');
      assert.ok(f.title && f.home_page_url && f.feed_url.endsWith(u.replace(/\?.*/, '') + (u.includes('?') ? u.slice(u.indexOf('?')) : '')), u);
      assert.ok(Array.isArray(f.items) && f.items.length > 0, u);
      if (want !== null) assert.equal(f.items.length, want);
      for (const it of f.items) {
        assert.ok(it.id && it.url && (it.content_html || it.content_text), u);
        assert.ok(!Number.isNaN(Date.parse(it.date_published)));
      }
    }
  });

  await t.test('newsboat shows every RSS and Atom feed\'s entries', async () => {
    for (const [u] of FEEDS.filter(([x]) => !/\.json/.test(x))) {
      const home = h.tmpDir();
      fs.writeFileSync(path.join(home, 'urls'), srv.url + u + '\n');
      fs.writeFileSync(path.join(home, 'config'), '');
      const r = spawnSync('newsboat', ['-u', 'urls', '-c', 'cache.db', '-C', 'config', '-x', 'reload', 'print-unread'], {
        cwd: home, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 60000,
      });
      assert.equal(r.status, 0, r.stderr);
      const n = Number((/(\d+) unread articles/.exec(r.stdout) || [])[1]);
      assert.ok(n > 0, `${u}: newsboat saw ${r.stdout}`);
    }
  });

  await t.test('feeds: conditional GET, size, 404s, escaping', async () => {
    const r = await h.get(srv.url, '/feed');
    assert.ok(r.headers.etag && r.headers['last-modified']);
    const again = await h.get(srv.url, '/feed', { headers: { 'If-None-Match': r.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const changed = await h.get(srv.url, '/feed', { headers: { 'If-None-Match': '"nope"' } });
    assert.equal(changed.status, 200);
    for (const u of ['/feed.rss', '/section/world/feeds', '/section/nope/feed', '/tag/nope/feed.json',
      '/2024/07/05/nope/comments/feed', '/comments/feed.xml']) {
      assert.equal((await h.get(srv.url, u)).status, 404, u);
    }
    const dir3 = h.makeSite({ conf: { search_rate_per_minute: 100000, feed_items: 3, cache_size: 0 } });
    const srv3 = await h.startServer(dir3);
    try {
      assert.equal((await h.get(srv3.url, '/feed.json').then((x) => JSON.parse(x.body))).items.length, 3);
    } finally {
      await srv3.stop();
    }
    // a hostile search term stays text in every format
    const x = await h.get(srv.url, '/search/feed?q=' + encodeURIComponent('<b>&"baku'));
    assert.equal(x.status, 200);
    assert.ok(!x.body.includes('<b>&'), 'escaped in XML');
    const j = await h.get(srv.url, '/search/feed.json?q=' + encodeURIComponent('</script><b>baku'));
    assert.ok(!j.body.includes('</script>'));
    JSON.parse(j.body);
  });

  await t.test('pages link their feeds (autodiscovery)', async () => {
    const home = (await h.get(srv.url, '/')).body;
    for (const [type, href] of [['application/rss+xml', '/feed'], ['application/atom+xml', '/feed.atom'],
      ['application/feed+json', '/feed.json']]) {
      assert.ok(h.findTags(home, 'link').some((l) => l.attrs.rel === 'alternate' && l.attrs.type === type && l.attrs.href === href), href);
    }
    const sec = (await h.get(srv.url, '/section/world')).body;
    assert.ok(h.findTags(sec, 'link').some((l) => l.attrs.href === '/section/world/feed.atom'));
    const story = (await h.get(srv.url, h.SEED_PATH)).body;
    assert.ok(h.findTags(story, 'link').some((l) => l.attrs.href === h.SEED_PATH + '/comments/feed'));
  });

  // ---------------------------------------------------------------- sitemaps

  function xmllint(xsd, xml) {   // xsd: a schema's path (h.fixture)
    const f = path.join(h.tmpDir(), 'doc.xml');
    fs.writeFileSync(f, xml);
    return spawnSync('xmllint', ['--noout', '--schema', xsd, f], { encoding: 'utf8' });
  }

  await t.test('sitemap index, pages, news sitemap and robots.txt', async () => {
    const idx = await h.get(srv.url, '/sitemap.xml');
    assert.equal(idx.status, 200);
    assert.match(idx.headers['content-type'], /^application\/xml/);
    let v = xmllint(h.fixture('siteindex.xsd'), idx.body);
    assert.equal(v.status, 0, v.stderr);
    const locs = [...idx.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
    assert.deepEqual(locs, ['/sitemaps/stories-1.xml', '/sitemaps/sections-1.xml', '/sitemaps/tags-1.xml',
      '/sitemaps/authors-1.xml']);
    for (const p of locs) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 200, p);
      v = xmllint(h.fixture('sitemap.xsd'), r.body);
      assert.equal(v.status, 0, `${p}: ${v.stderr}`);
      assert.match(r.body, /<lastmod>\d{4}-\d\d-\d\dT/);
    }
    const stories = (await h.get(srv.url, '/sitemaps/stories-1.xml')).body;
    assert.equal((stories.match(/<url>/g) || []).length, STORY_COUNT);
    assert.ok(stories.includes(h.SEED_PATH + '</loc>'));
    assert.equal((await h.get(srv.url, '/sitemaps/stories-2.xml')).status, 404);
    assert.equal((await h.get(srv.url, '/sitemaps/stories-0.xml')).status, 404);
    assert.equal((await h.get(srv.url, '/sitemaps/bogus-1.xml')).status, 404);
    // the news sitemap: only the last 48 hours
    const now = Math.floor(Date.now() / 1000);
    sql(dir, `INSERT INTO stories(slug, title, excerpt, body_md, body_html, author_id, status, published_at,
      created_at, updated_at) VALUES('fresh-news', 'Fresh & <news>', '', 'x', '<p>x</p>', 1, 3, ${now - 3600},
      ${now}, ${now});`);
    const news = await h.get(srv.url, '/news-sitemap.xml');
    v = xmllint(h.fixture('sitemap.xsd'), news.body);
    assert.equal(v.status, 0, v.stderr);
    assert.equal((news.body.match(/<url>/g) || []).length, 1);
    assert.match(news.body, /<news:title>Fresh &amp; &lt;news&gt;<\/news:title>/);
    assert.match(news.body, /<news:name>The Gazette<\/news:name><news:language>en<\/news:language>/);
    sql(dir, "DELETE FROM stories WHERE slug = 'fresh-news';");
    const robots = await h.get(srv.url, '/robots.txt');
    assert.equal(robots.status, 200);
    assert.match(robots.body, /^User-agent: \*$/m);
    assert.match(robots.body, /^Sitemap: http:\/\/127\.0\.0\.1:8080\/sitemap\.xml$/m);
    assert.match(robots.body, /^Sitemap: http:\/\/127\.0\.0\.1:8080\/news-sitemap\.xml$/m);
    assert.match(robots.body, /^User-agent: ExampleBot\nDisallow: \/$/m, 'robots_extra lines');
  });

  await t.test('sitemaps page at 2,000 URLs and stay valid', h.sqliteOnly('bench/gen_stories.c writes its stories into gazette.db'), async () => {
    const gen = path.join(h.tmpDir(), 'gen_stories');
    execFileSync('cc', ['-O1', '-o', gen, path.join(h.ROOT, 'bench', 'gen_stories.c'), '-lsqlite3', '-lm']);
    const dir4 = h.makeSite({ conf: { search_rate_per_minute: 100000, cache_size: 0 } });
    execFileSync(gen, [path.join(dir4, 'gazette.db'), '4300', '7'], { stdio: 'ignore', timeout: 120000 });
    const published = Number(sql(dir4, 'SELECT count(*) FROM stories WHERE status = 3;').trim());
    const srv4 = await h.startServer(dir4);
    try {
      const idx = (await h.get(srv4.url, '/sitemap.xml')).body;
      assert.equal(xmllint(h.fixture('siteindex.xsd'), idx).status, 0);
      const pages = [...idx.matchAll(/\/sitemaps\/(stories-\d+)\.xml/g)].map((m) => m[1]);
      assert.deepEqual(pages, ['stories-1', 'stories-2', 'stories-3']);
      let total = 0;
      for (const p of pages) {
        const r = await h.get(srv4.url, `/sitemaps/${p}.xml`);
        assert.equal(xmllint(h.fixture('sitemap.xsd'), r.body).status, 0, p);
        const n = (r.body.match(/<url>/g) || []).length;
        assert.ok(n <= 2000, `${p} has ${n} URLs`);
        total += n;
      }
      assert.equal(total, published);
      // and search still answers on the bigger site; past 2,000 matches
      // (the ones ranked) the count says so rather than walk them all
      const s = await search(srv4, 'government energy');
      assert.equal(s.status, 200);
      assert.ok(resultCount(s.body) > 0);
      const many = await search(srv4, 'the');
      assert.match(many.body, /class="search-count"[^>]*>more than 2,000 results</);
      assert.match(many.body, /Page 1 of 200</, 'the 2,000 ranked are paged through');
    } finally {
      await srv4.stop();
    }
  });

  // Issue 12: a page is a fixed range of story ids, read from a table the
  // database keeps, so nothing shifts when an older story is published and
  // no request walks the site to find where a page starts.
  await t.test('sitemap pages never shift, follow their stories and are never empty', h.sqliteOnly('bench/gen_stories.c writes its stories into gazette.db'), async () => {
    const gen = path.join(h.tmpDir(), 'gen_stories');
    execFileSync('cc', ['-O1', '-o', gen, path.join(h.ROOT, 'bench', 'gen_stories.c'), '-lsqlite3', '-lm']);
    const d = h.makeSite({ conf: { search_rate_per_minute: 100000, cache_size: 0 } });
    execFileSync(gen, [path.join(d, 'gazette.db'), '4300', '11'], { stdio: 'ignore', timeout: 120000 });
    const s5 = await h.startServer(d);
    const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const locsOf = (xml) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
    const page = async (name) => {
      const r = await h.get(s5.url, `/sitemaps/${name}.xml`);
      assert.equal(r.status, 200, name);
      assert.equal(xmllint(h.fixture('sitemap.xsd'), r.body).status, 0, `${name} is valid`);
      return r.body;
    };
    const index = async () => {   // name -> lastmod ('' when none)
      const xml = (await h.get(s5.url, '/sitemap.xml')).body;
      assert.equal(xmllint(h.fixture('siteindex.xsd'), xml).status, 0, 'the index is valid');
      const out = {};
      for (const m of xml.matchAll(/<sitemap><loc>[^<]*\/sitemaps\/([a-z]+-\d+)\.xml<\/loc>(?:<lastmod>([^<]+)<\/lastmod>)?<\/sitemap>/g)) out[m[1]] = m[2] || '';
      return out;
    };
    try {
      const before = await index();
      const first = locsOf(await page('stories-1'));
      // an old story published now (a draft of page 3, dated 2001): no page shifts
      const [id, slug] = sql(d, 'SELECT id, slug FROM stories WHERE status = 0 AND id > 4000 LIMIT 1;').trim().split('|');
      sql(d, `UPDATE stories SET status = 3, published_at = 1000000000, updated_at = 2000000000 WHERE id = ${id};`);
      assert.deepEqual(locsOf(await page('stories-1')), first, 'stories-1 holds the same URLs');
      assert.ok(locsOf(await page('stories-3')).includes(`/2001/09/09/${slug}`), 'the story is on the page of its id');
      let idx = await index();
      assert.equal(idx['stories-3'], iso(2000000000), 'its page changed then');
      assert.equal(idx['stories-1'], before['stories-1'], 'stories-1 did not change');
      // a story of page 2 edited: that entry's lastmod follows, no other
      const id2 = sql(d, 'SELECT min(id) FROM stories WHERE status = 3 AND id > 2000;').trim();
      sql(d, `UPDATE stories SET updated_at = 2100000000 WHERE id = ${id2};`);
      idx = await index();
      assert.equal(idx['stories-2'], iso(2100000000));
      assert.equal(idx['stories-1'], before['stories-1']);
      assert.match(await page('stories-2'), new RegExp(`<lastmod>${iso(2100000000)}</lastmod>`));
      // a tag's URL and page carry the newest change of the tag's stories
      const tag = sql(d, `SELECT t.id, t.slug FROM story_tags x JOIN tags t ON t.id = x.tag_id
        WHERE x.status = 3 ORDER BY x.story_id LIMIT 1;`).trim().split('|');
      sql(d, `UPDATE stories SET updated_at = 2200000000 WHERE id = (SELECT min(story_id) FROM story_tags
        WHERE tag_id = ${tag[0]} AND status = 3);`);
      const tagPage = `tags-${Math.floor((Number(tag[0]) - 1) / 2000) + 1}`;
      assert.match(await page(tagPage), new RegExp(`/tag/${tag[1]}</loc><lastmod>${iso(2200000000)}</lastmod>`));
      assert.equal((await index())[tagPage], iso(2200000000));
      // every story of page 2 unpublished: the page leaves the index, never an empty <urlset>
      sql(d, 'UPDATE stories SET status = 0 WHERE id BETWEEN 2001 AND 4000;');
      idx = await index();
      assert.deepEqual(Object.keys(idx).filter((k) => k.startsWith('stories')), ['stories-1', 'stories-3']);
      assert.equal((await h.get(s5.url, '/sitemaps/stories-2.xml')).status, 404);
      // nothing published: sections-1 (the home page) alone, still valid
      sql(d, 'UPDATE stories SET status = 0;');
      assert.deepEqual(Object.keys(await index()), ['sections-1']);
      assert.deepEqual(locsOf(await page('sections-1')), ['/']);
      for (const k of ['stories-1', 'tags-1', 'authors-1']) assert.equal((await h.get(s5.url, `/sitemaps/${k}.xml`)).status, 404, k);
    } finally {
      await s5.stop();
    }
  });

  // ---------------------------------------------------------------- metadata

  await t.test('story metadata: canonical, OpenGraph, Twitter, JSON-LD', async () => {
    const r = await h.get(srv.url, h.SEED_PATH + '?utm_source=news&utm_medium=social&fbclid=abc');
    assert.equal(r.status, 200);
    const metas = h.findTags(r.body, 'meta');
    const prop = (p) => metas.filter((m) => m.attrs.property === p).map((m) => m.attrs.content);
    const name = (p) => metas.filter((m) => m.attrs.name === p).map((m) => m.attrs.content);
    const canonical = h.findTags(r.body, 'link').find((l) => l.attrs.rel === 'canonical').attrs.href;
    assert.equal(canonical, 'http://127.0.0.1:8080' + h.SEED_PATH, 'tracking parameters never reach the canonical URL');
    assert.deepEqual(prop('og:type'), ['article']);
    assert.deepEqual(prop('og:title'), [h.SEED_TITLE]);
    assert.deepEqual(prop('og:url'), [canonical]);
    assert.deepEqual(prop('og:site_name'), ['The Gazette']);
    assert.equal(prop('og:image').length, 1);
    assert.deepEqual(prop('article:published_time'), ['2024-07-05T09:30:00Z']);
    assert.equal(prop('article:modified_time').length, 1);
    assert.deepEqual(prop('article:section'), ['World']);
    assert.deepEqual(prop('article:tag'), ['Pakistan', 'Azerbaijan', 'Diplomacy']);
    assert.equal(prop('og:description')[0], h.demoStories().find((s) => s.slug === h.SEED_SLUG).excerpt);
    assert.deepEqual(name('twitter:card'), ['summary']);
    assert.deepEqual(name('twitter:title'), [h.SEED_TITLE]);
    assert.match(r.body, /<html lang="en" dir="ltr">/);
    assert.match(r.body, /<link rel="icon" href="\/static\/favicon\.svg"/);
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(r.body);
    assert.ok(ld, 'JSON-LD block');
    const g = JSON.parse(ld[1])['@graph'];
    const art = g.find((x) => x['@type'] === 'NewsArticle');
    assert.equal(art.headline, h.SEED_TITLE);
    assert.equal(art.datePublished, '2024-07-05T09:30:00Z');
    assert.ok(art.dateModified && art.image.length && art.author[0].name === 'Amira Haddad');
    assert.equal(art.publisher.name, 'The Gazette');
    assert.ok(art.publisher.logo.url);
    assert.equal(art.mainEntityOfPage['@id'], canonical);
    const bc = g.find((x) => x['@type'] === 'BreadcrumbList');
    assert.deepEqual(bc.itemListElement.map((x) => x.name), ['The Gazette', 'World', h.SEED_TITLE]);
  });

  await t.test('text direction follows the language', async () => {
    const d = h.makeSite({ conf: { search_rate_per_minute: 100000, lang: 'ur', cache_size: 0 } });
    const s = await h.startServer(d);
    try {
      assert.match((await h.get(s.url, '/')).body, /<html lang="ur" dir="rtl">/);
    } finally {
      await s.stop();
    }
  });

  await t.test('JSON-LD escapes what could close the script', async () => {
    insertStory(dir, { slug: 'ld-escape', title: '</script><script>alert(1)</script> & "q"', body: 'x' });
    const r = await h.get(srv.url, '/2024/07/03/ld-escape');
    assert.equal(r.status, 200);
    assert.deepEqual(h.liveXss(r.body), []);
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(r.body)[1];
    assert.ok(!ld.includes('<') && !ld.includes('>'));
    assert.equal(JSON.parse(ld)['@graph'][0].headline, '</script><script>alert(1)</script> & "q"');
    sql(dir, "DELETE FROM stories WHERE slug = 'ld-escape';");
  });

  await t.test('every page has a unique title, a description and a canonical URL', async () => {
    const paths = [...new Set(['/', '/?page=2', '/section/world', '/tag/pakistan', '/author/amira-haddad',
      h.SEED_PATH, ...h.demoStories().slice(0, 5).map((s) => s.url)])];
    const titles = new Map();
    for (const p of paths) {
      const r = await h.get(srv.url, p);
      if (r.status === 404) continue; // a site with one page of stories
      const title = /<title>([^<]*)<\/title>/.exec(r.body)[1];
      assert.ok(!titles.has(title), `${p} repeats the title of ${titles.get(title)}`);
      titles.set(title, p);
      assert.ok(h.findTags(r.body, 'meta').some((m) => m.attrs.name === 'description' && m.attrs.content), p);
      const can = h.findTags(r.body, 'link').find((l) => l.attrs.rel === 'canonical');
      assert.ok(can && can.attrs.href.startsWith('http://127.0.0.1:8080/'), p);
    }
  });

  await t.test('home, story, section, search and 404 pages validate with the Nu HTML Checker', async () => {
    const vnu = path.join(h.ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    assert.ok(fs.existsSync(vnu), 'npm ci installs vnu-jar');
    const tmp = h.tmpDir();
    const pages = { home: '/', story: h.SEED_PATH, section: '/section/world', tag: '/tag/pakistan',
      search: '/search?q=baku+pakistan', 'search-none': '/search?q=zzqqxx', 'search-empty': '/search',
      notfound: '/no/such/page' };
    const files = [];
    for (const [n, p] of Object.entries(pages)) {
      const f = path.join(tmp, n + '.html');
      fs.writeFileSync(f, (await h.get(srv.url, p)).body);
      files.push(f);
    }
    const r = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, `vnu found errors:\n${r.stderr}${r.stdout}`);
    assert.equal(r.stderr.trim(), '');
  });
});
