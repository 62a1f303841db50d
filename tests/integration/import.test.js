'use strict';
// WordPress import and export (issue 4): the WXR fixture (tests/fixtures) imports with the exact
// counts, threads, statuses and authors; the seed story and its comments show on its page;
// every old permalink answers 301; a second import changes nothing; broken and hostile
// files are refused with nothing written; no script reaches a page; export -> import
// round-trips.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const h = require('./helpers');
const w = require('./import-helpers');

const FIXTURE = h.fixture('wordpress-export.xml');
const fixture = fs.readFileSync(FIXTURE, 'utf8');
const items = w.parseItems(fixture);

after(() => h.cleanupSites());

function importFile(dir, file, extra = []) {
  return h.gzRun(['import', 'wordpress', file, '--site', dir, ...extra], { timeout: 120000 });
}

function reportCount(report, label) {
  const m = new RegExp(`^\\s*${label}: (\\d+)`, 'm').exec(report);
  assert.ok(m, `report has "${label}":\n${report}`);
  return Number(m[1]);
}

describe('gazette import wordpress: the WXR fixture', () => {
  let dir, srv, report;
  before(async () => {
    dir = h.makeSite({ demo: false });
    const r = importFile(dir, FIXTURE);
    assert.equal(r.status, 0, `import failed: ${r.stderr}`);
    report = r.stdout;
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the fixture is what the issue describes: 33 items, 50 comments', () => {
    assert.equal(items.length, 33);
    assert.equal(items.reduce((n, it) => n + it.comments.length, 0), 50);
  });

  test('report counts match the file exactly', () => {
    const posts = items.filter((i) => i.type === 'post');
    const pages = items.filter((i) => i.type === 'page');
    assert.equal(reportCount(report, 'posts'), posts.length);
    assert.equal(reportCount(report, 'pages'), pages.length);
    assert.equal(reportCount(report, 'comments'), 50);
    assert.equal(reportCount(report, 'users'), (fixture.match(/<wp:author>/g) || []).length);
    assert.equal(reportCount(report, 'tags'), (fixture.match(/<wp:tag>/g) || []).length);
    const cats = (fixture.match(/<wp:category_nicename><!\[CDATA\[([^\]]*)/g) || [])
      .filter((c) => !c.endsWith('uncategorized'));
    assert.equal(reportCount(report, 'sections'), cats.length);
    assert.match(report, /posts: \d+ \(published: 31\)/);
    assert.match(report, /pages: 2 \(published: 1, draft: 1\)/);
  });

  test('statuses, authors and counts in the database', () => {
    const q = (sql) => h.sql(dir, sql);
    // pages are static pages (issue 15), not stories
    assert.equal(q('SELECT count(*) FROM stories'), '31');
    assert.equal(q('SELECT count(*) FROM stories WHERE status = 3'), '31');
    assert.equal(q('SELECT count(*) FROM pages'), '2');
    assert.equal(q("SELECT status FROM pages WHERE slug = 'privacy-policy'"), '0');
    assert.equal(q('SELECT count(*) FROM comments WHERE status = 1'), '50');
    assert.equal(q("SELECT name || '|' || CASE WHEN pass_hash IS NULL THEN 1 ELSE 0 END FROM users"), 'Gazette Desk|1');
  });

  test('the seed story: body, date, byline, section, tags and all 50 comments threaded', async () => {
    const r = await h.get(srv.url, h.SEED_PATH);
    assert.equal(r.status, 200);
    const text = h.textOf(r.body);
    const seed = items.find((i) => i.slug === h.SEED_SLUG);
    for (const p of w.paragraphs(seed.content)) assert.ok(text.includes(p), `paragraph on page: ${p.slice(0, 60)}`);
    assert.ok(text.includes('Gazette Desk'), 'byline');
    assert.ok(r.body.includes('href="/section/world"'), 'section link');
    for (const t of ['azerbaijan', 'diplomacy', 'pakistan']) assert.ok(r.body.includes(`href="/tag/${t}"`), `tag ${t}`);
    const tree = h.commentTree(r.body);
    const nodes = Object.values(tree.byId);
    assert.equal(nodes.length, 50, 'all 50 comments shown');
    assert.equal(tree.roots.length, seed.comments.filter((c) => c.parent === '0').length, 'top-level count');
    // each reply sits under the comment it answered (matched by text)
    const byWpId = Object.fromEntries(seed.comments.map((c) => [c.id, c]));
    const nodeText = (n) => h.textOf(h.findElement(tree.section, 'li', (a) => a.id === `comment-${n.id}`));
    for (const n of nodes) {
      const own = nodeText(n);
      const c = seed.comments.find((x) => own.includes(w.norm(x.content)) && own.includes(x.author));
      assert.ok(c, `comment ${n.id} matches one in the file`);
      if (c.parent === '0') assert.equal(n.parentId, null, `comment ${c.id} is top-level`);
      else {
        const parent = tree.byId[n.parentId];
        assert.ok(parent, `reply ${c.id} has a parent on the page`);
        assert.ok(nodeText(parent).includes(w.norm(byWpId[c.parent].content)), `reply ${c.id} under ${c.parent}`);
      }
    }
  });

  test('every old permalink answers 301 to a page that exists', async () => {
    const base = fixture.match(/<wp:base_site_url>([^<]*)</)[1];
    const olds = [];
    for (const it of items.filter((i) => i.status === 'publish')) {
      olds.push(it.link.slice(base.length));
      olds.push(it.type === 'page' ? `/?page_id=${it.id}` : `/?p=${it.id}`);
      if (it.guid.startsWith(base) && it.guid.includes('?')) olds.push(it.guid.slice(base.length));
      if (it.type === 'post') {
        const d = it.date.slice(0, 10).split('-');
        olds.push(`/${d[0]}/${d[1]}/${it.slug}/`, `/${it.slug}/`, `${it.link.slice(base.length)}feed/`);
      }
    }
    for (const m of fixture.matchAll(/<wp:category_nicename><!\[CDATA\[([^\]]*)\]\]>/g)) olds.push(`/category/${m[1]}/`);
    olds.push('/author/admin/', '/?author=1', '/comments/feed/', '/?cat=2');
    const seen = new Set();
    for (const old of olds) {
      if (seen.has(old)) continue;
      seen.add(old);
      const r = await h.get(srv.url, old);
      if (r.status === 200 && !old.includes('?')) continue; // same path in Gazette (e.g. /tag/x/)
      assert.equal(r.status, 301, `${old} answers 301 (got ${r.status})`);
      const to = h.splitLocation(r.headers.location).path;
      const r2 = await h.get(srv.url, to);
      assert.equal(r2.status, 200, `${old} -> ${to} answers 200 (got ${r2.status})`);
    }
    assert.ok(seen.size > 100, `checked ${seen.size} old addresses`);
  });

  test('the fixture\'s pages are static pages: at their old address, not in lists or feeds', async () => {
    const r = await h.get(srv.url, '/about-us');
    assert.equal(r.status, 200);
    assert.match(r.body, /<title>About Us\b/);
    const page = items.find((i) => i.slug === 'about-us');
    assert.equal((await h.get(srv.url, `/?page_id=${page.id}`)).headers.location, '/about-us');
    for (const u of ['/', '/feed']) assert.ok(!(await h.get(srv.url, u)).body.includes('About Us'), `${u} lists no page`);
  });

  test('a post filed in two categories is listed in both sections, its address and breadcrumb its first\'s', async () => {
    const it = items.find((i) => i.slug === 'caspian-gas-pipeline-expansion-moves-forward');
    assert.ok(/nicename="business"[\s\S]*nicename="world"/.test(fixture.slice(fixture.indexOf(it.link))), 'the fixture files it twice');
    const d = it.date.slice(0, 10).split('-');
    const url = `/${d[0]}/${d[1]}/${d[2]}/${it.slug}`;
    const story = await h.get(srv.url, url);
    assert.equal(story.status, 200);
    assert.ok(story.body.includes('href="/section/business"'), 'breadcrumb: Business');
    for (const sec of ['/section/business', '/section/world']) {
      const r = await h.get(srv.url, sec);
      assert.ok(r.body.includes(`href="${url}"`), `listed in ${sec}`);
    }
    assert.match(report, /posts listed in more than one section: 1/);
  });

  test('importing the same file again changes nothing', () => {
    const snap = () => h.sql(dir,
      "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM comments), (SELECT count(*) FROM users)," +
      " (SELECT count(*) FROM redirects), (SELECT COALESCE(max(seq), 0) FROM changes)," +
      " (SELECT sum(version) FROM stories)");
    const before = snap();
    const r = importFile(dir, FIXTURE);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /already imported: 33 unchanged, 0 updated/);
    assert.equal(reportCount(r.stdout, 'posts'), 0);
    assert.equal(reportCount(r.stdout, 'comments'), 0);
    assert.equal(reportCount(r.stdout, 'redirects'), 0);
    assert.equal(snap(), before, 'database unchanged, not even the change log');
  });
});

