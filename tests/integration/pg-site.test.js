'use strict';
// A site served from PostgreSQL (issue 16): `gazette init --site DIR --db URL
// --demo` makes the folder, the conf naming the database, the schema and the
// demo; `gazette serve` serves it. Its pages say what a SQLite demo site's
// say (the article's title, paragraphs, byline and related links: the
// text, not time-dependent bytes); a reader's comment posted through the
// form is stored and listed by `gazette comments`; a user made by `gazette
// user` signs in to /admin; a second node (a copy of the folder) sees a
// story the first one published once its cache check runs.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const a = require('./admin-helpers');
const { startPostgres } = require('./pg-helpers');

// What a story page says, whatever the time: its article's title, the
// paragraphs of its body, the byline and the related links.
function article(html) {
  const art = h.findElement(html, 'article', () => true);
  assert.ok(art, 'an <article>');
  const title = h.textOf(h.findElement(art, 'h1', () => true) || '');
  const paragraphs = h.findTags(art, 'p').length ? art.match(/<p[^>]*>[\s\S]*?<\/p>/g).map(h.textOf) : [];
  const byline = h.textOf(h.findElement(html, 'a', (x) => x.rel === 'author') || '');
  const related = (h.findElement(html, 'aside', (x) => h.hasClass(x, 'related')) || '');
  return { title, paragraphs, byline, related: h.findLinks(related).map((l) => l.href) };
}

