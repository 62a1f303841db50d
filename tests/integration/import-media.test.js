'use strict';
// WordPress media comes across (issue 14): tests/fixtures/wxr-media.xml uses every media form
// the importer knows (featured images, [caption], [gallery] with and without ids, image,
// gallery and cover blocks, plain <img> of the uploads and of another host, [audio]/[video]
// by src=, mp3=/mp4= and a positional URL, audio/video blocks, bare-URL and [embed] embeds,
// embed blocks) with its files in tests/fixtures/wxr-media-uploads (some deliberately
// missing). The pictures found go through the library (variants, one record per picture),
// the story pages show figures, galleries in order, captions, players of /media/ files and
// facades; the summary counts each kind and names each missing file with its story; a
// second import writes nothing.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const h = require('./helpers');

const FIXTURE = h.fixture('wxr-media.xml');
const UPLOADS = h.fixture('wxr-media-uploads');

after(() => h.cleanupSites());

const importFile = (dir, extra = []) =>
  h.gzRun(['import', 'wordpress', FIXTURE, '--site', dir, '--uploads', UPLOADS, ...extra], { timeout: 120000 });

// Library rows: id, size, bytes, name, alt (gazette media list, tab-separated).
function library(dir) {
  return h.gz(['media', 'list', '--site', dir]).trim().split('\n').filter(Boolean)
    .map((l) => l.split('\t')).map(([id, size, , name, alt]) => ({ id: Number(id), size, name, alt }));
}

const q = (dir, sql) => h.sql(dir, sql);

// The img of each figure of a gallery, in order: [{alt, src}]
function galleryItems(html) {
  return [...html.matchAll(/<figure class="figure">\s*<a class="gallery-link"[^>]*><picture>[\s\S]*?<img src="([^"]+)"[^>]*alt="([^"]*)"/g)]
    .map((m) => ({ src: m[1], alt: m[2] }));
}

// The galleries of a page: each <div class="gallery" ...> ... up to its end.
function galleries(html) {
  return html.split('<div class="gallery"').slice(1).map((g) => g.split('<div class="lightbox"')[0]);
}

