'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const h = require('./helpers');

const P1 = '<script>alert(1)</script>';
const P2 = '"><img src=x onerror=alert(1)>';
const BOTH = `${P1} ${P2}`;

let dir;
let srv;
let n = 0;
const uniq = (s) => `${s} ${++n} ${Date.now().toString(36)}`;

before(async () => {
  dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 1000 } });
  srv = await h.startServer(dir);
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

function assertNotLive(body, where) {
  const live = h.liveXss(body);
  assert.deepEqual(live, [], `${where}: payload came back live: ${live.join(', ')}`);
  assert.doesNotMatch(body, /href\s*=\s*["']?\s*javascript:/i, `${where}: javascript: URL in an href`);
}

async function hidden() {
  return h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
}

async function post(fields, hid) {
  return h.postForm(srv.url, '/comments', { ...(hid || await hidden()), gz_website: '', ...fields });
}

function raw(port, data, { timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: h.HOST, port });
    const chunks = [];
    sock.setTimeout(timeout, () => { sock.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); });
    sock.on('connect', () => sock.write(data));
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    sock.on('error', (e) => (chunks.length ? resolve(Buffer.concat(chunks).toString('latin1')) : reject(e)));
  });
}

async function assertHealthy() {
  assert.equal(srv.exited(), null, `server is still running; output:\n${srv.output().slice(-2000)}`);
  const r = await h.get(srv.url, '/');
  assert.equal(r.status, 200, 'GET / still answers 200');
}

