'use strict';
// Crash safety: the server is SIGKILLed while several clients post comments
// (and, in the last suite, while editors save stories in the admin)
// (20 rounds, each at a different moment); every comment that got its 303
// must be stored and shown afterwards and the database must pass
// PRAGMA integrity_check. Then a full disk (a small tmpfs, root only) and a
// read-only database (chattr +i): a comment POST gets a clear 503, nothing
// stored is lost, and posting works again once the disk is writable.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

const ROUNDS = Number(process.env.GAZETTE_CRASH_ROUNDS || 20);
const CLIENTS = 4;
const isRoot = process.getuid && process.getuid() === 0;

function integrity(db) {
  const r = spawnSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return (r.stdout || '').trim() + (r.stderr || '').trim();
}

after(() => h.cleanupSites());

// Posts comments in a loop until stop() is called; remembers every 303.
// Each post comes from its own client behind the trusted proxy: a form
// stamp is good for one comment per client.
let clientSeq = 0;
function poster(base, hid, tag, acked) {
  let running = true;
  let i = 0;
  const done = (async () => {
    while (running) {
      const text = `crash ${tag} ${i++} ${Math.random().toString(36).slice(2)}`;
      try {
        clientSeq++;
        const client = `198.18.${(clientSeq >> 8) & 255}.${clientSeq & 255}`;
        const r = await h.postForm(base, '/comments', { ...hid, gz_website: '', comment: text,
          author: `Crash ${tag}`, email: `crash${tag}@example.com` }, { headers: { 'X-Forwarded-For': client } });
        if (r.status === 303) acked.push({ text, location: r.headers.location, id: Number(/#comment-(\d+)/.exec(r.headers.location)[1]) });
        else if (r.status >= 500) { /* only while dying */ }
      } catch { /* the server died mid-request */ }
    }
  })();
  return { stop() { running = false; return done; } };
}

// SQLite's own file under kill -9 (its journal, PRAGMA integrity_check), a
// full disk and a read-only file in the site's folder: PostgreSQL keeps its
// data in its server, whose durability is its WAL's.
const LITE = h.sqliteOnly("SQLite's file under kill -9, a full disk or read-only; PostgreSQL's data is its server's");

describe('SIGKILL while comments are being posted', () => {
  test(`${ROUNDS} rounds: every acknowledged comment survives, integrity ok`, { timeout: 600000, ...LITE }, async () => {
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000, trusted_proxy: '127.0.0.1' } });
    const db = path.join(dir, 'gazette.db');
    const acked = [];
    for (let round = 0; round < ROUNDS; round++) {
      const srv = await h.startServer(dir);
      const page = await h.get(srv.url, h.SEED_PATH);
      assert.equal(page.status, 200, `round ${round}: serving after restart`);
      const hid = h.hiddenFields(page.body);
      const clients = Array.from({ length: CLIENTS }, (_, c) => poster(srv.url, hid, `${round}.${c}`, acked));
      const before = acked.length;
      await new Promise((r) => setTimeout(r, 30 + Math.floor(Math.random() * 400)));
      srv.proc.kill('SIGKILL');
      await new Promise((r) => srv.proc.once('exit', r));
      await Promise.all(clients.map((c) => c.stop()));
      assert.equal(integrity(db), 'ok', `round ${round}: integrity_check`);
      assert.ok(acked.length >= before, 'progress');
    }
    assert.ok(acked.length > ROUNDS, `comments were acknowledged (${acked.length})`);
    // Every acknowledged comment is stored ...
    const stored = new Map(h.listComments(dir).map((c) => [c.id, c]));
    for (const a of acked) {
      const c = stored.get(a.id);
      assert.ok(c, `comment ${a.id} ("${a.text}") was acknowledged but is missing`);
      assert.ok(c.text.includes(a.text), `comment ${a.id} holds its text`);
    }
    // ... with its form stamp spent in the same transaction: one spent stamp
    // per stored comment (each post was its own client), never one without the other
    const count = (q) => Number(spawnSync('sqlite3', [db, q], { encoding: 'utf8' }).stdout.trim());
    assert.equal(count('SELECT count(*) FROM comment_stamps'), count("SELECT count(*) FROM comments WHERE author LIKE 'Crash %'"),
      'a spent stamp for every stored comment and a comment for every spent stamp');
    // ... and shown: to its author through the moderation link, and once approved, to everyone.
    const srv = await h.startServer(dir);
    try {
      const sample = acked.filter((_, i) => i % Math.max(1, Math.floor(acked.length / 40)) === 0);
      for (const a of sample) {
        const r = await h.get(srv.url, h.splitLocation(a.location).path);
        assert.equal(r.status, 200);
        assert.ok(r.body.includes(`id="comment-${a.id}"`), `held comment ${a.id} shown to its author`);
      }
      for (const a of sample.slice(0, 10)) h.approve(dir, a.id);
      const story = await h.get(srv.url, h.SEED_PATH);
      for (const a of sample.slice(0, 10)) assert.ok(story.body.includes(`id="comment-${a.id}"`), `approved ${a.id} shown`);
    } finally {
      await srv.stop();
    }
    assert.equal(integrity(db), 'ok');
  });
});

