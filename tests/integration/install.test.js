'use strict';
// Install and run as a service (issue 17):
// - `make install DESTDIR=` lays out the binary, the default theme and demo, the
//   man pages and the systemd unit; the installed binary finds its own DATADIR
//   (no GAZETTE_DATA), makes a site and serves it; `make uninstall` takes it all away;
// - the unit passes `systemd-analyze verify` and `systemd-analyze security` scores
//   it under 2.0 (docs/install.md has the score);
// - the man pages lint clean (groff -ww) and name every command, every option of
//   every command and every gazette.conf key of src/site/config.c's table;
// - `make deb` builds a package with its files and runtime Depends; unpacked
//   (dpkg-deb -x) its binary serves a site; installed with dpkg -i in a throwaway
//   root (an overlay of / on a tmpfs in a private mount namespace, never the machine)
//   it creates the gazette user and the site in /var/lib/gazette, enables
//   gazette.service, and the unit's own command, run as that user, answers;
// - under a real systemd (a container booted by systemd-nspawn, container.js)
//   dpkg -i starts gazette.service, which answers / and /readyz, reloads a
//   setting on `systemctl reload` in the same process, scores under 2.0 in
//   `systemd-analyze security` and stops cleanly on `systemctl stop`.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const h = require('./helpers');
const container = require('./container');

after(() => h.cleanupSites());

const ROOT = h.ROOT;
const work = h.tmpDir();
const DESTDIR = path.join(work, 'dest');
const PREFIX = '/usr/local';
const inst = (p) => path.join(DESTDIR, PREFIX, p);
// The installed binary must find its theme by itself: no GAZETTE_DATA (the
// sanitizer run sets it for the source tree's binary).
const ENV = { ...process.env };
delete ENV.GAZETTE_DATA;

