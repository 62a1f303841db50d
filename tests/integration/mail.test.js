'use strict';
// E-mails (issue 17, docs/mail.md): one server and one SMTP sink
// (smtp-sink.js) for the whole file, the scheduler's mail run every second.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');
const { SmtpSink, parseMessage } = require('./smtp-sink');

let sink, srv, dir;

function sql(query) {
  return h.sqlRows(dir, query);
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
async function until(fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(100);
  }
}

before(async () => {
  sink = new SmtpSink();
  const port = await sink.start();
  dir = a.makeNewsroom({ conf: {
    smtp_url: `smtp://127.0.0.1:${port}`, smtp_starttls: 'off', smtp_from: 'newsroom@gazette.test',
    mail_interval: 1, base_url: 'http://127.0.0.1:1',
    language: 'az', // mail and the /mail/ pages speak the site's language, staff's as readers'
  } });
  srv = await h.startServer(dir);
});

after(async () => {
  if (srv) await srv.stop();
  if (sink) await sink.stop();
  h.cleanupSites();
});

// A subject's RFC 2047 words decoded.
function subjectOf(m) {
  return m.headers.subject.split(/\s+/).map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)[1], 'base64'))
    .reduce((x, y) => Buffer.concat([x, y])).toString('utf8');
}

test('a story submitted for review mails the editors with proper headers, not its author', async () => {
  const contributor = await a.signedIn(srv.url, 'contributor');
  const id = await a.writeStory(contributor, { title: 'Şəhər şurası: büdcə', body: 'The council met.' }, 'submit');
  const m = await sink.waitFor((x) => x.to.includes(a.email('editor')) && x.body.includes('yoxlanışa göndərildi'));
  assert.equal(m.from, 'newsroom@gazette.test');
  assert.equal(m.headers.to, `<${a.email('editor')}>`);
  assert.match(m.headers.from, /<newsroom@gazette\.test>$/);
  assert.match(m.headers['message-id'], /^<[0-9a-f]{32}@gazette\.test>$/);
  assert.match(m.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(m.headers['mime-version'], '1.0');
  assert.equal(m.headers['content-type'], 'text/plain; charset=utf-8');
  // a non-ASCII subject travels as RFC 2047 words and decodes to the title
  assert.match(m.headers.subject, /^=\?UTF-8\?B\?/);
  assert.equal(subjectOf(m), '[The Gazette] Yoxlanış gözləyir: Şəhər şurası: büdcə'); // the site's language
  assert.equal(m.body, `Bir yazı yoxlanışa göndərildi:\n\n  Şəhər şurası: büdcə\n\nYoxlayın: http://127.0.0.1:1/admin/stories/${id}\n`);
  await sink.waitFor((x) => x.to.includes(a.email('admin')) && x.body.includes(`/admin/stories/${id}\n`));
  await sleep(1500); // one more run: nothing for the author or the contributor
  assert.ok(!sink.messages.some((x) => x.to.includes(a.email('author')) || x.to.includes(a.email('contributor'))));
  const rows = sql('SELECT recipient, attempts, CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END AS sent FROM mail_queue ORDER BY id');
  assert.deepEqual(rows.map((r) => [r.recipient, r.attempts, r.sent]).sort(),
    [[a.email('admin'), 1, 1], [a.email('editor'), 1, 1]]);
});

async function postComment(fields) {
  const hid = await h.freshHidden(srv.url);
  const r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', url: '', ...fields });
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  const m = /unapproved=(\d+)|#comment-(\d+)/.exec(r.headers.location);
  return Number(m[1] || m[2]);
}

// The signed link of kind in a message's body: path and query.
function linkIn(m, kind) {
  const u = new RegExp(`http://127\\.0\\.0\\.1:1(/mail/${kind}/\\d+\\?x=\\d+&s=[0-9a-f]{64})`).exec(m.body);
  assert.ok(u, `no ${kind} link in:\n${m.body}`);
  return u[1];
}

// The key a held comment's approve and spam links name.
function keyOf(commentId) {
  return sql(`SELECT id FROM mail_comments WHERE comment_id = ${commentId}`)[0].id;
}

function formOf(html) {
  const v = h.formValues(html, 'mail-action').values;
  return { x: v.x, s: v.s };
}

test('a held comment mails its moderators signed links: GET asks, POST approves once', async () => {
  const id = await postComment({ author: 'Held Reader', email: 'held@reader.test', comment: 'A first comment, held for moderation.' });
  assert.equal(sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 0);
  const m = await sink.waitFor((x) => x.to.includes(a.email('editor')) && x.body.includes('A first comment, held'));
  assert.match(m.body, /^"[^"\n]+" yazısına bir şərh moderasiya gözləyir\.\n\nGöndərən: Held Reader <held@reader\.test>\n/);
  assert.match(m.body, /\nTəsdiq edin: http[^\n]+\nSpam kimi qeyd edin: http[^\n]+\n\(hər link bir dəfə, 14 gün ərzində işləyir\)\n\nGözləyən bütün şərhlər: http/);
  const approve = linkIn(m, 'approve');
  const key = keyOf(id);
  assert.ok(approve.startsWith(`/mail/approve/${key}?`));
  linkIn(m, 'spam');
  // a GET (a mail scanner following the link) changes nothing
  const page = await h.get(srv.url, approve);
  assert.equal(page.status, 200);
  assert.match(h.textOf(page.body), /Bu şərh təsdiq edilsin\? Şərh yazının altında görünəcək\./);
  assert.match(page.body, /<button type="submit">Təsdiq et<\/button>/);
  assert.equal(sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 0);
  // a forged signature or another comment's id is refused
  const forged = approve.replace(/s=([0-9a-f])/, (_, c) => `s=${c === '0' ? '1' : '0'}`);
  assert.equal((await h.get(srv.url, forged)).status, 404);
  assert.equal((await h.postForm(srv.url, approve.replace(`/${key}?`, `/${key + 1}?`).split('?')[0], formOf(page.body))).status, 404);
  const r = await h.postForm(srv.url, `/mail/approve/${key}`, formOf(page.body));
  assert.equal(r.status, 200, h.textOf(r.body).slice(0, 300));
  assert.match(h.textOf(r.body), /Şərh təsdiq edildi\./);
  assert.equal(sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 1);
  // used once: the same link again, or its spam twin after approval, is refused
  assert.equal((await h.postForm(srv.url, `/mail/approve/${key}`, formOf(page.body))).status, 409);
  const spam = linkIn(m, 'spam');
  const spamPage = await h.get(srv.url, spam);
  assert.match(h.textOf(spamPage.body), /Bu şərh spam kimi qeyd edilsin\?/);
  assert.equal((await h.postForm(srv.url, `/mail/spam/${key}`, formOf(spamPage.body))).status, 409);
  assert.equal(sql(`SELECT status FROM comments WHERE id = ${id}`)[0].status, 1);
});

// POSTs a link straight from a mail (its x and s as the form's fields).
function postLink(link) {
  const [p, q] = link.split('?');
  return h.postForm(srv.url, p, Object.fromEntries(new URLSearchParams(q)));
}

test('a held comment\'s links name that comment: deleted, the next comment that takes its id is not theirs', async () => {
  const id = await postComment({ author: 'Gone Reader', email: 'gone@reader.test', comment: 'Deleted before its link is used.' });
  const m = await sink.waitFor((x) => x.to.includes(a.email('editor')) && x.body.includes('Deleted before its link'));
  const approve = linkIn(m, 'approve');
  const editor = await a.signedIn(srv.url, 'editor');
  assert.equal((await editor.post(`/admin/comments/${id}/delete`)).status, 303);
  const next = await postComment({ author: 'Next Reader', email: 'next@reader.test', comment: 'A new comment with the same id.' });
  // SQLite gives the highest id again; PostgreSQL's identity never does
  if (h.STORE === 'sqlite') assert.equal(next, id);
  const r = await postLink(approve);
  assert.equal(r.status, 404, h.textOf(r.body).slice(0, 300));
  assert.match(h.textOf(r.body), /Artıq mövcud deyil: heç nə dəyişdirilmədi\./);
  assert.equal((await postLink(linkIn(m, 'spam'))).status, 404);
  assert.equal(sql(`SELECT status FROM comments WHERE id = ${next}`)[0].status, 0);
  // the new comment's own mail carries links that work
  const m2 = await sink.waitFor((x) => x.to.includes(a.email('editor')) && x.body.includes('with the same id'));
  assert.notEqual(linkIn(m2, 'approve'), approve);
  assert.equal((await postLink(linkIn(m2, 'approve'))).status, 200);
  assert.equal(sql(`SELECT status FROM comments WHERE id = ${next}`)[0].status, 1);
});

test('a dead relay leaves mail queued, counts attempts and sends it when the relay comes back', async () => {
  const port = sink.port;
  await sink.stop();
  const contributor = await a.signedIn(srv.url, 'contributor');
  const id = await a.writeStory(contributor, { title: 'Relay down', body: 'Queued.' }, 'submit');
  const q = `SELECT attempts, sent_at, last_error FROM mail_queue WHERE body LIKE '%/admin/stories/${id}=0D%' OR body LIKE '%/admin/stories/${id}%' ORDER BY id LIMIT 1`;
  const failed = await until(() => { const r = sql(q)[0]; return r && r.attempts >= 2 ? r : null; });
  assert.equal(failed.sent_at, null);
  assert.ok(failed.last_error.length > 0);
  // the site answers readers meanwhile
  assert.equal((await h.get(srv.url, '/')).status, 200);
  const before = sink.messages.length;
  await sink.start(port);
  const m = await sink.waitFor((x) => x.body.includes(`/admin/stories/${id}\n`), 20000);
  assert.ok(sink.messages.length > before && m);
  const sent = await until(() => { const r = sql(q)[0]; return r.sent_at ? r : null; });
  assert.ok(sent.attempts >= 3, `attempts ${sent.attempts}`);
  assert.equal(sent.last_error, '');
});

// Every message the sink got from the start-th on: { recipient: count }.
function perRecipient(start) {
  const n = {};
  for (const m of sink.messages.slice(start)) for (const t of m.to) n[t.toLowerCase()] = (n[t.toLowerCase()] || 0) + 1;
  return n;
}

// Waits for the mail pass to have sent what it made (no event nor message
// left): a held comment's mail to its moderators is out before it is
// approved, so each of them gets exactly one.
async function mailSent() {
  await until(() => sql('SELECT count(*) AS n FROM mail_events')[0].n === 0 &&
    sql('SELECT count(*) AS n FROM mail_queue WHERE sent_at IS NULL')[0].n === 0);
}

test('"E-mail me replies": confirmed by a link first, then replies mail with a one-click unsubscribe', async () => {
  await mailSent(); // an earlier test's mail (the dead relay's, retried) is not counted here
  const start = sink.messages.length;
  const toSub = (x) => x.to.some((t) => t.toLowerCase() === 'sub@reader.test');
  const page = await h.get(srv.url, h.SEED_PATH);
  assert.match(page.body, /<input id="gz_notify" name="gz_notify" type="checkbox" value="1">/);
  const mine = await postComment({ author: 'Subscriber', email: 'sub@reader.test', comment: 'Tell me when someone answers.', gz_notify: '1' });
  await mailSent();
  const conf = await sink.waitFor((x) => x.to.includes('sub@reader.test'));
  assert.match(conf.body, /^Şərhinizə yazılan cavabları e-poçtla almaq istədiniz\.\n\nTəsdiq etmək üçün: http/); // the site's language
  const confirm = linkIn(conf, 'confirm');
  h.approve(dir, mine);
  // a reply before the reader confirmed: no mail (double opt-in)
  const early = await postComment({ author: 'Early', email: 'early@reader.test', comment: 'An early answer.', comment_parent: String(mine) });
  await mailSent();
  h.approve(dir, early);
  await until(() => sql("SELECT count(*) AS n FROM mail_events")[0].n === 0);
  await sleep(1200);
  assert.equal(sink.messages.filter((x) => x.to.some((t) => t.toLowerCase() === 'sub@reader.test')).length, 1);
  // confirmed through the page's button, once
  const cpage = await h.get(srv.url, confirm);
  assert.equal(cpage.status, 200);
  assert.equal(sql(`SELECT confirmed_at FROM mail_subscriptions WHERE comment_id = ${mine}`)[0].confirmed_at, null);
  const id = /\/mail\/confirm\/(\d+)/.exec(confirm)[1];
  assert.equal((await h.postForm(srv.url, `/mail/confirm/${id}`, formOf(cpage.body))).status, 200);
  const again = await h.postForm(srv.url, `/mail/confirm/${id}`, formOf(cpage.body));
  assert.equal(again.status, 409);
  assert.match(h.textOf(again.body), /Bu link artıq istifadə olunub/);
  // an approved reply now mails the subscriber
  const reply = await postComment({ author: 'Answerer', email: 'answer@reader.test', comment: 'Here is my answer to you.', comment_parent: String(mine) });
  await mailSent();
  h.approve(dir, reply);
  const m = await sink.waitFor((x) => x.to.includes('sub@reader.test') && x.body.includes('Here is my answer'));
  assert.match(m.body, /^Answerer şərhinizə cavab yazdı:\n\nHere is my answer to you\./);
  assert.ok(!sink.messages.some((x) => toSub(x) && x.body.includes('An early answer')));
  // held and approved again, the reply mails nobody a second time
  h.gz(['comments', '--site', dir, 'pending', String(reply)]);
  h.approve(dir, reply);
  await until(() => sql("SELECT count(*) AS n FROM mail_events")[0].n === 0);
  await sleep(1200);
  assert.equal(sink.messages.filter((x) => toSub(x) && x.body.includes('Here is my answer')).length, 1);
  const unsub = /^<http:\/\/127\.0\.0\.1:1(\/mail\/unsubscribe\/\d+\?x=0&s=[0-9a-f]{64})>$/.exec(m.headers['list-unsubscribe']);
  assert.ok(unsub, m.headers['list-unsubscribe']);
  assert.equal(m.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  // GET shows a button; the RFC 8058 one-click POST stops the mail
  const upage = await h.get(srv.url, unsub[1]);
  assert.equal(upage.status, 200);
  assert.match(h.textOf(upage.body), /Cavablar barədə e-poçtlar dayandırılsın\?/);
  assert.match(upage.body, /<button type="submit">Abunəlikdən çıx<\/button>/);
  const r = await h.request(srv.url, unsub[1], { method: 'POST', body: 'List-Unsubscribe=One-Click',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 200, h.textOf(r.body).slice(0, 200));
  assert.ok(sql(`SELECT stopped_at FROM mail_subscriptions WHERE comment_id = ${mine}`)[0].stopped_at > 0);
  const late = await postComment({ author: 'Late', email: 'late@reader.test', comment: 'A late answer.', comment_parent: String(mine) });
  await mailSent();
  h.approve(dir, late);
  await until(() => sql("SELECT count(*) AS n FROM mail_events")[0].n === 0);
  await sleep(1200);
  assert.ok(!sink.messages.some((x) => toSub(x) && x.body.includes('A late answer')));
  // every message of this test, counted by recipient: the subscriber's
  // confirmation and one reply; each moderator (the admin, the editor, the
  // story's author) one mail per held comment (four), none twice; nothing
  // to the commenters
  const author = sql(`SELECT u.email FROM comments c JOIN stories s ON s.id = c.story_id JOIN users u ON u.id = s.author_id WHERE c.id = ${mine}`)[0].email;
  const staff = [a.email('admin'), a.email('editor'), author].map((e) => e.toLowerCase());
  assert.deepEqual(perRecipient(start), { 'sub@reader.test': 2, ...Object.fromEntries(staff.map((e) => [e, 4])) },
    sink.messages.slice(start).map((x) => `${x.to} ${x.headers.subject}`).join('\n'));
  for (const to of staff) {
    for (const text of ['Tell me when someone answers.', 'An early answer.', 'Here is my answer to you.', 'A late answer.']) {
      assert.equal(sink.messages.slice(start).filter((x) => x.to.some((t) => t.toLowerCase() === to) && x.body.includes(text)).length,
        1, `${to}: the held mail quoting "${text}"`);
    }
  }
});

test('a second opt-in from one address gets its own confirmation, a few minutes after the first', async () => {
  const isMine = (x) => x.to.some((t) => t.toLowerCase() === 'twice@reader.test');
  const mine = () => sink.messages.filter(isMine);
  await postComment({ author: 'Twice', email: 'twice@reader.test', comment: 'First ask for replies.', gz_notify: '1' });
  const first = linkIn(await sink.waitFor(isMine), 'confirm');
  const second = await postComment({ author: 'Twice', email: 'TWICE@reader.test', comment: 'Second ask for replies.', gz_notify: '1' });
  await sink.waitFor((x) => x.to.includes(a.email('admin')) && x.body.includes('Second ask for replies.'));
  await sleep(1200);
  assert.equal(mine().length, 1); // one mail per address per few minutes
  // minutes later (moved back in the database), the second ask has its own link
  sql("UPDATE mail_subscriptions SET mailed_at = mailed_at - 400 WHERE email = 'twice@reader.test'");
  await sink.waitFor((x) => isMine(x) && mine().length > 1);
  const links = mine()[1].body.match(/\/mail\/confirm\/\d+\?x=0&s=[0-9a-f]{64}/g);
  const sid = sql(`SELECT id FROM mail_subscriptions WHERE comment_id = ${second}`)[0].id;
  assert.equal(links.length, 1);
  assert.ok(links[0].startsWith(`/mail/confirm/${sid}?`), links[0]);
  assert.equal((await postLink(links[0])).status, 200);
  assert.ok(sql(`SELECT confirmed_at FROM mail_subscriptions WHERE id = ${sid}`)[0].confirmed_at > 0);
  // the first link still works too
  assert.equal((await postLink(first)).status, 200);
  await sleep(1200);
  assert.equal(mine().length, 2);
});

test('a stranger typing one address again and again reaches it four times a day at most', async () => {
  const isMine = (x) => x.to.some((t) => t.toLowerCase() === 'twice@reader.test');
  const mine = () => sink.messages.filter(isMine);
  assert.equal(mine().length, 2); // the two of the test before
  for (let i = 3; i <= 5; i++) {
    await postComment({ author: 'Twice', email: 'twice@reader.test', comment: `Ask number ${i}.`, gz_notify: '1' });
    await until(() => sql("SELECT count(*) AS n FROM mail_subscriptions WHERE lower(email) = 'twice@reader.test'")[0].n === i);
    sql("UPDATE mail_subscriptions SET mailed_at = mailed_at - 400 WHERE lower(email) = 'twice@reader.test'");
    if (i <= 4) await sink.waitFor((x) => isMine(x) && mine().length === i);
  }
  await sleep(1500);
  assert.equal(mine().length, 4, 'the fifth ask in a day waits');
  assert.equal(sql("SELECT count(*) AS n FROM mail_subscriptions WHERE lower(email) = 'twice@reader.test' AND mailed_at IS NULL")[0].n, 1);
});

test('an editor who chose the daily digest gets one digest, not a mail per event', async () => {
  const editor = await a.signedIn(srv.url, 'editor');
  const acct = await editor.get('/admin/account');
  assert.match(acct.body, /<input id="mail-each" name="mail" type="radio" value="each" checked>/);
  assert.equal((await editor.post('/admin/account/mail', { mail: 'weekly' })).status, 422);
  const r = await editor.post('/admin/account/mail', { mail: 'digest' });
  assert.equal(r.status, 303);
  assert.match((await editor.get('/admin/account')).body, /value="digest" checked>/);
  const before = sink.messages.length;
  const id = await postComment({ author: 'Digest Reader', email: 'digest@reader.test', comment: 'For the digest.' });
  const adminMail = await sink.waitFor((x) => x.to.includes(a.email('admin')) && x.body.includes('For the digest.'));
  assert.ok(adminMail);
  const digest = await sink.waitFor((x) => x.to.includes(a.email('editor')) && x.body.includes('Sonuncu xülasədən bəri'));
  assert.equal(subjectOf(digest), '[The Gazette] Gündəlik xülasə: 1 qeyd');
  assert.match(digest.body, /^Sonuncu xülasədən bəri The Gazette saytında baş verənlər:\n\n- ".*" yazısına şərh moderasiya gözləyir göndərən: Digest Reader\n  http/);
  assert.ok(!sink.messages.slice(before).some((x) => x.to.includes(a.email('editor')) && x.body.includes('For the digest.')));
  // a second event within the day waits for tomorrow's digest
  await postComment({ author: 'Second Reader', email: 'second@reader.test', comment: 'Second for the digest.' });
  await sink.waitFor((x) => x.to.includes(a.email('admin')) && x.body.includes('Second for the digest.'));
  await sleep(1200);
  assert.equal(sink.messages.filter((x) => x.to.includes(a.email('editor')) && x.body.includes('Sonuncu xülasədən bəri')).length, 1);
  const lines = sql(`SELECT line FROM mail_digest WHERE user_id = (SELECT id FROM users WHERE email = '${a.email('editor')}')`);
  assert.equal(lines.length, 1);
  assert.match(lines[0].line, /Second Reader/);
  assert.ok(id > 0);
});

test('smtp_starttls = required never sends in clear; no smtp_url makes no mail and shows no opt-in box', async () => {
  const strict = a.makeNewsroom({ conf: { smtp_url: `smtp://127.0.0.1:${sink.port}`, smtp_starttls: 'required', mail_interval: 1, language: 'ur' } });
  let s2 = await h.startServer(strict);
  const before = sink.messages.length;
  try {
    const contributor = await a.signedIn(s2.url, 'contributor');
    await a.writeStory(contributor, { title: 'Not in clear', body: 'x' }, 'submit');
    const q = (sqlQuery) => h.sqlRows(strict, sqlQuery);
    const row = await until(() => q('SELECT attempts, last_error, headers, body FROM mail_queue WHERE attempts > 0 LIMIT 1')[0]);
    // queued in the site's language (Urdu here)
    const queued = parseMessage(`${row.headers}\r\n${row.body}`);
    assert.match(queued.body, /^ایک خبر جائزے کے لیے بھیجی گئی ہے:\n\n  Not in clear\n\nجائزہ لیں: http/);
    assert.match(row.last_error, /STARTTLS|SSL|TLS/i);
    assert.equal(q('SELECT count(*) AS n FROM mail_queue WHERE sent_at IS NOT NULL')[0].n, 0);
    assert.ok(!sink.messages.slice(before).some((x) => x.body.includes('Not in clear')));
  } finally { await s2.stop(); }
  const plain = h.makeSite({ conf: { mail_interval: 1, comment_min_seconds: 0 } });
  s2 = await h.startServer(plain);
  try {
    const page = await h.get(s2.url, h.SEED_PATH);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes('gz_notify'));
    const hid = await h.freshHidden(s2.url);
    const r = await h.postForm(s2.url, '/comments', { ...hid, gz_website: '', url: '', author: 'Nobody', email: 'n@reader.test', comment: 'No mail here.', gz_notify: '1' });
    assert.equal(r.status, 303);
    const q = (sqlQuery) => h.sqlRows(plain, sqlQuery);
    await until(() => q('SELECT count(*) AS n FROM mail_events')[0].n === 0);
    assert.equal(q('SELECT count(*) AS n FROM mail_queue')[0].n, 0);
    assert.equal(q('SELECT count(*) AS n FROM mail_subscriptions')[0].n, 0);
  } finally { await s2.stop(); }
});

// the CLI runs beside this process's sink: spawned without blocking it
function gzAsync(args) {
  return new Promise((resolve) => execFile(h.GAZETTE, args, { cwd: h.ROOT, encoding: 'utf8', timeout: 30000 },
    (err, stdout, stderr) => resolve({ status: err ? err.code : 0, stdout, stderr })));
}

test('gazette mail test sends one message through the relay now, or says why not', async () => {
  const ok = await gzAsync(['mail', '--site', dir, 'test', 'operator@gazette.test']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /sent a test message to operator@gazette\.test/);
  const m = await sink.waitFor((x) => x.to.includes('operator@gazette.test'));
  assert.equal(m.headers.subject, 'Test message from Gazette');
  const bad = await gzAsync(['mail', '--site', dir, 'test', 'not an address']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not sent: not a usable address/);
  const port = sink.port;
  await sink.stop();
  try {
    const down = await gzAsync(['mail', '--site', dir, 'test', 'operator@gazette.test']);
    assert.equal(down.status, 1);
    assert.match(down.stderr, /not sent: .*(connect|Connection refused)/i);
  } finally { await sink.start(port); }
});
