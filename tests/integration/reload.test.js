'use strict';
// SIGHUP (issue 17): ten reloads while readers keep asking, and not one
// request fails; a changed setting and a changed template are served
// after; a setting read only at start is named as needing a restart; the
// access log is reopened after logrotate renames it; JSON access lines
// parse one by one and carry the X-Request-Id each response had, a huge
// header's among them (cut).
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

const isRoot = process.getuid && process.getuid() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

async function until(what, fn, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (fn()) return;
  assert.fail(`timed out waiting for ${what}`);
}

const reloadsDone = (srv) => (srv.output().match(/reload: gazette\.conf and the theme reloaded/g) || []).length;

describe('SIGHUP reload', () => {
  let dir, srv;
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { access_log: 'access.log', log_format: 'json' } });
    if (isRoot) {
      // a server started as a user (as root: the describe at the end)
      fs.chmodSync(path.dirname(dir), 0o755);
      for (const f of [dir, ...fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f))])
        fs.chownSync(f, NOBODY.uid, NOBODY.gid);
    }
    srv = await h.startServer(dir, { user: isRoot ? NOBODY : null });
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('ten reloads under load: no request fails; the new setting and template are served', { timeout: 60000 }, async () => {
    const css = /href="(\/static\/style\.css[^"]*)"/.exec((await h.get(srv.url, '/')).body)[1];
    const gen = h.load(srv.url, ['/', h.SEED_PATH, css, '/tag/pakistan', '/healthz'], 12);
    await sleep(300);
    const conf = path.join(dir, 'gazette.conf');
    for (let i = 0; i < 10; i++) {
      if (i === 5) {
        fs.appendFileSync(conf, 'site_name = The Reloaded Gazette\nthreads = 7\n');
        fs.mkdirSync(path.join(dir, 'theme'), { recursive: true });
        const foot = fs.readFileSync(path.join(h.ROOT, 'themes/default/foot.html'), 'utf8')
          .replace('<footer class="site-footer">', '<footer class="site-footer"><p class="edition">Second edition</p>');
        fs.writeFileSync(path.join(dir, 'theme', 'foot.html'), foot);
      }
      srv.proc.kill('SIGHUP');
      await until(`reload ${i + 1}`, () => reloadsDone(srv) >= i + 1);
      await sleep(100);
    }
    const res = await gen.stop();
    assert.deepEqual(res.errors, [], 'no request failed across the reloads');
    assert.ok(res.ok > 100, `readers kept being served (${res.ok} answers)`);
    console.log(`${res.ok} answers across ten reloads`);
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /<title>[^<]*The Reloaded Gazette/);
    assert.match(home.body, /<p class="edition">Second edition<\/p>/);
    assert.match(srv.output(), /reload: threads changed in gazette\.conf: needs a restart/);
    const m = await h.get(srv.url, '/metrics');
    assert.match(m.body, /\ngazette_reloads_total\{result="ok"\} 10\n/);
    assert.equal(srv.exited(), null, 'still serving');
  });

  test('a bad gazette.conf is refused and the running settings stay', async () => {
    const conf = path.join(dir, 'gazette.conf');
    const good = fs.readFileSync(conf, 'utf8');
    fs.appendFileSync(conf, 'per_page = many\n');
    try {
      srv.proc.kill('SIGHUP');
      await until('the refusal', () => /reload: .*per_page must be a whole number.*serving on/.test(srv.output()));
    } finally {
      fs.writeFileSync(conf, good);
    }
    const home = await h.get(srv.url, '/');
    assert.equal(home.status, 200);
    assert.match(home.body, /The Reloaded Gazette/);
  });

  // (a node started as root reaches its database at the addresses it
  // resolved before its chroot: a reload that opened the db line again
  // could not resolve its host name, pg-conn.test.js)
  test('a changed db line needs a restart: the reload opens the database it started with', async () => {
    const conf = path.join(dir, 'gazette.conf');
    const good = fs.readFileSync(conf, 'utf8');
    fs.appendFileSync(conf, 'db = postgresql://gazette@127.0.0.1:1/elsewhere?connect_timeout=2\n');
    try {
      const n = reloadsDone(srv);
      srv.proc.kill('SIGHUP');
      await until('the reload', () => reloadsDone(srv) > n, 10000);
      assert.match(srv.output(), /reload: (\w+, )*db changed in gazette\.conf: needs a restart/);
      assert.doesNotMatch(srv.output(), /database: .*cannot connect|elsewhere/, 'the new db line was not opened');
    } finally {
      fs.writeFileSync(conf, good);
    }
    const n = reloadsDone(srv);
    srv.proc.kill('SIGHUP');
    await until('the reload', () => reloadsDone(srv) > n, 10000);
    assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200);
  });

  test('the access log: JSON lines with the request id, reopened after a rename', async () => {
    const log = path.join(dir, 'access.log');
    const ids = [];
    const ask = async () => { const r = await h.get(srv.url, '/?from=log-test'); ids.push(r.headers['x-request-id']); };
    await ask();
    await until('the first line', () => fs.readFileSync(log, 'utf8').includes(ids[0]));
    fs.renameSync(log, `${log}.1`); // what logrotate does
    await ask(); // still written to the renamed file
    const n = reloadsDone(srv);
    srv.proc.kill('SIGHUP');
    await until('the reload', () => reloadsDone(srv) > n);
    await ask();
    await until('the new file', () => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes(ids[2]));
    const old = fs.readFileSync(`${log}.1`, 'utf8');
    const now = fs.readFileSync(log, 'utf8');
    assert.ok(old.includes(ids[0]) && old.includes(ids[1]), 'lines before the reopen stay in the rotated file');
    assert.ok(!old.includes(ids[2]) && !now.includes(ids[1]), 'each line in one file only');
    for (const text of [old, now]) {
      for (const line of text.split('\n').filter(Boolean)) {
        const o = JSON.parse(line);
        assert.deepEqual(Object.keys(o), ['time', 'id', 'ip', 'method', 'path', 'status', 'bytes', 'duration', 'referer', 'agent']);
        assert.match(o.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(typeof o.duration, 'number');
      }
    }
    // a 20 kB User-Agent (refused: the headers are too large) and a long
    // Referer are cut in the line, which still parses; the next one logs
    const huge = await h.get(srv.url, '/?from=huge', { headers: { 'User-Agent': 'A'.repeat(20000), Referer: `https://e.example/${'ü'.repeat(3000)}` } });
    await ask();
    await until('the line after the huge one', () => fs.readFileSync(log, 'utf8').includes(ids[3]));
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const big = lines.find((o) => o.id === huge.headers['x-request-id']);
    assert.equal(big.path, '/?from=huge');
    assert.equal(big.agent, `${'A'.repeat(1024)}...[cut]`);
    assert.match(big.referer, /^https:\/\/e\.example\/ü+\.\.\.\[cut\]$/);
    assert.ok(lines.some((o) => o.id === ids[3]), 'the line after it is logged');
    const mine = now.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((o) => o.id === ids[2]);
    assert.equal(mine.path, '/?from=log-test');
    assert.equal(mine.status, 200);
    assert.equal(mine.ip, '127.0.0.1');
  });
});

