'use strict';
// The edited front page in a browser (issue 15): an editor pins a lead
// story, a featured one, a banner and a section block through /admin/front's
// forms, and a header menu item through /admin/menus's; a reader sees the
// masthead's menu and the pinned lead lead the page (first, and as wide as
// the page's column) at 390 and 1366 px, the banner above it, the block and
// "Latest" below; the edited home page and the admin page have no axe
// violation (loaded with the CSP bypassed only for the checker's script).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const AXE = path.join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const T = { timeout: 120000 };
let srv; let browser; let ed; let demo;

before(async () => {
  srv = await h.startServer(a.makeNewsroom({ photos: true }));
  const r = await h.get(srv.url, '/');
  demo = [...r.body.matchAll(/<h2 class="summary-title"><a href="([^"]*)">([^<]*)<\/a>/g)]
    .map((m) => ({ path: m[1], title: h.htmlUnescape(m[2]) }));
  browser = await b.launch();
  ed = await b.newPage(browser, srv, { bypassCSP: true });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

async function violations(page, p) {
  await page.goto(srv.url + p);
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('an editor edits the front page with its forms', T, async () => {
  await b.signIn(ed, srv, '/admin/front', a.email('editor'));
  await ed.goto(srv.url + '/admin/front');
  const lead = demo[demo.length - 1]; // the oldest story on the page
  await ed.fill('#pin-story', srv.url + lead.path);
  await ed.check('input[name="place"][value="lead"]');
  await Promise.all([ed.waitForNavigation(), ed.click('#pin-form button[type="submit"]')]);
  assert.match(ed.url(), /msg=front-pinned$/);
  await ed.fill('#pin-story', demo[2].path);
  await ed.check('input[name="place"][value="featured"]');
  await Promise.all([ed.waitForNavigation(), ed.click('#pin-form button[type="submit"]')]);
  await ed.fill('#banner-text', 'Results tonight');
  await ed.fill('#banner-url', 'https://example.test/results');
  await Promise.all([ed.waitForNavigation(), ed.click('#banner-form button[type="submit"]')]);
  await ed.selectOption('#block-section', { label: 'World' });
  await ed.fill('#block-count', '2');
  await Promise.all([ed.waitForNavigation(), ed.click('#block-form button[type="submit"]')]);
  assert.match(ed.url(), /msg=front-block$/);
  assert.equal(await ed.locator('#pins tbody tr').count(), 2);
  assert.deepEqual(await violations(ed, '/admin/front'), []);
  // a header menu item, added with /admin/menus's form: the masthead shows
  // the menu instead of every section
  await ed.goto(srv.url + '/admin/menus');
  await ed.selectOption('#menu-menu', 'header');
  await ed.fill('#menu-address', '/section/world');
  await ed.fill('#menu-label', 'World news');
  await Promise.all([ed.waitForNavigation(), ed.click('#add-menu-item button[type="submit"]')]);
  assert.equal(await ed.locator('#header-menu tbody tr').count(), 1);
  assert.match(await ed.locator('#header-menu tbody tr').first().textContent(), /World news/);
});

for (const width of [390, 1366]) {
  test(`the pinned lead leads the home page at ${width} px`, T, async () => {
    const page = await b.newPage(browser, srv, { width, height: 900 });
    await page.goto(srv.url + '/');
    const lead = demo[demo.length - 1];
    const boxes = await page.$$eval('main .summary', (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { title: e.querySelector('.summary-title').textContent.trim(), top: r.top, width: r.width };
    }));
    assert.equal(boxes[0].title, lead.title, 'the pinned story is the first card');
    assert.equal(boxes[1].title, demo[2].title, 'then the featured one');
    const main = await page.$eval('.front-top', (e) => e.getBoundingClientRect().width);
    assert.ok(Math.abs(boxes[0].width - main) < 2, `the lead spans the column (${boxes[0].width} of ${main})`);
    for (const o of boxes.slice(1)) assert.ok(o.top > boxes[0].top, `${o.title} is below the lead`);
    const banner = await page.$eval('.breaking', (e) => ({ text: e.textContent.trim(), bottom: e.getBoundingClientRect().bottom }));
    assert.match(banner.text, /Results tonight/);
    assert.ok(banner.bottom <= boxes[0].top, 'the banner is above the lead');
    assert.equal(await page.locator('.front-block-title').textContent(), 'World');
    assert.equal(await page.locator('.front-latest-title').textContent(), 'Latest');
    const menu = await page.$$eval('nav.sections a', (els) => els.map((e) => [e.textContent.trim(), e.getAttribute('href')]));
    assert.deepEqual(menu, [['World news', '/section/world']], 'the masthead shows the menu, not every section');
    assert.ok(await page.locator('nav.sections a').first().isVisible(), 'the menu is visible');
    await page.context().close();
  });
}

test('the edited home page: no axe violation', T, async () => {
  const page = await b.newPage(browser, srv, { bypassCSP: true });
  assert.deepEqual(await violations(page, '/'), []);
  await page.context().close();
});
