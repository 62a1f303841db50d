'use strict';
// The comment form's stamp on cached pages (issue 11, point 1): the page
// cache keeps a story page once, but every reader gets a form stamped with
// the moment that reader received it, so the minimum time counts from the
// reader's load and a form stays good for comment_form_max_age after it,
// however long the page has been in the cache.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const h = require('./helpers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const uniq = (p) => `${p} ${++n} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

async function load(srv, headers = {}) {
  const r = await h.get(srv.url, h.SEED_PATH, { headers });
  assert.equal(r.status, 200);
  return r;
}

function stampOf(html) {
  const m = /name="gz_ts" value="([^"]*)"/.exec(html);
  assert.ok(m, 'the page carries gz_ts');
  return m[1];
}

function post(srv, hid, who) {
  return h.postForm(srv.url, '/comments', {
    ...hid, gz_website: '', comment: uniq('Stamp check'), author: who, email: 'stamp@example.com', url: '',
  });
}

describe('comment form stamp on a cached story page', () => {
  let srv;
  before(async () => {
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 2, comment_form_max_age: 4, comment_rate_per_minute: 1000 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('each load of the cached page has its own stamp; everything else is the same bytes', async () => {
    const a = await load(srv);
    await sleep(1100);
    const b = await load(srv);
    const c = await load(srv);
    assert.notEqual(stampOf(a.body), stampOf(b.body), 'a load 1 s later has a later stamp');
    const ta = Number(stampOf(a.body).split('.')[0]);
    const tb = Number(stampOf(b.body).split('.')[0]);
    assert.ok(tb - ta >= 1000, `stamps ${ta} and ${tb} are at least 1 s apart`);
    assert.ok(Math.abs(tb - Date.now()) < 2000, 'the stamp is the time of the load');
    const strip = (s) => s.replace(/name="gz_ts" value="[^"]*"/, '');
    assert.equal(strip(b.body), strip(c.body), 'the cached page itself is unchanged');
    assert.equal(b.headers.etag, undefined, 'a page whose bytes change per load has no ETag');
  });

  test('a post 1 s after a cached load is refused with 422 and the reader\'s text kept', async () => {
    await load(srv); // fills the cache
    await sleep(2500); // the cached copy is now older than comment_min_seconds
    const r0 = await load(srv);
    const hid = h.hiddenFields(r0.body);
    await sleep(1000);
    const r = await post(srv, hid, 'Quick Reader');
    assert.equal(r.status, 422, `1 s after the load: ${r.status}`);
    assert.match(h.textOf(r.body), /You sent the form very quickly/);
    assert.match(r.body, /Quick Reader/, 'the typed name comes back');
  });

  test('a page cached longer than comment_form_max_age still takes a comment after its reader waited', async () => {
    await load(srv); // fills the cache
    await sleep(4500); // older than the 4 s maximum age
    const r0 = await load(srv);
    const hid = h.hiddenFields(r0.body);
    await sleep(2100); // comment_min_seconds after this reader's load
    const r = await post(srv, hid, 'Patient Reader');
    assert.equal(r.status, 303, `expected 303, got ${r.status}: ${h.textOf(r.body).slice(0, 200)}`);
  });

  test('a form older than comment_form_max_age is refused as expired, values kept', async () => {
    const hid = h.hiddenFields((await load(srv)).body);
    await sleep(4300);
    const r = await post(srv, hid, 'Late Reader');
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /This form has expired/);
    assert.match(r.body, /Late Reader/);
  });

  test('the gzip variant carries a fresh stamp too and decodes; a client asking for brotli gets gzip', async () => {
    const plain = await load(srv);
    await sleep(300);
    for (const ae of ['gzip', 'br, gzip']) {
      const r = await h.request(srv.url, h.SEED_PATH, { headers: { 'Accept-Encoding': ae }, raw: true });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-encoding'], 'gzip', `Accept-Encoding: ${ae}`);
      const html = zlib.gunzipSync(r.raw).toString('utf8'); // checks the CRC and length
      assert.notEqual(stampOf(html), stampOf(plain.body));
      const strip = (s) => s.replace(/name="gz_ts" value="[^"]*"/, '');
      assert.equal(strip(html), strip(plain.body));
    }
  });

  test('a forged stamp of the right length is refused', async () => {
    const hid = h.hiddenFields((await load(srv)).body);
    const [ms, sig] = hid.gz_ts.split('.');
    const forged = `${Number(ms) - 3000}.${sig}`;
    await sleep(2100);
    const r = await post(srv, { ...hid, gz_ts: forged }, 'Forger');
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /could not be verified/);
  });
});

describe('a story whose comments are closed', () => {
  let srv, dir;
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { comments_open: 0 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('has no stamp and is served from the cache', async () => {
    const first = await load(srv);
    assert.ok(!/name="gz_ts"/.test(first.body), 'no form, no stamp');
    await load(srv);
    // a change made behind the server's back, with nothing in the change log:
    // a cached page does not show it, a page built again would
    h.sql(dir, "UPDATE stories SET title = 'Changed behind the cache' WHERE slug = '" + h.SEED_SLUG + "'");
    await sleep(1200);
    const again = await load(srv);
    assert.ok(!again.body.includes('Changed behind the cache'), 'the page came from the cache');
    assert.equal(again.body, first.body);
  });
});
