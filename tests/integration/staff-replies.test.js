'use strict';
// Staff replies (issue 11, point 4). A signed-in staff member's comment through the
// story's public form is approved at once under the account's name, with a badge
// naming the role ("Author of this story" for the story's author), kept in the stored
// thread; the form for staff carries the session's CSRF token and readers' pages never
// do. Without a token a signed-in browser's post is a reader's (held, no badge); with
// a wrong token or a foreign Origin it is refused (403, nothing stored). The
// moderation queue's Reply answers on the story without leaving the queue, approves a
// held comment with it, and respects comment_max_depth.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

function sql(dir, q) {
  return h.sql(dir, q);
}

function commentLi(html, id) {
  const li = h.findElement(html, 'li', (x) => x.id === `comment-${id}`);
  return li && li.split(/<ol[^>]*class="children"/)[0];
}

function badgeOf(html, id) {
  const li = commentLi(html, id);
  assert.ok(li, `comment ${id} is on the page`);
  const b = h.findElement(li, 'span', (x) => h.hasClass(x, 'comment-badge'));
  return b ? h.textOf(b) : null;
}

// A reader's held comment on storyPath (a new reader each time: none is known, so
// none is approved by itself); returns its id. wait: comment_min_seconds.
let readers = 0;
async function readerComment(srv, storyPath, text, fields = {}, wait = 0) {
  const hid = await h.freshHidden(srv.url, storyPath); // a stamp is good for one comment
  if (wait) await new Promise((res) => setTimeout(res, wait * 1000 + 100));
  readers++;
  const r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: text,
    author: `Rita Reader ${readers}`, email: `rita${readers}@example.com`, ...fields });
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  return Number(/#comment-(\d+)$/.exec(r.headers.location)[1]);
}

// The story page as client c sees it, and its comment form's values.
async function staffForm(c, storyPath) {
  const r = await c.get(storyPath);
  assert.equal(r.status, 200);
  return { page: r, values: h.formValues(r.body).values };
}

