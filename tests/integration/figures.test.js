'use strict';
// Library pictures in stories (issue 14, docs/figures.md): `gazette media add`
// two pictures, a story places them with ![alt](media:ID "caption"): a
// paragraph of one reference is a <figure> with <picture> sources whose
// every srcset entry answers 200 with its type, width/height, the lead
// picture eager and the others lazy, a figcaption with caption and credit;
// two references are a gallery with a full-size view; an unknown id shows
// its alt text. `gazette media set` changes a caption and the story page
// shows it on the next request. The editor's preview renders the same.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');

test.after(() => h.cleanupSites());

const BODY = 'The harbour wakes early.\n\n' +
  '![](media:1)\n\n' +
  'A sentence with ![a small map](media:2) inside.\n\n' +
  '![First of two](media:1)\n![Second of two](media:2 "Both, side by side")\n\n' +
  '![The lost picture](media:999)\n';

function srcsetUrls(v) {
  return v.split(',').map((s) => s.trim().split(/\s+/)).map(([url, w]) => ({ url, w }));
}

// Every srcset entry of every <source> and <img> inside html answers 200 with its type.
async function checkFiles(base, html) {
  const seen = new Set();
  for (const t of [...h.findTags(html, 'source'), ...h.findTags(html, 'img')]) {
    const set = t.attrs.srcset ? srcsetUrls(t.attrs.srcset).map((e) => e.url) : [];
    for (const url of [...set, t.attrs.src].filter(Boolean)) {
      if (seen.has(url)) continue;
      seen.add(url);
      const r = await h.get(base, url);
      assert.equal(r.status, 200, url);
      const ext = url.split('.').pop();
      const want = { webp: 'image/webp', jpg: 'image/jpeg', avif: 'image/avif' }[ext];
      assert.equal(r.headers['content-type'], want, url);
      if (t.attrs.type) assert.equal(t.attrs.type, want, `${url} under a <source> of its type`);
    }
  }
  return seen.size;
}

