'use strict';
// The newsroom's doors: sign-in, sessions, CSRF, throttling, passwords, and the
// role x action matrix checked by the route table.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

describe('signing in and out', () => {
  let dir; let srv;
  before(async () => { dir = a.makeNewsroom({ conf: { session_idle: 3 } }); srv = await h.startServer(dir); });
  after(async () => { if (srv) await srv.stop(); });

  test('signed-out visitors are sent to the sign-in page, GET and POST alike', async () => {
    for (const p of ['/admin', '/admin/stories', '/admin/stories/1', '/admin/comments', '/admin/users', '/admin/settings']) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 303, p);
      assert.match(r.headers.location, /^(http:\/\/127\.0\.0\.1:\d+)?\/admin\/sign-in\?next=/, p);
    }
    const before = await h.get(srv.url, '/');
    const r = await h.postForm(srv.url, '/admin/stories/new/publish', { title: 'Sneaky', body: 'x' });
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /\/admin\/sign-in$/);
    assert.equal((await h.get(srv.url, '/')).body.includes('Sneaky'), false);
    assert.equal(before.status, 200);
    const form = await h.get(srv.url, '/admin/sign-in');
    assert.equal(form.status, 200);
    assert.match(form.body, /<form method="post" action="\/admin\/sign-in"/);
  });

  test('the session cookie is HttpOnly, SameSite=Lax, on the whole site (staff replies), and admin pages are private and unframeable', async () => {
    const c = new a.Client(srv.url);
    const r = await c.signIn(a.email('editor'));
    assert.equal(r.status, 303);
    const set = [].concat(r.headers['set-cookie']).join('\n');
    assert.match(set, /gz_session=[0-9a-f]{64}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax/);
    assert.match(set, /gz_session=; Path=\/admin; Max-Age=0;/, 'the cookie of earlier versions (Path=/admin) ends');
    assert.doesNotMatch(set, /Secure/, 'not Secure over plain HTTP');
    const page = await c.get('/admin/stories');
    assert.equal(page.status, 200);
    assert.match(page.headers['cache-control'], /no-store/);
    assert.match(page.headers['content-security-policy'], /frame-ancestors 'none'/);
  });

  test('the session id changes at every sign-in, and the old one stops working', async () => {
    const c = new a.Client(srv.url);
    await c.signIn(a.email('author'));
    const first = c.cookie;
    assert.equal((await c.get('/admin/stories')).status, 200);
    await c.signIn(a.email('author'));
    assert.notEqual(c.cookie, first);
    const old = await h.get(srv.url, '/admin/stories', { headers: { Cookie: `gz_session=${first}` } });
    assert.equal(old.status, 303, 'the session presented at sign-in was ended');
    assert.equal((await c.get('/admin/stories')).status, 200);
  });

  test('a wrong password is refused with a message and no cookie', async () => {
    const c = new a.Client(srv.url);
    const r = await c.signIn(a.email('admin'), 'not the password at all');
    assert.equal(r.status, 403);
    assert.match(h.textOf(r.body), /email address or password is incorrect/);
    assert.equal(a.cookieOf(r), null);
    const unknown = await c.signIn('nobody@newsroom.test', 'whatever whatever');
    assert.equal(unknown.status, 403);
  });

  test('an idle session expires (session_idle = 3 s)', async () => {
    const c = await a.signedIn(srv.url, 'contributor');
    assert.equal((await c.get('/admin/stories')).status, 200);
    await new Promise((res) => setTimeout(res, 4500));
    const r = await c.get('/admin/stories');
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /\/admin\/sign-in/);
  });

  test('sign out, and sign out everywhere', async () => {
    const one = await a.signedIn(srv.url, 'editor');
    const two = await a.signedIn(srv.url, 'editor');
    const out = await one.post('/admin/sign-out');
    assert.equal(out.status, 303);
    assert.equal((await h.get(srv.url, '/admin/stories', { headers: { Cookie: `gz_session=${one.cookie || 'x'}` } })).status, 303);
    assert.equal((await two.get('/admin/stories')).status, 200, 'the other session lives on');
    const three = await a.signedIn(srv.url, 'editor');
    const all = await three.post('/admin/sign-out-everywhere');
    assert.equal(all.status, 303);
    assert.equal((await two.get('/admin/stories')).status, 303, 'every session of the account ended');
  });
});

