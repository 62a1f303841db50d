'use strict';
// Audio and video in the media library (issue 14): uploaded files are
// recognised by their content (a PDF named .mp3 is refused with its
// message), kept once as media/HASH.EXT byte for byte (no original copy, no
// variants), within media_upload_limit, which the upload route's body limit
// follows; the grid shows them as labelled tiles and the item page shows
// the player and edits title, caption and credit; a story's
// ![title](media:ID "caption") renders <figure class="video|audio"> with a
// preload="none" player, its fallback link and figcaption, and never joins
// a gallery; the file is served with Range (206 with the right bytes),
// immutable caching and its type; feeds get absolute URLs; delete is
// refused while a story uses the item and removes the file when unused;
// `gazette media add` takes audio and video too.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

const MP4 = fs.readFileSync(h.fixture('media/clip.mp4')); // Chromium's MediaRecorder, H.264
const PDF = fs.readFileSync(h.fixture('media/report.jpg')); // a PDF

// A PCM WAV of n bytes of silence (8 kHz mono 16-bit).
function wav(n) {
  const head = Buffer.alloc(44);
  head.write('RIFF', 0); head.writeUInt32LE(36 + n, 4); head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16); head.writeUInt16LE(1, 20); head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24); head.writeUInt32LE(16000, 28); head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34); head.write('data', 36); head.writeUInt32LE(n, 40);
  return Buffer.concat([head, Buffer.alloc(n)]);
}

let dir; let srv;
const clients = {};
const ids = {};
let hashes = {};

function sql(query) {
  return h.sqlRows(dir, query);
}
const mediaFiles = () => fs.readdirSync(path.join(dir, 'media')).filter((f) => !fs.statSync(path.join(dir, 'media', f)).isDirectory()).sort();
const file = (name, data, type) => ({ name: 'files', filename: name, type, data });
const upload = (client, files) => a.postMultipart(client, '/admin/media', {}, files);
const idOf = (body, name) => {
  const m = new RegExp(`<a href="/admin/media/(\\d+)">${name.replace('.', '\\.')}</a>`).exec(body);
  return m ? Number(m[1]) : null;
};

before(async () => {
  // pictures up to 64 KB (20 of them: a 1.3 MB body), audio and video up to 3 MB
  dir = a.makeNewsroom({ conf: { upload_limit: 65536, media_upload_limit: 3 * 1024 * 1024 } });
  srv = await h.startServer(dir);
  for (const role of a.ROLES) clients[role] = await a.signedIn(srv.url, role);
});
after(async () => { if (srv) await srv.stop(); });

