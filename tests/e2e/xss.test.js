'use strict';
// The XSS corpus (tests/integration/attack-lib.js) verified the second way:
// in headless Chromium, no payload runs. Pages are loaded with the site's CSP
// bypassed (bypassCSP), so this checks the escaping itself, not the CSP
// safety net; a dialog handler and the global flag a payload would set
// (top.__xss) are watched, and the DOM is searched for any element or
// attribute the payloads could have introduced. A second pass with the CSP
// in force checks that it reports no violation on Gazette's own pages.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');
const h = require('../integration/helpers');
const A = require('../integration/attack-lib');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const T = { timeout: 180000 };
const enc = encodeURIComponent;

let dir;
let srv;
let browser;

before(async () => {
  // trusted_proxy: each payload comment comes from its own client (a form
  // stamp is good for one comment per client)
  dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000, search_rate_per_minute: 100000,
    trusted_proxy: '127.0.0.1' } });
  srv = await h.startServer(dir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

// A page that records dialogs, script errors and CSP violations, and may
// only reach the test server.
async function watchedPage({ bypassCSP }) {
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === h.HOST && String(u.port) === String(srv.port)) return route.continue();
    return route.abort();
  });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', (d) => { seen.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(String(e && e.message || e)));
  return { context, page, seen };
}

// What the DOM holds that no Gazette page should: handlers, foreign
// elements, script URLs, scripts other than our static files.
async function domProblems(page) {
  return page.evaluate(() => {
    const out = [];
    const bad = new Set(['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'BASE', 'TEMPLATE', 'STYLE',
      'FRAMESET', 'AUDIO', 'VIDEO', 'DIALOG', 'SLOT', 'MARQUEE', 'svg', 'math']);
    for (const el of document.querySelectorAll('*')) {
      if (bad.has(el.tagName) || bad.has(el.tagName.toUpperCase())) out.push(`<${el.tagName.toLowerCase()}>`);
      if (el.tagName === 'SCRIPT' && el.type !== 'application/ld+json' &&
          !(el.src && new URL(el.src).pathname.startsWith('/static/'))) out.push('inline <script>');
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) out.push(`${el.tagName.toLowerCase()}[${a.name}]`);
        if (a.name === 'srcdoc') out.push('srcdoc');
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background'].includes(a.name.toLowerCase()) &&
            /^\s*(javascript|vbscript|data):/i.test(a.value.replace(/[\u0000-\u0020]/g, ''))) {
          out.push(`${el.tagName.toLowerCase()}[${a.name}=${a.value.slice(0, 40)}]`);
        }
      }
    }
    return out;
  });
}

async function assertQuiet(page, seen, where) {
  // Give handlers a chance: focus, hover and toggle what a payload might use.
  await page.mouse.move(200, 200);
  await page.mouse.move(600, 500);
  await page.keyboard.press('Tab');
  const flag = await page.evaluate(() => window.__xss);
  assert.equal(flag, undefined, `${where}: a payload set top.__xss`);
  assert.deepEqual(seen.dialogs.splice(0), [], `${where}: a dialog opened`);
  const dom = await domProblems(page);
  assert.deepEqual(dom, [], `${where}: payload markup in the DOM`);
  assert.deepEqual(seen.errors.splice(0), [], `${where}: script errors`);
}

describe('XSS corpus in Chromium (CSP bypassed: the escaping alone)', () => {
  test(`${A.XSS.length} payloads as approved comments and names on the story page`, T, async () => {
    const hid = h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
    const ids = [];
    for (let i = 0; i < A.XSS.length; i++) {
      const p = A.tagged(A.XSS[i], i);
      const r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: p, author: p.slice(0, 245),
        email: `b${i}@example.com` }, { headers: { 'X-Forwarded-For': `198.18.0.${i + 1}` } });
      assert.equal(r.status, 303, `payload ${i} -> ${r.status}`);
      ids.push(Number(/#comment-(\d+)/.exec(r.headers.location)[1]));
    }
    h.approve(dir, ids);
    const { context, page, seen } = await watchedPage({ bypassCSP: true });
    try {
      await page.goto(srv.url + h.SEED_PATH, { waitUntil: 'load' });
      const shown = await page.$$eval('li[id^="comment-"]', (els) => els.length);
      assert.ok(shown >= A.XSS.length, `all payload comments shown (${shown})`);
      await assertQuiet(page, seen, 'story page');
      await page.goto(srv.url + '/', { waitUntil: 'load' });
      await assertQuiet(page, seen, 'home page');
    } finally {
      await context.close();
    }
  });

  test('payloads typed into the comment form come back in a refused form without running', T, async () => {
    const { context, page, seen } = await watchedPage({ bypassCSP: true });
    try {
      for (let i = 0; i < A.XSS.length; i += 5) {
        await page.goto(srv.url + h.SEED_PATH, { waitUntil: 'load' });
        const p = A.XSS[i];
        await page.fill('#comment', p);
        await page.fill('#author', p.slice(0, 245));
        await page.fill('#email', 'not-an-email');
        await page.fill('#url', p.slice(0, 200));
        await page.evaluate(() => { for (const f of document.querySelectorAll('input,textarea')) f.removeAttribute('required'); document.querySelector('#commentform').noValidate = true; });
        await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.click('#submit')]);
        await assertQuiet(page, seen, `refused form with payload ${i}`);
        assert.equal(await page.inputValue('#comment'), p.replace(/\r\n?/g, '\n').replace(/^[ \t\n\f\v]+|[ \t\n\f\v]+$/g, ''),
          `payload ${i} kept as text`);
      }
    } finally {
      await context.close();
    }
  });

  test('payloads in paths and query strings (404s, lists, search, story links)', T, async () => {
    const { context, page, seen } = await watchedPage({ bypassCSP: true });
    try {
      for (let i = 0; i < A.XSS.length; i++) {
        const p = A.XSS[i];
        const shapes = [`/?page=${enc(p)}`, `/tag/${enc(p)}`, `/search?q=${enc(p)}`, `${h.SEED_PATH}?replytocom=${enc(p)}`];
        const path = shapes[i % shapes.length];
        await page.goto(srv.url + path, { waitUntil: 'load' });
        await assertQuiet(page, seen, path);
      }
    } finally {
      await context.close();
    }
  });
});

