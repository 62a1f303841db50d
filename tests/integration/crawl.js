'use strict';
// Two servers of the same data compared page by page (backup.test.js: a
// restored site; pg-copy.test.js: a site copied into PostgreSQL): crawl(a,
// b, limit) follows the public links from the front page, the feeds and the
// sitemap, fetching each path from both, and returns what it fetched, the
// kinds of page and the paths whose bytes differ (time-dependent parts
// aside: stripTimeDependent).
const assert = require('node:assert/strict');
const h = require('./helpers');

// Same-site paths a page or feed names: href, src, srcset, <loc>, <link>.
function pathsIn(body) {
  const out = new Set();
  const add = (u) => {
    let p = h.htmlUnescape(u.trim());
    const abs = /^https?:\/\/[^/]+(\/.*)$/.exec(p);
    if (abs) p = abs[1];
    if (!p.startsWith('/') || p.startsWith('//')) return;
    p = p.replace(/#.*$/, '');
    if (/^\/(admin|search|comment)/.test(p)) return; // not the public reading pages
    out.add(p);
  };
  for (const m of body.matchAll(/\b(?:href|src)="([^"]*)"/g)) add(m[1]);
  for (const m of body.matchAll(/\bsrcset="([^"]*)"/g)) m[1].split(',').forEach((s) => add(s.trim().split(/\s+/)[0]));
  for (const m of body.matchAll(/<(?:loc|link|id|url)>([^<]*)<\/(?:loc|link|id|url)>/g)) add(m[1]);
  for (const m of body.matchAll(/"(?:url|home_page_url|feed_url|image)":\s*"([^"]*)"/g)) add(m[1].replace(/\\\//g, '/'));
  return out;
}

// What differs between two sites serving the same data by design, taken
// out before the bytes are compared:
//  - the comment form's stamp gz_ts (the time in milliseconds, signed):
//    made when the page is;
//  - the "Most read" list, whose ranks come from reads each server counts
//    itself (the crawl reads the original while the backup is made).
// Nothing else may differ: every other byte of every page, feed and file
// must be the same.
function stripTimeDependent(body) {
  return body
    .replace(/(<input type="hidden" name="gz_ts" value=")[^"]*"/g, '$1"')
    .replace(/<(section|aside|div)[^>]*class="[^"]*most-read[^"]*"[\s\S]*?<\/\1>/g, '<$1 most-read/>');
}

async function crawl(a, b, limit) {
  const seen = new Set(['/', '/sitemap.xml', '/feed', '/feed.json', '/atom.xml', '/robots.txt']);
  const queue = [...seen];
  const kinds = new Set();
  const diffs = [];
  let fetched = 0;
  while (queue.length && fetched < limit) {
    const p = queue.shift();
    const [ra, rb] = await Promise.all([h.get(a, p), h.get(b, p)]);
    fetched++;
    kinds.add(p.split('/')[1].replace(/\?.*$/, '') || 'front');
    assert.equal(rb.status, ra.status, `${p}: status ${ra.status} on the original, ${rb.status} on the other`);
    const type = String(ra.headers['content-type'] || '');
    const text = /text|xml|json|javascript/.test(type);
    const same = text ? stripTimeDependent(ra.body) === stripTimeDependent(rb.body) : ra.raw.equals(rb.raw);
    if (!same) diffs.push(p);

    if (ra.status === 200 && text) {
      for (const q of pathsIn(ra.body)) {
        if (!seen.has(q)) { seen.add(q); queue.push(q); }
      }
    }
  }
  return { fetched, kinds, diffs };
}

module.exports = { crawl, pathsIn, stripTimeDependent };