describe('staff replies through the public form', () => {
  let dir; let srv; let ed; let au; let storyPath; let ownPath;
  before(async () => {
    dir = a.makeNewsroom({ conf: { comment_min_seconds: 5 } });
    srv = await h.startServer(dir);
    ed = await a.signedIn(srv.url, 'editor');
    au = await a.signedIn(srv.url, 'author');
    storyPath = h.SEED_PATH;
    const own = await a.writeStory(au, { title: 'Harbour cranes return to Baku', body: 'The cranes are back.' });
    ownPath = await a.publicPath(au, own);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('a reader\'s page has no token and the usual fields; a staff member\'s has the token and no name fields', async () => {
    const anon = await h.get(srv.url, storyPath);
    assert.doesNotMatch(anon.body, /gz_csrf/, 'no CSRF token on a reader\'s page');
    assert.match(anon.headers['cache-control'], /^public/);
    const f = h.formValues(anon.body).values;
    assert.ok('author' in f && 'email' in f, 'a reader types a name and an email');
    const { page, values } = await staffForm(ed, storyPath);
    assert.equal(values.gz_csrf, ed.csrf, 'the form carries the session\'s token');
    assert.ok(!('author' in values) && !('email' in values) && !('url' in values), 'no name, email or website fields');
    assert.match(h.textOf(page.body), /Replying as Test Editor Editor/);
    assert.match(page.headers['cache-control'], /private|no-store/, 'the staff view is never public');
    const again = await h.get(srv.url, storyPath);
    assert.doesNotMatch(again.body, /gz_csrf|Replying as/, 'the cached page is still the reader\'s');
  });

  test('a staff comment is approved at once (no wait for comment_min_seconds), under the account, with the role badge, in the stored thread', async () => {
    const { values } = await staffForm(ed, storyPath);
    const text = 'Thank you for reading: the minister\'s visit is on our live page.';
    const r = await ed.post('/comments', { ...values, comment: text }, { csrf: false });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const m = new RegExp(`^${storyPath}#comment-(\\d+)$`).exec(r.headers.location);
    assert.ok(m, `straight to the comment, no moderation link: ${r.headers.location}`);
    const id = Number(m[1]);
    const row = sql(dir, `SELECT status, author, email, CASE WHEN user_id = (SELECT id FROM users WHERE email = '${a.email('editor')}') THEN 1 ELSE 0 END, user_role FROM comments WHERE id = ${id}`);
    assert.equal(row, `1|Test Editor|${a.email('editor')}|1|editor`, 'approved, the account\'s name and email, its id and role');
    const page = await h.get(srv.url, storyPath);
    assert.equal(badgeOf(page.body, id), 'Editor');
    assert.match(commentLi(page.body, id), /class="comment depth-1 byuser"/);
    const stored = sql(dir, `SELECT html FROM comment_threads WHERE story_id = (SELECT story_id FROM comments WHERE id = ${id})`);
    assert.match(stored, new RegExp(`id="comment-${id}"[^]*?<span class="comment-badge">Editor</span>`), 'the badge is in the stored thread');
  });

  test('a staff comment spends no form stamp: the session and its token are the proof', async () => {
    const { values } = await staffForm(ed, storyPath);
    const spent = sql(dir, 'SELECT count(*) FROM comment_stamps');
    for (const text of ['A first note from the desk.', 'And a second, from the same form.']) {
      const r = await ed.post('/comments', { ...values, comment: text }, { csrf: false });
      assert.equal(r.status, 303, `${text}: ${h.textOf(r.body).slice(0, 300)}`);
    }
    assert.equal(sql(dir, 'SELECT count(*) FROM comment_stamps'), spent, 'nothing spent');
  });

  test('the story\'s author gets "Author of this story", also as a reply', async () => {
    const parent = await readerComment(srv, ownPath, 'Are the old cranes kept?', {}, 5);
    h.approve(dir, parent);
    const { page, values } = await staffForm(au, `${ownPath}?replytocom=${parent}`);
    assert.match(h.textOf(page.body), /Replying as Test Author Author of this story/);
    const r = await au.post('/comments', { ...values, comment: 'They are, in the museum.' }, { csrf: false });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const id = Number(/#comment-(\d+)$/.exec(r.headers.location)[1]);
    const html = (await h.get(srv.url, ownPath)).body;
    assert.equal(badgeOf(html, id), 'Author of this story');
    assert.match(commentLi(html, id), /class="comment depth-2 byuser bypostauthor"/);
    assert.equal(badgeOf(html, parent), null, 'the reader\'s comment has no badge');
  });

  test('given to another author, the story\'s thread shows the first author\'s role instead', async () => {
    const id = Number(sql(dir, `SELECT id FROM stories WHERE slug = '${ownPath.split('/').pop()}'`));
    const editorId = sql(dir, `SELECT id FROM users WHERE email = '${a.email('editor')}'`);
    // a first save keeps the publication time to the minute the editor shows, so the
    // second changes the author alone (not the address, which re-renders a thread too)
    assert.equal((await ed.post(`/admin/stories/${id}/publish`, await a.editorValues(ed, id))).status, 303);
    const v = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...v, author: editorId });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const reply = Number(sql(dir, `SELECT id FROM comments WHERE story_id = ${id} AND user_id != 0`));
    const html = (await h.get(srv.url, ownPath)).body;
    assert.equal(badgeOf(html, reply), 'Author', 'the role the writer had');
    assert.doesNotMatch(commentLi(html, reply), /bypostauthor/);
    const stored = sql(dir, `SELECT html FROM comment_threads WHERE story_id = ${id}`);
    assert.match(stored, /<span class="comment-badge">Author<\/span>/, 'the stored thread was rendered again');
    assert.doesNotMatch(stored, /Author of this story/);
  });

  test('CSRF still required: no token is a reader\'s held comment; a wrong token or another Origin is refused', async () => {
    const { values } = await staffForm(ed, storyPath);
    const before = h.listComments(dir).length;
    const wrong = await ed.post('/comments', { ...values, gz_csrf: 'ab'.repeat(32), comment: 'Forged staff comment.' }, { csrf: false });
    assert.equal(wrong.status, 403);
    assert.match(h.textOf(wrong.body), /Nothing was saved/);
    const foreign = await ed.post('/comments', { ...values, comment: 'Cross-site staff comment.' },
      { csrf: false, headers: { Origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(h.listComments(dir).length, before, 'nothing stored');
    // a reader's form (no token) sent from a signed-in browser: held like anyone's
    const anon = h.hiddenFields((await h.get(srv.url, storyPath)).body);
    await new Promise((res) => setTimeout(res, 5100)); // comment_min_seconds for a reader
    const r = await ed.post('/comments', { ...anon, gz_website: '', comment: 'Sent from a reader\'s form.',
      author: 'Somebody', email: 'somebody@example.com' }, { csrf: false });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    assert.match(r.headers.location, /\?unapproved=\d+&moderation-hash=/, 'held for moderation');
    const id = Number(/#comment-(\d+)$/.exec(r.headers.location)[1]);
    assert.equal(sql(dir, `SELECT status, user_id, user_role FROM comments WHERE id = ${id}`), '0|0|', 'a reader\'s comment');
  });

  test('a staff comment still needs text and a reply target that exists', async () => {
    const { values } = await staffForm(ed, storyPath);
    const empty = await ed.post('/comments', { ...values, comment: '   ' }, { csrf: false });
    assert.equal(empty.status, 422);
    assert.match(h.textOf(empty.body), /Please enter your comment!/);
    const gone = await ed.post('/comments', { ...values, comment: 'To nobody.', comment_parent: '999999' }, { csrf: false });
    assert.equal(gone.status, 422);
    assert.match(h.textOf(gone.body), /The comment you replied to is not available/);
  });
});

describe('Reply in the moderation queue', () => {
  let dir; let srv; let ed; let au; let storyPath;
  before(async () => {
    dir = a.makeNewsroom({ conf: { comment_max_depth: 2 } });
    srv = await h.startServer(dir);
    ed = await a.signedIn(srv.url, 'editor');
    au = await a.signedIn(srv.url, 'author');
    storyPath = h.SEED_PATH;
  });
  after(async () => { if (srv) await srv.stop(); });

  test('each comment in the queue has a Reply form posting to its own route with the token', async () => {
    const held = await readerComment(srv, storyPath, 'When does the next round of talks start?');
    const q = await ed.get('/admin/comments');
    const form = h.findElement(q.body, 'form', (x) => x.id === `reply-form-${held}`);
    assert.ok(form, 'a reply form for the held comment');
    assert.match(form, new RegExp(`action="/admin/comments/${held}/reply"`));
    assert.match(form, new RegExp(`name="gz_csrf" value="${ed.csrf}"`));
    assert.match(q.body, new RegExp(`<textarea id="reply-${held}" name="comment"[^>]*form="reply-form-${held}"`));
    assert.match(q.body, new RegExp(`<button type="submit" form="reply-form-${held}" id="reply-submit-${held}"[^>]*>Approve and reply<`));
  });

  test('Reply approves the held comment, publishes the answer under it with the badge, and returns to the queue', async () => {
    const held = await readerComment(srv, storyPath, 'Will the visa rules change?');
    const r = await ed.post(`/admin/comments/${held}/reply`, { comment: 'Yes, from January.', back: 'pending' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/admin/comments?status=pending&msg=approved-replied');
    const q = await ed.get(r.headers.location);
    assert.match(h.textOf(q.body), /Comment approved and your reply published on the story/);
    const reply = Number(sql(dir, `SELECT id FROM comments WHERE parent_id = ${held}`));
    assert.equal(sql(dir, `SELECT status FROM comments WHERE id IN (${held}, ${reply}) ORDER BY id`), '1\n1');
    const page = (await h.get(srv.url, storyPath)).body;
    const parentLi = h.findElement(page, 'li', (x) => x.id === `comment-${held}`);
    assert.ok(parentLi && parentLi.includes(`id="comment-${reply}"`), 'the reply is nested under the comment');
    assert.equal(badgeOf(page, reply), 'Editor');
    assert.match(commentLi(page, reply), /Yes, from January\./);
  });

  test('too deep, empty, spam: refused with a message and nothing stored', async () => {
    const top = await readerComment(srv, storyPath, 'First level.');
    h.approve(dir, top);
    const second = await readerComment(srv, storyPath, 'Second level.', { comment_parent: String(top) });
    h.approve(dir, second);
    const count = () => Number(sql(dir, 'SELECT count(*) FROM comments'));
    const n = count();
    const deep = await ed.post(`/admin/comments/${second}/reply`, { comment: 'Third level.', back: 'all' });
    assert.equal(deep.headers.location, '/admin/comments?status=all&msg=reply-too-deep');
    assert.match(h.textOf((await ed.get(deep.headers.location)).body), /replies cannot be nested any deeper here/);
    const empty = await ed.post(`/admin/comments/${top}/reply`, { comment: '  ' });
    assert.equal(empty.headers.location, '/admin/comments?msg=reply-empty');
    const spam = await readerComment(srv, storyPath, 'Buy cheap watches.');
    await ed.post(`/admin/comments/${spam}/spam`);
    const refused = await ed.post(`/admin/comments/${spam}/reply`, { comment: 'No.' });
    assert.equal(refused.headers.location, '/admin/comments?msg=reply-unavailable');
    assert.equal(count(), n + 1, 'only the spam comment itself was added');
    const ok = await ed.post(`/admin/comments/${top}/reply`, { comment: 'Second level, from the desk.' });
    assert.equal(ok.headers.location, '/admin/comments?msg=replied');
  });

  test('the route is guarded: a token is needed, and an author answers only on own stories', async () => {
    const held = await readerComment(srv, storyPath, 'A question for the desk.');
    const noToken = await ed.post(`/admin/comments/${held}/reply`, { comment: 'Without a token.' }, { csrf: false });
    assert.equal(noToken.status, 403);
    const notHers = await au.post(`/admin/comments/${held}/reply`, { comment: 'Not my story.' });
    assert.equal(notHers.status, 403);
    assert.equal(sql(dir, `SELECT count(*) FROM comments WHERE parent_id = ${held}`), '0');
    assert.equal(sql(dir, `SELECT status FROM comments WHERE id = ${held}`), '0', 'still held');
  });
});
