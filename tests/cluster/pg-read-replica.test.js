'use strict';
// A site on PostgreSQL with a read replica (issue 16): `gazette serve
// --db-read URL` takes pages' snapshots on the streaming replica (its
// pg_stat_activity shows the node's connections finishing them); with the replica's replay paused, a comment posted (a write)
// is shown to its writer at once, and to everyone, from the primary; the
// replica stopped, pages still answer 200 from the primary; started again,
// reads return to it.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('../integration/helpers');
const c = require('./harness');

let pg = null;
let srv = null;
after(async () => { if (srv) await srv.stop(); if (pg) pg.stop(); h.cleanupSites(); });

// the server's clock, and when a connection to the site's database last
// committed a page's snapshot there (pg_stat_activity: gazette's connections
// idle between pages, their last statement and when it ended; a replica
// found behind is asked its change log's head, then left with ROLLBACK)
const now = (server) => Number(server.psql('SELECT extract(epoch FROM clock_timestamp())'));
const lastRead = (server) => Number(server.psql("SELECT coalesce(max(extract(epoch FROM state_change)), 0)" +
  " FROM pg_stat_activity WHERE datname = 'site' AND backend_type = 'client backend' AND query = 'COMMIT'"));

// psql -At -c sql in the site's database on server
const inSite = (server, sql) => execFileSync('psql', ['-X', '-q', '-At', '-h', h.HOST, '-p', String(server.port),
  '-U', 'postgres', '-d', 'site', '-c', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// n uncached page reads (the server runs with --no-cache)
async function readPages(url, n) {
  for (let i = 0; i < n; i++) {
    const r = await h.get(url, i % 2 ? h.SEED_PATH : '/');
    assert.equal(r.status, 200, `read ${i}`);
  }
}

test('pages read the replica; writers read their writes; a replica down is left and found again', { timeout: 180000 }, async () => {
  pg = await c.startPostgres();
  const { primary, replica } = pg;
  primary.psql('CREATE DATABASE site');
  const dbUrl = primary.url.replace(/\/postgres$/, '/site');
  const readUrl = replica.url.replace(/\/postgres$/, '/site');
  const dir = path.join(h.tmpDir(), 'site');
  h.gz(['init', '--site', dir, '--db', dbUrl, '--demo', '--no-photos']);
  fs.appendFileSync(path.join(dir, 'gazette.conf'),
    'comment_min_seconds = 0\ncomment_rate_per_minute = 1000\ncomment_auto_approve_known = 1\n');
  await c.until(() => replica.psql("SELECT count(*) FROM pg_database WHERE datname = 'site'") === '1',
    'the database on the replica', { timeoutMs: 20000 });
  srv = await h.startServer(dir, { extraArgs: ['--db-read', readUrl, '--no-cache'] });

  // reads land on the replica
  const t0 = now(replica);
  await readPages(srv.url, 20);
  assert.ok(lastRead(replica) > t0, 'pages read on the replica');
  assert.ok(Number(replica.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'site'" +
    " AND query = 'COMMIT'")) >= 1, 'a page\'s snapshot committed there');

  // read-your-writes: a known commenter's comment is approved at once (a
  // write to the change log); with the replica's replay paused it lags,
  // and the writer (and every reader) reads the primary
  const first = await h.freshHidden(srv.url);
  const p1 = await h.postForm(srv.url, '/comments', { ...first, gz_website: '', comment: 'A first comment to approve.',
    author: 'Replica Reader', email: 'replica@example.com', url: '' });
  assert.equal(p1.status, 303, h.textOf(p1.body).slice(0, 300));
  const held = h.listComments(dir, 'pending').find((x) => x.author === 'Replica Reader');
  h.approve(dir, held.id);
  await c.until(async () => h.textOf((await h.get(srv.url, h.SEED_PATH)).body).includes('A first comment to approve'),
    'the approved comment on its page');
  replica.psql('SELECT pg_wal_replay_pause()');
  const text = `Shown to its writer at once ${Date.now()}`;
  const hid = await h.freshHidden(srv.url);
  const r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: text,
    author: 'Replica Reader', email: 'replica@example.com', url: '' });
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  const next = h.splitLocation(r.headers.location).path;
  const mine = await h.get(srv.url, next);
  assert.equal(mine.status, 200);
  assert.ok(h.textOf(mine.body).includes(text), 'the writer reads the comment at once');
  assert.equal(inSite(replica, `SELECT count(*) FROM comments WHERE body = '${text}'`), '0',
    'the replica has not replayed it (paused)');
  assert.equal(inSite(primary, `SELECT count(*) FROM comments WHERE body = '${text}' AND status = 1`), '1',
    'approved at once on the primary');
  // a new commenter's comment is held: shown to its writer alone, at once
  const heldText = `Held and shown to its writer ${Date.now()}`;
  const hid2 = await h.freshHidden(srv.url);
  const r2 = await h.postForm(srv.url, '/comments', { ...hid2, gz_website: '', comment: heldText,
    author: 'New Reader', email: 'new@example.com', url: '' });
  assert.equal(r2.status, 303, h.textOf(r2.body).slice(0, 300));
  const heldPage = await h.get(srv.url, h.splitLocation(r2.headers.location).path);
  assert.equal(heldPage.status, 200);
  assert.ok(h.textOf(heldPage.body).includes(heldText), `the held comment shown to its writer (${r2.headers.location})`);
  const t1 = now(replica);
  await readPages(srv.url, 10);
  assert.ok(lastRead(replica) < t1, 'no page read the lagging replica');
  replica.psql('SELECT pg_wal_replay_resume()');
  await c.until(async () => { await readPages(srv.url, 4); return lastRead(replica) > t1; },
    'reads back on the replica once it replayed the write', { timeoutMs: 10000, every: 300 });

  // the replica stopped: every page still 200 (from the primary)
  replica.stop();
  await readPages(srv.url, 20);
  assert.match(srv.output(), /read replica: .*reads go to the primary/);
  // started again: reads return to it (tried at most once a second)
  replica.start();
  const t2 = now(replica);
  await c.until(async () => { await readPages(srv.url, 4); return lastRead(replica) > t2; },
    'reads back on the restarted replica', { timeoutMs: 20000, every: 500 });
});
