'use strict';
// The attack corpus over HTTP: XSS payloads through every reader-controlled
// field, SQL injection probes in every parameter, open redirects, path
// traversal, security headers on every page, the trusted-proxy setting and
// the request limits. The same payloads run in Chromium in tests/e2e/xss.test.js.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const h = require('./helpers');
const A = require('./attack-lib');

const enc = encodeURIComponent;
let dir;
let srv;

before(async () => {
  // trusted_proxy: each comment comes from its own client (postComment)
  dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000, search_rate_per_minute: 100000, body_limit: 4096,
    trusted_proxy: '127.0.0.1' } });
  srv = await h.startServer(dir);
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

function noLive(body, where) {
  const p = A.liveMarkup(body);
  assert.deepEqual(p, [], `${where}: live markup:\n  ${p.join('\n  ')}`);
}

async function hidden() {
  return h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
}

// POST /comments from a client of its own behind the trusted proxy: a form
// stamp is good for one comment per client, and these tests send many
// comments with one form.
let clients = 0;
function postComment(fields, { headers = {} } = {}) {
  clients++;
  const xff = `198.18.${(clients >> 8) & 255}.${clients & 255}`;
  return h.postForm(srv.url, '/comments', fields, { headers: { ...headers, 'X-Forwarded-For': xff } });
}

// One request from a chosen loopback source address, with raw headers.
function from(localAddress, base, path, { method = 'GET', headers = {}, body = null } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: h.HOST, port: Number(u.port), localAddress, method, path, agent: false,
      headers: { Connection: 'close', ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(15000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function raw(port, data, timeout = 5000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: h.HOST, port });
    const chunks = [];
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    sock.setTimeout(timeout, () => { sock.destroy(); done(); });
    sock.on('connect', () => sock.write(data));
    sock.on('data', (c) => chunks.push(c));
    sock.on('close', done);
    sock.on('error', (e) => (chunks.length ? done() : reject(e)));
  });
}

test(`the corpus has at least 100 XSS payloads (${A.XSS.length})`, () => {
  assert.ok(A.XSS.length >= 100);
  assert.equal(new Set(A.XSS).size, A.XSS.length, 'no duplicates');
});

describe('baseline: Gazette\'s own pages have no live markup the detector objects to', () => {
  for (const p of ['/', h.SEED_PATH, '/section/world', '/tag/pakistan', '/search?q=pakistan', '/nope']) {
    test(`GET ${p}`, async () => {
      const r = await h.get(srv.url, p);
      assert.ok(r.status === 200 || r.status === 404, `${p} -> ${r.status}`);
      noLive(r.body, p);
    });
  }
});

