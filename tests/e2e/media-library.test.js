'use strict';
// The media library in headless Chromium (issue 14): a picture chosen in the
// upload form's file input is added, its caption and credit are edited on its
// page, and it shows in the grid with its alt text, the page fitting a 390 px
// and a 1366 px window; the focal point is set by a click on the preview
// and pictures dropped onto the upload form are sent through it
// (admin-media.js), with nothing blocked by the Content-Security-Policy.
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const T = { timeout: 120000 };
let srv; let browser; let page;
const pageErrors = [];
const cspViolations = [];

before(async () => {
  const dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  browser = await b.launch();
  page = await b.newPage(browser, srv, { width: 1366, height: 900 });
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

test('upload through the file input, edit caption and credit, see it in the grid at 390 and 1366 px', T, async () => {
  await b.signIn(page, srv, '/admin/media', a.email('contributor'));
  assert.ok(page.url().endsWith('/admin/media'), page.url());
  assert.ok(await page.isVisible('#drop-hint'), 'with JavaScript, the form offers drag and drop');
  await page.setInputFiles('#media-files', [
    { name: 'lighthouse.png', mimeType: 'image/png', buffer: a.png(1400, 900) },
    { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.4\n% not a picture\n') },
  ]);
  await Promise.all([page.waitForNavigation(), page.click('#media-upload button[type=submit]')]);
  assert.match(await page.textContent('#upload-added'), /lighthouse\.png/);
  assert.match(await page.textContent('#upload-refused'), /notes\.jpg\s*: not a picture, audio or video file we take/);

  await Promise.all([page.waitForNavigation(), page.click('#upload-added a')]);
  await page.fill('#media-alt', 'A lighthouse on a red sky');
  await page.fill('#media-caption', 'The lighthouse at Cape Red');
  await page.fill('#media-credit', 'Photo: Ada Lens');
  // a click on the preview sets the focal point (admin-media.js)
  const box = await page.$eval('#focal-image', (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });
  await page.mouse.click(box.x + box.w * 0.25, box.y + box.h * 0.75);
  const fx = Number(await page.inputValue('#focal_x')); const fy = Number(await page.inputValue('#focal_y'));
  assert.ok(Math.abs(fx - 0.25) < 0.02 && Math.abs(fy - 0.75) < 0.02, `focal point ${fx}, ${fy}`);
  await Promise.all([page.waitForNavigation(), page.click('#media-form button[type=submit]')]);
  assert.match(await page.textContent('.notice'), /Library item saved/);
  assert.equal(await page.inputValue('#media-caption'), 'The lighthouse at Cape Red');
  assert.equal(await page.inputValue('#media-credit'), 'Photo: Ada Lens');
  assert.match(await page.inputValue('#media-md'), /^!\[A lighthouse on a red sky\]\(media:\d+ "The lighthouse at Cape Red"\)$/);

  await page.goto(srv.url + '/admin/media?q=cape+red');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    const img = await page.$('#media-grid img');
    assert.ok(img, `the grid shows it at ${width} px`);
    assert.equal(await img.getAttribute('alt'), 'A lighthouse on a red sky');
    assert.match(await img.getAttribute('src'), /^\/media\/[0-9a-f]{16}-320\.webp$/);
    assert.equal(await img.getAttribute('width'), '320');
    assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth === 320), 'the thumbnail loads');
    assert.ok(await img.isVisible());
    const m = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth }));
    assert.ok(m.doc <= m.win, `the library fits ${width} px: document ${m.doc} px`);
    const w = await img.evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(w > 50 && w <= width, `thumbnail ${w} px wide at ${width} px`);
  }
});

test('pictures dropped onto the upload form are sent through the same form', T, async () => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(srv.url + '/admin/media');
  const dt = await page.evaluateHandle((b64) => {
    const bin = atob(b64);
    const u = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    const d = new DataTransfer();
    d.items.add(new File([u], 'dropped.png', { type: 'image/png' }));
    return d;
  }, a.png(48, 32).toString('base64'));
  await page.dispatchEvent('#media-upload', 'dragenter', { dataTransfer: dt });
  assert.ok(await page.$eval('#media-upload', (f) => f.classList.contains('dragging')), 'the form shows where to drop');
  await Promise.all([page.waitForNavigation(), page.dispatchEvent('#media-upload', 'drop', { dataTransfer: dt })]);
  assert.match(await page.textContent('#upload-added'), /dropped\.png \(48 × 32\)/);
  const grid = await page.$$eval('#media-grid .media-name', (els) => els.map((e) => e.textContent));
  assert.equal(grid[0], 'dropped.png', 'newest first in the grid');
});
