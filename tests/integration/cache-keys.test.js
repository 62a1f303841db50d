'use strict';
// The page cache keys a page by the query variables its route reads (issue
// 12, point 2): "?utm_source=x" or "?r=<random>" is the same entry, so a
// stranger cannot make every request a miss; the variables a page does read
// (page, q, replytocom) still give their own pages, and WordPress's query
// addresses still reach their redirects.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('cache keys', () => {
  let dir; let srv;
  // A change made behind the server's back (nothing in the change log): a
  // page served from the cache does not show it, a page built again does.
  function behindTheBack(q) { h.sql(dir, q); }
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { search_rate_per_minute: 100000 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); h.cleanupSites(); });

  test('a query variable a page does not read is served from the page\'s entry', async () => {
    const home = await h.get(srv.url, '/');
    const search = await h.get(srv.url, '/search?q=baku');
    assert.equal(home.status, 200);
    assert.ok(search.body.includes('Baku'));
    behindTheBack(`UPDATE stories SET title = title || ' UNLOGGED' WHERE slug = '${h.SEED_SLUG}'`);
    await sleep(1100);
    for (const p of ['/?r=12345', '/?utm_source=mail&utm_medium=x', `/?r=${Math.random()}`]) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 200);
      assert.ok(!r.body.includes('UNLOGGED'), `${p} came from the cache`);
    }
    const s = await h.get(srv.url, '/search?utm=1&q=baku&r=2');
    assert.ok(!s.body.includes('UNLOGGED'), 'a search with extra variables came from its entry');
    // what a page reads still makes its own page
    const page2 = await h.get(srv.url, '/?page=2&r=9');
    assert.equal(page2.status, 200);
    assert.match(page2.body, /Page 2/);
    const energy = await h.get(srv.url, '/search?q=energy&r=1');
    assert.ok(/energy/i.test(h.textOf(energy.body)) && energy.body !== s.body, 'another q is another page');
    behindTheBack(`UPDATE stories SET title = replace(title, ' UNLOGGED', '') WHERE slug = '${h.SEED_SLUG}'`);
  });

  test('a story\'s reply form (replytocom) is not the plain page\'s entry', async () => {
    const plain = await h.get(srv.url, h.SEED_PATH);
    const id = /id="comment-(\d+)"/.exec(plain.body)[1];
    const reply = await h.get(srv.url, `${h.SEED_PATH}?replytocom=${id}&utm_source=x`);
    assert.equal(reply.status, 200);
    assert.match(reply.body, /Reply to /);
    assert.match(reply.body, /Cancel reply/);
    const again = await h.get(srv.url, `${h.SEED_PATH}?utm_source=x`);
    assert.doesNotMatch(again.body, /Cancel reply/);
  });

  test('a page past a list\'s end is a 404 kept in the cache like a page; a page found from a cursor is not kept', async () => {
    const q = (sql) => h.sql(dir, sql);
    const tagged = Number(q("SELECT count(*) FROM story_tags x JOIN tags t ON t.id = x.tag_id JOIN stories s ON s.id = x.story_id WHERE t.slug = 'pakistan' AND s.status = 3"));
    assert.ok(tagged > 0 && tagged <= 10, 'the demo tags one page of stories Pakistan');
    const first = await h.get(srv.url, '/tag/pakistan?page=2');
    assert.equal(first.status, 404);
    assert.match(first.headers['cache-control'] || '', /public/);
    // every story gets the tag behind the server's back: a page 2 built
    // again would list stories, the kept 404 does not
    behindTheBack("INSERT INTO story_tags(story_id, tag_id, position) SELECT s.id, t.id, 99 FROM stories s, tags t WHERE t.slug = 'pakistan' AND s.status = 3 ON CONFLICT DO NOTHING");
    await sleep(1100);
    const again = await h.get(srv.url, '/tag/pakistan?page=2&utm_source=x');
    assert.equal(again.status, 404, 'the 404 came from the cache');
    assert.equal(again.body, first.body);
    // a page found from a cursor is built each time
    const tenth = q("SELECT s.published_at || '.' || s.id FROM stories s JOIN story_tags x ON x.story_id = s.id JOIN tags t ON t.id = x.tag_id WHERE t.slug = 'pakistan' AND s.status = 3 ORDER BY s.published_at DESC, s.id DESC LIMIT 1 OFFSET 9");
    const url = `/tag/pakistan?page=2&before=${tenth}`;
    const built = await h.get(srv.url, url);
    assert.equal(built.status, 200, 'the cursor page lists the newly tagged stories');
    behindTheBack(`UPDATE stories SET title = title || ' UNLOGGED' WHERE id = (SELECT story_id FROM story_tags x JOIN tags t ON t.id = x.tag_id WHERE t.slug = 'pakistan' AND x.status = 3 AND (x.published_at || '.' || x.story_id) != '${tenth}' AND x.published_at <= ${tenth.split('.')[0]} ORDER BY x.published_at DESC, x.story_id DESC LIMIT 1)`);
    await sleep(1100);
    const fresh = await h.get(srv.url, url);
    assert.ok(fresh.body.includes('UNLOGGED'), 'the cursor page was built again');
    behindTheBack("UPDATE stories SET title = replace(title, ' UNLOGGED', '')");
    behindTheBack("DELETE FROM story_tags WHERE position = 99");
  });
});
