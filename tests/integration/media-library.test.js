'use strict';
// The media library in the admin (issue 14): several pictures uploaded at
// once, each checked by src/media/ (a bad one refused with its message, the
// good ones added, nothing of the bad one left in media/), the per-request
// cap and upload_limit, search, editing alt/caption/credit/focal point (a bad
// focal point 422 with the typed values kept), where an item is used, delete
// refused while used (409, the story listed) and allowed when unused (files
// gone), each role's refusals, the CSRF check; and a featured image uploaded
// in the editor goes through the library: what the story page serves has no
// EXIF or GPS and is a variant, never the original.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

const PHOTO = h.fixture('media/photo-gps.jpg'); // 1200x800, EXIF orientation 6 and GPS
const PDF = h.fixture('media/report.jpg'); // a PDF named .jpg

let dir; let srv;
const clients = {};

function sql(query) {
  return h.sqlRows(dir, query);
}
const mediaFiles = () => { const d = path.join(dir, 'media'); return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => !fs.statSync(path.join(d, f)).isDirectory()).sort() : []; };
const originals = () => { const d = path.join(dir, 'media-originals'); return fs.existsSync(d) ? fs.readdirSync(d).sort() : []; };
const file = (name, data, type = 'image/jpeg') => ({ name: 'files', filename: name, type, data });
const upload = (client, files, fields = {}) => a.postMultipart(client, '/admin/media', fields, files);
const idOf = (body, name) => {
  const m = new RegExp(`<a href="/admin/media/(\\d+)">${name.replace('.', '\\.')}</a>`).exec(body);
  return m ? Number(m[1]) : null;
};

before(async () => {
  dir = a.makeNewsroom({ conf: { upload_limit: 262144 } });
  srv = await h.startServer(dir);
  for (const role of a.ROLES) clients[role] = await a.signedIn(srv.url, role);
});
after(async () => { if (srv) await srv.stop(); });

