'use strict';
// Shared helpers for Gazette's integration and end-to-end tests (node --test).
// Everything here talks to 127.0.0.1 only.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const { spawn, spawnSync, execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
// GAZETTE_BIN may point at another build of the binary (default: ./gazette at the repo root).
const GAZETTE = process.env.GAZETTE_BIN ? path.resolve(process.env.GAZETTE_BIN) : path.join(ROOT, 'gazette');
const DEMO = path.join(ROOT, 'demo');
const HOST = '127.0.0.1';

const SEED_SLUG = 'pakistan-azerbaijan-ties-strengthening-bonds-for-development';
const SEED_PATH = '/2024/07/05/' + SEED_SLUG;
const SEED_TITLE = 'Pakistan-Azerbaijan Ties: Strengthening Bonds for Development';

function requireBinary() {
  if (!fs.existsSync(GAZETTE)) {
    throw new Error(`${GAZETTE} does not exist: build it first with "make"`);
  }
}

// ---------------------------------------------------------------- ports, sites, server

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const madeDirs = [];

// Creates a site with `gazette init [--demo] --site DIR` in a fresh temporary
// directory and appends `key = value` overrides to DIR/gazette.conf.
// A demo site comes without the demo's photos (--no-photos: an empty media
// library, and half a second saved per site) unless photos is true: the
// tests of the demo's own pages ask for them. then: {name, make(dir)}, a
// step made on the new site before conf (admin-helpers' newsroom: its users).
// store: 'sqlite' for a SQLite site whatever STORE says (the tests that
// compare the engines or copy one into the other).
// With STORE=pg (`make test STORE=pg`: tests/run.sh starts one PostgreSQL
// for the run through tests/unit/with_pg.sh) each site gets a database of
// its own there, so the same tests run on both stores.
// Either way the site is a copy of a template made once per run (siteCopy).
function makeSite({ demo = true, photos = false, conf = {}, then = null, store = STORE } = {}) {
  requireBinary();
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-test-'));
  madeDirs.push(parent);
  const dir = path.join(parent, 'site');
  const kind = (store === 'pg' ? '' : 'lite_') + (demo ? (photos ? 'photos' : 'demo') : 'bare') +
    (then ? `_${then.name}` : '');
  siteCopy(template(kind, store, (tdir, db) => {
    const args = ['init', '--site', tdir];
    if (demo) args.push('--demo');
    if (demo && !photos) args.push('--no-photos');
    if (db) args.push('--db', db);
    gz(args);
    if (then) then.make(tdir);
  }), dir);
  const lines = Object.entries(conf).map(([k, v]) => `${k} = ${v}`);
  if (lines.length) {
    const confPath = path.join(dir, 'gazette.conf');
    const old = fs.existsSync(confPath) ? fs.readFileSync(confPath, 'utf8') : '';
    const sep = old === '' || old.endsWith('\n') ? '' : '\n';
    fs.appendFileSync(confPath, sep + lines.join('\n') + '\n');
  }
  return dir;
}

// Template sites: one per kind (bare, demo, demo with photos, a newsroom of
// each), made by make(dir, db) (`gazette init`: on PostgreSQL ~40
// migrations a round trip each and the demo's hundreds of statements, about
// 1.5 s; a newsroom's four users an Argon2id hash each). A site is a copy:
// its folder copied, and on PostgreSQL its database `CREATE DATABASE ...
// TEMPLATE` of the template's (0.2-0.5 s on the shared machine; STRATEGY
// FILE_COPY: its files copied, not written through the WAL page by page,
// 0.7-1.0 s against 0.9-1.1 s for WAL_LOG at a load of 9) and named in
// the copy's gazette.conf; the same rows, the same site secret. The
// templates live in the run's folder (tests/run.sh's GAZETTE_TEST_TMP, or
// with_pg.sh's GAZETTE_TEST_PG_TMP for one file on PostgreSQL) and serve
// every test file of the run; without one, this process's own. Two files
// that ask at once both make it; the first renamed into place wins.
const templates = new Map();
function template(kind, store, make) {
  if (templates.has(kind)) return templates.get(kind);
  const shared = process.env.GAZETTE_TEST_TMP || process.env.GAZETTE_TEST_PG_TMP;
  const root = shared ? path.join(shared, 'templates') : ownTemplates();
  fs.mkdirSync(root, { recursive: true });
  const tpl = { dir: path.join(root, kind), db: store === 'pg' && `gz_tpl_${kind}${shared ? '' : `_${process.pid}`}` };
  if (!fs.existsSync(tpl.dir)) {
    const dir = path.join(fs.mkdtempSync(path.join(root, 'new-')), 'site');
    const mine = store === 'pg' ? `gz_new_${kind}_${process.pid}` : null;
    if (mine) psqlRun(pgServerUrl('postgres'), `CREATE DATABASE ${mine};`);
    make(dir, mine && pgServerUrl(mine));
    try {
      if (mine) psqlRun(pgServerUrl('postgres'), `ALTER DATABASE ${mine} RENAME TO ${tpl.db};`);
      fs.renameSync(dir, tpl.dir);
    } catch {
      // another file's template won: its folder follows its database
      if (mine) psqlRun(pgServerUrl('postgres'), `DROP DATABASE ${mine};`);
      for (let i = 0; i < 600 && !fs.existsSync(tpl.dir); i++) sleepSync(100);
    }
  }
  templates.set(kind, tpl);
  return tpl;
}

