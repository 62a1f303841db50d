'use strict';
// Ad and analytics slots (issue 15): admins fill the theme's slots (top,
// in-article, sidebar, footer) with HTML that passes a strict allowlist
// plus <script src> from origins they declare; each origin goes into
// exactly the CSP directives ticked for it on public pages, never on
// /admin; every change is in the audit log with who made it; a cached
// page shows a changed slot at once; the in-article slot follows
// paragraph N (at the end of a shorter story).
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

function directive(res, name) {
  const csp = res.headers['content-security-policy'] || '';
  const d = csp.split(';').map((s) => s.trim()).find((s) => s.startsWith(name + ' '));
  return d ? d.slice(name.length + 1).split(/\s+/) : null;
}

const EMPTY = { slot_top: '', slot_in_article: '', slot_sidebar: '', slot_footer: '', paragraph: '3' };

// The slots form as a browser sends it: every field, changed ones given.
async function saveSlots(client, fields) {
  return client.post('/admin/slots', { ...EMPTY, ...fields });
}
function errorOf(body) {
  const m = /<div class="form-errors" role="alert"><ul><li>([^<]*)<\/li>/.exec(body);
  return m ? h.htmlUnescape(m[1]) : null;
}
function textarea(body, id) {
  const m = new RegExp(`<textarea id="${id}"[^>]*>\\n([\\s\\S]*?)</textarea>`).exec(body);
  return m ? h.htmlUnescape(m[1]) : null;
}
function slotDiv(body, cls) {
  const m = new RegExp(`<div class="slot ${cls}">([\\s\\S]*?)</div>\\n`).exec(body);
  return m ? m[1] : null;
}
async function auditRows(client) {
  const r = await client.get('/admin/slots');
  const table = /<table class="list audit-log">([\s\S]*?)<\/table>/.exec(r.body);
  if (!table) return [];
  return [...table[1].matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td><code>([\s\S]*?)<\/code><\/td><\/tr>/g)]
    .map((m) => ({ at: m[1], who: h.htmlUnescape(m[2]), action: h.htmlUnescape(m[3]), detail: h.htmlUnescape(m[4]) }));
}