describe('CSRF: a state-changing POST needs the token and our Origin', () => {
  let dir; let srv; let c;
  before(async () => { dir = a.makeNewsroom(); srv = await h.startServer(dir); c = await a.signedIn(srv.url, 'admin'); });
  after(async () => { if (srv) await srv.stop(); });

  async function storyCount() {
    const r = await c.get('/admin/stories');
    return Number(/<caption>(\d+) stories<\/caption>/.exec(r.body)[1]);
  }

  test('no token, a wrong token, another session\'s token, a foreign Origin: 403 and nothing changed', async () => {
    const n = await storyCount();
    const other = await a.signedIn(srv.url, 'editor');
    const fields = { title: 'CSRF story', body: 'Should never exist.' };
    const cases = [
      await c.post('/admin/stories/new/publish', fields, { csrf: false }),
      await c.post('/admin/stories/new/publish', { ...fields, gz_csrf: 'a'.repeat(64) }, { csrf: false }),
      await c.post('/admin/stories/new/publish', { ...fields, gz_csrf: other.csrf }, { csrf: false }),
      await c.post('/admin/stories/new/publish', fields, { headers: { Origin: 'https://evil.example' } }),
      await c.post('/admin/settings', { closed: '1' }, { csrf: false }),
      await c.post('/admin/users', { name: 'Mallory', email: 'm@evil.example', role: 'admin', password: 'mallory mallory mallory' }, { csrf: false }),
    ];
    for (const r of cases) {
      assert.equal(r.status, 403);
      assert.match(h.textOf(r.body), /Nothing was changed/);
    }
    assert.equal(await storyCount(), n);
    assert.equal((await h.get(srv.url, '/')).body.includes('CSRF story'), false);
    const users = await c.get('/admin/users');
    assert.equal(users.body.includes('Mallory'), false);
    // the same request with the token and our own Origin goes through
    const ok = await c.post('/admin/stories/new/save', fields, { headers: { Origin: srv.url } });
    assert.equal(ok.status, 303);
    assert.equal(await storyCount(), n + 1);
  });

  test('sign-in from a foreign Origin is refused', async () => {
    const r = await h.postForm(srv.url, '/admin/sign-in', { email: a.email('admin'), password: a.PASSWORD },
      { headers: { Origin: 'https://evil.example' } });
    assert.equal(r.status, 403);
    assert.equal(a.cookieOf(r), null);
  });
});

describe('sign-in throttling', () => {
  let dir; let srv;
  before(async () => { dir = a.makeNewsroom(); srv = await h.startServer(dir); });
  after(async () => { if (srv) await srv.stop(); });

  test('after 5 failures even the right password waits; forged X-Forwarded-For does not help; it is logged', async () => {
    const c = new a.Client(srv.url);
    for (let i = 0; i < 5; i++) {
      const r = await c.signIn(a.email('author'), `wrong password ${i}!`, { 'X-Forwarded-For': `10.0.0.${i}` });
      assert.equal(r.status, 403, `failure ${i + 1}`);
    }
    const right = await c.signIn(a.email('author'), a.PASSWORD, { 'X-Forwarded-For': '10.9.9.9' });
    assert.equal(right.status, 429);
    assert.match(h.textOf(right.body), /Too many failed sign-in attempts\. For your security, please wait \d+ seconds/);
    assert.ok(Number(right.headers['retry-after']) > 0);
    assert.equal(a.cookieOf(right), null);
    // per address: another account from the same client waits too, whatever the header says
    const other = await c.signIn(a.email('editor'), a.PASSWORD, { 'X-Forwarded-For': '192.0.2.7' });
    assert.equal(other.status, 429);
    await new Promise((res) => setTimeout(res, 200));
    assert.match(srv.output(), /sign-in: failed \(account:author@newsroom\.test\) from 127\.0\.0\.1/);
    assert.match(srv.output(), /sign-in: throttled attempt/);
    assert.doesNotMatch(srv.output(), /wrong password/, 'passwords are never logged');
  });
});

