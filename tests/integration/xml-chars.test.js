'use strict';
// Characters XML has no place for (issue 12, point 4): a reader may type
// U+FFFE, U+FFFF, other non-characters and control characters into a
// comment; the feeds and the WordPress export that carry it stay
// well-formed XML (xmllint), and the characters around them survive.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

const UNFIT = '\uFFFE\uFFFF\u0085\u007f\uFDD0\u{1FFFE}\u0001\u000b';

function wellFormed(xml) {
  const r = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  return r.status === 0 ? '' : (r.stderr || `xmllint exited ${r.status}`);
}

describe('XML output whatever a reader typed', () => {
  let dir, srv, text;
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 1000 } });
    srv = await h.startServer(dir);
    const page = await h.get(srv.url, h.SEED_PATH);
    text = `Before${UNFIT}after ${Date.now()} ارد`;
    const r = await h.postForm(srv.url, '/comments', {
      ...h.hiddenFields(page.body), gz_website: '', comment: text,
      author: `Name${UNFIT}Here`, email: 'xml@example.com', url: '',
    });
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 200));
    const id = Number(/comment-(\d+)/.exec(r.headers.location)[1]);
    h.approve(dir, id);
  });
  after(async () => { if (srv) await srv.stop(); });

  for (const p of ['/comments/feed', '/comments/feed.atom', `${h.SEED_PATH}/comments/feed`, `${h.SEED_PATH}/comments/feed.atom`]) {
    test(`${p} is well-formed and keeps the text around the characters`, async () => {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 200);
      assert.ok(r.body.includes('NameHere'), 'the author, without the characters');
      assert.match(r.body, /Beforeafter \d+ ارد/);
      assert.equal(wellFormed(r.body), '');
    });
  }

  test('the WordPress export is well-formed', () => {
    const out = spawnSync(h.GAZETTE || require('node:path').join(h.ROOT, 'gazette'),
      ['export', 'wordpress', '--site', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /Beforeafter \d+ ارد/);
    assert.equal(wellFormed(out.stdout), '');
  });
});
