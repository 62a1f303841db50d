'use strict';
const { describe, test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const h = require('./helpers');

after(() => h.cleanupSites());

function snapshot(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) { out[rel + '/'] = 'dir'; walk(p); }
      else {
        const st = fs.statSync(p);
        out[rel] = `${st.size}:${st.mtimeMs}:` + crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      }
    }
  };
  walk(dir);
  return out;
}

describe('gazette CLI', () => {
  test('--help prints usage and exits 0', () => {
    const r = h.gzRun(['--help']);
    assert.equal(r.status, 0, `exit ${r.status}, stderr: ${r.stderr}`);
    const text = r.stdout + r.stderr;
    assert.match(text, /usage/i, 'mentions usage');
    for (const cmd of ['init', 'serve', 'comments']) {
      assert.ok(text.includes(cmd), `usage mentions "${cmd}":\n${text}`);
    }
  });

  test('unknown command exits 2 with a message', () => {
    const r = h.gzRun(['frobnicate']);
    assert.equal(r.status, 2, `exit ${r.status}`);
    assert.ok((r.stderr + r.stdout).trim().length > 0, 'prints a message');
  });

  test('unknown top-level flag exits 2', () => {
    const r = h.gzRun(['--no-such-flag']);
    assert.equal(r.status, 2, `exit ${r.status}`);
    assert.ok((r.stderr + r.stdout).trim().length > 0, 'prints a message');
  });

  test('unknown flag to a command exits 2 and does nothing', () => {
    const dir = path.join(h.tmpDir(), 'site');
    const r = h.gzRun(['init', '--demo', '--site', dir, '--no-such-flag']);
    assert.equal(r.status, 2, `exit ${r.status}`);
    assert.ok((r.stderr + r.stdout).trim().length > 0, 'prints a message');
    assert.ok(!fs.existsSync(path.join(dir, 'gazette.db')), 'no site was created');
    const r2 = h.gzRun(['serve', '--site', dir, '--bogus']);
    assert.equal(r2.status, 2, `serve --bogus exit ${r2.status}`);
  });

  test('init --demo creates gazette.db (SQLite), media/ and gazette.conf', h.sqliteOnly('the file init makes for a SQLite site'), () => {
    const dir = h.makeSite({ demo: true });
    const db = path.join(dir, 'gazette.db');
    assert.ok(fs.statSync(db).isFile(), 'gazette.db exists');
    const magic = fs.readFileSync(db).subarray(0, 16).toString('latin1');
    assert.equal(magic, 'SQLite format 3\0', 'gazette.db is an SQLite database');
    assert.ok(fs.statSync(path.join(dir, 'media')).isDirectory(), 'media/ exists');
    const conf = fs.readFileSync(path.join(dir, 'gazette.conf'), 'utf8');
    for (const line of conf.split('\n')) {
      const l = line.trim();
      if (l === '' || l.startsWith('#') || l.startsWith(';')) continue;
      assert.match(l, /^[A-Za-z_][\w.-]*\s*=/, `config line is "key = value": ${l}`);
    }
  });

  test('init on an existing site refuses and leaves it untouched', () => {
    const dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0 } });
    fs.writeFileSync(path.join(dir, 'media', 'marker.txt'), 'keep me');
    const before = snapshot(dir);
    const r = h.gzRun(['init', '--demo', '--site', dir]);
    assert.notEqual(r.status, 0, 'non-zero exit');
    assert.ok((r.stderr + r.stdout).trim().length > 0, 'explains why');
    assert.deepEqual(snapshot(dir), before, 'site files unchanged');
  });

  test('comments list prints the demo comments as tab-separated lines', () => {
    const dir = h.makeSite({ demo: true });
    const list = h.listComments(dir);
    const demo = h.demoComments();
    assert.equal(list.length, demo.length, `one line per demo comment:\n${list.map((c) => c.line).join('\n')}`);
    for (const c of list) {
      assert.ok(Number.isInteger(c.id) && c.id > 0, `numeric id: ${c.line}`);
      assert.ok(['pending', 'approved', 'spam', 'trash'].includes(c.status), `status: ${c.line}`);
      assert.ok(c.line.split('\t').length >= 5, `5 tab-separated fields: ${c.line}`);
      assert.ok(c.text.length <= 60, `text is at most 60 chars: ${c.line}`);
    }
    for (const d of demo) {
      assert.ok(list.some((c) => c.slug === d.story && c.author === d.author && d.body.startsWith(c.text.replace(/…$/, '').trimEnd())),
        `demo comment by ${d.author} listed`);
    }
    const approved = h.listComments(dir, 'approved');
    assert.equal(approved.length, demo.length, 'demo comments are approved');
    assert.equal(h.listComments(dir, 'pending').length, 0, 'no pending comments in a fresh demo site');
  });

  test('comments approve/spam/trash of an unknown id fails', () => {
    const dir = h.makeSite({ demo: true });
    for (const action of ['approve', 'spam', 'trash']) {
      const r = h.gzRun(['comments', '--site', dir, action, '999999']);
      assert.notEqual(r.status, 0, `${action} 999999 exits non-zero`);
    }
  });

  test('comments spam / trash / approve change the status', () => {
    const dir = h.makeSite({ demo: true });
    const id = h.listComments(dir)[0].id;
    for (const action of ['spam', 'trash', 'approve']) {
      const status = { spam: 'spam', trash: 'trash', approve: 'approved' }[action];
      const out = h.gz(['comments', '--site', dir, action, String(id)]);
      if (action === 'approve') assert.equal(out.trim(), `comment ${id} approved`);
      else assert.match(out.trim(), new RegExp(`^comment ${id} \\w+`), `output: ${out}`);
      assert.ok(h.listComments(dir, status).some((c) => c.id === id), `comment is ${status}`);
    }
  });

  test('comments approve of several ids moves them all, or none when one is unknown', () => {
    const dir = h.makeSite({ demo: true });
    const ids = h.listComments(dir, 'approved').slice(0, 3).map((c) => c.id);
    assert.equal(ids.length, 3);
    const bad = h.gzRun(['comments', '--site', dir, 'trash', ...ids.map(String), '999999']);
    assert.notEqual(bad.status, 0, 'an unknown id among them exits non-zero');
    assert.match(bad.stderr, /no comment 999999/);
    assert.equal(h.listComments(dir, 'trash').length, 0, 'none moved');
    const out = h.gz(['comments', '--site', dir, 'trash', ...ids.map(String)]);
    assert.deepEqual(out.trim().split('\n'), ids.map((id) => `comment ${id} moved to the trash`));
    assert.deepEqual(h.listComments(dir, 'trash').map((c) => c.id).sort(), [...ids].sort());
  });

  test('comments trash / approve leave the story\'s stored thread rendered and current', () => {
    const dir = h.makeSite({ demo: true });
    const q = (sql) => h.sql(dir, sql);
    const c = h.listComments(dir).find((x) => x.slug === h.SEED_SLUG);
    assert.ok(c, 'a demo comment on the seed story');
    const story = q(`SELECT story_id FROM comments WHERE id = ${c.id}`);
    const marker = `id="comment-${c.id}"`;
    assert.ok(q(`SELECT html FROM comment_threads WHERE story_id = ${story}`).includes(marker), 'rendered by init');
    h.gz(['comments', '--site', dir, 'trash', String(c.id)]);
    assert.equal(q('SELECT count(*) FROM comment_threads_stale'), '0', 'nothing left stale');
    assert.ok(!q(`SELECT html FROM comment_threads WHERE story_id = ${story}`).includes(marker), 'gone from the thread');
    h.gz(['comments', '--site', dir, 'approve', String(c.id)]);
    assert.equal(q('SELECT count(*) FROM comment_threads_stale'), '0');
    assert.ok(q(`SELECT html FROM comment_threads WHERE story_id = ${story}`).includes(marker), 'back in the thread');
  });

  test('a stored thread is byte for byte what the page renders without it', async () => {
    const dir = h.makeSite({ demo: true });
    const q = (sql) => h.sql(dir, sql);
    // the comment list, up to the form (whose signed stamp changes every second)
    const list = (body) => body.slice(body.indexOf('<ol class="comment-list">'), body.indexOf('<div id="respond"'));
    const srv = await h.startServer(dir, { extraArgs: ['--no-cache'] });
    try {
      const stored = (await h.get(srv.url, h.SEED_PATH)).body;
      assert.equal(q('SELECT count(*) FROM comment_threads_stale'), '0');
      assert.ok((stored.match(/class="comment depth-/g) || []).length >= 3, 'the seed story\'s thread is shown');
      q('DELETE FROM comment_threads'); // another program: pages render the comments themselves
      const live = (await h.get(srv.url, h.SEED_PATH)).body;
      assert.equal(list(live), list(stored));
      assert.ok(list(live).includes('class="comment depth-2"'), 'with its replies nested');
    } finally {
      await srv.stop();
    }
  });

  test('serve prints "listening on" and SIGTERM stops it with exit 0', async () => {
    const dir = h.makeSite({ demo: true });
    const srv = await h.startServer(dir);
    try {
      const r = await h.get(srv.url, '/');
      assert.equal(r.status, 200);
    } finally {
      const info = await srv.stop();
      assert.deepEqual(info, { code: 0, signal: null }, `exit after SIGTERM; output:\n${srv.output()}`);
    }
  });
});
