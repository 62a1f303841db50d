'use strict';
// Helpers for import.test.js: a small WXR reader for the fixture (to compute what the
// import must produce), WXR builders for hostile and real-world cases, and a canonical
// form of a JSON export for the round-trip comparison.

const { generate } = require('../../bench/gen_wxr.js');
const { htmlUnescape, normWs } = require('./helpers');

const field = (s, tag) => {
  const m = new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${tag}>`).exec(s);
  return m ? m[1] : '';
};

// Items of a WXR string: {id, type, status, slug, link, guid, date, content, comments[]}
function parseItems(xml) {
  return [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => {
    const s = m[1];
    return {
      id: field(s, 'wp:post_id'),
      type: field(s, 'wp:post_type'),
      status: field(s, 'wp:status'),
      slug: field(s, 'wp:post_name'),
      link: field(s, 'link'),
      guid: field(s, 'guid'),
      date: field(s, 'wp:post_date'),
      content: field(s, 'content:encoded'),
      comments: [...s.matchAll(/<wp:comment>([\s\S]*?)<\/wp:comment>/g)].map((c) => ({
        id: field(c[1], 'wp:comment_id'),
        parent: field(c[1], 'wp:comment_parent'),
        author: field(c[1], 'wp:comment_author'),
        content: field(c[1], 'wp:comment_content'),
      })),
    };
  });
}

const norm = (s) => normWs(htmlUnescape(String(s).replace(/<[^>]*>/g, ' ')));

// The text of each <p> of a post body.
function paragraphs(html) {
  return [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => norm(m[1])).filter(Boolean);
}

// A minimal WXR around some channel content.
function wrap(inner, { base = 'https://old.example' } = {}) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old site</title><link>${base}</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>${base}</wp:base_site_url><wp:base_blog_url>${base}</wp:base_blog_url>
${inner}
</channel></rss>
`;
}

const cd = (s) => `<![CDATA[${s}]]>`;

function post({ id, slug, title, status = 'publish', date, content, type = 'post', password = '', sticky = 0,
  terms = '', comments = '', extra = '' }) {
  return `<item><title>${title}</title><link>https://old.example/${date.slice(0, 4)}/${date.slice(5, 7)}/${slug}/</link>
<dc:creator>${cd('editor')}</dc:creator><guid isPermaLink="false">https://old.example/?p=${id}</guid>
<content:encoded>${cd(content)}</content:encoded><excerpt:encoded>${cd('')}</excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date>${cd(date)}</wp:post_date><wp:post_date_gmt>${cd(date)}</wp:post_date_gmt>
<wp:comment_status>${cd('open')}</wp:comment_status><wp:post_name>${cd(slug)}</wp:post_name>
<wp:status>${cd(status)}</wp:status><wp:post_type>${cd(type)}</wp:post_type>
<wp:post_password>${cd(password)}</wp:post_password><wp:is_sticky>${sticky}</wp:is_sticky>
${terms}${extra}${comments}</item>
`;
}

