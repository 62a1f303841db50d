'use strict';
// Menus (issue 15): a header menu and a footer menu edited in the newsroom
// (sections, static pages, stories and external http/https links only; an
// order; one level inside header items). The masthead shows the header
// menu instead of every section, and a site without one keeps its
// sections; every change shows at once on pages cached before it.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

// A nav's links in order: [{href, name, depth}] (depth 1 inside a submenu).
function navLinks(html, cls) {
  const nav = new RegExp(`<nav class="${cls}"[^>]*>([\\s\\S]*?)</nav>`).exec(html);
  if (!nav) return null;
  const out = [];
  let depth = 0;
  for (const m of nav[1].matchAll(/<ul class="submenu">|<\/ul>|<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
    if (m[0].startsWith('<ul')) depth = 1;
    else if (m[0] === '</ul>') depth = 0;
    else out.push({ href: h.htmlUnescape(m[1]), name: h.htmlUnescape(m[2]), depth });
  }
  return out;
}
const masthead = (html) => navLinks(html, 'sections');

async function itemIds(client) {
  const r = await client.get('/admin/menus');
  return [...r.body.matchAll(/<tr id="menu-item-(\d+)">\s*<td>(?:&mdash; )?([^<]*)<\/td>/g)].map((m) => ({ id: m[1], name: h.htmlUnescape(m[2]) }));
}
async function idOf(client, name) {
  const it = (await itemIds(client)).find((x) => x.name === name);
  assert.ok(it, `menu item ${name}`);
  return it.id;
}
async function add(client, fields) {
  const r = await client.post('/admin/menus', { menu: 'header', label: '', ...fields });
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 500));
}

