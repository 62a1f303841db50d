'use strict';
// Two-factor sign-in over HTTP: enrolment from the account page (the test
// computes the RFC 6238 codes itself), the second sign-in step and its
// signed ticket, wrong codes, single-use recovery codes, and the
// "every account must use two-factor sign-in" setting.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');
const a = require('./admin-helpers');

after(() => h.cleanupSites());

const {
  base32Decode, hotp, counterAt, nowSeconds, totp, codeNow, wrongCode, RECOVERY_RE, secretOf,
  recoveryCodesOf, sessionCookieOf, hasSessionCookie, sessionWorks, enrol, passwordStep, codeStep,
} = require('./totp-helpers');

// ---------------------------------------------------------------- tests

describe('RFC 6238 in this test', () => {
  test('the test\'s HOTP/TOTP matches the RFC\'s vectors', () => {
    // RFC 4226 appendix D and RFC 6238 appendix B (SHA-1 key "12345678901234567890").
    const key = Buffer.from('12345678901234567890', 'ascii');
    assert.deepEqual([0, 1, 2, 9].map((c) => hotp(key, c)), ['755224', '287082', '359152', '520489']);
    assert.equal(hotp(key, counterAt(59), 8), '94287082');
    assert.equal(hotp(key, counterAt(1111111109), 8), '07081804');
    assert.equal(hotp(key, counterAt(20000000000), 8), '65353130');
    // base32 round trip of the same key (RFC 4648 alphabet).
    assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), key);
  });
});