describe('uploading audio and video', () => {
  test('a video, a 2.5 MB WAV and a PDF named .mp3: the first two kept as they came, the PDF refused by its content', async () => {
    const big = wav(2.5 * 1024 * 1024);
    const r = await upload(clients.contributor, [
      file('clip.mp4', MP4, 'video/mp4'),
      file('podcast.wav', big, 'audio/wav'),
      file('song.mp3', PDF, 'audio/mpeg'),
    ]);
    // the body (2.5 MB) is past 20 x upload_limit + 1 MB: media_upload_limit decides
    assert.equal(r.status, 200, h.textOf(r.body).slice(0, 400));
    const added = h.textOf(h.findElement(r.body, 'ul', (x) => x.id === 'upload-added'));
    const refused = h.textOf(h.findElement(r.body, 'ul', (x) => x.id === 'upload-refused'));
    assert.match(added, /clip\.mp4/);
    assert.match(added, /podcast\.wav/);
    assert.match(refused, /song\.mp3\s*: not a picture, audio or video file we take: this file is a PDF document \(its content was checked, not its name\)/);
    const rows = sql('SELECT id, name, hash, mime, ext, width, height, bytes, variants, formats FROM media ORDER BY id');
    assert.deepEqual(rows.map((x) => [x.name, x.mime, x.ext, x.variants, x.formats, x.bytes]), [
      ['clip.mp4', 'video/mp4', 'mp4', '', '', MP4.length],
      ['podcast.wav', 'audio/wav', 'wav', '', '', big.length],
    ]);
    ids.video = rows[0].id; ids.audio = rows[1].id;
    hashes = { video: rows[0].hash, audio: rows[1].hash };
    assert.deepEqual(mediaFiles(), [`${hashes.video}.mp4`, `${hashes.audio}.wav`].sort(), 'one file each, nothing of the PDF');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'media', `${hashes.video}.mp4`)), MP4, 'stored byte for byte');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'media', `${hashes.audio}.wav`)), big);
    const orig = path.join(dir, 'media-originals');
    assert.ok(!fs.existsSync(orig) || fs.readdirSync(orig).length === 0, 'no second copy');
    // the same file again is the same entry
    const again = await upload(clients.editor, [file('again.mp4', MP4, 'video/mp4')]);
    assert.match(h.textOf(h.findElement(again.body, 'ul', (x) => x.id === 'upload-added')), /already in the library/);
    assert.equal(sql('SELECT count(*) AS n FROM media')[0].n, 2);
  });

  test('a file over media_upload_limit is a 413 and leaves nothing', async () => {
    const before = mediaFiles();
    const r = await upload(clients.editor, [file('long.wav', wav(3.2 * 1024 * 1024), 'audio/wav')]);
    assert.equal(r.status, 413);
    assert.match(h.textOf(r.body), /larger than this site accepts \(3145728 bytes at most\)/);
    assert.deepEqual(mediaFiles(), before);
  });

  test('the grid shows them as labelled tiles; the item page shows the player and saves its texts', async () => {
    const grid = await clients.editor.get('/admin/media');
    const tile = h.findElement(grid.body, 'li', (x) => x.id === `media-${ids.video}`);
    assert.ok(tile, 'the video is in the grid');
    assert.ok(h.hasClass(h.findTags(grid.body, 'li').find((t) => t.attrs.id === `media-${ids.video}`).attrs, 'media-video'));
    assert.match(h.textOf(tile), /Video/);
    assert.doesNotMatch(tile, /<img/);
    assert.match(h.textOf(h.findElement(grid.body, 'li', (x) => x.id === `media-${ids.audio}`)), /Audio/);

    const page = await clients.contributor.get(`/admin/media/${ids.video}`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`<video controls preload="none" src="/media/${hashes.video}\\.mp4"`));
    const r = await clients.contributor.post(`/admin/media/${ids.video}`,
      { alt: 'Flood at the quay', caption: 'Water over the quay on Monday.', credit: 'Video: Ana Lima', focal_x: '0.5', focal_y: '0.5' });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const row = sql(`SELECT alt, caption, credit FROM media WHERE id = ${ids.video}`)[0];
    assert.deepEqual(row, { alt: 'Flood at the quay', caption: 'Water over the quay on Monday.', credit: 'Video: Ana Lima' });
    // search finds it by its caption
    const found = await clients.editor.get('/admin/media?q=quay');
    assert.ok(h.findElement(found.body, 'li', (x) => x.id === `media-${ids.video}`));
    assert.ok(!h.findElement(found.body, 'li', (x) => x.id === `media-${ids.audio}`));
    // another contributor's item: shown, not editable (as for pictures)
    assert.equal((await clients.author.post(`/admin/media/${ids.video}/delete`, {})).status, 403);
  });
});

