'use strict';
// The demo with photos (issue 14): `gazette init --demo` adds demo/photos to
// the media library through `gazette media add`'s path (variants made, no
// metadata), gives the photo stories featured images, figures and a gallery
// with their credits, and leads the home page with them right after the
// seed story; the photo story stays light for a 390 px phone (the page
// bench/lighthouse.sh audits).
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

after(() => h.cleanupSites());

const PHOTO_STORY = '/2024/07/04/hubbles-deepest-view-thousands-of-galaxies';
const ROCKET_STORY = '/2024/07/04/space-weather-sentinel-launched-on-a-falcon-9';
const CAFE_STORY = '/2024/07/03/in-praise-of-the-small-cup-espresso-slowly';
const PHONE = { width: 390, dpr: 3 }; // bench/lighthouse.sh's phone
const listing = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

// demo/photos.txt: key|file|alt|caption|credit
const PHOTOS = fs.readFileSync(path.join(h.DEMO, 'photos.txt'), 'utf8').trim().split('\n').map((l) => {
  const [key, file, alt, caption, credit] = l.split('|');
  return { key, file, alt, caption, credit };
});

// The hash of each /media/HASH-W.EXT the html names.
const hashesIn = (html) => new Set([...html.matchAll(/\/media\/([0-9a-f]{16})-\d+\.\w+/g)].map((m) => m[1]));

// The CSS pixels a `sizes` list gives at the phone's width (rem = 16 px).
function sizesPx(sizes, vw) {
  for (const part of sizes.split(',').map((s) => s.trim())) {
    const m = /^(?:\(min-width:\s*([\d.]+)rem\)\s*)?([\d.]+)(rem|vw|px)$/.exec(part);
    assert.ok(m, `a sizes entry we can read: ${part}`);
    if (m[1] && vw < Number(m[1]) * 16) continue;
    return m[3] === 'rem' ? Number(m[2]) * 16 : m[3] === 'vw' ? (Number(m[2]) * vw) / 100 : Number(m[2]);
  }
  return vw;
}

// The URL a browser takes from a srcset for a slot of px CSS pixels at dpr:
// the narrowest candidate wide enough, else the widest.
function pick(srcset, px, dpr) {
  const c = srcset.split(',').map((s) => s.trim().split(/\s+/)).map(([u, w]) => ({ u, w: parseInt(w, 10) }))
    .sort((a, b) => a.w - b.w);
  return (c.find((x) => x.w >= px * dpr) || c[c.length - 1]).u;
}