describe('uploading', () => {
  test('three files at once: the PDF named .jpg is refused with its message, the two pictures added', async () => {
    const before = mediaFiles();
    assert.deepEqual(before, [], 'an empty library to start');
    const r = await upload(clients.contributor, [
      file('harbour.png', a.png(400, 300), 'image/png'),
      file('report.jpg', fs.readFileSync(PDF)),
      file('small.png', a.png(30, 20), 'image/png'),
    ]);
    assert.equal(r.status, 200, h.textOf(r.body).slice(0, 400));
    const added = h.findElement(r.body, 'ul', (x) => x.id === 'upload-added');
    const refused = h.findElement(r.body, 'ul', (x) => x.id === 'upload-refused');
    assert.match(h.textOf(added), /harbour\.png/);
    assert.match(h.textOf(added), /small\.png/);
    assert.doesNotMatch(h.textOf(added), /report/);
    assert.match(h.textOf(refused), /report\.jpg\s*: not a picture, audio or video file we take: this file is a PDF document/);
    const rows = sql('SELECT id, name, hash, uploaded_by FROM media ORDER BY id');
    assert.deepEqual(rows.map((x) => x.name), ['harbour.png', 'small.png']);
    // only the good ones' files: harbour 320 wide and its own 400? no: widths
    // are those of 320..1920 no wider than the picture, so 320; small: 30
    const want = [];
    for (const [row, widths] of [[rows[0], [320]], [rows[1], [30]]]) {
      for (const w of widths) for (const ext of ['jpg', 'webp']) want.push(`${row.hash}-${w}.${ext}`);
    }
    const got = mediaFiles().filter((f) => !f.endsWith('.avif'));
    assert.deepEqual(got, want.sort(), 'media/ holds the two pictures\' variants and nothing else');
    assert.ok(mediaFiles().every((f) => rows.some((x) => f.startsWith(x.hash))), 'no file of the PDF, no temp file');
    assert.deepEqual(originals(), rows.map((x) => `${x.hash}.png`).sort());
    const me = sql("SELECT id FROM users WHERE email = 'contributor@newsroom.test'")[0].id;
    assert.ok(rows.every((x) => x.uploaded_by === me), 'recorded as the contributor\'s uploads');
    // the same picture again is the same entry
    const again = await upload(clients.editor, [file('harbour-copy.png', a.png(400, 300), 'image/png')]);
    assert.equal(again.status, 200);
    assert.match(h.textOf(h.findElement(again.body, 'ul', (x) => x.id === 'upload-added')), /harbour\.png \(400 × 300\): already in the library/);
    assert.equal(sql('SELECT count(*) AS n FROM media')[0].n, 2);
  });

  for (const count of [21, 50]) {
    test(`${count} files at once, past the per-request cap: 413 saying so, nothing added`, async () => {
      const n = sql('SELECT count(*) AS n FROM media')[0].n;
      const before = mediaFiles();
      const files = Array.from({ length: count }, (_, i) => file(`p${i}.png`, a.png(5 + i, 5), 'image/png'));
      const r = await upload(clients.editor, files);
      assert.equal(r.status, 413);
      assert.match(h.textOf(r.body), /Too many files at once: send at most 20 in one upload/);
      assert.equal(sql('SELECT count(*) AS n FROM media')[0].n, n);
      assert.deepEqual(mediaFiles(), before, 'no file left in media/');
    });
  }

  // Since the library takes audio and video (media_upload_limit, 200 MB by
  // default), its route reads file parts that large and judges a picture's
  // size file by file; a part over both limits is a 413 (media-av.test.js).
  test('a picture over upload_limit: refused with the limit, nothing added', async () => {
    const n = sql('SELECT count(*) AS n FROM media')[0].n;
    const files = mediaFiles();
    const big = Buffer.concat([a.png(8, 8), Buffer.alloc(300 * 1024)]);
    const r = await upload(clients.editor, [file('big.png', big, 'image/png')]);
    assert.equal(r.status, 422);
    assert.match(h.textOf(h.findElement(r.body, 'ul', (x) => x.id === 'upload-refused')),
      /big\.png\s*: too large: the limit is 256 KB per picture/);
    assert.equal(sql('SELECT count(*) AS n FROM media')[0].n, n);
    assert.deepEqual(mediaFiles(), files);
  });

  test('no file chosen: 422 asking for one', async () => {
    const r = await upload(clients.editor, []);
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /Choose one or more picture, audio or video files/);
  });

  test('without the CSRF token: 403, nothing added', async () => {
    const n = sql('SELECT count(*) AS n FROM media')[0].n;
    const m = a.multipart({ gz_csrf: '0'.repeat(64) }, [file('x.png', a.png(11, 11), 'image/png')]);
    const r = await h.request(srv.url, '/admin/media', { method: 'POST', body: m.body,
      headers: { ...clients.editor.headers(), 'Content-Type': m.type } });
    assert.equal(r.status, 403);
    assert.equal(sql('SELECT count(*) AS n FROM media')[0].n, n);
  });
});