async function postOne(srv, text, extra = {}) {
  const hid = await h.freshHidden(srv.url); // a stamp is good for one comment
  return h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: text, author: 'Disk Tester',
    email: 'disk@example.com', ...extra });
}

function assertClear503(r, what) {
  assert.equal(r.status, 503, `${what}: status`);
  assert.match(r.headers['retry-after'] || '', /^\d+$/, `${what}: Retry-After`);
  assert.match(h.textOf(r.body), /could not be saved/i, `${what}: a clear message`);
}

describe('disk full', () => {
  let mnt;
  let mounted = false;
  before(() => {
    if (!isRoot) return;
    mnt = h.tmpDir();
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=6m,mode=0755', 'tmpfs', mnt]);
    mounted = r.status === 0;
  });
  after(() => { if (mounted) spawnSync('umount', ['-l', mnt]); });

  test('a comment gets a clear 503, nothing is lost, posting resumes when space returns', { timeout: 120000, ...LITE }, async (t) => {
    if (!mounted) { t.skip('needs root and a tmpfs mount'); return; }
    const dir = path.join(mnt, 'site');
    h.gz(['init', '--demo', '--no-photos', '--site', dir]); // 6 MB: no room wasted on pictures
    fs.appendFileSync(path.join(dir, 'gazette.conf'), 'comment_min_seconds = 0\ncomment_rate_per_minute = 100000\n');
    const srv = await h.startServer(dir);
    try {
      const ok = [];
      let r = await postOne(srv, `before the disk fills ${Date.now()}`);
      assert.equal(r.status, 303);
      ok.push(r.headers.location);
      // Fill the file system to the last block.
      const filler = path.join(mnt, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try { for (;;) fs.writeSync(fd, chunk); } catch (e) { assert.equal(e.code, 'ENOSPC'); }
      try { for (;;) fs.writeSync(fd, chunk, 0, 512); } catch (e) { assert.equal(e.code, 'ENOSPC'); }
      fs.closeSync(fd);
      // Comments big enough to need new pages until one is refused (the WAL
      // may still have room for the first few).
      let refused = null;
      for (let i = 0; i < 60 && !refused; i++) {
        r = await postOne(srv, `full ${i} ${'x'.repeat(60000)} ${Date.now()}`, { author: `Full ${i}` });
        if (r.status === 303) ok.push(r.headers.location);
        else refused = r;
      }
      assert.ok(refused, 'a comment was refused while the disk is full');
      assertClear503(refused, 'disk full');
      assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200, 'reading still works');
      r = await postOne(srv, `still full ${Date.now()} ${'y'.repeat(60000)}`);
      assertClear503(r, 'disk still full');
      // Space returns.
      fs.unlinkSync(filler);
      r = await postOne(srv, `after space returns ${Date.now()}`);
      assert.equal(r.status, 303, 'posting works again');
      ok.push(r.headers.location);
      for (const loc of ok) {
        const id = Number(/#comment-(\d+)/.exec(loc)[1]);
        const page = await h.get(srv.url, h.splitLocation(loc).path);
        assert.ok(page.body.includes(`id="comment-${id}"`), `comment ${id} kept`);
      }
    } finally {
      await srv.stop();
    }
    assert.equal(integrity(path.join(dir, 'gazette.db')), 'ok');
  });
});

describe('read-only database', () => {
  function chattr(flag, files) {
    return spawnSync('chattr', [flag, ...files.filter((f) => fs.existsSync(f))]).status === 0;
  }

  test('while serving: a comment gets a clear 503, then posting resumes', { timeout: 60000, ...LITE }, async (t) => {
    if (!isRoot) { t.skip('needs root for chattr +i'); return; }
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000 } });
    const srv = await h.startServer(dir);
    const db = path.join(dir, 'gazette.db');
    const files = [db, `${db}-wal`];
    try {
      let r = await postOne(srv, `before read-only ${Date.now()}`);
      assert.equal(r.status, 303);
      const first = r.headers.location;
      if (!chattr('+i', files)) { t.skip('this file system has no immutable flag'); return; }
      try {
        r = await postOne(srv, `while read-only ${Date.now()}`);
        assertClear503(r, 'read-only');
        assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200, 'reading still works');
      } finally {
        chattr('-i', files);
      }
      r = await postOne(srv, `after read-only ${Date.now()}`);
      assert.equal(r.status, 303, `posting works again; server said:\n${srv.output().split('\n').filter((l) => !/"(GET|POST) /.test(l)).slice(-10).join('\n')}`);
      for (const loc of [first, r.headers.location]) {
        const id = Number(/#comment-(\d+)/.exec(loc)[1]);
        assert.ok((await h.get(srv.url, h.splitLocation(loc).path)).body.includes(`id="comment-${id}"`), `comment ${id} kept`);
      }
    } finally {
      chattr('-i', files);
      await srv.stop();
    }
    assert.equal(integrity(db), 'ok');
  });

  test('started on a read-only database: pages are served, a comment gets a clear 503', { timeout: 60000, ...LITE }, async (t) => {
    if (!isRoot) { t.skip('needs root for chattr +i'); return; }
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000, trusted_proxy: '127.0.0.1' } });
    const db = path.join(dir, 'gazette.db');
    await (await h.startServer(dir)).stop(); // the first start writes the site secret
    if (!chattr('+i', [db])) { t.skip('this file system has no immutable flag'); return; }
    let srv;
    try {
      srv = await h.startServer(dir);
      assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200, 'the story page');
      assertClear503(await postOne(srv, `read-only start ${Date.now()}`), 'read-only from the start');
    } finally {
      chattr('-i', [db]);
      if (srv) await srv.stop();
    }
  });
});

