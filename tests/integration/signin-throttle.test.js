'use strict';
// Sign-in and two-factor throttling (issue 12, point 3): code failures are
// counted on their own, whatever address and however often the password
// is right; guessing is bounded per account while the owner still signs in
// from the browser she used before (a signed device cookie); the check and
// the counting are one step under concurrency; IPv6 clients count per /64;
// replacing a two-factor key takes the current code, and turning it on
// ends the account's other sessions.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');
const { totp, wrongCode, enrol, sessionCookieOf, sessionWorks } = require('./totp-helpers');

after(() => h.cleanupSites());

function signIn(base, mail, password, { xff, cookie } = {}) {
  const headers = {};
  if (xff) headers['X-Forwarded-For'] = xff;
  if (cookie) headers.Cookie = cookie;
  return h.postForm(base, '/admin/sign-in', { email: mail, password, next: '/admin/stories' }, { headers });
}

function deviceCookieOf(res) {
  for (const c of [].concat(res.headers['set-cookie'] || [])) {
    const m = /^gz_device=([^;]*)/.exec(c);
    if (m) return { value: m[1], attrs: c };
  }
  return null;
}

describe('sign-in throttling behind a trusted proxy', () => {
  let srv;
  before(async () => {
    srv = await h.startServer(a.makeNewsroom({ demo: false, conf: { trusted_proxy: '127.0.0.1' } }));
  });
  after(async () => { if (srv) await srv.stop(); });

  test('two-factor codes are counted on their own: a right password at every try does not reset them', async () => {
    const c = await a.signedIn(srv.url, 'editor');
    const { secret } = await enrol(c);
    const codeStatuses = [];
    for (let i = 0; i < 7; i++) {
      const xff = `198.18.${i}.1`; // a new address every cycle
      const pw = await signIn(srv.url, a.email('editor'), a.PASSWORD, { xff });
      assert.equal(pw.status, 200, `cycle ${i}: the password step passes`);
      const form = h.formValues(pw.body, 'code-form');
      const r = await h.postForm(srv.url, form.action, { ...form.values, code: wrongCode(secret) },
        { headers: { 'X-Forwarded-For': xff } });
      codeStatuses.push(r.status);
    }
    assert.deepEqual(codeStatuses, [403, 403, 403, 403, 403, 429, 429]);
    // even the right code waits now, from yet another address
    const pw = await signIn(srv.url, a.email('editor'), a.PASSWORD, { xff: '198.18.99.1' });
    const form = h.formValues(pw.body, 'code-form');
    const r = await h.postForm(srv.url, form.action, { ...form.values, code: totp(secret) },
      { headers: { 'X-Forwarded-For': '198.18.99.1' } });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers['retry-after']) > 0);
  });

  test('a stranger who knows the e-mail cannot lock the owner out of her own browser', async () => {
    const mail = a.email('author');
    const first = await signIn(srv.url, mail, a.PASSWORD, { xff: '192.0.2.10' });
    assert.equal(first.status, 303);
    const device = deviceCookieOf(first);
    assert.ok(device, 'a sign-in sets the device cookie');
    assert.match(device.attrs, /HttpOnly/);
    assert.match(device.attrs, /SameSite=Strict/);
    assert.match(device.attrs, /Path=\/admin\/sign-in/);
    for (let i = 0; i < 5; i++) {
      const r = await signIn(srv.url, mail, `not the password ${i}`, { xff: `203.0.113.${i + 1}` });
      assert.equal(r.status, 403);
    }
    // guessing from anywhere else is bounded per account
    const stranger = await signIn(srv.url, mail, a.PASSWORD, { xff: '203.0.113.200' });
    assert.equal(stranger.status, 429, 'the right password from a new address waits');
    const noCookie = await signIn(srv.url, mail, a.PASSWORD, { xff: '192.0.2.10' });
    assert.equal(noCookie.status, 429, 'her address alone is not enough');
    const [uid, id, sig] = device.value.split('.');
    const forged = `${uid}.${id}.${sig.replace(/^./, (ch) => (ch === '0' ? '1' : '0'))}`;
    assert.equal((await signIn(srv.url, mail, a.PASSWORD, { xff: '192.0.2.10', cookie: `gz_device=${forged}` })).status, 429,
      'a forged device cookie is not hers');
    const other = await signIn(srv.url, a.email('contributor'), a.PASSWORD, { xff: '192.0.2.44' });
    const otherDevice = deviceCookieOf(other);
    assert.equal((await signIn(srv.url, mail, a.PASSWORD, { xff: '192.0.2.44', cookie: `gz_device=${otherDevice.value}` })).status, 429,
      'another account\'s device cookie does not open this one');
    // the owner, from her browser
    const owner = await signIn(srv.url, mail, a.PASSWORD, { xff: '192.0.2.10', cookie: `gz_device=${device.value}` });
    assert.equal(owner.status, 303, h.textOf(owner.body).slice(0, 200));
    assert.ok(await sessionWorks(srv.url, sessionCookieOf(owner)));
    // and her device's own guesses are bounded too
    for (let i = 0; i < 5; i++) {
      assert.equal((await signIn(srv.url, mail, `typo ${i}`, { xff: '192.0.2.10', cookie: `gz_device=${device.value}` })).status, 403);
    }
    assert.equal((await signIn(srv.url, mail, a.PASSWORD, { xff: '192.0.2.10', cookie: `gz_device=${device.value}` })).status, 429);
  });

  test('IPv6 clients are counted per /64', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await signIn(srv.url, `nobody${i}@v6.test`, 'wrong password here', { xff: `2001:db8:1:2::${i}` });
      assert.equal(r.status, 403);
    }
    const same64 = await signIn(srv.url, 'nobody6@v6.test', 'wrong password here', { xff: '2001:db8:1:2:ffff:ffff:ffff:ffff' });
    assert.equal(same64.status, 429, 'another address of the same /64 waits');
    const next64 = await signIn(srv.url, 'nobody7@v6.test', 'wrong password here', { xff: '2001:db8:1:3::1' });
    assert.equal(next64.status, 403, 'the neighbouring /64 does not');
  });

  test('an IPv4 client seen through a dual-stack proxy (::ffff:a.b.c.d) keeps its own address', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await signIn(srv.url, `mapped${i}@v4.test`, 'wrong password here', { xff: '::ffff:198.51.100.7' });
      assert.equal(r.status, 403);
    }
    assert.equal((await signIn(srv.url, 'mapped6@v4.test', 'wrong password here', { xff: '::ffff:198.51.100.7' })).status, 429);
    assert.equal((await signIn(srv.url, 'mapped7@v4.test', 'wrong password here', { xff: '::ffff:198.51.100.8' })).status, 403,
      'another IPv4 reader is not counted with it');
    assert.equal((await signIn(srv.url, 'mapped8@v4.test', 'wrong password here', { xff: '198.51.100.7' })).status, 429,
      'the same reader over IPv4 is');
  });
});

