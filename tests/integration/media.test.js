'use strict';
// The media library's foundation (issue 14): `gazette media add` checks a
// picture, makes its variants without metadata and prints the Markdown to
// paste; /media/ serves variants immutable, with ETag, 304 and byte ranges.
// The fixtures are made by tests/unit/test_media.c: test_media --fixtures DIR.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

after(() => h.cleanupSites());

const FIXTURES = {
  'photo-gps.jpg': h.fixture('media/photo-gps.jpg'), // 1200x800, EXIF orientation 6 and GPS
  'report.jpg': h.fixture('media/report.jpg'), // a PDF
  'drawing.svg': h.fixture('media/drawing.svg'),
  'truncated.jpg': h.fixture('media/truncated.jpg'),
  'bomb.png': h.fixture('media/bomb.png'), // declares 50000x50000
  'polyglot.jpg': h.fixture('media/polyglot.jpg'), // a JPEG with a ZIP after it
};
const media = (name) => FIXTURES[name];
const listing = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

// A JPEG's size from its first SOFn frame header.
function jpegSize(buf) {
  let i = 2;
  while (i + 9 < buf.length) {
    assert.equal(buf[i], 0xff, 'a marker');
    const m = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    if (m >= 0xc0 && m <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(m)) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

describe('gazette media and /media/', () => {
  let dir; let srv; let hash;
  before(async () => {
    dir = h.makeSite({ demo: false });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('--help documents the commands; gazette --help lists media', () => {
    const r = h.gzRun(['media', '--help']);
    assert.equal(r.status, 0);
    for (const s of ['media add --site DIR', '--alt TEXT', '--caption TEXT', '--credit TEXT',
      'media list --site DIR', '--search TEXT']) {
      assert.ok(r.stdout.includes(s), `--help mentions ${s}`);
    }
    assert.match(h.gzRun(['--help']).stdout, /media\s+add pictures to the media library/);
    assert.equal(h.gzRun(['media', 'add', media('photo-gps.jpg')]).status, 2, 'no --site');
    assert.equal(h.gzRun(['media', 'frob', '--site', dir]).status, 2);
    assert.equal(h.gzRun(['media', 'add', '--site', dir]).status, 2, 'no FILE');
    assert.equal(h.gzRun(['media', 'add', '--site', dir, '--alt', 'x'.repeat(1001),
      media('photo-gps.jpg')]).status, 2, 'alt too long');
    assert.deepEqual(listing(path.join(dir, 'media-originals')), []);
  });

  test('add: variants at the right widths, upright, without EXIF; the Markdown to paste', () => {
    const original = fs.readFileSync(media('photo-gps.jpg'));
    assert.ok(original.includes(Buffer.from('Exif\0\0')), 'the fixture carries EXIF (GPS, orientation 6)');
    // a path that climbs: only its last segment is kept as the name
    const climbing = path.join(path.dirname(media('photo-gps.jpg')), '..', 'media', 'photo-gps.jpg');
    const r = h.gzRun(['media', 'add', '--site', dir, '--alt', 'A [red] kite', '--caption',
      'Over the "hill"', '--credit', 'Photo: Jane Doe', climbing]);
    assert.equal(r.status, 0, r.stderr);
    // 1200x800 stored, orientation 6: 800x1200 upright; widths 320 and 640 (960 is wider)
    assert.match(r.stdout, /^added media 1: photo-gps\.jpg, 800x1200, 320x480 640x960 in webp jpg( avif)?$/m);
    assert.match(r.stdout, /^!\[A \\\[red\\\] kite\]\(media:1 "Over the \\"hill\\""\)$/m);
    const files = listing(path.join(dir, 'media'));
    hash = files[0].slice(0, 16);
    assert.match(hash, /^[0-9a-f]{16}$/);
    const formats = r.stdout.includes(' avif') ? ['avif', 'jpg', 'webp'] : ['jpg', 'webp'];
    const want = [];
    for (const w of [320, 640]) for (const f of formats) want.push(`${hash}-${w}.${f}`);
    assert.deepEqual(files, want.sort());
    for (const f of files) {
      const b = fs.readFileSync(path.join(dir, 'media', f));
      assert.ok(!b.includes(Buffer.from('Exif')), `${f} has no EXIF block`);
      assert.ok(!b.includes(Buffer.from('GPS')), `${f} has no GPS`);
    }
    assert.deepEqual(jpegSize(fs.readFileSync(path.join(dir, 'media', `${hash}-640.jpg`))),
      { width: 640, height: 960 });
    // the original, byte for byte, outside the public folder
    assert.deepEqual(listing(path.join(dir, 'media-originals')), [`${hash}.jpg`]);
    assert.ok(fs.readFileSync(path.join(dir, 'media-originals', `${hash}.jpg`)).equals(original));
  });

  test('the same picture again is the same entry; list and --search', () => {
    const r = h.gzRun(['media', 'add', '--site', dir, media('photo-gps.jpg')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /already in the library as media 1 \(photo-gps\.jpg\)/);
    const lines = h.gz(['media', 'list', '--site', dir]).trim().split('\n');
    assert.deepEqual(lines, ['1\t800x1200\t20 KB\tphoto-gps.jpg\tA [red] kite']);
    assert.equal(h.gz(['media', 'list', '--site', dir, '--search', 'jane doe']).trim().split('\n').length, 1);
    assert.equal(h.gz(['media', 'list', '--site', dir, '--search', 'zebra']).trim(), '');
    assert.equal(h.gz(['media', 'list', '--site', dir, '--search', '%']).trim(), '', '% is a character');
  });

  test('bad files are refused with a message and leave nothing behind', () => {
    const cases = [
      // media add takes audio and video too (issue 14): the message names all three
      ['report.jpg', /not a picture, audio or video file we take: this file is a PDF document/],
      ['drawing.svg', /not a picture, audio or video file we take: this file is an SVG drawing, which can carry script/],
      ['truncated.jpg', /truncated or corrupt JPEG/],
      ['bomb.png', /image too large: 50000x50000 pixels, the limit is 40 megapixels/],
      ['polyglot.jpg', /bytes of something else follow the picture/],
    ];
    const before = [listing(path.join(dir, 'media')), listing(path.join(dir, 'media-originals'))];
    for (const [name, message] of cases) {
      const r = h.gzRun(['media', 'add', '--site', dir, media(name)]);
      assert.equal(r.status, 1, name);
      assert.match(r.stderr, message, name);
      assert.deepEqual([listing(path.join(dir, 'media')), listing(path.join(dir, 'media-originals'))],
        before, `${name} left nothing`);
    }
    assert.equal(h.gz(['media', 'list', '--site', dir]).trim().split('\n').length, 1);
  });

  test('a variant is served immutable, with ETag and 304', async () => {
    const file = fs.readFileSync(path.join(dir, 'media', `${hash}-320.webp`));
    const r = await h.get(srv.url, `/media/${hash}-320.webp`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'image/webp');
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(r.headers['accept-ranges'], 'bytes');
    assert.ok(r.raw.equals(file));
    const etag = r.headers.etag;
    assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await h.get(srv.url, `/media/${hash}-320.webp`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.raw.length, 0);
    assert.equal(again.headers.etag, etag);
    const listed = await h.get(srv.url, `/media/${hash}-320.webp`,
      { headers: { 'If-None-Match': `"other", W/${etag}` } });
    assert.equal(listed.status, 304, 'a weak tag in a list matches');
    const other = await h.get(srv.url, `/media/${hash}-320.webp`, { headers: { 'If-None-Match': '"other"' } });
    assert.equal(other.status, 200);
  });

  test('Range: 206 for a part, the last bytes, 416 outside the file; If-Range', async () => {
    const file = fs.readFileSync(path.join(dir, 'media', `${hash}-640.jpg`));
    const url = `/media/${hash}-640.jpg`;
    let r = await h.get(srv.url, url, { headers: { Range: 'bytes=0-99' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], `bytes 0-99/${file.length}`);
    assert.ok(r.raw.equals(file.subarray(0, 100)));
    r = await h.get(srv.url, url, { headers: { Range: 'bytes=100-' } });
    assert.equal(r.status, 206);
    assert.ok(r.raw.equals(file.subarray(100)));
    r = await h.get(srv.url, url, { headers: { Range: 'bytes=-10' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], `bytes ${file.length - 10}-${file.length - 1}/${file.length}`);
    assert.ok(r.raw.equals(file.subarray(file.length - 10)));
    for (const bad of [`bytes=${file.length}-`, 'bytes=50-10', 'bytes=abc']) {
      r = await h.get(srv.url, url, { headers: { Range: bad } });
      assert.equal(r.status, 416, bad);
      assert.equal(r.headers['content-range'], `bytes */${file.length}`);
    }
    const etag = (await h.get(srv.url, url)).headers.etag;
    r = await h.get(srv.url, url, { headers: { Range: 'bytes=0-9', 'If-Range': etag } });
    assert.equal(r.status, 206);
    r = await h.get(srv.url, url, { headers: { Range: 'bytes=0-9', 'If-Range': '"old"' } });
    assert.equal(r.status, 200, 'another version: all of it');
    assert.ok(r.raw.equals(file));
  });

  test('audio seeks by Range too; other files are kept a day; originals are never served', async () => {
    const clip = Buffer.alloc(5000, 7);
    fs.writeFileSync(path.join(dir, 'media', 'clip.mp3'), clip);
    let r = await h.get(srv.url, '/media/clip.mp3', { headers: { Range: 'bytes=4000-4999' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-type'], 'audio/mpeg');
    assert.equal(r.raw.length, 1000);
    assert.equal(r.headers['cache-control'], 'public, max-age=86400', 'not a variant: not immutable');
    r = await h.get(srv.url, `/media-originals/${hash}.jpg`);
    assert.equal(r.status, 404);
    r = await h.get(srv.url, `/media/../media-originals/${hash}.jpg`);
    assert.ok([400, 404].includes(r.status), `status ${r.status}`);
    r = await h.get(srv.url, `/media/%2e%2e/media-originals/${hash}.jpg`);
    assert.ok([400, 404].includes(r.status), `status ${r.status}`);
  });

  test('a variant asked for again is the file as it is now: replaced, removed, HEAD (the server\'s ready responses)', async () => {
    const name = `${hash}-320.webp`;
    const file = path.join(dir, 'media', name);
    const orig = fs.readFileSync(file);
    for (let i = 0; i < 8; i++) { // every server thread has it ready
      const r = await h.get(srv.url, `/media/${name}`);
      assert.equal(r.status, 200);
      assert.ok(r.raw.equals(orig));
    }
    const head = await h.request(srv.url, `/media/${name}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), orig.length);
    assert.equal(head.raw.length, 0, 'HEAD: no body');
    assert.match(head.headers['content-security-policy'], /default-src 'self'/, 'the security headers are there');
    // a new file under the name (a restored backup): its bytes and ETag, never the old descriptor's
    const other = Buffer.concat([orig, Buffer.from('-changed')]);
    fs.writeFileSync(file + '.new', other);
    fs.renameSync(file + '.new', file);
    for (let i = 0; i < 8; i++) {
      const r = await h.get(srv.url, `/media/${name}`);
      assert.equal(r.status, 200);
      assert.ok(r.raw.equals(other), 'the new bytes');
      assert.equal(r.headers['content-length'], String(other.length));
    }
    fs.unlinkSync(file);
    for (let i = 0; i < 8; i++) assert.equal((await h.get(srv.url, `/media/${name}`)).status, 404, 'gone');
    fs.writeFileSync(file, orig);
  });

  test('files and folders whose name begins with a dot are never served (files being written, an import\'s staging)', async () => {
    fs.writeFileSync(path.join(dir, 'media', `.tmp-${hash}-320.jpg`), Buffer.alloc(100, 1));
    fs.mkdirSync(path.join(dir, 'media', '.import-123', '2024'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'media', '.import-123', '2024', 'report.pdf'), '%PDF-1.4\n');
    for (const u of [`/media/.tmp-${hash}-320.jpg`, '/media/.import-123/2024/report.pdf', '/media/.import-123/2024/']) {
      const r = await h.get(srv.url, u);
      assert.equal(r.status, 404, u);
    }
    fs.writeFileSync(path.join(dir, 'media', 'a.b.mp3'), Buffer.alloc(10, 2));
    assert.equal((await h.get(srv.url, '/media/a.b.mp3')).status, 200, 'a dot inside a name is fine');
  });
});
