'use strict';
// /metrics (issue 17): the Prometheus text format, counters that move by
// exactly what was asked of the server, cumulative histogram buckets,
// `promtool check metrics` (Debian's prometheus package), refusal for an
// address outside metrics_allow; and the X-Request-Id every response
// carries and every access line ends with.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

// "name{labels}" -> value, from the exposition text.
function samples(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    m.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return m;
}

const ROOT = 'gazette_http_requests_total{method="GET",route="/",code="200"}';
const PAGE404 = 'gazette_http_requests_total{method="GET",route="/:page",code="404"}';
const SIGNIN = 'gazette_signin_failures_total{kind="password"}';
const SPAM = 'gazette_comment_posts_total{outcome="spam"}';
const HELD = 'gazette_comment_posts_total{outcome="held"}';

describe('/metrics', () => {
  let dir, srv;
  before(async () => {
    // trusted_proxy: a request "forwarded for" another address is that
    // address's, which is how the refusal is tested from 127.0.0.1
    dir = h.makeSite({ demo: true, conf: { trusted_proxy: '127.0.0.1', comment_min_seconds: 0, comment_auto_approve_known: 0 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  const scrape = async () => {
    const r = await h.get(srv.url, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    assert.equal(r.headers['cache-control'], 'no-store');
    return r.body;
  };

  test('counters move by what was asked; buckets are cumulative; promtool accepts it', async () => {
    await h.get(srv.url, '/'); // the first fill, so the three below are alike
    const before_ = samples(await scrape());
    for (let i = 0; i < 3; i++) assert.equal((await h.get(srv.url, '/')).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await h.get(srv.url, '/no-such-page-here')).status, 404);
    const bad = await h.postForm(srv.url, '/admin/sign-in', { email: 'nobody@example.test', password: 'wrong' },
      { headers: { Origin: srv.url } });
    assert.equal(bad.status, 403);
    let hid = await h.freshHidden(srv.url);
    const spam = await h.postForm(srv.url, '/comments', { ...hid, gz_website: 'http://spam.example', comment: 'Buy now', author: 'S', email: 's@example.test' });
    assert.equal(spam.status, 400);
    hid = await h.freshHidden(srv.url);
    const held = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: `Metrics ${Date.now()}`, author: 'Reader', email: 'reader@example.test' });
    assert.equal(held.status, 303);

    const text = await scrape();
    const after_ = samples(text);
    const moved = (k) => (after_.get(k) || 0) - (before_.get(k) || 0);
    assert.equal(moved(ROOT), 3, 'three home pages, cached or not');
    assert.equal(moved(PAGE404), 2);
    assert.equal(moved(SIGNIN), 1);
    assert.equal(moved(SPAM), 1);
    assert.equal(moved(HELD), 1);
    assert.ok(moved('gazette_cache_hits_total') >= 3, 'the home page thrice from the cache');
    // the version make compiled in, the one `gazette --version` prints
    const version = /^gazette (\S+)\n$/.exec(spawnSync(h.GAZETTE, ['--version'], { encoding: 'utf8' }).stdout)[1];
    assert.notEqual(version, 'dev');
    assert.equal(after_.get(`gazette_build_info{version="${version}"}`), 1);
    assert.equal(after_.get('gazette_comment_queue_depth'), 0, 'no comment waiting once answered');
    assert.equal(after_.get('gazette_request_body_bytes'), 0, 'no body in flight once answered');
    assert.ok(after_.has('gazette_scheduler_runs_total'));
    assert.ok(after_.get('gazette_db_seconds_total{method="POST",route="/comments"}') > 0, 'a comment post spends time in the database');

    // the home row's histogram: cumulative, +Inf = count, sum > 0
    const les = [...after_].filter(([k]) => k.startsWith('gazette_http_request_duration_seconds_bucket{method="GET",route="/",'));
    assert.equal(les.length, 17);
    for (let i = 1; i < les.length; i++) assert.ok(les[i][1] >= les[i - 1][1], `bucket ${les[i][0]} is cumulative`);
    const count = after_.get('gazette_http_request_duration_seconds_count{method="GET",route="/"}');
    assert.equal(les[les.length - 1][0].includes('le="+Inf"'), true);
    assert.equal(les[les.length - 1][1], count);
    assert.ok(count >= 4);
    assert.ok(after_.get('gazette_http_request_duration_seconds_sum{method="GET",route="/"}') > 0);

    const p = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(p.error, undefined, 'promtool is installed (Debian package prometheus)');
    assert.equal(p.status, 0, `promtool check metrics: ${p.stdout}${p.stderr}`);
  });

  test('an address outside metrics_allow gets 404', async () => {
    const r = await h.get(srv.url, '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.50' } });
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /gazette_http_requests_total/);
    assert.equal((await h.get(srv.url, '/metrics')).status, 200, 'loopback still may');
    // through a proxy, even one forwarding for a loopback address: a reverse
    // proxy on the same host makes every reader look local
    for (const headers of [{ 'X-Forwarded-For': '127.0.0.1' }, { Forwarded: 'for=127.0.0.1' }, { 'X-Real-IP': '127.0.0.1' }])
      assert.equal((await h.get(srv.url, '/metrics', { headers })).status, 404, JSON.stringify(headers));
  });

  test('X-Request-Id: on every response, in its access line; a sane one from a proxy is kept', async () => {
    const seen = new Set();
    for (const p of ['/', '/', h.SEED_PATH, '/no-such-page-here', '/static/style.css', '/static/style.css', '/healthz']) {
      const r = await h.get(srv.url, p);
      const id = r.headers['x-request-id'];
      assert.match(id, /^[0-9a-f]{16}$/, `${p} has an id`);
      assert.ok(!seen.has(id), `${p}: a new id each time (cached pages and files too)`);
      seen.add(id);
    }
    const given = await h.get(srv.url, '/', { headers: { 'X-Request-Id': 'haproxy-7F3A.12_x' } });
    assert.equal(given.headers['x-request-id'], 'haproxy-7F3A.12_x');
    const odd = await h.get(srv.url, '/', { headers: { 'X-Request-Id': 'bad id"with<stuff>' } });
    assert.match(odd.headers['x-request-id'], /^[0-9a-f]{16}$/);
    const long = await h.get(srv.url, '/', { headers: { 'X-Request-Id': 'a'.repeat(65) } });
    assert.match(long.headers['x-request-id'], /^[0-9a-f]{16}$/);
    await h.until('the access lines', () => srv.output().includes(' haproxy-7F3A.12_x '));
    const lines = srv.output().split('\n');
    for (const id of [...seen, 'haproxy-7F3A.12_x']) {
      assert.ok(lines.some((l) => / HTTP\/1\.1" \d{3} \d+ "[^"]*" "[^"]*" /.test(l) && l.includes(` ${id} `)), `access line for ${id}`);
    }
  });
});