describe('forty wrong passwords at once', () => {
  let srv;
  before(async () => {
    srv = await h.startServer(a.makeNewsroom({ demo: false }));
  });
  after(async () => { if (srv) await srv.stop(); });

  test('are five password checks, not more', async () => {
    const all = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      signIn(srv.url, a.email('admin'), `concurrent wrong ${i}`)));
    const counts = {};
    for (const r of all) counts[r.status] = (counts[r.status] || 0) + 1;
    assert.deepEqual(counts, { 403: 5, 429: 35 });
  });
});

describe('two-factor keys', () => {
  let srv;
  before(async () => {
    srv = await h.startServer(a.makeNewsroom({ demo: false }));
  });
  after(async () => { if (srv) await srv.stop(); });

  test('turning two-factor on ends the account\'s other sessions, not this one', async () => {
    const other = await a.signedIn(srv.url, 'author');
    const c = await a.signedIn(srv.url, 'author');
    assert.ok(await sessionWorks(srv.url, other.cookie));
    await enrol(c);
    assert.equal(await sessionWorks(srv.url, other.cookie), false, 'the other browser is signed out');
    assert.ok(await sessionWorks(srv.url, c.cookie), 'the browser that turned it on stays');
  });

  test('replacing the key takes a code from the current one', async () => {
    const c = await a.signedIn(srv.url, 'contributor');
    const { secret } = await enrol(c);
    // a borrowed session posts a key of its own
    const otherKey = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const r = await c.post('/admin/account/2fa', { action: 'enable', secret: otherKey, code: totp(otherKey) });
    assert.equal(r.status, 403);
    assert.match(h.textOf(r.body), /enter a code from the app you use now/);
    // the old key still signs in
    const pw = await signIn(srv.url, a.email('contributor'), a.PASSWORD);
    const form = h.formValues(pw.body, 'code-form');
    const ok = await h.postForm(srv.url, form.action, { ...form.values, code: totp(secret) });
    assert.equal(ok.status, 303);
    // with the current code, the key is replaced
    const r2 = await c.post('/admin/account/2fa', { action: 'enable', secret: otherKey, code: totp(otherKey), current_code: totp(secret) });
    assert.equal(r2.status, 200, h.textOf(r2.body).slice(0, 200));
  });
});

describe('two-factor codes on the account page', () => {
  let srv;
  before(async () => {
    srv = await h.startServer(a.makeNewsroom({ demo: false }));
  });
  after(async () => { if (srv) await srv.stop(); });

  test('codes guessed on the account page wait as at sign-in', async () => {
    const c = await a.signedIn(srv.url, 'editor');
    const { secret } = await enrol(c);
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const r = await c.post('/admin/account/2fa', { action: 'disable', code: wrongCode(secret) });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [403, 403, 403, 403, 403, 429, 429]);
    const right = await c.post('/admin/account/2fa', { action: 'disable', code: totp(secret) });
    assert.equal(right.status, 429, 'even the right code waits');
    assert.ok(Number(right.headers['retry-after']) > 0);
  });
});
