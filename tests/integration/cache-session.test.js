'use strict';
// Issue 12 point 2: a cookie that merely looks like a session must not make
// every page a cache miss. Only a cookie naming a live session gets pages of
// its own; a made-up one (any value, or a well-formed 64-hex token no
// session has) is a reader and is served from the page cache.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('the page cache and session cookies', () => {
  let dir, srv;
  function behindTheBack(q) { h.sql(dir, q); }
  before(async () => {
    dir = a.makeNewsroom();
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('a made-up session cookie is served the cached page; a live session is not', async () => {
    const first = await h.get(srv.url, h.SEED_PATH);
    assert.equal(first.status, 200);
    const editor = await a.signedIn(srv.url, 'editor');
    behindTheBack(`UPDATE stories SET title = title || ' UNLOGGED' WHERE slug = '${h.SEED_SLUG}'`);
    await sleep(1100);
    for (const cookie of ['gz_session=x', `gz_session=${'ab'.repeat(32)}`, `gz_session=${'0'.repeat(64)}; other=1`]) {
      const r = await h.get(srv.url, h.SEED_PATH, { headers: { Cookie: cookie } });
      assert.equal(r.status, 200);
      assert.ok(!r.body.includes('UNLOGGED'), `${cookie}: served from the cache`);
    }
    const staff = await editor.get(h.SEED_PATH);
    assert.equal(staff.status, 200);
    assert.ok(staff.body.includes('UNLOGGED'), 'a live session gets a page built for it');
    assert.match(staff.headers['cache-control'] || '', /private|no-store/);
    behindTheBack(`UPDATE stories SET title = replace(title, ' UNLOGGED', '') WHERE slug = '${h.SEED_SLUG}'`);
  });

  test('a session that ended is a reader again', async () => {
    const editor = await a.signedIn(srv.url, 'author');
    const cookie = editor.cookie;
    await editor.post('/admin/sign-out');
    await h.get(srv.url, '/'); // cached
    behindTheBack("UPDATE stories SET title = title || ' LATER' WHERE id = (SELECT id FROM stories WHERE status = 3 ORDER BY published_at DESC LIMIT 1)");
    await sleep(1100);
    const r = await h.get(srv.url, '/', { headers: { Cookie: `gz_session=${cookie}` } });
    assert.ok(!r.body.includes(' LATER'), 'the old cookie is served the cached home page');
    behindTheBack("UPDATE stories SET title = replace(title, ' LATER', '')");
  });
});