describe('in a story', () => {
  let pub; let storyId;
  test('figures with players that fetch nothing before play, caption and credit, no gallery of a picture and audio', async () => {
    const pic = await upload(clients.editor, [file('quay.png', a.png(400, 300), 'image/png')]);
    ids.picture = idOf(pic.body, 'quay.png');
    assert.ok(ids.picture);
    storyId = await a.writeStory(clients.editor, {
      title: 'The flood in pictures and sound',
      body: `The water rose.\n\n![](media:${ids.video})\n\n![Hear the sirens](media:${ids.audio} "Sirens at noon")\n\n![](media:${ids.picture})\n![](media:${ids.audio})\n`,
      excerpt: 'The flood.',
    });
    pub = await a.publicPath(clients.editor, storyId);
    const page = await h.get(srv.url, pub);
    assert.equal(page.status, 200);
    const vsrc = `/media/${hashes.video}.mp4`;
    assert.ok(page.body.includes(`<figure class="video"><div class="video-box"><video controls preload="none" src="${vsrc}" title="Flood at the quay"><a href="${vsrc}">Flood at the quay</a></video></div><figcaption>Water over the quay on Monday. <span class="credit">Video: Ana Lima</span></figcaption></figure>`),
      page.body.slice(page.body.indexOf('The water rose'), page.body.indexOf('The water rose') + 1500));
    const asrc = `/media/${hashes.audio}.wav`;
    assert.ok(page.body.includes(`<figure class="audio"><audio controls preload="none" src="${asrc}" title="Hear the sirens"><a href="${asrc}">Hear the sirens</a></audio><figcaption>Sirens at noon</figcaption></figure>`));
    // the picture and the audio of one paragraph: a figure and a player, not a gallery
    assert.doesNotMatch(page.body, /class="gallery"/);
    assert.equal((page.body.match(/<figure class="audio">/g) || []).length, 2);
    assert.match(page.body, /<figure class="figure"><picture>/);
    assert.doesNotMatch(page.body, /autoplay/);
  });

  test('an audio or video item cannot be a featured image: 422, nothing saved', async () => {
    const n = sql('SELECT count(*) AS n FROM stories')[0].n;
    const r = await clients.editor.post('/admin/stories/new/publish', {
      title: 'A featured video?', body: 'Text.', excerpt: 'x', comments_open: '1', featured_media: String(ids.video),
    });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /That library item has no JPEG size to show/);
    assert.equal(sql('SELECT count(*) AS n FROM stories')[0].n, n);
  });

  test('the video is served with Range: 206 and exactly the bytes asked for, immutable', async () => {
    const url = `/media/${hashes.video}.mp4`;
    const whole = await h.get(srv.url, url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers['content-type'], 'video/mp4');
    assert.equal(whole.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.deepEqual(whole.raw, MP4);
    const part = await h.get(srv.url, url, { headers: { Range: 'bytes=100-1123' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes 100-1123/${MP4.length}`);
    assert.equal(part.headers['content-length'], '1024');
    assert.deepEqual(part.raw, MP4.subarray(100, 1124));
    const tail = await h.get(srv.url, url, { headers: { Range: 'bytes=-16' } });
    assert.equal(tail.status, 206);
    assert.deepEqual(tail.raw, MP4.subarray(MP4.length - 16));
    const wavPart = await h.get(srv.url, `/media/${hashes.audio}.wav`, { headers: { Range: 'bytes=0-43' } });
    assert.equal(wavPart.status, 206);
    assert.equal(wavPart.headers['content-type'], 'audio/wav');
    assert.equal(wavPart.raw.subarray(0, 4).toString(), 'RIFF');
  });

  test('the feed carries the players with absolute URLs', async () => {
    const rss = await h.get(srv.url, '/feed');
    const text = h.htmlUnescape(rss.body);
    assert.match(text, new RegExp(`<video controls preload="none" src="http://[^"/]+/media/${hashes.video}\\.mp4"`));
    assert.match(text, new RegExp(`<a href="http://[^"/]+/media/${hashes.audio}\\.wav">Hear the sirens</a>`));
  });

  test('delete is refused while a story uses the item (409, the story listed); an unused one goes with its file', async () => {
    const r = await clients.editor.post(`/admin/media/${ids.video}/delete`, {});
    assert.equal(r.status, 409);
    assert.match(h.textOf(h.findElement(r.body, 'section', (x) => x.id === 'media-uses')), /The flood in pictures and sound/);
    assert.ok(fs.existsSync(path.join(dir, 'media', `${hashes.video}.mp4`)), 'the file stays');
    assert.equal(sql(`SELECT count(*) AS n FROM media WHERE id = ${ids.video}`)[0].n, 1);

    // a story that only links to the file (as an imported player does) uses it too
    const lk = await upload(clients.editor, [file('linked.wav', wav(1200), 'audio/wav')]);
    const linked = idOf(lk.body, 'linked.wav');
    const lhash = sql(`SELECT hash FROM media WHERE id = ${linked}`)[0].hash;
    await a.writeStory(clients.editor, { title: 'Download the tape', body: `Get [the tape](/media/${lhash}.wav).`, excerpt: 'x' });
    const lr = await clients.editor.post(`/admin/media/${linked}/delete`, {});
    assert.equal(lr.status, 409);
    assert.match(h.textOf(h.findElement(lr.body, 'section', (x) => x.id === 'media-uses')), /Download the tape/);
    assert.ok(fs.existsSync(path.join(dir, 'media', `${lhash}.wav`)));

    const up = await upload(clients.editor, [file('unused.wav', wav(1000), 'audio/wav')]);
    const unused = idOf(up.body, 'unused.wav');
    const hash = sql(`SELECT hash FROM media WHERE id = ${unused}`)[0].hash;
    assert.ok(fs.existsSync(path.join(dir, 'media', `${hash}.wav`)));
    const d = await clients.editor.post(`/admin/media/${unused}/delete`, {});
    assert.equal(d.status, 303);
    assert.ok(!fs.existsSync(path.join(dir, 'media', `${hash}.wav`)), 'its file is gone');
    assert.equal(sql(`SELECT count(*) AS n FROM media WHERE id = ${unused}`)[0].n, 0);
  });
});

describe('gazette media add', () => {
  test('takes audio, refuses a PDF named .mp3 by its content', () => {
    const tmp = h.tmpDir();
    const good = path.join(tmp, 'voice.wav');
    const bad = path.join(tmp, 'voice.mp3');
    fs.writeFileSync(good, wav(2000));
    fs.writeFileSync(bad, PDF);
    const r = h.gzRun(['media', 'add', '--site', dir, '--alt', 'A voice', good]);
    assert.equal(r.status, 0, r.stderr);
    const m = /added media (\d+): voice\.wav, audio, audio\/wav, \/media\/([0-9a-f]{16})\.wav/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.match(r.stdout, new RegExp(`!\\[A voice\\]\\(media:${m[1]}\\)`));
    assert.ok(fs.existsSync(path.join(dir, 'media', `${m[2]}.wav`)));
    const list = h.gzRun(['media', 'list', '--site', dir]);
    assert.match(list.stdout, new RegExp(`^${m[1]}\\taudio\\t`, 'm'));
    const no = h.gzRun(['media', 'add', '--site', dir, bad]);
    assert.equal(no.status, 1);
    assert.match(no.stderr, /this file is a PDF document \(its content was checked, not its name\)/);
  });
});