describe('gazette init --demo: the demo with photos', () => {
  let dir; let srv; let out;
  before(async () => {
    dir = path.join(h.tmpDir(), 'site');
    out = h.gz(['init', '--demo', '--site', dir]);
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the library holds the five photos with their alt text, caption and credit', () => {
    assert.match(out, /with the demo content and photos/);
    assert.equal(PHOTOS.length, 5);
    const rows = h.gz(['media', 'list', '--site', dir]).trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(rows.map((r) => r[3]).sort(), PHOTOS.map((p) => p.file).sort());
    for (const p of PHOTOS) {
      const row = rows.find((r) => r[3] === p.file);
      assert.equal(row[4], p.alt, `alt text of ${p.file}`);
      assert.ok(p.alt.length > 30 && p.caption && /^(Photo|Image): .+ \((public domain|CC0)\)$/.test(p.credit),
        `${p.file}: alt, caption and a credit with the licence`);
      const search = h.gz(['media', 'list', '--site', dir, '--search', p.credit]).trim().split('\n');
      assert.ok(search.some((l) => l.split('\t')[3] === p.file), `${p.file} found by its credit`);
    }
  });

  test('each photo has its variants on disk, without EXIF, and its original kept outside media/', () => {
    const files = listing(path.join(dir, 'media'));
    const originals = listing(path.join(dir, 'media-originals'));
    assert.equal(originals.length, 5, 'five originals');
    const hashes = new Set(files.map((f) => f.slice(0, 16)));
    assert.deepEqual([...hashes].sort(), originals.map((f) => f.slice(0, 16)).sort(), 'variants of each original');
    for (const p of PHOTOS) {
      const bytes = fs.readFileSync(path.join(h.DEMO, 'photos', p.file));
      const kept = originals.find((f) => fs.readFileSync(path.join(dir, 'media-originals', f)).equals(bytes));
      assert.ok(kept, `${p.file} kept byte for byte`);
      const mine = files.filter((f) => f.startsWith(kept.slice(0, 16)));
      for (const ext of ['jpg', 'webp']) {
        assert.ok(mine.some((f) => f.endsWith(`-320.${ext}`)), `${p.file}: a 320 px ${ext}`);
      }
    }
    for (const f of files) {
      const b = fs.readFileSync(path.join(dir, 'media', f));
      assert.ok(!b.includes(Buffer.from('Exif')), `${f} has no EXIF block`);
      assert.ok(b.length > 1000, `${f} is a picture`);
    }
  });

  test('the photo story shows all five: featured image, figures and a gallery, with credits', async () => {
    const res = await h.get(srv.url, PHOTO_STORY);
    assert.equal(res.status, 200);
    const page = res.body;
    const body = h.innerOf(h.findElement(page, 'div', (a) => h.hasClass(a, 'story-body')));
    assert.match(page, /<figure class="figure featured"><picture><source type="image\/(avif|webp)"[^>]*>.*?<img src="\/media\/[0-9a-f]{16}-\d+\.jpg" srcset="[^"]*-960\.jpg 960w" [^>]*width="1000" height="872" [^>]*fetchpriority="high"/s,
      'the deep field leads: every width of it up to its own 1000, eager');
    assert.equal(hashesIn(page).size, 5, 'all five photos on the page');
    assert.equal((body.match(/<figure class="figure">/g) || []).length, 4, 'two figures and a gallery of two');
    assert.match(body, /<div class="gallery" id="gz-gallery-\d+">(<figure class="figure">.*?<\/figure>){2}/s);
    assert.ok(!body.includes('media-missing'), 'every reference found');
    for (const p of PHOTOS.filter((x) => x.key !== 'deep-field')) {
      assert.ok(body.includes(`<span class="credit">${h.htmlUnescape(p.credit)}</span>`) ||
        h.htmlUnescape(body).includes(`<span class="credit">${p.credit}</span>`), `credit of ${p.file}`);
      assert.ok(h.htmlUnescape(body).includes(`alt="${p.alt}"`), `alt of ${p.file}`);
      assert.ok(h.htmlUnescape(body).includes(p.caption), `caption of ${p.file}`);
    }
    // the featured image leads; every body picture is lazy and has its size
    const imgs = h.findTags(body, 'img');
    assert.ok(imgs.length >= 4);
    for (const img of imgs) {
      assert.equal(img.attrs.loading, 'lazy', img.attrs.src);
      assert.ok(Number(img.attrs.width) > 0 && Number(img.attrs.height) > 0, `${img.attrs.src} has its size`);
      assert.ok(!('fetchpriority' in img.attrs));
    }
    // stored as an editor would type it: media:ID, the demo's keys resolved
    assert.match(h.textOf(page), /Demo story: written for Gazette/);
  });

  test('the other photo stories have featured images; the seed story still has none', async () => {
    for (const [url, key] of [[ROCKET_STORY, 'rocket'], [CAFE_STORY, 'coffee']]) {
      const page = (await h.get(srv.url, url)).body;
      assert.match(page, /<figure class="figure featured"><picture>.*?<img src="\/media\/[0-9a-f]{16}-\d+\.jpg"/s, `${key} leads ${url}`);
      assert.match(page, /<meta property="og:image" content="[^"]*\/media\/[0-9a-f]{16}-\d+\.jpg"/, `og:image of ${url}`);
    }
    const cafe = (await h.get(srv.url, CAFE_STORY)).body;
    assert.match(cafe, /<span class="credit">Photo: Stefan van der Walt \(CC0\)<\/span>/, 'the cat in the café story');
    const seed = (await h.get(srv.url, h.SEED_PATH)).body;
    const seedStory = h.findElement(seed, 'article', () => true);
    assert.ok(!seed.includes('class="figure featured"') && !seedStory.includes('/media/'), 'no picture on the seed story');
  });

  test('the home page leads with the photo stories, right after the seed story', async () => {
    const home = (await h.get(srv.url, '/')).body;
    const links = [...new Set(h.findLinks(home).map((a) => a.href)
      .filter((u) => /^\/\d{4}\/\d\d\/\d\d\/[a-z0-9-]+$/.test(u)))];
    assert.deepEqual(links.slice(0, 4), [h.SEED_PATH, PHOTO_STORY, ROCKET_STORY, CAFE_STORY]);
    // each photo story's card shows its picture, cropped 3:2, from the library
    const cards = h.findTags(home, 'img').filter((t) => h.hasClass(t.attrs, 'card-img'));
    assert.equal(cards.length, 3, 'three cards with pictures');
    for (const c of cards) {
      assert.match(c.attrs.src, /^\/media\/[0-9a-f]{16}-\d+\.jpg$/);
      assert.ok(Math.abs(Number(c.attrs.width) / Number(c.attrs.height) - 1.5) < 0.01, '3:2');
      assert.ok(c.attrs.alt, 'alt text');
    }
  });

  test('a 390 px phone fetches the photo story in well under 350 KB', async (t) => {
    const gz = { 'Accept-Encoding': 'gzip' };
    const res = await h.get(srv.url, PHOTO_STORY, { headers: gz });
    const page = res.body.includes('<html') ? res.body : require('node:zlib').gunzipSync(res.raw).toString('utf8');
    let total = res.raw.length;
    const parts = [`html ${res.raw.length}`];
    const assets = [...page.matchAll(/<link rel="(?:stylesheet|icon)" href="([^"]+)"|<script src="([^"]+)"/g)]
      .map((m) => m[1] || m[2]);
    for (const a of assets) {
      const r = await h.get(srv.url, a, { headers: gz });
      assert.equal(r.status, 200, a);
      total += r.raw.length;
      parts.push(`${a} ${r.raw.length}`);
    }
    // every picture outside a closed lightbox, as the phone picks it (AVIF first)
    const main = page.replace(/<div class="lightbox".*?<\/div>/gs, '');
    const urls = [];
    for (const m of main.matchAll(/<picture>(.*?)<\/picture>/gs)) {
      const src = h.findTags(m[1], 'source')[0].attrs;
      urls.push(pick(src.srcset, sizesPx(src.sizes, PHONE.width), PHONE.dpr));
    }
    assert.equal(new Set(urls.map((u) => u.slice(7, 23))).size, 5, 'the five photos');
    for (const u of urls) {
      const r = await h.get(srv.url, u);
      assert.equal(r.status, 200, u);
      total += r.raw.length;
      parts.push(`${u} ${r.raw.length}`);
    }
    t.diagnostic(`phone transfer: ${total} bytes (${parts.join(', ')})`);
    assert.ok(total < 350 * 1024, `total ${total} bytes`);
  });
});

