'use strict';
// Static pages (issue 15): About, Contact, Imprint, Privacy from the
// newsroom's own editor; undated, one level of nesting (/about/team), the
// theme's page.html; in /sitemap.xml but never in lists, feeds, search or
// the news sitemap; names a route owns refused (422); a cached page shows
// an edit at once; a moved page's old addresses answer 301.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

// The id of the page saved, from the editor's redirect.
async function savePage(client, fields, id = '') {
  const r = await client.post(id ? `/admin/pages/${id}` : '/admin/pages', { status: 'published', ...fields });
  const m = /^\/admin\/pages\/(\d+)\?msg=page-saved$/.exec(r.headers.location || '');
  assert.ok(r.status === 303 && m, `${r.status} ${h.textOf(r.body).slice(0, 400)}`);
  return m[1];
}

const WORD = 'zanzibarquill';

describe('static pages', () => {
  let srv; let ed; const ids = {};
  before(async () => {
    srv = await h.startServer(a.makeNewsroom());
    ed = await a.signedIn(srv.url, 'editor');
  });
  after(async () => { if (srv) await srv.stop(); });

  test('an editor writes About: it answers at /about in page.html, undated, and the admin lists it', async () => {
    assert.equal((await h.get(srv.url, '/about')).status, 404);
    const form = await ed.get('/admin/pages/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /<form method="post" action="\/admin\/pages" id="page-form">/);
    ids.about = await savePage(ed, { title: 'About us', slug: 'about', body: `We are *the* ${WORD} paper.\n\n## History\n\nFounded long ago.` });
    const r = await h.get(srv.url, '/about');
    assert.equal(r.status, 200);
    assert.match(r.body, /<main id="main" class="static-page"/);
    assert.match(r.body, /<h1 class="page-title">About us<\/h1>/);
    assert.match(r.body, /<div class="page-body"><p>We are <em>the<\/em> zanzibarquill paper.<\/p>\n<h2>History<\/h2>/);
    assert.match(r.body, /<link rel="canonical" href="http:\/\/[^"]+\/about">/);
    assert.doesNotMatch(r.body, /<time|class="byline/, 'undated, no byline');
    const list = await ed.get('/admin/pages');
    assert.match(list.body, new RegExp(`<a href="/admin/pages/${ids.about}">About us</a>`));
    assert.match(list.body, /<a href="\/about">\/about<\/a>/);
  });

  test('a page inside another lives at /about/team and links its parent; no deeper', async () => {
    ids.team = await savePage(ed, { title: 'Our team', slug: 'team', parent: ids.about, body: 'The people.' });
    const r = await h.get(srv.url, '/about/team');
    assert.equal(r.status, 200);
    assert.match(r.body, /<nav class="page-trail" aria-label="Breadcrumb"><a href="\/about">About us<\/a><\/nav>/);
    assert.match(r.body, /<h1 class="page-title">Our team<\/h1>/);
    const deeper = await ed.post('/admin/pages', { title: 'Interns', parent: ids.team, status: 'published' });
    assert.equal(deeper.status, 422);
    assert.match(h.textOf(deeper.body), /inside a top-level page only/);
    const moveParent = await ed.post(`/admin/pages/${ids.about}`, { title: 'About us', slug: 'about', parent: ids.team, status: 'published' });
    assert.equal(moveParent.status, 422);
    assert.equal((await h.get(srv.url, '/about/team/x')).status, 404);
  });

  test('names of the site\'s own addresses and year numbers are refused with a message; nothing is saved', async () => {
    const names = ['admin', 'feed', 'search', 'section', 'tag', 'author', 'media', 'comments',
      'static', 'sitemap.xml', 'robots.txt', 'news-sitemap.xml', 'sitemaps', '2024'];
    for (const slug of names) {
      const r = await ed.post('/admin/pages', { title: `Page ${slug}`, slug, body: 'x', status: 'published' });
      assert.equal(r.status, 422, slug);
      assert.match(h.textOf(r.body), slug === '2024' ? /digits only/ : new RegExp(`"${slug.replace('.', '\\.')}" is the address of a part of the site`), slug);
      assert.match(r.body, new RegExp(`id="page-title" name="title" type="text" value="Page ${slug.replace('.', '\\.')}"`), 'the form comes back filled');
    }
    const byTitle = await ed.post('/admin/pages', { title: 'Search', status: 'published' });
    assert.equal(byTitle.status, 422, 'a slug made from the title is checked too');
    const list = await ed.get('/admin/pages');
    assert.doesNotMatch(list.body, /Page admin|>Search</);
    assert.equal((await h.get(srv.url, '/search?q=x')).status, 200, 'the route still answers');
    const taken = await ed.post('/admin/pages', { title: 'About again', slug: 'about', status: 'published' });
    assert.equal(taken.status, 409);
    assert.match(h.textOf(taken.body), /The address \/about is another page's/);
  });

  test('a draft is not public; publishing shows it', async () => {
    ids.privacy = await savePage(ed, { title: 'Privacy', body: 'No cookies.', status: 'draft' });
    assert.equal((await h.get(srv.url, '/privacy')).status, 404);
    await savePage(ed, { title: 'Privacy', body: 'No cookies.', status: 'published' }, ids.privacy);
    assert.equal((await h.get(srv.url, '/privacy')).status, 200);
  });

  test('pages are in /sitemap.xml, never in lists, feeds, search or the news sitemap', async () => {
    const index = await h.get(srv.url, '/sitemap.xml');
    const m = /<loc>(http:\/\/[^<]+\/sitemaps\/pages-1\.xml)<\/loc>/.exec(index.body);
    assert.ok(m, index.body);
    const pages = await h.get(srv.url, '/sitemaps/pages-1.xml');
    assert.equal(pages.status, 200);
    for (const p of ['/about', '/about/team', '/privacy']) assert.match(pages.body, new RegExp(`<loc>http://[^<]+${p}</loc>`), p);
    for (const p of ['/', '/feed', '/feed.atom', '/feed.json', `/search?q=${WORD}`, '/news-sitemap.xml',
      '/sitemaps/stories-1.xml', '/sitemaps/sections-1.xml']) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 200, p);
      const body = p.startsWith('/search') ? r.body.split(WORD).join('') : r.body; // the query is echoed
      assert.ok(!body.includes(WORD) && !/href="\/about"|\/about<\/loc>|"\/about"|\/privacy/.test(body), `${p} shows no page`);
    }
  });

  test('a cached page shows its edit, its child\'s new address and its removal at once', async () => {
    const e1 = (await h.get(srv.url, '/about')).headers.etag;
    assert.equal((await h.get(srv.url, '/about')).headers.etag, e1, 'cached');
    await h.get(srv.url, '/about/team');
    await h.get(srv.url, '/sitemaps/pages-1.xml');
    await savePage(ed, { title: 'About the paper', slug: 'about', body: 'New text.' }, ids.about);
    let r = await h.get(srv.url, '/about');
    assert.match(r.body, /<h1 class="page-title">About the paper<\/h1>/);
    r = await h.get(srv.url, '/about/team');
    assert.match(r.body, /<a href="\/about">About the paper<\/a>/, 'the child\'s trail follows its parent');
    await savePage(ed, { title: 'About the paper', slug: 'who-we-are', body: 'New text.' }, ids.about);
    for (const [from, to] of [['/about', '/who-we-are'], ['/about/team', '/who-we-are/team']]) {
      r = await h.get(srv.url, from);
      assert.equal(r.status, 301, from);
      assert.equal(r.headers.location, to, `the old address of ${to} answers 301`);
    }
    assert.equal((await h.get(srv.url, '/who-we-are/team')).status, 200);
    assert.match((await h.get(srv.url, '/sitemaps/pages-1.xml')).body, /\/who-we-are\/team<\/loc>/);
    // a draft's pages are not public either, nor in the sitemap
    await savePage(ed, { title: 'About the paper', slug: 'who-we-are', body: 'New text.', status: 'draft' }, ids.about);
    assert.equal((await h.get(srv.url, '/who-we-are/team')).status, 404);
    assert.doesNotMatch((await h.get(srv.url, '/sitemaps/pages-1.xml')).body, /who-we-are/);
    await savePage(ed, { title: 'About the paper', slug: 'who-we-are', body: 'New text.' }, ids.about);
    assert.equal((await h.get(srv.url, '/who-we-are/team')).status, 200);
    const refused = await ed.post(`/admin/pages/${ids.about}/delete`);
    assert.equal(refused.status, 409);
    assert.match(h.textOf(refused.body), /has pages inside it/);
    r = await ed.post(`/admin/pages/${ids.team}/delete`);
    assert.equal(r.status, 303);
    assert.equal((await h.get(srv.url, '/who-we-are/team')).status, 404);
  });

  test('authors and contributors cannot manage pages (403)', async () => {
    for (const role of ['author', 'contributor']) {
      const c = await a.signedIn(srv.url, role);
      assert.equal((await c.get('/admin/pages')).status, 403, role);
      assert.equal((await c.post('/admin/pages', { title: `By ${role}`, status: 'published' })).status, 403, role);
      assert.ok(!(await c.get('/admin/stories')).body.includes('href="/admin/pages"'), role);
    }
    assert.match((await ed.get('/admin/stories')).body, /href="\/admin\/pages"/);
  });
});
