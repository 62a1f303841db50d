'use strict';
// The newsroom under attack (issue 7): XSS through every editor field that is
// not meant to carry HTML (title, slug, excerpt, tags; user names through the
// users admin; the comment word lists in the settings) and through the
// Markdown body (raw <script>, javascript: links, event-handler attributes).
// Every payload of the corpus is published as a story; the public story
// page, home, tag and author lists, feeds, sitemaps, search results and the
// admin pages must then hold no live markup (attack-lib's liveMarkup).
// The browser half is in tests/e2e/xss.test.js.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');
const A = require('./attack-lib');

const enc = encodeURIComponent;
const MARK = 'zebraprobe'; // in every title, so search finds them all
const USERS = 8;

// Markdown shapes that must never turn into script: raw HTML, script URLs in
// every link form, attribute breakouts from link titles and image sources.
const MD = [
  '<script>top.__xss=1</script>',
  '<div onclick="top.__xss=1" onmouseover="top.__xss=1">hover me</div>',
  '<img src=x onerror="top.__xss=1">',
  '<details open ontoggle=top.__xss=1><summary>x</summary></details>',
  '<svg onload=top.__xss=1></svg>',
  '<iframe src="javascript:top.__xss=1"></iframe>',
  '<a href="javascript:top.__xss=1">raw link</a>',
  '[inline](javascript:top.__xss=1)',
  '[case](JaVaScRiPt:top.__xss=1)',
  '[entity](javascript&#58;top.__xss=1)',
  '[hex entity](&#x6A;avascript:top.__xss=1)',
  '[spaces]( javascript:top.__xss=1 )',
  '[angle](<javascript:top.__xss=1>)',
  '[tab](java\tscript:top.__xss=1)',
  '[vb](vbscript:msgbox(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![image](javascript:top.__xss=1)',
  '![image](x" onerror="top.__xss=1)',
  '[title](https://example.com "t\\" onmouseover=\\"top.__xss=1")',
  '[title2](https://example.com \'a" onmouseover="top.__xss=1\')',
  '[ref][r]\n\n[r]: javascript:top.__xss=1',
  '<javascript:top.__xss=1>',
  '<https://example.com/"onmouseover="top.__xss=1>',
  '`<script>top.__xss=1</script>` and ```<img src=x onerror=top.__xss=1>```',
  '```html\n<script>top.__xss=1</script>\n```',
  '> <script>top.__xss=1</script>',
  '* <img src=x onerror=top.__xss=1>',
  '<!-- --><script>top.__xss=1</script><!-- -->',
  '<style>body{background:url(javascript:top.__xss=1)}</style>',
  '<form action="javascript:top.__xss=1"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=top.__xss=1>',
  '<a href="https://example.com" onclick="top.__xss=1">https://example.com</a>',
];

let dir;
let srv;
let admin;
const stories = []; // { id, path, payload }
const refused = [];

function noLive(body, where) {
  const p = A.liveMarkup(body);
  assert.deepEqual(p, [], `${where}: live markup:\n  ${p.join('\n  ')}`);
}

async function page(c, path, where, ok = [200]) {
  const r = c ? await c.get(path) : await h.get(srv.url, path);
  assert.ok(ok.includes(r.status), `${where || path}: status ${r.status}`);
  noLive(r.body, where || path);
  return r;
}

before(async () => {
  dir = a.makeNewsroom({ conf: { per_page: 100, search_rate_per_minute: 100000 } });
  srv = await h.startServer(dir);
  admin = await a.signedIn(srv.url, 'admin');
});

after(async () => {
  if (srv) await srv.stop();
  h.cleanupSites();
});

