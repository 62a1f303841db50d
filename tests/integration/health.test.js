'use strict';
// /healthz and /readyz (issue 17): the process answers; the site is ready
// when its database takes a write, its schema is this binary's and its
// disk has room, else 503 naming the check that failed. Never cached by
// the page cache; its answer is kept one second, so a flood of /readyz
// runs about one check a second while a writer commits.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync, execFile } = require('node:child_process');
const h = require('./helpers');

const isRoot = process.getuid && process.getuid() === 0;

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
// past the second /readyz keeps its answer
const fresh = () => sleep(1050);

function sql(db, text) {
  const r = spawnSync('sqlite3', [db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('health endpoints', () => {
  let dir, srv, db;
  before(async () => {
    // one worker: its connection, opened by the first request, is the one
    // asked (a connection opened on a schema it does not know refuses to
    // open at all: a plain 503, the check unnamed)
    dir = h.makeSite({ demo: false, conf: { threads: 1 } });
    db = path.join(dir, 'gazette.db');
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('healthz and readyz answer 200, uncached, on a healthy site', async () => {
    const a = await h.get(srv.url, '/healthz');
    assert.equal(a.status, 200);
    assert.equal(a.body, 'ok\n');
    assert.equal(a.headers['cache-control'], 'no-store');
    for (let i = 0; i < 2; i++) {
      const r = await h.get(srv.url, '/readyz');
      assert.equal(r.status, 200);
      assert.equal(r.body, 'ready\n');
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.equal(r.headers.etag, undefined, 'not a cached page');
    }
  });

  test('readyz: 503 naming migrations when the schema is behind, 200 again once current',
    h.sqliteOnly('sets back PRAGMA user_version, SQLite\'s schema version'), async () => {
    const version = Number(sql(db, 'PRAGMA user_version'));
    assert.ok(version > 1);
    sql(db, `PRAGMA user_version = ${version - 1}`);
    try {
      await fresh();
      const r = await h.get(srv.url, '/readyz');
      assert.equal(r.status, 503);
      assert.match(r.body, /^migrations: /);
      assert.equal((await h.get(srv.url, '/healthz')).status, 200, 'the process is still up');
    } finally {
      sql(db, `PRAGMA user_version = ${version}`);
    }
    await fresh();
    assert.equal((await h.get(srv.url, '/readyz')).status, 200);
  });

  test('readyz: 503 naming the database when its file cannot be written',
    h.sqliteOnly('makes gazette.db immutable (chattr +i)'), async (t) => {
    if (!isRoot) { t.skip('needs root for chattr +i'); return; }
    const files = [db, `${db}-wal`].filter((f) => fs.existsSync(f));
    if (spawnSync('chattr', ['+i', ...files]).status !== 0) { t.skip('this file system has no immutable flag'); return; }
    try {
      await fresh();
      const r = await h.get(srv.url, '/readyz');
      assert.equal(r.status, 503);
      assert.match(r.body, /^database: not writable/);
      const logged = new RegExp(`gazette error: readyz: database: not writable \\[req ${r.headers['x-request-id']}\\]`);
      for (let i = 0; i < 50 && !logged.test(srv.output()); i++) await new Promise((res) => setTimeout(res, 20));
      assert.match(srv.output(), logged, 'the error line carries the request id');
    } finally {
      spawnSync('chattr', ['-i', ...files]);
    }
    await fresh();
    assert.equal((await h.get(srv.url, '/readyz')).status, 200);
  });

  test('readyz: a flood runs about one check a second, while a writer commits', async () => {
    const checks = async () => Number(/\ngazette_readyz_checks_total (\d+)\n/.exec((await h.get(srv.url, '/metrics')).body)[1]);
    const before_ = await checks();
    let writing = true, commits = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const text = `INSERT INTO settings(key, value) VALUES ('readyz-test', '${i}') ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
        const pg = h.siteDb(dir).pg;
        const [cmd, args] = pg ? ['psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pg, '-c', text]]
          : ['sqlite3', [db, `PRAGMA busy_timeout = 5000; ${text}`]];
        await new Promise((res, rej) => execFile(cmd, args, (e) => (e ? rej(e) : res())));
        commits++;
      }
    })();
    const t0 = Date.now();
    const statuses = [];
    while (Date.now() - t0 < 2000)
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, () => h.get(srv.url, '/readyz')))).map((r) => r.status));
    const seconds = (Date.now() - t0) / 1000;
    writing = false;
    await writer;
    const ran = (await checks()) - before_;
    assert.ok(statuses.length >= 100, `a flood (${statuses.length} requests)`);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.ok(commits > 0, 'the writer committed meanwhile');
    assert.ok(ran >= 1 && ran <= Math.ceil(seconds) + 1, `${ran} checks for ${statuses.length} requests in ${seconds} s`);
  });
});