describe('slots', () => {
  let srv; let admin; let editor; let storyPath; let shortPath;
  before(async () => {
    srv = await h.startServer(a.makeNewsroom());
    admin = await a.signedIn(srv.url, 'admin');
    editor = await a.signedIn(srv.url, 'editor');
    const body = ['One.', 'Two.', 'Three.', '> Quoted.\n>\n> Still quoted.', 'Four.', 'Five.'].join('\n\n');
    const id = await a.writeStory(admin, { title: 'Paragraphs counted', body });
    storyPath = await a.publicPath(admin, id);
    const sid = await a.writeStory(admin, { title: 'A short one', body: 'Only.\n\nTwo.' });
    shortPath = await a.publicPath(admin, sid);
    assert.ok(storyPath && shortPath);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('only admins reach the slots; an empty slot puts no markup on a page', async () => {
    for (const role of ['editor', 'author', 'contributor']) {
      const c = role === 'editor' ? editor : await a.signedIn(srv.url, role);
      assert.equal((await c.get('/admin/slots')).status, 403, role);
      assert.equal((await c.post('/admin/slots', { ...EMPTY, slot_top: '<p>x</p>' })).status, 403, role);
      assert.equal((await c.post('/admin/slots/origins', { origin: 'https://x.example', use_script: '1' })).status, 403, role);
      assert.equal((await c.post('/admin/slots/origins/delete', { origin: 'https://x.example' })).status, 403, role);
      assert.doesNotMatch((await c.get('/admin/stories')).body, /href="\/admin\/slots"/, `${role}: no menu item`);
    }
    assert.equal((await admin.post('/admin/slots', { ...EMPTY, slot_top: '<p>x</p>' }, { csrf: false })).status, 403, 'CSRF token required');
    assert.match((await admin.get('/admin/stories')).body, /href="\/admin\/slots"/);
    const r = await admin.get('/admin/slots');
    assert.equal(r.status, 200);
    assert.match(r.body, /id="slots-form"/);
    assert.match(r.body, /No change to slots or origins yet/);
    for (const p of ['/', storyPath]) {
      const page = await h.get(srv.url, p);
      assert.doesNotMatch(page.body, /class="slot/, p);
    }
    assert.deepEqual(directive(await h.get(srv.url, storyPath), 'script-src'), ["'self'"]);
  });

  test('refusals: 422 naming the first offending element or attribute, the form keeps what was typed', async () => {
    const cases = [
      ['<div onclick="x()">ad</div>', /onclick on <div> is not allowed/],
      ['<p style="color:red">ad</p>', /style on <p> is not allowed/],
      ['<a href="javascript:alert(1)">ad</a>', /href of <a> must be an http or https address/],
      ['<iframe src="https://ads.example.net/"></iframe>', /the element <iframe> is not allowed/],
      ['<script>alert(1)</script>', /inline script is not allowed/],
      ['<script src="https://ads.example.net/a.js">alert(1)</script>', /inline script is not allowed/],
      ['<script src="https://ads.example.net/a.js"></script>', /not from a declared script origin: declare https:\/\/ads\.example\.net/],
      ['<img src="https://pixels.example.net/p.gif" alt="">', /src of <img> must be a path on this site or an address from a declared image origin/],
      ['<ins class="ad" data-slot="1" id="x"></ins>', /the attribute id on <ins> is not allowed/],
      ['<span data-x="1">a</span>', /the attribute data-x on <span> is not allowed/],
      ['<svg><script>alert(1)</script></svg>', /the element <svg> is not allowed/],
    ];
    for (const [html, want] of cases) {
      const r = await saveSlots(admin, { slot_sidebar: html, slot_top: '<p>kept top</p>' });
      assert.equal(r.status, 422, html);
      const err = errorOf(r.body);
      assert.match(err || '', /^The sidebar slot: /, html);
      assert.match(err, want, html);
      assert.equal(textarea(r.body, 'slot_sidebar'), html, 'typed text kept');
      assert.equal(textarea(r.body, 'slot_top'), '<p>kept top</p>', 'other fields kept');
    }
    const long = await saveSlots(admin, { slot_footer: `<p>${'x'.repeat(20000)}</p>` });
    assert.equal(long.status, 422);
    assert.match(errorOf(long.body), /The footer slot is too long: the limit is 20000 bytes/);
    const blank = await saveSlots(admin, { slot_top: '  \n <!-- only a note -->\n ' });
    assert.equal(blank.headers.location, '/admin/slots?msg=slots-unchanged', 'blanks and comments are an empty slot');
    const bad = await saveSlots(admin, { paragraph: '0' });
    assert.equal(bad.status, 422);
    assert.match(errorOf(bad.body), /a number from 1 to 50/);
    assert.deepEqual(await auditRows(admin), [], 'nothing refused was saved or logged');
    assert.doesNotMatch((await h.get(srv.url, '/')).body, /kept top/);
  });

  test('origins: validated, declared with what they are for, in exactly those directives on public pages and never on /admin', async () => {
    for (const bad of ['ads.example.net', 'javascript:alert(1)', 'http://[::1]:8080', 'https://ads.example.net; script-src *', 'https://ads.example.net/path', 'https://user@ads.example.net', 'ftp://ads.example.net', 'https://ads.example.net:99999', 'https://ads example.net']) {
      const r = await admin.post('/admin/slots/origins', { origin: bad, use_script: '1' });
      assert.equal(r.status, 422, bad);
      assert.match(errorOf(r.body), /An origin is a scheme, a host and maybe a port|An IPv6 address cannot be declared/, bad);
    }
    const none = await admin.post('/admin/slots/origins', { origin: 'https://ads.example.net' });
    assert.equal(none.status, 422);
    assert.match(errorOf(none.body), /Tick what the origin is for/);
    assert.equal(textarea(none.body, 'slot_top'), '', 'slots as stored');
    assert.match(none.body, /id="origin" name="origin" type="text" value="https:\/\/ads\.example\.net"/, 'typed origin kept');

    const story = await h.get(srv.url, storyPath); // cached under the old policy
    assert.equal(story.status, 200);
    let r = await admin.post('/admin/slots/origins', { origin: ' HTTPS://Ads.Example.NET/ ', use_script: '1', use_connect: '1' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    r = await admin.post('/admin/slots/origins', { origin: 'http://pixels.example.org:8080', use_image: '1' });
    assert.equal(r.status, 303);
    r = await admin.post('/admin/slots/origins', { origin: 'https://frames.example.com', use_frame: '1' });
    assert.equal(r.status, 303);
    const dup = await admin.post('/admin/slots/origins', { origin: 'https://ads.example.net', use_image: '1' });
    assert.equal(dup.status, 409);
    assert.match(errorOf(dup.body), /declared already/);

    for (const p of [storyPath, '/', '/search?q=x', '/no-such-page']) {
      const page = await h.get(srv.url, p);
      assert.deepEqual(directive(page, 'script-src'), ["'self'", 'https://ads.example.net'], p);
      assert.deepEqual(directive(page, 'connect-src'), ["'self'", 'https://ads.example.net'], p);
      assert.deepEqual(directive(page, 'img-src'), ["'self'", 'data:', 'https:', 'http://pixels.example.org:8080'], p);
      const frames = directive(page, 'frame-src');
      assert.ok(frames.includes('https://frames.example.com'), `${p}: ${frames}`);
      assert.ok(!frames.includes('https://ads.example.net'), `${p}: only what was ticked`);
      assert.doesNotMatch(page.headers['content-security-policy'], /unsafe-inline|nonce-/);
    }
    for (const p of ['/admin/slots', '/admin/stories', '/admin/sign-in']) {
      const page = await admin.get(p);
      const csp = page.headers['content-security-policy'];
      assert.doesNotMatch(csp, /example\.(net|org|com)/, `${p}: ${csp}`);
      assert.deepEqual(directive(page, 'script-src'), ["'self'"], p);
    }
    const list = await admin.get('/admin/slots');
    assert.match(list.body, /<td><code>https:\/\/ads\.example\.net<\/code><\/td>\s*<td>script, connect<\/td>/);
  });

  test('a filled slot shows on a cached page at once, re-emitted; the in-article slot follows paragraph N or ends a short story', async () => {
    for (const p of ['/', storyPath, shortPath]) await h.get(srv.url, p); // cached
    const top = '<div class="ad-top"><a href="https://shop.example.com/?a=1&amp;b=2" target="_blank" rel="sponsored">Shop</a></div>';
    const inArticle = '<ins class="adsbygoogle" data-ad-client="ca-pub-1" data-ad-slot="42"></ins>\n<script async src="https://ads.example.net/tag.js"></script>';
    const sidebar = '<p>Pixel <img src="http://pixels.example.org:8080/p.gif?u=1" alt="" width="1" height="1"><!-- a note --></p>';
    const footer = '<span class="x">Thanks to our sponsors</span>';
    const r = await saveSlots(admin, { slot_top: top, slot_in_article: inArticle, slot_sidebar: sidebar, slot_footer: footer, paragraph: '3' });
    assert.equal(r.status, 303, errorOf(r.body) || '');
    assert.equal(r.headers.location, '/admin/slots?msg=slots');

    const story = await h.get(srv.url, storyPath);
    assert.equal(slotDiv(story.body, 'slot-top'), '<div class="ad-top"><a href="https://shop.example.com/?a=1&amp;b=2" target="_blank" rel="sponsored">Shop</a></div>');
    assert.equal(slotDiv(story.body, 'slot-sidebar'), '<p>Pixel <img src="http://pixels.example.org:8080/p.gif?u=1" alt="" width="1" height="1"></p>', 'comment left out');
    assert.equal(slotDiv(story.body, 'slot-footer'), '<span class="x">Thanks to our sponsors</span>');
    assert.match(story.body, /<div class="slot slot-in-article"><ins class="adsbygoogle" data-ad-client="ca-pub-1" data-ad-slot="42"><\/ins>\n<script async src="https:\/\/ads\.example\.net\/tag\.js"><\/script><\/div>/);
    // after the third top-level paragraph: the quote's paragraphs do not count
    const body = /<div class="story-body">([\s\S]*?)<\/div>\n<\/?(?:section|footer|article)/.exec(story.body)[1];
    const at = body.indexOf('<div class="slot slot-in-article">');
    const before = body.slice(0, at);
    assert.ok(before.includes('<p>Three.</p>') && !before.includes('Quoted'), before);
    assert.ok(body.slice(at).includes('Quoted') && body.slice(at).includes('<p>Four.</p>'));
    // a story of two paragraphs gets it at its end
    const short = await h.get(srv.url, shortPath);
    const sb = /<div class="story-body">([\s\S]*?)<\/div>\n<\/div>\n<\/article>/.exec(short.body);
    assert.ok(sb && sb[1].endsWith('<div class="slot slot-in-article"><ins class="adsbygoogle" data-ad-client="ca-pub-1" data-ad-slot="42"></ins>\n<script async src="https://ads.example.net/tag.js"></script>'), 'the slot ends the body');
    assert.ok(sb[1].indexOf('<p>Two.</p>') < sb[1].indexOf('slot-in-article'));
    // the home page: top, sidebar and footer, no in-article
    const home = await h.get(srv.url, '/');
    assert.ok(slotDiv(home.body, 'slot-top') && slotDiv(home.body, 'slot-sidebar') && slotDiv(home.body, 'slot-footer'));
    assert.doesNotMatch(home.body, /slot-in-article/);
    // never on admin pages
    assert.doesNotMatch((await admin.get('/admin/stories')).body, /class="slot /);

    // the paragraph moves on the cached page too
    const moved = await saveSlots(admin, { slot_top: top, slot_in_article: inArticle, slot_sidebar: sidebar, slot_footer: footer, paragraph: '1' });
    assert.equal(moved.status, 303);
    const again = await h.get(srv.url, storyPath);
    const b2 = /<div class="story-body">([\s\S]*?)<\/div>\n<\/?(?:section|footer|article)/.exec(again.body)[1];
    assert.ok(b2.indexOf('slot-in-article') > b2.indexOf('<p>One.</p>') && b2.indexOf('slot-in-article') < b2.indexOf('<p>Two.</p>'), b2);

    // change one slot: the next GET of the cached story shows the new one
    const changed = await saveSlots(admin, { slot_top: '<p>New top</p>', slot_in_article: inArticle, slot_sidebar: sidebar, slot_footer: footer, paragraph: '1' });
    assert.equal(changed.status, 303);
    assert.equal(slotDiv((await h.get(srv.url, storyPath)).body, 'slot-top'), '<p>New top</p>');
    const same = await saveSlots(admin, { slot_top: '<p>New top</p>', slot_in_article: inArticle, slot_sidebar: sidebar, slot_footer: footer, paragraph: '1' });
    assert.equal(same.headers.location, '/admin/slots?msg=slots-unchanged');
  });

  test('an origin a slot uses cannot be removed; one no slot uses can, and leaves the policy', async () => {
    let r = await admin.post('/admin/slots/origins/delete', { origin: 'https://ads.example.net' });
    assert.equal(r.status, 409);
    assert.match(errorOf(r.body), /https:\/\/ads\.example\.net is still used: the in-article slot needs it/);
    assert.deepEqual(directive(await h.get(srv.url, storyPath), 'script-src'), ["'self'", 'https://ads.example.net']);
    r = await admin.post('/admin/slots/origins/delete', { origin: 'https://nothing.example' });
    assert.equal(r.status, 404);
    const cached = await h.get(srv.url, storyPath);
    assert.ok(directive(cached, 'frame-src').includes('https://frames.example.com'));
    r = await admin.post('/admin/slots/origins/delete', { origin: 'https://frames.example.com' });
    assert.equal(r.status, 303);
    const after = await h.get(srv.url, storyPath);
    assert.ok(!directive(after, 'frame-src').includes('https://frames.example.com'), 'the cached page has the new policy');
  });

  test('the audit log lists every change with who made it, newest first', async () => {
    const rows = await auditRows(admin);
    const who = new Set(rows.map((x) => x.who));
    assert.deepEqual([...who], ['Test Admin']);
    const seq = rows.map((x) => `${x.action}|${x.detail}`);
    assert.equal(seq[0], 'origin removed|https://frames.example.com (frame)');
    assert.ok(seq.includes('slot changed|top: <p>New top</p>'), seq.join('\n'));
    assert.ok(seq.includes('slot position|in-article: after paragraph 1'));
    assert.ok(seq.includes('slot changed|footer: <span class="x">Thanks to our sponsors</span>'));
    assert.ok(seq.includes('origin added|https://ads.example.net (script, connect)'));
    assert.ok(seq.includes('origin added|http://pixels.example.org:8080 (image)'));
    const newest = seq.indexOf('slot changed|top: <p>New top</p>');
    const older = seq.indexOf('origin added|https://ads.example.net (script, connect)');
    assert.ok(newest < older, 'newest first');
    assert.equal(seq.length, 10, seq.join('\n')); // 3 origins added, 4 slots, the position, the new top, 1 removed
  });
});
