'use strict';
// Crash safety: the server is SIGKILLed while several clients post comments
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
function poster(base, hid, tag, acked) {
  let running = true;
  let i = 0;
  const done = (async () => {
    while (running) {
      const text = `crash ${tag} ${i++} ${Math.random().toString(36).slice(2)}`;
      try {
        const r = await h.postForm(base, '/comments', { ...hid, gz_website: '', comment: text,
          author: `Crash ${tag}`, email: `crash${tag}@example.com` });
        if (r.status === 303) acked.push({ text, location: r.headers.location, id: Number(/#comment-(\d+)/.exec(r.headers.location)[1]) });
        else if (r.status >= 500) { /* only while dying */ }
      } catch { /* the server died mid-request */ }
    }
  })();
  return { stop() { running = false; return done; } };
}

describe('SIGKILL while comments are being posted', () => {
  test(`${ROUNDS} rounds: every acknowledged comment survives, integrity ok`, { timeout: 600000 }, async () => {
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000 } });
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
  const hid = h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
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

  test('a comment gets a clear 503, nothing is lost, posting resumes when space returns', { timeout: 120000 }, async (t) => {
    if (!mounted) { t.skip('needs root and a tmpfs mount'); return; }
    const dir = path.join(mnt, 'site');
    h.gz(['init', '--demo', '--site', dir]);
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

  test('while serving: a comment gets a clear 503, then posting resumes', { timeout: 60000 }, async (t) => {
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

  test('started on a read-only database: pages are served, a comment gets a clear 503', { timeout: 60000 }, async (t) => {
    if (!isRoot) { t.skip('needs root for chattr +i'); return; }
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000 } });
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
