'use strict';
// What the browser tests share: Debian's chromium through playwright-core
// (no browser download), in a context that can reach only the test server.
const { chromium } = require('playwright-core');
const h = require('../integration/helpers');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// { browser, context } for srv; anything but srv is blocked (and would be a bug).
async function launch(srv, viewport = { width: 1280, height: 900 }) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport });
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || (u.hostname === h.HOST && String(u.port) === String(srv.port))) return route.continue();
    return route.abort();
  });
  return { browser, context };
}

module.exports = { launch };
