// The page cache (issue 6): exact invalidation for each kind of change,
// conditional requests, compression, HEAD, and privacy of personal pages.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');

const SPORT = '/section/sport';

describe('page cache', () => {
  let dir, srv, base;
  before(async () => {
    dir = a.makeNewsroom({ conf: { comment_auto_approve_known: 0 } });
    srv = await h.startServer(dir);
    base = srv.url;
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  // A story page's ETag also names the second its comment form was stamped
  // ("<etag>-t<hex>"); what changes with the page is the part before it.
  const page = (e) => e && e.replace(/-t[0-9a-f]+"$/, '"');
  const etag = async (p) => {
    const r = await h.get(base, p);
    assert.equal(r.status, 200, `GET ${p}`);
    return page(r.headers.etag);
  };

  async function postComment(text) {
    const page = await h.get(base, h.SEED_PATH);
    const hid = h.hiddenFields(page.body);
    const r = await h.postForm(base, '/comments', { ...hid, comment: text, author: 'Cache Tester',
      email: 'cache@example.com', url: '', gz_website: '' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 200));
    return Number(/unapproved=(\d+)/.exec(r.headers.location)[1]);
  }

  test('a second request is served from the cache with the same ETag, and 304 when the client has it', async () => {
    const e1 = (await h.get(base, '/')).headers.etag;
    const e2 = (await h.get(base, '/')).headers.etag;
    assert.ok(e1 && /^"[0-9a-f]{16}"$/.test(e1), `ETag ${e1}`);
    assert.equal(e1, e2);
    const nm = await h.get(base, '/', { headers: { 'If-None-Match': e1 } });
    assert.equal(nm.status, 304);
    assert.equal(nm.body, '');
    const lm = (await h.get(base, '/')).headers['last-modified'];
    const ims = await h.get(base, '/', { headers: { 'If-Modified-Since': lm } });
    assert.equal(ims.status, 304);
    const old = await h.get(base, '/', { headers: { 'If-None-Match': '"0000000000000000"' } });
    assert.equal(old.status, 200);
  });

  test('a story page (its form stamped per reader): the same page part, 304 only while the copy\'s form is young', async () => {
    const s1 = await h.get(base, h.SEED_PATH);
    await new Promise((r) => setTimeout(r, 1100));
    const s2 = await h.get(base, h.SEED_PATH);
    const m = /^"([0-9a-f]{16})-t([0-9a-f]+)"$/.exec(s1.headers.etag || '');
    assert.ok(m, `story ETag ${s1.headers.etag}`);
    assert.equal(page(s2.headers.etag), page(s1.headers.etag), 'the same page');
    assert.notEqual(s2.headers.etag, s1.headers.etag, 'stamped at another second');
    assert.ok(Math.abs(parseInt(m[2], 16) - Date.now() / 1000) < 5, 'the ETag names the second of the load');
    assert.equal(s1.headers['last-modified'], undefined);
    const nm = await h.get(base, h.SEED_PATH, { headers: { 'If-None-Match': s1.headers.etag } });
    assert.equal(nm.status, 304, 'a copy loaded a second ago still serves');
    assert.equal(nm.headers.etag, undefined, 'a 304 does not renew the copy\'s ETag');
    const aged = `"${m[1]}-t${(Math.floor(Date.now() / 1000) - 2 * 86400).toString(16)}"`;
    const re = await h.get(base, h.SEED_PATH, { headers: { 'If-None-Match': aged } });
    assert.equal(re.status, 200, 'a copy whose form is two days old is sent again, with a new stamp');
    for (const t of ['-8000000000000000', '+1', '']) {
      const odd = await h.get(base, h.SEED_PATH, { headers: { 'If-None-Match': `"${m[1]}-t${t}"` } });
      assert.equal(odd.status, 200, `a signed or empty time (${t}) is not the client's copy`);
    }
    const ims = await h.get(base, h.SEED_PATH, { headers: { 'If-Modified-Since': new Date().toUTCString() } });
    assert.equal(ims.status, 200, 'a date says nothing of the form');
  });

  test('gzip and brotli variants decompress to the identity body; Vary and HEAD are right', async () => {
    const plain = await h.get(base, '/');
    const gz = await h.get(base, '/', { headers: { 'Accept-Encoding': 'gzip' } });
    const br = await h.get(base, '/', { headers: { 'Accept-Encoding': 'gzip, br' } });
    const none = await h.get(base, '/', { headers: { 'Accept-Encoding': 'gzip;q=0, br;q=0' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(none.headers['content-encoding'], undefined);
    assert.equal(zlib.gunzipSync(gz.raw).toString('utf8'), plain.body);
    assert.equal(zlib.brotliDecompressSync(br.raw).toString('utf8'), plain.body);
    assert.ok(br.raw.length < gz.raw.length && gz.raw.length < plain.raw.length / 2);
    for (const r of [plain, gz, br]) assert.match(r.headers.vary || '', /Accept-Encoding/);
    assert.notEqual(gz.headers.etag, plain.headers.etag, 'each encoding has its own ETag');
    const head = await h.request(base, '/', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers.etag, plain.headers.etag);
    assert.match(plain.headers['cache-control'], /public/);
    assert.match(plain.headers['cache-control'], /stale-while-revalidate/);
    // a story page: gzip (a stamped page has no brotli variant), decoding to the page
    const sp = await h.get(base, h.SEED_PATH);
    const sgz = await h.get(base, h.SEED_PATH, { headers: { 'Accept-Encoding': 'gzip, br' } });
    assert.equal(sgz.headers['content-encoding'], 'gzip');
    const strip = (t) => t.replace(/name="gz_ts" value="[^"]*"/, '');
    assert.equal(strip(zlib.gunzipSync(sgz.raw).toString('utf8')), strip(sp.body));
    assert.ok(sgz.raw.length < sp.raw.length / 2);
    const shead = await h.request(base, h.SEED_PATH, { method: 'HEAD' });
    assert.equal(shead.status, 200);
    assert.equal(page(shead.headers.etag), page(sp.headers.etag));
  });

  test('a miss leaves as the hit after it does: same encoding, ETag and bytes (compressed once, by the cache)', async () => {
    // each section page is built by its first request; the cache keeps its
    // brotli variant, and the miss is answered from what was kept
    for (const p of [SPORT, '/section/business', '/tag/trade', '/search?q=baku']) {
      const first = await h.get(base, p, { headers: { 'Accept-Encoding': 'gzip, br' } });
      const again = await h.get(base, p, { headers: { 'Accept-Encoding': 'gzip, br' } });
      assert.equal(first.status, again.status, p);
      assert.equal(first.headers['content-encoding'], 'br', `${p}: the miss sends the brotli variant`);
      assert.equal(first.headers.etag, again.headers.etag, p);
      assert.equal(first.headers['last-modified'], again.headers['last-modified'], p);
      assert.ok(first.raw.equals(again.raw), `${p}: the same bytes`);
    }
  });

  test('approving a comment (another process) changes the story and home pages at once, and nothing else', async () => {
    const storyBefore = await etag(h.SEED_PATH);
    const homeBefore = await etag('/');
    const sportBefore = await etag(SPORT);
    const id = await postComment('A held comment, invisible until approved ' + Date.now());
    assert.equal(await etag(h.SEED_PATH), storyBefore, 'a held comment changes no public page');
    h.approve(dir, id);
    const story = await h.get(base, h.SEED_PATH);
    assert.notEqual(page(story.headers.etag), storyBefore);
    assert.ok(story.body.includes(`id="comment-${id}"`), 'the approved comment is on the very next response');
    assert.notEqual(await etag('/'), homeBefore, 'home shows the comment count');
    assert.equal(await etag(SPORT), sportBefore, 'the sport section does not show the story');
    h.gz(['comments', '--site', dir, 'trash', String(id)]);
    const after = await h.get(base, h.SEED_PATH);
    assert.ok(!after.body.includes(`id="comment-${id}"`), 'a trashed comment leaves at once');
  });

  test('publishing, editing and unpublishing a story update exactly the pages that show it', async () => {
    const admin = await a.signedIn(base, 'admin');
    const sportBefore = await etag(SPORT);
    const cultureBefore = await etag('/section/culture');
    const seedBefore = await etag(h.SEED_PATH);
    const title = 'Cache test match report ' + Date.now();
    const id = await a.writeStory(admin, { title, excerpt: 'A match.', body: 'The match ended **2-1**.',
      section: '4' /* Sport */, tags: 'Football' });
    const p = await a.publicPath(admin, id);
    assert.ok(p, 'published story has a public URL');
    assert.ok((await h.get(base, '/')).body.includes(title), 'home lists it at once');
    assert.ok((await h.get(base, SPORT)).body.includes(title), 'its section lists it at once');
    assert.equal(await etag('/section/culture'), cultureBefore, 'another section keeps its ETag');
    assert.ok((await h.get(base, '/feed')).body.includes(title), 'the site feed lists it');
    assert.ok((await h.get(base, '/sitemaps/stories-1.xml')).body.includes(p.split('/').pop()),
      'the stories sitemap lists it');
    assert.ok(h.textOf((await h.get(base, '/search?q=' + encodeURIComponent('match report'))).body)
      .includes(title), 'search finds it (matches are marked, so compare the text)');
    // edit the title
    const v = await a.editorValues(admin, id);
    const title2 = title.replace('match report', 'final whistle');
    const r = await admin.post(`/admin/stories/${id}/save`, { ...v, section: '4', title: title2 });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const sport = await h.get(base, SPORT);
    assert.ok(sport.body.includes(title2) && !sport.body.includes(title), 'the list shows the new title');
    assert.notEqual(sport.headers.etag, sportBefore);
    // unpublish
    const v2 = await a.editorValues(admin, id);
    const u = await admin.post(`/admin/stories/${id}/unpublish`, { ...v2, section: '4' });
    assert.equal(u.status, 303, h.textOf(u.body).slice(0, 300));
    assert.ok(!(await h.get(base, '/')).body.includes(title2), 'home drops it at once');
    assert.equal((await h.get(base, p)).status, 404, 'its page is gone at once');
    assert.ok(!(await h.get(base, '/feed')).body.includes(title2), 'the feed drops it');
    assert.equal(await etag('/section/culture'), cultureBefore, 'culture still untouched');
    assert.equal(typeof seedBefore, 'string');
  });

  test('a held comment, a refilled form and admin pages are never served to someone else', async () => {
    const secret = 'Private held text ' + Date.now();
    const page = await h.get(base, h.SEED_PATH);
    const hid = h.hiddenFields(page.body);
    const r = await h.postForm(base, '/comments', { ...hid, comment: secret, author: 'Owner',
      email: 'owner@example.com', url: '', gz_website: '' });
    const own = await h.get(base, h.splitLocation(r.headers.location).path);
    assert.ok(own.body.includes(secret), 'the commenter sees the held comment');
    assert.match(own.headers['cache-control'], /private|no-store/);
    // everyone else, whatever they send
    for (const p of [h.SEED_PATH, h.SEED_PATH + '?unapproved=1', h.SEED_PATH + '?utm_source=x']) {
      const other = await h.get(base, p);
      assert.ok(!other.body.includes(secret), `${p} does not leak the held comment`);
    }
    // a form with typed values (422) is not cached
    const bad = await h.postForm(base, '/comments', { ...hid, comment: 'Typed by A ' + secret, author: '',
      email: 'a@example.com', gz_website: '' });
    assert.equal(bad.status, 422);
    assert.ok(!(await h.get(base, h.SEED_PATH)).body.includes('Typed by A'), 'typed values stay with their author');
    // two cookie jars: an admin's page is not given to a signed-out reader or another user
    const admin = await a.signedIn(base, 'admin');
    const editor = await a.signedIn(base, 'editor');
    const ap = await admin.get('/admin/stories');
    assert.equal(ap.status, 200);
    assert.match(ap.headers['cache-control'], /no-store/);
    const anon = await h.get(base, '/admin/stories');
    assert.notEqual(anon.status, 200, 'signed out: sent to sign in');
    const ed = await editor.get('/admin/account');
    assert.ok(!ed.body.includes(a.email('admin')) || ed.body.includes(a.email('editor')),
      'the editor sees their own account page');
  });

  test('media files are served from the media folder, traversal refused', async () => {
    fs.mkdirSync(path.join(dir, 'media', '2024', '07'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'media', '2024', '07', 'pic.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const m = await h.get(base, '/media/2024/07/pic.png');
    assert.equal(m.status, 200);
    assert.equal(m.headers['content-type'], 'image/png');
    for (const p of ['/media/../gazette.conf', '/media/2024/%2e%2e/%2e%2e/gazette.conf', '/media/2024/07/%2Fpic.png'])
      assert.equal((await h.get(base, p)).status, 404, p);
  });
});
