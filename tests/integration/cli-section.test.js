'use strict';
// `gazette section` (issue 11): add, list, rename and delete sections from
// the shell, by the admin's rules, with a running server's cached pages
// following at once.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

after(() => h.cleanupSites());

function sections(dir) {
  return h.gz(['section', 'list', '--site', dir]).split('\n').filter(Boolean).map((l) => {
    const [id, url, name, count] = l.split('\t');
    return { id: Number(id), url, name: name.trim(), depth: (name.length - name.trimStart().length) / 2, count };
  });
}

describe('gazette section', () => {
  let dir; let srv;
  before(async () => {
    dir = h.makeSite({ demo: false });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('--help documents the commands and options; gazette --help lists it', () => {
    const r = h.gzRun(['section', '--help']);
    assert.equal(r.status, 0);
    for (const s of ['section add --site DIR', '--parent SLUG', '--description TEXT', 'section list',
      'section rename', 'section delete', '--move-to SLUG', '--slug']) {
      assert.ok(r.stdout.includes(s), `--help mentions ${s}:\n${r.stdout}`);
    }
    assert.match(h.gzRun(['--help']).stdout, /section\s+add, list, rename and delete/);
  });

  test('usage errors exit 2 and change nothing', () => {
    assert.equal(h.gzRun(['section', 'add', 'World']).status, 2, 'no --site');
    assert.equal(h.gzRun(['section', 'frob', '--site', dir]).status, 2);
    assert.equal(h.gzRun(['section', 'add', '--site', dir, 'A', 'B']).status, 2);
    assert.equal(h.gzRun(['section', 'rename', '--site', dir, 'a']).status, 2);
    assert.equal(h.gzRun(['section', 'add', '--site', dir, '--bogus', 'A']).status, 2);
    assert.deepEqual(sections(dir), []);
  });

  test('add (with --parent and --description) and list; the running server shows them', async () => {
    await h.get(srv.url, '/'); // cached without sections
    let r = h.gzRun(['section', 'add', '--site', dir, '--description', 'News from everywhere', 'World']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /added section \d+: World \(\/section\/world\)/);
    r = h.gzRun(['section', 'add', '--site', dir, '--parent', 'world', 'Asia']);
    assert.equal(r.status, 0, r.stderr);
    const list = sections(dir);
    assert.deepEqual(list.map((s) => [s.url, s.name, s.depth]),
      [['/section/world', 'World', 0], ['/section/world/asia', 'Asia', 1]]);
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /<a href="\/section\/world">World<\/a>/, 'the cached home page was dropped');
    const page = await h.get(srv.url, '/section/world');
    assert.match(page.body, /<p class="list-description">News from everywhere<\/p>/);
    assert.equal((await h.get(srv.url, '/section/world/asia')).status, 200);
  });

  test('add refuses a taken address or a missing parent (exit 1, a message)', () => {
    let r = h.gzRun(['section', 'add', '--site', dir, 'World']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /address name "world" exists/);
    r = h.gzRun(['section', 'add', '--site', dir, '--parent', 'nowhere', 'Lost']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no section "nowhere"/);
    assert.equal(sections(dir).length, 2);
  });

  test('rename: a new name and address; the old addresses answer 301', async () => {
    await h.get(srv.url, '/');
    const r = h.gzRun(['section', 'rename', '--site', dir, '--slug', 'globe', 'world', 'Globe']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /is Globe \(\/section\/globe\)/);
    assert.deepEqual(sections(dir).map((s) => s.url), ['/section/globe', '/section/globe/asia']);
    const old = await h.get(srv.url, '/section/world/asia');
    assert.equal(old.status, 301);
    assert.equal(old.headers.location, '/section/globe/asia');
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /<a href="\/section\/globe">Globe<\/a>/);
    assert.doesNotMatch(home.body, /section\/world/);
    // a rename without --slug keeps the address
    assert.equal(h.gzRun(['section', 'rename', '--site', dir, 'asia', 'Asia-Pacific']).status, 0);
    assert.deepEqual(sections(dir).map((s) => [s.url, s.name]), [['/section/globe', 'Globe'], ['/section/globe/asia', 'Asia-Pacific']]);
    // a section cannot go inside its own subsection
    const loop = h.gzRun(['section', 'rename', '--site', dir, '--parent', 'asia', 'globe', 'Globe']);
    assert.equal(loop.status, 1);
    assert.match(loop.stderr, /inside itself or one of its subsections/);
  });

  test('delete: refused onto itself; children move up; --move-to takes the address', async () => {
    h.gz(['section', 'add', '--site', dir, 'Business']);
    let r = h.gzRun(['section', 'delete', '--site', dir, '--move-to', 'globe', 'globe']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot be moved to the section itself/);
    r = h.gzRun(['section', 'delete', '--site', dir, '--move-to', 'business', 'globe']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sections(dir).map((s) => [s.url, s.depth]), [['/section/asia', 0], ['/section/business', 0]]);
    const old = await h.get(srv.url, '/section/globe');
    assert.equal(old.status, 301);
    assert.equal(old.headers.location, '/section/business');
    r = h.gzRun(['section', 'delete', '--site', dir, 'nothing-here']);
    assert.equal(r.status, 1);
  });
});

describe('gazette section with stories', () => {
  test('a section with stories is not deleted without --move-to', () => {
    const dir = h.makeSite({ demo: true });
    const world = sections(dir).find((s) => s.url === '/section/world');
    assert.ok(world && !world.count.startsWith('0 '), 'the demo\'s World has stories');
    let r = h.gzRun(['section', 'delete', '--site', dir, 'world']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /has stories: choose a section to move them to/);
    assert.ok(sections(dir).some((s) => s.url === '/section/world'), 'still there');
    const before = Number(world.count.split(' ')[0]);
    const target = sections(dir).find((s) => s.url !== '/section/world');
    r = h.gzRun(['section', 'delete', '--site', dir, '--move-to', target.url.split('/').pop(), 'world']);
    assert.equal(r.status, 0, r.stderr);
    const after = sections(dir).find((s) => s.id === target.id);
    assert.equal(Number(after.count.split(' ')[0]), Number(target.count.split(' ')[0]) + before);
  });
});

describe('nested sections leave the site as they are', () => {
  test('the WXR export names each category\'s parent, parents first; the JSON export keeps the tree', () => {
    const dir = h.makeSite({ demo: false });
    h.gz(['section', 'add', '--site', dir, 'World']);
    h.gz(['section', 'add', '--site', dir, '--parent', 'world', 'Asia']);
    const xml = h.gz(['export', 'wordpress', '--site', dir]);
    const cats = [...xml.matchAll(/<wp:category_nicename><!\[CDATA\[([^\]]*)\]\]><\/wp:category_nicename>\s*<wp:category_parent><!\[CDATA\[([^\]]*)\]\]>/g)]
      .map((m) => [m[1], m[2]]);
    assert.deepEqual(cats, [['world', ''], ['asia', 'world']]);
    const j = JSON.parse(h.gz(['export', 'json', '--site', dir]));
    assert.deepEqual(j.sections.map((x) => [x.slug, x.path, x.parent_id === 0]),
      [['world', 'world', true], ['asia', 'world/asia', false]]);
    assert.equal(j.sections[1].parent_id, j.sections[0].id);
  });
});
