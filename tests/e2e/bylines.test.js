'use strict';
// Issue 15, stories, in a browser: an editor chooses co-authors with the
// editor's selects, marks a published story updated with its box and appends
// a correction with its form; the story page, /corrections and both admin
// pages have no axe violation. (CSP bypassed only for axe's own script.)
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const AXE = path.join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const T = { timeout: 120000 };
let dir; let srv; let browser; let page; let id; let storyPath;

const sql = (q) => h.sqlRows(dir, q);

before(async () => {
  dir = a.makeNewsroom({ conf: { timezone: 'Europe/Berlin' } });
  srv = await h.startServer(dir);
  const ed = await a.signedIn(srv.url, 'editor');
  id = await a.writeStory(ed, { title: 'Harbour reopens', excerpt: 'Ships are back.', body: 'The harbour reopened on Monday.',
    published_at: '2024-05-01T10:00:00' }); // earlier than the "Updated" mark below
  storyPath = await a.publicPath(ed, id);
  browser = await b.launch();
  page = await b.newPage(browser, srv, { width: 1366, height: 900, bypassCSP: true });
  await b.signIn(page, srv, '/admin/stories', a.email('editor'));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

async function violations(p) {
  await page.goto(srv.url + p);
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('the editor: co-authors chosen in order and "Mark as updated" ticked, then a correction appended', T, async () => {
  assert.deepEqual(await violations(`/admin/stories/${id}`), []);
  await page.selectOption('#coauthor-1', { label: 'Test Contributor' });
  await page.selectOption('#coauthor-2', { label: 'Test Admin' });
  await page.fill('#body', 'The harbour reopened on Monday, two days early.');
  await page.check('#mark_updated');
  await Promise.all([page.waitForNavigation(), page.click('#publish')]);
  assert.match(page.url(), /msg=published/);
  assert.deepEqual(sql(`SELECT u.name FROM story_coauthors c JOIN users u ON u.id = c.user_id WHERE c.story_id = ${id} ORDER BY c.position`).map((r) => r.name),
    ['Test Contributor', 'Test Admin']);
  assert.ok(sql(`SELECT revised_at FROM stories WHERE id = ${id}`)[0].revised_at > 0);
  assert.equal(await page.isChecked('#mark_updated'), false, 'the box is unticked again');
  await Promise.all([page.waitForNavigation(), page.click('#corrections-link')]);
  assert.deepEqual(await violations(`/admin/stories/${id}/corrections`), []);
  await page.fill('#correction', 'The harbour reopened on Monday, not on Sunday.');
  await Promise.all([page.waitForNavigation(), page.click('#add-correction')]);
  assert.match(await page.textContent('.notice'), /Correction appended/);
});

test('the story page and /corrections: what readers see, no axe violation', T, async () => {
  assert.deepEqual(await violations(storyPath), []);
  const by = (await page.textContent('.byline-by')).replace(/\s+/g, ' ').trim();
  assert.equal(by, 'By Test Editor, Test Contributor and Test Admin');
  assert.match(await page.textContent('.byline-updated'), /^Updated \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d$/);
  assert.match(await page.textContent('.story-corrections'), /not on Sunday/);
  assert.deepEqual(await violations('/corrections'), []);
  assert.match(await page.textContent('.corrections-list'), /Harbour reopens[\s\S]*not on Sunday/);
});