describe('XSS through the newsroom', () => {
  const userIds = [];

  test(`${USERS} users with payload names (users admin)`, { timeout: 120000 }, async () => {
    for (let i = 0; i < USERS; i++) {
      const name = A.XSS[(i * 17) % A.XSS.length].slice(0, 90);
      const r = await admin.post('/admin/users', { name, email: `xss${i}@newsroom.test`, role: 'author', password: a.PASSWORD });
      assert.ok(r.status === 303 || r.status === 422, `user ${i}: ${r.status}`);
      noLive(r.body, `users admin answer ${i}`);
    }
    const list = await page(admin, '/admin/users', 'users admin');
    for (const m of list.body.matchAll(/action="\/admin\/users\/(\d+)"/g)) userIds.push(Number(m[1]));
    assert.ok(userIds.length >= USERS, `users listed (${userIds.length})`);
  });

  test(`${A.XSS.length} payloads as title, slug, excerpt, tags and body; ${MD.length} Markdown shapes`, { timeout: 240000 }, async (t) => {
    for (let i = 0; i < A.XSS.length; i++) {
      const p = A.XSS[i];
      const fields = { title: `${A.tagged(p, i)} ${MARK}`.slice(0, 300), slug: `${p}-${i}`.slice(0, 200),
        excerpt: p, tags: `${p}, probe${i}`, body: `${p}\n\n${MD[i % MD.length]}\n\nText ${MARK}.`,
        author: String(userIds[i % userIds.length]) };
      const r = await admin.post('/admin/stories/new/publish', { comments_open: '1', ...fields });
      noLive(r.body, `publish answer ${i}`);
      const m = /^\/admin\/stories\/(\d+)\?msg=/.exec(r.headers.location || '');
      if (r.status === 303 && m) stories.push({ id: Number(m[1]), payload: p, i });
      else { assert.equal(r.status, 422, `payload ${i}: ${r.status}`); refused.push(i); }
    }
    for (let j = 0; j < MD.length; j++) {
      const id = await a.writeStory(admin, { title: `Markdown shape ${j} ${MARK}`, body: `${MD[j]}\n\nAfter ${MARK}.`,
        excerpt: MD[j].slice(0, 1000), tags: `md${j}` });
      stories.push({ id, payload: MD[j], md: true });
    }
    assert.ok(stories.length >= A.XSS.length * 0.9 + MD.length, `published ${stories.length}, refused ${refused.length}`);
    t.diagnostic(`published ${stories.length} stories; refused (422, form checked) ${refused.length}`);
  });

  test('the story pages and their editor and revisions pages', { timeout: 240000 }, async () => {
    for (const s of stories) {
      const ed = await page(admin, `/admin/stories/${s.id}`, `editor of story ${s.id}`);
      const link = h.findTags(ed.body, 'a').find((t) => t.attrs.id === 'public-url');
      assert.ok(link, `story ${s.id} has a public address`);
      s.path = link.attrs.href;
      const pub = await page(null, s.path, `story ${s.id} (${s.path})`);
      assert.ok(h.textOf(pub.body).includes(MARK), `story ${s.id}: its text is shown`);
      if (s.id % 4 === 0) await page(admin, `/admin/stories/${s.id}/revisions`, `revisions of ${s.id}`);
    }
  });

  test('home, tag and author lists, feeds, sitemaps', { timeout: 240000 }, async (t) => {
    await page(null, '/', 'home');
    await page(null, '/?page=2', 'home page 2', [200, 404]);
    const lists = new Set();
    for (const s of stories.filter((_, k) => k % 3 === 0)) {
      const r = await h.get(srv.url, s.path);
      for (const l of h.findLinks(r.body)) {
        if (l.href && /^\/(tag|author)\/[^/?#]+$/.test(l.href)) lists.add(l.href);
      }
    }
    assert.ok(lists.size > 10, `tag and author pages linked (${lists.size})`);
    t.diagnostic(`${lists.size} tag and author pages and their feeds checked`);
    for (const l of lists) {
      await page(null, l, `list ${l}`);
      await page(null, `${l}/feed`, `feed ${l}`);
    }
    for (const f of ['/feed', '/feed.atom', '/sitemap.xml', '/news-sitemap.xml', '/sitemaps/stories-1.xml',
      '/sitemaps/tags-1.xml', '/sitemaps/authors-1.xml']) {
      await page(null, f, f, [200, 404]);
    }
    const j = await h.get(srv.url, '/feed.json');
    assert.equal(j.status, 200);
    for (const item of JSON.parse(j.body).items) {
      noLive(item.content_html || '', `JSON feed item ${item.id}`);
      assert.ok(!/[<>]/.test(item.title) || !A.liveMarkup(item.title).length, 'JSON feed title');
    }
  });

  test('search results and the search feed', { timeout: 120000 }, async () => {
    const r = await page(null, `/search?q=${MARK}`, 'search');
    assert.match(h.textOf(r.body), /\d+ results/, 'results found');
    await page(null, `/search?q=${MARK}&page=2`, 'search page 2', [200, 404]);
    await page(null, `/search/feed?q=${MARK}`, 'search feed');
    for (let i = 0; i < A.XSS.length; i += 7) await page(null, `/search?q=${enc(A.XSS[i])}`, `search for payload ${i}`, [200, 400]);
  });

  test('admin lists and settings word lists', { timeout: 120000 }, async () => {
    await page(admin, '/admin/stories', 'admin stories');
    await page(admin, '/admin/stories?page=2', 'admin stories 2', [200, 404]);
    await page(admin, '/admin/comments', 'admin comments');
    const words = A.XSS.slice(0, 60).join('\n');
    const s = await admin.post('/admin/settings', { close_days: '0', max_links: '2', hold_words: words, reject_words: words });
    assert.ok(s.status === 303 || s.status === 200 || s.status === 422, `settings: ${s.status}`);
    noLive(s.body, 'settings answer');
    const st = await page(admin, '/admin/settings', 'settings with payload word lists');
    assert.ok(h.htmlUnescape(st.body).includes(A.XSS[0]), 'the word lists are kept as text');
    await page(admin, '/admin/account', 'account');
  });
});