describe('XSS through the comment form', () => {
  test('every payload as comment and name: stored, shown to its author and on the story page as text', async () => {
    const hid = await hidden();
    const ids = [];
    for (let i = 0; i < A.XSS.length; i++) {
      const p = A.tagged(A.XSS[i], i);
      const r = await postComment({ ...hid, gz_website: '', comment: `c${i}: ${p}`,
        author: p.slice(0, 245), email: `x${i}@example.com`, url: '' });
      assert.equal(r.status, 303, `payload ${i} ${JSON.stringify(A.XSS[i])} -> ${r.status}`);
      assert.ok(A.onSite(r.headers.location, srv.url), `Location on site: ${r.headers.location}`);
      const id = Number(/#comment-(\d+)/.exec(r.headers.location)[1]);
      ids.push(id);
      if (i % 10 === 0) { // the author's own view of the held comment
        const held = await h.get(srv.url, h.splitLocation(r.headers.location).path);
        assert.equal(held.status, 200);
        noLive(held.body, `held view of payload ${i}`);
      }
    }
    h.approve(dir, ids);
    const page = await h.get(srv.url, h.SEED_PATH);
    assert.equal(page.status, 200);
    noLive(page.body, 'story page with every payload approved');
    const text = h.textOf(page.body);
    for (let i = 0; i < A.XSS.length; i++) {
      assert.ok(page.body.includes(`id="comment-${ids[i]}"`), `comment ${i} shown`);
      assert.ok(text.includes(`c${i}:`), `comment ${i} text shown`);
    }
    noLive((await h.get(srv.url, '/')).body, 'home page');
  });

  test('every payload in every field of a refused form comes back escaped (422)', async () => {
    const hid = await hidden();
    for (let i = 0; i < A.XSS.length; i++) {
      const p = A.XSS[i];
      const r = await postComment({ ...hid, gz_website: '', comment: p, author: p.slice(0, 245),
        email: p.slice(0, 100), url: p.slice(0, 200) });
      assert.ok(r.status === 422 || r.status === 400, `payload ${i} -> ${r.status}`);
      noLive(r.body, `422 re-render of payload ${i} ${JSON.stringify(p)}`);
      if (r.status === 422) {
        assert.equal(h.formValues(r.body).values.comment.replace(/\r\n/g, '\n'), p.replace(/\r\n|\r/g, '\n').replace(/^[ \t\n\f\v]+|[ \t\n\f\v]+$/g, ''),
          `payload ${i} kept verbatim in the textarea`);
      }
    }
  });

  test('every payload as the website address: refused, or linked with a safe scheme', async () => {
    const hid = await hidden();
    const linked = [];
    const urls = [...A.XSS, 'https://example.com/a?b=1&c=2#x', "http://example.com/it's", 'http://example.com/%22%3E%3Cscript%3E'];
    for (let i = 0; i < urls.length; i++) {
      const url = urls[i].slice(0, 200);
      const r = await postComment({ ...hid, gz_website: '', comment: `url payload ${i}`,
        author: 'Url Tester', email: 'url@example.com', url });
      noLive(r.body, `url payload ${i} response`);
      if (r.status === 303) {
        linked.push(Number(/#comment-(\d+)/.exec(r.headers.location)[1]));
      } else {
        assert.equal(r.status, 422, `url payload ${i} -> ${r.status}`);
      }
    }
    assert.ok(linked.length > 0, 'some http(s) payload URLs were accepted and are checked on the page');
    h.approve(dir, linked);
    const page = await h.get(srv.url, h.SEED_PATH);
    noLive(page.body, 'story page with url payloads');
  });
});

describe('XSS through paths and query strings', () => {
  const shapes = [
    (p) => `/?page=${enc(p)}`,
    (p) => `/${enc(p)}`,
    (p) => `/tag/${enc(p)}`,
    (p) => `${h.SEED_PATH}?replytocom=${enc(p)}`,
    (p) => `${h.SEED_PATH}?unapproved=1&moderation-hash=${enc(p)}`,
    (p) => `/search?q=${enc(p)}`,
    (p) => `/?${enc(p)}=${enc(p)}`,
  ];
  test(`${A.XSS.length} payloads x ${shapes.length} places`, async () => {
    for (let i = 0; i < A.XSS.length; i++) {
      for (const shape of shapes) {
        const path = shape(A.XSS[i]);
        const r = await h.get(srv.url, path);
        assert.ok(r.status < 500, `${path} -> ${r.status}`);
        noLive(r.body, path);
        for (const [k, v] of Object.entries(r.headers)) {
          assert.ok(!/[<>]/.test(String(v)), `${path}: header ${k} echoes input: ${v}`);
        }
      }
    }
  });
});

describe('SQL injection probes', () => {
  const DB_ERROR = /SQL logic error|syntax error|no such (table|column)|unrecognized token|SQLITE_[A-Z]|database is locked|fts5: /;

  test('in path segments: nothing found, no database error', async () => {
    for (const s of A.SQLI) {
      for (const path of [`/tag/${enc(s)}`, `/section/${enc(s)}`, `/author/${enc(s)}`, `/2024/07/05/${enc(s)}`,
        `/${enc(s)}/07/05/${h.SEED_SLUG}`, `/static/${enc(s)}`, `/tag/pakistan${enc(s)}`]) {
        const r = await h.get(srv.url, path);
        assert.ok([400, 404].includes(r.status), `${path} -> ${r.status}`);
        assert.doesNotMatch(r.body, DB_ERROR, `${path}: database error shown`);
      }
    }
  });

  test('in query parameters: same page as for any other bad value, no database error', async () => {
    const home = await h.get(srv.url, '/');
    const story = await h.get(srv.url, h.SEED_PATH);
    for (const s of A.SQLI) {
      for (const path of [`/?page=${enc(s)}`, `/section/world?page=${enc(s)}`, `${h.SEED_PATH}?replytocom=${enc(s)}`,
        `${h.SEED_PATH}?unapproved=${enc(s)}&moderation-hash=${enc(s)}`, `/?p=${enc(s)}`, `/?s=${enc(s)}`]) {
        const r = await h.get(srv.url, path);
        assert.ok(r.status < 500, `${path} -> ${r.status}`);
        assert.doesNotMatch(r.body, DB_ERROR, `${path}: database error shown`);
      }
      const r = await h.get(srv.url, `${h.SEED_PATH}?unapproved=${enc(s)}&moderation-hash=${enc(s)}`);
      assert.equal((r.body.match(/id="comment-\d+"/g) || []).length, (story.body.match(/id="comment-\d+"/g) || []).length,
        `unapproved=${s} shows no extra comment`);
    }
    assert.equal(home.status, 200);
  });

  test('in the search query: no database error, never every story', async () => {
    const all = h.demoStories().length;
    for (const s of A.SQLI) {
      const r = await h.get(srv.url, `/search?q=${enc(s)}`);
      assert.ok(r.status < 500, `q=${s} -> ${r.status}`);
      assert.doesNotMatch(r.body, DB_ERROR, `q=${s}: database error shown`);
      const hits = new Set((r.body.match(/href="\/\d{4}\/\d{2}\/\d{2}\/[^"#?]+"/g) || []));
      assert.ok(hits.size < all || all < 3, `q=${s} matched every story (${hits.size})`);
    }
  });

  test('in comment fields and hidden fields: stored as literal text, nothing else changes', async () => {
    const hid = await hidden();
    const before = h.listComments(dir).length;
    const ids = [];
    for (let i = 0; i < A.SQLI.length; i++) {
      const s = A.SQLI[i];
      const r = await postComment({ ...hid, gz_website: '', comment: `sql ${i} ${s}`,
        author: `SQL ${s}`.slice(0, 245), email: `sql${i}@example.com`, url: '' });
      assert.equal(r.status, 303, `probe ${s} -> ${r.status}`);
      ids.push(Number(/#comment-(\d+)/.exec(r.headers.location)[1]));
    }
    const listed = h.listComments(dir);
    assert.equal(listed.length, before + A.SQLI.length, 'exactly one comment per probe');
    h.approve(dir, ids);
    const text = h.textOf((await h.get(srv.url, h.SEED_PATH)).body);
    for (let i = 0; i < A.SQLI.length; i++) {
      assert.ok(text.includes(h.normWs(`sql ${i} ${A.SQLI[i]}`)), `probe ${i} shown literally`);
    }
    for (const s of A.SQLI) {
      let r = await postComment({ ...hid, comment_post_ID: s, gz_website: '', comment: 'x', author: 'y', email: 'z@example.com' });
      assert.ok([400, 404, 422].includes(r.status), `comment_post_ID=${s} -> ${r.status}`);
      r = await postComment({ ...hid, comment_parent: s, gz_website: '', comment: `parent ${s}`, author: 'y', email: 'z@example.com' });
      assert.ok([400, 404, 422].includes(r.status), `comment_parent=${s} -> ${r.status}`);
      r = await h.get(srv.url, '/', { headers: { Cookie: `gz_session=${enc(s)}; x=${enc(s)}` } });
      assert.equal(r.status, 200, `cookie ${s}`);
    }
    assert.equal(h.listComments(dir).length, before + A.SQLI.length, 'no other comment appeared');
  });
});

describe('open redirects', () => {
  test('no redirect taken from input leaves the site', async () => {
    for (const p of A.REDIRECT_PROBES) {
      let r;
      try { r = await h.get(srv.url, p); } catch (e) { continue; } // a client-side invalid path
      if (r.status >= 300 && r.status < 400) {
        assert.ok(A.onSite(r.headers.location, srv.url), `${p} -> ${r.status} ${r.headers.location}`);
      }
      assert.ok(r.status < 500, `${p} -> ${r.status}`);
    }
  });

  test('the comment POST ignores redirect fields', async () => {
    const hid = await hidden();
    for (const field of ['redirect_to', 'redirect', 'return', 'next', '_wp_http_referer']) {
      const r = await postComment({ ...hid, gz_website: '', comment: `redirect ${field} ${Date.now()}`,
        author: 'Redirect Tester', email: 'redir@example.com', [field]: 'http://evil.example/' },
      { headers: { Referer: 'http://evil.example/' } });
      assert.equal(r.status, 303);
      assert.ok(A.onSite(r.headers.location, srv.url), `${field}: ${r.headers.location}`);
    }
  });
});

describe('path traversal', () => {
  test('every traversal shape is refused and leaks nothing', async () => {
    for (const p of A.TRAVERSAL) {
      let r;
      try { r = await h.get(srv.url, p); } catch (e) { continue; }
      assert.ok([400, 404].includes(r.status), `${p} -> ${r.status}`);
      assert.doesNotMatch(r.body, /SQLite format 3|root:x:0:0|body_limit|comment_rate_per_minute/, `${p} leaked a file`);
    }
    for (const p of ['/static/../gazette.conf', '/static/./style.css', '/media/../../etc/passwd', '/static/%2e%2e/%2e%2e/etc/passwd']) {
      const resp = await raw(srv.port, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      const status = Number((/^HTTP\/1\.[01] (\d{3})/.exec(resp) || [])[1]);
      assert.ok([400, 404].includes(status), `raw ${p} -> ${status}`);
      assert.doesNotMatch(resp, /SQLite format 3|root:x:0:0|body_limit/, `raw ${p} leaked a file`);
    }
  });
});

describe('security headers', () => {
  const PAGES = ['/', h.SEED_PATH, '/section/world', '/tag/pakistan', '/author/nope', '/search?q=x', '/feed',
    '/sitemap.xml', '/robots.txt', '/nope', '/%ff', '/admin', '/admin/login', '/admin/stories'];
  test('CSP without inline script, nosniff and Referrer-Policy on every answer; no HSTS over plain HTTP', async () => {
    const css = /href="(\/static\/style\.css[^"]*)"/.exec((await h.get(srv.url, '/')).body);
    const paths = [...PAGES, css ? h.htmlUnescape(css[1]) : '/static/style.css'];
    for (const p of paths) {
      for (const method of ['GET', 'HEAD']) {
        const r = await h.request(srv.url, p, { method });
        const csp = r.headers['content-security-policy'] || '';
        const scriptSrc = (/script-src ([^;]*)/.exec(csp) || [])[1] || (/default-src ([^;]*)/.exec(csp) || [])[1] || '';
        assert.ok(scriptSrc, `${method} ${p}: CSP with script-src: ${csp}`);
        assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval|\*|data:/, `${method} ${p}: script-src ${scriptSrc}`);
        assert.match(csp, /object-src 'none'/, `${method} ${p}: object-src`);
        assert.match(csp, /base-uri 'self'|base-uri 'none'/, `${method} ${p}: base-uri`);
        assert.equal(r.headers['x-content-type-options'], 'nosniff', `${method} ${p}: nosniff`);
        assert.ok(r.headers['referrer-policy'], `${method} ${p}: Referrer-Policy`);
        assert.equal(r.headers['strict-transport-security'], undefined, `${method} ${p}: no HSTS over http`);
        if (p.startsWith('/admin')) {
          assert.match(csp, /frame-ancestors 'none'/, `${p}: the admin may not be framed`);
          assert.equal(r.headers['x-frame-options'], 'DENY', `${p}: X-Frame-Options`);
        } else {
          assert.match(csp, /frame-ancestors/, `${p}: frame-ancestors`);
        }
        if (method === 'GET' && /text\/html/.test(r.headers['content-type'] || '')) noLive(r.body, p);
      }
    }
  });

  test('limits and errors carry them too (400, 405, 413, 414, 431)', async () => {
    const answers = [
      await h.request(srv.url, '/', { method: 'PUT' }),
      await postComment('comment=' + 'x'.repeat(8000)),
      await h.get(srv.url, '/?q=' + 'a'.repeat(9000)),
      await h.get(srv.url, '/', { headers: { 'X-Big': 'b'.repeat(20 * 1024) } }),
    ];
    for (const r of answers) {
      assert.ok(r.status >= 400, `status ${r.status}`);
      assert.match(r.headers['content-security-policy'] || '', /script-src 'self'/, `${r.status}: CSP`);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', `${r.status}: nosniff`);
    }
  });
});

describe('request limits', () => {
  test('headers over 16 KB -> 431, URI over 8 KB -> 414, body over the limit -> 413, no Host -> 400', async () => {
    assert.equal((await h.get(srv.url, '/', { headers: { 'X-Big': 'a'.repeat(17 * 1024) } })).status, 431);
    const many = {};
    for (let i = 0; i < 20; i++) many[`X-H${i}`] = 'b'.repeat(1000);
    assert.equal((await h.get(srv.url, '/', { headers: many })).status, 431, '20 headers of 1 KB');
    assert.equal((await h.get(srv.url, '/', { headers: { 'X-Ok': 'c'.repeat(8 * 1024) } })).status, 200, '8 KB header is fine');
    assert.equal((await h.get(srv.url, '/?q=' + 'd'.repeat(8300))).status, 414);
    assert.equal((await h.get(srv.url, '/?q=' + 'd'.repeat(4000))).status, 200, '4 KB URI is fine');
    const big = await postComment('comment=' + 'e'.repeat(5000));
    assert.equal(big.status, 413, 'a body over body_limit (4096)');
    const resp = await raw(srv.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.match(resp, /^HTTP\/1\.1 400/, 'no Host');
    assert.equal((await h.get(srv.url, '/')).status, 200, 'still serving');
  });
});

describe('client address, trusted proxy and HTTPS', () => {
  let psrv;
  let pdir;
  before(async () => {
    pdir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 2, trusted_proxy: '127.0.0.1' } });
    psrv = await h.startServer(pdir);
  });
  after(async () => { if (psrv) await psrv.stop(); });

  async function postFrom(addr, xff, i) {
    const hid = await h.freshHidden(psrv.url); // a stamp is good for one comment per client
    const body = h.encodeForm({ ...hid, gz_website: '', comment: `proxy ${addr} ${xff} ${i} ${Date.now()}`,
      author: 'Proxy Tester', email: `p${i}@example.com` });
    return from(addr, psrv.url, '/comments', { method: 'POST', body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': xff } });
  }

  test('from the trusted proxy, X-Forwarded-For decides the rate-limit key and the log', async () => {
    assert.equal((await postFrom('127.0.0.1', '198.51.100.1, 203.0.113.7', 1)).status, 303);
    assert.equal((await postFrom('127.0.0.1', '203.0.113.7', 2)).status, 303);
    const limited = await postFrom('127.0.0.1', '10.9.9.9, 203.0.113.7', 3);
    assert.equal(limited.status, 429, 'third comment from 203.0.113.7 in a minute');
    assert.match(limited.headers['retry-after'] || '', /^[1-9][0-9]*$/, 'Retry-After in seconds');
    assert.match(limited.body, /Too many comments/);
    assert.equal((await postFrom('127.0.0.1', '203.0.113.8', 4)).status, 303, 'another client behind the proxy');
    await h.until('the access lines', () => /^203\.0\.113\.8 /m.test(psrv.output()));
    assert.match(psrv.output(), /^203\.0\.113\.7 /m, 'the access log shows the client, not the proxy');
  });

  test('from anyone else, X-Forwarded-For is ignored', async () => {
    assert.equal((await postFrom('127.0.0.3', '192.0.2.1', 5)).status, 303);
    assert.equal((await postFrom('127.0.0.3', '192.0.2.2', 6)).status, 303);
    assert.equal((await postFrom('127.0.0.3', '192.0.2.3', 7)).status, 429, 'a forged header does not reset the limit');
    assert.doesNotMatch(psrv.output(), /^192\.0\.2\./m, 'a forged address never reaches the log');
  });

  test('HSTS only when the trusted proxy says https', async () => {
    let r = await from('127.0.0.1', psrv.url, '/', { headers: { 'X-Forwarded-Proto': 'https' } });
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
    r = await from('127.0.0.4', psrv.url, '/', { headers: { 'X-Forwarded-Proto': 'https' } });
    assert.equal(r.headers['strict-transport-security'], undefined, 'untrusted X-Forwarded-Proto');
    r = await from('127.0.0.1', psrv.url, '/');
    assert.equal(r.headers['strict-transport-security'], undefined, 'plain http through the proxy');
  });

  test('`https = 1` sends HSTS on every answer', async () => {
    const sdir = h.makeSite({ demo: true, conf: { https: 1 } });
    const s = await h.startServer(sdir);
    try {
      for (const p of ['/', h.SEED_PATH, '/nope']) {
        const r = await h.get(s.url, p);
        assert.equal(r.headers['strict-transport-security'], 'max-age=31536000', p);
      }
    } finally {
      await s.stop();
    }
  });
});

describe('search rate limit (search_rate_per_minute)', () => {
  // Five searches a minute per client address; the page cache is on, so the
  // repeated query is a cache hit after the first: a hit still counts.
  let ssrv;
  before(async () => {
    const sdir = h.makeSite({ demo: true, conf: { search_rate_per_minute: 5, trusted_proxy: '127.0.0.1' } });
    ssrv = await h.startServer(sdir);
  });
  after(async () => { if (ssrv) await ssrv.stop(); });

  function limited(r, what) {
    assert.equal(r.status, 429, what);
    assert.match(r.headers['retry-after'] || '', /^[1-9][0-9]*$/, `${what}: Retry-After in seconds`);
    if (what !== 'HEAD') assert.match(r.body, /Too many searches/, `${what}: a clear page`);
    assert.match(r.headers['cache-control'] || '', /no-store/, `${what}: never cached`);
  }

  test('the sixth search in a minute gets 429 with Retry-After; other pages still 200', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await from('127.0.0.5', ssrv.url, '/search?q=pakistan');
      assert.equal(r.status, 200, `search ${i + 1}`);
    }
    limited(await from('127.0.0.5', ssrv.url, '/search?q=pakistan'), 'sixth search (cached query)');
    limited(await from('127.0.0.5', ssrv.url, '/search?q=baku'), 'a new query');
    limited(await from('127.0.0.5', ssrv.url, '/search/feed?q=pakistan'), 'the search feed');
    limited(await from('127.0.0.5', ssrv.url, '/search?q=pakistan', { method: 'HEAD' }), 'HEAD');
    limited(await from('127.0.0.5', ssrv.url, '/search?q=pakistan', { headers: { 'X-Forwarded-For': '192.0.2.77' } }),
      'a forged X-Forwarded-For does not reset it');
    for (const p of ['/', h.SEED_PATH, '/section/world', '/tag/pakistan', '/feed']) {
      assert.equal((await from('127.0.0.5', ssrv.url, p)).status, 200, `${p} is not limited`);
    }
    assert.equal((await from('127.0.0.6', ssrv.url, '/search?q=pakistan')).status, 200, 'another address');
  });

  test('behind the trusted proxy, the forwarded client is the key', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await from('127.0.0.1', ssrv.url, `/search?q=energy${i}`, { headers: { 'X-Forwarded-For': '198.51.100.9, 203.0.113.9' } });
      assert.equal(r.status, 200, `search ${i + 1}`);
    }
    limited(await from('127.0.0.1', ssrv.url, '/search?q=energy', { headers: { 'X-Forwarded-For': '10.1.1.1, 203.0.113.9' } }),
      'sixth from 203.0.113.9');
    assert.equal((await from('127.0.0.1', ssrv.url, '/search?q=energy', { headers: { 'X-Forwarded-For': '203.0.113.10' } })).status,
      200, 'another client behind the proxy');
  });
});