describe('the grid, search and an item', () => {
  test('the grid shows thumbnails (320 variant, width and height, alt), newest first', async () => {
    const rows = sql('SELECT id, hash FROM media ORDER BY id');
    const r = await clients.author.get('/admin/media');
    assert.equal(r.status, 200);
    const imgs = h.findTags(h.findElement(r.body, 'ul', (x) => x.id === 'media-grid'), 'img');
    assert.equal(imgs.length, 2);
    assert.equal(imgs[0].attrs.src, `/media/${rows[1].hash}-30.webp`, 'newest first');
    assert.equal(imgs[1].attrs.src, `/media/${rows[0].hash}-320.webp`);
    assert.equal(imgs[1].attrs.width, '320');
    assert.equal(imgs[1].attrs.height, '240');
    assert.ok('alt' in imgs[1].attrs);
  });

  test('edit alt, caption, credit and focal point; the Markdown to paste; search finds it', async () => {
    const id = sql("SELECT id FROM media WHERE name = 'harbour.png'")[0].id;
    const c = clients.contributor;
    const page = await c.get(`/admin/media/${id}`);
    assert.equal(page.status, 200);
    const r = await c.post(`/admin/media/${id}`, { alt: 'Boats in the harbour at dusk', caption: 'The "old" harbour',
      credit: 'Photo: Jane Doe/Agency', focal_x: '0.25', focal_y: '0.75' });
    assert.equal(r.status, 303);
    const row = sql(`SELECT alt, caption, credit, focal_x, focal_y FROM media WHERE id = ${id}`)[0];
    assert.deepEqual(row, { alt: 'Boats in the harbour at dusk', caption: 'The "old" harbour', credit: 'Photo: Jane Doe/Agency', focal_x: 0.25, focal_y: 0.75 });
    const again = await c.get(`/admin/media/${id}`);
    const v = h.formValues(again.body, 'media-form').values;
    assert.equal(v.focal_x, '0.25');
    assert.equal(v.credit, 'Photo: Jane Doe/Agency');
    const md = h.findTags(again.body, 'input').find((t) => t.attrs.id === 'media-md');
    assert.equal(h.htmlUnescape(md.attrs.value), `![Boats in the harbour at dusk](media:${id} "The \\"old\\" harbour")`);
    for (const q of ['harbour at dusk', '"OLD" HARBOUR', 'jane doe', 'harbour.png']) {
      const s = await c.get(`/admin/media?q=${encodeURIComponent(q)}`);
      const grid = h.findElement(s.body, 'ul', (x) => x.id === 'media-grid');
      assert.ok(grid && grid.includes(`/admin/media/${id}"`), `search "${q}" finds it`);
      assert.ok(!grid.includes('small.png'), `search "${q}" leaves the other out`);
    }
    const none = await c.get('/admin/media?q=nothing+like+this');
    assert.match(h.textOf(none.body), /Nothing in the library matches “nothing like this”/);
  });

  test('a focal point of 1.5 is refused with 422, the typed values kept, nothing changed', async () => {
    const id = sql("SELECT id FROM media WHERE name = 'harbour.png'")[0].id;
    const before = sql(`SELECT alt, caption, credit, focal_x, focal_y FROM media WHERE id = ${id}`)[0];
    const r = await clients.editor.post(`/admin/media/${id}`, { alt: 'Typed alt', caption: 'Typed caption', credit: 'Typed credit', focal_x: '1.5', focal_y: '0.1' });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /focal point's across position as a number from 0 to 1/);
    const v = h.formValues(r.body, 'media-form').values;
    assert.deepEqual([v.alt, v.caption, v.credit, v.focal_x, v.focal_y], ['Typed alt', 'Typed caption', 'Typed credit', '1.5', '0.1']);
    assert.deepEqual(sql(`SELECT alt, caption, credit, focal_x, focal_y FROM media WHERE id = ${id}`)[0], before);
  });
});

describe('roles', () => {
  test('contributors and authors change only their own uploads; editors and admins all', async () => {
    const mine = sql("SELECT id FROM media WHERE name = 'small.png'")[0].id; // the contributor's
    const fields = { alt: 'x', caption: '', credit: '', focal_x: '0.5', focal_y: '0.5' };
    const r1 = await clients.author.get(`/admin/media/${mine}`);
    assert.equal(r1.status, 403, 'an author cannot open a contributor\'s item');
    const r2 = await clients.author.post(`/admin/media/${mine}`, fields);
    assert.equal(r2.status, 403);
    const r3 = await clients.author.post(`/admin/media/${mine}/delete`, {});
    assert.equal(r3.status, 403);
    // the author's own upload, which the contributor may not touch
    const up = await upload(clients.author, [file('authors.png', a.png(12, 12), 'image/png')]);
    assert.equal(up.status, 200);
    const theirs = idOf(up.body, 'authors.png');
    assert.ok(theirs);
    assert.equal((await clients.contributor.post(`/admin/media/${theirs}`, fields)).status, 403);
    assert.equal((await clients.contributor.post(`/admin/media/${theirs}/delete`, {})).status, 403);
    assert.equal((await clients.author.post(`/admin/media/${theirs}`, fields)).status, 303, 'the author changes their own');
    assert.equal((await clients.editor.post(`/admin/media/${mine}`, { ...fields, alt: 'Small red square' })).status, 303, 'an editor changes anyone\'s');
    assert.equal((await clients.admin.get(`/admin/media/${theirs}`)).status, 200);
    assert.equal(sql(`SELECT alt FROM media WHERE id = ${mine}`)[0].alt, 'Small red square');
    // the author's grid shows the contributor's picture, linking only their own
    const grid = h.findElement((await clients.author.get('/admin/media')).body, 'ul', (x) => x.id === 'media-grid');
    assert.ok(grid.includes('small.png') && !grid.includes(`href="/admin/media/${mine}"`), 'others\' items shown, not linked');
    assert.ok(grid.includes(`href="/admin/media/${theirs}"`), 'their own linked');
    const edGrid = h.findElement((await clients.editor.get('/admin/media')).body, 'ul', (x) => x.id === 'media-grid');
    assert.ok(edGrid.includes(`href="/admin/media/${mine}"`), 'an editor gets every link');
    // everyone in the newsroom sees the library
    for (const role of a.ROLES) assert.equal((await clients[role].get('/admin/media')).status, 200, role);
    const out = await h.get(srv.url, '/admin/media');
    assert.equal(out.status, 303, 'signed out: to sign in');
  });
});

