'use strict';
// Browser test of library audio and video in a story (issue 14,
// docs/figures.md): the players are in the page with controls,
// preload="none" and their /media/ file as src, and loading the page (and
// scrolling to them) fetches nothing of either file; the video's box has
// its 16:9 size before any byte of the video arrives (no layout shift);
// a click on the video (which plays it) is what fetches it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const { launch, newPage } = require('./browser');

const T = { timeout: 90000 };
let srv, browser, storyUrl, videoSrc, audioSrc;

// A PCM WAV of n bytes of silence (8 kHz mono 16-bit).
function wav(n) {
  const head = Buffer.alloc(44);
  head.write('RIFF', 0); head.writeUInt32LE(36 + n, 4); head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16); head.writeUInt16LE(1, 20); head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24); head.writeUInt32LE(16000, 28); head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34); head.write('data', 36); head.writeUInt32LE(n, 40);
  return Buffer.concat([head, Buffer.alloc(n)]);
}

before(async () => {
  const dir = a.makeNewsroom({ demo: false });
  const sound = path.join(dir, 'sirens.wav');
  fs.writeFileSync(sound, wav(16000));
  const v = h.gz(['media', 'add', '--site', dir, '--alt', 'Flood at the quay', '--caption', 'Monday',
    '--credit', 'Video: A', h.fixture('media/clip.webm')]);
  const s = h.gz(['media', 'add', '--site', dir, '--alt', 'Sirens', sound]);
  videoSrc = /\/media\/[0-9a-f]{16}\.webm/.exec(v)[0];
  audioSrc = /\/media\/[0-9a-f]{16}\.wav/.exec(s)[0];
  srv = await h.startServer(dir);
  const au = await a.signedIn(srv.url, 'author');
  const id = await a.writeStory(au, {
    title: 'The flood, heard and seen',
    body: 'The water rose.\n\n![](media:1 "Monday")\n\nListen:\n\n![](media:2)\n\nThe end.\n',
    excerpt: 'Flood.',
  });
  storyUrl = srv.url + await a.publicPath(au, id);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

test('the players fetch nothing on load; the video box is 16:9 at once; play fetches the video', T, async () => {
  const page = await newPage(browser, srv, { width: 390, height: 844 });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(storyUrl, { waitUntil: 'load' });
  const video = page.locator('figure.video video');
  const audio = page.locator('figure.audio audio');
  assert.equal(await video.count(), 1);
  assert.equal(await audio.count(), 1);
  for (const [el, src] of [[video, videoSrc], [audio, audioSrc]]) {
    assert.equal(await el.getAttribute('src'), src);
    assert.equal(await el.getAttribute('preload'), 'none');
    assert.equal(await el.evaluate((e) => e.controls && !e.autoplay), true);
    assert.equal(await el.evaluate((e) => e.querySelector('a').getAttribute('href')), src, 'the fallback link');
  }
  await video.scrollIntoViewIfNeeded();
  await audio.scrollIntoViewIfNeeded();
  await page.waitForTimeout(700);
  const media = requests.filter((p) => p.startsWith('/media/'));
  assert.deepEqual(media, [], `no media request before a click: ${media.join(' ')}`);
  assert.equal(await video.evaluate((e) => e.readyState), 0, 'nothing of the video loaded');

  // the box is 16:9 of the column before the video is known
  const box = await page.locator('figure.video .video-box').boundingBox();
  assert.ok(box.width > 300, `the box spans the column: ${box.width}`);
  assert.ok(Math.abs(box.height - box.width * 9 / 16) < 1.5, `16:9: ${box.width}x${box.height}`);
  const vbox = await video.boundingBox();
  assert.deepEqual([Math.round(vbox.width), Math.round(vbox.height)], [Math.round(box.width), Math.round(box.height)]);
  assert.equal(await page.locator('figure.video figcaption').innerText(), 'Monday VIDEO: A');

  // a click on the player plays it: now (and only now) the file is asked for
  await video.click();
  if (await video.evaluate((e) => e.paused && e.readyState === 0)) {
    // headless chromium's controls may take the click as focus only: play as
    // the control's button does (muted, so no autoplay rule applies)
    await video.evaluate((e) => { e.muted = true; return e.play().catch(() => {}); });
  }
  await page.waitForFunction(() => document.querySelector('figure.video video').readyState > 0, null, { timeout: 15000 });
  assert.ok(requests.includes(videoSrc), `the video is fetched once played: ${requests.join(' ')}`);
  assert.ok(!requests.includes(audioSrc), 'the audio still not');
  const after = await page.locator('figure.video .video-box').boundingBox();
  assert.ok(Math.abs(after.height - box.height) < 0.5, 'nothing moved when the video loaded');
  await page.context().close();
});
