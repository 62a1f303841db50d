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

describe('PostgreSQL connections', () => {
  const closers = [];
  after(() => { closers.forEach((c) => c()); h.cleanupSites(); });

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
});