// Started as root the server confines itself to the site folder; the
// default theme and the zoneinfo were copied into memory before, so a
// SIGHUP reloads gazette.conf (a new site name and time zone) and a theme
// override all the same, while no descriptor leads out of the chroot.
describe('SIGHUP reload when started as root', { skip: !isRoot && 'needs root' }, () => {
  let dir, srv;
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { schedule_interval: 1 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('gazette.conf, the time zone and a theme override are reloaded', async () => {
    const before_ = await h.get(srv.url, '/');
    assert.match(before_.body, /<time datetime="2024-07-05T09:30:00Z">/);
    // a sanitizer build stays root and unconfined (sandbox.c): there the
    // reload is checked without the chroot, which make test covers
    assert.match(srv.output(), /running as user nobody|sanitizer build: not switching to user nobody/);
    fs.appendFileSync(path.join(dir, 'gazette.conf'), 'site_name = The Rooted Gazette\ntimezone = Asia/Kolkata\n');
    fs.mkdirSync(path.join(dir, 'theme'), { recursive: true });
    const foot = fs.readFileSync(path.join(h.ROOT, 'themes/default/foot.html'), 'utf8')
      .replace('<footer class="site-footer">', '<footer class="site-footer"><p class="edition">Root edition</p>');
    fs.writeFileSync(path.join(dir, 'theme', 'foot.html'), foot);
    srv.proc.kill('SIGHUP');
    await until('the reload', () => reloadsDone(srv) === 1);
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /<title>[^<]*The Rooted Gazette/);
    assert.match(home.body, /<time datetime="2024-07-05T15:00:00\+05:30">/);
    assert.match(home.body, /<p class="edition">Root edition<\/p>/);
    assert.doesNotMatch(srv.output(), /reload: .*serving on with the settings and theme loaded before/);
  });

  // a directory descriptor opened before the chroot would be a way out of
  // it (openat(fd, "../../etc/passwd")): every file the server holds is
  // in the site folder, a device, or an in-memory copy
  test('no descriptor of the server leads outside the site folder', () => {
    const fdDir = `/proc/${srv.proc.pid}/fd`;
    const site = fs.realpathSync(dir);
    const outside = [];
    for (const fd of fs.readdirSync(fdDir)) {
      let target;
      try { target = fs.readlinkSync(path.join(fdDir, fd)); } catch { continue; }
      if (!target.startsWith('/') || target.startsWith('/dev/') || target.startsWith('/memfd:')) continue;
      if (target === site || target.startsWith(site + '/')) continue;
      outside.push(`${fd} -> ${target}`);
    }
    assert.deepEqual(outside, []);
  });

  // the scheduler takes the current generation at each run: backups
  // switched on by a reload are made without a restart
  test('the scheduler uses backup_dir and backup_keep set by a reload', h.sqliteOnly('the daily backup skips a PostgreSQL site (pg_dump\'s job)'), async () => {
    const backups = path.join(dir, 'backups');
    assert.ok(!fs.existsSync(backups));
    fs.mkdirSync(backups);
    fs.chownSync(backups, NOBODY.uid, NOBODY.gid);
    // three older backups: backup_keep = 2 leaves the new one and the newest of these
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03'])
      fs.writeFileSync(path.join(backups, `gazette-${day}.tar`), 'old');
    fs.appendFileSync(path.join(dir, 'gazette.conf'), 'backup_dir = backups\nbackup_keep = 2\n');
    const n = reloadsDone(srv);
    srv.proc.kill('SIGHUP');
    await until('the reload', () => reloadsDone(srv) > n);
    await until('the backup', () => /scheduler: backup .* written/.test(srv.output()), 10000);
    const names = fs.readdirSync(backups).filter((f) => f.endsWith('.tar')).sort();
    assert.equal(names.length, 2, names.join(' '));
    assert.equal(names[0], 'gazette-2026-01-03.tar');
    assert.doesNotMatch(srv.output(), /needs a restart/);
  });
});
