'use strict';
// Moderating comments: the queue, approving onto the page at once, spam/trash
// and back, delete, bulk actions, edits, counts, and the comment settings.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

let seq = 0;
async function comment(base, path, fields = {}) {
  const hid = await h.freshHidden(base, path); // a stamp is good for one comment
  seq++;
  return h.postForm(base, '/comments', { ...hid, gz_website: '', comment: `Moderation test comment ${seq} ${Date.now()}`,
    author: `Reader ${seq}`, email: `reader${seq}.${Date.now()}@example.test`, ...fields });
}
const heldId = (r) => Number(/unapproved=(\d+)/.exec(r.headers.location || '')[1]);

describe('the moderation queue', () => {
  let dir; let srv; let ed;
  before(async () => { dir = a.makeNewsroom(); srv = await h.startServer(dir); ed = await a.signedIn(srv.url, 'editor'); });
  after(async () => { if (srv) await srv.stop(); });

  test('a held comment is listed with story, author, email and address; approving shows it on the article at once', async () => {
    const r = await comment(srv.url, h.SEED_PATH, { comment: 'Held until a moderator looks.', author: 'Nadia', email: 'nadia@example.test' });
    assert.equal(r.status, 303);
    const id = heldId(r);
    assert.equal((await h.get(srv.url, h.SEED_PATH)).body.includes('Held until a moderator looks.'), false);
    const q = await ed.get('/admin/comments');
    const li = h.findElement(q.body, 'li', (x) => x.id === `mod-comment-${id}`);
    assert.ok(li, 'in the pending queue');
    const t = h.textOf(li);
    for (const s of ['Nadia', 'nadia@example.test', '127.0.0.1', 'Held until a moderator looks.', h.SEED_TITLE]) assert.ok(t.includes(s), s);
    const menu = h.textOf(h.findElement(q.body, 'nav', (x) => x['aria-label'] === 'Admin'));
    assert.match(menu, /Comments \d+/, 'the menu counts pending comments');
    const ok = await ed.post(`/admin/comments/${id}/approve`, { back: 'pending' });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.location, /\/admin\/comments\?status=pending&msg=approved$/);
    const page = await h.get(srv.url, h.SEED_PATH);
    assert.ok(page.body.includes('Held until a moderator looks.'), 'visible at once');
    assert.ok(h.commentTree(page.body).byId[id]);
  });

  test('spam and trash keep the comment (it can come back); delete removes it for good', async () => {
    const id = heldId(await comment(srv.url, h.SEED_PATH, { comment: 'Round trip comment.' }));
    await ed.post(`/admin/comments/${id}/approve`);
    assert.ok((await h.get(srv.url, h.SEED_PATH)).body.includes('Round trip comment.'));
    assert.equal((await ed.post(`/admin/comments/${id}/spam`)).status, 303);
    assert.equal((await h.get(srv.url, h.SEED_PATH)).body.includes('Round trip comment.'), false);
    assert.ok((await ed.get('/admin/comments?status=spam')).body.includes('Round trip comment.'));
    await ed.post(`/admin/comments/${id}/trash`);
    assert.ok((await ed.get('/admin/comments?status=trash')).body.includes('Round trip comment.'));
    await ed.post(`/admin/comments/${id}/approve`);
    assert.ok((await h.get(srv.url, h.SEED_PATH)).body.includes('Round trip comment.'), 'a mistake undone');
    assert.equal((await ed.post(`/admin/comments/${id}/delete`)).status, 303);
    assert.equal((await h.get(srv.url, h.SEED_PATH)).body.includes('Round trip comment.'), false);
    assert.equal((await ed.get('/admin/comments?status=all')).body.includes('Round trip comment.'), false);
    assert.equal((await ed.post(`/admin/comments/${id}/approve`)).status, 404);
  });

  test('bulk approve and edit', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(heldId(await comment(srv.url, h.SEED_PATH, { comment: `Bulk comment ${i}` })));
    const body = new URLSearchParams({ gz_csrf: ed.csrf, action: 'approve', back: 'pending' });
    for (const id of ids) body.append('ids', String(id));
    const r = await h.postForm(srv.url, '/admin/comments/bulk', body.toString(), { headers: ed.headers() });
    assert.equal(r.status, 303);
    const page = await h.get(srv.url, h.SEED_PATH);
    for (let i = 0; i < 3; i++) assert.ok(page.body.includes(`Bulk comment ${i}`));
    const form = await ed.get(`/admin/comments/${ids[0]}/edit`);
    assert.equal(form.status, 200);
    const v = h.formValues(form.body, 'comment-edit').values;
    const e = await ed.post(`/admin/comments/${ids[0]}/edit`, { ...v, comment: 'Bulk comment 0, corrected by the desk.' });
    assert.equal(e.status, 303);
    assert.ok((await h.get(srv.url, h.SEED_PATH)).body.includes('corrected by the desk'));
  });
});