describe('accounts from the shell', () => {
  test('gazette user add/list/passwd/disable, with the password policy', async () => {
    const dir = h.makeSite({ demo: false });
    const add = (args, pw) => h.gzRun(['user', 'add', '--site', dir, ...args], { input: pw + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
    let r = add(['--role', 'author', '--email', 'a@x.test', 'Ann Writer'], 'too short');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /at least 12 characters/);
    r = add(['--role', 'author', '--email', 'a@x.test', 'Ann Writer'], 'The Gazette');
    assert.notEqual(r.status, 0);
    r = add(['--role', 'author', '--email', 'ann.writer@example.test', 'Ann Writer'], 'ann.writer@example.test');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /must not be the site's name, your email address or your name/);
    r = add(['--role', 'author', '--email', 'a@x.test', 'Ann Writer'], 'ann writer');
    assert.notEqual(r.status, 0);
    r = add(['--role', 'chief', '--email', 'a@x.test', 'Ann Writer'], 'a fine long password');
    assert.notEqual(r.status, 0);
    r = add(['--role', 'author', '--email', 'a@x.test', 'Ann Writer'], 'a fine long password');
    assert.equal(r.status, 0, r.stderr);
    const list = h.gz(['user', 'list', '--site', dir]);
    assert.match(list, /a@x\.test\tauthor\tAnn Writer\tenabled/);
    // the whole file on SQLite; on PostgreSQL every column of every account
    const db = h.STORE === 'pg' ? Buffer.from(h.sql(dir, 'SELECT u::text FROM users u'))
      : require('node:fs').readFileSync(require('node:path').join(dir, 'gazette.db'));
    assert.equal(db.includes(Buffer.from('a fine long password')), false, 'only the hash is stored');
    assert.ok(db.includes(Buffer.from('$argon2id$')));
    const srv = await h.startServer(dir);
    try {
      const c = new a.Client(srv.url);
      assert.equal((await c.signIn('a@x.test', 'a fine long password')).status, 303);
      r = h.gzRun(['user', 'disable', '--site', dir, 'a@x.test']);
      assert.equal(r.status, 0);
      assert.equal((await c.get('/admin/stories')).status, 303, 'disabling ends the sessions');
      assert.equal((await new a.Client(srv.url).signIn('a@x.test', 'a fine long password')).status, 403);
      h.gz(['user', 'enable', '--site', dir, 'a@x.test']);
      r = h.gzRun(['user', 'passwd', '--site', dir, 'a@x.test'], { input: 'another long password\n', stdio: ['pipe', 'pipe', 'pipe'] });
      assert.equal(r.status, 0, r.stderr);
      assert.equal((await new a.Client(srv.url).signIn('a@x.test', 'another long password')).status, 303);
    } finally { await srv.stop(); }
  });

  test('gazette init --admin-email creates the first admin and prints a password that works', async () => {
    const parent = h.tmpDir();
    const dir = require('node:path').join(parent, 'site');
    const out = h.gz(['init', '--site', dir, '--admin-email', 'boss@x.test', '--admin-name', 'The Boss']);
    const m = /admin password: (\S+)/.exec(out);
    assert.ok(m, out);
    const srv = await h.startServer(dir);
    try {
      const c = new a.Client(srv.url);
      assert.equal((await c.signIn('boss@x.test', m[1])).status, 303);
      assert.equal((await c.get('/admin/users')).status, 200);
    } finally { await srv.stop(); }
  });
});

describe('roles: each role against each action, checked by the route table', () => {
  let dir; let srv; const cl = {}; let adminStory; let authorStory; let authorComment; let adminComment;
  before(async () => {
    dir = a.makeNewsroom();
    srv = await h.startServer(dir);
    for (const r of a.ROLES) cl[r] = await a.signedIn(srv.url, r);
    adminStory = await a.writeStory(cl.admin, { title: 'Admin story for roles', body: 'By the admin.' });
    authorStory = await a.writeStory(cl.author, { title: 'Author story for roles', body: 'By the author.' });
    // one pending comment on each
    for (const [id, key] of [[adminStory, 'admin'], [authorStory, 'author']]) {
      const path = await a.publicPath(cl.admin, id);
      const page = await h.get(srv.url, path);
      const hid = h.hiddenFields(page.body);
      const r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: `Comment on the ${key} story`, author: 'Reader', email: `reader-${key}@x.test` });
      assert.equal(r.status, 303);
      const cid = Number(/unapproved=(\d+)/.exec(r.headers.location)[1]);
      if (key === 'admin') adminComment = cid; else authorComment = cid;
    }
  });
  after(async () => { if (srv) await srv.stop(); });

  const expect = (role, table) => table[a.ROLES.indexOf(role)];

  test('pages: stories for all, comments from author up, users and settings for admins', async () => {
    const matrix = {
      '/admin/stories': [200, 200, 200, 200],
      '/admin/stories/new': [200, 200, 200, 200],
      '/admin/comments': [403, 200, 200, 200],
      '/admin/users': [403, 403, 403, 200],
      '/admin/settings': [403, 403, 403, 200],
      '/admin/account': [200, 200, 200, 200],
    };
    for (const [path, want] of Object.entries(matrix)) {
      for (const role of a.ROLES) {
        const r = await cl[role].get(path);
        assert.equal(r.status, expect(role, want), `${role} GET ${path}`);
      }
    }
  });

  test('a contributor cannot publish; an author and up can', async () => {
    const want = [403, 303, 303, 303];
    for (const role of a.ROLES) {
      const r = await cl[role].post('/admin/stories/new/publish', { title: `Publish attempt by ${role}`, body: 'Text.' });
      assert.equal(r.status, expect(role, want), `${role} publish`);
    }
    const home = await h.get(srv.url, '/');
    assert.equal(home.body.includes('Publish attempt by contributor'), false);
    assert.ok(home.body.includes('Publish attempt by author'));
    // the contributor writes and submits for review instead
    const id = await a.writeStory(cl.contributor, { title: 'For review', body: 'Please publish me.' }, 'submit');
    const ed = await cl.editor.get(`/admin/stories/${id}`);
    assert.match(ed.body, /id="story-status">pending</);
    // and cannot publish their own draft by posting to its publish route
    const r = await cl.contributor.post(`/admin/stories/${id}/publish`, { title: 'For review', body: 'x', version: '1' });
    assert.equal(r.status, 403);
    // an editor publishes it; then the contributor can no longer change it
    const v = await a.editorValues(cl.editor, id);
    assert.equal((await cl.editor.post(`/admin/stories/${id}/publish`, v)).status, 303);
    assert.equal((await cl.contributor.get(`/admin/stories/${id}`)).status, 403);
  });

  test('an author cannot open or save another\'s story; an editor can', async () => {
    const want = [403, 403, 200, 200];
    for (const role of a.ROLES) {
      const r = await cl[role].get(`/admin/stories/${adminStory}`);
      assert.equal(r.status, expect(role, want), `${role} edit the admin's story`);
    }
    const v = await a.editorValues(cl.admin, adminStory);
    for (const role of ['contributor', 'author']) {
      for (const act of ['save', 'publish', 'unpublish', 'preview']) {
        const r = await cl[role].post(`/admin/stories/${adminStory}/${act}`, { ...v, title: 'Hijacked' });
        assert.equal(r.status, 403, `${role} ${act}`);
      }
      const rev = await cl[role].get(`/admin/stories/${adminStory}/revisions`);
      assert.equal(rev.status, 403);
    }
    assert.equal((await a.editorValues(cl.admin, adminStory)).title, 'Admin story for roles');
    assert.equal((await cl.author.get(`/admin/stories/${authorStory}`)).status, 200, 'own story');
    assert.equal((await cl.contributor.get(`/admin/stories/${authorStory}`)).status, 403);
  });

  test('comments: an author moderates only comments on own stories and sees only those', async () => {
    const queue = await cl.author.get('/admin/comments');
    assert.ok(queue.body.includes('Comment on the author story'));
    assert.equal(queue.body.includes('Comment on the admin story'), false);
    assert.ok((await cl.editor.get('/admin/comments')).body.includes('Comment on the admin story'));
    assert.equal((await cl.author.post(`/admin/comments/${adminComment}/approve`, { back: 'pending' })).status, 403);
    assert.equal((await cl.contributor.post(`/admin/comments/${authorComment}/approve`)).status, 403);
    // bulk: the author's bulk action skips what is not theirs
    const bulk = await cl.author.post('/admin/comments/bulk', { action: 'spam', ids: String(adminComment) });
    assert.equal(bulk.status, 303);
    assert.ok((await cl.editor.get('/admin/comments?status=pending')).body.includes('Comment on the admin story'));
    assert.equal((await cl.author.post(`/admin/comments/${authorComment}/approve`, { back: 'pending' })).status, 303);
    assert.equal((await cl.editor.post(`/admin/comments/${adminComment}/approve`)).status, 303);
  });

  test('users and settings: admins only', async () => {
    for (const role of ['contributor', 'author', 'editor']) {
      assert.equal((await cl[role].post('/admin/users', { name: 'X', email: 'x@x.test', role: 'admin', password: 'long enough password' })).status, 403);
      assert.equal((await cl[role].post('/admin/settings', { closed: '1' })).status, 403);
    }
    const add = await cl.admin.post('/admin/users', { name: 'New Writer', email: 'new@newsroom.test', role: 'author', password: 'a brand new password' });
    assert.equal(add.status, 303);
    assert.equal((await new a.Client(srv.url).signIn('new@newsroom.test', 'a brand new password')).status, 303);
  });
});
