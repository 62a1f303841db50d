'use strict';
// The story editor in headless Chromium (issue 11): a featured image chosen
// before Preview is published with the story; the editor with a large featured
// image fits a 390 px and a 1366 px window (no inline style: the CSP would drop
// it); Markdown headings give a gapless outline; a save after the session ended
// comes back after signing in again; the script autosaves every 30 seconds.
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const T = { timeout: 120000 };
let dir; let srv; let browser; let context; let page;
const pageErrors = [];
const cspViolations = [];

before(async () => {
  dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  browser = await b.launch();
  page = await b.newPage(browser, srv, { width: 1366, height: 900 });
  context = page.context();
  page.on('pageerror', (e) => pageErrors.push(String(e && e.message || e)));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

afterEach(() => {
  assert.deepEqual(pageErrors.splice(0), [], 'no JavaScript errors');
  assert.deepEqual(cspViolations.splice(0), [], 'nothing blocked by the Content-Security-Policy');
});

async function signIn() {
  await b.signIn(page, srv, '/admin/stories', a.email('editor'));
}

// The page is no wider than the window at each width.
async function fits(label) {
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    const m = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, win: window.innerWidth }));
    assert.ok(m.doc <= m.win && m.body <= m.win, `${label} at ${width} px: document ${m.doc} px, body ${m.body} px, window ${m.win} px`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

test('the editor of a story with a large featured image fits a 390 px and a 1366 px window', T, async () => {
  await signIn();
  await page.goto(srv.url + '/admin/stories/new');
  await fits('new story');
  await page.fill('#title', 'Saved with a wide picture');
  await page.setInputFiles('#featured_image', { name: 'wide.png', mimeType: 'image/png', buffer: a.png(2400, 600) });
  await Promise.all([page.waitForNavigation(), page.click('#save')]);
  assert.match(page.url(), /\/admin\/stories\/\d+\?msg=saved$/);
  assert.ok(await page.$('#featured-preview img'), 'the stored image in the editor');
  await fits('editor with a featured image');
});

test('choose a featured image, Preview, then Publish: the story shows the image', T, async () => {
  await page.goto(srv.url + '/admin/stories/new');
  await page.fill('#title', 'A wide picture of the harbour');
  await page.fill('#body', 'Intro.\n\n# Harbour\n\nText.\n\n## Boats\n\nMore.\n\n### Sails\n\nEnd.');
  await page.setInputFiles('#featured_image', { name: 'harbour.png', mimeType: 'image/png', buffer: a.png(2400, 600) });
  await Promise.all([page.waitForNavigation(), page.click('#preview')]);
  assert.ok(await page.isVisible('#preview-pane'), 'the preview is shown');
  assert.ok(await page.isVisible('#featured-pending'), 'the chosen image is kept for the save');
  const levels = await page.$$eval('#preview-pane .story-body :is(h2,h3,h4,h5,h6)', (els) => els.map((e) => e.tagName));
  assert.deepEqual(levels, ['H2', 'H3', 'H4'], '#, ##, ### under the title: h2, h3, h4');
  await fits('preview');
  await Promise.all([page.waitForNavigation(), page.click('#publish')]);
  assert.match(page.url(), /\/admin\/stories\/\d+\?msg=published$/);
  // the editor of a story with a (large) featured image
  const img = await page.$('#featured-preview img');
  assert.ok(img, 'the stored image in the editor');
  const shown = await img.evaluate((e) => e.getBoundingClientRect().width);
  assert.ok(shown <= 16 * 16 + 1, `the editor's preview image is at most 16rem wide (${shown} px)`);
  await fits('editor with a featured image');
  const storyPath = await page.getAttribute('#public-url', 'href');
  await page.goto(srv.url + storyPath);
  // through the media library (issue 14): the lead figure of its variants
  const srcset = await page.getAttribute('figure.featured img', 'srcset');
  assert.match(srcset, /\/media\/[0-9a-f]{16}-1280\.jpg 1280w/, 'the published story shows the image');
  await page.waitForFunction(() => document.querySelector('figure.featured img').complete);
  assert.ok(await page.$eval('figure.featured img', (e) => e.naturalWidth) >= 320, 'and it loads');
  assert.match(await page.$eval('figure.featured img', (e) => e.currentSrc), /\/media\/[0-9a-f]{16}-\d+\.(avif|webp|jpg)$/);
});

test('a save after the session ended comes back after signing in again', T, async () => {
  await page.goto(srv.url + '/admin/stories/new');
  await page.fill('#title', 'Written across a session');
  await page.fill('#body', 'First line.\nSecond line, typed while the session ran out.');
  // the session ends on the server (idle too long); the browser keeps its cookie
  h.sql(dir, 'DELETE FROM sessions');
  await Promise.all([page.waitForNavigation(), page.click('#save')]);
  assert.match(page.url(), /\/admin\/sign-in\?/);
  assert.ok(await page.isVisible('text=Your session has ended'));
  await b.signInForm(page, a.email('editor'));
  assert.match(page.url(), /\/admin\/stories\/new\?draft=[0-9a-f]{64}$/);
  assert.equal(await page.inputValue('#title'), 'Written across a session');
  assert.equal(await page.inputValue('#body'), 'First line.\nSecond line, typed while the session ran out.');
  assert.ok(await page.isVisible('#editor-recovered'));
  await Promise.all([page.waitForNavigation(), page.click('#save')]);
  assert.match(page.url(), /\/admin\/stories\/\d+\?msg=saved$/);
});

test('the editor autosaves every 30 seconds, beside the story', T, async () => {
  await page.clock.install();
  await page.goto(srv.url + '/admin/stories/new');
  await page.fill('#title', 'Autosaved in the browser');
  await Promise.all([page.waitForNavigation(), page.click('#save')]);
  const editorUrl = page.url().replace(/\?.*$/, '');
  await page.fill('#body', 'Typed, never saved by hand.');
  await page.clock.runFor(29000);
  assert.equal((await page.textContent('#autosave-status')).trim(), '', 'not before 30 seconds');
  await page.clock.runFor(2000);
  await page.waitForFunction(() => /autosaved at/.test(document.getElementById('autosave-status').textContent));
  await page.goto(editorUrl);
  assert.equal(await page.inputValue('#body'), '', 'the story itself was not changed');
  await Promise.all([page.waitForNavigation(), page.click('#autosave-restore')]);
  assert.equal(await page.inputValue('#body'), 'Typed, never saved by hand.');
});