describe('gazette import wordpress --uploads: media', () => {
  let dir, srv, report, lib, hash;
  before(async () => {
    dir = h.makeSite({ demo: false });
    const r = importFile(dir);
    assert.equal(r.status, 0, r.stderr);
    report = r.stdout;
    lib = library(dir);
    hash = (name) => {
      const row = q(dir, `SELECT hash FROM media WHERE name = '${name}'`);
      assert.match(row, /^[0-9a-f]{16}$/, name);
      return row;
    };
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('every picture found is in the library once, with alt text from WordPress', () => {
    // lead, red (red-300x200.png stands for red.png; red-copy.png is the same bytes), green, blue;
    // and the audio and video files of the [audio]/[video] shortcodes and blocks
    assert.deepEqual(lib.map((r) => r.name).sort(), ['blue.png', 'clip.mp4', 'green.png', 'lead.png', 'red.png', 'song.mp3']);
    const alt = Object.fromEntries(lib.map((r) => [r.name, r.alt]));
    assert.equal(alt['lead.png'], 'Lead alt from WordPress');
    assert.equal(alt['red.png'], 'Red alt from WordPress');
    assert.equal(q(dir, "SELECT caption FROM media WHERE name = 'red.png'"), 'Red caption from WordPress');
    // song.mp3 and clip.mp4 (issue 14: audio and video go through the library too)
    assert.match(report, /^  library: 4 pictures and 2 audio or video files added, 1 already there$/m);
    assert.match(report, /^  attachments: \d+ \(0 files copied to media\/\)$/m, 'nothing copied as it came');
    for (const name of ['lead.png', 'red.png', 'green.png', 'blue.png']) {
      const files = fs.readdirSync(path.join(dir, 'media')).filter((f) => f.startsWith(hash(name)));
      assert.ok(files.includes(`${hash(name)}-320.jpg`) && files.includes(`${hash(name)}-320.webp`), `${name}: ${files}`);
    }
    // no picture is served as it came
    assert.ok(!fs.existsSync(path.join(dir, 'media', '2024', '05', 'red.png')));
    assert.ok(!fs.existsSync(path.join(dir, 'media', '2024', '05', 'lead.png')));
  });

  test('the summary counts each kind and names each missing file with its story', () => {
    const counts = {
      'featured images': '2 / 1 / 0', // classic (lead), same-picture (red); block-media's gone.png
      'body images': '3 / 2 / 1', // green plain, green block, red-copy; absent.jpg, nothere.png; elsewhere
      captions: '1 / 0 / 0',
      galleries: '3 / 0 / 0', // [gallery ids], [gallery] of the children, the gallery block
      'gallery images': '8 / 1 / 0', // 2 + 4 (+ gone.png missing) + 2
      'cover blocks': '1 / 0 / 0',
      audio: '3 / 0 / 0', // mp3=, the positional URL, the audio block
      video: '2 / 1 / 0', // src=, the video block; lost.mp4
      embeds: '2 / 0 / 1', // a bare URL and an embed block; [embed] of no provider
    };
    for (const [kind, v] of Object.entries(counts)) assert.match(report, new RegExp(`^  ${kind}: ${v}$`, 'm'), kind);
    assert.match(report, /^  files not found in --uploads: 6$/m);
    for (const line of ['2024/05/absent.jpg (story: classic-media)', '2024/05/gone.png (story: classic-media)',
      '2024/05/lost.mp4 (story: classic-media)', '2024/05/nothere.png (story: block-media)',
      '2024/05/gone.png (story: block-media)', '2024/05/gone.png (attachment 105)']) {
      assert.ok(report.includes(`\n  ${line}\n`), `${line}\n${report}`);
    }
  });

  test('featured images: _thumbnail_id to the library picture, shown on the story page', async () => {
    const [img, w, hh] = q(dir, "SELECT featured_image, featured_width, featured_height FROM stories WHERE slug = 'classic-media'").split('|');
    assert.equal(img, `/media/${hash('lead.png')}-640.jpg`);
    assert.deepEqual([w, hh], ['640', '366']);
    assert.equal(q(dir, "SELECT featured_image FROM stories WHERE slug = 'same-picture'"), `/media/${hash('red.png')}-640.jpg`);
    assert.equal(q(dir, "SELECT featured_image FROM stories WHERE slug = 'block-media'"), '', 'gone.png is missing');
    // the story names the library record, as the editor's featured image does
    assert.equal(q(dir, "SELECT CASE WHEN s.featured_media_id = m.id THEN 1 ELSE 0 END FROM stories s, media m WHERE s.slug = 'classic-media' AND m.name = 'lead.png'"), '1');
    assert.equal(q(dir, "SELECT CASE WHEN featured_media_id IS NULL THEN 1 ELSE 0 END FROM stories WHERE slug = 'block-media'"), '1');
    const r = await h.get(srv.url, '/2024/05/10/classic-media');
    assert.equal(r.status, 200);
    assert.match(r.body, new RegExp(`<figure class="figure featured"><picture>(?:<source [^>]*>)*<img src="/media/${hash('lead.png')}-640\\.jpg" srcset="/media/${hash('lead.png')}-320\\.jpg 320w, /media/${hash('lead.png')}-640\\.jpg 640w"`), 'featured image');
    const f = await h.get(srv.url, img);
    assert.equal(f.status, 200);
    assert.equal(f.headers['content-type'], 'image/jpeg');
  });

  test('classic content: caption, galleries in order, plain and foreign images, players, embeds', async () => {
    const { body } = await h.get(srv.url, '/2024/05/10/classic-media');
    const red = hash('red.png'), green = hash('green.png'), blue = hash('blue.png'), lead = hash('lead.png');
    // [caption]: the original (not the 300x200 copy), the caption as text, the post's alt
    assert.match(body, new RegExp(`<figure class="figure">\\s*<picture>[\\s\\S]*?<img src="/media/${red}-640\\.jpg" srcset="/media/${red}-320\\.jpg 320w, /media/${red}-640\\.jpg 640w"[^>]* width="700" height="467" alt="Red in a caption"[^>]*loading="lazy"></picture><figcaption>Red seen at dawn</figcaption>`));
    assert.doesNotMatch(body, /example\.org\/dawn/, 'the caption link is kept as text');
    const [byIds, children] = galleries(body);
    assert.deepEqual(galleryItems(byIds).map((i) => i.alt), ['Blue alt from WordPress', 'Red alt from WordPress'], 'ids order');
    assert.deepEqual(galleryItems(children).map((i) => i.src),
      [`/media/${lead}-640.jpg`, `/media/${green}-640.jpg`, `/media/${red}-640.jpg`, `/media/${blue}-320.jpg`], 'menu order');
    assert.ok(children.includes('<figcaption>Blue caption from WordPress</figcaption>'));
    // a plain <img> of the uploads (its link gone with it); one of another host stays
    assert.match(body, new RegExp(`<img src="/media/${green}-640\\.jpg"[^>]* alt="Green, plain"`));
    assert.doesNotMatch(body, /<a href="[^"]*green\.png">/);
    assert.match(body, /<img src="https:\/\/elsewhere\.example\/pic\.jpg" alt="From elsewhere">/);
    assert.match(body, /<img src="https:\/\/old\.example\/wp-content\/uploads\/2024\/05\/absent\.jpg" alt="Absent picture">/);
    // players of the files found, through the library (figure.c's player,
    // media/HASH.EXT); the missing one is a link to where it was
    const mp3 = `/media/${hash('song.mp3')}.mp3`, mp4 = `/media/${hash('clip.mp4')}.mp4`;
    const audios = [...body.matchAll(/<figure class="audio">\s*<audio controls="" preload="none" src="([^"]+)"><a href="([^"]+)">song\.mp3<\/a><\/audio><\/figure>/g)];
    assert.deepEqual(audios.map((m) => [m[1], m[2]]), [[mp3, mp3], [mp3, mp3]]);
    assert.match(body, new RegExp(`<figure class="video">\\s*<div class="video-box">\\s*<video controls="" preload="none" src="${mp4}"><a href="${mp4}">clip\\.mp4</a></video></div>\\s*</figure>`));
    assert.match(body, /<a href="https:\/\/old\.example\/wp-content\/uploads\/2024\/05\/lost\.mp4">/);
    assert.ok(!fs.existsSync(path.join(dir, 'media', '2024', '05', 'song.mp3')), 'not copied as it came');
    const song = await h.get(srv.url, mp3, { headers: { Range: 'bytes=0-2' } });
    assert.equal(song.status, 206);
    assert.equal(song.body, 'ID3');
    assert.equal(song.headers['cache-control'], 'public, max-age=31536000, immutable');
    // embeds: a facade for YouTube, a link for the rest; no iframe
    assert.match(body, /<figure class="embed embed-youtube[^"]*"[^>]*data-embed-url="https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ"/);
    assert.match(body, /<a href="https:\/\/example\.com\/not-a-provider">/);
    assert.doesNotMatch(body, /<iframe/);
    assert.doesNotMatch(body, /gzm-/, 'no placeholder left');
  });

  test('block content: image, gallery and cover blocks, players, the embed block', async () => {
    const { body } = await h.get(srv.url, '/2024/05/11/block-media');
    const green = hash('green.png'), blue = hash('blue.png'), lead = hash('lead.png'), red = hash('red.png');
    assert.match(body, new RegExp(`<img src="/media/${green}-640\\.jpg"[^>]* alt="Green in a block"[^>]*></picture><figcaption>Green block caption</figcaption>`));
    const [g] = galleries(body);
    assert.deepEqual(galleryItems(g), [{ src: `/media/${blue}-320.jpg`, alt: 'Blue in a gallery' },
      { src: `/media/${lead}-640.jpg`, alt: 'Lead in a gallery' }]);
    assert.ok(g.includes('<figcaption>Blue item</figcaption>'));
    assert.match(body, new RegExp(`<img src="/media/${red}-640\\.jpg"[^>]* alt=""[^>]*></picture></figure>\\s*<p>Words over the cover</p>`));
    assert.match(body, new RegExp(`<figure class="wp-block-audio">\\s*<audio controls="" preload="none" src="/media/${hash('song.mp3')}\\.mp3">`));
    assert.match(body, new RegExp(`<figure class="wp-block-video">\\s*<video controls="" preload="none" src="/media/${hash('clip.mp4')}\\.mp4">`));
    assert.match(body, /data-embed-url="https:\/\/www\.youtube\.com\/watch\?v=oHg5SJYRHA0"/);
    assert.match(body, /<img src="https:\/\/old\.example\/wp-content\/uploads\/2024\/05\/nothere\.png" alt="Not there">/);
    assert.doesNotMatch(body, /wp-block-cover__image-background|<iframe|style=/);
  });

  test('the same picture under another name is the same library entry', async () => {
    const { body } = await h.get(srv.url, '/2024/05/12/same-picture');
    assert.match(body, new RegExp(`<img src="/media/${hash('red.png')}-640\\.jpg"[^>]* alt="Red again"`));
    assert.equal(q(dir, "SELECT count(*) FROM media WHERE mime LIKE 'image/%'"), '4');
    assert.equal(q(dir, 'SELECT count(*) FROM media'), '6', 'with song.mp3 and clip.mp4');
  });

  test('a second import writes nothing: no new library row, no new file', () => {
    const before = fs.readdirSync(path.join(dir, 'media')).sort();
    const changes = q(dir, 'SELECT count(*) FROM stories') + q(dir, 'SELECT max(id) FROM media');
    const r = importFile(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /already imported: 9 unchanged/);
    assert.match(r.stdout, /^  library: 0 pictures added, 0 already there$/m);
    assert.deepEqual(library(dir).map((x) => x.id).sort(), lib.map((x) => x.id).sort());
    assert.equal(q(dir, 'SELECT count(*) FROM stories') + q(dir, 'SELECT max(id) FROM media'), changes);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'media')).sort(), before);
  });

  test('a dry run makes no variant and adds no row, and says what a real one would', () => {
    const site = h.makeSite({ demo: false });
    const r = importFile(site, ['--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    const media = (out) => out.slice(out.indexOf('media (found'), out.indexOf('\ntime:'));
    assert.match(media(r.stdout), /^  featured images: 2 \/ 1 \/ 0$/m);
    assert.equal(media(r.stdout), media(report), 'the same summary as the real import');
    assert.equal(q(site, 'SELECT count(*) FROM media'), '0');
    assert.deepEqual(fs.readdirSync(path.join(site, 'media')), []);
    assert.ok(!fs.existsSync(path.join(site, 'media-originals')) ||
      fs.readdirSync(path.join(site, 'media-originals')).length === 0);
  });

  test('an interrupted import removes the variants it made', async () => {
    const site = h.makeSite({ demo: false });
    const bin = process.env.GAZETTE_BIN ? path.resolve(process.env.GAZETTE_BIN) : path.join(__dirname, '..', '..', 'gazette');
    const child = spawn(bin, ['import', 'wordpress', FIXTURE, '--site', site, '--uploads', UPLOADS], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const originals = path.join(site, 'media-originals');
    // wait for the first picture's files, then interrupt
    for (let i = 0; i < 5000 && !(fs.existsSync(originals) && fs.readdirSync(originals).length); i++) {
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.ok(fs.readdirSync(originals).length > 0, 'a picture was made before the signal');
    child.kill('SIGINT');
    assert.equal(await exited, 1);
    assert.deepEqual(fs.readdirSync(path.join(site, 'media')), [], 'no variant left');
    assert.deepEqual(fs.readdirSync(originals), [], 'no original left');
    assert.equal(q(site, 'SELECT count(*) FROM media'), '0');
  });
});

describe('gazette import wordpress --uploads: files it may not copy as they came', () => {
  test('a library variant\'s name, a picture in a player, dot folders: never copied over or into media/', async () => {
    const ih = require('./import-helpers');
    const site = h.makeSite({ demo: false });
    const add = h.gzRun(['media', 'add', '--site', site, '--alt', 'A red square', path.join(UPLOADS, fs.readdirSync(UPLOADS, { recursive: true })
      .find((f) => /\.png$/.test(f)))]);
    assert.equal(add.status, 0, add.stderr);
    const variant = fs.readdirSync(path.join(site, 'media')).find((f) => /^[0-9a-f]{16}-\d+\.webp$/.test(f));
    const before = fs.readFileSync(path.join(site, 'media', variant));
    const up = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'gz-up-'));
    fs.writeFileSync(path.join(up, variant), 'not the variant');
    fs.writeFileSync(path.join(up, 'clip.jpg'), Buffer.from('ffd8ffe000104a464946', 'hex'));
    fs.mkdirSync(path.join(up, '.hidden'));
    fs.writeFileSync(path.join(up, '.hidden', 'a.mp3'), 'ID3');
    fs.mkdirSync(path.join(up, 'featured'));
    fs.writeFileSync(path.join(up, 'featured', 'b.mp3'), 'ID3');
    const body = `<p><a href="/wp-content/uploads/${variant}">the file</a></p>
[video src="https://old.example/wp-content/uploads/clip.jpg"]
[audio src="https://old.example/wp-content/uploads/.hidden/a.mp3"]
[audio src="https://old.example/wp-content/uploads/featured/b.mp3"]`;
    const wxr = path.join(up, 'export.xml');
    fs.writeFileSync(wxr, ih.wrap(ih.post({ id: 7, slug: 'files', title: 'Files', date: '2024-05-01 10:00:00', content: body })));
    const r = h.gzRun(['import', 'wordpress', wxr, '--site', site, '--uploads', up], { timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(path.join(site, 'media', variant)).equals(before), 'the library\'s variant is untouched');
    for (const f of ['clip.jpg', '.hidden', 'featured/b.mp3']) {
      assert.ok(!fs.existsSync(path.join(site, 'media', f)), `${f} not copied`);
    }
    fs.rmSync(up, { recursive: true, force: true });
  });
});