// Saving stories in the admin while the server is SIGKILLed: four editors
// each save their own published story in a loop (every save marks the
// related lists due, and the scheduler rewrites them meanwhile). A 303 means stored:
// after every restart each story holds its last acknowledged text or a
// later attempted one, every acknowledged version is in the revisions with
// its text, the current version's revision matches the story, and no story
// is half-written (title, excerpt, body, rendered HTML and the search index
// all carry the same save).
describe('SIGKILL while stories are being saved in the admin', () => {
  const a = require('./admin-helpers');
  const STORY_ROUNDS = Number(process.env.GAZETTE_CRASH_STORY_ROUNDS || 20);

  function sql(db, query) {
    // every save's revision is read back: many megabytes when saves are quick
    const r = spawnSync('sqlite3', ['-json', db, query], { encoding: 'utf8', timeout: 30000, maxBuffer: 256 << 20 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
  }

  // One editor's loop over its story: fields from the editor page, then saves
  // with the version it holds; a 303 is recorded with the version it made.
  function saver(client, w) {
    let running = true;
    const done = (async () => {
      let vals = null;
      while (running) {
        try {
          if (!vals) vals = await a.editorValues(client, w.id);
          const seq = ++w.seq;
          const mark = `w${w.n}s${seq}`;
          w.tried.set(seq, mark);
          const r = await client.post(`/admin/stories/${w.id}/save`, { ...vals, comments_open: '1',
            title: `Crash story ${w.n} save ${seq}`, excerpt: `Excerpt ${mark}`,
            body: `Paragraph ${mark} about the harbour.\n\n${'Filler words for the related lists. '.repeat(20)}\n\nEnd ${mark}.` });
          if (r.status === 303) {
            vals = { ...vals, version: String(Number(vals.version) + 1) };
            w.acked.push({ seq, mark, version: Number(vals.version) });
          } else {
            vals = null; // 409 (a save committed without its answer) or dying: reload
          }
        } catch {
          vals = null;
          await new Promise((res) => setTimeout(res, 10));
        }
      }
    })();
    return { stop() { running = false; return done; } };
  }

  test(`${STORY_ROUNDS} rounds: every acknowledged save survives, revisions consistent, integrity ok`, { timeout: 300000, ...LITE }, async (t) => {
    const dir = a.makeNewsroom();
    const db = path.join(dir, 'gazette.db');
    let srv = await h.startServer(dir);
    let editor;
    const writers = [];
    try {
      editor = await a.signedIn(srv.url, 'editor'); // the session survives restarts
      for (let n = 0; n < CLIENTS; n++) {
        // save 0 has the shape of every later save: a round in which no
        // save gets through (a slow machine, an early kill) still checks out
        const id = await a.writeStory(editor, { title: `Crash story ${n} save 0`,
          body: `Paragraph w${n}s0 about the harbour.\n\nEnd w${n}s0.`, excerpt: `Excerpt w${n}s0` });
        writers.push({ n, id, seq: 0, tried: new Map([[0, `w${n}s0`]]), acked: [{ seq: 0, mark: `w${n}s0`, version: 1 }] });
      }
    } finally {
      await srv.stop();
    }
    const started = Date.now();
    for (let round = 0; round < STORY_ROUNDS; round++) {
      srv = await h.startServer(dir);
      const clients = writers.map((w) => {
        const c = new a.Client(srv.url);
        c.cookie = editor.cookie;
        c.csrf = editor.csrf;
        return saver(c, w);
      });
      try {
        await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 500)));
      } finally {
        srv.proc.kill('SIGKILL');
      }
      await new Promise((r) => srv.proc.once('exit', r));
      await Promise.all(clients.map((c) => c.stop()));
      assert.equal(integrity(db), 'ok', `round ${round}: integrity_check`);
      for (const w of writers) {
        const last = w.acked[w.acked.length - 1];
        const [s] = sql(db, `SELECT title, excerpt, body_md, body_html, version FROM stories WHERE id = ${w.id}`);
        const m = /^Crash story \d+ save (\d+)$/.exec(s.title);
        assert.ok(m, `round ${round}: story ${w.id} title "${s.title}"`);
        const seq = Number(m[1]);
        const mark = w.tried.get(seq);
        assert.ok(seq >= last.seq, `round ${round}: story ${w.id} holds save ${seq}, older than acknowledged save ${last.seq}`);
        assert.ok(mark, `round ${round}: story ${w.id} holds a save never sent`);
        assert.ok(s.version >= last.version, `round ${round}: version ${s.version} < acknowledged ${last.version}`);
        // not half-written: every derived field carries the same save
        assert.ok(s.excerpt === `Excerpt ${mark}` && s.body_md.includes(`Paragraph ${mark} `) && s.body_md.includes(`End ${mark}.`),
          `round ${round}: story ${w.id} fields from different saves`);
        assert.ok(s.body_html.includes(`Paragraph ${mark} `) && s.body_html.includes(`End ${mark}.`), `round ${round}: body_html of save ${seq}`);
      }
    }
    const elapsed = Date.now() - started;
    // Revisions: one per version, 1..current, the current one equal to the story,
    // and every acknowledged save's text under its version.
    let total = 0;
    for (const w of writers) {
      const [s] = sql(db, `SELECT title, slug, excerpt, body_md, version FROM stories WHERE id = ${w.id}`);
      const revs = sql(db, `SELECT version, title, slug, excerpt, body_md FROM revisions WHERE story_id = ${w.id} ORDER BY version`);
      assert.deepEqual(revs.map((r) => r.version), Array.from({ length: s.version }, (_, i) => i + 1),
        `story ${w.id}: one revision per version`);
      const cur = revs[revs.length - 1];
      assert.deepEqual({ ...cur, version: undefined }, { title: s.title, slug: s.slug, excerpt: s.excerpt, body_md: s.body_md, version: undefined },
        `story ${w.id}: the current revision is the story`);
      const byVersion = new Map(revs.map((r) => [r.version, r]));
      for (const k of w.acked) {
        const r = byVersion.get(k.version);
        assert.ok(r && r.excerpt === `Excerpt ${k.mark}` && new RegExp(`\\b${k.mark}\\b`).test(r.body_md),
          `story ${w.id}: acknowledged save ${k.seq} is version ${k.version}`);
      }
      total += w.acked.length - 1;
    }
    assert.ok(total > STORY_ROUNDS, `saves were acknowledged (${total} in ${elapsed} ms)`);
    t.diagnostic(`${total} saves acknowledged over ${STORY_ROUNDS} kills in ${elapsed} ms`);
    // The search index follows the story (kept by triggers in the same transaction).
    const fts = sql(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%fts5%'");
    assert.ok(fts.length >= 1, 'a search index');
    // Serving normally: the public page and the editor show the stored save.
    srv = await h.startServer(dir);
    try {
      const c = new a.Client(srv.url);
      c.cookie = editor.cookie;
      for (const w of writers) {
        const [s] = sql(db, `SELECT title, excerpt FROM stories WHERE id = ${w.id}`);
        const mark = s.excerpt.replace('Excerpt ', '');
        const pub = await a.publicPath(c, w.id);
        const page = await h.get(srv.url, pub);
        assert.equal(page.status, 200, `story ${w.id} public page`);
        assert.ok(page.body.includes(`Paragraph ${mark} `), `story ${w.id} shows its stored save`);
        const found = await h.get(srv.url, `/search?q=${encodeURIComponent(mark)}`);
        assert.ok(h.textOf(found.body).includes(s.title), `story ${w.id} found by its stored text`);
      }
      assert.equal((await h.get(srv.url, '/')).status, 200);
    } finally {
      await srv.stop();
    }
    assert.equal(integrity(db), 'ok');
  });
});
