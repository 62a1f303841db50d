'use strict';
// A story's comment feeds follow it when its address changes (issue 11, point 5): after
// a slug change the old STORY/comments/feed, feed.atom and feed.json answer 301 with the
// new address plus the same suffix, as the old story address does.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

let srv; let au;
before(async () => {
  srv = await h.startServer(a.makeNewsroom());
  au = await a.signedIn(srv.url, 'author');
});
after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

test('after a slug change the old comment-feed addresses answer 301 to the new ones', async () => {
  const id = await a.writeStory(au, { title: 'Ferries to Bandar Anzali', body: 'The ferry runs twice a week.' });
  const oldPath = await a.publicPath(au, id);
  for (const feed of ['feed', 'feed.atom', 'feed.json']) {
    assert.equal((await h.get(srv.url, `${oldPath}/comments/${feed}`)).status, 200, `${feed} before the change`);
  }
  const v = await a.editorValues(au, id);
  const r = await au.post(`/admin/stories/${id}/publish`, { ...v, slug: 'caspian-ferries-resume' });
  assert.equal(r.status, 303);
  const newPath = await a.publicPath(au, id);
  assert.notEqual(newPath, oldPath);
  assert.equal(h.splitLocation((await h.get(srv.url, oldPath)).headers.location).pathname, newPath,
    'the story itself moved with a 301');
  for (const feed of ['feed', 'feed.atom', 'feed.json']) {
    const old = await h.get(srv.url, `${oldPath}/comments/${feed}`);
    assert.equal(old.status, 301, `${oldPath}/comments/${feed}`);
    assert.equal(h.splitLocation(old.headers.location).pathname, `${newPath}/comments/${feed}`);
    const now = await h.get(srv.url, `${newPath}/comments/${feed}`);
    assert.equal(now.status, 200);
    assert.ok(now.body.includes('Ferries to Bandar Anzali'), `the ${feed} names the story`);
  }
  const unknown = await h.get(srv.url, `${oldPath}/comments/feed.rss`);
  assert.equal(unknown.status, 404, 'a feed name the site does not have is still a 404');
  const never = await h.get(srv.url, '/2024/01/01/no-such-story/comments/feed');
  assert.equal(never.status, 404, 'an address that never existed is still a 404');
});