function comment(id, approved, content, { parent = 0, type = 'comment' } = {}) {
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>${cd('Reader ' + id)}</wp:comment_author>
<wp:comment_author_email>${cd(`r${id}@example.org`)}</wp:comment_author_email>
<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>
<wp:comment_date>${cd('2024-03-01 10:00:00')}</wp:comment_date><wp:comment_date_gmt>${cd('2024-03-01 10:00:00')}</wp:comment_date_gmt>
<wp:comment_content>${cd(content)}</wp:comment_content><wp:comment_approved>${cd(approved)}</wp:comment_approved>
<wp:comment_type>${cd(type)}</wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>
`;
}

// What real exports contain: hostile HTML, classic content with shortcodes, every status,
// nested categories, a custom taxonomy, attachments, pingbacks, a nav menu item.
function edgeCases() {
  const xss = '<script>alert(1)</script><img src=x onerror=alert(1)>';
  const channel = `<wp:author><wp:author_id>7</wp:author_id><wp:author_login>${cd('editor')}</wp:author_login>
<wp:author_email>${cd('editor@old.example')}</wp:author_email><wp:author_display_name>${cd('The Editor')}</wp:author_display_name></wp:author>
<wp:category><wp:term_id>10</wp:term_id><wp:category_nicename>${cd('news')}</wp:category_nicename><wp:category_parent>${cd('')}</wp:category_parent><wp:cat_name>${cd('News')}</wp:cat_name></wp:category>
<wp:category><wp:term_id>11</wp:term_id><wp:category_nicename>${cd('local')}</wp:category_nicename><wp:category_parent>${cd('news')}</wp:category_parent><wp:cat_name>${cd('Local')}</wp:cat_name></wp:category>
<wp:term><wp:term_id>30</wp:term_id><wp:term_taxonomy>${cd('genre')}</wp:term_taxonomy><wp:term_slug>${cd('thriller')}</wp:term_slug><wp:term_name>${cd('Thriller')}</wp:term_name></wp:term>
`;
  const news = `<category domain="category" nicename="news">${cd('News')}</category>`;
  const items = [
    post({ id: 20, slug: 'hostile-post', title: 'Hostile post', date: '2024-03-01 09:00:00', terms: news,
      content: `<p>Kept paragraph</p>${xss}<a href="javascript:alert(1)">click</a>` +
        '<iframe src="https://evil.example/x"></iframe><p style="color:red" onclick="alert(1)">styled</p>' +
        '<svg onload=alert(1)></svg><form action="https://evil.example"><input name=x></form>',
      comments: comment(1, '1', `A comment with a script ${xss}`) + comment(2, '0', 'Held for moderation') +
        comment(3, 'spam', 'Buy things') + comment(4, 'trash', 'Deleted', { parent: 1 }) +
        comment(5, '1', 'Linked to you', { type: 'pingback' }) + comment(6, '1', 'A reply', { parent: 1 }) }),
    post({ id: 21, slug: 'classic-post', title: 'Classic post', date: '2024-03-02 09:00:00', sticky: 1,
      terms: `<category domain="category" nicename="local">${cd('Local')}</category>` +
        `<category domain="genre" nicename="thriller">${cd('Thriller')}</category>`,
      content: 'First paragraph\nsame paragraph.\n\nSecond paragraph.\n\n' +
        '[caption id="attachment_100" align="aligncenter" width="300"]<img src="https://old.example/wp-content/uploads/2024/03/a.jpg" alt="A" width="300" /> A caption[/caption]\n\n' +
        '[gallery ids="100,101"]\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]\n\n' +
        '[audio src="https://old.example/a.mp3"]\n\n[unknown_code x=1]' }),
    post({ id: 22, slug: 'private-post', title: 'Private', status: 'private', date: '2024-03-03 09:00:00', content: 'p' }),
    post({ id: 23, slug: 'locked-post', title: 'Locked', password: 'secret', date: '2024-03-04 09:00:00', content: 'l' }),
    post({ id: 24, slug: 'future-post', title: 'Future', status: 'future', date: '2030-01-01 09:00:00', content: 'f' }),
    post({ id: 25, slug: 'pending-post', title: 'Pending', status: 'pending', date: '2024-03-05 09:00:00', content: 'q' }),
    post({ id: 26, slug: 'trashed-post', title: 'Trashed', status: 'trash', date: '2024-03-06 09:00:00', content: 't' }),
    post({ id: 27, slug: 'menu', title: 'Menu', type: 'nav_menu_item', date: '2024-03-06 09:00:00', content: '' }),
    post({ id: 100, slug: 'a', title: 'A', type: 'attachment', status: 'inherit', date: '2024-03-01 08:00:00', content: '',
      extra: '<wp:attachment_url>https://old.example/wp-content/uploads/2024/03/a.jpg</wp:attachment_url>' +
        `<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>${cd('Alt A')}</wp:meta_value></wp:postmeta>` })
      .replace(`<excerpt:encoded>${cd('')}`, `<excerpt:encoded>${cd('Caption A')}`),
    post({ id: 101, slug: 'b', title: 'B', type: 'attachment', status: 'inherit', date: '2024-03-01 08:00:00', content: '',
      extra: '<wp:attachment_url>https://old.example/wp-content/uploads/2024/03/b.jpg</wp:attachment_url>' }),
  ];
  return wrap(channel + items.join(''));
}

// A JSON export reduced to what must survive a round trip, keyed by slug, ids replaced
// by slugs and comment parents by positions.
function canonical(j) {
  const secs = Object.fromEntries(j.sections.map((s) => [s.id, s.slug]));
  const tags = Object.fromEntries(j.tags.map((t) => [t.id, t.slug]));
  const users = Object.fromEntries(j.users.map((u) => [u.id, `${u.slug}|${u.name}|${u.email}`]));
  const out = {};
  for (const s of j.stories) {
    const pos = Object.fromEntries(s.comments.map((c, i) => [c.id, i]));
    out[s.slug] = {
      title: s.title, status: s.status, published_at: s.published_at, excerpt: s.excerpt,
      body_html: s.body_html, section: secs[s.section_id] || null, author: users[s.author_id],
      tags: s.tags.map((t) => tags[t]).sort(), comments_open: s.comments_open,
      comments: s.comments.map((c) => [c.author, c.email, c.url, c.body, c.status, c.created_at,
        c.parent_id ? pos[c.parent_id] : null]),
    };
  }
  return out;
}

module.exports = { parseItems, paragraphs, norm, wrap, post, edgeCases, canonical, generate };
