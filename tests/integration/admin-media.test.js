'use strict';
// Featured images (issue 3): a multipart upload from the editor, checked by
// content (not name or claimed type), shown on the story page, in its
// metadata and in the RSS feed; anything that is not an image, or too large,
// is refused and leaves nothing behind. Since issue 14 the upload goes
// through the media library: the story shows a JPEG variant named by the
// picture's hash (media/HASH-WIDTH.jpg), re-encoded without metadata, and
// nothing is written to media/featured/ any more.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

const { png, multipart, postMultipart } = a;

function featuredFiles(dir) {
  const d = path.join(dir, 'media', 'featured');
  return fs.existsSync(d) ? fs.readdirSync(d) : [];
}

describe('featured images', () => {
  let dir; let srv; let ed;
  before(async () => {
    dir = a.makeNewsroom({ conf: { upload_limit: 65536 } });
    srv = await h.startServer(dir);
    ed = await a.signedIn(srv.url, 'editor');
  });
  after(async () => { if (srv) await srv.stop(); });

  test('an uploaded PNG goes through the library and its variant is shown everywhere', async () => {
    const image = png(3, 2);
    const r = await postMultipart(ed, '/admin/stories/new/publish',
      { title: 'Harbour lights at dusk', body: 'The lights came on.', excerpt: 'Lights.', comments_open: '1' },
      [{ name: 'featured_image', filename: '../../etc/evil name.png', type: 'text/html', data: image }]);
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const id = Number(/\/admin\/stories\/(\d+)/.exec(r.headers.location)[1]);
    assert.deepEqual(featuredFiles(dir), [], 'nothing kept as it came');
    const files = fs.readdirSync(path.join(dir, 'media')).filter((f) => f.endsWith('.jpg'));
    assert.equal(files.length, 1);
    assert.match(files[0], /^[0-9a-f]{16}-3\.jpg$/, 'the name is the picture\'s hash and width, not the client\'s');
    assert.ok(!fs.existsSync(path.join(dir, 'etc')) && !fs.existsSync(path.join(dir, 'media', 'evil name.png')));
    const variant = fs.readFileSync(path.join(dir, 'media', files[0]));
    assert.equal(variant.subarray(0, 3).toString('hex'), 'ffd8ff', 'a JPEG made from the PNG');
    const url = `/media/${files[0]}`;

    const editor = await ed.get(`/admin/stories/${id}`);
    assert.ok(editor.body.includes(`src="${url}"`), 'the editor previews the current image');
    assert.match(editor.body, /enctype="multipart\/form-data"/);

    const pub = await a.publicPath(ed, id);
    const page = await h.get(srv.url, pub);
    assert.equal(page.status, 200);
    // the lead figure (lists-pictures.test.js): a picture 3 px wide has one width
    assert.match(page.body, new RegExp(`<figure class="figure featured"><picture>(?:<source [^>]*>)*<img src="${url}" srcset="${url} 3w" sizes="[^"]*" width="3" height="2" alt="Harbour lights at dusk"`));
    assert.match(page.body, new RegExp(`<meta property="og:image" content="http://[^"]*${url}">`));
    assert.match(page.body, /<meta property="og:image:width" content="3">/);
    assert.match(page.body, /<meta property="og:image:height" content="2">/);
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body);
    assert.ok(ld);
    const graph = JSON.parse(ld[1])['@graph'][0];
    assert.equal(graph.image[0]['@type'], 'ImageObject');
    assert.ok(graph.image[0].url.endsWith(url));
    assert.equal(graph.image[0].width, 3);
    assert.equal(graph.image[0].height, 2);

    const served = await h.get(srv.url, url);
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'image/jpeg');
    assert.deepEqual(served.raw, variant);

    const rss = await h.get(srv.url, '/feed');
    assert.match(rss.body, new RegExp(`<enclosure url="http://[^"]*${url}" length="${variant.length}" type="image/jpeg"`));
  });

  test('a .png that holds HTML or text is refused with 422, the typed values kept, nothing stored', async () => {
    const before = featuredFiles(dir);
    for (const data of [Buffer.from('<html><script>alert(1)</script></html>'), Buffer.from('just some text')]) {
      const r = await postMultipart(ed, '/admin/stories/new/save',
        { title: 'Not really a picture', body: 'Typed body stays.' },
        [{ name: 'featured_image', filename: 'photo.png', type: 'image/png', data }]);
      assert.equal(r.status, 422);
      assert.match(h.textOf(r.body), /JPEG, PNG, WebP or GIF/);
      assert.ok(r.body.includes('value="Not really a picture"'), 'the title is kept');
      assert.ok(r.body.includes('Typed body stays.'), 'the body is kept');
    }
    assert.deepEqual(featuredFiles(dir), before, 'nothing written to media/featured');
    const list = await ed.get('/admin/stories?title=Not+really');
    assert.ok(!list.body.includes('Not really a picture'), 'no story stored');
  });

  test('a file over upload_limit is refused (413 or 422) and nothing is written', async () => {
    const before = featuredFiles(dir);
    const big = Buffer.concat([png(1, 1), Buffer.alloc(70000)]);
    const r = await postMultipart(ed, '/admin/stories/new/save', { title: 'Too big a picture' },
      [{ name: 'featured_image', filename: 'big.png', type: 'image/png', data: big }]);
    assert.ok(r.status === 413 || r.status === 422, `status ${r.status}`);
    assert.deepEqual(featuredFiles(dir), before);
    const huge = Buffer.concat([png(1, 1), Buffer.alloc(2 * 1024 * 1024)]);
    const r2 = await postMultipart(ed, '/admin/stories/new/save', { title: 'Far too big' },
      [{ name: 'featured_image', filename: 'huge.png', type: 'image/png', data: huge }]);
    assert.equal(r2.status, 413);
    assert.deepEqual(featuredFiles(dir), before);
  });

  test('the comment form does not take the editor\'s large bodies or files', async () => {
    const m = multipart({ comment: 'hi' }, [{ name: 'x', filename: 'a.png', type: 'image/png', data: png(1, 1) }]);
    const r = await h.request(srv.url, '/comments', { method: 'POST', body: m.body, headers: { 'Content-Type': m.type } });
    assert.equal(r.status, 400, 'a file part on a route without uploads is refused');
    const big = 'comment=' + 'a'.repeat(1100 * 1024);
    const r2 = await h.postForm(srv.url, '/comments', big);
    assert.equal(r2.status, 413, 'body_limit still holds for comments');
  });

  test('replacing and removing the image', async () => {
    const r = await postMultipart(ed, '/admin/stories/new/save', { title: 'Changing pictures', body: 'x' },
      [{ name: 'featured_image', filename: 'a.png', type: 'image/gif', data: png(5, 4) }]);
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const id = Number(/\/admin\/stories\/(\d+)/.exec(r.headers.location)[1]);
    let v = await a.editorValues(ed, id);
    const first = /src="(\/media\/[0-9a-f]{16}-5\.jpg)"/.exec((await ed.get(`/admin/stories/${id}`)).body)[1];
    const r2 = await postMultipart(ed, `/admin/stories/${id}/save`, { title: 'Changing pictures', body: 'x', version: v.version },
      [{ name: 'featured_image', filename: 'b.png', type: 'application/octet-stream', data: png(2, 2) }]);
    assert.equal(r2.status, 303);
    const ed2 = await ed.get(`/admin/stories/${id}`);
    assert.match(ed2.body, /src="\/media\/[0-9a-f]{16}-2\.jpg" width="2" height="2"/);
    assert.ok(fs.existsSync(path.join(dir, first)), 'the replaced picture stays in the library');
    v = await a.editorValues(ed, id);
    const r3 = await postMultipart(ed, `/admin/stories/${id}/save`, { title: 'Changing pictures', body: 'x', version: v.version, remove_image: '1' }, []);
    assert.equal(r3.status, 303);
    const ed3 = await ed.get(`/admin/stories/${id}`);
    assert.ok(!ed3.body.includes('featured-preview'));
  });
});