describe('where used and deleting', () => {
  test('used in a story\'s text: listed, delete refused with 409 naming it; unused: deleted with its files', async () => {
    const id = sql("SELECT id FROM media WHERE name = 'harbour.png'")[0].id;
    const hash = sql(`SELECT hash FROM media WHERE id = ${id}`)[0].hash;
    // media:ID1 must not count as media:ID
    const story = await a.writeStory(clients.editor, { title: 'Harbour at dusk', body: `Text.\n\n![Boats](media:${id} "Dusk")\n` }, 'save');
    await a.writeStory(clients.editor, { title: 'Another picture', body: `![x](media:${id}1)` }, 'save');
    const page = await clients.editor.get(`/admin/media/${id}`);
    const uses = h.findElement(page.body, 'section', (x) => x.id === 'media-uses');
    assert.match(h.textOf(uses), /Harbour at dusk draft \(in the text\)/);
    assert.ok(uses.includes(`/admin/stories/${story}"`));
    assert.doesNotMatch(h.textOf(uses), /Another picture/);
    const r = await clients.editor.post(`/admin/media/${id}/delete`, {});
    assert.equal(r.status, 409);
    assert.match(h.textOf(r.body), /Not deleted: it is used 1 time/);
    assert.match(h.textOf(h.findElement(r.body, 'section', (x) => x.id === 'media-uses')), /Harbour at dusk/);
    assert.equal(sql(`SELECT count(*) AS n FROM media WHERE id = ${id}`)[0].n, 1);
    assert.ok(mediaFiles().some((f) => f.startsWith(hash)), 'its files stay');

    const small = sql("SELECT id, hash FROM media WHERE name = 'small.png'")[0];
    assert.ok(mediaFiles().some((f) => f.startsWith(small.hash)));
    const d = await clients.contributor.post(`/admin/media/${small.id}/delete`, {});
    assert.equal(d.status, 303, 'the contributor deletes their own unused upload');
    assert.equal(sql(`SELECT count(*) AS n FROM media WHERE id = ${small.id}`)[0].n, 0);
    assert.ok(!mediaFiles().some((f) => f.startsWith(small.hash)), 'its variants are gone');
    assert.ok(!originals().some((f) => f.startsWith(small.hash)), 'and its original');
    assert.equal((await h.get(srv.url, `/media/${small.hash}-30.jpg`)).status, 404);
  });

  test('a reference written another way the renderer reads (MEDIA:, leading zeros, an entity) still counts as a use', async () => {
    const r0 = await upload(clients.editor, [file('odd-forms.png', a.png(333, 222), 'image/png')]);
    assert.ok(r0.status < 400);
    const id = sql("SELECT id FROM media WHERE name = 'odd-forms.png'")[0].id;
    for (const form of [`MEDIA:${id}`, `media:00${id}`, `media&#58;${id}`]) {
      const story = await a.writeStory(clients.editor, { title: `Odd ${form}`, body: `Text.\n\n![Odd](${form})\n` }, 'save');
      const page = await clients.editor.get(`/admin/media/${id}`);
      const uses = h.findElement(page.body, 'section', (x) => x.id === 'media-uses');
      assert.ok(uses.includes(`/admin/stories/${story}"`), `${form} is listed where used`);
      const d = await clients.editor.post(`/admin/media/${id}/delete`, {});
      assert.equal(d.status, 409, `${form}: delete refused`);
      sql(`DELETE FROM stories WHERE id = ${story}`);
    }
  });

  test('a caption saved on the item\'s page shows at once on a published story that places it', async () => {
    const id = sql("SELECT id FROM media WHERE name = 'harbour.png'")[0].id;
    const story = await a.writeStory(clients.editor, { title: 'Harbour caption', body: `Text.\n\n![Boats](media:${id} "Dusk")\n` }, 'publish');
    const url = await a.publicPath(clients.editor, story);
    const before = await h.get(srv.url, url);
    assert.equal(before.status, 200);
    assert.match(h.textOf(h.findElement(before.body, 'figcaption', () => true)), /Photo: Jane Doe\/Agency/);
    const r = await clients.editor.post(`/admin/media/${id}`, { alt: 'Boats at night', caption: 'The harbour after dark',
      credit: 'Photo: John Roe', focal_x: '0.5', focal_y: '0.5' });
    assert.equal(r.status, 303);
    const after = await h.get(srv.url, url); // the cached page was dropped with the change
    const cap = h.textOf(h.findElement(after.body, 'figcaption', () => true));
    assert.match(cap, /Photo: John Roe/);
    assert.doesNotMatch(cap, /Jane Doe/);
    assert.match(cap, /Dusk/, 'the caption written in the story wins over the library\'s');
  });

  test('once in a published story, the uploader without the right to publish may no longer change its text', async () => {
    const id = sql("SELECT id FROM media WHERE name = 'harbour.png'")[0].id; // the contributor's, published above
    const before = sql(`SELECT alt, caption, credit FROM media WHERE id = ${id}`)[0];
    const r = await clients.contributor.post(`/admin/media/${id}`, { alt: 'Changed', caption: 'Changed',
      credit: 'Changed', focal_x: '0.5', focal_y: '0.5' });
    assert.equal(r.status, 403);
    assert.match(h.textOf(r.body), /shows in a published or scheduled story \(Harbour caption\)/);
    assert.deepEqual(sql(`SELECT alt, caption, credit FROM media WHERE id = ${id}`)[0], before, 'nothing changed');
    const e = await clients.editor.post(`/admin/media/${id}`, { ...before, focal_x: '0.5', focal_y: '0.5' });
    assert.equal(e.status, 303, 'an editor still may');
  });

  test('chosen as a featured image by its number: listed as such, delete refused', async () => {
    const id = sql("SELECT id FROM media WHERE name = 'authors.png'")[0].id;
    const story = await a.writeStory(clients.editor, { title: 'With a library picture', body: 'Text.', featured_media: String(id) });
    const row = sql(`SELECT featured_media_id, featured_image FROM stories WHERE id = ${story}`)[0];
    const hash = sql(`SELECT hash FROM media WHERE id = ${id}`)[0].hash;
    assert.deepEqual(row, { featured_media_id: id, featured_image: `/media/${hash}-12.jpg` });
    const page = await clients.editor.get(`/admin/media/${id}`);
    assert.match(h.textOf(h.findElement(page.body, 'section', (x) => x.id === 'media-uses')), /With a library picture published \(featured image\)/);
    assert.equal((await clients.editor.post(`/admin/media/${id}/delete`, {})).status, 409);
    // a story naming one of its variants without the id (an import) counts too
    sql(`UPDATE stories SET featured_media_id = NULL WHERE id = ${story}`);
    assert.equal((await clients.editor.post(`/admin/media/${id}/delete`, {})).status, 409);
    sql(`UPDATE stories SET featured_media_id = ${id} WHERE id = ${story}`);
    // the editor offers the newest library items for the field
    const form = await clients.editor.get('/admin/stories/new');
    const list = h.findElement(form.body, 'datalist', (x) => x.id === 'library-items');
    assert.ok(list && list.includes(`<option value="${id}">`), 'the library item is offered');
    const bad = await clients.editor.post('/admin/stories/new/save', { title: 'No such picture', body: 'x', featured_media: '99999' });
    assert.equal(bad.status, 422);
    assert.match(h.textOf(bad.body), /There is no library item 99999/);
  });
});

