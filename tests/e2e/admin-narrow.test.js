'use strict';
// The newsroom's lists on a 390 px phone (issue 11, point 5): the page never scrolls
// sideways (a wide table scrolls inside its own box), and dates stay on one line.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const T = { timeout: 90000 };
const WIDTH = 390;
let srv; let browser; let page;

before(async () => {
  srv = await h.startServer(a.makeNewsroom());
  // a held comment with a long address and URL, the widest line the queue shows
  const hidden = h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
  const r = await h.postForm(srv.url, '/comments', {
    ...hidden, gz_website: '', comment: 'A comment to moderate on a phone.', author: 'Narrow Reader',
    email: 'a.rather.long.address.for.a.narrow.screen@example-newsroom.test',
    url: 'https://example.test/a/very/long/path/that/does/not/break/anywhere/at/all',
  });
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  browser = await b.launch();
  page = await b.newPage(browser, srv, { width: WIDTH, height: 844 });
  await b.signIn(page, srv, '/admin/sign-in', a.email('admin'));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

// Every element of class "date" on the page: its text's line boxes (one line: every
// rect has the same top) and the text's height against that of its first character.
function dateLines() {
  return [...document.querySelectorAll('.date')].map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const tops = new Set(rects.map((r) => Math.round(r.top)));
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let first = walker.nextNode();
    while (first && first.data.trim() === '') first = walker.nextNode();
    const one = document.createRange();
    one.setStart(first, first.data.search(/\S/));
    one.setEnd(first, first.data.search(/\S/) + 1);
    return { text: el.textContent.trim(), lines: tops.size, height: range.getBoundingClientRect().height,
      line: one.getBoundingClientRect().height };
  });
}

for (const [path, dateCount] of [['/admin/stories', 2], ['/admin/comments', 1], ['/admin/users', 0]]) {
  test(`${path} at ${WIDTH} px: no sideways scrolling, dates on one line`, T, async () => {
    await page.goto(srv.url + path);
    assert.equal(new URL(page.url()).pathname, path);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= WIDTH, `${path}: the page is ${scrollWidth} px wide`);
    for (const table of await page.$$('table')) {
      const box = await table.evaluate((t) => {
        const p = t.parentElement;
        return { cls: p.className, overflow: getComputedStyle(p).overflowX };
      });
      assert.equal(box.overflow, 'auto', `${path}: a table scrolls inside its own box (${box.cls})`);
    }
    const dates = await page.evaluate(dateLines);
    assert.ok(dates.length >= dateCount, `${path}: its dates are marked (${dates.length})`);
    for (const d of dates) {
      assert.equal(d.lines, 1, `${path}: "${d.text}" on one line`);
      assert.ok(d.line > 0 && Math.abs(d.height - d.line) <= 1, `${path}: "${d.text}" is ${d.height} px high, a line ${d.line}`);
    }
  });
}
