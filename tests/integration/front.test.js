'use strict';
// The edited front page (issue 15): editors pin a lead and up to 8 featured
// stories (in order, each with an optional expiry), set a breaking-news
// banner and section blocks at /admin/front; the home page shows them
// before "Latest", drops what expires on its own, and follows every change
// (pin, unpin, banner, blocks, an edit to a pinned story) at once although
// it was cached before. Authors and contributors cannot edit it.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

after(() => h.cleanupSites());

// Titles of the summaries in an HTML fragment, in order.
function titles(html) {
  return [...html.matchAll(/<h2 class="summary-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => h.htmlUnescape(m[1]));
}

// The home page's parts: {banner, top (lead first, then featured), blocks, latest}.
function front(html) {
  const cut = (from, ...to) => {
    const i = html.indexOf(from);
    if (i < 0) return null;
    let j = html.length;
    for (const t of to) { const k = html.indexOf(t, i + from.length); if (k >= 0 && k < j) j = k; }
    return html.slice(i, j);
  };
  const banner = /<aside class="breaking"[^>]*><p><strong class="breaking-label">Breaking<\/strong> <a href="([^"]*)">([^<]*)<\/a>/.exec(html);
  const top = cut('<div class="story-grid front-top">', '<section class="front-block"', '<h2 class="front-latest-title"', '<div class="story-list front-latest">');
  const latest = cut('<div class="story-list front-latest">', '</main>');
  const blocks = [...html.matchAll(/<section class="front-block"[^>]*>\s*<h2 class="front-block-title" id="[^"]*"><a href="([^"]*)">([^<]*)<\/a><\/h2>([\s\S]*?)<\/section>/g)]
    .map((m) => ({ url: m[1], name: m[2], titles: titles(m[3]) }));
  return {
    banner: banner ? { url: h.htmlUnescape(banner[1]), text: h.htmlUnescape(banner[2]) } : null,
    top: top ? titles(top) : null,
    blocks,
    latest: latest ? titles(latest) : titles(html),
  };
}

// "YYYY-MM-DDTHH:MM:SS" in UTC, s seconds from now (the admin's datetime field).
function utcIn(s) {
  return new Date(Date.now() + s * 1000).toISOString().slice(0, 19);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('the edited front page', () => {
  let dir; let srv; let ed; let au;
  const home = async () => front((await h.get(srv.url, '/')).body);
  // the home page, twice, so the second answer is the cached one
  const cachedHome = async () => { await h.get(srv.url, '/'); return home(); };
  let demo; // the demo's home page titles and paths, newest first
  before(async () => {
    dir = a.makeNewsroom();
    srv = await h.startServer(dir);
    ed = await a.signedIn(srv.url, 'editor');
    au = await a.signedIn(srv.url, 'author');
    const r = await h.get(srv.url, '/');
    demo = [...r.body.matchAll(/<h2 class="summary-title"><a href="([^"]*)">([^<]*)<\/a>/g)]
      .map((m) => ({ path: m[1], title: h.htmlUnescape(m[2]) }));
    assert.ok(demo.length >= 6, 'the demo has stories on the home page');
  });
  after(async () => { if (srv) await srv.stop(); });

  test('editors and admins have the page; authors and contributors do not', async () => {
    const r = await ed.get('/admin/front');
    assert.equal(r.status, 200);
    assert.match(r.body, /<a href="\/admin\/front" aria-current="page">Front page<\/a>/);
    assert.match(r.body, /<form method="post" action="\/admin\/front\/pin" id="pin-form">/);
    const ad = await a.signedIn(srv.url, 'admin');
    assert.equal((await ad.get('/admin/front')).status, 200);
    const ar = await au.get('/admin/front');
    assert.equal(ar.status, 403);
    assert.doesNotMatch((await au.get('/admin/stories')).body, /href="\/admin\/front"/);
    const pr = await au.post('/admin/front/pin', { story: demo[3].path, place: 'lead' });
    assert.equal(pr.status, 403);
    const co = await a.signedIn(srv.url, 'contributor');
    assert.equal((await co.get('/admin/front')).status, 403);
  });

  test('unedited, the home page is as before: the newest story leads the grid', async () => {
    const r = await h.get(srv.url, '/');
    assert.match(r.body, /<div class="story-grid">/);
    assert.doesNotMatch(r.body, /front-top|class="breaking"/);
    assert.equal(front(r.body).latest[0], demo[0].title);
  });

  test('a POST without the CSRF token changes nothing', async () => {
    const r = await ed.post('/admin/front/pin', { story: demo[3].path, place: 'lead' }, { csrf: false });
    assert.equal(r.status, 403);
    assert.equal((await home()).top, null);
  });

  test('pin a lead by its address: it leads the (cached) home page and leaves Latest', async () => {
    await cachedHome();
    const r = await ed.post('/admin/front/pin', { story: srv.url + demo[3].path, place: 'lead', expires: '' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    assert.match(r.headers.location, /^\/admin\/front\?msg=front-pinned$/);
    const f = await home();
    assert.deepEqual(f.top, [demo[3].title]);
    assert.ok(!f.latest.includes(demo[3].title), 'a pinned story is not repeated in Latest');
    assert.equal(f.latest[0], demo[0].title);
    const adm = await ed.get(r.headers.location);
    assert.match(adm.body, /<tr id="pin-\d+" data-place="lead">/);
    assert.match(adm.body, /Story pinned to the front page\./);
  });

  test('featured stories follow the lead in the order pinned; reorder and unpin', async () => {
    for (const s of [demo[4], demo[5]]) {
      const r = await ed.post('/admin/front/pin', { story: s.path, place: 'featured' });
      assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    }
    assert.deepEqual((await cachedHome()).top, [demo[3].title, demo[4].title, demo[5].title]);
    const adm = await ed.get('/admin/front');
    const ids = [...adm.body.matchAll(/<tr id="pin-(\d+)" data-place="featured">/g)].map((m) => m[1]);
    assert.equal(ids.length, 2);
    let r = await ed.post('/admin/front/move', { story: ids[1], direction: 'up' });
    assert.equal(r.status, 303);
    assert.deepEqual((await cachedHome()).top, [demo[3].title, demo[5].title, demo[4].title]);
    r = await ed.post('/admin/front/unpin', { story: ids[1] });
    assert.equal(r.status, 303);
    const f = await home();
    assert.deepEqual(f.top, [demo[3].title, demo[4].title]);
    assert.ok(f.latest.includes(demo[5].title), 'an unpinned story is back in Latest');
    r = await ed.post('/admin/front/unpin', { story: ids[1] });
    assert.equal(r.status, 404);
    r = await ed.post('/admin/front/move', { story: ids[0], direction: 'sideways' });
    assert.equal(r.status, 400);
  });

  test('bad pins are refused with a message and change nothing', async () => {
    const before = (await home()).top;
    const cases = [
      [{ story: '/2024/01/01/no-such-story', place: 'lead' }, 404, /no published story/],
      [{ story: '999999', place: 'featured' }, 404, /no published story/],
      [{ story: demo[6].path, place: 'sidebar' }, 422, /lead or featured/],
      [{ story: demo[6].path, place: 'lead', expires: '2020-01-01T00:00' }, 422, /expiry has passed/],
      [{ story: demo[6].path, place: 'lead', expires: 'tomorrow' }, 422, /date and time/],
      [{ story: '', place: 'lead' }, 422, /Name the story/],
    ];
    for (const [fields, status, msg] of cases) {
      const r = await ed.post('/admin/front/pin', fields);
      assert.equal(r.status, status, JSON.stringify(fields));
      assert.match(h.textOf(r.body), msg);
      assert.match(r.body, /id="pin-error"/);
    }
    // a draft cannot be pinned
    const draft = await a.writeStory(ed, { title: 'A draft', body: 'Not yet.' }, 'save');
    const r = await ed.post('/admin/front/pin', { story: String(draft), place: 'featured' });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /Only a published story/);
    assert.deepEqual((await home()).top, before);
  });

  test('at most 8 featured stories', async () => {
    const adm = await ed.get('/admin/front');
    const have = [...adm.body.matchAll(/data-place="featured"/g)].length;
    const extra = [];
    for (let i = 0; i < 8 - have; i++) {
      const id = await a.writeStory(ed, { title: `Featured filler ${i}`, body: 'Filler.' });
      extra.push(id);
      const r = await ed.post('/admin/front/pin', { story: String(id), place: 'featured' });
      assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    }
    const ninth = await a.writeStory(ed, { title: 'One too many', body: 'Filler.' });
    const r = await ed.post('/admin/front/pin', { story: String(ninth), place: 'featured' });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /8 featured stories already/);
    assert.equal((await home()).top.length, 9, 'the lead and 8 featured');
    for (const id of extra) assert.equal((await ed.post('/admin/front/unpin', { story: String(id) })).status, 303);
  });

  test('an edit to a pinned story shows on the cached home page at once', async () => {
    const id = await a.writeStory(ed, { title: 'Pinned and then edited', body: 'First text.' });
    assert.equal((await ed.post('/admin/front/pin', { story: String(id), place: 'featured' })).status, 303);
    assert.ok((await cachedHome()).top.includes('Pinned and then edited'));
    const vals = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/save`, { ...vals, title: 'Pinned, edited, renamed' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const f = await home();
    assert.ok(f.top.includes('Pinned, edited, renamed'), JSON.stringify(f.top));
    assert.ok(!f.top.includes('Pinned and then edited'));
    // unpublished, it leaves the front page (the pin stays in the admin's list)
    const un = await ed.post(`/admin/stories/${id}/unpublish`, { ...(await a.editorValues(ed, id)) });
    assert.equal(un.status, 303, h.textOf(un.body).slice(0, 300));
    assert.ok(!(await home()).top.includes('Pinned, edited, renamed'));
    assert.match((await ed.get('/admin/front')).body, /not published: not shown/);
    assert.equal((await ed.post('/admin/front/unpin', { story: String(id) })).status, 303);
  });

  test('the breaking-news banner: set, shown, validated, removed', async () => {
    await cachedHome();
    let r = await ed.post('/admin/front/banner', { text: 'Polls close at 8 <pm>', url: 'https://example.test/polls?a=1&b=2' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const page = (await h.get(srv.url, '/')).body;
    assert.match(page, /<a href="https:\/\/example.test\/polls\?a=1&amp;b=2">Polls close at 8 &lt;pm&gt;<\/a>/);
    assert.deepEqual(front(page).banner, { url: 'https://example.test/polls?a=1&b=2', text: 'Polls close at 8 <pm>' });
    for (const [fields, msg] of [
      [{ text: 'Bad link', url: 'javascript:alert(1)' }, /http:\/\/ or https:\/\//],
      [{ text: 'No link', url: '' }, /Give the banner a link/],
      [{ text: 'x'.repeat(201), url: 'https://example.test/' }, /too long/],
      [{ text: 'Old', url: 'https://example.test/', expires: '2001-01-01T00:00:00' }, /expiry has passed/],
    ]) {
      r = await ed.post('/admin/front/banner', fields);
      assert.equal(r.status, 422, JSON.stringify(fields));
      assert.match(h.textOf(r.body), msg);
      assert.match(r.body, /id="banner-error"/);
    }
    assert.equal((await home()).banner.text, 'Polls close at 8 <pm>', 'a refused change keeps the banner');
    r = await ed.post('/admin/front/banner', { text: '', url: '' });
    assert.equal(r.status, 303);
    assert.equal((await home()).banner, null);
  });

  test('section blocks: in the editors\' order, each with its newest N, following new stories', async () => {
    const adm = await ed.get('/admin/front');
    const opt = (name) => {
      const m = new RegExp(`<option value="(\\d+)">${name}</option>`).exec(adm.body);
      assert.ok(m, `section ${name} offered`);
      return m[1];
    };
    const world = opt('World'); const sport = opt('Sport');
    await cachedHome();
    assert.equal((await ed.post('/admin/front/blocks', { section: sport, count: '1' })).status, 303);
    assert.equal((await ed.post('/admin/front/blocks', { section: world, count: '2' })).status, 303);
    let f = await cachedHome();
    assert.deepEqual(f.blocks.map((b) => [b.name, b.url, b.titles.length]), [['Sport', '/section/sport', 1], ['World', '/section/world', 2]]);
    // a story published in World heads its block on the cached page
    await a.writeStory(ed, { title: 'Fresh from the world desk', body: 'News.', section: world });
    f = await home();
    assert.equal(f.blocks[1].titles[0], 'Fresh from the world desk');
    assert.equal(f.blocks[1].titles.length, 2);
    // reorder, change a count, refuse bad input, remove
    assert.equal((await ed.post('/admin/front/blocks/move', { section: world, direction: 'up' })).status, 303);
    assert.equal((await ed.post('/admin/front/blocks', { section: world, count: '3' })).status, 303);
    f = await home();
    assert.deepEqual(f.blocks.map((b) => [b.name, b.titles.length]), [['World', 3], ['Sport', 1]]);
    let r = await ed.post('/admin/front/blocks', { section: world, count: '13' });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /1 to 12 stories/);
    r = await ed.post('/admin/front/blocks', { section: '987654', count: '2' });
    assert.equal(r.status, 404);
    assert.match(r.body, /id="block-error"/);
    assert.equal((await ed.post('/admin/front/blocks/remove', { section: sport })).status, 303);
    assert.deepEqual((await home()).blocks.map((b) => b.name), ['World']);
    assert.equal((await ed.post('/admin/front/blocks/remove', { section: sport })).status, 404);
    assert.equal((await ed.post('/admin/front/blocks/remove', { section: world })).status, 303);
    assert.deepEqual((await home()).blocks, []);
  });

  test('a pin and a banner with an expiry leave the cached home page at their time, nothing written', async () => {
    const id = await a.writeStory(ed, { title: 'Only until soon', body: 'Brief.' });
    let r = await ed.post('/admin/front/pin', { story: String(id), place: 'featured', expires: utcIn(3) });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    r = await ed.post('/admin/front/banner', { text: 'Soon over', url: 'https://example.test/', expires: utcIn(3) });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const one = await h.get(srv.url, '/');
    const two = await h.get(srv.url, '/');
    assert.equal(two.headers.etag, one.headers.etag, 'kept in the cache');
    assert.ok(front(two.body).top.includes('Only until soon'));
    assert.equal(front(two.body).banner.text, 'Soon over');
    assert.match((await ed.get('/admin/front')).body, /Only until soon<\/a><\/td>\s*<td>\d{4}-\d\d-\d\dT\d\d:\d\d<\/td>/);
    await sleep(4200);
    const f = await home();
    assert.ok(!f.top.includes('Only until soon'), JSON.stringify(f.top));
    assert.ok(f.latest.includes('Only until soon'), 'back among the latest');
    assert.equal(f.banner, null);
    assert.doesNotMatch((await ed.get('/admin/front')).body, /Only until soon/);
  });
});

describe('a WordPress import: sticky posts become featured stories', () => {
  const fs = require('node:fs');
  const w = require('./import-helpers');
  let dir; let srv; let report;
  before(async () => {
    dir = h.makeSite({ demo: false });
    const posts = [w.post({ id: 1, slug: 'plain-news', title: 'Plain news', date: '2024-05-01 10:00:00', content: 'Plain.' }),
      w.post({ id: 2, slug: 'sticky-draft', title: 'Sticky draft', status: 'draft', sticky: 1, date: '2024-05-02 10:00:00', content: 'Draft.' })];
    for (let i = 0; i < 9; i++) {
      posts.push(w.post({ id: 10 + i, slug: `sticky-${i}`, title: `Sticky ${i}`, sticky: 1, date: `2024-04-0${i + 1} 10:00:00`, content: 'Sticky.' }));
    }
    const file = path.join(dir, 'sticky.xml');
    fs.writeFileSync(file, w.wrap(posts.join('')));
    const r = h.gzRun(['import', 'wordpress', file, '--site', dir], { timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    report = r.stdout + r.stderr;
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the first 8 published sticky posts are pinned in file order; the 9th is a warning; drafts are not', async () => {
    const f = front((await h.get(srv.url, '/')).body);
    // no lead pinned: the newest story leads, then the featured ones
    assert.deepEqual(f.top, ['Plain news', ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `Sticky ${i}`)]);
    assert.deepEqual(f.latest, ['Sticky 8']);
    assert.match(report, /sticky posts .*: 10/);
    assert.match(report, /post 18 is sticky, but the front page has 8 featured stories: not pinned/);
  });
});

describe('Most read: the last 24 hours, counted without cookies, robots left out', () => {
  const READER = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0' };
  const ROBOT = { 'User-Agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
  let dir; let srv; let demo;
  before(async () => {
    dir = a.makeNewsroom({ conf: { schedule_interval: 1 } });
    srv = await h.startServer(dir);
    const r = await h.get(srv.url, '/');
    demo = [...r.body.matchAll(/<h2 class="summary-title"><a href="([^"]*)">([^<]*)<\/a>/g)]
      .map((m) => ({ path: m[1], title: h.htmlUnescape(m[2]) }));
  });
  after(async () => { if (srv) await srv.stop(); });

  const mostRead = (html) => {
    const m = /<aside class="most-read"[^>]*>([\s\S]*?)<\/aside>/.exec(html);
    return m ? [...m[1].matchAll(/<li><a href="[^"]*">([^<]*)<\/a><\/li>/g)].map((x) => h.htmlUnescape(x[1])) : [];
  };

  test('reads (cached hits too) make the list; robots and staff do not; the cached home page follows', async () => {
    let home = await h.get(srv.url, '/');
    assert.deepEqual(mostRead(home.body), [], 'no reads yet: no list');
    assert.equal(home.headers['set-cookie'], undefined);
    const older = demo[5]; const newer = demo[1];
    // three reads of the older story, two of the newer: the first of each
    // fills the page cache, the others are hits; a count of misses alone
    // would tie them and put the newer first
    for (let i = 0; i < 3; i++) {
      const r = await h.get(srv.url, older.path, { headers: READER });
      assert.equal(r.status, 200);
      assert.equal(r.headers['set-cookie'], undefined, 'no cookie for counting');
    }
    for (let i = 0; i < 2; i++) await h.get(srv.url, newer.path, { headers: READER });
    // robots, readers without a User-Agent and signed-in staff are not counted
    for (let i = 0; i < 10; i++) await h.get(srv.url, newer.path, { headers: ROBOT });
    for (let i = 0; i < 10; i++) await h.get(srv.url, newer.path);
    const ed = await a.signedIn(srv.url, 'editor');
    for (let i = 0; i < 10; i++) await ed.get(newer.path);
    // a made-up story address counts for nothing
    await h.get(srv.url, '/2024/01/01/no-such-story', { headers: READER });
    const deadline = Date.now() + 8000;
    let list = [];
    while (Date.now() < deadline) {
      home = await h.get(srv.url, '/');
      list = mostRead(home.body);
      if (list.length === 2) break;
      await sleep(250);
    }
    assert.deepEqual(list, [older.title, newer.title]);
    const rows = h.sql(dir, 'SELECT sum(count) FROM story_reads');
    assert.equal(rows, '5', 'five reads stored as totals');
    // two more reads of the newer story take it to the top at the next flush
    for (let i = 0; i < 2; i++) await h.get(srv.url, newer.path, { headers: READER });
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      list = mostRead((await h.get(srv.url, '/')).body);
      if (list[0] === newer.title) break;
      await sleep(250);
    }
    assert.deepEqual(list, [newer.title, older.title]);
  });
});