function siteCopy(tpl, dir) {
  let db = null;
  if (tpl.db) {
    db = `site_${process.pid}_${++pgSites}`;
    psqlRun(pgServerUrl('postgres'), `CREATE DATABASE ${db} TEMPLATE ${tpl.db} STRATEGY FILE_COPY;`);
  }
  fs.cpSync(tpl.dir, dir, { recursive: true });
  if (db) {
    const confPath = path.join(dir, 'gazette.conf');
    const conf = fs.readFileSync(confPath, 'utf8');
    fs.writeFileSync(confPath, conf.replace(/^(\s*db\s*=\s*).*$/m, `$1${pgServerUrl(db)}`));
  }
}

let ownRoot = '';
function ownTemplates() {
  if (!ownRoot) {
    ownRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-tpl-'));
    process.on('exit', () => fs.rmSync(ownRoot, { recursive: true, force: true }));
  }
  return ownRoot;
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---------------------------------------------------------------- the store: SQLite or PostgreSQL

// STORE=pg: the sites live in the PostgreSQL of tests/unit/with_pg.sh
// (PGHOST and PGPORT name it); anything else: each site's gazette.db.
const STORE = process.env.STORE === 'pg' ? 'pg' : 'sqlite';
let pgSites = 0;

function pgServerUrl(db) {
  if (!process.env.PGPORT) {
    throw new Error('STORE=pg needs a PostgreSQL: run under tests/unit/with_pg.sh (make test STORE=pg does)');
  }
  return `postgresql://gazette@127.0.0.1:${process.env.PGPORT}/${db}`;
}

function psqlRun(url, sql, extra = []) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, ...extra],
    { input: sql, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
}

// The store a site was made on: gazette.conf's `db = URL`, or its gazette.db.
function siteDb(dir) {
  let conf = '';
  try { conf = fs.readFileSync(path.join(dir, 'gazette.conf'), 'utf8'); } catch { /* none */ }
  const m = /^\s*db\s*=\s*(postgres(?:ql)?:\/\/\S+)\s*$/m.exec(conf);
  return m ? { pg: m[1] } : { sqlite: path.join(dir, 'gazette.db') };
}

// One query on a site's store, whichever engine holds it: the rows as
// objects (JSON), as `sqlite3 -json` gives them. A statement that returns
// no rows gives []. On PostgreSQL a SELECT is wrapped in json_agg, so a
// truth value comes back as true/false (SQLite's 1/0): compare with Number().
function sqlRows(dir, query) {
  const db = siteDb(dir);
  if (db.sqlite) {
    const r = spawnSync('sqlite3', ['-json', '-cmd', '.timeout 5000', db.sqlite, query],
      { encoding: 'utf8', timeout: 30000, maxBuffer: 256 << 20 });
    if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
  }
  const q = query.trim().replace(/;\s*$/, '');
  if (!/^(SELECT|WITH)\b/i.test(q)) { psqlRun(db.pg, q + ';'); return []; }
  const out = psqlRun(db.pg, `SELECT COALESCE(json_agg(t), '[]') FROM (${q}) t;`).trim();
  return JSON.parse(out || '[]');
}

