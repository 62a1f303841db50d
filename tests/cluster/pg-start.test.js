'use strict';
// A node started while its PostgreSQL server is down (issue 16): it starts
// anyway and serves what needs no database (/healthz 200), says it is not
// ready (/readyz 503, so a balancer sends it nothing), answers a page that
// needs the database 503 with Retry-After; once the server is up it serves
// normally: its workers connect (the story page 200 within seconds) and
// its scheduler, which found no database at start, connects too (tried
// again from 1 s, doubling to 30 s) and publishes a story scheduled 2 s
// ahead. A reload while it is down changes none of that (the signed-in
// admin below needs the site's secret, read once the database answers).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const c = require('./harness');

let pg = null;
let node = null;
let dir = null;
before(async () => {
  pg = await c.startPostgres();
  pg.replica.stop(); // one server is enough here
  dir = path.join(h.tmpDir(), 'node');
  h.gz(['init', '--site', dir, '--db', pg.primary.url, '--demo', '--no-photos']);
  fs.appendFileSync(path.join(dir, 'gazette.conf'),
    'schedule_interval = 1\ncomment_min_seconds = 0\ncomment_rate_per_minute = 1000\n');
  h.gz(['user', 'add', '--site', dir, '--role', 'admin', '--email', a.email('admin'), 'Start Admin'],
    { input: a.PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
});
after(async () => {
  if (node) await node.stop();
  if (pg) pg.stop();
  h.cleanupSites();
});

test('started while PostgreSQL is down: healthz 200, readyz 503, pages 503; then serving, and the scheduler alive', { timeout: 120000 }, async () => {
  pg.primary.stopFast();
  node = await h.startServer(dir);
  assert.equal((await h.get(node.url, '/healthz')).status, 200, 'alive');
  assert.equal((await h.get(node.url, '/readyz')).status, 503, 'not ready');
  const story = await h.get(node.url, h.SEED_PATH);
  assert.equal(story.status, 503, 'a page that needs the database');
  assert.ok(Number(story.headers['retry-after']) > 0, `Retry-After: ${story.headers['retry-after']}`);
  // a reload meanwhile: its generation reads the secret when it can too
  node.proc.kill('SIGHUP');
  await c.until(() => /reload: gazette\.conf and the theme reloaded/.test(node.output()), 'the reload');

  pg.primary.start();
  const t0 = Date.now();
  await c.until(async () => (await h.get(node.url, h.SEED_PATH)).status === 200, 'the story page',
    { timeoutMs: 10000, every: 100 });
  const ms = Date.now() - t0;
  await c.until(async () => (await h.get(node.url, '/readyz')).status === 200, 'ready', { timeoutMs: 10000 });
  console.log(`# the story page 200 ${ms} ms after PostgreSQL started`);

  const admin = await a.signedIn(node.url, 'admin');
  const title = `Scheduled after a start without the database ${Date.now()}`;
  const when = Math.floor(Date.now() / 1000) + 2;
  const id = await a.writeStory(admin, { title, body: 'Published by a scheduler that started alone.',
    published_at: new Date(when * 1000).toISOString().slice(0, 19) });
  assert.match((await admin.get(`/admin/stories/${id}`)).body, /id="story-status">scheduled</);
  // the scheduler's tries: 1, 2, 4, 8 s... then each run every second
  await c.until(async () => h.textOf((await h.get(node.url, '/')).body).includes(title),
    'the scheduled story on the front page', { timeoutMs: 45000, every: 200 });
  // the secret it signs with is the database's: a second node, started
  // with the database up, takes a comment form stamped by this one
  const other = await h.startServer(dir);
  try {
    const hid = await h.freshHidden(node.url);
    const r = await h.postForm(other.url, '/comments', {
      ...hid, gz_website: '', comment: 'Stamped by the node that started alone.', author: 'Reader',
      email: 'r@example.com', url: '',
    });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  } finally {
    await other.stop();
  }
  const out = node.output();
  assert.match(out, /scheduler: .*trying again/, 'the outage said');
  assert.equal(out.match(/scheduler: .*trying again/g).length, 1, 'said once');
  assert.match(out, /scheduler: connected to the database/);
});

test('a database whose schema is newer than the binary: not served, with a clear line, whenever it answers', { timeout: 60000 }, async () => {
  await node.stop();
  node = null;
  pg.primary.psql('UPDATE schema_version SET version = version + 1 WHERE id = 1');
  try {
    // reachable at start: refused
    const r = h.gzRun(['serve', '--site', dir, '--listen', `${h.HOST}:${await h.freePort()}`], { timeout: 20000 });
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /newer than this gazette's \(\d+\): upgrade gazette/);
    // down at start, then up: pages stay 503, said in the log
    pg.primary.stopFast();
    node = await h.startServer(dir);
    pg.primary.start();
    await c.sleep(1500);
    assert.equal((await h.get(node.url, h.SEED_PATH)).status, 503);
    assert.equal((await h.get(node.url, '/readyz')).status, 503);
    await c.until(() => /database: .*newer than this gazette's/.test(node.output()), 'the line', { timeoutMs: 5000 });
  } finally {
    pg.primary.psql('UPDATE schema_version SET version = version - 1 WHERE id = 1');
  }
});