function run(prog, args, opts = {}) {
  const r = spawnSync(prog, args, { encoding: 'utf8', env: ENV, maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) {
    throw new Error(`${prog} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

// make install and make deb run in a copy of the tree (its sources, objects
// and binary, mtimes kept) with the binary taken as it is (-o gazette): the
// tree's ./gazette is the one every other test file of the run executes, and
// a relink under them (a commit during the run changes build/version) broke
// the files that ran beside this one.
const TREE = path.join(work, 'tree');
function make(...args) {
  if (!fs.existsSync(TREE)) {
    fs.mkdirSync(TREE);
    run('sh', ['-c', 'tar -C "$1" -cf - Makefile README.md src themes demo scripts dist debian gazette | tar -xpf - -C "$2"',
      'sh', ROOT, TREE]);
  }
  return run('make', ['--no-print-directory', '-C', TREE, '-o', 'gazette', ...args]);
}
const binStat = () => { const s = fs.statSync(path.join(ROOT, 'gazette')); return `${s.ino} ${s.size} ${s.mtimeMs}`; };
const treeBin = binStat();

// ---- what the man pages must cover, read from the binary and the source

function commandsOf(bin) {
  const help = run(bin, ['--help']).stdout;
  const block = help.split(/^commands:$/m)[1].split(/\n\n/)[0];
  const names = [...block.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
  assert.ok(names.length >= 9, `commands read from --help: ${names}`);
  return names;
}

function optionsOf(bin, cmd) {
  const help = run(bin, [cmd, '--help']).stdout;
  return [...new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
}

// Every key of the table in src/site/config.c but the older names (a row
// without help: read, never written).
function configKeys() {
  const src = fs.readFileSync(path.join(ROOT, 'src/site/config.c'), 'utf8');
  const table = src.split('static const struct ckey keys[] = {')[1].split('\n};')[0];
  const rows = table.split(/\n\t(?=(?:S|SC|I|L)\(|\{ ")/);
  const keys = [];
  for (const row of rows) {
    const m = row.match(/^(?:(?:S|SC|I|L)\((\w+),|\{ "(\w+)")/);
    if (!m) continue;
    if (/^SC\(\w+, \w+, NULL\)/.test(row)) continue; /* an older name */
    keys.push(m[1] || m[2]);
  }
  assert.ok(keys.length >= 30, `keys read from config.c: ${keys}`);
  return keys;
}

// The page as a reader sees it, plain text; and groff's warnings (none wanted).
function manText(file) {
  return run('groff', ['-man', '-Tutf8', '-P-cbou', file]).stdout;
}
function manWarnings(file) {
  const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', file], { encoding: 'utf8' });
  return `${r.status === 0 ? '' : `exit ${r.status}\n`}${r.stderr}`;
}

async function servesDemo(url) {
  const home = await h.get(url, '/');
  assert.equal(home.status, 200);
  assert.ok(h.htmlUnescape(home.body).includes(h.SEED_TITLE), 'the demo front page');
  const story = await h.get(url, h.SEED_PATH);
  assert.equal(story.status, 200);
  return home;
}

// ---- make install

test('make install lays out binary, theme, demo, man pages and unit under DESTDIR', () => {
  // VERSION: as if a commit had landed since the binary was built
  make('install', `DESTDIR=${DESTDIR}`, `PREFIX=${PREFIX}`, `VERSION=install-test-${process.pid}`);
  assert.equal(binStat(), treeBin, 'the tree\'s ./gazette is left alone');
  const bin = inst('bin/gazette');
  assert.ok(fs.statSync(bin).mode & 0o111, 'the binary is executable');
  for (const f of ['themes/default/home.html', 'themes/default/style.css',
    'themes/default/locale/ur.conf', 'demo/sections.txt', 'demo/photos.txt']) {
    assert.ok(fs.existsSync(inst(path.join('share/gazette', f))), `share/gazette/${f}`);
  }
  // every theme file, none left behind
  const count = (d) => fs.readdirSync(d, { recursive: true })
    .filter((f) => fs.statSync(path.join(d, f)).isFile()).length;
  assert.equal(count(inst('share/gazette/themes/default')), count(path.join(ROOT, 'themes/default')));
  assert.ok(fs.existsSync(inst('share/man/man1/gazette.1')));
  assert.ok(fs.existsSync(inst('share/man/man5/gazette.conf.5')));
  const unit = fs.readFileSync(inst('lib/systemd/system/gazette.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/gazette serve --site \/var\/lib\/gazette$/m);
  assert.doesNotMatch(unit, /@[A-Z]+@/, 'every placeholder filled');
});

test('the installed binary finds its installed theme, makes a site and serves it', async () => {
  // a mark in the installed stylesheet only: served, it proves which theme was read
  const css = inst('share/gazette/themes/default/style.css');
  fs.appendFileSync(css, '\n/* installed-theme-mark */\n');
  const site = path.join(work, 'site');
  run(inst('bin/gazette'), ['init', '--demo', '--no-photos', '--site', site], { cwd: work });
  const srv = await h.startServer(site, {
    env: ENV, command: (listen) => [inst('bin/gazette'), 'serve', '--site', site, '--listen', listen],
  });
  try {
    const home = await servesDemo(srv.url);
    const href = home.body.match(/href="(\/static\/style\.css\?v=[0-9a-f]+)"/);
    assert.ok(href, 'the stylesheet link');
    const sheet = await h.get(srv.url, h.htmlUnescape(href[1]));
    assert.equal(sheet.status, 200);
    assert.ok(sheet.body.includes('installed-theme-mark'), 'the installed style.css is served');
  } finally {
    await srv.stop();
  }
});

test('the unit verifies and systemd-analyze security scores it under 2.0', () => {
  const unitPath = inst('lib/systemd/system/gazette.service');
  const unit = fs.readFileSync(unitPath, 'utf8');
  for (const d of ['ProtectSystem=strict', 'ProtectHome=yes', 'NoNewPrivileges=yes', 'PrivateTmp=yes',
    'PrivateDevices=yes', 'ProtectKernelTunables=yes', 'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    'SystemCallFilter=@system-service', 'SystemCallFilter=seccomp', 'User=gazette', 'ReadWritePaths=/var/lib/gazette',
    'ExecReload=/bin/kill -HUP $MAINPID', 'Restart=on-failure']) {
    assert.ok(unit.split('\n').includes(d), d);
  }
  // verify runs ExecStart's program and the Documentation= man pages: the
  // installed ones, under DESTDIR
  const copy = path.join(work, 'gazette.service');
  fs.writeFileSync(copy, unit.replace('=/usr/local/bin/gazette', `=${inst('bin/gazette')}`));
  const env = { ...ENV, MANPATH: inst('share/man') };
  const v = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8', env });
  assert.equal(v.status, 0, `systemd-analyze verify:\n${v.stdout}${v.stderr}`);
  assert.equal(v.stderr.trim(), '', 'no complaint');
  const s = run('systemd-analyze', ['security', '--offline=yes', unitPath]).stdout;
  const m = s.match(/Overall exposure level for gazette\.service: ([0-9.]+)/);
  assert.ok(m, s.slice(-500));
  assert.ok(Number(m[1]) < 2.0, `exposure ${m[1]}`);
});

test('the man pages lint clean and cover every command, option and setting', () => {
  const page1 = inst('share/man/man1/gazette.1');
  const page5 = inst('share/man/man5/gazette.conf.5');
  assert.equal(manWarnings(page1), '');
  assert.equal(manWarnings(page5), '');
  const text1 = manText(page1);
  const bin = inst('bin/gazette');
  for (const cmd of commandsOf(bin)) {
    assert.ok(text1.includes(`gazette ${cmd}\n`), `a section for gazette ${cmd}`);
    for (const opt of optionsOf(bin, cmd)) {
      assert.ok(text1.includes(opt), `${opt} of gazette ${cmd}`);
    }
  }
  const text5 = manText(page5);
  for (const key of configKeys()) {
    assert.match(text5, new RegExp(`^ {7}${key}\\b`, 'm'), `gazette.conf key ${key}`);
  }
  // a key's default is the one `gazette init` writes
  assert.match(text5, /^ {7}per_page\b[^]*?Default: 10\n/m);
});

test('make uninstall removes what make install put there', () => {
  make('uninstall', `DESTDIR=${DESTDIR}`, `PREFIX=${PREFIX}`);
  const left = fs.readdirSync(DESTDIR, { recursive: true })
    .filter((f) => !fs.statSync(path.join(DESTDIR, f)).isDirectory());
  assert.deepEqual(left, []);
  assert.ok(!fs.existsSync(inst('share/gazette')));
});

// ---- make deb

let deb = null;

test('make deb builds a package holding the binary, theme, man pages and unit', (t) => {
  const t0 = Date.now();
  make('deb');
  assert.equal(binStat(), treeBin, 'the tree\'s ./gazette is left alone');
  const built = fs.readdirSync(path.join(TREE, 'build/deb')).filter((f) => /^gazette_.*\.deb$/.test(f));
  assert.equal(built.length, 1, `${built}`);
  deb = path.join(TREE, 'build/deb', built[0]);
  t.diagnostic(`make deb: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const files = run('dpkg-deb', ['-c', deb]).stdout;
  for (const f of ['./usr/bin/gazette', './usr/share/gazette/themes/default/home.html',
    './usr/share/gazette/demo/sections.txt', './usr/share/man/man1/gazette.1.gz',
    './usr/share/man/man5/gazette.conf.5.gz', './lib/systemd/system/gazette.service',
    './usr/share/doc/gazette/copyright']) {
    assert.ok(files.includes(` ${f}\n`), f);
  }
  const depends = run('dpkg-deb', ['-f', deb, 'Depends']).stdout;
  for (const lib of ['libmicrohttpd', 'libsqlite3-0', 'libsodium', 'libvips42', 'adduser']) {
    assert.ok(depends.includes(lib), `Depends names ${lib}: ${depends}`);
  }
  const unit = run('sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -xOf - ./lib/systemd/system/gazette.service`, 'sh', deb]).stdout;
  assert.match(unit, /^ExecStart=\/usr\/bin\/gazette serve --site \/var\/lib\/gazette$/m);
});

test('the unpacked package serves a site with its own theme', async () => {
  assert.ok(deb, 'the package was built');
  const root = path.join(work, 'unpacked');
  run('dpkg-deb', ['-x', deb, root]);
  const bin = path.join(root, 'usr/bin/gazette');
  const site = path.join(work, 'debsite');
  run(bin, ['init', '--demo', '--no-photos', '--site', site], { cwd: work });
  const srv = await h.startServer(site, {
    env: ENV, command: (listen) => [bin, 'serve', '--site', site, '--listen', listen],
  });
  try {
    await servesDemo(srv.url);
  } finally {
    await srv.stop();
  }
});

// dpkg -i in a private mount namespace over an overlay of /: every write goes to
// the overlay's upper folder, thrown away with the test's folder.
test('installed in a throwaway root, the package makes its user and site and the service answers', async (t) => {
  assert.ok(deb, 'the package was built');
  // upper and work folders on a tmpfs of the namespace: gone with it, and
  // an overlay needs an upper that is no overlay itself (as / is in Docker)
  const ov = path.join(work, 'overlay');
  fs.mkdirSync(ov);
  const mountOverlay = `mount -t tmpfs tmpfs ${ov}
mkdir ${ov}/upper ${ov}/work ${ov}/root
mount -t overlay overlay -o lowerdir=/,upperdir=${ov}/upper,workdir=${ov}/work ${ov}/root`;
  const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-ec', mountOverlay],
    { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip(`no private mount namespace with an overlay here (needs root): ${probe.stderr.trim()}`);
    return;
  }
  const machine = () => `${spawnSync('id', ['gazette']).status} ${fs.existsSync('/var/lib/gazette')}`;
  const before = machine();
  const m = path.join(ov, 'root');
  const script = `set -e
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
${mountOverlay}
cp "$2" ${ov}/upper/gazette.deb
mount -t proc proc ${m}/proc
mount --rbind /dev ${m}/dev
mount -t tmpfs tmpfs ${m}/run
mount -t tmpfs tmpfs ${m}/tmp
chroot ${m} dpkg -i /gazette.deb >&2
chroot ${m} sh -ec 'getent passwd gazette; stat -c "%U %a" /var/lib/gazette; ls /var/lib/gazette;
  grep "^user = " /var/lib/gazette/gazette.conf;
  readlink /etc/systemd/system/multi-user.target.wants/gazette.service' >&2
cmd=$(sed -n 's/^ExecStart=//p' ${m}/lib/systemd/system/gazette.service)
exec chroot --userspec=gazette:gazette ${m} $cmd --listen "$1"`;
  const srv = await h.startServer(null, {
    timeoutMs: 120000, env: ENV,
    command: (listen) => ['unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'sh', listen, deb],
  });
  try {
    const out = srv.output();
    assert.match(out, /^gazette:x:\d+:\d+:Gazette news server[^:]*:\/var\/lib\/gazette:/m, 'the user');
    assert.match(out, /^gazette 750$/m, 'the site folder, the user\'s alone');
    assert.match(out, /^gazette\.conf\ngazette\.db\n/m, 'a site made by gazette init');
    assert.match(out, /^user = gazette$/m, 'a serve started as root hands the site to that user');
    assert.match(out, /^\/lib\/systemd\/system\/gazette\.service$/m, 'the service enabled');
    const home = await h.get(srv.url, '/');
    assert.equal(home.status, 200);
    assert.ok(h.htmlUnescape(home.body).includes('The Gazette'), 'the new site\'s front page');
  } finally {
    await srv.stop();
  }
  assert.equal(machine(), before, 'the machine itself has the same users and /var/lib');
});

// The package under a real systemd: a container booted with systemd as PID 1
// (container.js: an overlay of / booted by systemd-nspawn, private network,
// nothing left behind). dpkg -i there enables and starts gazette.service as
// on a real machine; it answers, reloads on `systemctl reload` with the same
// process, stops cleanly on `systemctl stop`, and `systemd-analyze security`
// scores the loaded unit from inside.
test('under a booted systemd, the package starts gazette.service, which serves, reloads and stops', async (t) => {
  assert.ok(deb, 'the package was built');
  if (process.getuid() !== 0) {
    t.skip('booting a container needs root');
    return;
  }
  const nspawn = spawnSync('systemd-nspawn', ['--version'], { encoding: 'utf8' });
  assert.equal(nspawn.status, 0, 'systemd-nspawn (Debian\'s systemd-container: scripts/install-deps.sh --test)');
  const before = `${spawnSync('id', ['gazette']).status} ${fs.existsSync('/var/lib/gazette')}`;
  const t0 = Date.now();
  const box = await container.boot(work, { 'gazette.deb': deb });
  t.diagnostic(`booted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const sh = (cmd) => box.run('sh', '-c', cmd);
    const ok = (cmd) => {
      const r = sh(cmd);
      assert.equal(r.status, 0, `${cmd}:\n${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    const journal = () => sh('journalctl -u gazette -o cat --no-pager').stdout;
    // status and body of a page, asked inside (the container's own loopback)
    const page = (p) => {
      const r = sh(`curl -s -w '\\n%{http_code}' http://127.0.0.1:8080${p}`);
      const i = r.stdout.lastIndexOf('\n');
      return { status: Number(r.stdout.slice(i + 1)), body: r.stdout.slice(0, i) };
    };
    const serving = async () => {
      for (let i = 0; i < 100; i++) {
        if (page('/healthz').status === 200) return;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.fail(`gazette.service does not answer:\n${sh('systemctl status gazette --no-pager').stdout}${journal()}`);
    };

    ok('dpkg -i /gazette.deb');
    assert.equal(ok('systemctl is-enabled gazette').trim(), 'enabled');
    assert.equal(sh('systemctl is-active gazette').stdout.trim(), 'active', journal());
    await serving();
    const home = page('/');
    assert.equal(home.status, 200);
    assert.ok(h.htmlUnescape(home.body).includes('The Gazette'), 'the new site\'s front page');
    const ready = page('/readyz');
    assert.equal(ready.status, 200, ready.body);
    const pid = ok('systemctl show -P MainPID gazette').trim();
    assert.equal(ok(`stat -c %U /proc/${pid}`).trim(), 'gazette', 'served by the gazette user');

    // reload: a changed setting served by the same process
    ok('echo "site_name = The Reloaded Gazette" >> /var/lib/gazette/gazette.conf');
    ok('systemctl reload gazette');
    for (let i = 0; i < 50 && !/reload: gazette\.conf and the theme reloaded/.test(journal()); i++) {
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.match(journal(), /reload: gazette\.conf and the theme reloaded/);
    assert.equal(ok('systemctl show -P MainPID gazette').trim(), pid, 'the same process');
    assert.match(page('/').body, /<title>[^<]*The Reloaded Gazette/);

    const sec = ok('systemd-analyze security --no-pager gazette');
    const score = sec.match(/Overall exposure level for gazette\.service: ([0-9.]+) (\S+)/);
    assert.ok(score, sec.slice(-500));
    t.diagnostic(`systemd-analyze security gazette (inside, the running unit): ${score[1]} ${score[2]}`);
    assert.ok(Number(score[1]) < 2.0, `exposure ${score[1]}`);

    ok('systemctl stop gazette');
    assert.equal(sh('systemctl is-active gazette').stdout.trim(), 'inactive', 'stopped, not failed');
    assert.equal(page('/').status, 0, 'nothing listens any more');
    assert.match(journal(), /signal 15: finishing requests in flight and stopping/);
  } finally {
    await box.stop();
  }
  assert.equal(`${spawnSync('id', ['gazette']).status} ${fs.existsSync('/var/lib/gazette')}`, before,
    'the machine itself has the same users and /var/lib');
  // the container's mounts die with its private namespace; its processes
  // (systemd as its PID 1, nspawn, the journal) must be gone too
  const left = ['systemd', 'systemd-nspawn', 'systemd-journal']
    .map((name) => spawnSync('pgrep', ['-a', '-x', name], { encoding: 'utf8' }).stdout.trim()).join('');
  assert.equal(left, '', 'no process of the container left behind');
});
