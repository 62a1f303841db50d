'use strict';
// Issue 14's whole path in headless Chromium, as a newsroom walks it: an
// editor uploads a picture into the media library through the file input,
// gives it a caption and a credit, copies the Markdown the item's page offers
// into a new story beside a YouTube link, and publishes. A reader's page at
// 390 and 1366 px then shows the figure (sources and srcset of files that
// load, width/height, caption and credit), the picture as the eager lead
// (fetchpriority="high", not lazy, loaded at first paint, no layout shift),
// and sends nothing to the embed's provider until the facade is clicked.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const { launch, newPage, signIn } = require('./browser');

const T = { timeout: 120000 };
const YT = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
let srv; let browser; let storyUrl; let mediaId;

before(async () => {
  srv = await h.startServer(a.makeNewsroom());
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

test('the editor uploads, captions, places and publishes a picture', T, async () => {
  const errors = [];
  const page = await newPage(browser, srv, { width: 1366, height: 900, errors });
  await signIn(page, srv, '/admin/media', a.email('editor'));
  await page.setInputFiles('#media-files', [{ name: 'quay.png', mimeType: 'image/png', buffer: a.png(2400, 1600) }]);
  await Promise.all([page.waitForNavigation(), page.click('#media-upload button[type=submit]')]);
  await Promise.all([page.waitForNavigation(), page.click('#upload-added a')]);
  mediaId = Number(/\/admin\/media\/(\d+)/.exec(page.url())[1]);
  await page.fill('#media-alt', 'Fishing boats moored along the quay');
  await page.fill('#media-caption', 'The quay at first light');
  await page.fill('#media-credit', 'Photo: Ada Lens');
  await Promise.all([page.waitForNavigation(), page.click('#media-form button[type=submit]')]);
  const md = await page.inputValue('#media-md');
  assert.equal(md, `![Fishing boats moored along the quay](media:${mediaId} "The quay at first light")`);

  await page.goto(srv.url + '/admin/stories/new');
  await page.fill('#title', 'The fleet comes home');
  await page.fill('#body', `${md}\n\nThe boats were back before six.\n\n${YT}\n\nThe market opened at seven.`);
  await Promise.all([page.waitForNavigation(), page.click('#publish')]);
  storyUrl = srv.url + await page.getAttribute('#public-url', 'href');
  assert.deepEqual(errors, []);
  await page.context().close();
});

for (const [width, height] of [[390, 844], [1366, 900]]) {
  test(`the reader at ${width} px: figure, srcset, eager lead, no layout shift, no provider request before the click`, T, async () => {
    assert.ok(storyUrl, 'the story was published');
    const errors = [];
    const page = await newPage(browser, srv, { width, height, errors });
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
        .observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(storyUrl, { waitUntil: 'load' });

    const fig = page.locator('article figure.figure').first();
    assert.equal(await fig.count(), 1, 'the picture is a figure');
    const cap = (await fig.locator('figcaption').textContent()).replace(/\s+/g, ' ').trim();
    assert.match(cap, /^The quay at first light/);
    assert.match(cap, /Photo: Ada Lens$/);
    assert.equal(await fig.locator('figcaption .credit').textContent(), 'Photo: Ada Lens');
    const img = fig.locator('img');
    assert.equal(await img.getAttribute('alt'), 'Fishing boats moored along the quay');
    assert.equal(await img.getAttribute('width'), '2400');
    assert.equal(await img.getAttribute('height'), '1600');
    assert.equal(await img.getAttribute('fetchpriority'), 'high', 'the first picture leads');
    assert.notEqual(await img.getAttribute('loading'), 'lazy', 'the lead is not lazy');
    const srcset = await img.getAttribute('srcset');
    const widths = srcset.split(',').map((c) => Number(/ (\d+)w$/.exec(c.trim())[1]));
    assert.deepEqual(widths, [320, 640, 960, 1280, 1920], 'every width made, none above the original');
    assert.ok(await img.getAttribute('sizes'), 'sizes says how wide it shows');
    const types = await fig.locator('source').evaluateAll((v) => v.map((s) => s.type));
    assert.ok(types.includes('image/webp'), `sources: ${types}`);
    for (const s of await fig.locator('source').evaluateAll((v) => v.map((e) => e.srcset))) {
      for (const c of s.split(',')) {
        const u = c.trim().split(' ')[0];
        const r = await h.get(srv.url, u);
        assert.equal(r.status, 200, u);
      }
    }
    // loaded at once, in a width fit for the window, from a modern format
    await page.waitForFunction(() => {
      const i = document.querySelector('article figure.figure img');
      return i && i.complete && i.naturalWidth > 0;
    });
    const shown = await img.evaluate((i) => ({ src: i.currentSrc, w: i.getBoundingClientRect().width, nat: i.naturalWidth }));
    assert.match(shown.src, /\/media\/[0-9a-f]{16}-\d+\.(avif|webp)$/);
    assert.ok(shown.w > 0 && shown.w <= width, `shown ${shown.w} px wide`);
    // a width near the box (a browser may take one a few pixels narrower), never the largest for a phone
    assert.ok(shown.nat >= shown.w * 0.9 && shown.nat <= Math.max(640, shown.w * 1.5), `picked ${shown.nat} px for ${shown.w} px`);
    const box = await img.evaluate((i) => { const r = i.getBoundingClientRect(); return r.height / r.width; });
    assert.ok(Math.abs(box - 1600 / 2400) < 0.01, `the box keeps the picture's ratio: ${box}`);
    await page.mouse.wheel(0, 2000);
    await page.waitForTimeout(400);
    assert.equal(await page.evaluate(() => window.__cls), 0, 'no layout shift');

    // the embed: nothing leaves for the provider until the reader asks
    const offsite = requests.filter((u) => new URL(u).hostname !== h.HOST);
    assert.deepEqual(offsite, [], 'every request stays on the site before the click');
    assert.equal(await page.locator('iframe').count(), 0);
    const frame = page.waitForRequest((r) => /^https:\/\/www\.youtube-nocookie\.com\//.test(r.url()), { timeout: 10000 });
    await page.getByRole('button', { name: 'Load YouTube content' }).click();
    await frame; // aborted by the test's route: nothing leaves loopback
    assert.equal(await page.locator('iframe').count(), 1, 'the player after the click');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}