describe('a featured image uploaded in the editor', () => {
  test('joins the library; the story page, OpenGraph and JSON-LD name a variant with no EXIF or GPS', async () => {
    const original = fs.readFileSync(PHOTO);
    assert.ok(original.includes(Buffer.from('Exif\0\0')), 'the fixture carries EXIF (GPS, orientation)');
    const r = await a.postMultipart(clients.editor, '/admin/stories/new/publish',
      { title: 'Hills from the air', body: 'A view.', comments_open: '1' },
      [{ name: 'featured_image', filename: 'photo-gps.jpg', type: 'image/jpeg', data: original }]);
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const id = Number(/\/admin\/stories\/(\d+)/.exec(r.headers.location)[1]);
    const m = sql("SELECT id, hash, width, height FROM media WHERE name = 'photo-gps.jpg'")[0];
    assert.deepEqual([m.width, m.height], [800, 1200], 'upright');
    const row = sql(`SELECT featured_media_id, featured_image, featured_width, featured_height FROM stories WHERE id = ${id}`)[0];
    assert.deepEqual(row, { featured_media_id: m.id, featured_image: `/media/${m.hash}-640.jpg`, featured_width: 640, featured_height: 960 });
    const page = await h.get(srv.url, await a.publicPath(clients.editor, id));
    // the lead figure (lists-pictures.test.js): the upright size, JPEG variants
    const fig = h.findElement(page.body, 'figure', (x) => x.class === 'figure featured');
    assert.ok(fig, 'the story page leads with the picture');
    const img = h.findTags(fig, 'img')[0];
    assert.deepEqual([img.attrs.width, img.attrs.height], ['800', '1200'], 'with its size');
    assert.match(img.attrs.srcset, new RegExp(`/media/${m.hash}-640\\.jpg 640w`));
    const src = [null, img.attrs.src];
    assert.match(page.body, new RegExp(`<meta property="og:image" content="http://[^"]*/media/${m.hash}-640\\.jpg">`));
    assert.match(page.body, /<meta property="og:image:width" content="640">/);
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)[1])['@graph'][0];
    assert.ok(ld.image[0].url.endsWith(`/media/${m.hash}-640.jpg`));
    const served = await h.get(srv.url, src[1]);
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'image/jpeg');
    assert.ok(!served.raw.includes(Buffer.from('Exif')), 'no EXIF block');
    assert.ok(!served.raw.includes(Buffer.from('GPS')), 'no GPS');
    assert.notDeepEqual(served.raw, original);
    assert.ok(!fs.existsSync(path.join(dir, 'media', 'featured')) || fs.readdirSync(path.join(dir, 'media', 'featured')).length === 0,
      'nothing written as it came');
  });
});