// The same, as `sqlite3 DB QUERY` prints it: one line per row, columns
// joined by '|', trimmed (psql -A -t prints the same; truth values t/f).
function sql(dir, query) {
  const db = siteDb(dir);
  if (db.sqlite) {
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', db.sqlite, query],
      { encoding: 'utf8', maxBuffer: 256 << 20 }).trim();
  }
  return psqlRun(db.pg, query.trim().replace(/;?\s*$/, ';')).trim();
}

// The options of a test that only means something on SQLite (it opens
// gazette.db, watches SQLite's own writes, copies its file): skipped with
// STORE=pg, the reason in one line. HACKING.md lists them.
// Holds the store's writers out until the returned release() is called:
// SQLite's write lock (a BEGIN IMMEDIATE then waits, up to its 5 s busy
// timeout), or PostgreSQL's writers' advisory lock (PG_WRITE_LOCK in
// src/store/store_open.c, taken by every write's BEGIN).
async function holdWrites(dir) {
  const db = siteDb(dir);
  const child = db.sqlite
    // the CLI waits for the lock as the server does, and stops at a
    // failed statement: 'held' is printed only once the lock is taken
    // (without .timeout a BEGIN IMMEDIATE beside a write of the server's
    // failed at once, and 'held' came all the same)
    ? spawn('sqlite3', ['-bail', '-cmd', '.timeout 10000', db.sqlite], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn('psql', ['-X', '-q', '-A', '-t', db.pg], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stdin.write(db.sqlite ? 'BEGIN IMMEDIATE;\n' : 'BEGIN; SELECT pg_advisory_xact_lock(78590778698100);\n');
  child.stdin.write("SELECT 'held';\n");
  await until('the write lock is held', () => out.includes('held'), 10000);
  let released = null; // once, however often it is called
  return () => released || (released = new Promise((resolve) => {
    child.on('exit', resolve);
    child.stdin.end('ROLLBACK;\n');
  }));
}

function sqliteOnly(reason) {
  return STORE === 'pg' ? { skip: `SQLite only: ${reason}` } : {};
}

// Removes the temporary directories made by makeSite (unless GAZETTE_KEEP=1).
function cleanupSites() {
  if (process.env.GAZETTE_KEEP === '1') return;
  while (madeDirs.length) {
    const d = madeDirs.pop();
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* ignore */ }
  }
}

function tmpDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-test-'));
  madeDirs.push(d);
  return d;
}

// Spawns `gazette serve --site DIR --listen 127.0.0.1:PORT` and waits (10 s) for
// the "listening on http://127.0.0.1:PORT" line on stderr.
// Returns {url, port, proc, output(), exited(), stop()}; stop() sends SIGTERM and
// resolves with {code, signal} once the process has exited.
// command(listen) may give the whole command line instead ([program, ...args]:
// another binary, or one run through a wrapper), env the environment;
// user: { uid, gid } to run the server as (a test running as root that
// needs a server which does not confine itself to the site folder);
// port: listen on that one (a node restarted where its proxy expects it).
async function startServer(dir, { timeoutMs = 10000, extraArgs = [], command = null, env = process.env, user = null, port: fixed = null } = {}) {
  requireBinary();
  let lastErr;
  for (let attempt = 0; attempt < (fixed ? 1 : 3); attempt++) {
    const port = fixed || await freePort();
    try {
      return await spawnServer(dir, port, timeoutMs, extraArgs, command, env, user);
    } catch (e) {
      lastErr = e;
      if (!e.retryable) throw e;
    }
  }
  throw lastErr;
}