describe('two-factor sign-in', () => {
  let srv; let secret; let codes;
  const mail = a.email('editor');

  before(async () => {
    const dir = a.makeNewsroom({ demo: false });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the account page offers a fresh base32 key, and a wrong code does not turn two-factor on', async () => {
    const c = await a.signedIn(srv.url, 'editor');
    const acct = await c.get('/admin/account');
    assert.equal(acct.status, 200);
    assert.match(h.textOf(acct.body), /Two-factor sign-in is off\s*\./);
    const s = secretOf(acct.body);
    assert.match(s, /^[A-Z2-7]{32}$/, 'RFC 4648 base32 without padding');
    assert.equal(base32Decode(s).length, 20, '160-bit key');
    const uri = /otpauth:\/\/totp\/[^<\s]*/.exec(h.htmlUnescape(acct.body));
    assert.ok(uri, 'an otpauth:// URI for the app');
    assert.equal(new URL(uri[0]).searchParams.get('secret'), s);
    assert.notEqual(secretOf((await c.get('/admin/account')).body), s, 'a new key at each visit');

    const form = h.formValues(acct.body, 'enable-2fa');
    const r = await c.post('/admin/account/2fa', { ...form.values, code: wrongCode(s) });
    assert.equal(r.status, 422);
    assert.match(h.textOf(r.body), /That code does not match/);
    assert.equal(secretOf(r.body), s, 'the same key is offered again');
    assert.deepEqual(recoveryCodesOf(r.body), []);

    // Still off: the password alone signs in.
    const again = await new a.Client(srv.url).signIn(mail);
    assert.equal(again.status, 303);
    assert.ok(await sessionWorks(srv.url, sessionCookieOf(again)));
  });

  test('enrolment: the code computed from the key shown turns it on and shows ten recovery codes once', async () => {
    const c = await a.signedIn(srv.url, 'editor');
    ({ secret, codes } = await enrol(c));
    assert.equal(codes.length, 10);
    for (const code of codes) assert.match(code, RECOVERY_RE);
    assert.equal(new Set(codes).size, 10, 'all different');

    const acct = await c.get('/admin/account');
    assert.equal(acct.status, 200, 'the session that turned it on goes on working');
    const text = h.textOf(acct.body);
    assert.match(text, /Two-factor sign-in is on\s*\./);
    assert.equal(secretOf(acct.body), null, 'no key shown any more');
    assert.deepEqual(recoveryCodesOf(acct.body), [], 'recovery codes are shown only once');
    assert.doesNotMatch(acct.body, new RegExp(secret), 'the key is not shown again');
  });

  test('signing in now asks for a code, and the password alone grants no session', async () => {
    const { r, form } = await passwordStep(srv.url, mail);
    assert.equal(r.status, 200);
    assert.equal(hasSessionCookie(r), false, 'no session cookie after the password step');
    assert.ok(form, 'the code form is shown');
    assert.match(h.textOf(r.body), /Two-factor sign-in/);
    assert.equal(form.action, '/admin/sign-in/code');
    assert.match(form.values.ticket, /^\d+\.\d+\.[0-9a-f]+$/);
    assert.equal(form.values.next, '/admin/comments');
    assert.match(r.headers['cache-control'] || '', /no-store/);

    // Nothing in the newsroom opens without a session.
    const page = await h.get(srv.url, '/admin/stories');
    assert.equal(page.status, 303);
    assert.match(page.headers.location, /\/admin\/sign-in/);
    // The ticket is not a session.
    assert.equal(await sessionWorks(srv.url, form.values.ticket), false);
  });

  test('a wrong code is refused, sets no cookie, and the form is shown again', async () => {
    const { form } = await passwordStep(srv.url, mail);
    const r = await codeStep(srv.url, form, wrongCode(secret));
    assert.equal(r.status, 403);
    assert.equal(hasSessionCookie(r), false);
    assert.match(h.textOf(r.body), /That code is not right/);
    const again = h.formValues(r.body, 'code-form');
    assert.equal(again.values.ticket, form.values.ticket, 'the same ticket, to try again');
    assert.equal((await h.get(srv.url, '/admin/stories')).status, 303, 'still signed out');
  });

  test('a forged or altered ticket is refused even with the right code', async () => {
    const { form } = await passwordStep(srv.url, mail);
    const [uid, at, sig] = form.values.ticket.split('.');
    const forged = [
      `${uid}.${Number(at) + 1}.${sig}`,                                      // time changed
      `${Number(uid) + 1}.${at}.${sig}`,                                      // account changed
      `${uid}.${at}.${sig.replace(/^./, (ch) => (ch === '0' ? '1' : '0'))}`,  // signature changed
      `${uid}.${Math.floor(nowSeconds()) - 301}.${sig}`,                      // stale (and unsigned)
      '',
    ];
    for (const ticket of forged) {
      // the current step's code: the ticket is refused before any code is
      // checked, so none is spent (totp() would take a fresh step each
      // time, and wait out a 30 s window for every second ticket)
      const r = await h.postForm(srv.url, '/admin/sign-in/code', { ticket, next: '/admin/stories', code: codeNow(secret) });
      assert.equal(r.status, 403, ticket);
      assert.equal(hasSessionCookie(r), false, ticket);
      assert.match(h.textOf(r.body), /took too long/, ticket);
    }
  });

  test('the right code grants the session and goes to the page asked for', async () => {
    const { form } = await passwordStep(srv.url, mail);
    const r = await codeStep(srv.url, form, totp(secret));
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    assert.equal(h.splitLocation(r.headers.location).path, '/admin/comments');
    const cookie = sessionCookieOf(r);
    assert.match(cookie || '', /^[0-9a-f]{64}$/);
    assert.ok(await sessionWorks(srv.url, cookie));
    const acct = await h.get(srv.url, '/admin/account', { headers: { Cookie: `gz_session=${cookie}` } });
    assert.match(h.textOf(acct.body), new RegExp(mail.replace('.', '\\.')));
  });

  test('a code that was accepted once is refused after (no replay)', async () => {
    const { form } = await passwordStep(srv.url, mail);
    const code = totp(secret);
    const first = await codeStep(srv.url, form, code);
    assert.equal(first.status, 303, h.textOf(first.body).slice(0, 300));
    const again = await passwordStep(srv.url, mail);
    const second = await codeStep(srv.url, again.form, code);
    assert.equal(second.status, 403, 'the same code a second time');
    assert.equal(sessionCookieOf(second), null);
  });

  test('a recovery code signs in once and is refused the second time', async () => {
    const code = codes[0];
    const first = await passwordStep(srv.url, mail);
    const ok = await codeStep(srv.url, first.form, code);
    assert.equal(ok.status, 303, h.textOf(ok.body).slice(0, 300));
    assert.ok(await sessionWorks(srv.url, sessionCookieOf(ok)));

    const second = await passwordStep(srv.url, mail);
    const no = await codeStep(srv.url, second.form, code);
    assert.equal(no.status, 403);
    assert.equal(hasSessionCookie(no), false);
    assert.match(h.textOf(no.body), /That code is not right/);

    // Another code, typed in capitals and without dashes, still works (once).
    const other = codes[1].replace(/-/g, '').toUpperCase();
    const third = await passwordStep(srv.url, mail);
    const ok2 = await codeStep(srv.url, third.form, other);
    assert.equal(ok2.status, 303);
    assert.ok(await sessionWorks(srv.url, sessionCookieOf(ok2)));
    const fourth = await passwordStep(srv.url, mail);
    assert.equal((await codeStep(srv.url, fourth.form, codes[1])).status, 403);
  });

  test('a wrong password never reaches the code step', async () => {
    const r = await h.postForm(srv.url, '/admin/sign-in', { email: mail, password: 'not the password at all', next: '/admin/stories' });
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.body, /id="code-form"/);
    assert.doesNotMatch(r.body, /name="ticket"/);
    assert.equal(hasSessionCookie(r), false);
  });
});

