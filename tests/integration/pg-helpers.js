'use strict';
// A throwaway PostgreSQL for tests (issue 16): initdb into a temporary
// folder, the server on 127.0.0.1 and a free port with its Unix socket in
// that folder, trust authentication, fsync off. PostgreSQL refuses to run
// as root, so a test running as root runs the server as `nobody` (setpriv).
// Never touches a system-wide cluster. Usage:
//   const pg = await startPostgres();         // in before()
//   pg.createDb('x'); pg.url('x'); pg.psql('x', 'SELECT 1');
//   pg.stop();                                // in after(): pg_ctl stop -m immediate
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { freePort, HOST } = require('./helpers');

const PG_BIN = process.env.PG_BIN || (() => {
  for (const v of ['17', '16', '15']) {
    const d = `/usr/lib/postgresql/${v}/bin`;
    if (fs.existsSync(path.join(d, 'initdb'))) return d;
  }
  return '';
})();
const PG_USER = 'gazette';

function pgAvailable() {
  return PG_BIN !== '' && fs.existsSync(path.join(PG_BIN, 'pg_ctl'));
}

// as the server's owner: nobody when we are root
function asOwner(cmd, args, opts = {}) {
  const root = process.getuid && process.getuid() === 0;
  const [c, a] = root
    ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', cmd, ...args]]
    : [cmd, args];
  return execFileSync(c, a, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
}

async function startPostgres() {
  if (!pgAvailable()) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql-15)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-pg-'));
  fs.chmodSync(dir, 0o755);
  if (process.getuid && process.getuid() === 0) execFileSync('chown', ['nobody:nogroup', dir]);
  const data = path.join(dir, 'data');
  asOwner(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', PG_USER, '--auth=trust',
    '--encoding=UTF8', '--locale=C', '--no-sync']);
  let port;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      asOwner(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30',
        '-o', `-p ${port} -k ${dir} -c listen_addresses=${HOST} -c fsync=off -c synchronous_commit=off` +
          ' -c full_page_writes=off', 'start']);
      break;
    } catch (e) {
      if (attempt >= 2) {
        let log = '';
        try { log = fs.readFileSync(path.join(dir, 'log'), 'utf8'); } catch { /* none */ }
        throw new Error(`PostgreSQL did not start: ${e.message}\n${log}`);
      }
    }
  }
  const url = (db = 'postgres') => `postgresql://${PG_USER}@${HOST}:${port}/${db}`;
  // psql with the output unaligned, tuples only, '|' between columns
  const psql = (db, sql, opts = {}) => execFileSync(path.join(PG_BIN, 'psql'),
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url(db), ...(opts.args || [])],
    { input: sql, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const createDb = (name) => { psql('postgres', `CREATE DATABASE "${name}";`); return url(name); };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try { asOwner(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']); } catch { /* gone */ }
    if (process.env.GAZETTE_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop); // pg_ctl detached it: a test that dies still stops it
  return { dir, port, url, psql, createDb, stop, bin: PG_BIN, user: PG_USER };
}

module.exports = { startPostgres, pgAvailable, PG_BIN };