function spawnServer(dir, port, timeoutMs, extraArgs, command, env, user) {
  return new Promise((resolve, reject) => {
    const listen = `${HOST}:${port}`;
    const [prog, ...args] = command ? command(listen)
      : [GAZETTE, 'serve', '--site', dir, '--listen', listen, ...extraArgs];
    const proc = spawn(prog, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user || {}),
    });
    let out = '';
    let ready = false;
    let exitInfo = null;
    const exitWaiters = [];
    const onData = (d) => {
      out += d.toString('utf8');
      if (out.length > 1e6) out = out.slice(-5e5);
      if (!ready && out.includes(`listening on http://${listen}`)) {
        ready = true;
        clearTimeout(timer);
        resolve(handle);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    let stopping = false;
    proc.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      if (ready && !stopping) {
        process.stderr.write(`\n!! gazette serve (${listen}) exited unexpectedly: code ${code}, signal ${signal}\n` +
          `--- last output ---\n${out.slice(-3000)}\n-------------------\n`);
      }
      exitWaiters.splice(0).forEach((w) => w(exitInfo));
      if (!ready) {
        clearTimeout(timer);
        const err = new Error(`gazette serve exited before listening (code ${code}, signal ${signal}):\n${out}`);
        err.retryable = /address already in use|EADDRINUSE|bind/i.test(out);
        reject(err);
      }
    });
    proc.on('error', (e) => { if (!ready) { clearTimeout(timer); reject(e); } });
    const timer = setTimeout(() => {
      if (ready) return;
      proc.kill('SIGKILL');
      reject(new Error(`gazette serve did not print "listening on http://${listen}" within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);

    const handle = {
      url: `http://${listen}`,
      port,
      proc,
      output: () => out,
      exited: () => exitInfo,
      // a deliberate end by signal (kill -9 in the cluster's failover test):
      // resolves with {code, signal} once the process has gone
      kill(signal = 'SIGKILL') {
        if (exitInfo) return Promise.resolve(exitInfo);
        stopping = true;
        return new Promise((res) => { exitWaiters.push(res); proc.kill(signal); });
      },
      stop(timeout = 10000) {
        if (exitInfo) return Promise.resolve(exitInfo);
        return new Promise((res) => {
          const t = setTimeout(() => { proc.kill('SIGKILL'); }, timeout);
          stopping = true;
          exitWaiters.push((info) => { clearTimeout(t); res(info); });
          proc.kill('SIGTERM');
        });
      },
    };
  });
}

// ---------------------------------------------------------------- HTTP client (node:http)

// request(base, path, {method, headers, body, timeout}) -> {status, headers, body, raw}
// No redirects are followed. `body` may be a string or a Buffer. Resolves with the
// response even if the server closes the connection while the body is still being
// sent (as it may do for 413).
function request(base, reqPath, { method = 'GET', headers = {}, body = null, timeout = 15000 } = {}) {
  const u = new URL(base);
  if (u.hostname !== HOST) throw new Error('tests only talk to 127.0.0.1');
  return new Promise((resolve, reject) => {
    let settled = false;
    let graceTimer = null;
    const done = (fn, v) => { if (!settled) { settled = true; clearTimeout(graceTimer); fn(v); } };
    const hdrs = { Connection: 'close', ...headers };
    let payload = null;
    if (body !== null && body !== undefined) {
      payload = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      if (!Object.keys(hdrs).some((k) => ['content-length', 'transfer-encoding'].includes(k.toLowerCase()))) {
        hdrs['Content-Length'] = payload.length;
      }
    }
    const req = http.request({
      host: HOST, port: Number(u.port), method, path: reqPath, headers: hdrs, agent: false,
      insecureHTTPParser: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      const finish = () => {
        const raw = Buffer.concat(chunks);
        done(resolve, { status: res.statusCode, headers: res.headers, body: raw.toString('utf8'), raw });
      };
      res.on('end', finish);
      res.on('aborted', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.setTimeout(timeout, () => {
      req.destroy(new Error(`timeout after ${timeout} ms: ${method} ${reqPath}`));
    });
    req.on('error', (e) => {
      // The response may still be on its way (e.g. EPIPE while uploading a body
      // the server refused); give it a moment before failing.
      graceTimer = setTimeout(() => done(reject, e), 500);
    });
    if (payload) {
      req.write(payload, () => {});
    }
    req.end();
  });
}

function get(base, reqPath, opts = {}) {
  return request(base, reqPath, { ...opts, method: 'GET' });
}

// Waits (polling every 20 ms, up to ms) until fn() is true; fails naming what.
// Access lines are written by the log's own thread within 100 ms (util/alog.h):
// a test that reads them waits for them.
async function until(what, fn, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((res) => setTimeout(res, 20))) if (await fn()) return;
  throw new Error(`timed out waiting for ${what}`);
}

// Readers on keep-alive connections (conns of them, each asking for paths in
// turn, with headers) until stop(): {ok, ids (the X-Request-Id of every 200),
// errors: [...], slowest (ms)}.
function load(base, paths, conns, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const u = new URL(base);
  const res = { ok: 0, ids: [], errors: [], slowest: 0 };
  let running = true;
  const one = (p) => new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: u.hostname, port: u.port, path: p, agent, headers }, (r) => {
      r.resume();
      r.on('end', () => {
        res.slowest = Math.max(res.slowest, Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.statusCode === 200) {
          res.ok++;
          res.ids.push(r.headers['x-request-id']);
        } else res.errors.push(`${p}: ${r.statusCode}`);
        resolve();
      });
    });
    req.on('error', (e) => { res.errors.push(`${p}: ${e.message}`); resolve(); });
  });
  const loops = Array.from({ length: conns }, async (_, i) => {
    for (let n = i; running; n++) await one(paths[n % paths.length]);
  });
  return { res, async stop() { running = false; await Promise.all(loops); agent.destroy(); return res; } };
}