describe('guessing the code', () => {
  // Its own site: failed sign-in steps are counted per account and per
  // address (127.0.0.1 for every test here), and five are free.
  let srv;
  before(async () => {
    const dir = a.makeNewsroom({ demo: false });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('malformed and wrong codes are refused without a cookie, then the code step is throttled', async () => {
    const { secret } = await enrol(await a.signedIn(srv.url, 'author'));
    const { form } = await passwordStep(srv.url, a.email('author'));
    assert.ok(form);
    for (const bad of ['', '12345', 'abcdef', `${codeNow(secret)}x`, 'zzzz-zzzz-zz']) {
      const r = await codeStep(srv.url, form, bad);
      assert.equal(r.status, 403, JSON.stringify(bad));
      assert.equal(hasSessionCookie(r), false, JSON.stringify(bad));
      assert.match(h.textOf(r.body), /That code is not right/, JSON.stringify(bad));
    }
    // After five failures even the right code waits: six digits are not
    // guessed at the speed of HTTP.
    const r = await codeStep(srv.url, form, totp(secret));
    assert.equal(r.status, 429);
    assert.match(r.headers['retry-after'] || '', /^\d+$/);
    assert.equal(hasSessionCookie(r), false);
    assert.match(h.textOf(r.body), /Too many failed sign-in attempts/);
  });
});

describe('"every account must use two-factor sign-in"', () => {
  let srv;
  before(async () => {
    const dir = a.makeNewsroom({ demo: false });
    srv = await h.startServer(dir);
  });
  after(async () => { if (srv) await srv.stop(); });

  test('the setting holds an account without two-factor at its account page until it enrols', async () => {
    const admin = await a.signedIn(srv.url, 'admin');
    const page = await admin.get('/admin/settings');
    assert.equal(page.status, 200);
    const { values, html } = h.formValues(page.body, 'settings-form');
    // Send what a browser would: unchecked boxes are left out.
    for (const t of h.findTags(html, 'input')) {
      if ((t.attrs.type || '').toLowerCase() === 'checkbox' && !('checked' in t.attrs)) delete values[t.attrs.name];
    }
    assert.equal(values.require_2fa, undefined, 'off by default');
    const saved = await admin.post('/admin/settings', { ...values, require_2fa: '1' });
    assert.equal(saved.status, 303, h.textOf(saved.body).slice(0, 300));
    assert.equal(h.splitLocation(saved.headers.location).path, '/admin/settings?msg=settings');
    // The admin who turned it on has no two-factor either: held from now on.
    const held = await admin.get('/admin/settings');
    assert.equal(held.status, 303);
    assert.equal(h.splitLocation(held.headers.location).path, '/admin/account?msg=2fa-required');

    // An author without two-factor: the password still opens a session ...
    const author = new a.Client(srv.url);
    const r = await author.signIn(a.email('author'));
    assert.equal(r.status, 303);
    // ... but every newsroom page sends it to the account page.
    for (const p of ['/admin/stories', '/admin/comments', '/admin/stories/new']) {
      const g = await author.get(p);
      assert.equal(g.status, 303, p);
      assert.equal(h.splitLocation(g.headers.location).path, '/admin/account?msg=2fa-required', p);
    }
    const acct = await author.get('/admin/account?msg=2fa-required');
    assert.equal(acct.status, 200);
    assert.match(h.textOf(acct.body), /This site requires two-factor sign-in: please turn it on below\./);
    assert.ok(secretOf(acct.body), 'with the key to enrol');
    // Writing is held too.
    const w = await author.post('/admin/stories/new/save', { title: 'Held back', body: 'x' });
    assert.equal(w.status, 303);
    assert.equal(h.splitLocation(w.headers.location).path, '/admin/account?msg=2fa-required');

    // Enrolling opens the newsroom.
    const { secret, codes } = await enrol(author);
    assert.equal(codes.length, 10);
    assert.equal((await author.get('/admin/stories')).status, 200);

    // The next sign-in asks for the code.
    const { r: pw, form } = await passwordStep(srv.url, a.email('author'));
    assert.equal(pw.status, 200);
    assert.equal(hasSessionCookie(pw), false);
    const done = await codeStep(srv.url, form, totp(secret));
    assert.equal(done.status, 303);
    assert.ok(await sessionWorks(srv.url, sessionCookieOf(done)));

    // The admin is still held until it enrols too.
    assert.equal((await admin.get('/admin/settings')).status, 303);
    await enrol(admin);
    assert.equal((await admin.get('/admin/settings')).status, 200);
  });
});