describe('menus', () => {
  let srv; let ed; let sections; let aboutId;
  before(async () => {
    srv = await h.startServer(a.makeNewsroom());
    ed = await a.signedIn(srv.url, 'editor');
    const r = await ed.post('/admin/pages', { title: 'About us', slug: 'about', body: 'Hello.', status: 'published' });
    aboutId = /\/admin\/pages\/(\d+)/.exec(r.headers.location)[1];
  });
  after(async () => { if (srv) await srv.stop(); });

  test('without a menu the masthead lists the top-level sections, as before', async () => {
    const home = await h.get(srv.url, '/');
    sections = masthead(home.body);
    assert.ok(sections.length >= 3, JSON.stringify(sections));
    assert.ok(sections.every((s) => s.href.startsWith('/section/') && s.depth === 0));
    assert.match(home.body, /<nav class="sections" aria-label="Sections">/);
    assert.doesNotMatch(home.body, /class="footer-menu"/);
  });

  test('the header menu replaces the sections on cached pages: a section, a page, a story, a link, one inside another', async () => {
    await h.get(srv.url, h.SEED_PATH); // both cached now
    const sec = sections[1];
    await add(ed, { address: sec.href });
    await add(ed, { address: '/about/', label: '' });
    await add(ed, { address: h.SEED_PATH, label: 'Our story' });
    await add(ed, { address: 'https://example.org/tips?a=1&b=2', label: 'Send tips' });
    await add(ed, { address: 'https://example.org/jobs', label: 'Jobs', parent: await idOf(ed, 'About us') });
    const want = [
      { href: sec.href, name: sec.name, depth: 0 },
      { href: '/about', name: 'About us', depth: 0 },
      { href: 'https://example.org/jobs', name: 'Jobs', depth: 1 },
      { href: h.SEED_PATH, name: 'Our story', depth: 0 },
      { href: 'https://example.org/tips?a=1&b=2', name: 'Send tips', depth: 0 },
    ];
    for (const p of ['/', h.SEED_PATH, '/about']) {
      const r = await h.get(srv.url, p);
      assert.deepEqual(masthead(r.body), want, p);
      assert.match(r.body, /<nav class="sections" aria-label="Menu">/);
    }
    assert.match((await h.get(srv.url, '/about')).body, /<a href="\/about" aria-current="page">About us<\/a>/);
  });

  test('a page, one inside it, and the home page with both menus validate with the Nu HTML Checker', async () => {
    await add(ed, { menu: 'footer', address: '/about', label: 'Imprint' });
    const r = await ed.post('/admin/pages', { title: 'Our team', slug: 'team', parent: aboutId, status: 'published', body: '# People\n\n| Name | Role |\n|---|---|\n| A | B |' });
    assert.equal(r.status, 303);
    const vnu = path.join(h.ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    const tmp = h.tmpDir();
    const files = [];
    for (const [n, p] of Object.entries({ home: '/', about: '/about', team: '/about/team' })) {
      const f = path.join(tmp, n + '.html');
      const page = await h.get(srv.url, p);
      assert.equal(page.status, 200, p);
      fs.writeFileSync(f, page.body);
      files.push(f);
    }
    const v = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8', timeout: 120000 });
    assert.equal(v.status, 0, `vnu found errors:\n${v.stderr}${v.stdout}`);
    await ed.post(`/admin/menus/${await idOf(ed, 'Imprint')}/delete`);
  });

  test('only sections, pages, stories and http(s) links; one level; the footer is flat', async () => {
    const bad = [
      [{ address: 'javascript:alert(1)', label: 'x' }, /must start with http:\/\/ or https:\/\//],
      [{ address: 'ftp://example.org/', label: 'x' }, /must start with http:\/\/ or https:\/\//],
      [{ address: '//evil.example/', label: 'x' }, /must start with http:\/\/ or https:\/\//],
      [{ address: 'data:text/html,hi', label: 'x' }, /must start with http:\/\/ or https:\/\//],
      [{ address: '/no-such-page' }, /No section, published page or published story has the address \/no-such-page/],
      [{ address: '/section/no-such' }, /No section/],
      [{ address: 'https://example.org/' }, /Give a label for an external link/],
      [{ address: '' }, /Give the item's address/],
      [{ address: '/about', parent: await idOf(ed, 'Jobs') }, /top-level item only/],
      [{ address: '/about', menu: 'footer', parent: await idOf(ed, 'About us') }, /Only the header menu/],
      [{ address: '/about', menu: 'sidebar' }, /header or the footer/],
    ];
    const before = (await itemIds(ed)).length;
    for (const [fields, msg] of bad) {
      const r = await ed.post('/admin/menus', { menu: 'header', label: '', ...fields });
      assert.equal(r.status, 422, JSON.stringify(fields));
      assert.match(h.textOf(r.body), msg, JSON.stringify(fields));
    }
    assert.equal((await itemIds(ed)).length, before, 'nothing was added');
  });

  test('order, the footer menu, and changes to a linked page show at once on cached pages', async () => {
    await h.get(srv.url, '/');
    let r = await ed.post(`/admin/menus/${await idOf(ed, 'Send tips')}/move`, { direction: 'up' });
    assert.equal(r.status, 303);
    let names = masthead((await h.get(srv.url, '/')).body).filter((x) => x.depth === 0).map((x) => x.name);
    assert.deepEqual(names.slice(2), ['Send tips', 'Our story']);
    await add(ed, { menu: 'footer', address: '/about', label: 'Who we are' });
    r = await h.get(srv.url, h.SEED_PATH);
    assert.deepEqual(navLinks(r.body, 'footer-menu'), [{ href: '/about', name: 'Who we are', depth: 0 }]);
    // the page is renamed and moved: the menu follows it
    r = await ed.post(`/admin/pages/${aboutId}`, { title: 'About the paper', slug: 'about-us', body: 'Hello.', status: 'published' });
    assert.equal(r.status, 303);
    r = await h.get(srv.url, '/');
    assert.ok(masthead(r.body).some((x) => x.href === '/about-us' && x.name === 'About the paper'), JSON.stringify(masthead(r.body)));
    assert.deepEqual(navLinks(r.body, 'footer-menu'), [{ href: '/about-us', name: 'Who we are', depth: 0 }]);
    // unpublished: its items (and the one inside it) are not shown
    await ed.post(`/admin/pages/${aboutId}`, { title: 'About the paper', slug: 'about-us', body: 'Hello.', status: 'draft' });
    r = await h.get(srv.url, '/');
    assert.ok(!r.body.includes('/about-us'), 'a draft page is not linked');
    assert.ok(!masthead(r.body).some((x) => x.name === 'Jobs'));
    assert.doesNotMatch(r.body, /class="footer-menu"/);
  });

  test('deleting every header item brings the sections back', async () => {
    await h.get(srv.url, '/');
    for (const it of await itemIds(ed)) {
      if (it.name === 'Who we are' || it.name === 'Jobs') continue;
      const r = await ed.post(`/admin/menus/${it.id}/delete`);
      assert.equal(r.status, 303, it.name);
    }
    assert.equal((await ed.post('/admin/menus/999999/delete')).status, 404);
    assert.deepEqual(masthead((await h.get(srv.url, '/')).body), sections);
  });

  test('authors and contributors cannot edit menus (403)', async () => {
    for (const role of ['author', 'contributor']) {
      const c = await a.signedIn(srv.url, role);
      assert.equal((await c.get('/admin/menus')).status, 403, role);
      assert.equal((await c.post('/admin/menus', { menu: 'header', address: '/about' })).status, 403, role);
    }
  });
});
