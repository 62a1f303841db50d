'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const RELATED_TAGS = ['Pakistan', 'Azerbaijan', 'Diplomacy', 'Trade', 'Energy', 'Transport', 'Central Asia', 'COP29'];
const STORY_URL_RE = /^\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9-]+$/;

let srv;
let stories; // demo stories, newest first
let seed;
let seedHtml;
let siteDir;
let confText;

before(async () => {
  stories = h.demoStories();
  seed = stories.find((s) => s.slug === h.SEED_SLUG);
  const dir = h.makeSite({ demo: true, photos: true }); // the demo as `make run` shows it
  siteDir = dir;
  confText = require('node:fs').readFileSync(require('node:path').join(dir, 'gazette.conf'), 'utf8');
  srv = await h.startServer(dir);
  const r = await h.get(srv.url, h.SEED_PATH);
  assert.equal(r.status, 200, 'seed story page answers 200');
  seedHtml = r.body;
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

// Story URLs linked from a page, in order of first appearance (ignoring query/fragment).
function storyLinks(html) {
  const seen = [];
  for (const a of h.findLinks(html)) {
    if (!a.href) continue;
    const p = h.splitLocation(a.href).pathname;
    if (STORY_URL_RE.test(p) && !seen.includes(p)) seen.push(p);
  }
  return seen;
}

function pathOf(href) { return h.splitLocation(href).pathname; }

describe('home page', () => {
  let home;
  before(async () => {
    home = await h.get(srv.url, '/');
  });

  test('answers 200 text/html', () => {
    assert.equal(home.status, 200);
    assert.match(home.headers['content-type'] || '', /^text\/html/);
    assert.match(home.body, /<body[^>]*\bid="top"/, '<body id="top">');
  });

  test('lists the 10 newest stories, newest first, the seed story first', () => {
    const links = storyLinks(home.body);
    const expected = stories.slice(0, 10).map((s) => s.url);
    assert.equal(links[0], h.SEED_PATH, 'the seed story is first');
    assert.deepEqual(links, expected, 'home lists the newest 10 stories in date order');
  });

  test('each listed story shows its title, excerpt, byline and <time datetime>', () => {
    const text = h.textOf(home.body);
    for (const s of stories.slice(0, 10)) {
      assert.ok(text.includes(h.normWs(s.title)), `title of ${s.slug}`);
      if (s.excerpt) assert.ok(text.includes(h.normWs(s.excerpt)), `excerpt of ${s.slug}`);
      assert.ok(text.includes(s.author), `byline of ${s.slug}`);
      assert.ok(home.body.includes(`href="/author/${h.slugify(s.author)}"`), `author link for ${s.slug}`);
    }
    const times = h.findTags(home.body, 'time').map((t) => t.attrs.datetime).filter(Boolean);
    assert.ok(times.length >= 10, `at least 10 <time datetime> (got ${times.length})`);
    assert.ok(times.some((d) => d.startsWith('2024-07-05')), 'seed story date in a <time datetime>');
  });

  test('pagination: page 2 lists the older stories; page 999 is 404', async () => {
    if (stories.length > 10) {
      assert.ok(h.findLinks(home.body).some((a) => a.href && /[?&]page=2\b/.test(a.href)), 'home links to ?page=2');
      const p2 = await h.get(srv.url, '/?page=2');
      assert.equal(p2.status, 200);
      assert.deepEqual(storyLinks(p2.body), stories.slice(10, 20).map((s) => s.url), 'page 2 lists stories 11..20');
      assert.ok(h.findLinks(p2.body).some((a) => a.href && (/^\/(\?page=1)?$/.test(a.href) || /[?&]page=1\b/.test(a.href))),
        'page 2 links back to page 1');
    }
    const p999 = await h.get(srv.url, '/?page=999');
    assert.equal(p999.status, 404);
    assert.deepEqual(storyLinks(p999.body).filter((u) => stories.some((s) => s.url === u)).length, 0,
      'page 999 lists no stories');
  });

  test('bad page numbers do not crash the server', async () => {
    for (const q of ['0', '-1', 'abc', '99999999999999999999', '1e3', '']) {
      const r = await h.get(srv.url, '/?page=' + q);
      assert.ok([200, 301, 302, 303, 400, 404].includes(r.status), `?page=${q} -> ${r.status}`);
    }
    assert.equal((await h.get(srv.url, '/')).status, 200);
  });
});

describe('seed story page', () => {
  test('headline in <h1 class="story-title">', () => {
    const h1 = h.findElement(seedHtml, 'h1', (a) => h.hasClass(a, 'story-title'));
    assert.ok(h1, '<h1 class="story-title"> present');
    assert.equal(h.textOf(h1), h.SEED_TITLE);
    assert.match(seedHtml, /<title>[^<]*Pakistan-Azerbaijan Ties/, '<title> names the story');
  });

  test('every paragraph of the seed story is in the story body, in order', () => {
    const bodyDiv = h.findElement(seedHtml, 'div', (a) => h.hasClass(a, 'story-body'));
    assert.ok(bodyDiv, '<div class="story-body"> present');
    const text = h.textOf(bodyDiv);
    let last = -1;
    const paras = h.seedParagraphs();
    assert.ok(paras.length >= 10, 'seed has its paragraphs');
    for (const p of paras) {
      const i = text.indexOf(p);
      assert.ok(i !== -1, `paragraph missing from story body: "${p.slice(0, 80)}..."`);
      assert.ok(i > last, `paragraph out of order: "${p.slice(0, 60)}..."`);
      last = i;
    }
    const pCount = h.findTags(bodyDiv, 'p').length;
    assert.ok(pCount >= paras.length, `each paragraph is a <p> (${pCount} <p> for ${paras.length} paragraphs)`);
  });

  test('"back to top" link to #top, and <body id="top">', () => {
    assert.match(seedHtml, /<body[^>]*\bid="top"/);
    const link = h.findLinks(seedHtml).find((a) => h.hasClass(a.attrs, 'back-to-top'));
    assert.ok(link, 'a.back-to-top present');
    assert.equal(link.href, '#top');
    assert.equal(link.text, 'back to top');
  });

  test('byline links to the author page, date in <time datetime>', async () => {
    const byline = h.findLinks(seedHtml).find((a) => h.hasClass(a.attrs, 'byline-author'));
    assert.ok(byline, 'a.byline-author present');
    assert.equal(byline.attrs.rel, 'author');
    assert.equal(byline.text, seed.author);
    assert.equal(pathOf(byline.href), `/author/${h.slugify(seed.author)}`);
    const times = h.findTags(seedHtml, 'time').map((t) => t.attrs.datetime || '');
    assert.ok(times.some((d) => d.startsWith('2024-07-05')), 'story date in <time datetime>');
    const r = await h.get(srv.url, byline.href);
    assert.equal(r.status, 200, 'author page answers 200');
    assert.ok(storyLinks(r.body).includes(h.SEED_PATH), 'author page lists the seed story');
    assert.ok(h.textOf(r.body).includes(seed.author), 'author page names the author');
  });

  test('section and tag links resolve to pages listing the seed story', async () => {
    const hrefs = h.findLinks(seedHtml).map((a) => a.href || '');
    const sectionUrl = `/section/${h.slugify(seed.section)}`;
    assert.ok(hrefs.some((x) => pathOf(x) === sectionUrl), `links to ${sectionUrl}`);
    const targets = [sectionUrl];
    for (const tag of seed.tags) {
      const u = `/tag/${h.slugify(tag)}`;
      assert.ok(hrefs.some((x) => pathOf(x) === u), `links to ${u}`);
      targets.push(u);
    }
    for (const u of targets) {
      const r = await h.get(srv.url, u);
      assert.equal(r.status, 200, `${u} answers 200`);
      assert.ok(storyLinks(r.body).includes(h.SEED_PATH), `${u} lists the seed story`);
    }
  });

  test('section page lists only that section\'s stories, newest first', async () => {
    const r = await h.get(srv.url, `/section/${h.slugify(seed.section)}`);
    const expected = stories.filter((s) => s.section === seed.section).slice(0, 10).map((s) => s.url);
    assert.deepEqual(storyLinks(r.body), expected);
  });

  test('tag page lists only stories with that tag, newest first', async () => {
    const r = await h.get(srv.url, '/tag/pakistan');
    const expected = stories.filter((s) => s.tags.includes('Pakistan')).slice(0, 10).map((s) => s.url);
    assert.deepEqual(storyLinks(r.body), expected);
  });

  test('"Related Articles" links only to related Pakistan/Azerbaijan/region stories, at most 4', () => {
    const sec = h.findElement(seedHtml, 'section', (a) => h.hasClass(a, 'related'));
    assert.ok(sec, '<section class="related"> present');
    assert.match(sec, /<h2[^>]*id="related-h"[^>]*>\s*Related Articles\s*<\/h2>/);
    const links = h.findLinks(sec).map((a) => pathOf(a.href || ''));
    assert.ok(links.length >= 1, 'at least one related story');
    assert.ok(links.length <= 4, `at most 4 related stories (got ${links.length})`);
    for (const u of links) {
      assert.notEqual(u, h.SEED_PATH, 'the seed story is not related to itself');
      const s = stories.find((x) => x.url === u);
      assert.ok(s, `related link ${u} is a demo story`);
      assert.ok(s.tags.some((t) => RELATED_TAGS.includes(t)), `related story ${u} is about the region (tags: ${s.tags})`);
      assert.ok(h.textOf(sec).includes(h.normWs(s.title)), `related link shows the title of ${u}`);
    }
    assert.equal(new Set(links).size, links.length, 'no duplicate related links');
  });

  test('demo comments are threaded', () => {
    const tree = h.commentTree(seedHtml);
    assert.ok(tree.section, '<section id="comments"> present');
    const demo = h.demoComments().filter((c) => c.story === h.SEED_SLUG);
    const nodes = Object.values(tree.byId);
    assert.equal(nodes.length, demo.length, `all ${demo.length} demo comments on the seed story are shown`);
    const text = h.textOf(tree.section);
    for (const c of demo) {
      assert.ok(text.includes(c.author), `comment by ${c.author} shown`);
      const firstPara = h.normWs(c.body.split(/\n\s*\n/)[0]);
      assert.ok(text.includes(firstPara), `comment text by ${c.author} shown`);
    }
    // Map demo ids (c1..) to rendered nodes by order of appearance and author.
    const repliesExpected = demo.filter((c) => c.parent).length;
    const replies = nodes.filter((n) => n.parentId !== null);
    assert.equal(replies.length, repliesExpected, 'replies are nested inside their parents');
    for (const n of nodes) {
      assert.ok(n.depth !== null, `comment-${n.id} has a depth-N class`);
      if (n.parentId === null) {
        assert.equal(n.depth, 1, `top-level comment-${n.id} is depth-1`);
      } else {
        assert.ok(n.insideChildrenOl, `comment-${n.id} sits in its parent's <ol class="children">`);
        assert.equal(n.depth, tree.byId[n.parentId].depth + 1, `comment-${n.id} depth is its parent's + 1`);
      }
      const li = h.findElement(tree.section, 'li', (a) => a.id === `comment-${n.id}`);
      assert.match(li, /<article\b/, `comment-${n.id} holds an <article>`);
      assert.match(li, /<b[^>]*class="comment-author"/, `comment-${n.id} has b.comment-author`);
      assert.match(li, new RegExp(`<a[^>]*class="comment-permalink"[^>]*href="#comment-${n.id}"`), `comment-${n.id} permalink`);
      assert.match(li, /<div[^>]*class="comment-body"/, `comment-${n.id} has div.comment-body`);
      assert.doesNotMatch(li.split('<ol')[0], /comment-awaiting-moderation/, 'approved comments are not marked pending');
    }
    // The specific demo thread: each reply sits under the comment it answers.
    const own = (id) => h.textOf(h.findElement(tree.section, 'li', (a) => a.id === `comment-${id}`)
      .split(/<ol[^>]*class="children"/)[0]);
    const firstPara = (c) => h.normWs(c.body.split(/\n\s*\n/)[0]);
    for (const c of demo.filter((d) => d.parent)) {
      const parent = demo.find((d) => d.id === c.parent);
      const child = nodes.find((n) => own(n.id).includes(firstPara(c)));
      assert.ok(child, `reply by ${c.author} is shown`);
      assert.ok(child.parentId !== null, `reply by ${c.author} is nested`);
      assert.ok(own(child.parentId).includes(firstPara(parent)),
        `reply by ${c.author} is nested under ${parent.author}'s comment`);
    }
  });

  test('commenter URL is a nofollow ugc link', () => {
    const withUrl = h.demoComments().filter((c) => c.story === h.SEED_SLUG && c.url);
    const sec = h.commentTree(seedHtml).section;
    for (const c of withUrl) {
      const a = h.findLinks(sec).find((l) => l.href === c.url && l.text === c.author);
      assert.ok(a, `author link for ${c.author}`);
      assert.deepEqual((a.attrs.rel || '').split(/\s+/).sort(), ['nofollow', 'ugc']);
    }
  });

  test('comment count label matches the number of comments', () => {
    const tree = h.commentTree(seedHtml);
    const n = Object.keys(tree.byId).length;
    const heading = /<h[2-3][^>]*>([\s\S]*?)<\/h[2-3]>/i.exec(tree.section);
    assert.ok(heading, 'comments section has a heading');
    const label = h.textOf(heading[1]);
    assert.match(label, new RegExp(`\\b${n}\\b`), `label "${label}" shows ${n}`);
    assert.match(label, n === 1 ? /\bcomment\b/i : /\bcomments\b/i, `label "${label}" uses the right plural`);
  });

  test('comment form has the WordPress fields and hidden values', () => {
    const f = h.formValues(seedHtml);
    assert.equal(f.method, 'post');
    assert.equal(pathOf(f.action), '/comments');
    for (const name of ['comment', 'author', 'email', 'url', 'comment_post_ID', 'comment_parent', 'gz_ts', 'gz_website']) {
      assert.ok(name in f.values, `field ${name} present`);
    }
    assert.match(f.values.comment_post_ID, /^\d+$/);
    assert.equal(f.values.comment_parent, '0');
    assert.ok(f.values.gz_ts.length > 0, 'gz_ts token present');
    assert.equal(f.values.gz_website, '', 'honeypot is empty');
    assert.match(f.html, /<p[^>]*class="hp"[^>]*aria-hidden="true"[^>]*>[\s\S]*?name="gz_website"/, 'honeypot inside p.hp');
    assert.match(f.html, /<textarea[^>]*\bid="comment"[^>]*\brequired/, 'textarea#comment required');
    assert.match(f.html, /<input[^>]*\bid="author"[^>]*\brequired/, 'input#author required');
    assert.match(f.html, /<input(?=[^>]*\bid="email")(?=[^>]*\btype="email")[^>]*>/, 'input#email type=email');
    assert.match(f.html, /<input(?=[^>]*\bid="url")(?=[^>]*\btype="url")[^>]*>/, 'input#url type=url');
    assert.match(f.html, /<input(?=[^>]*\bid="submit")(?=[^>]*\btype="submit")(?=[^>]*value="Post Comment")[^>]*>/, 'submit');
    assert.match(seedHtml, /<div[^>]*id="respond"/, 'div#respond');
  });
});

describe('not found', () => {
  for (const p of ['/nope', '/2024/07/05/nope', '/section/nope', '/tag/nope', '/author/nope',
    '/static/nope.css', '/2024/13/45/x', '/2024/07/05/' + h.SEED_SLUG + '/extra']) {
    test(`GET ${p} -> 404 page`, async () => {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 404, `${p} -> ${r.status}`);
      if (!p.startsWith('/static/')) {
        assert.match(r.headers['content-type'] || '', /^text\/html/);
        assert.match(r.body, /<html/i, 'an HTML error page');
      }
    });
  }

  test('the seed slug under a wrong date is not served as a duplicate page', async () => {
    const r = await h.get(srv.url, '/2099/01/01/' + h.SEED_SLUG);
    if (r.status === 301 || r.status === 308) {
      assert.equal(h.splitLocation(r.headers.location).pathname, h.SEED_PATH, 'redirects to the canonical URL');
    } else {
      assert.equal(r.status, 404);
    }
  });

  test('HEAD / answers like GET without a body', async () => {
    const r = await h.request(srv.url, '/', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.raw.length, 0);
  });
});

describe('static files', () => {
  test('the linked stylesheet is text/css with a one-year max-age', async () => {
    const home = await h.get(srv.url, '/');
    const link = h.findTags(home.body, 'link').find((t) => (t.attrs.rel || '').split(/\s+/).includes('stylesheet'));
    assert.ok(link, '<link rel="stylesheet"> on the home page');
    const r = await h.get(srv.url, link.attrs.href);
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] || '', /^text\/css/);
    const cc = r.headers['cache-control'] || '';
    const m = /max-age=(\d+)/.exec(cc);
    assert.ok(m && Number(m[1]) >= 31536000, `Cache-Control "${cc}" has max-age >= 31536000`);
    assert.ok(r.body.length > 100, 'stylesheet has content');
  });

  test('/static/style.css is served as text/css', async () => {
    const r = await h.get(srv.url, '/static/style.css');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] || '', /^text\/css/);
  });

  test('path traversal under /static/ is refused', async () => {
    for (const p of ['/static/../gazette.conf', '/static/%2e%2e/gazette.conf', '/static/..%2fgazette.db',
      '/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/media/../gazette.db']) {
      const r = await h.get(srv.url, p);
      assert.ok(r.status >= 400 && r.status < 500, `${p} -> ${r.status}`);
      assert.ok(!r.body.includes('SQLite format 3') && !r.body.includes('root:x:0:0'), `${p} leaks a file`);
      assert.ok(!r.body.includes(confText.trim().slice(0, 60)) || confText.trim() === '', `${p} leaks the config`);
    }
  });
});
