'use strict';
// The editor keeps what the writer gave it (issue 11): line ends stored as LF
// and the publication time with its seconds, so an Update with no edits writes
// no revision; a featured image chosen before a preview is published with the
// story (and only its own user can name it); a save posted after the session
// ended comes back, intact, after the next sign-in and only for that account;
// the autosave keeps the form beside the story, never in it.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

let dir; let srv; let ed; let au;

function sql(query) {
  return h.sqlRows(dir, query);
}
const files = (sub) => { const d = path.join(dir, sub); return fs.existsSync(d) ? fs.readdirSync(d) : []; };
const revisions = (id) => sql(`SELECT version, changed FROM revisions WHERE story_id = ${id} ORDER BY id`);
const storyRow = (id) => sql(`SELECT version, body_md, excerpt, title, published_at, featured_image FROM stories WHERE id = ${id}`)[0];
// What a browser posts: the editor's fields with every line ending in CRLF.
const crlf = (v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x).replace(/\r?\n/g, '\r\n')]));

before(async () => {
  dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  ed = await a.signedIn(srv.url, 'editor');
  au = await a.signedIn(srv.url, 'author');
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

describe('saving exactly what was written', () => {
  test('CRLF and lone CR are stored as LF; the time keeps its seconds; Update with no edits writes no revision', async () => {
    const id = await a.writeStory(ed, { title: 'Line ends', excerpt: 'One\r\ntwo', body: 'First line.\r\nSecond line.\rThird.\r\n\r\nNext paragraph.' });
    const row = storyRow(id);
    assert.equal(row.body_md, 'First line.\nSecond line.\nThird.\n\nNext paragraph.', 'body stored with LF');
    assert.equal(row.excerpt, 'One\ntwo', 'excerpt stored with LF');
    const editor = await ed.get(`/admin/stories/${id}`);
    const input = h.findTags(editor.body, 'input').find((t) => t.attrs.id === 'published_at');
    assert.equal(input.attrs.step, '1', 'the time input takes seconds');
    assert.match(input.attrs.value, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'the time carries its seconds');
    assert.equal(Date.parse(input.attrs.value + 'Z') / 1000, row.published_at, 'the exact stored time');
    const revs = revisions(id);
    // Update, as a browser sends it (CRLF), changing nothing
    const vals = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/publish`, crlf(vals));
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /\?msg=unchanged$/);
    assert.deepEqual(revisions(id), revs, 'no revision for a save that changed nothing');
    assert.equal(storyRow(id).version, row.version, 'no version bump');
    // the time without seconds (an older browser) is still read, and is a change
    const noSec = await ed.post(`/admin/stories/${id}/save`, { ...crlf(vals), published_at: vals.published_at.slice(0, 16) });
    assert.equal(noSec.status, 303);
    const t = storyRow(id).published_at;
    assert.equal(t % 60, 0, 'HH:MM parsed as HH:MM:00');
    assert.equal(t, Date.parse(vals.published_at.slice(0, 16) + ':00Z') / 1000);
    // a real edit still writes one revision naming what changed
    const v2 = await a.editorValues(ed, id);
    await ed.post(`/admin/stories/${id}/save`, crlf({ ...v2, body: v2.body + '\nMore.' }));
    const last = revisions(id).at(-1);
    assert.equal(last.changed, 'body');
  });
});

describe('headings of a story body', () => {
  test('#, ## and ### under the title give h2, h3, h4: no gap in the outline, and the page validates', { timeout: 120000 }, async () => {
    const id = await a.writeStory(ed, { title: 'Outline', body: 'Intro.\n\n# Part\n\nText.\n\n## Section\n\nText.\n\n### Detail\n\nEnd.' });
    const page = (await h.get(srv.url, await a.publicPath(ed, id))).body;
    const levels = [...page.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => [Number(m[1]), h.textOf(m[2]).trim()]);
    const body = levels.slice(levels.findIndex(([, t]) => t === 'Outline'));
    assert.deepEqual(body.slice(0, 4), [[1, 'Outline'], [2, 'Part'], [3, 'Section'], [4, 'Detail']]);
    const only3 = await a.writeStory(ed, { title: 'Shallow', body: '## Two\n\n#### Four' });
    const p3 = (await h.get(srv.url, await a.publicPath(ed, only3))).body;
    assert.match(p3, /<h2>Two<\/h2>\s*<h3>Four<\/h3>/, '## and #### give h2 and h3');
    const vnu = path.join(h.ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    const f = path.join(h.tmpDir(), 'outline.html');
    fs.writeFileSync(f, page);
    const r = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'gnu', f], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, `vnu found errors:\n${r.stderr}${r.stdout}`);
  });
});

describe('a featured image chosen before Preview', () => {
  test('is kept out of /media/ by the preview and published with the story', async () => {
    const before = files('media');
    const image = a.png(4, 3);
    const pv = await a.postMultipart(ed, '/admin/stories/new/preview', { title: 'Previewed picture', body: 'Look.', comments_open: '1' },
      [{ name: 'featured_image', filename: 'photo.png', type: 'image/png', data: image }]);
    assert.equal(pv.status, 200, h.textOf(pv.body).slice(0, 300));
    const token = h.formValues(pv.body, 'editor').values.pending_image;
    assert.match(token || '', /^[0-9a-f]{32}\.png\.[0-9a-f]{32}$/, 'the form names the waiting image');
    assert.match(h.textOf(pv.body), /A new image \(4 × 3\) is chosen/);
    assert.deepEqual(files('media'), before, 'nothing public before the save');
    assert.equal(files('pending-images').length, 1);
    // another account cannot use the token, and a forged one is refused
    const stolen = await a.postMultipart(au, '/admin/stories/new/publish', { title: 'Stolen', body: 'x', pending_image: token }, []);
    assert.equal(stolen.status, 422);
    assert.match(h.textOf(stolen.body), /image chosen before is no longer available/);
    for (const bad of ['../../gazette.db', token.replace(/.$/, (c) => (c === '0' ? '1' : '0')), `${token.split('.')[0]}.png.`,
      `../${token}`]) {
      const r = await a.postMultipart(ed, '/admin/stories/new/publish', { title: 'Forged', body: 'x', pending_image: bad }, []);
      assert.equal(r.status, 422, bad);
    }
    // Publish with the form as the preview gave it back: no file part
    const vals = h.formValues(pv.body, 'editor').values;
    const pub = await a.postMultipart(ed, '/admin/stories/new/publish', { ...vals, title: 'Previewed picture', body: 'Look.' }, []);
    assert.equal(pub.status, 303, h.textOf(pub.body).slice(0, 300));
    const id = Number(/\/admin\/stories\/(\d+)\?msg=published/.exec(pub.headers.location)[1]);
    const row = storyRow(id);
    // through the media library (issue 14): a JPEG variant is shown, the
    // original kept byte for byte outside media/
    const m = /^\/media\/([0-9a-f]{16})-4\.jpg$/.exec(row.featured_image);
    assert.ok(m, row.featured_image);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'media-originals', `${m[1]}.png`)), image);
    assert.equal(files('pending-images').length, 0, 'the waiting copy is gone');
    const page = await h.get(srv.url, await a.publicPath(ed, id));
    assert.match(page.body, new RegExp(`<figure class="figure featured"><picture>(?:<source [^>]*>)*<img src="${row.featured_image}" srcset="[^"]*" sizes="[^"]*" width="4" height="3"`));
  });
});

describe('a save after the session ended', () => {
  // The session ends on the server (idle too long); the browser still sends
  // its cookie, and the form its session's CSRF token.
  async function expiredPost(client, role, id, fields, headers = {}) {
    sql(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = '${a.email(role)}')`);
    return client.post(`/admin/stories/${id}/save`, fields, { headers });
  }
  // Signing in again from the same browser (its old cookie goes along).
  function signInAgain(client, role, next) {
    return h.postForm(srv.url, '/admin/sign-in', { email: a.email(role), password: a.PASSWORD, next },
      { headers: client.cookie ? { Cookie: `gz_session=${client.cookie}` } : {} });
  }

  test('keeps the text for the account that signs in next, and only for it', async () => {
    const c = await a.signedIn(srv.url, 'author');
    const id = await a.writeStory(c, { title: 'Kept text', body: 'Original.' }, 'save');
    const row = storyRow(id);
    const vals = await a.editorValues(c, id);
    const text = 'Written while the session ran out.\r\n\r\nSecond paragraph & <b>tags</b>.';
    const r = await expiredPost(c, 'author', id, { ...vals, body: text, title: 'Kept text, edited' });
    assert.equal(r.status, 303);
    const loc = new URL(r.headers.location, srv.url);
    assert.equal(loc.pathname, '/admin/sign-in');
    assert.equal(loc.searchParams.get('msg'), 'expired');
    const next = loc.searchParams.get('next');
    assert.match(next, new RegExp(`^/admin/stories/${id}\\?draft=[0-9a-f]{64}$`));
    assert.deepEqual(storyRow(id), row, 'nothing saved by a signed-out post');
    // the sign-in page carries next; the author signs in and gets the text back
    const form = await h.get(srv.url, loc.pathname + loc.search);
    assert.equal(h.formValues(form.body, 'sign-in-form').values.next, next);
    assert.match(h.textOf(form.body), /Your session has ended/);
    // another account (an admin may edit every story), signing in with the
    // token from its own browser, cannot take it or read it
    const other = new a.Client(srv.url);
    const os = await signInAgain(other, 'admin', next);
    assert.equal(os.status, 303);
    other.cookie = a.cookieOf(os);
    const peek = await other.get(next);
    assert.equal(peek.status, 200);
    assert.ok(!peek.body.includes('Written while the session ran out'), 'not shown to another account');
    const s = await signInAgain(c, 'author', next);
    assert.equal(s.status, 303);
    assert.equal(s.headers.location, next);
    c.cookie = a.cookieOf(s);
    const back = await c.get(next);
    assert.equal(back.status, 200);
    const v = h.formValues(back.body, 'editor').values;
    assert.equal(v.body, text.replace(/\r\n/g, '\n'), 'the text is intact');
    assert.equal(v.title, 'Kept text, edited');
    assert.equal(v.version, vals.version, 'the version it was written against');
    assert.match(h.textOf(back.body), /after your session had ended\. It is NOT saved yet/);
    // the admin signing in with the same next later gets nothing either
    const late = await h.postForm(srv.url, '/admin/sign-in', { email: a.email('admin'), password: a.PASSWORD, next });
    const lateClient = new a.Client(srv.url); lateClient.cookie = a.cookieOf(late);
    assert.ok(!(await lateClient.get(next)).body.includes('Written while the session ran out'));
    // saving it (with the refilled form) is an ordinary save
    const saved = await c.post(`/admin/stories/${id}/save`, v);
    assert.equal(saved.status, 303);
    assert.equal(storyRow(id).body_md, text.replace(/\r\n/g, '\n'));
    assert.equal(sql(`SELECT count(*) AS n FROM editor_drafts WHERE story_id = ${id}`)[0].n, 0, 'kept text dropped after the save');
  });

  test('a new story is kept too; a post from another origin, without a session\'s cookie and token, or for no story is not', async () => {
    const c = await a.signedIn(srv.url, 'author');
    await c.get('/admin/stories/new');
    const n = sql('SELECT count(*) AS n FROM editor_drafts')[0].n;
    const r = await expiredPost(c, 'author', 'new', { title: 'Brand new', body: 'Never saved before.', version: '' });
    const next = new URL(r.headers.location, srv.url).searchParams.get('next');
    assert.match(next, /^\/admin\/stories\/new\?draft=[0-9a-f]{64}$/);
    const s = await signInAgain(c, 'author', next);
    c.cookie = a.cookieOf(s);
    assert.equal(h.formValues((await c.get(next)).body, 'editor').values.body, 'Never saved before.');
    const c2 = await a.signedIn(srv.url, 'author');
    const evil = await expiredPost(c2, 'author', 'new', { title: 'Evil', body: 'x' }, { Origin: 'https://evil.example' });
    assert.equal(evil.headers.location, '/admin/sign-in');
    const c3 = await a.signedIn(srv.url, 'author');
    const none = await expiredPost(c3, 'author', 999999, { title: 'No such story', body: 'x', version: '1' });
    assert.equal(none.headers.location, '/admin/sign-in', 'a story that does not exist');
    const noForm = await h.postForm(srv.url, '/admin/stories/new/save', { title: 'No token', body: 'x' });
    assert.equal(noForm.headers.location, '/admin/sign-in');
    const forged = await h.postForm(srv.url, '/admin/stories/new/save', { title: 'Forged', body: 'x', gz_csrf: 'f'.repeat(64) },
      { headers: { Cookie: `gz_session=${'a'.repeat(64)}` } });
    assert.equal(forged.headers.location, '/admin/sign-in', 'a made-up cookie and token');
    assert.equal(sql('SELECT count(*) AS n FROM editor_drafts')[0].n, n + 1, 'only the genuine form was kept');
  });

  test('text kept for one browser is never handed to another who signs in with its address', async () => {
    // an attacker with an account of her own stashes text and sends the
    // sign-in link to the story's author
    const attacker = await a.signedIn(srv.url, 'contributor');
    const victim = await a.signedIn(srv.url, 'author');
    const id = await a.writeStory(victim, { title: 'Victim story', body: 'Real text.' }, 'save');
    const { gz_csrf: victimsToken, ...vals } = await a.editorValues(victim, id);
    assert.ok(victimsToken);
    await attacker.get('/admin/stories/new');
    const r = await expiredPost(attacker, 'contributor', id, { ...vals, title: 'Planted title', body: 'Planted [link](https://evil.example/).' });
    assert.equal(r.status, 303);
    const next = new URL(r.headers.location, srv.url).searchParams.get('next');
    assert.match(next, /draft=[0-9a-f]{64}$/);
    // the victim, whose own session had also ended, follows the link
    sql(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = '${a.email('author')}')`);
    const s = await signInAgain(victim, 'author', next);
    assert.equal(s.status, 303);
    victim.cookie = a.cookieOf(s);
    const page = await victim.get(next);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes('Planted'), 'the planted text is not in the victim\'s editor');
    assert.equal(h.formValues(page.body, 'editor').values.title, 'Victim story');
  });
});

describe('autosave', () => {
  test('keeps the form beside the story, never in it, and stops at a newer save', async () => {
    const id = await a.writeStory(ed, { title: 'Autosaved story', body: 'Published text.' });
    const row = storyRow(id);
    const pagePath = await a.publicPath(ed, id);
    const vals = await a.editorValues(ed, id);
    const same = await ed.post(`/admin/stories/${id}/autosave`, crlf(vals));
    assert.equal(same.status, 200);
    assert.equal(JSON.parse(same.body).state, 'unchanged');
    const r = await ed.post(`/admin/stories/${id}/autosave`, { ...vals, body: 'Half-written new text.' });
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /application\/json/);
    assert.equal(JSON.parse(r.body).state, 'saved');
    assert.deepEqual(storyRow(id), row, 'the story itself is untouched');
    assert.deepEqual(revisions(id).length, 1);
    assert.ok(!(await h.get(srv.url, pagePath)).body.includes('Half-written'), 'nothing published');
    // the editor offers it to its writer only
    const editor = await ed.get(`/admin/stories/${id}`);
    const link = h.findTags(editor.body, 'a').find((t) => t.attrs.id === 'autosave-restore');
    assert.ok(link, 'a restore link');
    const restored = await ed.get(link.attrs.href.replace(/&amp;/g, '&'));
    assert.equal(h.formValues(restored.body, 'editor').values.body, 'Half-written new text.');
    const admin = await a.signedIn(srv.url, 'admin');
    const theirs = await admin.get(`/admin/stories/${id}`);
    assert.ok(!theirs.body.includes('autosave-restore'), 'not offered to another account');
    assert.ok(!(await admin.get(link.attrs.href.replace(/&amp;/g, '&'))).body.includes('Half-written'));
    // someone saves: the old form's autosave is refused (409), the offer is gone
    await admin.post(`/admin/stories/${id}/save`, { ...(await a.editorValues(admin, id)), body: 'Admin text.' });
    const stale = await ed.post(`/admin/stories/${id}/autosave`, { ...vals, body: 'Still typing.' });
    assert.equal(stale.status, 409);
    assert.equal(JSON.parse(stale.body).state, 'conflict');
    assert.equal(storyRow(id).body_md, 'Admin text.');
    assert.ok(!(await ed.get(`/admin/stories/${id}`)).body.includes('autosave-restore'), 'an older autosave is not offered');
    // signed out: no autosave (a 303 to sign in), nothing kept
    const out = await h.postForm(srv.url, `/admin/stories/${id}/autosave`, { ...vals, body: 'x' });
    assert.equal(out.status, 303);
  });
});
