'use strict';
// Overload and slow clients: 1,000 idle and slowloris connections (headers one
// byte a second) from five loopback addresses do not stop other readers being
// served, and the server closes them once the header deadline (conn_timeout)
// has passed. The per-address connection limit applies to each address.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const h = require('./helpers');

const SOURCES = ['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14', '127.0.0.15'];
const PER_SOURCE = 200;
const TIMEOUT = 3; // conn_timeout for this test, seconds

let dir;
let srv;

before(async () => {
  dir = h.makeSite({ demo: true, conf: { conn_timeout: TIMEOUT, per_ip_connections: PER_SOURCE } });
  srv = await h.startServer(dir);
  // the two pages already rendered: the readers below time the serving
  // beside the slow connections, not a first render (slower on PostgreSQL)
  for (const p of ['/', h.SEED_PATH]) assert.equal((await h.get(srv.url, p)).status, 200);
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

// A connection that sends a partial request, then (slowloris) a byte a second.
function slowClient(localAddress, port, trickle) {
  const sock = net.connect({ host: h.HOST, port, localAddress });
  const c = { sock, openedAt: 0, closedAt: 0, got: '', timer: null };
  c.ready = new Promise((resolve) => {
    sock.on('connect', () => {
      c.openedAt = Date.now();
      sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      if (trickle) c.timer = setInterval(() => { if (!sock.destroyed) sock.write('a'); }, 1000);
      resolve();
    });
    sock.on('error', () => resolve());
  });
  c.closed = new Promise((resolve) => {
    sock.on('data', (d) => { c.got += d.toString('latin1'); });
    sock.on('close', () => { c.closedAt = Date.now(); clearInterval(c.timer); resolve(); });
  });
  sock.on('error', () => {});
  return c;
}

describe('1,000 idle and slowloris connections', () => {
  test('others are served meanwhile; the slow ones are closed after the deadline', { timeout: 120000 }, async () => {
    const clients = [];
    for (const src of SOURCES) {
      for (let i = 0; i < PER_SOURCE; i++) clients.push(slowClient(src, srv.port, i % 2 === 0));
    }
    await Promise.all(clients.map((c) => c.ready));
    const opened = clients.filter((c) => c.openedAt).length;
    assert.equal(opened, SOURCES.length * PER_SOURCE, 'all slow connections were accepted');
    const start = Date.now();

    // Other readers, from another address, are served promptly meanwhile.
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t0 = Date.now();
      const r = await h.get(srv.url, i % 2 ? h.SEED_PATH : '/', { timeout: 5000 });
      times.push(Date.now() - t0);
      assert.equal(r.status, 200, 'a reader is served while 1,000 slow connections are open');
    }
    assert.ok(Math.max(...times) < 2000, `readers served within 2 s (max ${Math.max(...times)} ms)`);
    assert.ok(Date.now() - start < TIMEOUT * 1000, 'those readers were served before the slow ones were cut');

    // Every slow connection is closed by the server, none answered with a page.
    const bound = (TIMEOUT + 10) * 1000;
    await Promise.race([Promise.all(clients.map((c) => c.closed)), new Promise((r) => setTimeout(r, bound))]);
    const open = clients.filter((c) => !c.closedAt);
    for (const c of open) c.sock.destroy();
    assert.equal(open.length, 0, `${open.length} slow connections still open ${bound / 1000} s later`);
    const trickled = clients.filter((_, i) => i % 2 === 0);
    const lifetimes = trickled.map((c) => c.closedAt - c.openedAt);
    assert.ok(Math.min(...lifetimes) >= (TIMEOUT - 1) * 1000, `not cut before the deadline (min ${Math.min(...lifetimes)} ms)`);
    assert.ok(Math.max(...lifetimes) <= (TIMEOUT + 5) * 1000, `slowloris cut near the deadline (max ${Math.max(...lifetimes)} ms)`);
    assert.ok(clients.every((c) => !/HTTP\/1\.1 200/.test(c.got)), 'no slow client got a page');
    assert.equal((await h.get(srv.url, '/')).status, 200, 'still serving');
  });

  test('the per-address limit refuses the 201st connection from one address, not others', { timeout: 60000 }, async () => {
    const src = '127.0.0.21';
    const clients = [];
    for (let i = 0; i < PER_SOURCE + 20; i++) clients.push(slowClient(src, srv.port, false));
    await Promise.all(clients.map((c) => c.ready));
    await new Promise((r) => setTimeout(r, 500));
    const early = clients.filter((c) => c.closedAt && c.closedAt - c.openedAt < 1000).length;
    assert.ok(early >= 20, `connections over the per-address limit are refused at once (${early})`);
    const r = await h.get(srv.url, '/', { timeout: 5000 });
    assert.equal(r.status, 200, 'another address is still served');
    for (const c of clients) c.sock.destroy();
  });
});
