'use strict';
// Issue 15, language: the words readers see come from the theme's locale
// file for the site's `language` (en, Urdu right to left, Azerbaijani),
// English under every other layer, a site theme may override one string;
// month names too. A story may have its own language (editor field,
// validated): its article, cards, JSON-LD and feeds carry it. The lint
// (tests/lint/locale.js) fails on a template key English lacks and on a
// shipped locale that lacks one of English's.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');

const SEED = h.SEED_PATH;               // English demo story of 5 July 2024, with comments
const UR_PATH = '/2024/05/20/lahore-book-fair-young-readers';
const AZ_PATH = '/2024/05/18/sheki-silk-festival-visitors';
const ENGLISH = ['Skip to content', 'back to top', 'Related Articles', 'Post Comment', 'Leave a Reply',
  'Please enter your comment!', 'Please enter your name here', 'min read', '>By ', 'July', '>Reply<'];

function sql(dir, query) {
  return h.sqlRows(dir, query);
}
const jsonld = (html) => JSON.parse(h.htmlUnescape(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)[1]))['@graph'][0];
const article = (html) => /<article class="story"[^>]*>/.exec(html)[0];

async function withSite(conf, fn, prepare) {
  const dir = h.makeSite({ conf: { cache_size: 0, ...conf } });
  if (prepare) prepare(dir);
  const s = await h.startServer(dir);
  try {
    await fn(s.url, dir);
  } finally {
    await s.stop();
  }
}

after(() => h.cleanupSites());