describe('XSS through the newsroom in Chromium (CSP bypassed)', () => {
  // Stories written through the editor with payloads in every plain-text
  // field and Markdown that tries raw script, script URLs and handlers; the
  // published page and the admin editor page must run nothing.
  const a = require('../integration/admin-helpers');
  const MD = ['<script>top.__xss=1</script>', '<img src=x onerror="top.__xss=1">',
    '<details open ontoggle=top.__xss=1><summary>x</summary></details>', '<svg onload=top.__xss=1></svg>',
    '[link](javascript:top.__xss=1)', '[case](JaVaScRiPt:alert(1))', '[entity](javascript&#58;alert(1))',
    '![img](x" onerror="top.__xss=1)', '[t](https://example.com "a\\" onmouseover=\\"top.__xss=1")',
    '[r][r]\n\n[r]: javascript:alert(1)', '<javascript:alert(1)>', '<a href="javascript:alert(1)" onclick="top.__xss=1">a</a>',
    '<div onmouseover="top.__xss=1" style="position:fixed;inset:0">cover</div>', '<iframe src="javascript:alert(1)"></iframe>'];
  let ndir;
  let nsrv;
  const ids = [];
  before(async () => {
    ndir = a.makeNewsroom();
    nsrv = await h.startServer(ndir);
  });
  after(async () => { if (nsrv) await nsrv.stop(); });

  test('published stories and their editor pages run no payload', T, async () => {
    const ed = await a.signedIn(nsrv.url, 'editor');
    for (let i = 0; i < A.XSS.length; i += 5) {
      const p = A.XSS[i];
      ids.push(await a.writeStory(ed, { title: A.tagged(p, i).slice(0, 290), slug: `${p}-${i}`.slice(0, 200), excerpt: p,
        tags: `${p}, probe${i}`, body: `${p}\n\n${MD[(i / 5) % MD.length]}\n\nEnd.` }));
    }
    ids.push(await a.writeStory(ed, { title: 'All the Markdown shapes', body: MD.join('\n\n'), excerpt: MD.join(' ').slice(0, 1000) }));
    const { context, page, seen } = await watchedPage({ bypassCSP: true });
    try {
      // the route filter of watchedPage allows the first server only: allow this one too
      await context.unroute(/.*/);
      await context.route(/.*/, (route) => {
        const u = new URL(route.request().url());
        if (u.hostname === h.HOST && String(u.port) === String(nsrv.port)) return route.continue();
        return route.abort();
      });
      await context.addCookies([{ name: 'gz_session', value: ed.cookie, url: nsrv.url }]);
      for (const id of ids) {
        await page.goto(`${nsrv.url}/admin/stories/${id}`, { waitUntil: 'load' });
        await assertQuiet(page, seen, `editor of story ${id}`);
        const href = await page.getAttribute('#public-url', 'href');
        assert.ok(href, `story ${id} is published`);
        await page.goto(nsrv.url + href, { waitUntil: 'load' });
        await assertQuiet(page, seen, `story ${id} (${href})`);
      }
      for (const p of ['/', '/admin/stories', '/feed']) {
        await page.goto(nsrv.url + p, { waitUntil: 'load' });
        if (p !== '/feed') await assertQuiet(page, seen, p);
      }
    } finally {
      await context.close();
    }
  });
});

describe('with the CSP in force', () => {
  test('Gazette\'s own pages cause no CSP violation (no inline script or style needed)', T, async () => {
    const { context, page, seen } = await watchedPage({ bypassCSP: false });
    try {
      for (const p of ['/', h.SEED_PATH, '/section/world', '/search?q=pakistan', '/nope']) {
        await page.goto(srv.url + p, { waitUntil: 'load' });
        await page.waitForTimeout(50);
        assert.deepEqual(await page.evaluate(() => window.__violations), [], `${p}: CSP violations`);
        assert.deepEqual(seen.dialogs.splice(0), [], p);
      }
    } finally {
      await context.close();
    }
  });
});