describe('XSS payloads in the comment form', () => {
  test('422 re-render with payloads in comment/author/url (missing field) is escaped', async () => {
    // Missing name: comment and url come back.
    let r = await post({ comment: BOTH, author: '', email: 'x@example.com', url: `http://example.com/${P2}` });
    assert.equal(r.status, 422);
    assertNotLive(r.body, 'missing-name re-render');
    assert.equal(h.formValues(r.body).values.comment.replace(/\r\n/g, '\n'), BOTH, 'comment kept verbatim (escaped)');
    // Missing comment: author comes back.
    r = await post({ comment: '', author: BOTH, email: 'x@example.com', url: '' });
    assert.equal(r.status, 422);
    assertNotLive(r.body, 'missing-comment re-render');
    assert.equal(h.formValues(r.body).values.author, BOTH, 'author kept verbatim (escaped)');
  });

  test('payload as the email: 422 re-render is escaped', async () => {
    for (const email of [P2, `${P1}@example.com`, `a${P2}@example.com`]) {
      const r = await post({ comment: uniq('Email payload'), author: 'Email Payload', email });
      assert.equal(r.status, 422, `email ${email} -> ${r.status}`);
      assertNotLive(r.body, `email ${email}`);
    }
  });

  test('payload as the url: refused or stored harmlessly', async () => {
    for (const url of [P2, `http://example.com/${P2}`, `javascript:alert(1)`, ` JaVaScRiPt:alert(1)`, `data:text/html,${P1}`]) {
      const r = await post({ comment: uniq('URL payload'), author: 'URL Payload', email: 'url@example.com', url });
      assertNotLive(r.body, `url ${url} response`);
      if (r.status === 303) {
        const id = Number(/#comment-(\d+)/.exec(r.headers.location)[1]);
        const held = await h.get(srv.url, h.splitLocation(r.headers.location).path);
        assertNotLive(held.body, `url ${url} held view`);
        h.approve(dir, id);
        const page = await h.get(srv.url, h.SEED_PATH);
        assertNotLive(page.body, `url ${url} after approval`);
        assert.doesNotMatch(page.body, /href\s*=\s*["']?\s*data:/i, 'no data: URL in an href');
      } else {
        assert.ok(r.status >= 400 && r.status < 500, `url ${url} -> ${r.status}`);
      }
    }
  });

  test('payloads in comment and author: held view and approved page are escaped', async () => {
    const comment = `${uniq('Hostile')} ${BOTH} <a href="javascript:alert(1)">click</a> <iframe src=x></iframe>`;
    const author = `${P1}${P2}`.slice(0, 245);
    const r = await post({ comment, author, email: 'hostile@example.com', url: '' });
    assert.equal(r.status, 303, `hostile but valid comment accepted (got ${r.status})`);
    assertNotLive(r.body, 'redirect body');
    assert.ok(!/[<>"]/.test(r.headers.location), `Location is clean: ${r.headers.location}`);
    const id = Number(/#comment-(\d+)/.exec(r.headers.location)[1]);
    const held = await h.get(srv.url, h.splitLocation(r.headers.location).path);
    assert.equal(held.status, 200);
    assertNotLive(held.body, 'held view');
    assert.ok(held.body.includes(`id="comment-${id}"`), 'held comment shown');
    h.approve(dir, id);
    const page = await h.get(srv.url, h.SEED_PATH);
    assertNotLive(page.body, 'approved story page');
    assert.doesNotMatch(page.body, /<iframe/i, 'no iframe from a comment');
    const li = h.findElement(page.body, 'li', (a) => a.id === `comment-${id}`);
    assert.ok(li, 'approved comment shown');
    const authorEl = h.findElement(li, 'b', (a) => h.hasClass(a, 'comment-author'));
    assert.equal(h.textOf(authorEl), h.normWs(author), 'author shown as text');
    // The CLI listing prints it as data, and the home page comment count does not break.
    assert.ok(h.listComments(dir).some((c) => c.id === id));
    assertNotLive((await h.get(srv.url, '/')).body, 'home page');
  });
});

describe('XSS payloads in GET paths and query strings', () => {
  const enc = encodeURIComponent;
  const paths = [
    `/?page=${enc(P1)}`,
    `/?page=${enc(P2)}`,
    `/?page=${P1}`,
    `/?${enc(P1)}=1`,
    `/${enc(P1)}`,
    `/${P1}`,
    `/section/${enc(P1)}`,
    `/tag/${enc(P2)}`,
    `/author/${enc(P1)}`,
    `/2024/07/05/${enc(P2)}`,
    `/2024/07/05/${P1}`,
    `${h.SEED_PATH}?replytocom=${enc(P2)}`,
    `${h.SEED_PATH}?replytocom=${P1}`,
    `${h.SEED_PATH}?unapproved=${enc(P1)}&moderation-hash=${enc(P2)}`,
    `${h.SEED_PATH}?page=${enc(P2)}`,
    `/section/world?page=${enc(P1)}`,
    `/static/${enc(P1)}.css`,
  ];
  for (const p of paths) {
    test(`GET ${p}`, async () => {
      const r = await h.get(srv.url, p);
      assert.ok(r.status < 500, `status ${r.status}`);
      assertNotLive(r.body, p);
      for (const [k, v] of Object.entries(r.headers)) {
        assert.ok(!/[<>]/.test(String(v)) || k === 'link', `header ${k} echoes the payload: ${v}`);
      }
    });
  }
});

describe('malformed and oversize requests', () => {
  test('a 20 KB header gets 431/400/413 and the server survives', async () => {
    let status;
    try {
      const r = await h.get(srv.url, '/', { headers: { 'X-Big': 'a'.repeat(20 * 1024) } });
      status = r.status;
    } catch (e) {
      status = `no response (${e.code || e.message})`;
    }
    assert.ok([400, 413, 431].includes(status), `20 KB header -> ${status}`);
    await assertHealthy();
  });

  test('many headers adding up to 64 KB get a 4xx and the server survives', async () => {
    const headers = {};
    for (let i = 0; i < 64; i++) headers[`X-H${i}`] = 'b'.repeat(1000);
    let status;
    try { status = (await h.get(srv.url, '/', { headers })).status; } catch (e) { status = `no response (${e.code})`; }
    assert.ok([400, 413, 431].includes(status), `64 KB of headers -> ${status}`);
    await assertHealthy();
  });

  test('a very long URL gets a 4xx and the server survives', async () => {
    let status;
    try { status = (await h.get(srv.url, '/?q=' + 'c'.repeat(40 * 1024))).status; } catch (e) { status = `no response (${e.code})`; }
    assert.ok([400, 404, 413, 414, 431].includes(status), `40 KB URL -> ${status}`);
    await assertHealthy();
  });

  // [name, bytes, mayJustClose]: for the last two kinds a server (libmicrohttpd) may
  // simply drop the connection instead of answering; that is accepted if it survives.
  const MALFORMED = [
    ['garbage request line', 'THIS IS NOT HTTP AT ALL\r\n\r\n', false],
    ['control character in target', 'GET /\x01\x02 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', false],
    ['header without colon', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColonHere\r\n\r\n', false],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', false],
    ['missing version', 'GET\r\n\r\n', true],
    ['binary garbage', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', true],
  ];
  for (const [name, data, mayJustClose] of MALFORMED) {
    test(`raw socket: ${name} -> 400${mayJustClose ? ' (or closed)' : ''}, server survives`, async () => {
      const resp = await raw(srv.port, Buffer.from(data, 'latin1'));
      const line = resp.split('\r\n')[0];
      if (!(mayJustClose && resp === '')) {
        assert.match(line, /^HTTP\/1\.[01] 400\b/, `status line for ${name}: ${JSON.stringify(line)}`);
      }
      await assertHealthy();
    });
  }

  test('raw socket: conflicting Content-Length and Transfer-Encoding is refused', async () => {
    const hid = await hidden();
    const body = h.encodeForm({ ...hid, gz_website: '', comment: uniq('Smuggle'), author: 'Smuggler', email: 's@example.com' });
    const req = 'POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const resp = await raw(srv.port, Buffer.from(req));
    const line = resp.split('\r\n')[0];
    assert.ok(/^HTTP\/1\.[01] (400|303)\b/.test(line), `status line: ${JSON.stringify(line)}`);
    assert.equal((resp.match(/^HTTP\/1\.[01] /gm) || []).length, 1, 'exactly one response (no smuggled request)');
    await assertHealthy();
  });

  test('a slow client that never finishes its headers does not block others', async () => {
    const sock = net.connect({ host: h.HOST, port: srv.port });
    await new Promise((res) => sock.on('connect', res));
    sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    try {
      const r = await h.get(srv.url, '/', { timeout: 5000 });
      assert.equal(r.status, 200);
    } finally {
      sock.destroy();
    }
  });

  test('unsupported methods get 405 (or 501) and the server survives', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await h.request(srv.url, h.SEED_PATH, { method });
      assert.ok([405, 501].includes(r.status), `${method} -> ${r.status}`);
    }
    await assertHealthy();
  });

  test('50 concurrent GETs of the story page all answer 200 with the story', async () => {
    const rs = await Promise.all(Array.from({ length: 50 }, () => h.get(srv.url, h.SEED_PATH, { timeout: 30000 })));
    const statuses = rs.map((r) => r.status);
    assert.deepEqual(statuses, Array(50).fill(200), `statuses: ${statuses.join(',')}`);
    for (const r of rs) assert.ok(r.body.includes('class="story-title"'), 'full page');
    const lengths = new Set(rs.map((r) => r.raw.length));
    assert.equal(lengths.size, 1, 'every response is the same page');
  });

  test('50 concurrent mixed requests (pages, 404s, bad posts) and the server survives', async () => {
    const hid = await hidden();
    const jobs = [];
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 0) jobs.push(h.get(srv.url, '/nope' + i));
      else if (i % 5 === 1) jobs.push(h.postForm(srv.url, '/comments', { ...hid, comment: '', author: '', email: 'x' }));
      else if (i % 5 === 2) jobs.push(h.get(srv.url, '/?page=2'));
      else if (i % 5 === 3) jobs.push(h.get(srv.url, '/tag/pakistan'));
      else jobs.push(h.get(srv.url, h.SEED_PATH));
    }
    const rs = await Promise.all(jobs);
    for (const r of rs) assert.ok(r.status < 500, `status ${r.status}`);
    await assertHealthy();
  });
});
