'use strict';
// What the browser tests share: headless Debian chromium through playwright-core,
// and pages (each in a context of its own, so cookies are not shared) that reach
// the test server only: every other request is aborted.
const { chromium } = require('playwright-core');
const h = require('../integration/helpers');
const { PASSWORD } = require('../integration/admin-helpers');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A page of a new context; errors thrown by the page's scripts go to `errors`.
// bypassCSP: to inject a checker's script (axe) into our pages; javaScriptEnabled
// false: a reader without JavaScript; allowPorts: other local test servers
// (an ad server's origin) the page may reach too.
async function newPage(browser, srv, { width = 1280, height = 900, errors = null, bypassCSP = false,
  javaScriptEnabled = true, allowPorts = [] } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, bypassCSP, javaScriptEnabled });
  const ports = [srv.port, ...allowPorts].map(String);
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || (u.hostname === h.HOST && ports.includes(String(u.port)))) return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  if (errors) page.on('pageerror', (e) => errors.push(String(e && e.message || e)));
  return page;
}

// Signs in with the sign-in form on the page it shows (a staff page sends a
// signed-out reader there), as the account with this e-mail.
async function signInForm(page, email) {
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
}

// Opens path (an admin page, or /admin/sign-in) and signs in there.
async function signIn(page, srv, path, email) {
  await page.goto(srv.url + path);
  await signInForm(page, email);
}

module.exports = { launch, newPage, signIn, signInForm };