// application/x-www-form-urlencoded, '+' for spaces, as browsers send it.
function encodeForm(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) p.append(k, String(one)); // an array: the name repeated
  }
  return p.toString();
}

// postForm(base, path, fields) or postForm(base, path, rawEncodedString)
function postForm(base, reqPath, fields, { headers = {} } = {}) {
  const body = typeof fields === 'string' || Buffer.isBuffer(fields) ? fields : encodeForm(fields);
  return request(base, reqPath, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

// Splits an absolute or relative Location into {path (with query), hash}.
function splitLocation(loc) {
  const u = new URL(loc, 'http://127.0.0.1/');
  return { path: u.pathname + u.search, pathname: u.pathname, search: u.search, hash: u.hash, url: u };
}

// ---------------------------------------------------------------- HTML helpers

const NAMED = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', rsquo: '\u2019', lsquo: '\u2018',
  rdquo: '\u201d', ldquo: '\u201c', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026', agrave: '\u00e0',
  copy: '\u00a9', middot: '\u00b7', laquo: '\u00ab', raquo: '\u00bb', times: '\u00d7',
};

function htmlUnescape(s) {
  return String(s).replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/g, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      try { return String.fromCodePoint(cp); } catch { return m; }
    }
    return Object.prototype.hasOwnProperty.call(NAMED, e) ? NAMED[e] : m;
  });
}

function normWs(s) {
  return String(s).replace(/[\s\u00a0]+/g, ' ').trim();
}

// Visible-ish text of an HTML fragment: drops scripts/styles and tags, unescapes, normalises spaces.
function textOf(html) {
  const noScript = String(html)
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  return normWs(htmlUnescape(noScript.replace(/<[^>]*>/g, ' ')));
}

