'use strict';
// Pictures on the lists and the story's lead picture (issue 14): stories
// with featured library pictures show them on the home, section, tag,
// author and search pages as <picture>s cropped to 3:2 by their focal point
// (classes, never style=), every srcset file served, width/height of the
// cropped box, the home page's lead card eager and every other picture
// lazy; a focal point edited in the library changes the cached home page at
// once; the story page leads with a figure (sources, srcset, caption and
// credit, fetchpriority high); related links carry thumbnails; OpenGraph
// and JSON-LD name the JPEG variant of at least 1200 px.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

let dir; let srv; let ed;
const pics = {}; // name -> {id, hash, w, h}
const stories = {}; // name -> {id, url}

function sql(query) {
  return h.sqlRows(dir, query);
}

async function addPicture(name, w, hgt, fields) {
  const r = await a.postMultipart(ed, '/admin/media', {}, [{ name: 'files', filename: name, type: 'image/png', data: a.png(w, hgt) }]);
  assert.equal(r.status, 200, h.textOf(r.body).slice(0, 300));
  const row = sql(`SELECT id, hash FROM media WHERE name = '${name}'`)[0];
  const e = await ed.post(`/admin/media/${row.id}`, fields);
  assert.equal(e.status, 303, h.textOf(e.body).slice(0, 300));
  pics[name] = { id: row.id, hash: row.hash, w, h: hgt, ...fields };
}

// The <img class="card-img"> of each card (article.summary or li.search-result) in page order.
function cardImgs(html) {
  return h.findTags(html, 'img').filter((t) => h.hasClass(t.attrs, 'card-img'));
}
const focalOf = (img) => ({
  fx: Number(/\bfx-(\d+)\b/.exec(img.attrs.class)[1]),
  fy: Number(/\bfy-(\d+)\b/.exec(img.attrs.class)[1]),
});
const urlsOf = (srcset) => srcset.split(',').map((s) => s.trim().split(/\s+/));

