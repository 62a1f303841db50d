'use strict';
// The newsroom in headless Chromium (playwright-core, Debian's chromium): sign in,
// write and publish a story, see it on the home page, approve a held comment and
// see it on the article. No JavaScript is needed by any of it.
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const T = { timeout: 90000 };
let dir; let srv; let browser; let page; let readerPage;
const pageErrors = [];

before(async () => {
  dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  browser = await b.launch();
  page = await b.newPage(browser, srv, { errors: pageErrors });
  // a reader's own browser: the editor's session cookie reaches story pages too
  // (a signed-in editor comments as staff), so the reader is another context
  readerPage = await b.newPage(browser, srv, { errors: pageErrors });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

afterEach(() => assert.deepEqual(pageErrors.splice(0), [], 'no JavaScript errors'));

test('sign in, write and publish a story, approve a comment', T, async () => {
  await page.goto(srv.url + '/admin/stories');
  assert.match(page.url(), /\/admin\/sign-in\?next=/, 'sent to sign in');
  await b.signInForm(page, a.email('editor'));
  assert.match(page.url(), /\/admin\/stories$/);
  assert.ok(await page.isVisible('text=Test Editor'));

  await Promise.all([page.waitForNavigation(), page.click('#new-story')]);
  await page.fill('#title', 'Browser-written story about the Caspian');
  await page.fill('#excerpt', 'Written in a headless browser.');
  await page.fill('#body', 'The **Caspian** is the largest inland body of water.\n\nIt borders five countries.');
  await page.fill('#tags', 'Caspian, Geography');
  await page.selectOption('#section', { label: 'World' });
  await Promise.all([page.waitForNavigation(), page.click('#publish')]);
  assert.match(page.url(), /\/admin\/stories\/\d+\?msg=published$/);
  assert.equal((await page.textContent('#story-status')).trim(), 'published');
  const storyPath = await page.getAttribute('#public-url', 'href');

  await page.goto(srv.url + '/');
  assert.ok(await page.isVisible('text=Browser-written story about the Caspian'), 'on the home page');
  await Promise.all([page.waitForNavigation(), page.click('text=Browser-written story about the Caspian')]);
  assert.equal(new URL(page.url()).pathname, storyPath);
  assert.equal(await page.textContent('strong'), 'Caspian');

  // a reader comments (held: first-time commenter)
  await readerPage.goto(srv.url + storyPath);
  await readerPage.fill('#comment', 'A held comment from the browser test.');
  await readerPage.fill('#author', 'Browser Reader');
  await readerPage.fill('#email', 'browser.reader@example.test');
  await Promise.all([readerPage.waitForNavigation(), readerPage.click('#submit')]);
  assert.ok(await readerPage.isVisible('text=Your comment is awaiting moderation.'));
  const held = Number(new URL(readerPage.url()).searchParams.get('unapproved'));
  assert.ok(held > 0);
  const plain = await h.get(srv.url, storyPath);
  assert.equal(plain.body.includes('A held comment from the browser test.'), false, 'others do not see it yet');

  await page.goto(srv.url + '/admin/comments');
  assert.ok(await page.isVisible(`#mod-comment-${held}`));
  await Promise.all([page.waitForNavigation(), page.click(`#approve-${held}`)]);
  assert.ok(await page.isVisible('text=Comment approved'));

  await page.goto(srv.url + storyPath);
  assert.ok(await page.isVisible(`#comment-${held} >> text=A held comment from the browser test.`), 'approved comment on the article');
});
