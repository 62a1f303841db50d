'use strict';
// Issue 12 point 2: list pages are found from a cursor (the story next to
// the page), so a deep page costs one index seek; ?page=N alone reaches only
// the first pages, and anything past the end is a cheap 404. Sections list
// their descendants' stories from section_stories and tags from story_tags,
// both kept by triggers: these tests move, unpublish and re-parent and check
// the lists follow.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const h = require('./helpers');

const STORY_URL_RE = /^\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9-]+$/;
let srv, dir, stories;

function sql(q) {
  return h.sql(dir, q);
}

function storyLinks(html) {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  const seen = [];
  for (const a of h.findLinks(main)) {
    const p = a.href && h.splitLocation(a.href).pathname;
    if (p && STORY_URL_RE.test(p) && !seen.includes(p)) seen.push(p);
  }
  return seen;
}

function relLink(html, rel) {
  const a = h.findLinks(html).find((l) => l.attrs.rel === rel);
  return a ? a.href : null;
}

// Follows rel=next from start to the end; returns [pages visited, stories].
async function walk(start, rel = 'next') {
  const seen = [], pages = [];
  for (let url = start; url; ) {
    let r = await h.get(srv.url, url);
    if (r.status === 302) { // a page of newer stories that reaches the newest
      url = r.headers.location;
      r = await h.get(srv.url, url);
    }
    assert.equal(r.status, 200, `${url} answers 200`);
    pages.push(url);
    seen.push(...storyLinks(r.body));
    url = relLink(r.body, rel);
    assert.ok(pages.length < 50, 'the walk ends');
  }
  return [pages, seen];
}

before(async () => {
  dir = h.makeSite({ demo: true, conf: { per_page: 2, cache_size: 0 } });
  srv = await h.startServer(dir);
  stories = h.demoStories();
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

describe('keyset pagination', () => {
  test('older links name the story before them and reach every story once, newest first', async () => {
    const [pages, seen] = await walk('/');
    assert.deepEqual(seen, stories.map((s) => s.url));
    assert.equal(pages.length, Math.ceil(stories.length / 2));
    for (const [i, p] of pages.slice(1).entries())
      assert.match(p, new RegExp(`^/\\?page=${i + 2}&before=-?\\d+\\.\\d+$`), p);
  });

  test('newer links lead back from the last page to the first, through the same pages', async () => {
    const [pages] = await walk('/');
    const last = pages[pages.length - 1];
    const [back, seen] = await walk(last, 'prev');
    assert.equal(back[back.length - 1], '/');
    assert.equal(back.length, pages.length);
    assert.deepEqual(new Set(seen), new Set(stories.map((s) => s.url)));
    // each page reached backwards shows what the forward walk showed
    const fwd = [];
    for (const p of pages) fwd.push(storyLinks((await h.get(srv.url, p)).body).join(' '));
    const bwd = [];
    for (const p of back) bwd.push(storyLinks((await h.get(srv.url, p)).body).join(' '));
    assert.deepEqual(bwd.reverse(), fwd);
  });

  test('the first pages answer to ?page=N alone; deeper ones only with a cursor', async () => {
    const p2 = await h.get(srv.url, '/?page=2');
    assert.equal(p2.status, 200);
    assert.deepEqual(storyLinks(p2.body), stories.slice(2, 4).map((s) => s.url));
    const deep = await h.get(srv.url, '/?page=51');
    assert.equal(deep.status, 404);
    assert.match(deep.body, /There is no such page of stories/);
    // it reads nothing, and one kept per page number would let anyone
    // fill the page cache: not public
    assert.doesNotMatch(deep.headers['cache-control'] || '', /public/);
  });

  test('past the end, a malformed cursor or two cursors: 404 or 400, never a 500', async () => {
    const oldest = sql("SELECT published_at || '.' || id FROM stories WHERE status = 3 ORDER BY published_at, id LIMIT 1");
    assert.equal((await h.get(srv.url, `/?page=9&before=${oldest}`)).status, 404);
    assert.equal((await h.get(srv.url, `/tag/pakistan?page=9&before=${oldest}`)).status, 404);
    for (const q of ['before=x', 'before=1.', 'before=.5', 'before=1.0', 'before=1.-5', 'after=99999999999999999999.1',
      'before=1.2&after=1.2', 'before=1.2.3', 'before=%00', 'before=01.2', 'before=1.02', 'before=-0.2', 'before=+1.2'])
      assert.equal((await h.get(srv.url, `/?page=3&${q}`)).status, 400, q);
    assert.equal((await h.get(srv.url, '/?before=1.2')).status, 404, 'a cursor is never page 1');
  });

  test('a page of newer stories that reaches the newest sends the reader to the first page', async () => {
    const second = sql("SELECT published_at || '.' || id FROM stories WHERE status = 3 ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET 1");
    const newest = sql("SELECT published_at || '.' || id FROM stories WHERE status = 3 ORDER BY published_at DESC, id DESC LIMIT 1");
    for (const c of [second, newest]) { // nothing newer than the newest at all: the first page too
      const r = await h.get(srv.url, `/?page=2&after=${c}`);
      assert.equal(r.status, 302, c);
      assert.equal(r.headers.location, '/');
    }
  });

  test('a tag page walks the same way and drops a story as soon as it is unpublished', async () => {
    const tagged = sql("SELECT s.slug FROM stories s JOIN story_tags x ON x.story_id = s.id JOIN tags t ON t.id = x.tag_id WHERE t.slug = 'pakistan' AND s.status = 3 ORDER BY s.published_at DESC, s.id DESC").split('\n');
    assert.ok(tagged.length >= 3, 'the demo tags several stories Pakistan');
    let [, seen] = await walk('/tag/pakistan');
    assert.deepEqual(seen.map((u) => u.split('/').pop()), tagged);
    const gone = tagged[1];
    sql(`UPDATE stories SET status = 1 WHERE slug = '${gone}'`);
    [, seen] = await walk('/tag/pakistan');
    assert.deepEqual(seen.map((u) => u.split('/').pop()), tagged.filter((s) => s !== gone));
    sql(`UPDATE stories SET status = 3 WHERE slug = '${gone}'`);
  });

  test("a section lists its subsections' stories, and follows a story or a subsection that moves", async () => {
    h.gz(['section', 'add', '--site', dir, '--parent', 'world', 'Asia']);
    h.gz(['section', 'add', '--site', dir, 'Region']);
    const slug = sql("SELECT slug FROM stories WHERE status = 3 AND section_id = (SELECT id FROM sections WHERE slug = 'business') LIMIT 1");
    sql(`UPDATE stories SET section_id = (SELECT id FROM sections WHERE slug = 'asia') WHERE slug = '${slug}'`);
    const has = async (p) => (await walk(p))[1].some((u) => u.endsWith('/' + slug));
    assert.ok(await has('/section/world'), 'the parent lists its child section\'s story');
    assert.ok(await has('/section/world/asia'));
    assert.ok(!(await has('/section/business')), 'the old section no longer lists it');
    const feed = await h.get(srv.url, '/section/world/feed');
    assert.match(feed.body, new RegExp(slug), "the parent's feed has it too");
    // the subsection moves to another parent: its story goes with it
    h.gz(['section', 'rename', '--site', dir, '--parent', 'region', 'asia', 'Asia']);
    assert.ok(!(await has('/section/world')), 'the old parent lets it go');
    assert.ok(await has('/section/region'), 'the new parent lists it');
    assert.ok(await has('/section/region/asia'));
  });
});