describe('the site language picks the locale', () => {
  test('language = ur: <html lang="ur" dir="rtl">, Urdu words and month names, no English left', async () => {
    await withSite({ language: 'ur' }, async (url) => {
      const home = await h.get(url, '/');
      assert.equal(home.status, 200);
      assert.match(home.body, /<html lang="ur" dir="rtl">/);
      assert.match(home.body, />مواد پر جائیں</);            // skip link
      assert.match(home.body, />اوپر جائیں</);                // back to top
      assert.match(home.body, /<h1 class="vh">تازہ ترین خبریں<\/h1>/);
      assert.match(home.body, />5 جولائی 2024</);              // month name
      assert.match(home.body, /<span class="summary-byline">از </);
      const story = await h.get(url, SEED);
      assert.equal(story.status, 200);
      assert.match(story.body, /<h2 id="related-h">متعلقہ مضامین<\/h2>/);
      assert.match(story.body, /data-missing="براہ کرم اپنا تبصرہ لکھیں!"/);
      assert.match(story.body, /data-missing="براہ کرم یہاں اپنا نام لکھیں"/);
      assert.match(story.body, /value="تبصرہ شائع کریں"/);
      assert.match(story.body, /<link rel="alternate" type="application\/rss\+xml" title="[^"]+ پر تبصرے \(RSS\)" href="[^"]+\/comments\/feed">/);
      // the stored comment thread (rendered at init in English) is rendered again in Urdu
      assert.match(story.body, /class="comment-reply-link" href="[^"]*" aria-label="جواب برائے [^"]*">جواب<\/a>/);
      assert.match(story.body, /<h2 id="comments-h" class="comments-title">\d+ تبصرے<\/h2>/);
      assert.match(story.body, /<time datetime="2024-07-05T09:30:00Z">5 جولائی 2024، 09:30<\/time>|<time datetime="2024-07-05T09:30:00Z">5 جولائی 2024, 09:30<\/time>/);
      for (const body of [home.body, story.body])
        for (const en of ENGLISH) assert.ok(!body.includes(en), `English "${en}" on an Urdu page`);
      const section = await h.get(url, '/section/world');
      assert.match(section.body, /<p class="list-kind">شعبہ<\/p>/);
      assert.match((await h.get(url, '/tag/pakistan')).body, /<title>ٹیگ: Pakistan – /);
      const latest2 = await h.get(url, '/?page=2');
      assert.match(latest2.body, /<title>تازہ ترین خبریں \(صفحہ 2\) – /);
      assert.match((await h.get(url, '/corrections')).body, /<title>تصحیحات – /);
      const search = await h.get(url, '/search?q=zzzznothing');
      assert.match(search.body, /<h2 id="none-h">کوئی خبر نہیں ملی<\/h2>/);
      assert.match(search.body, /<title>“zzzznothing” کے لیے تلاش کے نتائج – /);
      assert.match((await h.get(url, '/search?q=' + '%2B'.repeat(3))).body, /<p class="search-error" role="alert">اس میں تلاش کے لیے کوئی لفظ نہیں تھا۔<\/p>/);
      const missing = await h.get(url, '/no-such-page-here');
      assert.equal(missing.status, 404);
      assert.match(missing.body, /<p class="error-status">خرابی 404<\/p>/);
      assert.match(missing.body, /<h1 class="error-title">صفحہ نہیں ملا<\/h1>/);
      assert.match(missing.body, /<p class="error-message">اس پتے پر کچھ نہیں ہے۔<\/p>/);
      assert.match(missing.body, /<title>صفحہ نہیں ملا – /);
      assert.match(missing.body, /<html lang="ur" dir="rtl">/);
    });
  });

  test('the admin stays in English, marked so, on an Urdu site', async () => {
    await withSite({ language: 'ur' }, async (url) => {
      const r = await h.get(url, '/admin/sign-in');
      assert.equal(r.status, 200);
      assert.match(r.body, /<html lang="en" dir="ltr">/);
    });
  });

  test('a comment that comes back shows the server\'s messages in Urdu, with what the reader typed', async () => {
    await withSite({ language: 'ur', comment_min_seconds: 0 }, async (url) => {
      const hid = await h.freshHidden(url, SEED);
      const r = await h.postForm(url, '/comments', { ...hid, gz_website: '', comment: '',
        author: 'قاری', email: 'reader@example.com', url: 'ftp://example.org/' });
      assert.equal(r.status, 422);
      assert.match(r.body, /<p class="field-error" id="comment-error">براہ کرم اپنا تبصرہ لکھیں!<\/p>/);
      assert.match(r.body, /<p class="field-error" id="url-error">براہ کرم ویب سائٹ کا ایسا پتہ لکھیں جو http:\/\/ یا https:\/\/ سے شروع ہو۔<\/p>/);
      assert.match(r.body, /<div class="form-errors" role="alert"><ul><li>براہ کرم اپنا تبصرہ لکھیں!<\/li>/);
      assert.match(r.body, /id="author" name="author" type="text" value="قاری"/);
      assert.ok(!r.body.includes('Please enter'), 'no English message');
    });
  });

  test('language = az: Azerbaijani words and month names, left to right', async () => {
    await withSite({ language: 'az' }, async (url) => {
      const story = await h.get(url, SEED);
      assert.match(story.body, /<html lang="az" dir="ltr">/);
      assert.match(story.body, />5 iyul 2024, 09:30</);
      assert.match(story.body, /<h2 id="related-h">Oxşar məqalələr<\/h2>/);
      assert.match(story.body, />yuxarı qayıt</);
      assert.match(story.body, /value="Şərhi göndər"/);
      assert.match(story.body, /data-missing="Zəhmət olmasa, şərhinizi yazın!"/);
      for (const en of ENGLISH) assert.ok(!story.body.includes(en), `English "${en}" on an Azerbaijani page`);
    });
  });

  test('a site theme overrides one string; a key the language lacks falls back to English', async () => {
    await withSite({ language: 'ur' }, async (url) => {
      const body = (await h.get(url, SEED)).body;
      assert.match(body, /<h2 id="related-h">یہ بھی پڑھیں<\/h2>/);  // the site's own Urdu
      assert.match(body, />اوپر جائیں</);                           // the rest stays ours
      assert.match(body, /<p class="site-note">Printed on recycled pixels<\/p>/); // English fallback
    }, (dir) => {
      fs.mkdirSync(path.join(dir, 'theme', 'locale'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'theme', 'locale', 'ur.conf'), 'related_articles = یہ بھی پڑھیں\n');
      fs.writeFileSync(path.join(dir, 'theme', 'locale', 'en.conf'), 'site_note = Printed on recycled pixels\n');
      const foot = fs.readFileSync(path.join(h.ROOT, 'themes', 'default', 'foot.html'), 'utf8');
      fs.writeFileSync(path.join(dir, 'theme', 'foot.html'),
        foot.replace('<footer class="site-footer">', '<footer class="site-footer">\n<p class="site-note">{{t.site_note}}</p>'));
    });
  });

  test('a language without a locale file shows English words under its own lang; a bad tag stops the server', async () => {
    await withSite({ language: 'fr' }, async (url) => {
      const body = (await h.get(url, SEED)).body;
      assert.match(body, /<html lang="fr" dir="ltr">/);
      assert.match(body, /Related Articles/);
      assert.match(body, />5 July 2024, 09:30</);
    });
    const bad = h.makeSite({ demo: false, conf: { language: '../etc' } });
    const r = h.gzRun(['serve', '--site', bad, '--listen', '127.0.0.1:1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /gazette\.conf:\d+: language must be a BCP 47 tag/);
  });
});

describe('a story in its own language', () => {
  let dir; let srv; let ed;
  before(async () => {
    dir = a.makeNewsroom({ conf: { cache_size: 0 } });
    srv = await h.startServer(dir);
    ed = await a.signedIn(srv.url, 'editor');
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the Urdu and Azerbaijani demo stories carry lang/dir on an English site, in JSON-LD and feeds', async () => {
    const ur = await h.get(srv.url, UR_PATH);
    assert.equal(ur.status, 200);
    assert.match(ur.body, /<html lang="en" dir="ltr">/);
    assert.equal(article(ur.body), '<article class="story" lang="ur" dir="rtl">');
    assert.match(ur.body, /<h1 class="story-title">لاہور میں کتاب میلہ/);
    assert.equal(jsonld(ur.body).inLanguage, 'ur');
    const az = await h.get(srv.url, AZ_PATH);
    assert.equal(article(az.body), '<article class="story" lang="az" dir="ltr">');
    assert.match(az.body, /Şəkidə ipək festivalı/);
    for (const ch of ['ə', 'ğ', 'ı', 'ö', 'ü', 'ç', 'ş']) assert.ok(az.body.includes(ch), ch);
    assert.equal(jsonld(az.body).inLanguage, 'az');
    const en = await h.get(srv.url, SEED);
    assert.equal(article(en.body), '<article class="story">');
    assert.equal(jsonld(en.body).inLanguage, 'en');
    const culture = await h.get(srv.url, '/section/culture');
    assert.match(culture.body, /<h2 class="summary-title" lang="ur" dir="rtl"><a href="\/2024\/05\/20\/lahore-book-fair-young-readers">/);
    const feed = JSON.parse((await h.get(srv.url, '/section/culture/feed.json')).body);
    assert.equal(feed.language, 'en');
    assert.equal(feed.items.find((i) => i.url.endsWith(UR_PATH)).language, 'ur');
    assert.equal(feed.items.find((i) => i.url.endsWith(AZ_PATH)).language, 'az');
    assert.ok(!('language' in feed.items.find((i) => !i.url.endsWith(UR_PATH) && !i.url.endsWith(AZ_PATH))));
    const atom = (await h.get(srv.url, '/section/culture/feed.atom')).body;
    assert.match(atom, /<entry xml:lang="ur">\n<title>لاہور میں کتاب میلہ/);
  });

  test('the editor sets a story\'s language; the page and the form show it', async () => {
    const id = await a.writeStory(ed, { title: 'Urdu brief', excerpt: 'خلاصہ', body: 'یہ ایک مختصر خبر ہے۔', lang: 'ur' });
    assert.equal(sql(dir, `SELECT lang FROM stories WHERE id = ${id}`)[0].lang, 'ur');
    const p = await a.publicPath(ed, id);
    const page = await h.get(srv.url, p);
    assert.equal(article(page.body), '<article class="story" lang="ur" dir="rtl">');
    assert.equal((await a.editorValues(ed, id)).lang, 'ur');
    const news = (await h.get(srv.url, '/news-sitemap.xml')).body; // the last 48 hours: this story
    assert.match(news, new RegExp(`<loc>[^<]*${p}</loc><news:news><news:publication><news:name>[^<]*</news:name><news:language>ur</news:language>`));
    const values = await a.editorValues(ed, id); // back to the site's language
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...values, lang: '' });
    assert.equal(r.status, 303);
    assert.equal(sql(dir, `SELECT lang FROM stories WHERE id = ${id}`)[0].lang, '');
    assert.match((await ed.get(`/admin/stories/${id}/revisions`)).body, /language/);
    assert.equal(article((await h.get(srv.url, p)).body), '<article class="story">');
  });

  test('a bad language is refused with 422, the form keeps what was typed, nothing is stored', async () => {
    const before = sql(dir, 'SELECT count(*) AS n FROM stories')[0].n;
    for (const bad of ['urdu language', 'ur_PK', '<script>', 'x'.repeat(101)]) {
      const r = await ed.post('/admin/stories/new/publish', { comments_open: '1', title: 'Kept title',
        excerpt: 'Kept excerpt', body: 'Kept body text.', lang: bad });
      assert.equal(r.status, 422, bad);
      assert.match(r.body, bad.length > 100 ? /The language is too long/ : /Give the language as a BCP 47 tag/);
      const v = h.formValues(r.body, 'editor').values;
      assert.equal(v.title, 'Kept title');
      assert.equal(v.excerpt, 'Kept excerpt');
      assert.equal(v.body, 'Kept body text.');
      assert.equal(v.lang, bad);
      assert.match(r.body, /<input id="lang" name="lang" type="text" value="[^"]*"[^>]* aria-invalid="true" aria-describedby="lang-error">/);
      assert.deepEqual(h.liveXss(r.body), []);
    }
    assert.equal(sql(dir, 'SELECT count(*) AS n FROM stories')[0].n, before);
  });
});