describe('gazette import wordpress: refused files leave the site as it was', () => {
  const cases = {
    truncated: () => fixture.slice(0, Math.floor(fixture.length * 0.6)),
    xxe: () => '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' +
      w.wrap('<item><title>&xxe;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>' +
        '<wp:status>publish</wp:status></item>'),
    'billion laughs': () => '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
      ']>\n' + w.wrap('<item><title>&lol9;</title><wp:post_id>1</wp:post_id></item>'),
    'not WXR': () => '<?xml version="1.0"?><html><body>hello</body></html>',
    'item without post id': () => w.wrap('<item><title>x</title><wp:post_type>post</wp:post_type></item>'),
  };
  for (const [name, make] of Object.entries(cases)) {
    test(name, () => {
      const dir = h.makeSite({ demo: true });
      const file = path.join(h.tmpDir(), 'bad.xml');
      fs.writeFileSync(file, make());
      const sum = () => h.sql(dir, 'SELECT (SELECT count(*) FROM stories),' +
        ' (SELECT count(*) FROM comments), (SELECT count(*) FROM users), (SELECT count(*) FROM redirects),' +
        ' (SELECT count(*) FROM import_map), (SELECT COALESCE(max(seq),0) FROM changes)');
      const before = sum();
      const t0 = Date.now();
      const r = importFile(dir, file);
      assert.equal(r.status, 1, `refused (exit ${r.status}): ${r.stdout}`);
      assert.ok(Date.now() - t0 < 10000, 'refused quickly');
      assert.match(r.stderr, /nothing was changed/);
      if (name === 'truncated') assert.match(r.stderr, /bad\.xml:\d+:\d+: /, 'line and column');
      assert.ok(!/root:/.test(r.stdout + r.stderr), 'no file content leaked');
      assert.equal(sum(), before, 'database unchanged');
      assert.deepEqual(fs.readdirSync(path.join(dir, 'media')), [], 'media untouched');
    });
  }

  test('--dry-run prints the report and writes nothing', () => {
    const dir = h.makeSite({ demo: false });
    const r = importFile(dir, FIXTURE, ['--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /dry run, nothing was written/);
    assert.equal(reportCount(r.stdout, 'comments'), 50);
    const n = h.sql(dir, 'SELECT count(*) FROM stories');
    assert.equal(n.trim(), '0');
  });

  test('SIGINT during a large import rolls everything back', async () => {
    const dir = h.makeSite({ demo: false });
    const file = path.join(h.tmpDir(), 'big.xml');
    fs.writeFileSync(file, w.generate(4000, 5));
    const proc = spawn(h.GAZETTE, ['import', 'wordpress', file, '--site', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    // wait until the second pass is writing, then interrupt
    await new Promise((res) => {
      const t = setInterval(() => { if (/import: [1-9]\d*\//.test(err) || Date.now() - start > 3000) { clearInterval(t); res(); } }, 5);
      const start = Date.now();
    });
    proc.kill('SIGINT');
    const code = await new Promise((res) => proc.on('exit', (c) => res(c)));
    const n = h.sql(dir, 'SELECT (SELECT count(*) FROM stories) + (SELECT count(*) FROM users) + (SELECT count(*) FROM redirects)');
    if (code === 0) {
      assert.equal(n !== '0', true, 'finished before the signal: then it all went in');
    } else {
      assert.equal(code, 1);
      assert.match(err, /interrupted|nothing was changed/);
      assert.equal(n, '0', 'nothing written');
    }
  });
});

describe('gazette import wordpress: real-world content', () => {
  let dir, srv, report, commentStatuses;
  before(async () => {
    dir = h.makeSite({ demo: false });
    const file = path.join(h.tmpDir(), 'edge.xml');
    fs.writeFileSync(file, w.edgeCases());
    const r = importFile(dir, file);
    assert.equal(r.status, 0, r.stderr);
    report = r.stdout;
    commentStatuses = h.sqlRows(dir, 'SELECT status FROM comments ORDER BY status').map((c) => c.status).join(',');
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('no script from a post body or a comment reaches a page', async () => {
    for (const p of ['/2024/03/01/hostile-post', '/', '/section/news']) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 200, p);
      assert.deepEqual(h.liveXss(r.body), [], `no live payload on ${p}`);
      assert.ok(!/javascript:/i.test(r.body), `no javascript: URL on ${p}`);
      assert.ok(!/<iframe[^>]+evil/i.test(r.body), 'no foreign iframe');
      assert.ok(!/\son\w+=/i.test(h.findElement(r.body, 'article', () => true) || ''), 'no event handler in the article');
    }
    const r = await h.get(srv.url, '/2024/03/01/hostile-post');
    assert.ok(h.textOf(r.body).includes('Kept paragraph'), 'the harmless text stays');
    assert.ok(h.textOf(r.body).includes('A comment with a script'), 'the comment text stays');
  });

  test('classic content gets WordPress paragraphs; shortcodes become HTML', async () => {
    const r = await h.get(srv.url, '/2024/03/02/classic-post');
    assert.equal(r.status, 200);
    assert.match(r.body, /<p>First paragraph<br>\s*same paragraph\.<\/p>\s*<p>Second paragraph\.<\/p>/);
    assert.match(r.body, /<figure class="wp-caption aligncenter">\s*<img src="https:\/\/old\.example\/wp-content\/uploads\/2024\/03\/a\.jpg"[^>]*>\s*<figcaption class="wp-caption-text">A caption<\/figcaption>\s*<\/figure>/);
    assert.match(r.body, /<figure class="gallery">\s*<figure class="gallery-item">\s*<img src="https:\/\/old\.example\/wp-content\/uploads\/2024\/03\/a\.jpg" alt="Alt A">\s*<figcaption>Caption A<\/figcaption>\s*<\/figure>/);
    assert.match(r.body, /<figure class="embed embed-youtube embed-r16x9"[^>]* data-embed-src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ"/);
    assert.doesNotMatch(r.body, /<iframe/);
    // audio on another host: a link (players play only the site's own /media/ files)
    assert.match(r.body, /<p>\s*<a href="https:\/\/old\.example\/a\.mp3">https:\/\/old\.example\/a\.mp3<\/a><\/p>/);
    assert.doesNotMatch(r.body, /<audio/);
    assert.match(report, /^  audio: 0 \/ 0 \/ 1$/m);
    assert.ok(h.textOf(r.body).includes('[unknown_code x=1]'), 'unknown shortcode kept as text');
    assert.match(report, /unknown shortcodes kept as text \(unknown_code: 1\)/);
  });

  test('statuses, trash, private, password, pingbacks, spam and nested categories', () => {
    const q = (sql) => h.sql(dir, sql);
    assert.equal(q("SELECT status FROM stories WHERE slug = 'private-post'"), '0');
    assert.equal(q("SELECT status FROM stories WHERE slug = 'locked-post'"), '0');
    assert.equal(q("SELECT status FROM stories WHERE slug = 'future-post'"), '2');
    assert.equal(q("SELECT status FROM stories WHERE slug = 'pending-post'"), '1');
    assert.equal(q("SELECT count(*) FROM stories WHERE slug = 'trashed-post'"), '0');
    assert.equal(commentStatuses, '0,1,1,2,3', 'pending, 2 approved, spam, trash (pingback skipped)');
    assert.match(report, /comments: 5 \(approved: 2, pending: 1, spam: 1, trash: 1\)/);
    assert.match(report, /trash: 1/);
    assert.match(report, /pingbacks and trackbacks: 1/);
    assert.match(report, /password-protected posts imported as drafts: 1/);
    assert.match(report, /private posts imported as drafts: 1/);
    assert.match(report, /sticky posts .*: 1/);
    assert.match(report, /other post types: 1 \(nav_menu_item: 1\)/);
    assert.match(report, /custom taxonomy terms kept as tags: 1/);
    assert.equal(q("SELECT new_path FROM redirects WHERE old_path = '/category/news/local/'"), '/section/news/local');
    assert.equal(q("SELECT count(*) FROM tags WHERE slug = 'thriller'"), '1');
  });

  test('--update re-imports a changed post; without it the change is reported and kept out', async () => {
    const file = path.join(h.tmpDir(), 'edge2.xml');
    fs.writeFileSync(file, w.edgeCases().replace('<title>Classic post</title>', '<title>Classic post, revised</title>'));
    let r = importFile(dir, file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 changed but kept \(use --update\)/);
    r = importFile(dir, file, ['--update']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 updated/);
    const page = await h.get(srv.url, '/2024/03/02/classic-post');
    assert.ok(h.textOf(page.body).includes('Classic post, revised'));
  });

  test('--uploads takes media into the library and rewrites the URLs; nothing is copied as it came', async () => {
    const site = h.makeSite({ demo: false });
    const up = h.tmpDir();
    fs.mkdirSync(path.join(up, '2024', '03'), { recursive: true });
    fs.writeFileSync(path.join(up, '2024', '03', 'a.jpg'), 'JPEGDATA'); // not a picture
    // an MP3 of two silent MPEG-1 Layer III frames (since issue 14, checked by its content)
    const mp3 = Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1'),
      ...[0, 1].map(() => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(413)]))]);
    fs.writeFileSync(path.join(up, '2024', '03', 'a.mp3'), mp3);
    const file = path.join(h.tmpDir(), 'edge.xml');
    fs.writeFileSync(file, w.edgeCases().replace('src="https://old.example/a.mp3"]',
      'src="https://old.example/wp-content/uploads/2024/03/a.mp3"]'));
    const r = importFile(site, file, ['--uploads', up]);
    assert.equal(r.status, 0, r.stderr);
    const mp3Hash = h.sql(site, "SELECT hash FROM media WHERE name = 'a.mp3'");
    assert.match(mp3Hash, /^[0-9a-f]{16}$/, 'the MP3 is in the library');
    assert.deepEqual(fs.readFileSync(path.join(site, 'media', `${mp3Hash}.mp3`)), mp3, 'kept as it came, once');
    assert.ok(!fs.existsSync(path.join(site, 'media', '2024', '03', 'a.mp3')), 'not copied besides');
    assert.ok(!fs.existsSync(path.join(site, 'media', '2024', '03', 'a.jpg')), 'the refused picture is not served');
    assert.match(r.stdout, /2024\/03\/a\.jpg: not taken into the library: /);
    assert.deepEqual(fs.readdirSync(path.join(site, 'media')).filter((f) => f.startsWith('.')), [], 'no staging left');
    const body = h.sql(site, "SELECT body_html FROM stories WHERE slug = 'classic-post'");
    assert.ok(body.includes(`<audio controls="" preload="none" src="/media/${mp3Hash}.mp3">`), body);
    assert.ok(body.includes('https://old.example/wp-content/uploads/2024/03/a.jpg'), 'its URL kept');
  });
});

describe('gazette export', () => {
  test('wordpress export re-imports to the same content (round trip)', () => {
    const a = h.makeSite({ demo: false });
    assert.equal(importFile(a, FIXTURE).status, 0);
    const edge = path.join(h.tmpDir(), 'edge.xml');
    fs.writeFileSync(edge, w.edgeCases());
    assert.equal(importFile(a, edge).status, 0);
    const xml = h.gz(['export', 'wordpress', '--site', a], { maxBuffer: 1 << 28 });
    assert.match(xml, /<wp:wxr_version>1\.2<\/wp:wxr_version>/);
    const file = path.join(h.tmpDir(), 'export.xml');
    fs.writeFileSync(file, xml);
    execFileSync('xmllint', ['--noout', file]);
    // a post filed in two categories goes back out filed in both
    const item = xml.slice(xml.indexOf('<wp:post_name><![CDATA[caspian-gas-pipeline-expansion-moves-forward]]>'));
    const cats = [...item.slice(0, item.indexOf('</item>')).matchAll(/<category domain="category" nicename="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(cats.sort(), ['business', 'world']);
    const b = h.makeSite({ demo: false });
    const r = importFile(b, file);
    assert.equal(r.status, 0, r.stderr);
    const A = w.canonical(JSON.parse(h.gz(['export', 'json', '--site', a], { maxBuffer: 1 << 28 })));
    const B = w.canonical(JSON.parse(h.gz(['export', 'json', '--site', b], { maxBuffer: 1 << 28 })));
    assert.equal(Object.keys(A).length, 37); // the fixture's 2 pages are static pages
    assert.deepEqual(B, A);
  });

  test('json export: documented shape, no password hashes', () => {
    const a = h.makeSite({ demo: true });
    const j = JSON.parse(h.gz(['export', 'json', '--site', a], { maxBuffer: 1 << 28 }));
    assert.equal(j.format, 'gazette-export');
    for (const k of ['site', 'users', 'sections', 'tags', 'stories', 'redirects']) assert.ok(k in j, k);
    assert.ok(j.stories.length > 0 && j.stories[0].body_html && Array.isArray(j.stories[0].comments));
    const s = JSON.stringify(j);
    assert.ok(!/pass_hash|\$argon2/.test(s), 'no password hashes');
  });
});
