'use strict';
// CSRF (issue 7): every state-changing admin route, read from the route table
// in src/app/routes.c (so a route added later is covered without touching
// this file), refuses a POST from a signed-in admin that lacks the session's
// CSRF token, carries a wrong or another session's token, or comes with the
// Origin of another site even with the right token: 403, and nothing in the
// database changes. The sign-in routes (no session yet) refuse a cross-origin
// post. A control shows the same requests succeed with the token.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');

const ROUTER = path.join(__dirname, '..', '..', 'src', 'app', 'routes.c');
const EVIL = 'https://evil.example';

// { pattern, flags } of every POST row of the route table.
function postRoutes() {
  const src = fs.readFileSync(ROUTER, 'utf8');
  const out = [];
  for (const m of src.matchAll(/\{\s*HTTP_POST,\s*"([^"]+)",\s*\w+,\s*([^}]*)\}/g)) out.push({ pattern: m[1], flags: m[2] });
  return out;
}

// What an admin change could touch; sessions are checked by using them.
const TABLES = ['stories', 'story_tags', 'tags', 'revisions', 'users', 'comments', 'settings', 'recovery_codes',
  'redirects', 'sections', 'media'];
// (the lines sorted: PostgreSQL keeps no row order without ORDER BY)
function snapshot(site) {
  const q = TABLES.map((t) => `SELECT '${t}', * FROM ${t};`).join('\n');
  return h.sql(site, q).split('\n').sort().join('\n');
}

let dir;
let srv;
let admin;
let other; // another admin session: its token must not work for ours
const ids = {};

before(async () => {
  dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  admin = await a.signedIn(srv.url, 'admin');
  other = await a.signedIn(srv.url, 'admin');
  ids.story = await a.writeStory(admin, { title: 'CSRF target', body: 'Original text.' });
  await admin.post(`/admin/stories/${ids.story}/save`, { ...(await a.editorValues(admin, ids.story)), body: 'Second text.' });
  ids.rev = Number(h.sql(dir, `SELECT min(id) FROM revisions WHERE story_id = ${ids.story}`));
  // a held comment to moderate
  const story = await a.publicPath(admin, ids.story);
  const hid = h.hiddenFields((await h.get(srv.url, story)).body);
  const c = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: 'A comment to moderate.',
    author: 'Reader', email: 'reader@example.com' });
  ids.comment = Number((/(?:#comment-|unapproved=)(\d+)/.exec(c.headers.location || '') || [])[1]);
  // a media library item (issue 14)
  const up = await a.postMultipart(admin, '/admin/media', {}, [{ name: 'files', filename: 'csrf.png', type: 'image/png', data: a.png(6, 4) }]);
  ids.media = Number((/<a href="\/admin\/media\/(\d+)">csrf\.png<\/a>/.exec(up.body) || [])[1]);
  const users = (await admin.get('/admin/users')).body;
  ids.user = Number((/action="\/admin\/users\/(\d+)"/.exec(users) || [])[1]);
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

// A concrete path for a pattern and a body that would change something.
function concrete(pattern) {
  const p = pattern.replace(/^\/admin\/stories\/:id/, `/admin/stories/${ids.story}`)
    .replace(/^\/admin\/comments\/:id/, `/admin/comments/${ids.comment}`)
    .replace(/^\/admin\/users\/:id/, `/admin/users/${ids.user}`)
    .replace(/^\/admin\/media\/:id/, `/admin/media/${ids.media}`)
    .replace(':rev', String(ids.rev)).replace(':action', 'approve');
  return p;
}
const FIELDS = {
  title: 'Changed by CSRF', body: 'Changed by CSRF.', excerpt: 'x', version: '1', slug: 'csrf-changed', comments_open: '1',
  name: 'CSRF Person', email: 'csrf@evil.example', role: 'admin', password: 'correct horse battery staple 2',
  current: a.PASSWORD, disabled: '1', action: 'approve', ids: '', comment: 'Changed by CSRF.',
  close_days: '1', max_links: '1', hold_words: 'csrf', reject_words: 'csrf', secret: 'JBSWY3DPEHPK3PXP', code: '000000',
};

describe('CSRF: every state-changing admin route', () => {
  const routes = postRoutes().filter((r) => r.pattern.startsWith('/admin'));

  test('the route table was read', () => {
    assert.ok(routes.length >= 15, `admin POST routes found: ${routes.length}`);
    for (const r of routes) {
      assert.match(r.flags, /ADMIN_POST|ROUTE_ORIGIN/, `${r.pattern}: every admin POST is guarded (ADMIN_POST or ROUTE_ORIGIN)`);
    }
    assert.ok(ids.story && ids.rev && ids.comment && ids.user && ids.media, `targets: ${JSON.stringify(ids)}`);
  });

  test('without a token, with a wrong or another session\'s token, or cross-origin: 403, nothing changed', { timeout: 120000 }, async () => {
    const before = snapshot(dir);
    let n = 0;
    for (const r of routes.filter((x) => /ADMIN_POST/.test(x.flags))) {
      const p = concrete(r.pattern);
      const ways = [
        ['no token', () => admin.post(p, FIELDS, { csrf: false })],
        ['empty token', () => admin.post(p, { ...FIELDS, gz_csrf: '' }, { csrf: false })],
        ['wrong token', () => admin.post(p, { ...FIELDS, gz_csrf: 'ab'.repeat(32) }, { csrf: false })],
        ['another session\'s token', () => admin.post(p, { ...FIELDS, gz_csrf: other.csrf }, { csrf: false })],
        ['cross-origin, right token', () => admin.post(p, FIELDS, { headers: { Origin: EVIL } })],
        ['cross-origin "null", right token', () => admin.post(p, FIELDS, { headers: { Origin: 'null' } })],
      ];
      for (const [what, send] of ways) {
        const res = await send();
        assert.equal(res.status, 403, `${p} (${what}): ${res.status}`);
        assert.match(h.textOf(res.body), /Nothing was changed/, `${p} (${what}): a clear page`);
        n++;
      }
    }
    assert.equal(snapshot(dir), before, 'the database is unchanged');
    // the session survived the refused sign-outs
    assert.equal((await admin.get('/admin/stories')).status, 200, 'still signed in');
    assert.ok(n >= 90, `refusals checked: ${n}`);
  });

  test('control: with the token and our Origin the same form works', async () => {
    const vals = await a.editorValues(admin, ids.story);
    const ok = await admin.post(`/admin/stories/${ids.story}/preview`, { ...vals, body: 'Preview text.' },
      { headers: { Origin: srv.url } });
    assert.equal(ok.status, 200, 'preview with the token');
    const s = await admin.post('/admin/settings', { close_days: '0', max_links: '3', hold_words: '', reject_words: '' });
    assert.ok([200, 303].includes(s.status), `settings with the token: ${s.status}`);
  });

  test('sign-in from another origin is refused and makes no session', async () => {
    for (const p of routes.filter((x) => /ROUTE_ORIGIN/.test(x.flags) && !/ADMIN_POST/.test(x.flags)).map((x) => x.pattern)) {
      const r = await h.postForm(srv.url, p, { email: a.email('admin'), password: a.PASSWORD, code: '000000' },
        { headers: { Origin: EVIL } });
      assert.equal(r.status, 403, `${p} cross-origin`);
      assert.equal(a.cookieOf(r), null, `${p}: no session cookie`);
    }
  });
});
