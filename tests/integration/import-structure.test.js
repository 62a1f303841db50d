'use strict';
// A WordPress site's structure on import (issue 15): pages become static pages with their
// hierarchy and old addresses; a post in several categories is listed in each section;
// child categories become child sections; tags differing in case become one; a <guid>
// never takes another post's /?p= address; the summary counts the redirects written.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./helpers');
const w = require('./import-helpers');

after(() => h.cleanupSites());

const cd = (s) => `<![CDATA[${s}]]>`;
const BASE = 'https://old.example';

// A page item: its link is its WordPress path under the old site.
function page({ id, slug, title, parent = 0, wpPath, status = 'publish', content = 'Page text.' }) {
  return w.post({ id, slug, title, status, date: '2023-01-01 10:00:00', content, type: 'page' })
    .replace(/<link>[^<]*<\/link>/, `<link>${BASE}/${wpPath || slug}/</link>`)
    .replace(/<guid[^>]*>[^<]*<\/guid>/, `<guid isPermaLink="false">${BASE}/?page_id=${id}</guid>`)
    .replace('</item>', `<wp:post_parent>${parent}</wp:post_parent></item>`);
}

const cat = (id, slug, name, parent = '') =>
  `<wp:category><wp:term_id>${id}</wp:term_id><wp:category_nicename>${cd(slug)}</wp:category_nicename>` +
  `<wp:category_parent>${cd(parent)}</wp:category_parent><wp:cat_name>${cd(name)}</wp:cat_name></wp:category>\n`;
const inCat = (slug, name) => `<category domain="category" nicename="${slug}">${cd(name)}</category>`;
const inTag = (slug, name) => `<category domain="post_tag" nicename="${slug}">${cd(name)}</category>`;

function structureSite() {
  const channel = cat(2, 'news', 'News') + cat(3, 'local', 'Local', 'news') + cat(4, 'sport', 'Sport') +
    cat(5, 'culture', 'Culture');
  const items = [
    // a grandchild before its ancestors: placed once they are known
    page({ id: 12, slug: 'history', title: 'History', parent: 11, wpPath: 'about/team/history' }),
    page({ id: 10, slug: 'about', title: 'About us' }),
    page({ id: 11, slug: 'team', title: 'The <em>team</em>', parent: 10, wpPath: 'about/team' }),
    page({ id: 13, slug: 'search', title: 'Search tips' }),
    page({ id: 14, slug: 'draft-page', title: 'Draft page', status: 'draft' }),
    w.post({ id: 20, slug: 'multi', title: 'Filed twice', date: '2024-05-01 09:00:00', content: 'Multi body.',
      terms: inCat('local', 'Local') + inCat('sport', 'Sport') + inTag('election', 'Election') }),
    w.post({ id: 21, slug: 'single', title: 'Filed once', date: '2024-05-02 09:00:00', content: 'Single body.',
      terms: inCat('culture', 'Culture') + inTag('election-2', 'election') + inTag('election-3', 'ELECTION') }),
    // a later post whose guid names post 20's old id: it must not take /?p=20
    w.post({ id: 22, slug: 'copied', title: 'Copied', date: '2024-05-03 09:00:00', content: 'Copied body.' })
      .replace(/<guid[^>]*>[^<]*<\/guid>/, `<guid isPermaLink="false">${BASE}/?p=20</guid>`),
    w.post({ id: 23, slug: 'no-excerpt', title: 'No excerpt', date: '2024-05-04 09:00:00',
      content: 'Opening paragraph of the post.\n\nSecond paragraph.' }),
    w.post({ id: 24, slug: 'teaser', title: 'Teaser', date: '2024-05-05 09:00:00',
      content: 'The teaser line.<!--more-->\n\nRest of the story.<!--nextpage-->Page two begins.' }),
    w.post({ id: 25, slug: 'styled', title: 'The <em>big</em> &amp; <strong>bold</strong> day',
      date: '2024-05-06 09:00:00', content: 'Styled body.' }),
    w.post({ id: 26, slug: 'caf%c3%a9-news', title: 'Café news', date: '2024-05-07 09:00:00', content: 'Coffee.' }),
    w.post({ id: 27, slug: '%d8%a7%d8%b1%d8%af%d9%88', title: 'اردو', date: '2024-05-08 09:00:00', content: 'Urdu.' }),
    w.post({ id: 28, slug: 'two-bylines', title: 'Two bylines', date: '2024-05-09 09:00:00', content: 'Shared.',
      terms: `<category domain="author" nicename="cap-zed">${cd('zed')}</category>` +
        `<category domain="author" nicename="cap-amy">${cd('amy')}</category>` }),
  ];
  return w.wrap(channel + items.join(''));
}

