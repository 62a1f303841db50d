'use strict';
// Browser test of the home page's pictures (issue 14, docs/figures.md): at
// 390 and 1366 px every card's picture box is 3:2 whatever the picture's own
// shape, nothing moves while pictures load (Cumulative Layout Shift 0,
// measured with PerformanceObserver 'layout-shift'), the lead card's picture
// is loaded at once, and pictures far below the fold are not fetched until
// the reader scrolls to them (loading="lazy").
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const { launch, newPage } = require('./browser');

const T = { timeout: 120000 };
const N = 36; // stories, all on the first page
let srv, browser;

before(async () => {
  const dir = a.makeNewsroom({ demo: false, conf: { per_page: N } });
  // pictures of several shapes (3:2, wide, tall, square), each its own file
  const shapes = [[700, 467], [900, 300], [400, 600], [500, 500]];
  for (let i = 0; i < N; i++) {
    const [w, hh] = shapes[i % shapes.length];
    const file = path.join(dir, `p${i}.png`);
    fs.writeFileSync(file, a.png(w + i, hh));
    h.gz(['media', 'add', '--site', dir, '--alt', `Picture ${i}`, file]);
  }
  srv = await h.startServer(dir);
  const ed = await a.signedIn(srv.url, 'editor');
  for (let i = 0; i < N; i++) {
    await a.writeStory(ed, { title: `Story ${i} with a picture`, excerpt: `Story ${i}.`, body: `Text ${i}.`,
      featured_media: String(i + 1) });
  }
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

for (const [width, height] of [[390, 844], [1366, 768]]) {
  test(`home at ${width} px: 3:2 boxes, no layout shift, lazy below the fold`, T, async () => {
    const page = await newPage(browser, srv, { width, height });
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(srv.url + '/', { waitUntil: 'load' });
    await page.waitForTimeout(800);
    const before = requested.slice();
    const cards = await page.$$eval('.story-grid .card-img', (imgs) => imgs.map((i) => {
      const r = i.getBoundingClientRect();
      return { top: r.top + window.scrollY, w: r.width, h: r.height, hash: /[0-9a-f]{16}/.exec(i.getAttribute('src'))[0],
        loading: i.getAttribute('loading'), done: i.complete && i.naturalWidth > 0 };
    }));
    assert.equal(cards.length, N, 'every card shows its picture');
    for (const c of cards) {
      assert.ok(c.w > 50, `a box ${c.w} wide`);
      assert.ok(Math.abs(c.w / c.h - 1.5) < 0.02, `box ${c.w}x${c.h} is 3:2`);
    }
    // the lead card: fetched at once, and wider than the others
    assert.equal(cards[0].loading, null);
    assert.ok(cards[0].done, 'the lead picture is loaded with the page');
    assert.ok(cards[0].w > cards[1].w || width < 640, 'the lead card is the widest');
    if (width >= 1024) assert.ok(Math.abs(cards[1].w - 352) < 2, `a grid card is 22rem (${cards[1].w})`);
    // far below the fold (past any browser's lazy-load margin): not fetched yet
    const far = cards.filter((c) => c.top > height + 2600);
    assert.ok(far.length >= 2, `pictures far below the fold at ${width} px (${cards.map((c) => Math.round(c.top)).join(' ')})`);
    for (const c of far) {
      assert.equal(c.loading, 'lazy');
      assert.ok(!before.some((p) => p.startsWith(`/media/${c.hash}`)), `${c.hash} not fetched before scrolling`);
    }
    // scroll down step by step: each is fetched and shown, and nothing moves
    const total = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y <= total; y += Math.round(height * 0.8)) {
      await page.evaluate((yy) => window.scrollTo(0, yy), y);
      await page.waitForTimeout(120);
    }
    await page.waitForFunction(() => [...document.querySelectorAll('.story-grid .card-img')]
      .every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 20000 });
    for (const c of far) assert.ok(requested.some((p) => p.startsWith(`/media/${c.hash}`)), `${c.hash} fetched once scrolled to`);
    const after1 = await page.$$eval('.story-grid .card-img', (imgs) => imgs.map((i) => {
      const r = i.getBoundingClientRect();
      return { w: r.width, h: r.height };
    }));
    assert.deepEqual(after1, cards.map((c) => ({ w: c.w, h: c.h })), 'the boxes kept their size as pictures arrived');
    const shifts = await page.evaluate(() => window.__shifts);
    assert.equal(shifts.reduce((s, v) => s + v, 0), 0, `Cumulative Layout Shift 0 (${shifts.join(', ')})`);
    await page.context().close();
  });
}
