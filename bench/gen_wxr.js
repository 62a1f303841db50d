#!/usr/bin/env node
'use strict';
// gen_wxr: writes a synthetic WordPress export (WXR 1.2) for the import benchmark and tests.
//   node bench/gen_wxr.js [POSTS] [COMMENTS_PER_POST] > big.xml     (default 10000 10)
// Posts mix the classic editor's form (bare paragraphs, a [caption]) and block-editor form,
// have 5 categories (one nested), 50 tags, 20 authors, and threaded comments (every third a
// reply). Deterministic: the same arguments give the same bytes.

const BASE = 'https://bench.example';
const WORDS = ('the of and to in is that for on with as was by at from this have are be an or not ' +
  'which but all were when we there can more if no out so said what up its about into than them ' +
  'only other new some could time these two may then first any like now my such make over our even ' +
  'most me state after also made many did must before back through years where much your way well ' +
  'down should because each just those people how too little good very world still own see men work ' +
  'long get here between both life being under never day same another know while last might us great ' +
  'old year off come since against go came right used take three').split(' ');

function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

function sentence(r, n) {
  const w = [];
  for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(r() * WORDS.length)]);
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return w.join(' ') + '.';
}

const cdata = (s) => `<![CDATA[${String(s).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const pad = (n) => String(n).padStart(2, '0');

function* chunks(posts = 10000, perPost = 10) {
  const r = rng(42);
  yield `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench Gazette</title><link>${BASE}</link><description>generated</description>
<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>${BASE}</wp:base_site_url><wp:base_blog_url>${BASE}</wp:base_blog_url>
`;
  let head = '';
  for (let a = 1; a <= 20; a++) {
    head += `<wp:author><wp:author_id>${a}</wp:author_id><wp:author_login>${cdata('writer' + a)}</wp:author_login>` +
      `<wp:author_email>${cdata(`writer${a}@bench.example`)}</wp:author_email>` +
      `<wp:author_display_name>${cdata('Writer ' + a)}</wp:author_display_name></wp:author>\n`;
  }
  const cats = ['world', 'business', 'sport', 'culture', 'science'];
  cats.forEach((c, i) => {
    head += `<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${cdata(c)}</wp:category_nicename>` +
      `<wp:category_parent>${cdata(i === 4 ? 'world' : '')}</wp:category_parent><wp:cat_name>${cdata(c[0].toUpperCase() + c.slice(1))}</wp:cat_name></wp:category>\n`;
  });
  for (let t = 1; t <= 50; t++) {
    head += `<wp:tag><wp:term_id>${100 + t}</wp:term_id><wp:tag_slug>${cdata('topic-' + t)}</wp:tag_slug><wp:tag_name>${cdata('Topic ' + t)}</wp:tag_name></wp:tag>\n`;
  }
  yield head;
  let cid = 1;
  for (let p = 1; p <= posts; p++) {
    const t = Date.UTC(2015, 0, 1) + p * 3600 * 1000 * 7;
    const d = new Date(t);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:00:00`;
    const title = sentence(r, 6).slice(0, -1);
    const slug = `post-${p}-` + title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-+$/, '');
    const paras = [];
    for (let k = 0; k < 5; k++) paras.push(sentence(r, 20 + Math.floor(r() * 30)));
    const content = p % 2
      ? paras.map((x) => `<!-- wp:paragraph -->\n<p>${x}</p>\n<!-- /wp:paragraph -->`).join('\n\n')
      : paras.join('\n\n') + `\n\n[caption align="alignnone" width="300"]<img src="${BASE}/wp-content/uploads/x${p}.jpg" alt="" /> Caption ${p}[/caption]`;
    const cat = cats[p % 5];
    let item = `<item><title>${cdata(title)}</title><link>${BASE}/${date.slice(0, 4)}/${date.slice(5, 7)}/${slug}/</link>` +
      `<dc:creator>${cdata('writer' + (1 + (p % 20)))}</dc:creator><guid isPermaLink="false">${BASE}/?p=${p}</guid>` +
      `<content:encoded>${cdata(content)}</content:encoded><excerpt:encoded>${cdata('')}</excerpt:encoded>` +
      `<wp:post_id>${p}</wp:post_id><wp:post_date>${cdata(date)}</wp:post_date><wp:post_date_gmt>${cdata(date)}</wp:post_date_gmt>` +
      `<wp:comment_status>open</wp:comment_status><wp:post_name>${cdata(slug)}</wp:post_name>` +
      `<wp:status>${cdata('publish')}</wp:status><wp:post_type>${cdata('post')}</wp:post_type><wp:is_sticky>0</wp:is_sticky>` +
      `<category domain="category" nicename="${cat}">${cdata(cat)}</category>`;
    for (let k = 0; k < 3; k++) {
      const tg = 1 + Math.floor(r() * 50);
      item += `<category domain="post_tag" nicename="topic-${tg}">${cdata('Topic ' + tg)}</category>`;
    }
    const first = cid;
    for (let c = 0; c < perPost; c++, cid++) {
      const parent = c % 3 === 2 ? cid - 1 : 0;
      const cd = new Date(t + (c + 1) * 60000);
      const cdate = `${cd.getUTCFullYear()}-${pad(cd.getUTCMonth() + 1)}-${pad(cd.getUTCDate())} ${pad(cd.getUTCHours())}:${pad(cd.getUTCMinutes())}:00`;
      item += `<wp:comment><wp:comment_id>${cid}</wp:comment_id><wp:comment_author>${cdata('Reader ' + (cid % 997))}</wp:comment_author>` +
        `<wp:comment_author_email>${cdata(`reader${cid % 997}@bench.example`)}</wp:comment_author_email>` +
        `<wp:comment_author_IP>${cdata('192.0.2.' + (cid % 250))}</wp:comment_author_IP>` +
        `<wp:comment_date>${cdata(cdate)}</wp:comment_date><wp:comment_date_gmt>${cdata(cdate)}</wp:comment_date_gmt>` +
        `<wp:comment_content>${cdata(sentence(r, 12 + Math.floor(r() * 20)))}</wp:comment_content>` +
        `<wp:comment_approved>${cdata(c % 10 === 9 ? '0' : '1')}</wp:comment_approved><wp:comment_type>${cdata('comment')}</wp:comment_type>` +
        `<wp:comment_parent>${parent >= first ? parent : 0}</wp:comment_parent></wp:comment>`;
    }
    yield item + '</item>\n';
  }
  yield '</channel>\n</rss>\n';
}

function generate(posts, perPost) {
  return Array.from(chunks(posts, perPost)).join('');
}

module.exports = { generate, chunks };

if (require.main === module) {
  const posts = Number(process.argv[2] || 10000);
  const per = Number(process.argv[3] || 10);
  const out = process.stdout;
  const it = chunks(posts, per);
  (function pump() {
    for (let c = it.next(); !c.done; c = it.next()) {
      if (!out.write(c.value)) { out.once('drain', pump); return; }
    }
  })();
}
