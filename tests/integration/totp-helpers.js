'use strict';
// Two-factor sign-in for the tests: RFC 4648 base32 and RFC 6238 TOTP
// computed by the test itself, and the account page's and sign-in form's
// steps (admin-2fa.test.js, signin-throttle.test.js).
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('./helpers');
const a = require('./admin-helpers');

// ---------------------------------------------------------------- RFC 4648 base32, RFC 6238 TOTP

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(s) {
  const clean = String(s).replace(/[\s=-]/g, '').toUpperCase();
  let acc = 0;
  let bits = 0;
  const out = [];
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key, counter, digits = 6, algo = 'sha1') {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algo, key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

const STEP = 30;
function counterAt(unixSeconds) { return Math.floor(unixSeconds / STEP); }
function nowSeconds() { return Date.now() / 1000; }

// A code an authenticator app would give now for a base32 secret. The
// server accepts each time step once (RFC 6238 section 5.2) and allows one
// step of drift, so like a person who signs in twice within 30 s this takes
// the next step when the current one was used, and waits when both were.
const lastStep = new Map();
function totp(secretB32) {
  for (;;) {
    const now = counterAt(nowSeconds());
    const step = Math.max(now, (lastStep.get(secretB32) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(secretB32, step);
      return hotp(base32Decode(secretB32), step);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}
// The code of the current step, whether or not it was used already.
function codeNow(secretB32) {
  return hotp(base32Decode(secretB32), counterAt(nowSeconds()));
}

// A 6-digit code that is not valid now, nor in the steps around now (the
// server allows one step of drift; two are excluded here for a slow run).
function wrongCode(secretB32) {
  const key = base32Decode(secretB32);
  const c = counterAt(nowSeconds());
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => hotp(key, c + d)));
  for (let n = 0; ; n++) {
    const s = String((123456 + n * 7919) % 1e6).padStart(6, '0');
    if (!valid.has(s)) return s;
  }
}

// ---------------------------------------------------------------- page helpers

const RECOVERY_RE = /^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{2}$/;

function secretOf(html) {
  const m = /<code id="totp-secret">([^<]*)<\/code>/.exec(html);
  return m ? h.htmlUnescape(m[1]) : null;
}

function recoveryCodesOf(html) {
  const list = h.findElement(html, 'ul', (at) => at.id === 'recovery-codes');
  if (list == null) return [];
  return [...list.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => h.htmlUnescape(m[1]));
}

function sessionCookieOf(res) {
  return a.cookieOf(res);
}

function hasSessionCookie(res) {
  return [].concat(res.headers['set-cookie'] || []).some((c) => /^gz_session=[^;]+/.test(c));
}

// Is `cookie` a session that opens a newsroom page?
async function sessionWorks(base, cookie) {
  if (!cookie) return false;
  const r = await h.get(base, '/admin/stories', { headers: { Cookie: `gz_session=${cookie}` } });
  return r.status === 200;
}

// Turns two-factor sign-in on for a signed-in client, through the account
// page's form. Returns {secret, codes, page}.
async function enrol(client) {
  const acct = await client.get('/admin/account');
  assert.equal(acct.status, 200);
  const secret = secretOf(acct.body);
  assert.ok(secret, 'the account page shows a key');
  const form = h.formValues(acct.body, 'enable-2fa');
  assert.equal(form.action, '/admin/account/2fa');
  assert.equal(form.values.action, 'enable');
  assert.equal(form.values.secret, secret, 'the form carries the key shown');
  const r = await client.post('/admin/account/2fa', { ...form.values, code: totp(secret) });
  assert.equal(r.status, 200, h.textOf(r.body).slice(0, 300));
  return { secret, codes: recoveryCodesOf(r.body), page: r.body };
}

// The password step for an account with two-factor sign-in: returns the
// response and the code form's fields (ticket, next).
async function passwordStep(base, mail) {
  const r = await h.postForm(base, '/admin/sign-in', { email: mail, password: a.PASSWORD, next: '/admin/comments' });
  const form = r.status === 200 && /id="code-form"/.test(r.body) ? h.formValues(r.body, 'code-form') : null;
  return { r, form };
}

function codeStep(base, form, code) {
  return h.postForm(base, form.action, { ...form.values, code });
}

module.exports = {
  base32Decode, hotp, counterAt, nowSeconds, totp, codeNow, wrongCode, RECOVERY_RE, secretOf,
  recoveryCodesOf, sessionCookieOf, hasSessionCookie, sessionWorks, enrol, passwordStep, codeStep,
};
