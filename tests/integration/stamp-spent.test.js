'use strict';
// A form stamp is good for one comment (issue 12, point 4): one stamp was
// accepted for three comments. Readers of a cached page share the stamp of
// its 100 ms step, so a stamp is spent per client (the IPv6 /64, or the
// address a trusted proxy names): a second comment with it from the same
// client is refused (422, text kept, a fresh stamp that works), another
// client's is taken. The stamp is spent with the comment, in its
// transaction: a post refused for anything else spends nothing, two racing
// posts store one comment, and spent stamps are purged once expired.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const uniq = (p) => `${p} ${++n} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

function sql(dir, q) {
  return h.sql(dir, q);
}

const freshForm = (srv) => h.freshHidden(srv.url);

// A reader's post; xff names the client through the trusted proxy (none:
// the client is 127.0.0.1 itself).
function post(srv, hid, fields = {}, xff) {
  const headers = xff ? { 'X-Forwarded-For': xff } : {};
  return h.postForm(srv.url, '/comments', {
    ...hid, gz_website: '', comment: uniq('One stamp, one comment'), author: 'Stamp Reader',
    email: 'stamp@example.com', url: '', ...fields,
  }, { headers });
}

function stored(dir, text) {
  return Number(sql(dir, `SELECT count(*) FROM comments WHERE body = '${text.replace(/'/g, "''")}'`));
}

function expectSpent(r, text) {
  assert.equal(r.status, 422, `the second comment with one stamp: ${r.status}`);
  assert.match(h.textOf(r.body), /This form has already sent a comment/);
  const back = h.formValues(r.body).values;
  assert.equal(back.comment, text, 'the text typed comes back');
  assert.equal(back.author, 'Stamp Reader', 'the name comes back');
  return back;
}

