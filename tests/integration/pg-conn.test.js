'use strict';
// PostgreSQL connections that fail fast and never print a password:
// - a host that accepts TCP and never answers fails a connect within
//   libpq's connect_timeout (5 s by default), not after minutes;
// - a node whose database is away answers 503 at once, trying to connect
//   again at most once a second;
// - the password of a db URL appears in no output or log (init, copy,
//   serve).
const { test, describe, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');
const { startPostgres } = require('./pg-helpers');
const { startProxy } = require('./pg-proxy');

const GAZETTE = path.join(__dirname, '..', '..', 'gazette');

// Runs gazette without blocking the event loop (a test server answers
// meanwhile): {status, out, ms}.
function gzAsync(args, timeoutMs = 60000) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(GAZETTE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (status) => { clearTimeout(timer); resolve({ status, out, ms: Date.now() - t0 }); });
  });
}

// A TCP server on 127.0.0.1 that accepts and never writes (a host whose
// PostgreSQL hangs, or a firewall that lets the handshake through).
async function silentServer() {
  const socks = [];
  const srv = net.createServer((s) => { socks.push(s); s.on('error', () => {}); });
  await new Promise((r) => srv.listen(0, h.HOST, r));
  return {
    port: srv.address().port,
    accepted: () => socks.length,
    close: () => { socks.forEach((s) => s.destroy()); srv.close(); },
  };
}

// polls fn every 50 ms until it returns something truthy (that), or throws
async function waitFor(fn, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A site made on pg's database `name`, its conf then pointing at url.
function siteOn(pg, name, url) {
  const dir = path.join(h.tmpDir(), name);
  h.gz(['init', '--site', dir, '--db', pg.createDb(name), '--demo', '--no-photos']);
  const conf = path.join(dir, 'gazette.conf');
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(/^db = .*$/m, `db = ${url}`));
  return dir;
}