// Every file a picture names (src, and each srcset of the <img> and its <source>s) answers 200 image/*.
async function assertServed(html, img) {
  const pic = html.lastIndexOf('<picture', img.index);
  const sources = h.findTags(html.slice(pic, img.index), 'source');
  const urls = new Set([img.attrs.src]);
  for (const t of [img, ...sources]) for (const [u] of urlsOf(t.attrs.srcset)) urls.add(u);
  assert.ok(sources.some((s) => s.attrs.type === 'image/webp'), 'a WebP source');
  for (const u of urls) {
    const r = await h.get(srv.url, u);
    assert.equal(r.status, 200, `${u} is served`);
    assert.match(r.headers['content-type'], /^image\//, `${u} is an image`);
  }
}

before(async () => {
  dir = a.makeNewsroom();
  srv = await h.startServer(dir);
  ed = await a.signedIn(srv.url, 'editor');
  // a 3:2 picture, a panorama (3:1: the crop keeps half its width) and a tall one
  await addPicture('harbour.png', 1920, 1280, { alt: 'Boats in the harbour', caption: 'The fleet at dawn', credit: 'Photo: Jane Doe', focal_x: '0.3', focal_y: '0.7' });
  await addPicture('panorama.png', 2400, 800, { alt: '', caption: '', credit: '', focal_x: '0.9', focal_y: '0.5' });
  await addPicture('tower.png', 600, 900, { alt: 'A tower', caption: '', credit: '', focal_x: '0.5', focal_y: '0.1' });
  const section = sql('SELECT id FROM sections ORDER BY id LIMIT 1')[0].id;
  const common = { section: String(section), tags: 'Quokkaport' };
  // published oldest first: the last is the home page's lead
  for (const [name, pic, body] of [
    ['Tower over quokkaport', 'tower.png', 'The tower of quokkaport harbour stands tall.'],
    ['Plain quokkaport note', null, 'No picture at quokkaport harbour today.'],
    ['Panorama of quokkaport', 'panorama.png', 'A wide view of quokkaport harbour boats.'],
    ['Harbour of quokkaport', 'harbour.png', 'Boats in quokkaport harbour at dawn.'],
  ]) {
    const id = await a.writeStory(ed, { title: name, body, ...common, ...(pic ? { featured_media: String(pics[pic].id) } : {}) });
    stories[name] = { id, url: await a.publicPath(ed, id), pic };
  }
});
after(async () => { if (srv) await srv.stop(); });

// Checks one list page: each of our stories' cards has its cropped picture.
async function checkList(pagePath, { home = false } = {}) {
  const r = await h.get(srv.url, pagePath);
  assert.equal(r.status, 200, pagePath);
  assert.doesNotMatch(r.body, /\sstyle\s*=/i, `${pagePath}: no style= attribute`);
  const imgs = cardImgs(r.body);
  for (const [name, s] of Object.entries(stories)) {
    const link = r.body.indexOf(`href="${s.url}"`);
    assert.ok(link > 0, `${pagePath} lists ${name}`);
    const card = r.body.lastIndexOf(home || !pagePath.startsWith('/search') ? '<article' : '<li', link);
    const end = r.body.indexOf(home || !pagePath.startsWith('/search') ? '</article>' : '</li>', link);
    const img = imgs.find((t) => t.index > card && t.index < end);
    if (!s.pic) {
      assert.equal(img, undefined, `${pagePath}: ${name} has no picture, its card none`);
      assert.doesNotMatch(r.body.slice(card, end), /has-pic|<picture/);
      continue;
    }
    const p = pics[s.pic];
    assert.ok(img, `${pagePath}: ${name} shows its picture`);
    assert.ok(r.body.slice(card, img.index).includes('<picture class="card-pic">'), 'inside a <picture>');
    // width and height: the largest 3:2 box inside the picture
    const bw = Math.min(p.w, Math.round(p.h * 3 / 2)), bh = Math.min(p.h, Math.round(p.w * 2 / 3));
    assert.deepEqual([img.attrs.width, img.attrs.height], [String(bw), String(bh)], `${name}: the crop's box`);
    assert.deepEqual(focalOf(img), { fx: Math.round(Number(p.focal_x) * 10), fy: Math.round(Number(p.focal_y) * 10) });
    assert.ok(img.attrs.sizes && img.attrs.sizes.length > 3, 'sizes');
    // srcset: the small widths, each descriptor the crop's width in that variant
    const set = urlsOf(img.attrs.srcset);
    assert.ok(set.length >= 1);
    for (const [u, d] of set) {
      const vw = Number(new RegExp(`/media/${p.hash}-(\\d+)\\.jpg$`).exec(u)[1]);
      assert.ok(vw <= (home && img === imgs[0] ? 1920 : 960), `${u}: a small width`);
      assert.equal(d, `${Math.round(vw * bw / p.w)}w`, `${u}: descriptor of the visible part`);
    }
    await assertServed(r.body, img);
  }
  for (const [i, img] of imgs.entries()) {
    if (home && i === 0) {
      assert.equal(img.attrs.fetchpriority, 'high', 'the lead card\'s picture is fetched first');
      assert.equal(img.attrs.loading, undefined, 'the lead card\'s picture is not lazy');
    } else {
      assert.equal(img.attrs.loading, 'lazy', `${pagePath}: picture ${i} is lazy`);
      assert.equal(img.attrs.fetchpriority, undefined);
    }
  }
  return { r, imgs };
}

describe('lists show the featured pictures', () => {
  test('home: the lead card first and eager, the others lazy, each cropped by its focal point', async () => {
    const { r, imgs } = await checkList('/', { home: true });
    const lead = imgs[0];
    assert.ok(lead.attrs.src.includes(pics['harbour.png'].hash), 'the newest story leads');
    assert.match(lead.attrs.sizes, /41rem/, 'the lead card\'s sizes');
    assert.match(imgs[1].attrs.sizes, /22rem/, 'a grid card\'s sizes');
    assert.equal(lead.attrs.alt, 'Boats in the harbour');
    assert.match(r.body, /<article class="summary has-pic">/);
  });

  test('section, tag, author and search pages: lazy thumbnails', async () => {
    const sec = sql(`SELECT path FROM sections WHERE id = (SELECT section_id FROM stories WHERE id = ${stories['Harbour of quokkaport'].id})`)[0].path;
    const author = sql("SELECT slug FROM users WHERE email = 'editor@newsroom.test'")[0].slug;
    for (const p of [`/section/${sec}`, '/tag/quokkaport', `/author/${author}`, '/search?q=quokkaport']) {
      const { imgs } = await checkList(p);
      assert.ok(imgs.length >= 3, `${p}: three pictures`);
      for (const img of imgs) assert.match(img.attrs.sizes, /12rem/, `${p}: a list thumbnail's sizes`);
    }
  });

  test('a focal point edited in the library changes the cached home page at once', async () => {
    const p = pics['panorama.png'];
    const first = await h.get(srv.url, '/');
    const again = await h.get(srv.url, '/');
    assert.equal(again.body, first.body, 'kept');
    const find = (html) => cardImgs(html).find((t) => t.attrs.src.includes(p.hash));
    assert.deepEqual(focalOf(find(first.body)), { fx: 9, fy: 5 });
    const e = await ed.post(`/admin/media/${p.id}`, { alt: 'Boats along the shore', caption: '', credit: '', focal_x: '0.1', focal_y: '0.2' });
    assert.equal(e.status, 303);
    p.focal_x = '0.1'; p.focal_y = '0.2';
    const after1 = await h.get(srv.url, '/');
    assert.deepEqual(focalOf(find(after1.body)), { fx: 1, fy: 2 }, 'the new focal point at once');
    assert.equal(find(after1.body).attrs.alt, 'Boats along the shore');
    await checkList('/tag/quokkaport');
  });
});

describe('older stories', () => {
  test('a story with only the old featured columns shows its one JPEG, with its size', async () => {
    const p = pics['tower.png'];
    const id = await a.writeStory(ed, { title: 'Old columns only', body: 'From an older import.', tags: 'Oldcolumns', featured_media: String(p.id) });
    const row = sql(`SELECT featured_image, featured_width, featured_height FROM stories WHERE id = ${id}`)[0];
    assert.match(row.featured_image, new RegExp(`^/media/${p.hash}-\\d+\\.jpg$`));
    sql(`UPDATE stories SET featured_media_id = NULL WHERE id = ${id}`); // as imported before the library
    const r = await h.get(srv.url, '/tag/oldcolumns');
    assert.equal(r.status, 200);
    const imgs = cardImgs(r.body);
    assert.equal(imgs.length, 1);
    assert.deepEqual([imgs[0].attrs.src, imgs[0].attrs.width, imgs[0].attrs.height, imgs[0].attrs.loading],
      [row.featured_image, String(row.featured_width), String(row.featured_height), 'lazy']);
    assert.equal(imgs[0].attrs.class, 'card-img', 'centred: no focal classes');
    assert.ok(!r.body.includes('<picture class="card-pic">'));
    const story = await h.get(srv.url, await a.publicPath(ed, id));
    assert.match(story.body, new RegExp(`<figure class="featured"><img src="${row.featured_image}" width="${row.featured_width}" height="${row.featured_height}"`));
  });
});

describe('the story page', () => {
  test('leads with the library figure: sources, srcset, caption and credit, fetched first', async () => {
    const s = stories['Harbour of quokkaport'];
    const p = pics['harbour.png'];
    const r = await h.get(srv.url, s.url);
    assert.equal(r.status, 200);
    const fig = h.findElement(r.body, 'figure', (x) => (x.class || '').split(' ').includes('featured'));
    assert.ok(fig, 'a featured figure');
    assert.ok(fig.includes('<picture>'), 'a <picture>');
    const img = h.findTags(fig, 'img')[0];
    assert.equal(img.attrs.fetchpriority, 'high');
    assert.equal(img.attrs.loading, undefined);
    assert.deepEqual([img.attrs.width, img.attrs.height], ['1920', '1280']);
    assert.equal(img.attrs.alt, 'Boats in the harbour');
    assert.deepEqual(urlsOf(img.attrs.srcset).map(([, d]) => d), ['320w', '640w', '960w', '1280w', '1920w']);
    assert.ok(h.findTags(fig, 'source').some((t) => t.attrs.type === 'image/webp' && t.attrs.srcset.includes(`/media/${p.hash}-1920.webp 1920w`)));
    assert.equal(h.textOf(h.findElement(fig, 'figcaption', () => true)), 'The fleet at dawn Photo: Jane Doe');
    await assertServed(fig, img);
    assert.doesNotMatch(r.body, /\sstyle\s*=/i);
  });

  test('a picture without alt text takes the story\'s title', async () => {
    const r = await h.get(srv.url, stories['Tower over quokkaport'].url);
    const fig = h.findElement(r.body, 'figure', (x) => (x.class || '').split(' ').includes('featured'));
    assert.equal(h.findTags(fig, 'img')[0].attrs.alt, 'A tower');
    const e = await ed.post(`/admin/media/${pics['tower.png'].id}`, { alt: '', caption: '', credit: '', focal_x: '0.5', focal_y: '0.1' });
    assert.equal(e.status, 303);
    const r2 = await h.get(srv.url, stories['Tower over quokkaport'].url);
    const fig2 = h.findElement(r2.body, 'figure', (x) => (x.class || '').split(' ').includes('featured'));
    assert.equal(h.findTags(fig2, 'img')[0].attrs.alt, 'Tower over quokkaport');
  });

  test('OpenGraph, Twitter and JSON-LD: the JPEG variant of at least 1200 px', async () => {
    const p = pics['harbour.png'];
    const r = await h.get(srv.url, stories['Harbour of quokkaport'].url);
    const meta = Object.fromEntries(h.findTags(r.body, 'meta').filter((t) => t.attrs.property).map((t) => [t.attrs.property, t.attrs.content]));
    assert.match(meta['og:image'], new RegExp(`/media/${p.hash}-1280\\.jpg$`));
    assert.equal(meta['og:image:width'], '1280');
    assert.equal(meta['og:image:height'], '853');
    assert.equal(meta['og:image:alt'], 'Boats in the harbour', 'the picture\'s alt text');
    const twAlt = h.findTags(r.body, 'meta').find((t) => t.attrs.name === 'twitter:image:alt');
    assert.equal(twAlt.attrs.content, 'Boats in the harbour');
    const card = h.findTags(r.body, 'meta').find((t) => t.attrs.name === 'twitter:card');
    assert.equal(card.attrs.content, 'summary_large_image');
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(r.body)[1]);
    const img = ld['@graph'][0].image[0];
    assert.match(img.url, new RegExp(`/media/${p.hash}-1280\\.jpg$`));
    assert.deepEqual([img.width, img.height], [1280, 853]);
    // the panorama: 1280 is its narrowest of 1200 or more
    const r2 = await h.get(srv.url, stories['Panorama of quokkaport'].url);
    const og2 = h.findTags(r2.body, 'meta').find((t) => t.attrs.property === 'og:image');
    assert.match(og2.attrs.content, /-1280\.jpg$/);
    // a picture narrower than 1200: its widest
    const r3 = await h.get(srv.url, stories['Tower over quokkaport'].url);
    const m3 = Object.fromEntries(h.findTags(r3.body, 'meta').filter((t) => t.attrs.property).map((t) => [t.attrs.property, t.attrs.content]));
    assert.match(m3['og:image'], /-320\.jpg$/);
    assert.deepEqual([m3['og:image:width'], m3['og:image:height']], ['320', '480']);
  });

  test('related links carry small thumbnails', async () => {
    const r = await h.get(srv.url, stories['Harbour of quokkaport'].url);
    const rel = h.findElement(r.body, 'section', (x) => x.class === 'related');
    assert.ok(rel, 'related stories');
    const imgs = cardImgs(rel);
    assert.ok(imgs.length >= 1, 'a related story\'s thumbnail');
    for (const img of imgs) {
      assert.equal(img.attrs.sizes, '6rem');
      assert.equal(img.attrs.loading, 'lazy');
      assert.ok(urlsOf(img.attrs.srcset).every(([u]) => /-320\.jpg$/.test(u) || /-\d{2,3}\.jpg$/.test(u)));
    }
  });
});

describe('feeds', () => {
  test('the enclosure names the featured JPEG variant', async () => {
    const r = await h.get(srv.url, '/tag/quokkaport/feed');
    assert.equal(r.status, 200);
    const p = pics['harbour.png'];
    assert.match(r.body, new RegExp(`<enclosure url="[^"]*/media/${p.hash}-1280\\.jpg" length="\\d+" type="image/jpeg"`));
  });
});
