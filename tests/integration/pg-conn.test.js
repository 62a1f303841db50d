'use strict';
// PostgreSQL connections that fail fast and never print a password:
// - a host that accepts TCP and never answers fails a connect within
//   libpq's connect_timeout (5 s by default), not after minutes;
// - a node whose database is away answers 503 at once, trying to connect
//   again at most once a second;
// - `serve` refuses to start on what waiting cannot mend (a server that
//   answers and refuses: a wrong password, user or database name), and
//   starts when no server answers;
// - a request's statement blocked by a lock is cancelled by the workers'
//   lock_timeout: a 503 with Retry-After, not a worker held;
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

// The site in dir pointed at the database url.
function setDb(dir, url) {
  const conf = path.join(dir, 'gazette.conf');
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(/^db = .*$/m, `db = ${url}`));
}

// A site made on pg's database `name`, its conf then pointing at url.
function siteOn(pg, name, url) {
  const dir = path.join(h.tmpDir(), name);
  h.gz(['init', '--site', dir, '--db', pg.createDb(name), '--demo', '--no-photos']);
  setDb(dir, url);
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
    const THREADS = 4;
    fs.appendFileSync(path.join(dir, 'gazette.conf'), `threads = ${THREADS}\n`);
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
    assert.equal(answers.filter((r) => r.status === 503).length, 50, 'every one a 503');
    assert.equal(answers.filter((r) => r.headers['retry-after']).length, 50, 'with Retry-After');
    // counted, not timed: the tries are bounded by the time the requests
    // took, never by their number. An open costs 2 (its connect, and a
    // ping when that failed fast). At first each worker opens (none has
    // failed yet), the listener and the scheduler try once; then each
    // second one worker opens, the listener tries twice (every 500 ms)
    // and the scheduler at most once (1 s, then doubling)
    const seconds = Math.ceil(ms / 1000);
    const most = 2 * THREADS + 1 + 2 + seconds * (2 + 2 + 2);
    assert.ok(tries <= most, `${tries} connects (at most ${most}) for 50 requests in ${ms} ms`);
    assert.ok(tries < 50, `${tries} connects: the requests tried, not the clock`);
    assert.ok(ms < 20000, `50 requests took ${ms} ms (a ceiling, not the measure)`);
    console.log(`# 50 requests, database away: ${ms} ms, ${tries} connects`);
  });

  test('serve refuses to start when the server refuses the connection; starts when none answers', { timeout: 90000 }, async () => {
    pg = pg || await startPostgres();
    // a role asked for its password (scram) on 127.0.0.1; the others keep trust
    pg.psql('postgres', "CREATE ROLE pwuser LOGIN PASSWORD 'rightpw'");
    const hba = path.join(pg.dir, 'data', 'pg_hba.conf');
    fs.writeFileSync(hba, `host all pwuser ${h.HOST}/32 scram-sha-256\n${fs.readFileSync(hba, 'utf8')}`);
    pg.psql('postgres', 'SELECT pg_reload_conf()');
    const dir = siteOn(pg, 'refusing', pg.url('refusing'));
    const at = `${h.HOST}:${pg.port}`;
    for (const [what, url, why] of [
      ['a wrong password', `postgresql://pwuser:wrongpw@${at}/refusing`, /password authentication failed for user "pwuser"/],
      ['a database that does not exist', `postgresql://${pg.user}@${at}/nosuchdb`, /database "nosuchdb" does not exist/],
      ['a user that does not exist', `postgresql://nosuchuser:wrongpw@${at}/refusing`, /role "nosuchuser" does not exist/],
    ]) {
      setDb(dir, url);
      const port = await h.freePort();
      const r = await gzAsync(['serve', '--site', dir, '--listen', `${h.HOST}:${port}`], 20000);
      console.log(`# ${what}: serve exited ${r.status} after ${r.ms} ms: ${r.out.trim()}`);
      assert.equal(r.status, 1, `${what}: ${r.out}`);
      // (0.1-1.2 s measured; a sanitizer build starts slower)
      assert.ok(r.ms < 8000, `${what}: exited after ${r.ms} ms`);
      assert.match(r.out, why);
      assert.match(r.out, /refused the connection .*trying again will not help/);
      assert.ok(!r.out.includes('wrongpw'), `the password in: ${r.out}`);
      assert.ok(!/listening on/.test(r.out), r.out);
    }
    // no server answers (a proxy that closes each connection): it starts, 503
    const proxy = await startProxy(pg.port);
    closers.push(() => proxy.close());
    proxy.down();
    setDb(dir, `postgresql://pwuser:wrongpw@${h.HOST}:${proxy.port}/refusing`);
    const t0 = Date.now();
    const srv = await h.startServer(dir);
    closers.push(() => srv.stop());
    console.log(`# no server answers: listening after ${Date.now() - t0} ms`);
    assert.match(srv.output(), /serving without it until it answers/);
    const away = await h.request(srv.url, h.SEED_PATH);
    assert.equal(away.status, 503);
    // then it answers, and refuses: still 503, and the log says why
    // (docs/deploy.md: a node serving already is not stopped)
    proxy.up();
    await waitFor(() => /refused the connection/.test(srv.output()), 10000);
    const refused = await h.request(srv.url, h.SEED_PATH);
    assert.equal(refused.status, 503);
    assert.ok(refused.headers['retry-after'], 'with Retry-After');
    assert.ok(!srv.output().includes('wrongpw'), srv.output());
    // and with the right password in the URL... a restart, as any db change
  });

  // A psql session holding table in ACCESS EXCLUSIVE mode (a long ALTER,
  // a VACUUM FULL) until the returned release() (also at the end).
  async function lockTable(server, db, table) {
    const holder = spawn(path.join(server.bin, 'psql'), ['-X', '-q', '-A', '-t', '-d', server.url(db)],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let said = '';
    holder.stdout.on('data', (d) => { said += d; });
    holder.stdin.write(`BEGIN;\nLOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;\n\\echo locked\n`);
    let released = false;
    const release = () => { if (!released) holder.stdin.end('ROLLBACK;\n'); released = true; };
    closers.push(release);
    await waitFor(() => said.includes('locked'), 10000);
    return release;
  }

  test('a request\'s statement blocked by a lock answers 503 within the lock_timeout', { timeout: 60000 }, async () => {
    pg = pg || await startPostgres();
    const dir = siteOn(pg, 'locked', pg.url('locked'));
    const srv = await h.startServer(dir);
    closers.push(() => srv.stop());
    const release = await lockTable(pg, 'locked', 'stories');
    // released after 20 s at the latest: a request that waits for it
    // answers then (a 200, too late), and the test ends
    const timer = setTimeout(release, 20000);
    const t0 = Date.now();
    const r = await h.request(srv.url, h.SEED_PATH, { timeout: 30000 }); // never asked: not cached
    const ms = Date.now() - t0;
    clearTimeout(timer);
    release();
    console.log(`# a story page while stories is locked: ${r.status} after ${ms} ms`);
    assert.equal(r.status, 503, `${r.status} after ${ms} ms`);
    assert.ok(r.headers['retry-after'], 'with Retry-After');
    // lock_timeout's 5 s (5.1-5.5 s measured), not statement_timeout's 10
    assert.ok(ms >= 4000 && ms < 10000, `answered after ${ms} ms (lock_timeout 5 s)`);
    // the lock gone, the same worker serves the page
    await waitFor(async () => (await h.get(srv.url, h.SEED_PATH)).status === 200, 10000);
  });

  test('a statement cancelled before the page is built fails nothing of the next request', { timeout: 60000 }, async () => {
    // the session check (a signed-in looking cookie) runs before dispatch,
    // also for a page the cache then answers; one worker, so the next
    // request meets the same connection
    pg = pg || await startPostgres();
    const dir = siteOn(pg, 'cancelled', pg.url('cancelled'));
    fs.appendFileSync(path.join(dir, 'gazette.conf'), 'threads = 1\n');
    const srv = await h.startServer(dir);
    closers.push(() => srv.stop());
    assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200); // cached
    const release = await lockTable(pg, 'cancelled', 'sessions');
    const cookie = { Cookie: `gz_session=${'ab'.repeat(32)}` };
    const t0 = Date.now();
    const first = await h.request(srv.url, h.SEED_PATH, { headers: cookie, timeout: 30000 });
    const ms = Date.now() - t0;
    // a page built for this request, which reads no session (a held
    // comment's view: ?unapproved skips the session check)
    const next = await h.request(srv.url, `${h.SEED_PATH}?unapproved=1`, { timeout: 30000 });
    release();
    console.log(`# while sessions is locked: ${first.status} after ${ms} ms, then ${next.status}`);
    assert.ok(ms >= 4000, `the session check waited out lock_timeout: ${ms} ms`);
    assert.ok([200, 503].includes(first.status), `the cached page, or a 503: ${first.status}`);
    assert.equal(next.status, 200, 'the next request runs its statements (the earlier cancel is not its)');
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

  test('a node started as root reaches its database by a host name (resolved before the chroot), and after a reload',
    { skip: !(process.getuid && process.getuid() === 0) && 'needs root' }, async () => {
      pg = pg || await startPostgres();
      const dir = siteOn(pg, 'named', `postgresql://${pg.user}@localhost:${pg.port}/named`);
      const srv = await h.startServer(dir);
      closers.push(() => srv.stop());
      const r = await h.get(srv.url, h.SEED_PATH);
      assert.equal(r.status, 200);
      // a reload opens the database with the addresses resolved at start:
      // inside the chroot the name cannot be resolved again
      srv.proc.kill('SIGHUP');
      await waitFor(() => /reload: gazette.conf and the theme reloaded/.test(srv.output()), 10000);
      assert.doesNotMatch(srv.output(), /could not translate host name|database: /, srv.output());
      assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200, 'served after the reload (its cache emptied)');
      // a sanitizer build keeps root and no chroot (sandbox.c): the name
      // is then libpq's to resolve, and only the page is checked
      if (/sanitizer build: not switching/.test(srv.output())) return;
      assert.match(srv.output(), /running as user/, 'confined');
    });
});
