'use strict';
// axe-core (from npm) in Debian's chromium: a story whose body uses #, ##
// and ### (issue 11: Markdown headings map under the title's h1 with no
// gap), the seed story with its comments and form, the home page and the
// demo's photo story (featured image, figures, a gallery and its
// full-size views; issue 14), static pages and the masthead's and
// footer's menus (issue 15) have no accessibility violation; and in Urdu
// (issue 15, right to left): the Urdu demo story on an English site, and
// the front page, a static page and the Urdu story of a site whose
// language is Urdu give no axe violation and no Nu HTML Checker (vnu)
// error. The pages are loaded with the CSP bypassed only so that the
// checker's own script can run in them.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const AXE = path.join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const T = { timeout: 120000 };
let srv; let browser; let page; let storyPath; let subPath;

before(async () => {
  srv = await h.startServer(a.makeNewsroom({ photos: true }));
  const ed = await a.signedIn(srv.url, 'editor');
  const id = await a.writeStory(ed, { title: 'Three levels of headings', excerpt: 'An outline.', section: '1',
    body: '# Background\n\nThe talks began in spring.\n\n## The trade deal\n\nTariffs fell.\n\n### Energy\n\nGas flows rose.\n\n## What comes next\n\nA summit.' });
  storyPath = await a.publicPath(ed, id);
  // a writer who keeps # for the title starts her sections at ##
  const id2 = await a.writeStory(ed, { title: 'Sections from two hashes', excerpt: 'Another outline.', section: '1',
    body: '## Background\n\nThe talks began.\n\n### The trade deal\n\nTariffs fell.\n\n#### Energy\n\nGas flows rose.' });
  subPath = await a.publicPath(ed, id2);
  browser = await b.launch();
  page = await b.newPage(browser, srv, { bypassCSP: true });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

async function violations(p, pg = page, base = srv.url) {
  await pg.goto(base + p);
  await pg.addScriptTag({ path: AXE });
  return pg.evaluate(async () => {
    const r = await window.axe.run(document);
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('stories with #, ##, ### and with ##, ###, #### headings: gapless outlines, no axe violation', T, async () => {
  for (const p of [storyPath, subPath]) {
    await page.goto(srv.url + p);
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (els) => els.map((e) => Number(e.tagName[1])));
    assert.equal(levels[0], 1, 'the title is the h1');
    for (let i = 1; i < levels.length; i++) {
      assert.ok(levels[i] <= levels[i - 1] + 1, `${p}: no gap in the outline: ${levels.join(',')}`);
    }
    assert.deepEqual(await violations(p), [], p);
  }
});

test('the seed story (comments, form) and the home page: no axe violation', T, async () => {
  assert.deepEqual(await violations(h.SEED_PATH), []);
  assert.deepEqual(await violations('/'), []);
});

test('the demo story with five photos, and a gallery picture opened full size: no axe violation', T, async () => {
  const photos = '/2024/07/04/hubbles-deepest-view-thousands-of-galaxies';
  assert.deepEqual(await violations(photos), []);
  assert.equal(await page.$$eval('.story-body figure img', (els) => els.length), 4, 'the figures are there');
  const full = await page.$eval('.gallery-link', (el) => el.getAttribute('href'));
  assert.deepEqual(await violations(photos + full), [], 'the full-size view');
});

test('a static page, one inside it, and pages with a header menu (a submenu) and a footer menu: no axe violation', T, async () => {
  const ed = await a.signedIn(srv.url, 'editor');
  let r = await ed.post('/admin/pages', { title: 'About us', slug: 'about', status: 'published',
    body: 'Who we are.\n\n## History\n\nFounded long ago.\n\n## Contact\n\nWrite to us.' });
  assert.equal(r.status, 303);
  const about = /\/admin\/pages\/(\d+)/.exec(r.headers.location)[1];
  r = await ed.post('/admin/pages', { title: 'Our team', slug: 'team', parent: about, status: 'published', body: 'The people.' });
  assert.equal(r.status, 303);
  for (const f of [{ address: '/section/world' }, { address: '/about' }, { address: 'https://example.org/tips', label: 'Send tips' },
    { menu: 'footer', address: '/about', label: 'Imprint' }]) {
    r = await ed.post('/admin/menus', { menu: 'header', label: '', ...f });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  }
  const menus = await ed.get('/admin/menus');
  const parent = /<tr id="menu-item-(\d+)">\s*<td>About us<\/td>/.exec(menus.body)[1];
  r = await ed.post('/admin/menus', { menu: 'header', label: '', address: '/about/team', parent });
  assert.equal(r.status, 303);
  for (const p of ['/about', '/about/team', '/']) {
    assert.deepEqual(await violations(p), [], p);
  }
  assert.equal(await page.$$eval('nav.sections .submenu a', (els) => els.map((e) => e.textContent).join()), 'Our team');
  assert.equal(await page.$$eval('nav.footer-menu a', (els) => els.map((e) => e.textContent).join()), 'Imprint');
});

// The Nu HTML Checker's errors for the pages at paths of base ("" when none).
async function vnuErrors(base, paths) {
  const vnu = path.join(h.ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  assert.ok(fs.existsSync(vnu), 'npm ci installs vnu-jar');
  const tmp = h.tmpDir();
  const files = [];
  for (const [i, p] of paths.entries()) {
    const r = await h.get(base, p);
    assert.equal(r.status, 200, p);
    files.push(path.join(tmp, `page-${i}.html`));
    fs.writeFileSync(files[i], r.body);
  }
  const v = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8', timeout: 120000 });
  return v.status === 0 ? '' : v.stderr + v.stdout;
}

const UR_STORY = '/2024/05/20/lahore-book-fair-young-readers';

test('Urdu: the Urdu story on this English site; the front page, a static page and the Urdu story of a site in Urdu (rtl): no axe violation, no vnu error', T, async () => {
  assert.deepEqual(await violations(UR_STORY), [], 'the Urdu story on an English site');
  assert.equal(await page.$eval('article.story', (el) => `${el.lang} ${el.dir} ${getComputedStyle(el).direction}`), 'ur rtl rtl');
  assert.equal(await vnuErrors(srv.url, [UR_STORY]), '');
  const urSrv = await h.startServer(a.makeNewsroom({ conf: { language: 'ur' } }));
  const urPage = await b.newPage(browser, urSrv, { bypassCSP: true });
  try {
    const ed = await a.signedIn(urSrv.url, 'editor');
    const r = await ed.post('/admin/pages', { title: 'ہمارے بارے میں', slug: 'about', status: 'published',
      body: 'ہم ایک آزاد اخبار ہیں۔\n\n## رابطہ\n\nہمیں خط لکھیں۔' });
    assert.equal(r.status, 303);
    for (const p of ['/', '/about', UR_STORY]) assert.deepEqual(await violations(p, urPage, urSrv.url), [], p);
    assert.equal(await urPage.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
    assert.equal(await vnuErrors(urSrv.url, ['/', '/about', UR_STORY]), '');
    // the stylesheet mirrors: a reply's rule on the right, nothing wider than a phone
    await urPage.setViewportSize({ width: 390, height: 800 });
    await urPage.goto(urSrv.url + h.SEED_PATH);
    assert.deepEqual(await urPage.$eval('ol.children', (el) => {
      const cs = getComputedStyle(el);
      return [cs.borderRightWidth, cs.borderLeftWidth, cs.marginRight !== '0px', cs.marginLeft];
    }), ['2px', '0px', true, '0px']);
    for (const p of ['/', UR_STORY, h.SEED_PATH]) {
      await urPage.goto(urSrv.url + p);
      assert.ok(await urPage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${p}: no sideways scroll at 390 px`);
    }
  } finally {
    await urPage.context().close();
    await urSrv.stop();
  }
});
