'use strict';
// Browser test of privacy-first embeds (issue 14, docs/embeds.md): a story with
// a YouTube and a Vimeo URL alone on their lines. Until the reader presses
// "Load YouTube content" the page makes no request to any provider; then
// embed.js puts in the youtube-nocookie iframe (whose request the test's route
// aborts, so nothing leaves loopback, but records as attempted). Without
// JavaScript the link card to the original is what the reader gets.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const { launch, newPage } = require('./browser');

const T = { timeout: 60000 };
const YT = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
const VIMEO = 'https://vimeo.com/76979871';
const PROVIDER = /youtube|ytimg|vimeo|vimeocdn|google|gstatic|doubleclick/i;

let srv, browser, storyUrl;

before(async () => {
  const dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  const au = await a.signedIn(srv.url, 'author');
  const id = await a.writeStory(au, {
    title: 'A story with a video',
    body: `The council met on Tuesday.\n\n${YT}\n\nThe vote was close.\n\n${VIMEO}\n`,
    excerpt: 'A video.',
  });
  storyUrl = srv.url + await a.publicPath(au, id);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

test('no request to a provider until the facade is clicked; then the nocookie iframe', T, async () => {
  const errors = [];
  const page = await newPage(browser, srv, { errors });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(storyUrl, { waitUntil: 'load' });
  await page.waitForTimeout(500); // anything deferred or lazy would have started by now

  const fig = page.locator('figure.embed-youtube');
  await fig.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  assert.ok(requests.length > 0, 'requests were recorded');
  const offsite = requests.filter((u) => new URL(u).hostname !== h.HOST);
  assert.deepEqual(offsite, [], 'before the click every request stays on the site');
  assert.equal(await page.locator('iframe').count(), 0, 'no iframe before the click');
  assert.ok(requests.some((u) => u.includes('/static/embed.js')), 'the site\'s embed script loaded');

  const button = page.getByRole('button', { name: 'Load YouTube content' });
  assert.ok(await button.isVisible(), 'the consent button shows once the script runs');
  assert.ok(await fig.getByText('Loading it sends data to YouTube.').isVisible());
  const frameRequest = page.waitForRequest((r) => r.url().startsWith('https://www.youtube-nocookie.com/'), { timeout: 10000 });
  await button.click();
  const iframe = fig.locator('iframe');
  await iframe.waitFor({ state: 'attached' });
  assert.equal(await iframe.getAttribute('src'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(await iframe.getAttribute('title'), 'YouTube content');
  assert.equal(await iframe.getAttribute('loading'), 'lazy');
  assert.match(await iframe.getAttribute('sandbox'), /allow-scripts/);
  assert.match(await iframe.getAttribute('allow'), /encrypted-media/);
  assert.equal(await iframe.getAttribute('style'), null);
  assert.equal((await frameRequest).url(), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    'the iframe was requested (and aborted by the test)');
  // the frame's size comes from the 16:9 class, not a style attribute
  const box = await iframe.boundingBox();
  assert.ok(box && Math.abs(box.width / box.height - 16 / 9) < 0.02, `16:9 frame, got ${box && box.width}x${box && box.height}`);
  assert.equal(await button.count(), 0, 'the button is gone');
  assert.ok(await fig.locator('a.embed-card').isVisible(), 'the link to the original stays');

  // the other facade is untouched: still no request to Vimeo
  await page.waitForTimeout(300);
  assert.deepEqual(requests.filter((u) => /vimeo/i.test(u)), []);
  assert.equal(await page.locator('figure.embed-vimeo iframe').count(), 0);
  assert.deepEqual(requests.filter((u) => new URL(u).hostname !== h.HOST && !u.startsWith('https://www.youtube-nocookie.com/')), [],
    'after the click only the YouTube player was asked for');
  assert.deepEqual(errors, [], 'no script error');
  await page.context().close();
});

test('without JavaScript the facade is a link card to the original', T, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    return u.hostname === h.HOST && String(u.port) === String(srv.port) ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(storyUrl, { waitUntil: 'load' });
  const card = page.locator('figure.embed-youtube a.embed-card');
  assert.ok(await card.isVisible(), 'the link card shows');
  assert.equal(await card.getAttribute('href'), YT);
  assert.match(await card.innerText(), /YouTube\s+https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ/);
  assert.equal(await page.getByRole('button', { name: 'Load YouTube content' }).isVisible(), false,
    'no button that would do nothing');
  assert.equal(await page.locator('iframe').count(), 0);
  assert.deepEqual(requests.filter((u) => PROVIDER.test(new URL(u).hostname)), []);
  // following the card leads to the original (the route aborts it: the attempt is the proof)
  const nav = page.waitForRequest((r) => r.url() === YT, { timeout: 10000 });
  await card.click().catch(() => {});
  assert.equal((await nav).url(), YT);
  await context.close();
});

test('the facade, before and after the click, has no axe violation', T, async () => {
  // the CSP is bypassed only so that axe's own script can run in the page
  const page = await newPage(browser, srv, { bypassCSP: true });
  const axe = async () => {
    await page.addScriptTag({ path: require('node:path').join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
    return page.evaluate(async () => (await window.axe.run(document.querySelector('.story-body')))
      .violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  };
  await page.goto(storyUrl, { waitUntil: 'load' });
  assert.deepEqual(await axe(), [], 'before the click');
  await page.getByRole('button', { name: 'Load YouTube content' }).click();
  await page.locator('figure.embed-youtube iframe').waitFor({ state: 'attached' });
  assert.deepEqual(await axe(), [], 'after the click');
  await page.context().close();
});
