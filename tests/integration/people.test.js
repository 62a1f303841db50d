'use strict';
// People (issue 11): everyone edits their own display name, bio, photo and
// links in Account; admins edit anyone's from Users. The author page shows
// the bio as escaped paragraphs, the photo (alt = the name, its size) and
// the links; bylines link there and follow a new name at once.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

function photos(dir) {
  const d = path.join(dir, 'media', 'people');
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => !f.startsWith('.')) : [];
}

describe('profiles and author pages', () => {
  let dir; let srv; let au; let storyPath;
  before(async () => {
    dir = a.makeNewsroom({ demo: false, conf: { upload_limit: 65536 } });
    srv = await h.startServer(dir);
    au = await a.signedIn(srv.url, 'author');
    const id = await a.writeStory(au, { title: 'Night ferry to Aktau', body: 'The ferry left late.', excerpt: 'Late ferry.' });
    storyPath = await a.publicPath(au, id);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the byline links to the author page', async () => {
    const story = await h.get(srv.url, storyPath);
    assert.match(story.body, /<a class="byline-author" rel="author" href="\/author\/test-author">Test Author<\/a>/);
    const home = await h.get(srv.url, '/');
    assert.match(home.body, /By <a href="\/author\/test-author" rel="author">Test Author<\/a>/);
  });

  test('Account has the profile form with the current values', async () => {
    const r = await au.get('/admin/account');
    assert.equal(r.status, 200);
    assert.match(r.body, /<form method="post" action="\/admin\/account\/profile" enctype="multipart\/form-data" id="profile-form">/);
    assert.match(r.body, /<input id="profile-name" name="name" type="text" value="Test Author"/);
  });

  test('an author edits their own name, bio, photo and links; the author page and bylines show them', async () => {
    await h.get(srv.url, storyPath); // cached
    await h.get(srv.url, '/author/test-author');
    const r = await a.postMultipart(au, '/admin/account/profile', {
      name: 'Tess <Author>',
      bio: 'Covers the Caspian & its ports.\n\nBefore that: <b>ten years</b> at sea.',
      links: 'https://example.org/tess\r\n\r\n  http://tess.example  ',
    }, [{ name: 'photo', filename: 'me.html', type: 'text/html', data: a.png(4, 3) }]);
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    assert.equal(r.headers.location, '/admin/account?msg=profile');
    // since issue 14 through the media library: a JPEG variant named by the
    // picture's hash, not a file under media/people/ kept as uploaded
    assert.deepEqual(photos(dir), []);
    const files = fs.readdirSync(path.join(dir, 'media')).filter((f) => /^[0-9a-f]{16}-4\.jpg$/.test(f));
    assert.equal(files.length, 1);
    const url = `/media/${files[0]}`;

    const page = await h.get(srv.url, '/author/test-author');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1 class="list-title">Tess &lt;Author&gt;<\/h1>/);
    assert.ok(page.body.includes(`<img class="author-photo" src="${url}" alt="Tess &lt;Author&gt;" width="4" height="3">`), page.body.slice(0, 3000));
    assert.match(page.body, /<div class="author-bio"><p>Covers the Caspian &amp; its ports.<\/p>\s*<p>Before that: &lt;b&gt;ten years&lt;\/b&gt; at sea.<\/p>\s*<\/div>/);
    assert.match(page.body, /<li><a href="https:\/\/example.org\/tess" rel="me">https:\/\/example.org\/tess<\/a><\/li><li><a href="http:\/\/tess.example" rel="me">/);
    assert.equal(page.body.split('class="author-links"').length, 2, 'the links are listed once');
    assert.match(page.body, /<meta name="description" content="Covers the Caspian &amp; its ports./);
    const served = await h.get(srv.url, url);
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'image/jpeg');

    const story = await h.get(srv.url, storyPath);
    assert.match(story.body, /<a class="byline-author" rel="author" href="\/author\/test-author">Tess &lt;Author&gt;<\/a>/, 'the cached story page follows the new name');
    const acct = await au.get('/admin/account');
    assert.ok(acct.body.includes(`src="${url}"`), 'Account shows the current photo');
  });

  test('bad links and non-images are refused with 422, nothing changed', async () => {
    let r = await a.postMultipart(au, '/admin/account/profile', { name: 'Someone Else', links: 'javascript:alert(1)' }, []);
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /is not a web address: each link must start with http:\/\/ or https:\/\//);
    assert.match(r.body, /javascript:alert\(1\)<\/textarea>/, 'what was typed is kept');
    r = await a.postMultipart(au, '/admin/account/profile', { name: 'Someone Else',
      links: Array.from({ length: 6 }, (_, i) => `https://e${i}.example`).join('\n') }, []);
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /Too many links: the limit is 5/);
    r = await a.postMultipart(au, '/admin/account/profile', { name: 'Someone Else' },
      [{ name: 'photo', filename: 'x.png', type: 'image/png', data: Buffer.from('<script>alert(1)</script>') }]);
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /The photo must be a JPEG, PNG, WebP or GIF file/);
    r = await a.postMultipart(au, '/admin/account/profile', { name: '' }, []);
    assert.equal(r.status, 422);
    const page = await h.get(srv.url, '/author/test-author');
    assert.match(page.body, /Tess &lt;Author&gt;/);
    assert.ok(!page.body.includes('Someone Else'));
    assert.equal(fs.readdirSync(path.join(dir, 'media')).filter((f) => f.endsWith('.jpg')).length, 1, 'no file left behind');
  });

  test('admins edit anyone\'s profile from Users; others may not', async () => {
    const admin = await a.signedIn(srv.url, 'admin');
    const users = await admin.get('/admin/users');
    const m = /<a href="\/admin\/users\/(\d+)\/profile">Tess &lt;Author&gt;<\/a>/.exec(users.body);
    assert.ok(m, 'Users links each profile');
    const form = await admin.get(`/admin/users/${m[1]}/profile`);
    assert.equal(form.status, 200);
    assert.match(form.body, new RegExp(`action="/admin/users/${m[1]}/profile"`));
    const r = await a.postMultipart(admin, `/admin/users/${m[1]}/profile`,
      { name: 'Tess Author', bio: 'Edited by the desk.', links: '', remove_photo: '1' }, []);
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const page = await h.get(srv.url, '/author/test-author');
    assert.match(page.body, /<div class="author-bio"><p>Edited by the desk.<\/p>/);
    assert.ok(!page.body.includes('author-photo'), 'the photo is gone');
    assert.ok(!page.body.includes('author-links'));
    // the photo stays in the media library (its own page deletes it)
    for (const role of ['editor', 'author']) {
      const c = await a.signedIn(srv.url, role);
      assert.equal((await c.get(`/admin/users/${m[1]}/profile`)).status, 403, role);
      assert.equal((await a.postMultipart(c, `/admin/users/${m[1]}/profile`, { name: 'Hijacked' }, [])).status, 403, role);
    }
    assert.doesNotMatch((await h.get(srv.url, '/author/test-author')).body, /Hijacked/);
  });
});
