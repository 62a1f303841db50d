'use strict';
// A throwaway machine booted by a real systemd, for tests of the Debian
// package as a service (install.test.js). No image to fetch: the container's
// root is an overlay of the machine's own / (a Debian with systemd, as
// scripts/install-deps.sh --test makes it) on a tmpfs, and systemd-nspawn
// boots it with systemd as PID 1, in
// - a private mount namespace (the overlay, and a tmpfs on /run where nspawn
//   keeps its state): every mount goes with it;
// - a new PID namespace whose first process is nspawn (unshare --kill-child,
//   itself under setpriv --pdeathsig): if the test dies, even by SIGKILL, the
//   kernel kills the container with it;
// - a private network (--private-network): the container's 127.0.0.1:8080 is
//   its own, nothing on the machine is reached or taken;
// - a cgroup of its own (gazette-nspawn-PID under ours in the systemd
//   hierarchies), removed afterwards, since nspawn makes its payload and
//   supervisor cgroups where it starts.
// It boots basic.target only: the machine's enabled services (a web server,
// a database) stay off, and a unit started by hand pulls in what it needs.
// The machine's /usr/sbin/policy-rc.d (which tells dpkg never to start a
// service, as in Docker images) is taken away inside, so that a package
// installed there starts its service as on a real system.
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// The cgroup folders to make for the container: ours in the cgroup2
// hierarchy and in the named systemd one (a hybrid layout has both).
function cgroupDirs(name) {
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')).filter((f) => f.length > 8);
  const mountOf = (test) => {
    const f = mounts.find((m) => { const s = m.indexOf('-'); return test(m[s + 1], m[s + 3] || ''); });
    return f && f[4];
  };
  const own = Object.fromEntries(fs.readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')
    .map((l) => { const [, ctl, p] = l.match(/^\d+:([^:]*):(.*)$/); return [ctl, p]; }));
  const dirs = [];
  const v2 = mountOf((type) => type === 'cgroup2');
  if (v2 && own[''] !== undefined) dirs.push(path.join(v2, own[''], name));
  const named = mountOf((type, opts) => type === 'cgroup' && opts.split(',').includes('name=systemd'));
  if (named && own['name=systemd'] !== undefined) dirs.push(path.join(named, own['name=systemd'], name));
  return dirs;
}

function removeCgroup(dir) {
  if (!fs.existsSync(dir)) return;
  const sub = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const e of sub) removeCgroup(path.join(dir, e.name));
  fs.rmdirSync(dir);
}

// Boots the container in WORK (an empty folder of the test's) with FILES
// ({ name: host path }) copied to its /; resolves once systemd reports the
// boot done. Returns { run(cmd, ...args), output(), stop() }: run() is a
// command inside (spawnSync's result), stop() powers it off and leaves
// nothing behind (it must be called, in a finally).
async function boot(work, files = {}) {
  const ov = path.join(work, 'machine');
  fs.mkdirSync(ov);
  const cgroups = cgroupDirs(`gazette-nspawn-${process.pid}`);
  // those of a test killed outright (SIGKILL: its container went with it)
  for (const parent of cgroups.map((d) => path.dirname(d))) {
    for (const e of fs.readdirSync(parent)) {
      const m = e.match(/^gazette-nspawn-(\d+)$/);
      if (m && !fs.existsSync(`/proc/${m[1]}`)) removeCgroup(path.join(parent, e));
    }
  }
  for (const d of cgroups) fs.mkdirSync(d);
  const copies = Object.entries(files)
    .map(([name, from]) => `cp '${from}' "$ov/root/${name}"`).join('\n');
  const script = `set -e
ov=$1; shift
for cg; do echo 0 > "$cg/cgroup.procs"; done
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs "$ov"
mkdir "$ov/upper" "$ov/work" "$ov/root"
mount -t overlay overlay -o lowerdir=/,upperdir="$ov/upper",workdir="$ov/work" "$ov/root"
rm -f "$ov/root/usr/sbin/policy-rc.d"
${copies}
exec systemd-nspawn --quiet -D "$ov/root" --register=no --keep-unit --private-network \\
  --boot --console=pipe -- systemd.unit=basic.target`;
  const proc = spawn('setpriv', ['--pdeathsig', 'KILL', 'unshare', '--mount', '--propagation', 'private', '--pid', '--fork',
    '--kill-child', '--mount-proc', 'sh', '-c', script, 'sh', ov, ...cgroups],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH } });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((res) => proc.on('exit', res));
  let gone = false;
  // a test that ends without stop() (a timeout): the cgroups still go
  const onExit = () => {
    proc.kill('SIGKILL');
    spawnSync('sleep', ['0.5']);
    for (const d of cgroups) { try { removeCgroup(d); } catch { /* still busy */ } }
  };
  process.on('exit', onExit);
  exited.then(() => { gone = true; });

  // unshare -> systemd-nspawn -> the container's systemd
  const childOf = (pid) => {
    try {
      return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]) || 0;
    } catch { return 0; }
  };
  let init = 0;
  const run = (cmd, ...args) => spawnSync('nsenter', ['-t', String(init), '-a', cmd, ...args],
    { encoding: 'utf8', env: { PATH, LANG: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' }, timeout: 120000 });

  async function stop() {
    if (!gone && init) {
      run('systemctl', 'poweroff');
      for (let i = 0; i < 300 && !gone; i++) await sleep(100);
    }
    if (!gone) {
      proc.kill('SIGKILL'); /* unshare --kill-child: the namespace's processes with it */
      await exited;
    }
    process.off('exit', onExit);
    for (const d of cgroups) removeCgroup(d);
  }

  try {
    for (let i = 0; i < 300 && !gone; i++) {
      const nspawn = childOf(proc.pid);
      init = nspawn && childOf(nspawn);
      if (init && /^(running|degraded)$/m.test(run('systemctl', 'is-system-running', '--wait').stdout)) break;
      init = 0;
      await sleep(100);
    }
    if (!init) throw new Error(`the container did not boot:\n${out}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { run, stop, output: () => out };
}

module.exports = { boot };
