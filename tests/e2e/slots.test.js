'use strict';
// Ad and analytics slots in a browser (issue 15): an admin declares a
// local ad server's origin for scripts and fills a slot with a
// <script src> from it through /admin/slots; on a story page the script
// runs (the public CSP allows that origin); the same script cannot run on
// /admin, whose CSP never lists it: injected there, the browser reports a
// securitypolicyviolation and the ad server sees no request. A refused
// slot comes back with the message and what was typed. /admin/slots and a
// story page with every slot filled have no axe violation.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const T = { timeout: 120000 };
const AXE = path.join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let srv; let ads; let adsPort; let browser; let admin; let storyPath;
const adRequests = [];

// The ad server: one script that marks the page it ran in (and writes a
// line into the slot it stands in).
function startAds() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      adRequests.push({ url: req.url, referer: req.headers.referer || '' });
      if (req.url.startsWith('/ad.js')) {
        res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
        res.end('document.body.dataset.adRan = "1";\n' +
          'var p = document.createElement("p"); p.id = "ad-ran"; p.textContent = "Ad ran";\n' +
          '(document.currentScript ? document.currentScript.parentNode : document.body).appendChild(p);\n');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    s.listen(0, h.HOST, () => resolve(s));
  });
}

before(async () => {
  ads = await startAds();
  adsPort = ads.address().port;
  srv = await h.startServer(a.makeNewsroom());
  storyPath = h.SEED_PATH;
  browser = await b.launch();
  admin = await b.newPage(browser, srv, { allowPorts: [adsPort] });
  await b.signIn(admin, srv, '/admin/slots', a.email('admin'));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (ads) await new Promise((r) => ads.close(r));
  h.cleanupSites();
});

const ORIGIN = () => `http://${h.HOST}:${adsPort}`;
const TAG = () => `<script async src="${ORIGIN()}/ad.js"></script>`;

test('a slot from an undeclared origin is refused in the form, with what was typed', T, async () => {
  await admin.goto(srv.url + '/admin/slots');
  await admin.fill('#slot_sidebar', TAG());
  await Promise.all([admin.waitForNavigation(), admin.click('#slots-form button[type="submit"]')]);
  const err = await admin.textContent('#slots .form-errors');
  assert.match(err, new RegExp(`The sidebar slot: the src of <script> is not from a declared script origin: declare ${ORIGIN().replace(/\./g, '\\.')} for scripts first`));
  assert.equal(await admin.inputValue('#slot_sidebar'), TAG());
});

test('the admin declares the ad server and fills a slot: the script runs on a story page', T, async () => {
  await admin.goto(srv.url + '/admin/slots');
  await admin.fill('#origin', ORIGIN());
  await admin.check('#use_script');
  await Promise.all([admin.waitForNavigation(), admin.click('#add-origin button[type="submit"]')]);
  assert.match(admin.url(), /msg=origin-added$/);
  await admin.fill('#slot_sidebar', TAG());
  await Promise.all([admin.waitForNavigation(), admin.click('#slots-form button[type="submit"]')]);
  assert.match(admin.url(), /msg=slots$/);

  const errors = [];
  const reader = await b.newPage(browser, srv, { allowPorts: [adsPort], errors });
  const violations = [];
  reader.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
  await reader.goto(srv.url + storyPath);
  await reader.waitForSelector('body[data-ad-ran="1"]', { timeout: 10000 });
  assert.equal(await reader.textContent('.slot-sidebar #ad-ran'), 'Ad ran');
  assert.equal(await reader.locator('.slot-sidebar script').count(), 1);
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  assert.ok(adRequests.some((r) => r.url === '/ad.js'));
  await reader.context().close();
});

test('on /admin the same script is blocked by the CSP', T, async () => {
  const before = adRequests.length;
  // the admin's own pages carry no slot at all
  await admin.goto(srv.url + '/admin/stories');
  assert.equal(await admin.locator('.slot').count(), 0);
  // injected anyway, the browser refuses it: the admin's policy lacks the origin
  const outcome = await admin.evaluate((src) => new Promise((resolve) => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push({ blocked: e.blockedURI, directive: e.effectiveDirective }));
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve({ loaded: true, seen, ran: document.body.dataset.adRan || null });
    s.onerror = () => setTimeout(() => resolve({ loaded: false, seen, ran: document.body.dataset.adRan || null }), 200);
    document.body.appendChild(s);
  }), `${ORIGIN()}/ad.js`);
  assert.equal(outcome.loaded, false);
  assert.equal(outcome.ran, null);
  assert.ok(outcome.seen.some((v) => v.blocked.startsWith(ORIGIN()) && /^script-src/.test(v.directive)), JSON.stringify(outcome.seen));
  assert.equal(adRequests.length, before, 'the ad server saw no request from the admin');
});

test('no axe violation: /admin/slots with origins and an audit log, a story and the home page with every slot filled', T, async () => {
  await admin.goto(srv.url + '/admin/slots');
  await admin.fill('#slot_top', '<div class="ad"><a href="/about">Our own ad</a></div>');
  await admin.fill('#slot_in_article', '<p><a href="https://shop.example.com/">Sponsored link</a></p>');
  await admin.fill('#slot_footer', '<p><small>Thanks to our sponsors</small></p>');
  await Promise.all([admin.waitForNavigation(), admin.click('#slots-form button[type="submit"]')]);
  assert.match(admin.url(), /msg=slots$/);
  const checker = await b.newPage(browser, srv, { bypassCSP: true, allowPorts: [adsPort] });
  for (const p of [storyPath, '/']) {
    await checker.goto(srv.url + p);
    assert.ok(await checker.locator('.slot-top').count() === 1, p);
    await checker.addScriptTag({ path: AXE });
    const v = await checker.evaluate(async () => (await window.axe.run(document)).violations
      .map((x) => `${x.id} (${x.impact}): ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(v, [], p);
  }
  await checker.context().close();
  const cookies = await admin.context().cookies();
  const withAxe = await b.newPage(browser, srv, { bypassCSP: true });
  await withAxe.context().addCookies(cookies);
  await withAxe.goto(srv.url + '/admin/slots');
  assert.ok(await withAxe.locator('.audit-log tbody tr').count() >= 3);
  await withAxe.addScriptTag({ path: AXE });
  const v = await withAxe.evaluate(async () => (await window.axe.run(document)).violations
    .map((x) => `${x.id} (${x.impact}): ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(v, [], '/admin/slots');
  await withAxe.context().close();
});
