'use strict';
// Sections (issue 11): a site made without --demo gets its sections from the
// admin: create, nest (/section/world/asia), describe, rename (the old
// addresses answer 301), reorder for the masthead, delete with the stories
// moved; every change shows at once on pages that were cached before it.
// Authors and contributors cannot manage sections.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

// The masthead's section links, in order: [{name, href}].
function masthead(html) {
  const nav = /<nav class="sections"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(nav, 'the page has the masthead navigation');
  return h.findTags(nav[1], 'a').map((t) => ({ href: t.attrs.href, name: h.textOf(nav[1].slice(t.end).split('</a>')[0]) }));
}

// The admin's section id by name, from /admin/sections.
async function sectionId(client, name) {
  const r = await client.get('/admin/sections');
  const m = new RegExp(`<a href="/admin/sections/(\\d+)">${name}</a>`).exec(r.body);
  assert.ok(m, `section ${name} is listed:\n${h.textOf(r.body).slice(0, 500)}`);
  return m[1];
}

async function addSection(client, fields) {
  const r = await client.post('/admin/sections', fields);
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 400));
  return sectionId(client, fields.name);
}

describe('sections in the newsroom', () => {
  let dir; let srv; let ed; let storyPath; let storyId;
  const ids = {};
  before(async () => {
    dir = a.makeNewsroom({ demo: false });
    srv = await h.startServer(dir);
    ed = await a.signedIn(srv.url, 'editor');
  });
  after(async () => { if (srv) await srv.stop(); });

  test('a fresh site has no sections; the admin says so and offers the form', async () => {
    const r = await ed.get('/admin/sections');
    assert.equal(r.status, 200);
    assert.match(r.body, /id="no-sections"/);
    assert.match(r.body, /<form method="post" action="\/admin\/sections" id="add-section">/);
    const home = await h.get(srv.url, '/');
    assert.deepEqual(masthead(home.body), []);
  });

  test('create: the new section is in the (cached) masthead at once and has its page', async () => {
    await h.get(srv.url, '/'); // cached now
    ids.world = await addSection(ed, { name: 'World', description: '' });
    const home = await h.get(srv.url, '/');
    assert.deepEqual(masthead(home.body), [{ href: '/section/world', name: 'World' }]);
    const page = await h.get(srv.url, '/section/world');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1 class="list-title">World<\/h1>/);
  });

  test('a section may not be named so that it has no address, nor take a taken one', async () => {
    let r = await ed.post('/admin/sections', { name: '!!!' });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /at least one letter or digit/);
    r = await ed.post('/admin/sections', { name: 'World news', slug: 'world' });
    assert.equal(r.status, 409);
    assert.match(h.textOf(r.body), /address name "world" exists/);
    r = await ed.post('/admin/sections', { name: 'Feeds', slug: 'feed' });
    assert.equal(r.status, 422);
  });

  test('a child section lives at its parent\'s path; the parent lists its stories and links it', async () => {
    ids.asia = await addSection(ed, { name: 'Asia', parent: ids.world });
    const child = await h.get(srv.url, '/section/world/asia');
    assert.equal(child.status, 200);
    assert.match(child.body, /<h1 class="list-title">Asia<\/h1>/);
    assert.match(child.body, /<link rel="canonical" href="http:\/\/[^"]*\/section\/world\/asia">/);
    const short = await h.get(srv.url, '/section/asia');
    assert.equal(short.status, 301);
    assert.equal(short.headers.location, '/section/world/asia');
    const editor = await ed.get('/admin/stories/new');
    assert.match(editor.body, new RegExp(`<option value="${ids.world}"[^>]*>World</option><option value="${ids.asia}"[^>]*>— Asia</option>`),
      'the editor\'s section list shows the nesting');
    const parentBefore = await h.get(srv.url, '/section/world'); // cached, no stories yet
    assert.match(parentBefore.body, /No stories here yet/);
    storyId = await a.writeStory(ed, { title: 'Monsoon reaches Dhaka early', body: 'Rain came.', excerpt: 'Rain.', section: ids.asia });
    storyPath = await a.publicPath(ed, storyId);
    const parent = await h.get(srv.url, '/section/world');
    assert.ok(parent.body.includes(`href="${storyPath}"`), 'the parent page lists its child\'s story');
    assert.match(parent.body, /<nav class="subsections"[^>]*><ul><li><a href="\/section\/world\/asia">Asia<\/a><\/li><\/ul><\/nav>/);
    await addSection(ed, { name: 'Africa', parent: ids.world });
    const two = await h.get(srv.url, '/section/world');
    assert.match(two.body, /<nav class="subsections"[^>]*><ul><li><a href="\/section\/world\/asia">Asia<\/a><\/li><li><a href="\/section\/world\/africa">Africa<\/a><\/li><\/ul><\/nav>/);
    assert.equal(two.body.split('class="subsections"').length, 2, 'the subsections are linked once');
    const feed = await h.get(srv.url, '/section/world/asia/feed');
    assert.equal(feed.status, 200);
    assert.ok(feed.body.includes('Monsoon reaches Dhaka early'));
    const story = await h.get(srv.url, storyPath);
    assert.ok(story.body.includes('href="/section/world/asia"'), 'the story links its section by its path');
    // the masthead shows top-level sections only
    assert.deepEqual(masthead(story.body).map((l) => l.name), ['World']);
  });

  test('describe: the description is on the section page and in its meta description', async () => {
    await h.get(srv.url, '/section/world/asia'); // cached
    const r = await ed.post(`/admin/sections/${ids.asia}`, { name: 'Asia', slug: 'asia', parent: ids.world,
      description: 'News from <Asia> & the Pacific' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const page = await h.get(srv.url, '/section/world/asia');
    assert.match(page.body, /<p class="list-description">News from &lt;Asia&gt; &amp; the Pacific<\/p>/);
    assert.match(page.body, /<meta name="description" content="News from &lt;Asia&gt; &amp; the Pacific">/);
  });

  test('a section cannot become its own ancestor', async () => {
    let r = await ed.post(`/admin/sections/${ids.world}`, { name: 'World', slug: 'world', parent: ids.asia });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /cannot be placed inside itself or one of its subsections/);
    r = await ed.post(`/admin/sections/${ids.world}`, { name: 'World', slug: 'world', parent: ids.world });
    assert.equal(r.status, 422);
    assert.equal((await h.get(srv.url, '/section/world')).status, 200, 'nothing changed');
  });

  test('rename: the old addresses (and their children\'s, and feeds) answer 301; cached pages change', async () => {
    await h.get(srv.url, '/');
    await h.get(srv.url, storyPath);
    const r = await ed.post(`/admin/sections/${ids.world}`, { name: 'Globe', slug: 'globe', description: '' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    for (const [from, to] of [['/section/world', '/section/globe'], ['/section/world/asia', '/section/globe/asia'],
      ['/section/world/feed', '/section/globe/feed'], ['/section/world/asia/feed.atom', '/section/globe/asia/feed.atom']]) {
      const old = await h.get(srv.url, from);
      assert.equal(old.status, 301, from);
      assert.equal(old.headers.location, to);
    }
    assert.equal((await h.get(srv.url, '/section/globe/asia')).status, 200);
    const home = await h.get(srv.url, '/');
    assert.deepEqual(masthead(home.body), [{ href: '/section/globe', name: 'Globe' }]);
    const story = await h.get(srv.url, storyPath);
    assert.ok(story.body.includes('href="/section/globe/asia"'), 'the cached story page shows the new address');
  });

  test('reorder: the masthead follows the order set in the admin', async () => {
    ids.business = await addSection(ed, { name: 'Business' });
    ids.sport = await addSection(ed, { name: 'Sport' });
    let home = await h.get(srv.url, '/');
    assert.deepEqual(masthead(home.body).map((l) => l.name), ['Globe', 'Business', 'Sport']);
    const r = await ed.post(`/admin/sections/${ids.sport}/move`, { direction: 'up' });
    assert.equal(r.status, 303);
    await ed.post(`/admin/sections/${ids.sport}/move`, { direction: 'up' });
    home = await h.get(srv.url, '/');
    assert.deepEqual(masthead(home.body).map((l) => l.name), ['Sport', 'Globe', 'Business']);
    await ed.post(`/admin/sections/${ids.globe || ids.world}/move`, { direction: 'down' });
    home = await h.get(srv.url, '/');
    assert.deepEqual(masthead(home.body).map((l) => l.name), ['Sport', 'Business', 'Globe']);
  });

  test('delete: refused onto itself or with stories and no target; else the stories move', async () => {
    let r = await ed.post(`/admin/sections/${ids.asia}/delete`, { target: ids.asia });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /cannot be moved to the section itself/);
    r = await ed.post(`/admin/sections/${ids.asia}/delete`, { target: '' });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /has stories: choose a section to move them to/);
    assert.equal((await h.get(srv.url, '/section/globe/asia')).status, 200, 'still there');
    const form = await ed.get(`/admin/sections/${ids.asia}`);
    assert.match(form.body, /<select id="section-target" name="target">/);
    await h.get(srv.url, storyPath);
    await h.get(srv.url, '/section/business');
    r = await ed.post(`/admin/sections/${ids.asia}/delete`, { target: ids.business });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const story = await h.get(srv.url, storyPath);
    assert.ok(story.body.includes('href="/section/business"'), 'the story is in Business now');
    const biz = await h.get(srv.url, '/section/business');
    assert.ok(biz.body.includes(`href="${storyPath}"`), 'Business lists it');
    const gone = await h.get(srv.url, '/section/globe/asia');
    assert.equal(gone.status, 301);
    assert.equal(gone.headers.location, '/section/business');
    const list = await ed.get('/admin/sections');
    assert.ok(!list.body.includes('>Asia</a>'));
    // an empty section is deleted without a target
    r = await ed.post(`/admin/sections/${ids.sport}/delete`, { target: '' });
    assert.equal(r.status, 303);
    assert.equal((await h.get(srv.url, '/section/sport')).status, 404);
  });

  test('deleting a parent moves its children up', async () => {
    const parent = await addSection(ed, { name: 'Europe' });
    await addSection(ed, { name: 'France', parent });
    assert.equal((await h.get(srv.url, '/section/europe/france')).status, 200);
    const r = await ed.post(`/admin/sections/${parent}/delete`, { target: '' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    assert.equal((await h.get(srv.url, '/section/france')).status, 200);
    const old = await h.get(srv.url, '/section/europe/france');
    assert.equal(old.status, 301);
    assert.equal(old.headers.location, '/section/france');
  });

  test('authors and contributors cannot manage sections (403); admins can', async () => {
    for (const role of ['author', 'contributor']) {
      const c = await a.signedIn(srv.url, role);
      assert.equal((await c.get('/admin/sections')).status, 403, role);
      assert.equal((await c.post('/admin/sections', { name: `By ${role}` })).status, 403, role);
      assert.equal((await c.post(`/admin/sections/${ids.business}`, { name: 'Taken' })).status, 403, role);
      assert.equal((await c.post(`/admin/sections/${ids.business}/move`, { direction: 'up' })).status, 403, role);
      assert.equal((await c.post(`/admin/sections/${ids.business}/delete`, { target: '' })).status, 403, role);
      const menu = await c.get('/admin/stories');
      assert.ok(!menu.body.includes('href="/admin/sections"'), `${role} has no Sections menu item`);
    }
    const list = await ed.get('/admin/sections');
    assert.ok(list.body.includes('>Business</a>'), 'nothing was changed by them');
    assert.ok(!list.body.includes('By author'));
    const admin = await a.signedIn(srv.url, 'admin');
    assert.equal((await admin.get('/admin/sections')).status, 200);
    assert.match((await admin.get('/admin/stories')).body, /href="\/admin\/sections"/);
  });
});

describe('a fresh site\'s admin says what to do first', () => {
  let dir; let srv;
  before(async () => {
    dir = a.makeNewsroom({ demo: false });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('create a section, then write a story; the steps go as they are done', async () => {
    const ad = await a.signedIn(srv.url, 'admin');
    const landing = await ad.get('/admin');
    assert.equal(landing.status, 303);
    assert.equal(landing.headers.location, '/admin/stories');
    let r = await ad.get('/admin/stories');
    assert.match(r.body, /<section class="first-steps" id="first-steps"/);
    assert.match(r.body, /<a href="\/admin\/sections" id="first-section">Create a section<\/a>/);
    assert.match(r.body, /<a href="\/admin\/stories\/new" id="first-story">Write a story<\/a>/);
    const contributor = await a.signedIn(srv.url, 'contributor');
    r = await contributor.get('/admin/stories');
    assert.match(h.textOf(r.body), /Ask an editor to create a section/);
    assert.ok(!r.body.includes('id="first-section"'), 'no link a contributor cannot follow');

    const sec = await addSection(ad, { name: 'Local' });
    r = await ad.get('/admin/stories');
    assert.ok(!r.body.includes('id="first-section"'));
    assert.match(r.body, /id="first-story"/);
    await a.writeStory(ad, { title: 'First light over the bay', body: 'Morning.', section: sec });
    r = await ad.get('/admin/stories');
    assert.ok(!r.body.includes('first-steps'), 'no steps once there are a section and a story');
  });

  test('a demo site has no first steps', async () => {
    const demo = a.makeNewsroom();
    const s = await h.startServer(demo);
    try {
      const ed = await a.signedIn(s.url, 'editor');
      const r = await ed.get('/admin/stories');
      assert.ok(!r.body.includes('first-steps'));
    } finally { await s.stop(); }
  });
});
