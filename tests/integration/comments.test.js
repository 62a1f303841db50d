'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const AWAITING = 'Your comment is awaiting moderation.';
const DUPLICATE = 'Duplicate comment detected; it looks as though you\u2019ve already said that!';

let counter = 0;
function uniq(prefix = 'Test comment') {
  counter++;
  return `${prefix} ${counter} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

// A running site plus helpers bound to it.
async function openSite(conf) {
  const dir = h.makeSite({ demo: true, conf });
  const srv = await h.startServer(dir);
  const site = {
    dir,
    srv,
    async page(p = h.SEED_PATH) {
      const r = await h.get(srv.url, p);
      assert.equal(r.status, 200, `GET ${p}`);
      return r;
    },
    // A fresh form: a stamp is good for one comment per client.
    async hidden(p = h.SEED_PATH) {
      return h.freshHidden(srv.url, p);
    },
    // Posts a comment with the hidden values copied from the story page.
    async post(fields, { storyPath = h.SEED_PATH, hidden = null, headers = {} } = {}) {
      const hid = hidden || await site.hidden(storyPath);
      return h.postForm(srv.url, '/comments', { ...hid, gz_website: '', ...fields }, { headers });
    },
    count() { return h.listComments(dir).length; },
    ids() { return h.listComments(dir).map((c) => c.id).sort((a, b) => a - b).join(','); },
  };
  return site;
}

const LOC_HELD = new RegExp(`^(?:http://127\\.0\\.0\\.1:\\d+)?${h.SEED_PATH}\\?unapproved=(\\d+)&moderation-hash=([A-Za-z0-9_-]+)#comment-(\\d+)$`);
const LOC_OK = new RegExp(`^(?:http://127\\.0\\.0\\.1:\\d+)?${h.SEED_PATH}#comment-(\\d+)$`);

function heldId(r) {
  assert.equal(r.status, 303, `expected 303, got ${r.status}: ${h.textOf(r.body).slice(0, 300)}`);
  const m = LOC_HELD.exec(r.headers.location || '');
  assert.ok(m, `Location of a held comment: ${r.headers.location}`);
  assert.equal(m[1], m[3], 'unapproved id and #comment-id agree');
  return { id: Number(m[1]), hash: m[2], location: r.headers.location };
}

function ownLi(html, id) {
  const li = h.findElement(html, 'li', (a) => a.id === `comment-${id}`);
  return li && li.split(/<ol[^>]*class="children"/)[0];
}

function formErrors(html) {
  const div = h.findElement(html, 'div', (a) => h.hasClass(a, 'form-errors'));
  return div ? h.textOf(div) : '';
}

function fieldError(html, field) {
  const p = h.findElement(html, 'p', (a) => a.id === `${field}-error`);
  return p ? h.textOf(p) : null;
}

function normNl(s) { return String(s).replace(/\r\n/g, '\n'); }

function assertKept(html, typed) {
  const f = h.formValues(html).values;
  for (const [k, v] of Object.entries(typed)) {
    assert.equal(normNl(f[k]), normNl(v), `field ${k} keeps the typed value`);
  }
}

// Typed values with characters that must be escaped when re-rendered.
const TRICKY = {
  comment: 'It\'s <b>bold</b> & "quoted"\nsecond line',
  author: 'O\'Brien & "Sons" <Ltd>',
  email: 'obrien@example.com',
  url: 'https://example.com/?a=1&b="2"',
};

describe('comments (comment_min_seconds = 0, comment_auto_approve_known = 0)', () => {
  let site;
  before(async () => {
    site = await openSite({ comment_min_seconds: 0, comment_rate_per_minute: 1000, comment_auto_approve_known: 0 });
  });
  after(async () => { if (site) await site.srv.stop(); });

  test('valid comment is held: 303 to ?unapproved=ID&moderation-hash=HASH#comment-ID', async () => {
    const text = uniq('A perfectly ordinary comment');
    const before = (await site.page()).body;
    const beforeCount = Object.keys(h.commentTree(before).byId).length;
    const r = await site.post({ comment: text, author: 'Test Reader', email: 'reader@example.com', url: '' });
    const { id, hash } = heldId(r);

    // The commenter sees the held comment on the page they land on.
    const landed = await h.get(site.srv.url, h.splitLocation(r.headers.location).path);
    assert.equal(landed.status, 200);
    const li = ownLi(landed.body, id);
    assert.ok(li, `li#comment-${id} shown to the commenter`);
    assert.ok(h.textOf(li).includes(text), 'comment text shown');
    assert.ok(h.textOf(li).includes('Test Reader'), 'author shown');
    assert.match(li, /<p[^>]*class="comment-awaiting-moderation"[^>]*>\s*Your comment is awaiting moderation\.\s*<\/p>/);

    // Nobody else sees it.
    const plain = await h.get(site.srv.url, h.SEED_PATH);
    assert.ok(!plain.body.includes(`id="comment-${id}"`), 'plain GET does not show the held comment');
    assert.ok(!h.textOf(plain.body).includes(text), 'plain GET does not show the held text');
    const forged = await h.get(site.srv.url, `${h.SEED_PATH}?unapproved=${id}&moderation-hash=${'0'.repeat(hash.length)}`);
    assert.ok(!h.textOf(forged.body).includes(text), 'a wrong moderation-hash does not show it');
    const other = await h.get(site.srv.url, `${h.SEED_PATH}?unapproved=${id}`);
    assert.ok(!h.textOf(other.body).includes(text), 'no moderation-hash does not show it');

    const pending = h.listComments(site.dir, 'pending').find((c) => c.id === id);
    assert.ok(pending, 'listed as pending');
    assert.equal(pending.slug, h.SEED_SLUG);
    assert.equal(pending.author, 'Test Reader');
    assert.ok(text.startsWith(pending.text.replace(/…$/, '').trimEnd()), `listed text: ${pending.text}`);

    // Approval publishes it.
    assert.equal(h.approve(site.dir, id).trim(), `comment ${id} approved`);
    const after = await h.get(site.srv.url, h.SEED_PATH);
    const li2 = ownLi(after.body, id);
    assert.ok(li2, 'approved comment on the plain story page');
    assert.ok(h.textOf(li2).includes(text));
    assert.ok(!li2.includes('comment-awaiting-moderation'), 'no longer marked as awaiting moderation');
    assert.equal(Object.keys(h.commentTree(after.body).byId).length, beforeCount + 1);
    assert.ok(h.listComments(site.dir, 'approved').some((c) => c.id === id), 'listed as approved');
  });

  test('comment text keeps paragraphs and links are nofollow ugc', async () => {
    const text = uniq('First paragraph') + '\n\nSecond paragraph with https://example.org/page link.';
    const { id } = heldId(await site.post({ comment: text, author: 'Para Writer', email: 'para@example.com' }));
    h.approve(site.dir, id);
    const li = ownLi((await site.page()).body, id);
    const body = h.findElement(li, 'div', (a) => h.hasClass(a, 'comment-body'));
    assert.ok(h.findTags(body, 'p').length >= 2, 'two paragraphs');
    const links = h.findLinks(body).filter((a) => a.href === 'https://example.org/page');
    if (links.length) {
      for (const a of links) assert.match(a.attrs.rel || '', /nofollow/, 'links in comments are nofollow');
    }
  });

  test('missing comment: 422 "Please enter your comment!", values kept, nothing stored', async () => {
    const before = site.ids();
    const typed = { comment: '', author: TRICKY.author, email: TRICKY.email, url: TRICKY.url };
    const r = await site.post(typed);
    assert.equal(r.status, 422);
    assert.ok(r.body.includes('Please enter your comment!'), 'message shown');
    assert.ok(formErrors(r.body).includes('Please enter your comment!'), 'message in div.form-errors');
    assert.equal(fieldError(r.body, 'comment'), 'Please enter your comment!', 'p#comment-error');
    assertKept(r.body, typed);
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('whitespace-only comment counts as missing', async () => {
    const before = site.ids();
    const r = await site.post({ comment: '   \n\t ', author: 'Blank Space', email: 'blank@example.com' });
    assert.equal(r.status, 422);
    assert.ok(r.body.includes('Please enter your comment!'));
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('missing name: 422 "Please enter your name here", values kept, nothing stored', async () => {
    const before = site.ids();
    const typed = { comment: TRICKY.comment, author: '', email: TRICKY.email, url: TRICKY.url };
    const r = await site.post(typed);
    assert.equal(r.status, 422);
    assert.ok(r.body.includes('Please enter your name here'), 'message shown');
    assert.ok(formErrors(r.body).includes('Please enter your name here'), 'message in div.form-errors');
    assert.equal(fieldError(r.body, 'author'), 'Please enter your name here', 'p#author-error');
    assertKept(r.body, typed);
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('invalid email: 422 naming email, values kept, nothing stored', async () => {
    const before = site.ids();
    const typed = { comment: TRICKY.comment, author: TRICKY.author, email: 'not-an-email', url: '' };
    const r = await site.post(typed);
    assert.equal(r.status, 422);
    assert.match(formErrors(r.body), /e-?mail/i, 'form-errors mention email');
    assert.match(fieldError(r.body, 'email') || '', /e-?mail/i, 'p#email-error');
    assertKept(r.body, typed);
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('missing comment and name together: both messages', async () => {
    const before = site.ids();
    const r = await site.post({ comment: '', author: '', email: 'x@example.com' });
    assert.equal(r.status, 422);
    assert.ok(r.body.includes('Please enter your comment!'));
    assert.ok(r.body.includes('Please enter your name here'));
    assert.equal(site.ids(), before);
  });

  const TOO_LONG = [
    ['author', 'a'.repeat(246), /name|author/i],
    ['author', '\u00e9'.repeat(123), /name|author/i], // 123 characters, 246 bytes
    ['email', 'a'.repeat(60) + '@' + 'b'.repeat(28) + '.example.com', /e-?mail/i], // 101 bytes
    ['url', 'https://example.com/' + 'a'.repeat(181), /url|website/i], // 201 bytes
    ['comment', 'x'.repeat(65526), /comment/i],
  ];
  for (const [field, value, re] of TOO_LONG) {
    test(`too long ${field} (${Buffer.byteLength(value)} bytes): 422 naming the field, nothing stored`, async () => {
      const before = site.ids();
      const fields = { comment: uniq('Length check'), author: 'Length Tester', email: 'len@example.com', url: '' };
      fields[field] = value;
      const r = await site.post(fields);
      assert.equal(r.status, 422);
      assert.match(formErrors(r.body), re, `error message names ${field}: "${formErrors(r.body)}"`);
      assert.match(formErrors(r.body), /long/i, 'says it is too long');
      assert.equal(site.ids(), before, 'nothing stored');
    });
  }

  test('values at the byte limits are accepted', async () => {
    const fields = {
      comment: uniq('Edge') + ' ' + 'y'.repeat(65525 - 40),
      author: 'b'.repeat(245),
      email: 'c'.repeat(64) + '@' + 'd'.repeat(23) + '.example.com', // 100 bytes (local part at its 64 max)
      url: 'https://example.com/' + 'd'.repeat(180), // 200 bytes
    };
    fields.comment = fields.comment.padEnd(65525, 'z');
    assert.equal(Buffer.byteLength(fields.comment), 65525);
    assert.equal(Buffer.byteLength(fields.email), 100);
    assert.equal(Buffer.byteLength(fields.url), 200);
    const r = await site.post(fields);
    heldId(r);
  });

  const BAD_BYTES = [
    ['invalid byte FF', 'ab%FF%FEcd'],
    ['truncated sequence', 'ab%C3%28cd'],
    ['overlong slash', 'ab%C0%AFcd'],
    ['UTF-16 surrogate', 'ab%ED%A0%80cd'],
    ['NUL', 'ab%00cd'],
  ];
  for (const field of ['comment', 'author', 'email', 'url']) {
    for (const [name, bad] of BAD_BYTES) {
      test(`${name} in ${field}: 400, nothing stored`, async () => {
        const before = site.ids();
        const hid = await site.hidden();
        const fields = { ...hid, gz_website: '', comment: uniq('Bytes check'), author: 'Byte Tester',
          email: 'bytes@example.com', url: 'https://example.com/' };
        delete fields[field];
        const body = h.encodeForm(fields) + `&${field}=${bad}`;
        const r = await h.postForm(site.srv.url, '/comments', body);
        assert.equal(r.status, 400, `${field} with ${name} -> ${r.status}`);
        assert.equal(site.ids(), before, 'nothing stored');
      });
    }
  }

  test('raw (not percent-encoded) invalid UTF-8 in the body: 400', async () => {
    const before = site.ids();
    const hid = await site.hidden();
    const prefix = Buffer.from(h.encodeForm({ ...hid, gz_website: '', author: 'Raw Bytes', email: 'raw@example.com' }) + '&comment=ab');
    const r = await h.postForm(site.srv.url, '/comments', Buffer.concat([prefix, Buffer.from([0xff, 0xfe, 0x41])]));
    assert.equal(r.status, 400);
    assert.equal(site.ids(), before);
  });

  test('honeypot filled: refused, nothing stored', async () => {
    const before = site.ids();
    const r = await site.post({ comment: uniq('Buy cheap stuff'), author: 'Spam Bot', email: 'bot@example.com',
      gz_website: 'http://spam.example/' });
    assert.ok(r.status >= 400 && r.status < 500, `honeypot -> ${r.status}`);
    assert.equal(site.ids(), before, 'nothing stored');
    assert.ok(!h.listComments(site.dir).some((c) => c.author === 'Spam Bot'), 'not even as spam');
  });

  test('forged or missing gz_ts token: refused, nothing stored', async () => {
    const before = site.ids();
    const hid = await site.hidden();
    for (const ts of ['forged', '', '0', hid.gz_ts.slice(0, -2) + (hid.gz_ts.endsWith('AA') ? 'BB' : 'AA')]) {
      const r = await site.post({ comment: uniq('Token check'), author: 'Token Tester', email: 'tok@example.com' },
        { hidden: { ...hid, gz_ts: ts } });
      assert.ok(r.status >= 400 && r.status < 500, `gz_ts="${ts}" -> ${r.status}`);
    }
    const noTs = { ...hid };
    delete noTs.gz_ts;
    const r = await h.postForm(site.srv.url, '/comments',
      { ...noTs, gz_website: '', comment: uniq('Token check'), author: 'Token Tester', email: 'tok@example.com' });
    assert.ok(r.status >= 400 && r.status < 500, `no gz_ts -> ${r.status}`);
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('unknown or malformed story id: refused, nothing stored', async () => {
    const before = site.ids();
    const hid = await site.hidden();
    for (const sid of ['999999', 'abc', '-1', '', '1 OR 1=1']) {
      const r = await site.post({ comment: uniq('Story check'), author: 'Story Tester', email: 'story@example.com' },
        { hidden: { ...hid, comment_post_ID: sid } });
      assert.ok(r.status >= 400 && r.status < 500, `comment_post_ID="${sid}" -> ${r.status}`);
    }
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('the same comment twice: 409 duplicate, stored once', async () => {
    const text = uniq('Saying this only once');
    const fields = { comment: text, author: 'Echo Writer', email: 'echo@example.com' };
    heldId(await site.post(fields));
    const before = site.ids();
    const r = await site.post(fields);
    assert.equal(r.status, 409);
    assert.ok(h.textOf(r.body).includes(DUPLICATE), `duplicate message: ${h.textOf(r.body).slice(0, 300)}`);
    assert.equal(site.ids(), before, 'nothing stored the second time');
  });

  test('a body over 1 MiB: 413, and the server stays healthy', async () => {
    const before = site.ids();
    const hid = await site.hidden();
    const body = h.encodeForm({ ...hid, gz_website: '', author: 'Big Body', email: 'big@example.com' }) +
      '&comment=' + 'x'.repeat(1024 * 1024 + 10);
    const r = await h.postForm(site.srv.url, '/comments', body);
    assert.equal(r.status, 413);
    const r2 = await h.request(site.srv.url, '/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
      body: Buffer.from(body),
    });
    assert.equal(r2.status, 413, 'chunked body over the limit -> 413');
    assert.equal(site.ids(), before, 'nothing stored');
    const home = await h.get(site.srv.url, '/');
    assert.equal(home.status, 200, 'server still answers');
    heldId(await site.post({ comment: uniq('After the big one'), author: 'Small Body', email: 'small@example.com' }));
  });

  test('reply: rendered inside the parent\'s <ol class="children"> after approval', async () => {
    const parentText = uniq('Parent comment');
    const { id: parentId } = heldId(await site.post({ comment: parentText, author: 'Parent Poster', email: 'parent@example.com' }));
    h.approve(site.dir, parentId);
    const page = (await site.page()).body;
    const parentLi = ownLi(page, parentId);
    const replyLink = h.findLinks(parentLi).find((a) => h.hasClass(a.attrs, 'comment-reply-link'));
    assert.ok(replyLink, 'parent has a Reply link');
    assert.equal(replyLink.text, 'Reply');
    const replyTarget = h.splitLocation(new URL(replyLink.href, site.srv.url + h.SEED_PATH).href).path;
    const replyPage = await h.get(site.srv.url, replyTarget);
    assert.equal(replyPage.status, 200, `GET ${replyLink.href}`);
    const replyForm = h.formValues(replyPage.body).values;
    assert.equal(replyForm.comment_parent, String(parentId), 'reply form carries comment_parent');

    const replyText = uniq('Reply comment');
    const { id: replyId } = heldId(await site.post({ comment: replyText, author: 'Reply Poster', email: 'reply@example.com' },
      { hidden: await site.hidden(replyTarget) }));
    h.approve(site.dir, replyId);
    const after = (await site.page()).body;
    const tree = h.commentTree(after);
    const node = tree.byId[replyId];
    assert.ok(node, 'reply shown');
    assert.equal(node.parentId, parentId, 'reply nested under its parent');
    assert.ok(node.insideChildrenOl, 'inside <ol class="children">');
    assert.equal(node.depth, tree.byId[parentId].depth + 1, 'depth is parent + 1');
    assert.ok(h.textOf(ownLi(after, replyId)).includes(replyText));
  });

  test('reply to a demo comment (deep thread) nests correctly', async () => {
    const page = (await site.page()).body;
    const tree = h.commentTree(page);
    const target = Object.values(tree.byId).find((n) => n.parentId !== null);
    assert.ok(target, 'a demo reply exists');
    const hid = await site.hidden();
    const { id } = heldId(await site.post({ comment: uniq('Deep reply'), author: 'Deep Diver', email: 'deep@example.com' },
      { hidden: { ...hid, comment_parent: String(target.id) } }));
    h.approve(site.dir, id);
    const t2 = h.commentTree((await site.page()).body);
    assert.equal(t2.byId[id].parentId, target.id);
    assert.ok(t2.byId[id].insideChildrenOl);
  });

  test('reply to an unknown comment or one on another story: refused, nothing stored', async () => {
    const hid = await site.hidden();
    const otherStory = h.listComments(site.dir).find((c) => c.slug !== h.SEED_SLUG);
    assert.ok(otherStory, 'a demo comment on another story exists');
    const before = site.ids();
    for (const parent of ['999999', String(otherStory.id), 'abc']) {
      const r = await site.post({ comment: uniq('Orphan reply'), author: 'Orphan Maker', email: 'orphan@example.com' },
        { hidden: { ...hid, comment_parent: parent } });
      assert.ok(r.status >= 400 && r.status < 500, `comment_parent=${parent} -> ${r.status}`);
    }
    assert.equal(site.ids(), before, 'nothing stored');
  });

  test('a known commenter is still held when comment_auto_approve_known = 0', async () => {
    const demo = h.demoComments().find((c) => c.story === h.SEED_SLUG);
    const r = await site.post({ comment: uniq('Known but held'), author: demo.author, email: demo.email });
    heldId(r);
  });
});

describe('comment_min_seconds = 2 (too fast)', () => {
  let site;
  before(async () => {
    site = await openSite({ comment_min_seconds: 2, comment_rate_per_minute: 1000 });
  });
  after(async () => { if (site) await site.srv.stop(); });

  test('posting immediately: 422 asking to wait, values kept; the same token works after 2 s', async () => {
    const hid = await site.hidden();
    const before = site.ids();
    const typed = { comment: uniq('Speedy comment'), author: 'Speedy Gonzales', email: 'speedy@example.com', url: '' };
    const r = await site.post(typed, { hidden: hid });
    assert.equal(r.status, 422);
    assert.match(formErrors(r.body) || h.textOf(r.body), /wait|too (quick|fast)|second/i, 'asks to wait');
    assertKept(r.body, typed);
    assert.equal(site.ids(), before, 'nothing stored');
    await new Promise((res) => setTimeout(res, 2300));
    heldId(await site.post(typed, { hidden: hid }));
  });
});

describe('comment_rate_per_minute = 3', () => {
  let site;
  before(async () => {
    site = await openSite({ comment_min_seconds: 0, comment_rate_per_minute: 3 });
  });
  after(async () => { if (site) await site.srv.stop(); });

  test('the 4th post in a minute gets 429 with Retry-After; X-Forwarded-For does not help', async () => {
    for (let i = 0; i < 3; i++) { // each with a fresh form: a stamp is good for one comment
      heldId(await site.post({ comment: uniq('Rate check'), author: 'Rate Tester', email: 'rate@example.com' }));
    }
    const hid = await site.hidden();
    const before = site.ids();
    const r = await site.post({ comment: uniq('Rate check'), author: 'Rate Tester', email: 'rate@example.com' }, { hidden: hid });
    assert.equal(r.status, 429);
    const ra = r.headers['retry-after'];
    assert.match(ra || '', /^\d+$/, `Retry-After: ${ra}`);
    assert.ok(Number(ra) >= 1 && Number(ra) <= 60, `Retry-After ${ra} within a minute`);
    const r2 = await site.post({ comment: uniq('Rate check'), author: 'Rate Tester', email: 'rate@example.com' },
      { hidden: hid, headers: { 'X-Forwarded-For': '203.0.113.7', 'X-Real-IP': '203.0.113.7' } });
    assert.equal(r2.status, 429, 'forwarding headers are not trusted by default');
    assert.equal(site.ids(), before, 'nothing stored');
    assert.equal((await h.get(site.srv.url, h.SEED_PATH)).status, 200, 'pages still served');
  });
});

describe('comment_auto_approve_known = 1', () => {
  let site;
  before(async () => {
    site = await openSite({ comment_min_seconds: 0, comment_rate_per_minute: 1000, comment_auto_approve_known: 1 });
  });
  after(async () => { if (site) await site.srv.stop(); });

  test('a commenter with an approved comment is published at once', async () => {
    const who = { author: 'Regular Reader', email: 'regular@example.com' };
    const { id: first } = heldId(await site.post({ comment: uniq('First time here'), ...who }));
    h.approve(site.dir, first);
    const text = uniq('Back again');
    const r = await site.post({ comment: text, ...who });
    assert.equal(r.status, 303);
    const m = LOC_OK.exec(r.headers.location || '');
    assert.ok(m, `Location without unapproved: ${r.headers.location}`);
    const id = Number(m[1]);
    assert.ok(h.listComments(site.dir, 'approved').some((c) => c.id === id), 'stored as approved');
    const li = ownLi((await site.page()).body, id);
    assert.ok(li && h.textOf(li).includes(text), 'shown on the plain story page');
    assert.ok(!li.includes('comment-awaiting-moderation'));
    // Same name, different email: not known.
    heldId(await site.post({ comment: uniq('Impostor'), author: who.author, email: 'impostor@example.com' }));
  });
});

after(() => h.cleanupSites());