describe('a byline photo', () => {
  test('goes through the library: the author page serves a variant without EXIF; listed where used, delete refused', async () => {
    const original = fs.readFileSync(PHOTO);
    const r = await a.postMultipart(clients.author, '/admin/account/profile', { name: 'Test Author', bio: '', links: '' },
      [{ name: 'photo', filename: 'me.jpg', type: 'image/jpeg', data: original }]);
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const m = sql("SELECT id, hash FROM media WHERE name = 'photo-gps.jpg'")[0];
    await a.writeStory(clients.author, { title: 'A story by the author', body: 'Text.' });
    const page = await h.get(srv.url, '/author/test-author');
    const src = /<img class="author-photo" src="([^"]+)"/.exec(page.body);
    assert.ok(src, `the author page shows the photo (${page.status})`);
    assert.equal(src[1], `/media/${m.hash}-640.jpg`);
    const served = await h.get(srv.url, src[1]);
    assert.equal(served.status, 200);
    assert.ok(!served.raw.includes(Buffer.from('Exif')), 'no EXIF block');
    assert.ok(!fs.existsSync(path.join(dir, 'media', 'people')) || fs.readdirSync(path.join(dir, 'media', 'people')).length === 0,
      'nothing written as it came');
    const item = await clients.editor.get(`/admin/media/${m.id}`);
    assert.match(h.textOf(h.findElement(item.body, 'section', (x) => x.id === 'media-uses')), /Test Author \(byline photo\)/);
    const d = await clients.editor.post(`/admin/media/${m.id}/delete`, {});
    assert.equal(d.status, 409);
  });
});

describe('two takers at once', () => {
  test('the same picture sent twice at once (a double click, two editors): one record, its files all there', async () => {
    for (let round = 0; round < 3; round++) {
      const same = a.png(701 + round, 500); // a new picture each round
      const rs = await Promise.all([upload(clients.editor, [file('twice.png', same, 'image/png')]),
        upload(clients.admin, [file('twice-again.png', same, 'image/png')])]);
      for (const r of rs) assert.ok(r.status < 400, `status ${r.status}`);
      const rows = sql(`SELECT id, hash, variants, formats FROM media WHERE width = ${701 + round}`);
      assert.equal(rows.length, 1, 'one record');
      const { hash, variants, formats } = rows[0];
      for (const v of variants.split(' ')) {
        for (const f of formats.split(' ')) {
          const r = await h.get(srv.url, `/media/${hash}-${v.split('x')[0]}.${f}`);
          assert.equal(r.status, 200, `${hash}-${v} ${f}`);
        }
      }
      assert.ok(originals().some((f) => f.startsWith(hash)), 'the original stays');
      assert.ok(!mediaFiles().some((f) => f.startsWith('.tmp-')), 'no temp file left');
    }
  });
});