test('figures, galleries and inline pictures from the library, and a caption changed', async (t) => {
  const dir = a.makeNewsroom({ demo: false });
  const pngFile = path.join(dir, 'wide.png');
  fs.writeFileSync(pngFile, a.png(1000, 600));
  let r = h.gzRun(['media', 'add', '--site', dir, '--alt', 'Boats <at> dawn', '--caption',
    'The fleet leaves at six', '--credit', 'Photo: Ana & Co', h.fixture('media/photo-gps.jpg')]);
  assert.equal(r.status, 0, r.stderr);
  const avif = / avif/.test(r.stdout);
  r = h.gzRun(['media', 'add', '--site', dir, '--alt', 'A red field', '--credit', 'Map: City', pngFile]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^added media 2: wide\.png, 1000x600, 320x192 640x384 960x576 in /m);

  const srv = await h.startServer(dir);
  t.after(async () => { await srv.stop(); });
  const au = await a.signedIn(srv.url, 'author');

  // the editor's Markdown help documents the form
  const ed = await au.get('/admin/stories/new');
  const help = h.findElement(ed.body, 'p', (x) => x.id === 'md-help-pictures');
  assert.ok(help && h.textOf(help).includes('![what the picture shows](media:42 "Caption")'), 'help shows the form');
  assert.match(h.textOf(help), /make a gallery/);

  // the editor's preview renders the pictures (and the missing one) as the page will
  const pv = await au.post('/admin/stories/new/preview', { title: 'Previewed', body: BODY, excerpt: 'x',
    comments_open: '1' });
  assert.equal(pv.status, 200);
  assert.match(pv.body, /<figure class="figure"><picture>/);
  assert.match(pv.body, /<span class="media-missing">The lost picture<\/span>/);

  const id = await a.writeStory(au, { title: 'Pictures in a story', body: BODY, excerpt: 'Pictures.' });
  const storyPath = await a.publicPath(au, id);
  r = await h.get(srv.url, storyPath);
  assert.equal(r.status, 200);
  const page = r.body;
  assert.ok(!/\sstyle=/.test(page), 'no inline style');

  // the lone reference: a figure, every format's source, eager lead picture
  const figs = h.findTags(page, 'figure').filter((f) => h.hasClass(f.attrs, 'figure'));
  assert.equal(figs.length, 3, 'one figure and the gallery\'s two');
  const first = h.elementAt(page, figs[0].index, 'figure');
  const sources = h.findTags(first, 'source');
  assert.deepEqual(sources.map((s) => s.attrs.type), avif ? ['image/avif', 'image/webp'] : ['image/webp']);
  for (const s of sources) {
    assert.deepEqual(srcsetUrls(s.attrs.srcset).map((e) => e.w), ['320w', '640w']);
    assert.equal(s.attrs.sizes, '(min-width: 42rem) 40rem, 100vw');
  }
  const img = h.findTags(first, 'img')[0].attrs;
  assert.deepEqual(srcsetUrls(img.srcset).map((e) => e.url.replace(/^\/media\/[0-9a-f]{16}/, '')),
    ['-320.jpg', '-640.jpg']);
  assert.match(img.src, /^\/media\/[0-9a-f]{16}-640\.jpg$/);
  assert.equal(img.width, '800');
  assert.equal(img.height, '1200');
  assert.equal(img.alt, 'Boats <at> dawn');
  assert.equal(img.fetchpriority, 'high');
  assert.equal(img.loading, undefined, 'the lead picture is not lazy');
  assert.equal(img.decoding, 'async');
  assert.match(first, /<figcaption>The fleet leaves at six <span class="credit">Photo: Ana &amp; Co<\/span><\/figcaption>/);
  assert.ok(first.includes('alt="Boats &lt;at&gt; dawn"'), 'alt escaped');
  assert.ok(await checkFiles(srv.url, first) >= 4);

  // in a sentence: an inline picture of the small variants, lazy
  assert.ok(page.includes('<p>A sentence with <img class="media-inline" '), 'inline picture in its paragraph');
  const inline = h.findTags(page, 'img').find((x) => h.hasClass(x.attrs, 'media-inline')).attrs;
  assert.equal(inline.alt, 'a small map');
  assert.equal(inline.loading, 'lazy');
  assert.equal(inline.width, '1000');
  assert.equal(inline.height, '600');

  // two references: a gallery, lazy, each picture linked to its full-size view
  const gallery = h.findElement(page, 'div', (x) => h.hasClass(x, 'gallery'));
  assert.ok(gallery, 'a gallery');
  const links = h.findTags(gallery, 'a').filter((x) => h.hasClass(x.attrs, 'gallery-link'));
  assert.deepEqual(links.map((l) => l.attrs.href), ['#gz-media-1', '#gz-media-2']);
  const boxes = h.findTags(gallery, 'div').filter((x) => h.hasClass(x.attrs, 'lightbox'));
  assert.deepEqual(boxes.map((b) => b.attrs.id), ['gz-media-1', 'gz-media-2']);
  const gImgs = h.findTags(gallery, 'img').map((x) => x.attrs);
  assert.ok(gImgs.every((x) => x.loading === 'lazy' && !x.fetchpriority), 'gallery pictures are lazy');
  for (const id of ['gz-media-1', 'gz-media-2']) {
    const box = h.findElement(gallery, 'div', (x) => x.id === id);
    const view = h.findTags(box, 'img')[0].attrs;
    assert.equal(view.sizes, '100vw', 'the full-size view is sized for the window');
    assert.match(view.srcset, id === 'gz-media-2' ? /-960\.jpg 960w$/ : /-640\.jpg 640w$/, 'up to the largest variant');
    assert.equal(view.loading, 'lazy');
    assert.match(box, /<a class="lightbox-close" href="#gz-gallery-1">Close<\/a>/);
  }
  assert.match(gallery, /<figcaption>Both, side by side <span class="credit">Map: City<\/span><\/figcaption>/);
  assert.ok(gallery.includes('alt="First of two"'));
  await checkFiles(srv.url, gallery);

  // an unknown id: its alt text, not a hole
  assert.match(page, /<span class="media-missing">The lost picture<\/span>/);

  // in the feed: absolute picture URLs, no full-size views (a feed reader has no CSS)
  const feed = await h.get(srv.url, '/feed.json');
  assert.equal(feed.status, 200);
  const item = JSON.parse(feed.body).items.find((x) => x.title === 'Pictures in a story');
  assert.ok(item && item.content_html.includes('<figure class="figure"><picture>'));
  assert.ok(!item.content_html.includes('lightbox'), 'no hidden overlays in a feed');
  assert.ok(!/(src|srcset)="\/media\//.test(item.content_html) && !/w, \/media\//.test(item.content_html),
    'no relative picture URL');
  assert.match(item.content_html, /src="https?:\/\/[^"/]+\/media\/[0-9a-f]{16}-640\.jpg"/);

  // the caption changes: the next request shows it (the page was cached)
  r = await h.get(srv.url, storyPath);
  assert.ok(r.body.includes('The fleet leaves at six'));
  r = h.gzRun(['media', 'set', '--site', dir, '--caption', 'Back by noon <b>', '1']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^updated media 1; 1 story rendered again$/m);
  r = await h.get(srv.url, storyPath);
  assert.ok(!r.body.includes('The fleet leaves at six'), 'the old caption is gone');
  assert.match(r.body, /<figcaption>Back by noon &lt;b&gt; <span class="credit">Photo: Ana &amp; Co<\/span>/);
  assert.ok(r.body.includes('alt="Boats &lt;at&gt; dawn"'), 'what was not given is kept');
  assert.match(h.gz(['media', 'list', '--site', dir]), /^1\t800x1200\t.*\tBoats <at> dawn$/m);

  // bad input to set: a clear message, nothing changed
  r = h.gzRun(['media', 'set', '--site', dir, '--caption', 'x', '77']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /there is no media 77/);
  r = h.gzRun(['media', 'set', '--site', dir, '--caption', 'x', 'one']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /one: not a media id/);
  assert.equal(h.gzRun(['media', 'set', '--site', dir]).status, 2, 'no ID');
  assert.equal(h.gzRun(['media', 'set', '--site', dir, '--caption', 'x'.repeat(2001), '1']).status, 2);
  r = await h.get(srv.url, storyPath);
  assert.match(r.body, /<figcaption>Back by noon &lt;b&gt; /);
});
