'use strict';
// Browser end-to-end test of the story page and its comment form (playwright-core
// driving the system Chromium; no browser download).
const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const h = require('../integration/helpers');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT = path.join(h.ROOT, 'tests', 'out');
const T = { timeout: 60000 };

let dir;
let srv;
let browser;
let context;
let page;
const dialogs = [];
const pageErrors = [];

function watch(p) {
  p.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  p.on('pageerror', (e) => pageErrors.push(String(e && e.message || e)));
}

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 1000 } });
  srv = await h.startServer(dir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Only the test server is reachable; anything else is blocked (and would be a bug).
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || (u.hostname === h.HOST && String(u.port) === String(srv.port))) return route.continue();
    return route.abort();
  });
  page = await context.newPage();
  watch(page);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

afterEach(() => {
  assert.deepEqual(dialogs.splice(0), [], 'no dialog (alert/confirm/prompt) opened');
  assert.deepEqual(pageErrors.splice(0), [], 'no JavaScript errors on the page');
});

const storyUrl = () => srv.url + h.SEED_PATH;

async function submitAndWait(p) {
  const [resp] = await Promise.all([
    p.waitForNavigation({ timeout: 15000 }),
    p.click('#submit'),
  ]);
  return resp;
}

describe('comment form in the browser', () => {
  test('empty form: the browser says "Please enter your comment!", and so does the server', T, async () => {
    await page.goto(storyUrl());
    await page.click('#submit');
    await page.waitForTimeout(300);
    assert.equal(page.url(), storyUrl(), 'the invalid form was not submitted');
    const msg = await page.evaluate(() => document.querySelector('#comment').validationMessage);
    assert.equal(msg, 'Please enter your comment!');

    await page.evaluate(() => { document.querySelector('#commentform').noValidate = true; });
    const resp = await submitAndWait(page);
    assert.equal(resp.status(), 422);
    assert.ok((await page.content()).includes('Please enter your comment!'), 'server message on the 422 page');
    assert.ok(await page.locator('.form-errors').isVisible(), 'error summary is visible');
    assert.ok(await page.locator('#commentform').isVisible(), 'the form is shown again');
  });

  test('comment but no name: "Please enter your name here" both ways; fixing it posts the comment', T, async () => {
    const text = `Browser comment ${Date.now()} with <angle> & "quotes"`;
    await page.goto(storyUrl());
    await page.fill('#comment', text);
    await page.click('#submit');
    await page.waitForTimeout(300);
    assert.equal(page.url(), storyUrl(), 'the invalid form was not submitted');
    assert.equal(await page.evaluate(() => document.querySelector('#author').validationMessage), 'Please enter your name here');
    assert.equal(await page.evaluate(() => document.querySelector('#comment').validity.valid), true,
      'the filled comment field is valid');

    await page.evaluate(() => { document.querySelector('#commentform').noValidate = true; });
    const resp = await submitAndWait(page);
    assert.equal(resp.status(), 422);
    assert.ok((await page.content()).includes('Please enter your name here'), 'server message on the 422 page');
    assert.equal((await page.inputValue('#comment')).replace(/\r\n/g, '\n'), text, 'typed comment kept');

    // Fix the form on the re-rendered page and send it.
    await page.fill('#author', 'Browser Tester');
    await page.fill('#email', 'browser@example.com');
    const resp2 = await submitAndWait(page);
    assert.equal(resp2.status(), 200);
    assert.match(page.url(), /[?&]unapproved=\d+/, `landed on the held-comment view: ${page.url()}`);
    assert.ok((await page.textContent('body')).includes('Your comment is awaiting moderation.'));
    assert.ok((await page.textContent('body')).includes(text), 'the comment text is shown as text');
  });

  test('a valid comment lands on a page showing "Your comment is awaiting moderation."', T, async () => {
    const text = `A valid browser comment ${Date.now()}`;
    await page.goto(storyUrl());
    await page.fill('#comment', text);
    await page.fill('#author', 'Valid Browser');
    await page.fill('#email', 'valid.browser@example.com');
    const resp = await submitAndWait(page);
    assert.equal(resp.status(), 200);
    const m = /[?&]unapproved=(\d+)/.exec(page.url());
    assert.ok(m, `landed on ?unapproved=ID: ${page.url()}`);
    const li = page.locator(`#comment-${m[1]}`);
    assert.ok(await li.isVisible(), 'the held comment is visible');
    assert.ok((await li.textContent()).includes(text));
    assert.ok(await li.locator('.comment-awaiting-moderation').isVisible(), 'awaiting-moderation note visible');
    assert.equal((await li.locator('.comment-awaiting-moderation').textContent()).trim(), 'Your comment is awaiting moderation.');
    assert.ok(h.listComments(dir, 'pending').some((c) => c.id === Number(m[1])), 'stored as pending');
  });

  test('the honeypot field is hidden from people', T, async () => {
    await page.goto(storyUrl());
    assert.equal(await page.locator('input[name="gz_website"]').isVisible(), false);
  });

  test('"back to top" scrolls back to the top', T, async () => {
    await page.goto(storyUrl());
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 });
    assert.ok(await page.evaluate(() => window.scrollY) > 0, 'scrolled down');
    await page.click('a.back-to-top');
    await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window.scrollY), 0);
  });

  for (const [name, width, height] of [['phone', 375, 812], ['desktop', 1280, 900]]) {
    test(`screenshot of the story page at ${width}x${height} (${name})`, T, async () => {
      const ctx = await browser.newContext({ viewport: { width, height } });
      const p = await ctx.newPage();
      watch(p);
      try {
        const resp = await p.goto(storyUrl());
        assert.equal(resp.status(), 200);
        const file = path.join(OUT, `story-${name}-${width}x${height}.png`);
        await p.screenshot({ path: file, fullPage: true });
        assert.ok(fs.statSync(file).size > 1000, 'screenshot written');
        assert.ok(await p.locator('h1.story-title').isVisible(), 'headline visible');
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no horizontal scrolling at ${width}px (content is ${overflow}px too wide)`);
        const cssOk = await p.evaluate(() => [...document.styleSheets].some((s) => s.cssRules && s.cssRules.length > 0));
        assert.ok(cssOk, 'the stylesheet loaded');
      } finally {
        await ctx.close();
      }
    });
  }
});