describe('gazette init --demo: a photo that is missing', () => {
  test('refuses with the file named, and leaves no picture files behind', () => {
    const data = h.tmpDir();
    fs.cpSync(h.DEMO, path.join(data, 'demo'), { recursive: true });
    fs.symlinkSync(path.join(h.ROOT, 'themes'), path.join(data, 'themes'));
    const list = path.join(data, 'demo', 'photos.txt');
    fs.writeFileSync(list, fs.readFileSync(list, 'utf8').split('\n').filter((l) => !l.startsWith('chelsea|')).join('\n'));
    const dir = path.join(data, 'site');
    const r = h.gzRun(['init', '--demo', '--site', dir], { env: { ...process.env, GAZETTE_DATA: data } });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /stories\/1[56]-[a-z-]+\.md: media:chelsea: no such photo in photos\.txt/);
    assert.deepEqual(listing(path.join(dir, 'media')), [], 'no variants left');
    assert.deepEqual(listing(path.join(dir, 'media-originals')), [], 'no originals left');
    assert.ok(!fs.existsSync(path.join(dir, 'gazette.db')), 'no half-made site');
  });
});

describe('gazette init --demo --no-photos: the quick demo the tests use', () => {
  test('the same stories, no library entry, no picture and no missing-picture box', async () => {
    const dir = path.join(h.tmpDir(), 'site');
    assert.match(h.gz(['init', '--demo', '--no-photos', '--site', dir]), /with the demo content\n/);
    assert.equal(h.gz(['media', 'list', '--site', dir]).trim(), '');
    assert.deepEqual(listing(path.join(dir, 'media')), []);
    const srv = await h.startServer(dir);
    try {
      const page = await h.get(srv.url, PHOTO_STORY);
      assert.equal(page.status, 200);
      assert.ok(!page.body.includes('<figure') && !page.body.includes('media-missing'), 'no figure, no box');
      assert.match(h.textOf(page.body), /Almost every point of light in the picture is a galaxy/);
    } finally {
      await srv.stop();
    }
    const bad = h.gzRun(['init', '--no-photos', '--site', path.join(h.tmpDir(), 'site')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--no-photos goes with --demo/);
  });
});
