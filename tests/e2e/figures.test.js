'use strict';
// Browser test of library pictures (issue 14, docs/figures.md), with
// JavaScript off: a story with a lone picture, a gallery of two and an
// inline picture. At 390 px the gallery has two columns and at 1366 three;
// the lead picture is loaded eagerly in a modern format with its box
// reserved at the picture's ratio; the full-size view is hidden until the
// reader clicks a gallery picture, then shown over the page (CSS :target)
// and closed by its Close link. With JavaScript on, a hidden view's file is
// not even fetched (lazy); with it off, browsers ignore loading="lazy".
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const { launch, newPage } = require('./browser');

const T = { timeout: 90000 };
let srv, browser, storyUrl;

before(async () => {
  const dir = a.makeNewsroom({ demo: false });
  const png = path.join(dir, 'wide.png');
  fs.writeFileSync(png, a.png(1000, 600));
  h.gz(['media', 'add', '--site', dir, '--alt', 'Boats at dawn', '--caption', 'The fleet',
    '--credit', 'Photo: A', h.fixture('media/photo-gps.jpg')]);
  h.gz(['media', 'add', '--site', dir, '--alt', 'A red field', '--credit', 'Map: B', png]);
  srv = await h.startServer(dir);
  const au = await a.signedIn(srv.url, 'author');
  const id = await a.writeStory(au, {
    title: 'Pictures without JavaScript',
    body: 'Opening.\n\n![](media:1)\n\nWith ![a map](media:2) inline.\n\n' +
      'Some text to push the gallery down.\n\n![](media:1)\n![](media:2)\n\nThe end.\n',
    excerpt: 'Pictures.',
  });
  storyUrl = srv.url + await a.publicPath(au, id);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

async function pageAt(width) {
  const page = await newPage(browser, srv, { width, height: 844, javaScriptEnabled: false });
  await page.goto(storyUrl, { waitUntil: 'load' });
  return { page, context: page.context() };
}

test('with JavaScript on, a hidden full-size view fetches nothing until it is opened', T, async () => {
  const page = await newPage(browser, srv, { width: 390, height: 844 });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(storyUrl, { waitUntil: 'load' });
  await page.locator('.gallery').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  // at 390 px the grid shows picture 2 at 320 px and its view wants 640: that file only
  // the view asks for, and only once shown
  const viewFile = (p) => /^\/media\/[0-9a-f]{16}-640\.(avif|webp)$/.test(p);
  const hash2 = (await page.$eval('#gz-media-2 source', (e) => e.getAttribute('srcset'))).match(/[0-9a-f]{16}/)[0];
  assert.ok(!requests.some((p) => viewFile(p) && p.includes(hash2)), `nothing fetched for the hidden view: ${requests.join(' ')}`);
  const inGrid = await page.$$eval('.gallery-link img', (v) => v.map((i) => i.complete && i.naturalWidth > 0));
  assert.deepEqual(inGrid, [true, true], 'the grid pictures loaded once scrolled to');
  await page.locator('.gallery-link[href="#gz-media-2"]').click();
  await page.waitForFunction(() => {
    const i = document.querySelector('#gz-media-2 img');
    return i && i.complete && i.naturalWidth > 0;
  });
  assert.match(await page.$eval('#gz-media-2 img', (i) => i.currentSrc), /\/media\/[0-9a-f]{16}-640\.(avif|webp)$/);
  assert.ok(requests.some((p) => viewFile(p) && p.includes(hash2)), 'the view\'s file once opened');
  await page.context().close();
});

const columns = (page) => page.$eval('.gallery',
  (g) => getComputedStyle(g).gridTemplateColumns.split(' ').filter(Boolean).length);

test('gallery columns, the eager lead picture, and the full-size view without JavaScript', T, async () => {
  for (const [width, cols] of [[390, 2], [1366, 3]]) {
    const { page, context } = await pageAt(width);
    assert.equal(await columns(page), cols, `${cols} gallery columns at ${width} px`);

    // the lead picture: loaded at once, in AVIF or WebP, its box at the picture's ratio
    const lead = await page.$eval('figure.figure img', (i) => ({
      complete: i.complete, natural: i.naturalWidth, src: i.currentSrc, loading: i.loading,
      priority: i.getAttribute('fetchpriority'), w: i.getBoundingClientRect().width,
      h: i.getBoundingClientRect().height, colw: i.closest('.story-body, main').getBoundingClientRect().width,
    }));
    assert.ok(lead.complete && lead.natural > 0, 'the lead picture loaded');
    assert.match(lead.src, /\/media\/[0-9a-f]{16}-(320|640)\.(avif|webp)$/);
    assert.equal(lead.priority, 'high');
    assert.notEqual(lead.loading, 'lazy');
    assert.ok(Math.abs(lead.h / lead.w - 1.5) < 0.02, `aspect ratio kept (${lead.w}x${lead.h})`);
    assert.ok(lead.w <= lead.colw + 1, 'no wider than its column');
    // the inline picture is small
    const inline = await page.$eval('img.media-inline', (i) => i.getBoundingClientRect().width);
    assert.ok(inline > 0 && inline <= 321, `inline picture ${inline} px wide`);

    // the full-size views are hidden
    const box = page.locator('#gz-media-1');
    assert.equal(await box.isVisible(), false, 'the full-size view is hidden');

    // a click on a gallery picture opens it over the page, Close shuts it
    await page.locator('.gallery-link[href="#gz-media-1"]').click();
    await box.waitFor({ state: 'visible' });
    assert.ok(page.url().endsWith('#gz-media-1'));
    await page.waitForFunction(() => {
      const i = document.querySelector('#gz-media-1 img');
      return i && i.complete && i.naturalWidth > 0;
    });
    const shown = await page.$eval('#gz-media-1', (d) => {
      const r = d.getBoundingClientRect();
      return { pos: getComputedStyle(d).position, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight };
    });
    assert.equal(shown.pos, 'fixed');
    assert.ok(shown.w >= shown.vw - 1 && shown.h >= shown.vh - 1, 'the view covers the window');
    const img = await page.$eval('#gz-media-1 img', (i) => i.getBoundingClientRect().height);
    assert.ok(img <= 844, 'the picture fits the window height');
    await page.locator('#gz-media-1 .lightbox-close').click();
    await box.waitFor({ state: 'hidden' });
    assert.ok(page.url().endsWith('#gz-gallery-1'));
    await context.close();
  }
});