function frontTitles(html) {
  return h.findTags(html, 'a').map((t) => t.attrs.href).filter((x) => /^\/\d{4}\/\d\d\/\d\d\//.test(x || ''));
}

describe('a site on PostgreSQL', () => {
  let pg, url, dir, dir2, lite, srv, srv2, liteSrv;
  const CONF = 'comment_min_seconds = 0\ncomment_rate_per_minute = 1000\ncomment_auto_approve_known = 0\n';

  before(async () => {
    pg = await startPostgres();
    url = pg.createDb('site');
    const parent = h.tmpDir();
    dir = path.join(parent, 'pg');
    const out = h.gz(['init', '--site', dir, '--db', url, '--demo', '--no-photos']);
    assert.match(out, /created site/);
    fs.appendFileSync(path.join(dir, 'gazette.conf'), CONF);
    lite = h.makeSite({ conf: { comment_min_seconds: 0 }, store: 'sqlite' });
    srv = await h.startServer(dir);
    liteSrv = await h.startServer(lite);
  });
  after(async () => {
    for (const s of [srv, srv2, liteSrv]) if (s) await s.stop();
    if (pg) pg.stop();
    h.cleanupSites();
  });

  test('init --db: the conf names the database, no gazette.db, the schema and demo are in PostgreSQL', () => {
    const conf = fs.readFileSync(path.join(dir, 'gazette.conf'), 'utf8');
    assert.ok(conf.split('\n').includes(`db = ${url}`), 'db = URL in gazette.conf');
    // it may hold the database's password: never readable by all
    assert.equal(fs.statSync(path.join(dir, 'gazette.conf')).mode & 0o777, 0o640);
    assert.ok(!fs.existsSync(path.join(dir, 'gazette.db')), 'no SQLite file');
    assert.ok(fs.existsSync(path.join(dir, 'media')), 'media/ made');
    const stories = Number(pg.psql('site', 'SELECT count(*) FROM stories WHERE status = 3').trim());
    const liteStories = h.gz(['section', '--site', lite, 'list']);
    assert.ok(stories > 5, `demo stories in PostgreSQL: ${stories}`);
    assert.equal(h.gz(['section', '--site', dir, 'list']), liteStories, 'the same sections and counts');
    // a second init on the same database is refused and changes nothing
    const again = h.gzRun(['init', '--site', path.join(h.tmpDir(), 'x'), '--db', url, '--demo']);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already holds a site/);
    assert.equal(Number(pg.psql('site', 'SELECT count(*) FROM stories WHERE status = 3').trim()), stories);
    // and so is an init without --db in the site's folder: its conf names
    // the database, so the site is there although no gazette.db is
    const files = fs.readdirSync(dir).sort();
    for (const args of [['init', '--site', dir], ['init', '--demo', '--no-photos', '--site', dir]]) {
      const here = h.gzRun(args);
      assert.notEqual(here.status, 0, args.join(' '));
      assert.match(here.stderr, /already holds a site/);
      assert.deepEqual(fs.readdirSync(dir).sort(), files, 'no file made (gazette.db, its change signal)');
    }
    assert.equal(Number(pg.psql('site', 'SELECT count(*) FROM stories WHERE status = 3').trim()), stories);
    const bad = h.gzRun(['init', '--site', path.join(h.tmpDir(), 'y'), '--db', 'mysql://x']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /postgresql:\/\//);
    // a database that cannot be reached: said, and no folder made
    const none = path.join(h.tmpDir(), 'z');
    const down = h.gzRun(['init', '--site', none, '--db', `postgresql://${pg.user}@127.0.0.1:1/x?connect_timeout=2`]);
    assert.equal(down.status, 1);
    assert.match(down.stderr, /cannot connect/);
    assert.ok(!fs.existsSync(none), 'no folder left behind');
  });

  test('the front page and the seed story say what the SQLite demo says', async () => {
    const [front, liteFront] = [await h.get(srv.url, '/'), await h.get(liteSrv.url, '/')];
    assert.equal(front.status, 200);
    assert.deepEqual(frontTitles(front.body), frontTitles(liteFront.body));
    assert.ok(frontTitles(front.body).includes(h.SEED_PATH), 'the seed story on the front page');
    const [story, liteStory] = [await h.get(srv.url, h.SEED_PATH), await h.get(liteSrv.url, h.SEED_PATH)];
    assert.equal(story.status, 200, h.textOf(story.body).slice(0, 300));
    const got = article(story.body), want = article(liteStory.body);
    assert.equal(got.title, h.SEED_TITLE);
    assert.ok(got.paragraphs.length > 3, 'the body\'s paragraphs');
    assert.deepEqual(got, want);
    // lists whose statements leave a parameter unnamed: a date archive, the
    // next page of the front page by its cursor
    for (const p of ['/2024/07', '/2024']) {
      const [r, l] = [await h.get(srv.url, p), await h.get(liteSrv.url, p)];
      assert.equal(r.status, 200, p);
      assert.deepEqual(frontTitles(r.body), frontTitles(l.body), p);
    }
    const next = h.findLinks(liteFront.body).map((x) => x.href).find((x) => /before=/.test(x || ''));
    assert.ok(next, 'the front page links its next page');
    const [n, ln] = [await h.get(srv.url, next), await h.get(liteSrv.url, next)];
    assert.equal(n.status, 200, next);
    assert.deepEqual(frontTitles(n.body), frontTitles(ln.body));
    // run as root, the node confined itself (chroot, seccomp) before its
    // workers connected: over TCP to an address, which still works
    if (process.getuid && process.getuid() === 0)
      assert.match(srv.output(), /running as user|sanitizer build: not switching/);
  });

  test('served as root, a database host name that does not resolve, or a socket, is refused at start', { skip: process.getuid() !== 0 && 'needs root' }, () => {
    const d = path.join(h.tmpDir(), 'named');
    fs.mkdirSync(d);
    const conf = fs.readFileSync(path.join(dir, 'gazette.conf'), 'utf8');
    // (a name that resolves is resolved before the chroot: pg-conn.test.js)
    fs.writeFileSync(path.join(d, 'gazette.conf'), conf.replace(`db = ${url}`, `db = ${url.replace('127.0.0.1', 'no-such-host.invalid')}`));
    const r = h.gzRun(['serve', '--site', d, '--listen', '127.0.0.1:1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /could not translate host name "no-such-host.invalid"|cannot resolve the host name no-such-host.invalid/);
    // not root, with seccomp (the default): a Unix socket is refused, as
    // the filter allows Internet sockets only (the socket is the test
    // server's, in its folder)
    fs.writeFileSync(path.join(d, 'gazette.conf'),
      conf.replace(`db = ${url}`, `db = postgresql://${pg.user}@${encodeURIComponent(pg.dir)}:${pg.port}/site`));
    fs.chmodSync(path.dirname(d), 0o755);
    fs.chmodSync(d, 0o755);
    const u = h.gzRun(['serve', '--site', d, '--listen', '127.0.0.1:0'], { uid: 65534, gid: 65534 });
    assert.notEqual(u.status, 0, u.stderr);
    assert.match(u.stderr, /opens Internet sockets only/);
  });

  test('a reader\'s comment through the form is stored (303) and listed by gazette comments', async () => {
    const text = `A comment kept in PostgreSQL ${Date.now()}`;
    const hid = await h.freshHidden(srv.url);
    const r = await h.postForm(srv.url, '/comments', {
      ...hid, gz_website: '', comment: text, author: 'Pg Reader', email: 'pg@example.com', url: '',
    });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const held = h.listComments(dir, 'pending').find((c) => c.author === 'Pg Reader');
    assert.ok(held, 'listed as pending by gazette comments');
    assert.equal(held.slug, h.SEED_SLUG);
    assert.ok(text.startsWith(held.text.replace(/…$/, '').trimEnd()));
    assert.equal(h.approve(dir, held.id).trim(), `comment ${held.id} approved`);
    const page = await h.get(srv.url, h.SEED_PATH);
    assert.ok(h.textOf(page.body).includes(text), 'the approved comment on the story page');
  });

  test('a user made with gazette user signs in to /admin', async () => {
    h.gz(['user', 'add', '--site', dir, '--role', 'admin', '--email', a.email('admin'), 'Pg Admin'],
      { input: a.PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
    const c = new a.Client(srv.url);
    const wrong = await c.signIn(a.email('admin'), 'not the password');
    assert.notEqual(wrong.status, 303);
    const r = await c.signIn(a.email('admin'));
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    const list = await c.get('/admin/stories');
    assert.equal(list.status, 200);
    assert.ok(h.textOf(list.body).includes(h.SEED_TITLE), 'the stories list');
  });

  test('a second node on the same database sees a story the first one published', async () => {
    dir2 = path.join(h.tmpDir(), 'node2');
    fs.mkdirSync(dir2);
    fs.mkdirSync(path.join(dir2, 'media'));
    fs.copyFileSync(path.join(dir, 'gazette.conf'), path.join(dir2, 'gazette.conf'));
    srv2 = await h.startServer(dir2);
    const before2 = await h.get(srv2.url, '/'); // cached on node 2
    assert.equal(before2.status, 200);
    const c = await a.signedIn(srv.url, 'admin');
    const title = `Published on node one ${Date.now()}`;
    const id = await a.writeStory(c, { title, body: 'Seen from **node two**.' });
    const p = await a.publicPath(c, id);
    assert.ok(p, 'a public path');
    // node two hears of the commit through LISTEN/NOTIFY, a moment after
    // node one answered: within the second issue 16 allows
    await h.until('node two\'s front page to list it',
      async () => h.textOf((await h.get(srv2.url, '/')).body).includes(title), 1000);
    const story2 = await h.get(srv2.url, p);
    assert.equal(story2.status, 200);
    assert.ok(h.textOf(story2.body).includes('Seen from node two'));
    // both nodes sign the same way: node one's session is good on node two
    const onTwo = await h.get(srv2.url, '/admin/stories', { headers: c.headers() });
    assert.equal(onTwo.status, 200);
  });
  // last: it stops the database. Workers connect at their first request, so
  // with four threads and one request before the stop, most have never
  // connected: a miss on such a worker must be a 503, not a crash.
  test('the database gone, a worker that never connected answers 503 and the node stays up', async () => {
    const d3 = path.join(h.tmpDir(), 'pg3');
    fs.cpSync(dir, d3, { recursive: true });
    fs.appendFileSync(path.join(d3, 'gazette.conf'), 'threads = 4\n');
    const srv3 = await h.startServer(d3);
    try {
      assert.equal((await h.get(srv3.url, '/')).status, 200);
      pg.stop();
      const got = await Promise.all(Array.from({ length: 40 }, (_, i) =>
        h.get(srv3.url, `/?page=${i + 2}`).then((r) => r.status, (e) => `error ${e.code || e.message}`)));
      assert.ok(got.every((x) => x === 503), `answers: ${got.join(' ')}`);
      assert.equal(srv3.exited(), null, 'the node is still running');
      assert.equal((await h.get(srv3.url, '/')).status, 200, 'the cached front page is still served');
    } finally {
      await srv3.stop();
    }
  });
});