function parseAttrs(s) {
  const attrs = {};
  const re = /([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
  let m;
  while ((m = re.exec(s))) {
    const name = m[1].toLowerCase();
    const v = m[2] !== undefined ? m[2] : m[3] !== undefined ? m[3] : m[4] !== undefined ? m[4] : '';
    if (!(name in attrs)) attrs[name] = htmlUnescape(v);
  }
  return attrs;
}

function hasClass(attrs, cls) {
  return (attrs.class || '').split(/\s+/).includes(cls);
}

// All start tags <tag ...> in html: [{attrs, index, end, raw}].
function findTags(html, tag) {
  const re = new RegExp(`<${tag}\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`, 'gi');
  const out = [];
  let m;
  while ((m = re.exec(html))) {
    out.push({ attrs: parseAttrs(m[1]), index: m.index, end: m.index + m[0].length, raw: m[0] });
  }
  return out;
}

// All <a> elements: [{attrs, href, html (inner), text, index}].
function findLinks(html) {
  return findTags(html, 'a').map((t) => {
    const close = html.indexOf('</a>', t.end);
    const inner = close === -1 ? '' : html.slice(t.end, close);
    return { attrs: t.attrs, href: t.attrs.href, html: inner, text: textOf(inner), index: t.index };
  });
}

// The element starting at start-tag index `start` (an index of '<tag'), with nesting of
// the same tag name handled. Returns the outer HTML.
function elementAt(html, start, tag) {
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'gi');
  re.lastIndex = start;
  let depth = 0;
  let m;
  while ((m = re.exec(html))) {
    if (m[1] === '/') {
      depth--;
      if (depth === 0) return html.slice(start, m.index + m[0].length);
    } else if (!m[0].endsWith('/>')) {
      depth++;
    }
  }
  return html.slice(start);
}

// First element <tag> with a matching predicate on its attributes; returns outer HTML or null.
function findElement(html, tag, pred) {
  for (const t of findTags(html, tag)) {
    if (pred(t.attrs)) return elementAt(html, t.index, tag);
  }
  return null;
}

function innerOf(outer) {
  if (outer == null) return null;
  const open = outer.indexOf('>');
  const close = outer.lastIndexOf('</');
  return outer.slice(open + 1, close === -1 ? undefined : close);
}

// Values of a form's fields: {name: value} for inputs (value attr), textareas (content)
// and selects are ignored. `formId` defaults to the comment form.
function formValues(html, formId = 'commentform') {
  let form = findElement(html, 'form', (a) => a.id === formId);
  if (form == null) throw new Error(`no <form id="${formId}"> in page`);
  const values = {};
  for (const t of findTags(form, 'input')) {
    if (t.attrs.name !== undefined) values[t.attrs.name] = t.attrs.value !== undefined ? t.attrs.value : '';
  }
  const taRe = /<textarea\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/textarea>/gi;
  let m;
  while ((m = taRe.exec(form))) {
    const a = parseAttrs(m[1]);
    // A single leading newline right after <textarea> is ignored by HTML parsers.
    if (a.name !== undefined) values[a.name] = htmlUnescape(m[2].replace(/^\r?\n/, ''));
  }
  const fa = findTags(form, 'form')[0].attrs;
  return { values, action: fa.action, method: (fa.method || 'get').toLowerCase(), html: form };
}

// The hidden fields a client has to copy from the story page.
function hiddenFields(html) {
  const { values } = formValues(html);
  return {
    comment_post_ID: values.comment_post_ID,
    comment_parent: values.comment_parent,
    gz_ts: values.gz_ts,
  };
}

// The hidden fields of a fresh comment form for this client: a stamp is
// good for one comment per client, and the loads of one 100 ms step share
// a stamp, so this loads the page again until its stamp is one no earlier
// call returned. opts go to get() (headers).
const stampsGiven = new Set();
async function freshHidden(base, storyPath = SEED_PATH, opts = {}) {
  for (;;) {
    const r = await get(base, storyPath, opts);
    if (r.status !== 200) throw new Error(`GET ${storyPath}: ${r.status}`);
    const hid = hiddenFields(r.body);
    if (!stampsGiven.has(hid.gz_ts)) {
      stampsGiven.add(hid.gz_ts);
      return hid;
    }
    await new Promise((res) => setTimeout(res, 40));
  }
}
// A stamp a test got another way (the form of a 422): never returned by
// freshHidden.
function noteStamp(ts) { stampsGiven.add(ts); }

// Comments section tree: [{id, depth, classes, children: [...], parentId}] built from the
// <li id="comment-N"> / <ol class="children"> structure inside <section id="comments">.
function commentTree(html) {
  const sec = findElement(html, 'section', (a) => a.id === 'comments');
  if (sec == null) return { roots: [], byId: {}, section: null };
  const re = /<(\/?)(li|ol|ul)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  const stack = []; // entries: {kind:'li'|'ol'|'ul', node?, children?: boolean}
  const roots = [];
  const byId = {};
  let m;
  while ((m = re.exec(sec))) {
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (!closing) {
      const attrs = parseAttrs(m[3]);
      const entry = { tag, attrs, node: null };
      if (tag === 'li' && /^comment-\d+$/.test(attrs.id || '')) {
        const id = Number(attrs.id.slice(8));
        const dm = /\bdepth-(\d+)\b/.exec(attrs.class || '');
        const node = { id, depth: dm ? Number(dm[1]) : null, attrs, children: [], parentId: null,
          insideChildrenOl: false };
        // Nearest enclosing comment li, and whether we are inside an <ol class="children"> of it.
        let sawChildrenOl = false;
        for (let i = stack.length - 1; i >= 0; i--) {
          const s = stack[i];
          if (s.tag === 'ol' && hasClass(s.attrs, 'children')) sawChildrenOl = true;
          if (s.node) {
            node.parentId = s.node.id;
            node.insideChildrenOl = sawChildrenOl;
            s.node.children.push(node);
            break;
          }
        }
        if (node.parentId === null) roots.push(node);
        byId[id] = node;
        entry.node = node;
      }
      stack.push(entry);
    } else {
      for (let i = stack.length - 1; i >= 0; i--) {
        if (stack[i].tag === tag) { stack.length = i; break; }
      }
    }
  }
  return { roots, byId, section: sec };
}

// Asserts (throws) when a page contains either XSS payload live.
const XSS_MARKERS = ['<script>alert(1)', '<img src=x onerror'];
function liveXss(body) {
  const lower = String(body).toLowerCase();
  return XSS_MARKERS.filter((m) => lower.includes(m.toLowerCase()));
}

// ---------------------------------------------------------------- CLI

// Runs ./gazette with args; returns stdout, throws on non-zero exit (execFileSync).
function gz(args, opts = {}) {
  requireBinary();
  return execFileSync(GAZETTE, args, {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000, ...opts,
  });
}

// Runs ./gazette with args; never throws; returns {status, signal, stdout, stderr}.
function gzRun(args, opts = {}) {
  requireBinary();
  const r = spawnSync(GAZETTE, args, {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000, ...opts,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout || '', stderr: r.stderr || '', error: r.error };
}

// `gazette comments --site DIR list [--status S]` parsed into
// [{id, status, slug, author, text}].
function listComments(dir, status) {
  const args = ['comments', '--site', dir, 'list'];
  if (status) args.push('--status', status);
  const out = gz(args);
  return out.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const f = line.split('\t');
    return { id: Number(f[0]), status: f[1], slug: f[2], author: f[3], text: f.slice(4).join('\t'), line };
  });
}