describe('comment settings', () => {
  let dir; let srv; let admin;
  before(async () => { dir = a.makeNewsroom(); srv = await h.startServer(dir); admin = await a.signedIn(srv.url, 'admin'); });
  after(async () => { if (srv) await srv.stop(); });

  async function settings(fields) {
    const r = await admin.post('/admin/settings', { close_days: '0', max_links: '2', hold_words: '', reject_words: '', ...fields });
    assert.equal(r.status, 303);
  }

  test('reject words refuse, hold words and too many links hold even a known commenter', async () => {
    // a known commenter (earlier approved comment) is approved automatically...
    const first = await comment(srv.url, h.SEED_PATH, { author: 'Known Person', email: 'known@example.test', comment: 'My first words.' });
    await admin.post(`/admin/comments/${heldId(first)}/approve`);
    const again = await comment(srv.url, h.SEED_PATH, { author: 'Known Person', email: 'known@example.test', comment: 'Approved straight away.' });
    assert.doesNotMatch(again.headers.location, /unapproved=/);
    await settings({ hold_words: 'casino\n', reject_words: 'viagra\n', max_links: '1' });
    const rej = await comment(srv.url, h.SEED_PATH, { author: 'Known Person', email: 'known@example.test', comment: 'Cheap VIAGRA here' });
    assert.equal(rej.status, 403);
    const held = await comment(srv.url, h.SEED_PATH, { author: 'Known Person', email: 'known@example.test', comment: 'Visit my Casino tonight' });
    assert.match(held.headers.location, /unapproved=/);
    const links = await comment(srv.url, h.SEED_PATH, { author: 'Known Person', email: 'known@example.test', comment: 'See https://a.example and http://b.example' });
    assert.match(links.headers.location, /unapproved=/);
    const one = await comment(srv.url, h.SEED_PATH, { author: 'Known Person', email: 'known@example.test', comment: 'Only https://a.example here' });
    assert.doesNotMatch(one.headers.location, /unapproved=/);
    await settings({});
  });

  test('closing comments site-wide and on old stories hides the form and refuses posts', async () => {
    const hid = h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
    await settings({ closed: '1' });
    let page = await h.get(srv.url, h.SEED_PATH);
    assert.equal(page.body.includes('id="commentform"'), false);
    let r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: 'Closed?', author: 'X', email: 'x@example.test' });
    assert.equal(r.status, 403);
    await settings({ close_days: '30' }); // the seed story is from 2024
    page = await h.get(srv.url, h.SEED_PATH);
    assert.equal(page.body.includes('id="commentform"'), false);
    r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: 'Old story?', author: 'X', email: 'x@example.test' });
    assert.equal(r.status, 403);
    await settings({});
    page = await h.get(srv.url, h.SEED_PATH);
    assert.ok(page.body.includes('id="commentform"'));
  });
});