describe('PostgreSQL connections', () => {
  const closers = [];
  let pg;
  after(async () => {
    for (const c of closers.reverse()) await c();
    if (pg) pg.stop();
    h.cleanupSites();
  });

  test('init against a host that never answers fails within ~8 s with a clear message', async () => {
    const silent = await silentServer();
    closers.push(silent.close);
    const dir = path.join(h.tmpDir(), 'site');
    const r = await gzAsync(['init', '--site', dir, '--db', `postgresql://u@127.0.0.1:${silent.port}/x`]);
    assert.notEqual(r.status, 0, r.out);
    assert.ok(silent.accepted() >= 1, 'it did connect');
    assert.ok(r.ms < 8000, `failed after ${r.ms} ms (want < 8000): ${r.out}`);
    assert.match(r.out, /timeout|timed out/i, r.out);
  });

  test('a node whose database is away answers 503 at once and tries to connect once a second', async () => {
    pg = pg || await startPostgres();
    const proxy = await startProxy(pg.port);
    closers.push(() => proxy.close());
    const dir = siteOn(pg, 'away', `postgresql://${pg.user}@127.0.0.1:${proxy.port}/away`);
    const srv = await h.startServer(dir);
    closers.push(() => srv.stop());
    // the workers open their connections at their first request: none yet
    proxy.down();
    proxy.reset();
    const t0 = Date.now();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      h.request(srv.url, `/no-such-page-${i}`)));
    const ms = Date.now() - t0;
    const tries = proxy.accepted;
    assert.deepEqual([...new Set(answers.map((r) => r.status))], [503], 'every one a 503');
    assert.ok(answers.every((r) => r.headers['retry-after']), 'with Retry-After');
    assert.ok(ms < 3000, `50 requests took ${ms} ms`);
    // one open a second (its migration check and its connection) and the
    // listener's tries (every 500 ms)
    assert.ok(tries <= 12, `${tries} connects for 50 requests in ${ms} ms`);
    console.log(`# 50 requests, database away: ${ms} ms, ${tries} connects`);
  });

  test('a listener whose link went half-open notices it, connects again and catches up', { timeout: 60000 }, async () => {
    pg = pg || await startPostgres();
    const proxy = await startProxy(pg.port);
    closers.push(() => proxy.close());
    const dir = siteOn(pg, 'frozen', `postgresql://${pg.user}@127.0.0.1:${proxy.port}/frozen`);
    // a second node on the same database, straight to it, writes
    const dir2 = path.join(h.tmpDir(), 'frozen2');
    fs.cpSync(dir, dir2, { recursive: true });
    const conf2 = path.join(dir2, 'gazette.conf');
    fs.writeFileSync(conf2, fs.readFileSync(conf2, 'utf8').replace(/^db = .*$/m, `db = ${pg.url('frozen')}`));
    h.gz(['user', 'add', '--site', dir2, '--role', 'admin', '--email', a.email('admin'), 'Admin'],
      { input: a.PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
    // a quiet link is asked after 1 s, and given 1 s to answer (the listeners:
    // the backends whose last query was LISTEN, or the ping)
    // (the writer first: the scheduler's duties, which look at the change
    // log on their own, are its)
    const srv2 = await h.startServer(dir2);
    closers.push(() => srv2.stop());
    const srv = await h.startServer(dir, { env: { ...process.env, GAZETTE_PG_PING_MS: '1000,1000' } });
    closers.push(() => srv.stop());
    // kept in the node's cache, and each worker has looked at the change
    // log once (a worker's first request does)
    for (let i = 0; i < 20; i++) assert.equal((await h.get(srv.url, '/')).status, 200);
    const listenerPort = () => pg.psql('frozen',
      "SELECT client_port FROM pg_stat_activity WHERE datname = 'frozen' AND query IN ('LISTEN gazette_changes', 'SELECT 1')")
      .split('\n').filter(Boolean).map(Number);
    const ports = await waitFor(() => { const p = listenerPort(); return p.length === 2 && p; });
    proxy.freeze((port) => ports.includes(port)); // the node's listener only: its workers' links still work
    const title = `Published while the link was frozen ${Date.now()}`;
    const admin = await a.signedIn(srv2.url, 'admin');
    await a.writeStory(admin, { title, body: 'Caught up from the change log.' });
    const t0 = Date.now();
    await waitFor(async () => h.textOf((await h.get(srv.url, '/')).body).includes(title), 10000);
    console.log(`# a frozen listener: the change on the node's front page after ${Date.now() - t0} ms`);
    // (a worker that had not looked yet may show it sooner: the listener
    // must have noticed all the same)
    await waitFor(() => /listen: connection lost: PostgreSQL did not answer within 1000 ms/.test(srv.output()), 5000);
  });

  test('a db URL\'s password is in no output or log: init, copy, serve', { timeout: 60000 }, async () => {
    pg = pg || await startPostgres();
    const PW = 's3cretpw';
    const said = [];
    // URLs libpq refuses (one it repeats in its message), and a wrong port
    for (const db of [`postgresql://u:${PW}@127.0.0.1:1/x?bogus=1`, `postgresql://u:${PW}@[::1:1/x`,
      `postgresql://u:${PW}@127.0.0.1:1/x`]) {
      const r = await gzAsync(['init', '--site', path.join(h.tmpDir(), 'x'), '--db', db]);
      assert.notEqual(r.status, 0);
      said.push(r.out);
    }
    assert.match(said[1], /postgresql:\/\/u:\*\*\*\*@\[::1:1\/x/, 'the URL, its password masked');
    // a copy to a wrong port, and one that works (trust: the password is not checked)
    const lite = h.makeSite({ store: 'sqlite' }); // a SQLite site whatever STORE says
    const bad = await gzAsync(['copy', '--from', lite, '--to', `postgresql://${pg.user}:${PW}@127.0.0.1:1/x`]);
    assert.notEqual(bad.status, 0);
    pg.createDb('copied');
    const good = await gzAsync(['copy', '--from', lite, '--to', `postgresql://${pg.user}:${PW}@127.0.0.1:${pg.port}/copied`]);
    assert.equal(good.status, 0, good.out);
    assert.match(good.out, new RegExp(`db = postgresql://${pg.user}:\\*\\*\\*\\*@`), good.out);
    said.push(bad.out, good.out);
    // a server whose database goes away, and one whose URL libpq refuses
    const proxy = await startProxy(pg.port);
    closers.push(() => proxy.close());
    const dir = siteOn(pg, 'secret', `postgresql://${pg.user}:${PW}@127.0.0.1:${proxy.port}/secret`);
    const srv = await h.startServer(dir);
    closers.push(() => srv.stop());
    proxy.down();
    for (let i = 0; i < 3; i++) await h.request(srv.url, `/gone-${i}`);
    await new Promise((r) => setTimeout(r, 1200)); // the listener's retries
    said.push(srv.output());
    const conf = path.join(dir, 'gazette.conf');
    fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(/^db = .*$/m, `db = postgresql://u:${PW}@[::1:1/x`));
    const port = await h.freePort();
    const refused = await gzAsync(['serve', '--site', dir, '--listen', `127.0.0.1:${port}`], 20000);
    assert.notEqual(refused.status, 0, refused.out);
    said.push(refused.out);
    for (const out of said) assert.ok(!out.includes(PW), `the password in:\n${out}`);
  });

  test('a node started as root reaches its database by a host name (resolved before the chroot)',
    { skip: !(process.getuid && process.getuid() === 0) && 'needs root' }, async () => {
      pg = pg || await startPostgres();
      const dir = siteOn(pg, 'named', `postgresql://${pg.user}@localhost:${pg.port}/named`);
      const srv = await h.startServer(dir);
      closers.push(() => srv.stop());
      const r = await h.get(srv.url, h.SEED_PATH);
      assert.equal(r.status, 200);
      // a sanitizer build keeps root and no chroot (sandbox.c): the name
      // is then libpq's to resolve, and only the page is checked
      if (/sanitizer build: not switching/.test(srv.output())) return;
      assert.match(srv.output(), /running as user/, 'confined');
    });
});
