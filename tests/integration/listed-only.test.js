'use strict';
// Tag and author pages exist only while they list a published story (issue
// 12, point 4): a tag used only by drafts would show an embargoed topic's
// name, and every account's author page and feed would list the staff.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

describe('pages of tags and authors with nothing published', () => {
  let srv;
  before(async () => { srv = await h.startServer(a.makeNewsroom()); });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('a tag only drafts use answers 404 until a story with it is published', async () => {
    const ed = await a.signedIn(srv.url, 'editor');
    const tag = `Embargoed merger ${Date.now()}`;
    const slug = h.slugify(tag);
    const id = await a.writeStory(ed, { title: 'Under embargo', excerpt: 'x', body: 'Not yet.', section: '1', tags: tag }, 'save');
    for (const p of [`/tag/${slug}`, `/tag/${slug}/feed`, `/tag/${slug}/feed.json`]) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 404, p);
      assert.ok(!r.body.includes(tag), `${p} does not name the tag`);
    }
    const v = await a.editorValues(ed, id);
    const p = await ed.post(`/admin/stories/${id}/publish`, { ...v, section: '1' });
    assert.equal(p.status, 303);
    const r = await h.get(srv.url, `/tag/${slug}`);
    assert.equal(r.status, 200);
    assert.ok(r.body.includes('Under embargo'));
  });

  test('an account that never published has no author page or feed', async () => {
    const slug = h.slugify(a.userName('contributor'));
    for (const p of [`/author/${slug}`, `/author/${slug}/feed`, `/author/${slug}/feed.atom`]) {
      assert.equal((await h.get(srv.url, p)).status, 404, p);
    }
    // a demo author who has published stories keeps hers
    assert.equal((await h.get(srv.url, '/author/amira-haddad')).status, 200);
    assert.equal((await h.get(srv.url, '/author/amira-haddad/feed')).status, 200);
  });
});