describe('a form stamp is spent by its comment, per client', () => {
  let srv, dir;
  before(async () => {
    dir = h.makeSite({ demo: true, conf: { comment_min_seconds: 0, comment_rate_per_minute: 100000,
      trusted_proxy: '127.0.0.1', comment_form_max_age: 3 } });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the same stamp twice from one client: the second is refused, kept, and its new form works', async () => {
    const hid = await freshForm(srv);
    assert.equal((await post(srv, hid)).status, 303, 'the first comment');
    const text = uniq('A second comment with the same form');
    const r = await post(srv, hid, { comment: text });
    const back = expectSpent(r, text);
    h.noteStamp(back.gz_ts);
    assert.equal(stored(dir, text), 0, 'nothing stored');
    assert.notEqual(back.gz_ts, hid.gz_ts, 'the form comes back with a new stamp');
    const again = await post(srv, { ...hid, gz_ts: back.gz_ts }, { comment: text });
    assert.equal(again.status, 303, `sent again with the new form: ${again.status} ${h.textOf(again.body).slice(0, 200)}`);
    assert.equal(stored(dir, text), 1);
    const third = await post(srv, { ...hid, gz_ts: back.gz_ts });
    assert.equal(third.status, 422, 'the new stamp is good for one comment too');
  });

  test('readers sharing a stamp (one 100 ms step of a cached page) each comment once', async () => {
    const hid = await freshForm(srv);
    for (const client of ['198.51.100.10', '198.51.100.11', '2001:db8:1:2::5', '2001:db8:1:3::5']) {
      const r = await post(srv, hid, {}, client);
      assert.equal(r.status, 303, `client ${client}: ${r.status} ${h.textOf(r.body).slice(0, 200)}`);
    }
    const text = uniq('From the same /64');
    expectSpent(await post(srv, hid, { comment: text }, '2001:db8:1:2::77'), text);
    expectSpent(await post(srv, hid, { comment: text }, '198.51.100.10'), text);
    assert.equal((await post(srv, hid)).status, 303, 'the proxy itself is one more client');
  });

  test('two simultaneous posts with one stamp from one client store one comment', async () => {
    for (let round = 0; round < 3; round++) {
      const hid = await freshForm(srv);
      const texts = Array.from({ length: 6 }, (_, i) => uniq(`Racing post ${round}.${i}`));
      const rs = await Promise.all(texts.map((t) => post(srv, hid, { comment: t }, '203.0.113.50')));
      const statuses = rs.map((r) => r.status).sort();
      assert.deepEqual(statuses, [303, 422, 422, 422, 422, 422], `round ${round}: ${statuses}`);
      rs.filter((r) => r.status === 422).forEach((r) => assert.match(h.textOf(r.body), /already sent a comment/));
      assert.equal(texts.reduce((a, t) => a + stored(dir, t), 0), 1, 'exactly one of them stored');
    }
  });

  test('posts that meet in one group-commit batch: one text stored once, the duplicates spend nothing', async () => {
    // the batch's duplicate checks all go before its inserts, so posts
    // of one batch are checked against each other too: the writers are
    // held while a first post (its own text) leads a batch and waits, and
    // the posts that queue behind it form the next batch together
    const text = uniq('Said four times at once');
    const forms = [];
    for (let i = 0; i < 5; i++) forms.push(await freshForm(srv));
    const ips = forms.map((_, i) => `203.0.113.${120 + i}`);
    const release = await h.holdWrites(dir);
    let rs;
    try {
      const lead = post(srv, forms[0], { comment: uniq('Leading the first batch') }, ips[0]);
      await new Promise((r) => setTimeout(r, 200));
      const rest = forms.slice(1).map((hid, i) => post(srv, hid, { comment: text }, ips[i + 1]));
      await new Promise((r) => setTimeout(r, 400));
      await release();
      rs = await Promise.all([lead, ...rest]);
    } catch (e) {
      await release();
      throw e;
    }
    assert.equal(rs[0].status, 303, 'the first post');
    const statuses = rs.slice(1).map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 409, 409, 409], `the four posts of one text: ${statuses}`);
    assert.equal(stored(dir, text), 1, 'exactly one stored');
    for (let i = 1; i < 5; i++) {
      if (rs[i].status !== 409) continue;
      assert.equal((await post(srv, forms[i], {}, ips[i])).status, 303, 'a duplicate\'s form still sends one comment');
    }
  });

  test('in one batch, a post refused for its spent stamp makes no later post of its text a duplicate', async () => {
    // P (form F) and X (form F again, same client) and Y (its own form,
    // X's text) queue into one batch: of P and X one is refused for the
    // stamp, and the text is stored once, as if they had come one after
    // another
    const text = uniq('Refused for its stamp, stored for the other');
    const lead = await freshForm(srv);
    const f = await freshForm(srv);
    const f2 = await freshForm(srv);
    const release = await h.holdWrites(dir);
    let rs;
    try {
      const first = post(srv, lead, { comment: uniq('Leading the first batch') }, '203.0.113.140');
      await new Promise((r) => setTimeout(r, 200));
      const p = post(srv, f, { comment: uniq('P takes the stamp') }, '203.0.113.141');
      await new Promise((r) => setTimeout(r, 100));
      const x = post(srv, f, { comment: text }, '203.0.113.141');
      await new Promise((r) => setTimeout(r, 100));
      const y = post(srv, f2, { comment: text }, '203.0.113.142');
      await new Promise((r) => setTimeout(r, 300));
      await release();
      rs = await Promise.all([first, p, x, y]);
    } finally {
      await release();
    }
    // which of P and X the batch takes first is not fixed (each waits for
    // a worker); whichever it is, the text is stored exactly once
    const [, rp, rx, ry] = rs.map((r) => r.status);
    assert.equal(rs[0].status, 303, 'the lead post');
    assert.deepEqual([rp, rx].sort(), [303, 422], `P and X share a stamp: one stored, one 422 (${rp}, ${rx})`);
    assert.equal(ry, rx === 422 ? 303 : 409, `Y: stored unless X (its text) was (${rp}, ${rx}, ${ry})`);
    assert.equal(stored(dir, text), 1, 'the text stored once');
  });

  test('a post refused for another reason does not spend the stamp', async () => {
    const hid = await freshForm(srv);
    const text = uniq('Forgot my name');
    const missing = await post(srv, hid, { comment: text, author: '' });
    assert.equal(missing.status, 422);
    assert.match(h.textOf(missing.body), /Please enter your name here/);
    assert.doesNotMatch(h.textOf(missing.body), /already sent|expired/);
    const fixed = await post(srv, hid, { comment: text });
    assert.equal(fixed.status, 303, `the same form, name filled in: ${fixed.status} ${h.textOf(fixed.body).slice(0, 200)}`);
    expectSpent(await post(srv, hid, { comment: text + ' (again)' }), text + ' (again)'); // spent by the comment stored, not by the 422

    // a duplicate (409) spends nothing either
    const other = await freshForm(srv);
    const dup = await post(srv, other, { comment: text });
    assert.equal(dup.status, 409, 'the same text again is a duplicate');
    assert.equal((await post(srv, other)).status, 303, 'the form the duplicate came with still sends one');
    expectSpent(await post(srv, other, { comment: text + ' (again)' }), text + ' (again)');
  });

  test('spent stamps are purged once expired, a bounded number per batch', async () => {
    const hid = await freshForm(srv);
    assert.equal((await post(srv, hid, {}, '192.0.2.200')).status, 303);
    const shown = Math.floor(Number(hid.gz_ts.split('.')[0]) / 1000);
    assert.ok(Number(sql(dir, `SELECT count(*) FROM comment_stamps WHERE shown_at = ${shown}`)) >= 1, 'the spent stamp is kept');
    const keys = h.sqlRows(dir, 'SELECT key FROM comment_stamps').map((r) => r.key);
    assert.ok(keys.length > 0 && keys.every((k) => /^[0-9a-f]{32}$/.test(k)), `keys are hashes, no address: ${keys}`);
    assert.equal(sql(dir, "SELECT count(*) FROM comment_stamps WHERE key LIKE '%192.0.2%'"), '0');
    // 300 long-expired stamps, as if left by a busy day
    sql(dir, 'WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 300)' +
      " INSERT INTO comment_stamps(key, shown_at) SELECT 'old' || x, 1000 + x FROM i");
    await sleep(5300); // past comment_form_max_age (3 s) and the purge margin for hid's stamp
    expectExpired(await post(srv, hid, {}, '192.0.2.200'));
    const before = Number(sql(dir, 'SELECT count(*) FROM comment_stamps'));
    assert.ok(before >= 301);
    assert.equal((await post(srv, await freshForm(srv), {}, '192.0.2.201')).status, 303);
    const left = Number(sql(dir, 'SELECT count(*) FROM comment_stamps'));
    assert.ok(left < before && left > before - 100, `one batch purges a bounded number: ${before} -> ${left}`);
    for (let i = 0; i < 8 && Number(sql(dir, "SELECT count(*) FROM comment_stamps WHERE key LIKE 'old%'")) > 0; i++)
      assert.equal((await post(srv, await freshForm(srv), {}, `192.0.2.${210 + i}`)).status, 303);
    assert.equal(sql(dir, "SELECT count(*) FROM comment_stamps WHERE key LIKE 'old%'"), '0', 'every expired stamp goes');
    assert.equal(sql(dir, `SELECT count(*) FROM comment_stamps WHERE shown_at = ${shown}`), '0', 'the expired spent stamp went');
    assert.ok(Number(sql(dir, 'SELECT count(*) FROM comment_stamps')) >= 1, 'the fresh ones stay');
  });
});

function expectExpired(r) {
  assert.equal(r.status, 422);
  assert.match(h.textOf(r.body), /This form has expired/, 'an expired stamp is refused as expired, spent or not');
}