// Approves a comment, or an array of them in one command (one store open,
// one transaction: 0.8 s a command on PostgreSQL at load).
function approve(dir, id) {
  return gz(['comments', '--site', dir, 'approve', ...[].concat(id).map(String)]);
}

// ---------------------------------------------------------------- demo content

function parseHeaderFile(text) {
  const idx = text.search(/^---\s*$/m);
  const head = idx === -1 ? text : text.slice(0, idx);
  const body = idx === -1 ? '' : text.slice(idx).replace(/^---\s*\r?\n?/, '');
  const meta = {};
  for (const line of head.split(/\r?\n/)) {
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (m) meta[m[1].toLowerCase()] = m[2].trim();
  }
  return { meta, body };
}

function slugify(s) {
  return String(s).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

// Demo stories, newest first: [{file, title, slug, section, tags[], author, date, excerpt, url, body}]
function demoStories() {
  const dir = path.join(DEMO, 'stories');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => {
    const { meta, body } = parseHeaderFile(fs.readFileSync(path.join(dir, f), 'utf8'));
    const date = meta.date || '';
    const ymd = date.slice(0, 10).split('-');
    return {
      file: f,
      title: meta.title,
      slug: meta.slug,
      section: meta.section,
      tags: (meta.tags || '').split(',').map((t) => t.trim()).filter(Boolean),
      author: meta.author,
      date,
      excerpt: meta.excerpt,
      url: `/${ymd[0]}/${ymd[1]}/${ymd[2]}/${meta.slug}`,
      body,
    };
  }).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

function demoComments() {
  const dir = path.join(DEMO, 'comments');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => {
    const { meta, body } = parseHeaderFile(fs.readFileSync(path.join(dir, f), 'utf8'));
    return { file: f, ...meta, body: body.trim() };
  });
}

// The path of a file the tests read from tests/fixtures (the repository's own copy:
// a fresh clone must be enough, see standalone.test.js).
function fixture(name) {
  return path.join(ROOT, 'tests', 'fixtures', name);
}

// The seed story's paragraphs, without the page furniture. The seed is kept verbatim
// in tests/fixtures (demo/stories/00-*.md is the same text with a header).
function seedParagraphs() {
  const text = fs.readFileSync(fixture('seed-story.txt'), 'utf8');
  const furniture = new Set(['back to top', 'Related Articles', 'Please enter your comment!',
    'Please enter your name here', SEED_TITLE]);
  return text.split(/\r?\n\s*\r?\n/)
    .map((block) => block.split(/\r?\n/).map((l) => normWs(l)).filter((l) => l && !furniture.has(l)).join(' '))
    .map((p) => normWs(p))
    .filter((p) => p !== '');
}

module.exports = {
  STORE,
  sql,
  sqlRows,
  siteDb, holdWrites,
  sqliteOnly,
  ROOT, GAZETTE, DEMO, HOST, SEED_SLUG, SEED_PATH, SEED_TITLE,
  freePort, makeSite, cleanupSites, tmpDir, fixture, startServer,
  request, get, load, until, postForm, encodeForm, splitLocation,
  htmlUnescape, normWs, textOf, parseAttrs, hasClass, findTags, findLinks, findElement, elementAt,
  innerOf, formValues, hiddenFields, freshHidden, noteStamp, commentTree, liveXss, XSS_MARKERS,
  gz, gzRun, listComments, approve,
  demoStories, demoComments, seedParagraphs, slugify,
};
