'use strict';
// Accepting connections (src/http/accept.c): connections that arrive
// together are spread over the worker threads, so a request that waits on
// the database does not hold up the connections accepted with it.
// libmicrohttpd's own accept let the first thread that woke take up to ten
// waiting connections: a burst landed on one thread, and every request on
// it waited behind the slow one while the other threads idled.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const h = require('./helpers');

after(() => h.cleanupSites());

// n connections opened at once, each with its answers' times.
async function burst(port, n) {
  const socks = Array.from({ length: n }, () => net.connect({ host: h.HOST, port }));
  await Promise.all(socks.map((s) => new Promise((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  })));
  return socks;
}

// Sends a raw request on sock; resolves with {status, ms} at its answer's head.
function send(sock, head, body = '') {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let got = '';
    const on = (d) => {
      got += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (m && got.includes('\r\n\r\n')) {
        sock.off('data', on);
        resolve({ status: Number(m[1]), ms: Date.now() - t0 });
      }
    };
    sock.on('data', on);
    sock.write(head + body);
  });
}

describe('connections that arrive together', () => {
  let srv, dir;
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { threads: 2, comment_min_seconds: 0, comment_rate_per_minute: 100000 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('a request waiting on the database holds up none of the connections accepted with it', async () => {
    await h.get(srv.url, h.SEED_PATH); // cached from here on
    const hid = await h.freshHidden(srv.url);
    const release = await h.holdWrites(dir);
    let socks = [];
    try {
      socks = await burst(srv.port, 6);
      const body = h.encodeForm({ ...hid, gz_website: '', comment: `Held up ${Date.now()}`,
        author: 'Burst Reader', email: 'burst@example.com', url: '' });
      const slow = send(socks[0], `POST /comments HTTP/1.1\r\nHost: ${h.HOST}:${srv.port}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`, body);
      let slowDone = false, slowGot = null;
      slow.then((r) => { slowDone = true; slowGot = r; });
      await new Promise((r) => setTimeout(r, 300)); // the post is waiting on the lock
      assert.equal(slowDone, false, `the post waits while the store is held (it got ${JSON.stringify(slowGot)})`);
      const fast = await Promise.all(socks.slice(1).map((s) =>
        Promise.race([
          send(s, `GET ${h.SEED_PATH} HTTP/1.1\r\nHost: ${h.HOST}:${srv.port}\r\n\r\n`),
          new Promise((r) => setTimeout(() => r({ status: 0, ms: Infinity }), 3500)), // the post waits 5 s
        ])));
      const answered = fast.filter((r) => r.status === 200);
      // two threads: of five more connections, some are on the other
      // thread (descriptors are dealt out in turn); MHD's own accept gave
      // the whole burst to the thread that woke first
      assert.ok(answered.length >= 1, `a cached page on another connection of the burst answered while the post waited: ${JSON.stringify(fast)}`);
      assert.equal(slowDone, false, `and the post was still waiting then (it got ${JSON.stringify(slowGot)})`);
    } finally {
      await release();
      for (const s of socks) s.destroy();
    }
    // the server is whole: the page answers on a new connection
    assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200);
  });
});
