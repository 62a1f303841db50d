'use strict';
// The access log written by its own thread (issue 17, util/alog.c): every
// request's line once, in the file within a flush interval and at SIGTERM;
// a logrotate rename and SIGHUP while readers keep asking put every line
// in the old file or the new one, exactly once; a log nobody reads (a
// FIFO opened and never read) holds up no reader, counts what it drops in
// /metrics and lets the server stop; and under strace only one thread, no
// thread that answers a request, writes to the log's descriptor.
const { test, describe, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./helpers');

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

const { until } = h;
const dropCount = async (srv) =>
  Number((/^gazette_access_log_dropped_total (\d+)$/m.exec((await h.get(srv.url, '/metrics')).body) || [0, 0])[1]);

// A server whose access_log is a FIFO opened for reading (so the server's
// open does not wait) and never read, under a load of 3 kB lines (the
// pipe's 64 kB, then the buffer's 8 MB, fill in a few thousand requests)
// until the first line is dropped: {srv, reader, l (the load, still on),
// dropped}.
async function stalled() {
  const dir = h.makeSite({ demo: true, conf: { access_log: 'access.fifo' } });
  const fifo = path.join(dir, 'access.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const srv = await h.startServer(dir);
  const long = `/?q=${'x'.repeat(1100)}`;
  const headers = { 'User-Agent': 'U'.repeat(1100), Referer: `https://e.example/${'r'.repeat(1100)}` };
  const l = h.load(srv.url, [long], 8, headers);
  let dropped = 0;
  for (const end = Date.now() + 30000; Date.now() < end && dropped === 0; await sleep(200))
    dropped = await dropCount(srv);
  return { srv, reader, l, dropped };
}

const PATHS = ['/', '/?a=1', '/static/style.css', h.SEED_PATH];

// The request ids of a combined-format text: id -> how many lines carry it.
function idsIn(text) {
  const seen = new Map();
  for (const line of text.split('\n').filter(Boolean)) {
    const m = / HTTP\/1\.1" \d{3} \d+ "[^"]*" "[^"]*" (\S+) \d+\.\d{6}$/.exec(line);
    assert.ok(m, `a whole access line: ${line.slice(0, 200)}`);
    seen.set(m[1], (seen.get(m[1]) || 0) + 1);
  }
  return seen;
}

function assertEachOnce(ids, seen, where) {
  for (const id of ids) assert.equal(seen.get(id), 1, `${id} once in ${where}`);
  assert.equal([...seen.values()].reduce((a, b) => a + b, 0), ids.length, `no other line in ${where}`);
}

after(() => h.cleanupSites());

describe('the access log written by its own thread', () => {
  test('N requests, N lines: in the file within a flush interval, and all of them at SIGTERM', async () => {
    const dir = h.makeSite({ demo: true, conf: { access_log: 'access.log' } });
    const log = path.join(dir, 'access.log');
    const srv = await h.startServer(dir);
    try {
      const l = h.load(srv.url, PATHS, 4);
      // 1.5 s, or until 100 answers on a busy machine (a first page from
      // PostgreSQL, three other suites beside it)
      await sleep(1500);
      await until('100 requests', () => l.res.ids.length > 100, 30000);
      // the lines reach the file while the readers go on, not only once
      // they pause or stop: those answered by now are all there a second
      // later (ten flush intervals), the load still running
      const answered = l.res.ids.slice();
      await sleep(1000);
      const now = fs.readFileSync(log, 'utf8');
      const during = idsIn(now.slice(0, now.lastIndexOf('\n') + 1)); // a line being written left out
      const missing = answered.filter((id) => during.get(id) !== 1);
      assert.equal(missing.length, 0, `${missing.length} of the ${answered.length} requests answered a second ago` +
        ` not once in the file with the load on (${missing.slice(0, 3).join(' ')}...)`);
      const { ids, errors } = await l.stop();
      assert.deepEqual(errors, []);
      // the writer's flush every 100 ms, not the stop, puts them there
      await until('every line', () => fs.readFileSync(log, 'utf8').split('\n').length - 1 >= ids.length, 2000);
      assertEachOnce(ids, idsIn(fs.readFileSync(log, 'utf8')), 'the file');
      // requests answered right before SIGTERM: their lines are written
      // before the process exits
      const last = h.load(srv.url, PATHS, 4);
      await sleep(300);
      const more = await last.stop();
      const info = await srv.stop();
      assert.deepEqual(info, { code: 0, signal: null });
      assertEachOnce([...ids, ...more.ids], idsIn(fs.readFileSync(log, 'utf8')), 'the file after SIGTERM');
    } finally {
      await srv.stop();
    }
  });

  test('standard output (journald) the same: every line once by SIGTERM', async () => {
    const dir = h.makeSite({ demo: true });
    const srv = await h.startServer(dir);
    let ids;
    try {
      const l = h.load(srv.url, PATHS, 4);
      await sleep(500);
      ({ ids } = await l.stop());
      assert.equal((await srv.stop()).code, 0);
    } finally {
      await srv.stop();
    }
    const lines = srv.output().split('\n').filter((x) => / HTTP\/1\.1" /.test(x)).join('\n');
    assertEachOnce(ids, idsIn(lines), 'standard output');
  });

  test('logrotate under load: rename, SIGHUP; the old and the new file hold every line once', async () => {
    const dir = h.makeSite({ demo: true, conf: { access_log: 'access.log' } });
    const log = path.join(dir, 'access.log');
    const srv = await h.startServer(dir);
    try {
      const l = h.load(srv.url, PATHS, 6);
      await sleep(500);
      fs.renameSync(log, `${log}.1`);
      await sleep(200); // lines still go to the renamed file
      srv.proc.kill('SIGHUP');
      await until('the reload', () => /reload: gazette\.conf and the theme reloaded/.test(srv.output()));
      const rotatedAtReload = fs.readFileSync(`${log}.1`, 'utf8');
      await sleep(500);
      const { ids, errors } = await l.stop();
      assert.deepEqual(errors, []);
      assert.equal((await srv.stop()).code, 0);
      const old = fs.readFileSync(`${log}.1`, 'utf8'), now = fs.readFileSync(log, 'utf8');
      assert.equal(old, rotatedAtReload, 'nothing written to the old file once the reload is done');
      assert.ok(idsIn(old).size > 20 && idsIn(now).size > 20, `${idsIn(old).size} lines before, ${idsIn(now).size} after`);
      const both = idsIn(old);
      for (const [id, n] of idsIn(now)) both.set(id, (both.get(id) || 0) + n);
      assertEachOnce(ids, both, 'the two files');
    } finally {
      await srv.stop();
    }
  });

  test('a log nobody reads: readers answered at once, lines dropped and counted, SIGTERM still stops', async () => {
    const { srv, reader, l, dropped } = await stalled();
    try {
      const { ids, errors, slowest } = await l.stop();
      assert.deepEqual(errors, []);
      assert.ok(dropped > 0, `lines dropped after ${ids.length} requests`);
      assert.ok(slowest < 1000, `the slowest answer took ${slowest.toFixed(1)} ms`);
      // with the writer stuck, a few more requests are as quick as ever
      for (let i = 0; i < 20; i++) {
        const t0 = Date.now();
        assert.equal((await h.get(srv.url, '/')).status, 200);
        assert.ok(Date.now() - t0 < 500, `answered in ${Date.now() - t0} ms`);
      }
      assert.ok(await dropCount(srv) > dropped, 'the counter rises with each line dropped');
      const t0 = Date.now();
      const info = await srv.stop();
      assert.deepEqual(info, { code: 0, signal: null });
      assert.ok(Date.now() - t0 < 8000, `stopped in ${Date.now() - t0} ms`);
      assert.match(srv.output(), /access log: its writer made no progress for 2000 ms: \d+ lines waiting .* \d+ lines dropped since the start/);
    } finally {
      await srv.stop();
      fs.closeSync(reader);
    }
  });

  test('a log read again after a stall: one error line says how many were dropped', async () => {
    const { srv, reader, l, dropped } = await stalled();
    try {
      await l.stop();
      assert.ok(dropped > 0);
      assert.doesNotMatch(srv.output(), /lines dropped/, 'not reported while the writer is stuck');
      // the reader comes back: the writer goes on and reports the drops
      const buf = Buffer.alloc(1 << 20);
      let got = '';
      const drain = setInterval(() => {
        try { for (let n; (n = fs.readSync(reader, buf)) > 0;) got += buf.toString('latin1', 0, n).slice(-200); } catch { /* EAGAIN */ }
      }, 10);
      try {
        await until('the report', () => /access log: \d+ lines dropped \(\d+ since the start\): the buffer was full/.test(srv.output()), 10000);
        const r = await h.get(srv.url, '/?after=stall');
        await until('the line after the stall', () => got.includes(r.headers['x-request-id']), 5000);
      } finally {
        clearInterval(drain);
      }
      assert.equal((srv.output().match(/lines dropped \(/g) || []).length, 1, 'one error line');
    } finally {
      await srv.stop();
      fs.closeSync(reader);
    }
  });

  test('strace: only one thread writes the log, and it answers no request', async () => {
    const dir = h.makeSite({ demo: true, conf: { access_log: 'access.log', threads: 4 } });
    const trace = path.join(dir, '..', 'serve.strace');
    const srv = await h.startServer(dir, {
      command: (listen) => ['strace', '-f', '-e', 'trace=openat,write,writev,sendto,sendmsg,sendfile', '-o', trace,
        h.GAZETTE, 'serve', '--site', dir, '--listen', listen],
      // LeakSanitizer's exit check ptraces the process, which strace already does
      env: { ...process.env, ASAN_OPTIONS: `${process.env.ASAN_OPTIONS || ''}:detect_leaks=0` },
      timeoutMs: 30000,
    });
    let ids;
    try {
      const l = h.load(srv.url, PATHS, 4);
      await sleep(1000);
      ({ ids } = await l.stop());
      // SIGTERM to the server, not to strace: strace exits as it does
      // (kill('SIGCONT'), harmless to strace, marks the end as expected)
      const pid = Number(/^(\d+) /.exec(fs.readFileSync(trace, 'utf8'))[1]);
      const exited = srv.kill('SIGCONT');
      process.kill(pid, 'SIGTERM');
      assert.deepEqual(await exited, { code: 0, signal: null });
    } finally {
      await srv.stop();
    }
    assertEachOnce(ids, idsIn(fs.readFileSync(path.join(dir, 'access.log'), 'utf8')), 'the file');
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    const open = lines.map((x) => /^\d+ +openat\([^,]+, "[^"]*access\.log", .*\) = (\d+)$/.exec(x)).find(Boolean);
    assert.ok(open, 'the log opened');
    const fd = open[1];
    const logWriters = new Set(), senders = new Set();
    for (const x of lines) {
      const w = /^(\d+) +(write|writev)\((\d+),/.exec(x);
      if (w && w[3] === fd) logWriters.add(w[1]);
      const s = /^(\d+) +(sendto|sendmsg|sendfile)\(/.exec(x);
      if (s) senders.add(s[1]);
    }
    assert.equal(logWriters.size, 1, `threads writing the log: ${[...logWriters]}`);
    assert.ok(senders.size >= 1, 'request threads seen');
    for (const t of logWriters) assert.ok(!senders.has(t), `thread ${t} writes the log and answers requests`);
  });
});
