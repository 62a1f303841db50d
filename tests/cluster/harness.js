'use strict';
// The cluster harness (make test-cluster, issue 16): real parts on loopback,
// all Debian packages, each started in a temporary folder and stopped by the
// test that started it.
//   startNodes(n)      n gazette nodes serving the same site: one demo site,
//                      copied to each node with `gazette backup`/`restore`
//   startHaproxy(...)  haproxy in front of them, health-checking /readyz
//   startCluster(n)    both: n nodes behind haproxy
//   startPostgres()    a PostgreSQL 15 primary plus a streaming replica
//                      (initdb, pg_basebackup -R), run as `nobody`
//   startPgCluster(n)  n nodes sharing that primary (each a folder whose
//                      gazette.conf says `db = ...`) behind haproxy
//   wrk(url, ...)      a load through haproxy, with its error counts
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const h = require('../integration/helpers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn() every `every` ms until it returns something truthy; throws
// with `what` after timeoutMs.
async function until(fn, what, { timeoutMs = 10000, every = 50 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(every);
  }
}

// ---------------------------------------------------------------- gazette nodes

// Settings for a node behind haproxy: every connection comes from 127.0.0.1,
// so the per-address limit is the proxy's, not a reader's.
const NODE_CONF = { per_ip_connections: 1024, conn_timeout: 30 };

// One demo site, backed up and restored into n folders (the same bytes on
// every node, as a deploy from one backup would give), each served by its own
// `gazette serve`. Returns {dirs, nodes}; nodes[i] is startServer's handle
// plus restart(), which starts the node again on its port (after a kill).
// opts.extraArgs: more `gazette serve` arguments (bench/cluster.js: --no-cache).
async function startNodes(n, { extraArgs = [] } = {}) {
  const src = h.makeSite({ demo: true, conf: NODE_CONF });
  const tar = path.join(h.tmpDir(), 'site.tar');
  h.gz(['backup', '--site', src, tar]);
  const dirs = [];
  for (let i = 0; i < n; i++) {
    const dir = path.join(h.tmpDir(), `node${i}`);
    h.gz(['restore', tar, '--site', dir]);
    dirs.push(dir);
  }
  const nodes = [];
  try {
    for (const dir of dirs) nodes.push(node(dir, await h.startServer(dir, { extraArgs }), extraArgs));
  } catch (e) {
    await stopNodes(nodes);
    throw e;
  }
  return { dirs, nodes };
}

function node(dir, srv, extraArgs = []) {
  const handle = {
    dir, srv, port: srv.port, url: srv.url,
    kill9() { return srv.kill('SIGKILL'); },
    async restart() {
      handle.srv = srv = await h.startServer(dir, { port: handle.port, extraArgs });
      return handle;
    },
    stop() { return srv.stop(); },
  };
  return handle;
}

async function stopNodes(nodes) {
  await Promise.all(nodes.map((nd) => nd.stop()));
}

// ---------------------------------------------------------------- haproxy

// The configuration docs/deploy.md shows: the proxy checks each node's
// /readyz every `inter` ms; `fall` failures mark it down, `rise` successes
// up again. A request whose connection fails or whose node closes without
// an answer is retried (on another node: redispatch).
// bind and servers are host:port.
function haproxyConfig({ bind, servers, inter = 200, fall = 2, rise = 2, sock }) {
  return `global
    maxconn 4096
    stats socket ${sock} mode 600 level admin
    log stderr format raw local0 notice

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 1s
    retries 3
    retry-on conn-failure empty-response
    option redispatch 1

frontend www
    bind ${bind}
    default_backend gazette

backend gazette
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter ${inter}ms fall ${fall} rise ${rise}
${servers.map((s, i) => `    server node${i} ${s} check`).join('\n')}
`;
}

// Starts haproxy (foreground, -db) with haproxyConfig() for the given node
// ports; resolves once its frontend answers and every node is UP.
// Returns {url, port, cfg, inter, fall, rise, stat(), states(), output(), stop()}.
async function startHaproxy(nodePorts, opts = {}) {
  const dir = h.tmpDir();
  const port = await h.freePort();
  const sock = path.join(dir, 'haproxy.sock');
  const cfgPath = path.join(dir, 'haproxy.cfg');
  const o = { inter: 200, fall: 2, rise: 2, ...opts };
  const cfg = haproxyConfig({ bind: `${h.HOST}:${port}`, servers: nodePorts.map((p) => `${h.HOST}:${p}`), sock, ...o });
  fs.writeFileSync(cfgPath, cfg);
  execFileSync('haproxy', ['-c', '-q', '-f', cfgPath], { stdio: 'pipe' });
  const proc = spawn('haproxy', ['-db', '-f', cfgPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d) => { out += d; if (out.length > 2e5) out = out.slice(-1e5); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  const hp = {
    url: `http://${h.HOST}:${port}`, port, cfg, dir, ...o, proc,
    output: () => out,
    // `show stat` as rows of {pxname, svname, status, stot, ...}
    async stat() {
      const text = await new Promise((resolve, reject) => {
        const c = net.createConnection(sock);
        let s = '';
        c.on('connect', () => c.end('show stat\n'));
        c.on('data', (d) => { s += d; });
        c.on('end', () => resolve(s));
        c.on('error', reject);
      });
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const head = lines.shift().replace(/^# /, '').split(',');
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
    },
    // {node0: 'UP', node1: 'DOWN', ...}
    async states() {
      const rows = (await hp.stat()).filter((r) => r.pxname === 'gazette' && /^node\d+$/.test(r.svname));
      return Object.fromEntries(rows.map((r) => [r.svname, r.status.split(' ')[0]]));
    },
    // resolves with the ms it took haproxy to report node `name` as `state`
    async waitFor(name, state, timeoutMs = 5000) {
      const t0 = Date.now();
      await until(async () => (await hp.states())[name] === state, `haproxy to mark ${name} ${state}`,
        { timeoutMs, every: 20 });
      return Date.now() - t0;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
  try {
    await until(() => fs.existsSync(sock), 'haproxy\'s stats socket', { timeoutMs: 5000 });
    await until(async () => Object.values(await hp.states()).every((s) => s === 'UP'),
      'haproxy to see every node UP', { timeoutMs: 10000 });
  } catch (e) {
    await hp.stop();
    e.message += `\n--- haproxy output ---\n${out}`;
    throw e;
  }
  return hp;
}

// n nodes behind haproxy: {nodes, hp, stop()}. A test file keeps it and
// stops it (and removes its folders) in `after`.
async function startCluster(n, opts = {}) {
  const { nodes } = await startNodes(n, opts);
  let hp;
  try {
    hp = await startHaproxy(nodes.map((nd) => nd.port));
  } catch (e) {
    await stopNodes(nodes);
    throw e;
  }
  return {
    nodes, hp,
    async stop() {
      await hp.stop();
      await stopNodes(nodes);
      h.cleanupSites();
    },
  };
}

// ---------------------------------------------------------------- wrk

// wrk -t2 -cCONNS -dSECONDSs on url; resolves with its output, the requests,
// the socket errors (connect + read + write + timeout) and the non-2xx/3xx
// answers.
function wrk(url, { threads = 2, conns = 16, seconds = 6, timeout = '5s' } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', [`-t${threads}`, `-c${conns}`, `-d${seconds}s`, '--timeout', timeout, url]);
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('close', () => {
      const requests = Number((/(\d+) requests in/.exec(out) || [])[1] || 0);
      const m = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socketErrors = m ? m.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0;
      const non2xx = Number((/Non-2xx or 3xx responses: (\d+)/.exec(out) || [])[1] || 0);
      resolve({ out, requests, socketErrors, non2xx });
    });
  });
}

// ---------------------------------------------------------------- PostgreSQL

const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const NOBODY = { uid: 65534, gid: 65534 };

// Runs a PostgreSQL program as `nobody` (the server refuses root) and
// returns its stdout; throws with its stderr when it fails.
function asNobody(prog, args, { timeout = 60000 } = {}) {
  const r = spawnSync(path.join(PG_BIN, prog), args, {
    ...NOBODY, encoding: 'utf8', timeout, cwd: '/',
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: '/' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${prog} ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// A folder `nobody` may own: made inside a 0711 temporary folder.
function nobodyDir(name) {
  const parent = h.tmpDir();
  fs.chmodSync(parent, 0o711);
  const d = path.join(parent, name);
  fs.mkdirSync(d, { mode: 0o700 });
  fs.chownSync(d, NOBODY.uid, NOBODY.gid);
  return d;
}

// One server's settings: loopback only, its own port, its Unix socket in its
// own folder; fsync off (a test's data dies with it).
function pgConf(dir, port) {
  fs.appendFileSync(path.join(dir, 'postgresql.conf'), `
# written by tests/cluster/harness.js
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
`);
}

function pgServer(dir, port, role) {
  const srv = {
    dir, port, role,
    url: `postgresql://postgres@${h.HOST}:${port}/postgres`,
    start() { asNobody('pg_ctl', ['-D', dir, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']); },
    stop() {
      try { asNobody('pg_ctl', ['-D', dir, '-w', '-m', 'immediate', 'stop']); } catch { /* not running */ }
    },
    // pg_ctl restart -m fast: every connection ended, the server back
    restart() { asNobody('pg_ctl', ['-D', dir, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-m', 'fast', 'restart']); },
    // pg_ctl stop -m fast (start() brings it back)
    stopFast() { asNobody('pg_ctl', ['-D', dir, '-w', '-m', 'fast', 'stop']); },
    // psql -At -c sql on this server (as the superuser postgres over TCP)
    psql(sql) {
      return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', h.HOST, '-p', String(port),
        '-U', 'postgres', '-d', 'postgres', '-c', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    },
    log() { try { return fs.readFileSync(path.join(dir, 'server.log'), 'utf8'); } catch { return ''; } },
  };
  return srv;
}

// Every PostgreSQL server the harness started and has not stopped.
const RUNNING = new Set();
process.on('exit', () => { for (const s of RUNNING) s.stop(); });

// A primary (initdb, trust authentication on loopback) and a streaming
// replica made from it with pg_basebackup -R. Returns {primary, replica,
// stop()}; each server has {url, port, dir, psql(sql), start(), stop(), log()}.
async function startPostgres() {
  const pdir = nobodyDir('primary');
  const pport = await h.freePort();
  asNobody('initdb', ['-D', pdir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  pgConf(pdir, pport);
  const primary = pgServer(pdir, pport, 'primary');
  // registered before each start: pg_ctl detaches the server, so one that
  // came up after a start that timed out, or a test that timed out here,
  // is still stopped (by stop(), or when the test process exits)
  const started = [];
  const stop = () => { started.splice(0).reverse().forEach((s) => { s.stop(); RUNNING.delete(s); }); };
  try {
    started.push(primary);
    RUNNING.add(primary);
    primary.start();
    const rdir = nobodyDir('replica');
    fs.rmdirSync(rdir); // pg_basebackup makes it (as nobody, the parent allows: chown below)
    fs.chownSync(path.dirname(rdir), NOBODY.uid, NOBODY.gid);
    const rport = await h.freePort();
    asNobody('pg_basebackup', ['-h', h.HOST, '-p', String(pport), '-U', 'postgres', '-D', rdir,
      '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
    // the copy carries the primary's settings: give the replica its own
    fs.appendFileSync(path.join(rdir, 'postgresql.conf'),
      `port = ${rport}\nunix_socket_directories = '${rdir}'\n`);
    const replica = pgServer(rdir, rport, 'replica');
    started.push(replica);
    RUNNING.add(replica);
    replica.start();
    return { primary, replica, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

// n nodes on one PostgreSQL (startPostgres' primary) behind haproxy: the
// site made by `gazette init --db URL --demo` in the first folder, its
// gazette.conf (which names the database) plus `conf` copied to the others.
// Returns {pg, nodes, hp, dirs, stop()}.
async function startPgCluster(n, { conf = {}, extraArgs = [] } = {}) {
  const pg = await startPostgres();
  const nodes = [];
  let hp;
  try {
    const url = pg.primary.url;
    const dirs = [];
    for (let i = 0; i < n; i++) dirs.push(path.join(h.tmpDir(), `node${i}`));
    h.gz(['init', '--site', dirs[0], '--db', url, '--demo', '--no-photos']);
    const lines = Object.entries({ ...NODE_CONF, ...conf }).map(([k, v]) => `${k} = ${v}\n`).join('');
    fs.appendFileSync(path.join(dirs[0], 'gazette.conf'), lines);
    for (const dir of dirs.slice(1)) {
      fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
      fs.copyFileSync(path.join(dirs[0], 'gazette.conf'), path.join(dir, 'gazette.conf'));
    }
    for (const dir of dirs) nodes.push(node(dir, await h.startServer(dir, { extraArgs }), extraArgs));
    hp = await startHaproxy(nodes.map((nd) => nd.port));
    return {
      pg, nodes, hp, dirs,
      async stop() {
        await hp.stop();
        await stopNodes(nodes);
        pg.stop();
        h.cleanupSites();
      },
    };
  } catch (e) {
    if (hp) await hp.stop();
    await stopNodes(nodes);
    pg.stop();
    throw e;
  }
}

module.exports = {
  sleep, until, NODE_CONF, startNodes, stopNodes, haproxyConfig, startHaproxy, startCluster, wrk,
  PG_BIN, startPostgres, startPgCluster,
};
