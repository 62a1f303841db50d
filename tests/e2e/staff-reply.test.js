'use strict';
// Staff replies in a real browser (issue 11, point 4): once signed in, the story page's
// form knows the staff member (the session cookie reaches reader pages), the comment is
// published at once with the role badge, and the queue's Reply answers a held comment
// on the story without leaving the queue. A reader's browser never sees a token.
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const b = require('./browser');

const T = { timeout: 90000 };
let srv; let browser; let staff; let reader;
const pageErrors = [];

before(async () => {
  srv = await h.startServer(a.makeNewsroom());
  browser = await b.launch();
  staff = await b.newPage(browser, srv, { errors: pageErrors });
  reader = await b.newPage(browser, srv, { errors: pageErrors });
  await b.signIn(staff, srv, '/admin/sign-in', a.email('editor'));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  h.cleanupSites();
});

afterEach(() => assert.deepEqual(pageErrors.splice(0), [], 'no JavaScript errors'));

test('a signed-in editor comments on a story: published at once, with the badge', T, async () => {
  await reader.goto(srv.url + h.SEED_PATH);
  assert.equal(await reader.locator('input[name="gz_csrf"]').count(), 0, 'no token for a reader');
  assert.ok(await reader.isVisible('#author'), 'a reader types a name');

  await staff.goto(srv.url + h.SEED_PATH);
  assert.match(await staff.textContent('#comment-staff'), /Replying as Test Editor\s+Editor/);
  assert.equal(await staff.locator('#author').count(), 0, 'no name field for staff');
  await staff.fill('#comment', 'From the newsroom: a correction was made to the third paragraph.');
  await Promise.all([staff.waitForNavigation(), staff.click('#submit')]);
  const id = /#comment-(\d+)$/.exec(staff.url());
  assert.ok(id, `at the comment: ${staff.url()}`);
  assert.equal(await staff.textContent(`#comment-${id[1]} .comment-badge`), 'Editor');
  assert.equal(await staff.locator('.comment-awaiting-moderation').count(), 0, 'not held');

  await reader.goto(srv.url + h.SEED_PATH);
  assert.equal(await reader.textContent(`#comment-${id[1]} .comment-author`), 'Test Editor');
  assert.equal(await reader.textContent(`#comment-${id[1]} .comment-badge`), 'Editor');
});

test('the queue\'s Reply answers a held comment on the story, without leaving the queue', T, async () => {
  await reader.goto(srv.url + h.SEED_PATH);
  await reader.fill('#comment', 'Is the trade agreement signed yet?');
  await reader.fill('#author', 'Curious Reader');
  await reader.fill('#email', 'curious.reader@example.test');
  await Promise.all([reader.waitForNavigation(), reader.click('#submit')]);
  const held = Number(new URL(reader.url()).searchParams.get('unapproved'));
  assert.ok(held > 0, 'held for moderation');

  await staff.goto(srv.url + '/admin/comments');
  await staff.click(`#mod-reply-${held} summary`);
  await staff.fill(`#reply-${held}`, 'Not yet: the signing is planned for March.');
  await Promise.all([staff.waitForNavigation(), staff.click(`#reply-submit-${held}`)]);
  assert.equal(new URL(staff.url()).pathname, '/admin/comments', 'back in the queue');
  assert.match(await staff.textContent('.notice'), /Comment approved and your reply published/);

  await reader.goto(srv.url + h.SEED_PATH);
  const reply = reader.locator(`#comment-${held} .children li.byuser`);
  assert.equal(await reply.count(), 1, 'the reply is under the comment');
  assert.match(await reply.locator('.comment-body').textContent(), /planned for March/);
  assert.equal(await reply.locator('.comment-badge').textContent(), 'Editor');
});