describe('tests/lint/locale.js', () => {
  const LINT = path.join(h.ROOT, 'tests', 'lint', 'locale.js');
  const run = (root) => spawnSync('node', root ? [LINT, root] : [LINT], { encoding: 'utf8', timeout: 60000 });

  test('passes on the shipped theme', () => {
    const r = run();
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('fails on a template key English lacks, and on a locale lacking or inventing a key', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-locale-'));
    try {
      const dir = path.join(tmp, 'themes', 'default');
      fs.mkdirSync(path.join(dir, 'locale'), { recursive: true });
      const put = (name, text) => fs.writeFileSync(path.join(dir, name), text);
      put('locale/en.conf', '# English\nhello = Hello\nbye = Bye\n');
      put('locale/ur.conf', 'hello = سلام\nbye = خدا حافظ\n');
      put('a.html', '<p>{{t.hello}} {{#t.bye}}{{t.bye}}{{/t.bye}}</p>\n');
      const good = run(tmp);
      assert.equal(good.status, 0, good.stdout);
      put('b.html', '<p>{{t.nowhere}}</p>\n');
      put('locale/ur.conf', 'hello = سلام\nhelo = typo\n');
      const bad = run(tmp);
      assert.equal(bad.status, 1);
      assert.match(bad.stdout, /b\.html: \{\{t\.nowhere\}\} is not in locale\/en\.conf/);
      assert.match(bad.stdout, /locale\/ur\.conf: lacks "bye"/);
      assert.match(bad.stdout, /locale\/ur\.conf: "helo" is not in en\.conf/);
      assert.doesNotMatch(bad.stdout, /a\.html/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
