'use strict';
// E-mails (issue 17, docs/mail.md): one server and one SMTP sink
// (smtp-sink.js) for the whole file, the scheduler's mail run every second.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');
const { SmtpSink } = require('./smtp-sink');

let sink, srv, dir;

function sql(query) {
  const r = spawnSync('sqlite3', ['-json', path.join(dir, 'gazette.db'), query], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
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
  } });
  srv = await h.startServer(dir);
});

after(async () => {
  if (srv) await srv.stop();
  if (sink) await sink.stop();
  h.cleanupSites();
});

test('a story submitted for review mails the editors with proper headers, not its author', async () => {
  const contributor = await a.signedIn(srv.url, 'contributor');
  const id = await a.writeStory(contributor, { title: 'Şəhər şurası: büdcə', body: 'The council met.' }, 'submit');
  const m = await sink.waitFor((x) => x.to.includes(a.email('editor')) && x.body.includes('submitted for review'));
  assert.equal(m.from, 'newsroom@gazette.test');
  assert.equal(m.headers.to, `<${a.email('editor')}>`);
  assert.match(m.headers.from, /<newsroom@gazette\.test>$/);
  assert.match(m.headers['message-id'], /^<[0-9a-f]{32}@gazette\.test>$/);
  assert.match(m.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(m.headers['mime-version'], '1.0');
  assert.equal(m.headers['content-type'], 'text/plain; charset=utf-8');
  // a non-ASCII subject travels as RFC 2047 words and decodes to the title
  assert.match(m.headers.subject, /^=\?UTF-8\?B\?/);
  const subject = m.headers.subject.split(/\s+/).map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)[1], 'base64')).reduce((x, y) => Buffer.concat([x, y]));
  assert.equal(subject.toString('utf8'), '[The Gazette] Awaiting review: Şəhər şurası: büdcə');
  assert.match(m.body, new RegExp(`/admin/stories/${id}\\n`));
  await sink.waitFor((x) => x.to.includes(a.email('admin')) && x.body.includes(`/admin/stories/${id}\n`));
  await sleep(1500); // one more run: nothing for the author or the contributor
  assert.ok(!sink.messages.some((x) => x.to.includes(a.email('author')) || x.to.includes(a.email('contributor'))));
  const rows = sql('SELECT recipient, attempts, sent_at IS NOT NULL AS sent FROM mail_queue ORDER BY id');
  assert.deepEqual(rows.map((r) => [r.recipient, r.attempts, r.sent]).sort(),
    [[a.email('admin'), 1, 1], [a.email('editor'), 1, 1]]);
});