describe('import: a WordPress site\'s structure', () => {
  let dir, srv, report, q, redirectRows;
  before(async () => {
    dir = h.makeSite({ demo: false });
    const file = path.join(h.tmpDir(), 'structure.xml');
    fs.writeFileSync(file, structureSite());
    const r = h.gzRun(['import', 'wordpress', file, '--site', dir], { timeout: 60000 });
    assert.equal(r.status, 0, `import failed: ${r.stderr}`);
    report = r.stdout;
    q = (sql) => h.sql(dir, sql);
    redirectRows = q('SELECT count(*) FROM redirects');
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  const moved = async (from, to) => {
    const r = await h.get(srv.url, from);
    assert.equal(r.status, 301, `${from} answers 301 (got ${r.status})`);
    assert.equal(r.headers.location, to, `${from} -> ${to}`);
    const r2 = await h.get(srv.url, to);
    assert.equal(r2.status, 200, `${to} answers 200`);
    return r2;
  };

  test('pages become static pages, one level deep, never stories', async () => {
    assert.equal(q("SELECT count(*) FROM stories WHERE slug IN ('about', 'team', 'history', 'search', 'draft-page')"), '0');
    assert.equal(q('SELECT path FROM pages ORDER BY path'),
      ['about', 'about/history', 'about/team', 'draft-page', 'search-page'].join('\n'));
    assert.equal(q("SELECT status FROM pages WHERE path = 'draft-page'"), '0');
    assert.match(report, /pages: 5 \(published: 4, draft: 1\)/);
    const about = await h.get(srv.url, '/about');
    assert.equal(about.status, 200);
    assert.ok(h.textOf(about.body).includes('Page text.'));
    const team = await h.get(srv.url, '/about/team');
    assert.equal(team.status, 200);
    assert.ok(!team.body.includes('&lt;em&gt;'), 'no literal tag in the title');
    assert.match(team.body, /<title>The team\b/);
    const home = await h.get(srv.url, '/');
    for (const t of ['About us', 'Search tips', 'History']) assert.ok(!h.textOf(home.body).includes(t), `${t} not on the home page`);
    const feed = await h.get(srv.url, '/feed');
    assert.ok(!feed.body.includes('About us'), 'no page in the feed');
  });

  test('a page\'s old addresses answer 301: /slug/, /parent/child/, ?page_id=N', async () => {
    assert.equal((await h.get(srv.url, '/about/')).status, 200, 'the same address, with its slash');
    await moved('/?page_id=10', '/about');
    await moved('/?page_id=11', '/about/team');
    await moved('/team/', '/about/team');
    await moved('/about/team/history/', '/about/history');
    await moved('/history/', '/about/history');
    await moved('/?page_id=12', '/about/history');
    await moved('/?page_id=13', '/search-page');
    const draft = await h.get(srv.url, '/?page_id=14');
    assert.equal(draft.status, 404, 'a draft page has no public address');
  });

  test('--update of a renamed page: its old address and its children\'s answer 301', async () => {
    const file = path.join(h.tmpDir(), 'renamed.xml');
    fs.writeFileSync(file, structureSite().replace(`<wp:post_name>${cd('about')}</wp:post_name>`,
      `<wp:post_name>${cd('about-us')}</wp:post_name>`));
    const r = h.gzRun(['import', 'wordpress', file, '--site', dir, '--update'], { timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    await moved('/about', '/about-us');
    await moved('/about/team', '/about-us/team');
    await moved('/?page_id=11', '/about-us/team');
  });

  test('a post in several categories is listed in each section, its address its first one\'s', async () => {
    const story = await h.get(srv.url, '/2024/05/01/multi');
    assert.equal(story.status, 200);
    assert.ok(story.body.includes('href="/section/news/local"'), 'breadcrumb: its first category');
    for (const sec of ['/section/news/local', '/section/news', '/section/sport']) {
      const r = await h.get(srv.url, sec);
      assert.equal(r.status, 200, sec);
      assert.ok(r.body.includes('href="/2024/05/01/multi"'), `listed in ${sec}`);
      const feed = await h.get(srv.url, `${sec}/feed`);
      assert.ok(feed.body.includes('/2024/05/01/multi'), `in the feed of ${sec}`);
    }
    const culture = await h.get(srv.url, '/section/culture');
    assert.ok(!culture.body.includes('/2024/05/01/multi'), 'not in a section it was not filed in');
    assert.equal(q("SELECT count(*) FROM tags WHERE slug = 'sport'"), '0', 'a second category is no tag');
    assert.match(report, /posts listed in more than one section: 1/);
    const sitemap = await h.get(srv.url, '/sitemaps/sections-1.xml');
    assert.ok(sitemap.body.includes('/section/sport</loc>'), 'a section holding only a second filing is in the sitemap');
  });

  test('a second section is kept when the story moves, and follows its section\'s moves', () => {
    const id = q("SELECT id FROM stories WHERE slug = 'multi'");
    const sport = q("SELECT id FROM sections WHERE slug = 'sport'");
    const culture = q("SELECT id FROM sections WHERE slug = 'culture'");
    q(`UPDATE stories SET section_id = ${culture} WHERE id = ${id}`);
    assert.equal(q(`SELECT count(*) FROM section_stories WHERE story_id = ${id} AND section_id = ${sport}`), '1');
    q(`UPDATE sections SET parent_id = ${culture}, path = 'culture/sport' WHERE id = ${sport}`);
    assert.equal(h.sqlRows(dir, `SELECT section_id FROM section_stories WHERE story_id = ${id} ORDER BY section_id`).map((r) => r.section_id).join(','),
      [culture, sport].map(Number).sort((a, b) => a - b).join(','), 'culture (its own and sport\'s parent), sport');
  });

  test('tags that differ only in case are one tag, the first spelling; the others\' addresses 301', async () => {
    assert.equal(q("SELECT name || '|' || slug FROM tags WHERE lower(name) = 'election'"), 'Election|election');
    const r = await h.get(srv.url, '/tag/election');
    assert.ok(r.body.includes('href="/2024/05/01/multi"') && r.body.includes('href="/2024/05/02/single"'), 'both stories');
    await moved('/tag/election-2/', '/tag/election');
    await moved('/tag/election-3/', '/tag/election');
    await moved('/?tag=election-3', '/tag/election');
  });

  test('a later item\'s <guid> never takes another post\'s /?p=N; the summary counts the rows written', async () => {
    await moved('/?p=20', '/2024/05/01/multi');
    await moved('/?p=22', '/2024/05/03/copied');
    const m = /redirects: (\d+)/.exec(report);
    assert.ok(m, report);
    assert.equal(m[1], redirectRows, 'the rows the import wrote');
  });

  test('WordPress list addresses: /?s=, /page/N/, /?paged=N; an unknown /?p=N is 404', async () => {
    let r = await h.get(srv.url, '/?s=caf%C3%A9+bar');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/search?q=caf%C3%A9+bar');
    r = await h.get(srv.url, '/page/2/');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/?page=2');
    r = await h.get(srv.url, '/?paged=3');
    assert.equal(r.headers.location, '/?page=3');
    r = await h.get(srv.url, '/?feed=rss2');
    assert.equal(r.headers.location, '/feed');
    r = await h.get(srv.url, '/?feed=atom');
    assert.equal(r.headers.location, '/feed.atom');
    for (const u of ['/?p=999', '/?page_id=999', '/?cat=999']) {
      r = await h.get(srv.url, u);
      assert.equal(r.status, 404, `${u} answers 404`);
    }
  });

  test('no WordPress excerpt: the opening paragraph is not repeated above the body; <!--more--> marks the summary', async () => {
    let r = await h.get(srv.url, '/2024/05/04/no-excerpt');
    assert.equal(r.status, 200);
    assert.ok(!r.body.includes('class="standfirst"'), 'no standfirst');
    assert.equal(h.textOf(r.body).split('Opening paragraph of the post.').length - 1, 1, 'the opening shown once');
    assert.equal(q("SELECT excerpt FROM stories WHERE slug = 'teaser'"), 'The teaser line.');
    r = await h.get(srv.url, '/2024/05/05/teaser');
    assert.ok(!r.body.includes('class="standfirst"'), 'no standfirst');
    const home = await h.get(srv.url, '/');
    assert.ok(home.body.includes('The teaser line.'), 'the summary on the home page');
    assert.ok(!home.body.includes('Rest of the story.'), 'and not what follows <!--more-->');
  });

  test('<!--nextpage--> becomes a visible page break', async () => {
    const r = await h.get(srv.url, '/2024/05/05/teaser');
    assert.match(r.body, /Rest of the story\.<\/p>\s*<hr>\s*<p>Page two begins\./);
    assert.ok(!r.body.includes('nextpage'));
  });

  test('HTML in a title shows as text, never as literal tags: page, <title>, lists, feeds', async () => {
    assert.equal(q("SELECT title FROM stories WHERE slug = 'styled'"), 'The big & bold day');
    for (const u of ['/2024/05/06/styled', '/', '/feed', '/feed.atom', '/feed.json']) {
      const r = await h.get(srv.url, u);
      assert.ok(!/&lt;(em|strong)|<(em|strong)>big|\\u003cem/.test(r.body), `${u}: no literal tags`);
      assert.ok(/The big &(amp;)? bold day|The big \\u0026 bold day/.test(r.body), `${u}: the title as text`);
    }
    const page = await h.get(srv.url, '/2024/05/06/styled');
    assert.match(page.body, /<title>The big &amp; bold day/);
  });

  test('percent-encoded old addresses match in either case; Location carries percent-encoded UTF-8', async () => {
    await moved('/2024/05/caf%c3%a9-news/', '/2024/05/07/cafe-news');
    await moved('/2024/05/caf%C3%A9-news/', '/2024/05/07/cafe-news');
    await moved('/caf%C3%A9-news/', '/2024/05/07/cafe-news');
    const urdu = '/2024/05/08/%D8%A7%D8%B1%D8%AF%D9%88';
    await moved('/?p=27', urdu);
    await moved('/2024/05/%D8%A7%D8%B1%D8%AF%D9%88/', urdu);
  });

  test('co-author plugin terms become the story\'s authors, in order', async () => {
    const r = await h.get(srv.url, '/2024/05/09/two-bylines');
    assert.equal(r.status, 200);
    const zed = r.body.indexOf('href="/author/zed"'), amy = r.body.indexOf('href="/author/amy"');
    assert.ok(zed > 0 && amy > zed, 'By zed and amy, in the plugin\'s order');
    assert.equal(q("SELECT count(*) FROM tags WHERE slug IN ('zed', 'amy', 'cap-zed', 'cap-amy')"), '0', 'no tags');
    const amyPage = await h.get(srv.url, '/author/amy');
    assert.ok(amyPage.body.includes('href="/2024/05/09/two-bylines"'), 'listed on the co-author\'s page');
  });

  test('child categories become child sections; /category/a/b/ goes to the child', async () => {
    assert.equal(q("SELECT path FROM sections WHERE slug = 'local'"), 'news/local');
    await moved('/category/news/local/', '/section/news/local');
    await moved('/category/news/local/feed/', '/section/news/local/feed');
    await moved('/?cat=3', '/section/news/local');
  });
});

describe('date archives (/YYYY/, /YYYY/MM/, /YYYY/MM/DD/), dated as story addresses are', () => {
  let srv;
  before(async () => {
    const dir = h.makeSite({ demo: false, conf: { per_page: 2, timezone: 'Asia/Karachi' } });
    const items = [
      ['a', '2024-05-02 09:00:00'], ['b', '2024-05-10 09:00:00'], ['c', '2024-05-20 09:00:00'],
      // 21:00 UTC on 31 May is 1 June in Karachi (UTC+5); its address says 31 May
      ['late', '2024-05-31 21:00:00'], ['old', '2023-02-01 09:00:00'],
    ].map(([slug, date], i) => w.post({ id: 40 + i, slug, title: `Story ${slug}`, date, content: `Body ${slug}.` }));
    const file = path.join(h.tmpDir(), 'dates.xml');
    fs.writeFileSync(file, w.wrap(items.join('')));
    const r = h.gzRun(['import', 'wordpress', file, '--site', dir], { timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  const links = (body) => [...body.matchAll(/href="(\/20\d\d\/\d\d\/\d\d\/[a-z]+)"/g)].map((m) => m[1])
    .filter((v, i, a) => a.indexOf(v) === i);

  test('a month: its stories newest first, paginated, with a heading', async () => {
    const r = await h.get(srv.url, '/2024/05/');
    assert.equal(r.status, 200);
    assert.match(r.body, /<h1[^>]*>[^<]*May 2024/);
    assert.deepEqual(links(r.body), ['/2024/05/31/late', '/2024/05/20/c']);
    const next = /href="([^"]*page=2[^"]*)"/.exec(r.body);
    assert.ok(next, 'a link to the next page');
    const r2 = await h.get(srv.url, next[1].replace(/&amp;/g, '&'));
    assert.deepEqual(links(r2.body), ['/2024/05/10/b', '/2024/05/02/a']);
  });

  test('a year and a day, as the stories\' addresses date them (UTC), whatever the site\'s zone', async () => {
    let r = await h.get(srv.url, '/2024');
    assert.equal(r.status, 200);
    assert.deepEqual(links(r.body), ['/2024/05/31/late', '/2024/05/20/c']);
    r = await h.get(srv.url, '/2024/05/31');
    assert.match(r.body, /<h1[^>]*>[^<]*31 May 2024/);
    assert.deepEqual(links(r.body), ['/2024/05/31/late']);
    r = await h.get(srv.url, '/2024/06/01/');
    assert.equal(r.status, 404, 'nothing whose address is that day');
    r = await h.get(srv.url, '/2023/02');
    assert.deepEqual(links(r.body), ['/2023/02/01/old']);
  });

  test('no such date, or no story then: 404; /?m= goes to the archive', async () => {
    for (const u of ['/2024/13', '/2024/02/30', '/1969', '/2022']) {
      assert.equal((await h.get(srv.url, u)).status, 404, u);
    }
    const r = await h.get(srv.url, '/?m=202405');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/2024/05');
  });
});
