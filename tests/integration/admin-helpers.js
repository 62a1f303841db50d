'use strict';
// Helpers for the newsroom's tests: a site with one account per role, and a
// signed-in client that keeps its session cookie and fills in the CSRF token.
const zlib = require('node:zlib');
const h = require('./helpers');

const PASSWORD = 'correct horse battery staple';
const ROLES = ['contributor', 'author', 'editor', 'admin'];

function email(role) { return `${role}@newsroom.test`; }
function userName(role) { return `Test ${role[0].toUpperCase()}${role.slice(1)}`; }

// A demo site (with its photos when photos is true: see makeSite) plus
// accounts admin/editor/author/contributor (password PASSWORD).
function makeNewsroom({ conf = {}, demo = true, photos = false, store } = {}) {
  // the users made once per run, in the newsroom's template (helpers.js)
  const users = (dir) => {
    for (const role of ROLES) {
      h.gz(['user', 'add', '--site', dir, '--role', role, '--email', email(role), userName(role)],
        { input: PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
    }
  };
  return h.makeSite({ demo, photos, conf: { comment_min_seconds: 0, comment_rate_per_minute: 1000, ...conf },
    then: { name: 'newsroom', make: users }, store });
}

function cookieOf(res) {
  const set = [].concat(res.headers['set-cookie'] || []);
  for (const c of set) {
    const m = /^gz_session=([^;]*)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

function csrfOf(html) {
  const m = /name="gz_csrf" value="([0-9a-f]{64})"/.exec(html);
  return m ? m[1] : null;
}

class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; }
  headers(extra = {}) {
    return this.cookie ? { Cookie: `gz_session=${this.cookie}`, ...extra } : { ...extra };
  }
  async signIn(mail, password = PASSWORD, extraHeaders = {}) {
    const r = await h.postForm(this.base, '/admin/sign-in', { email: mail, password, next: '/admin/stories' },
      { headers: this.headers(extraHeaders) });
    const c = cookieOf(r);
    if (c) this.cookie = c;
    return r;
  }
  async get(path, headers = {}) {
    const r = await h.get(this.base, path, { headers: this.headers(headers) });
    const t = csrfOf(r.body);
    if (t) this.csrf = t;
    const c = cookieOf(r);
    if (c !== null) this.cookie = c;
    return r;
  }
  // POSTs fields with the session's CSRF token (fetched once from /admin/account).
  async post(path, fields = {}, { csrf = true, headers = {} } = {}) {
    if (csrf && !this.csrf) await this.get('/admin/account');
    const body = csrf ? { gz_csrf: this.csrf, ...fields } : fields;
    const r = await h.postForm(this.base, path, body, { headers: this.headers(headers) });
    const c = cookieOf(r);
    if (c !== null) this.cookie = c;
    return r;
  }
}

async function signedIn(base, role) {
  const c = new Client(base);
  const r = await c.signIn(email(role));
  if (r.status !== 303) throw new Error(`sign-in as ${role}: ${r.status} ${h.textOf(r.body).slice(0, 200)}`);
  await c.get('/admin/account');
  return c;
}

// Creates a story through the editor; returns its id. action: save|submit|publish.
async function writeStory(client, fields, action = 'publish') {
  const r = await client.post(`/admin/stories/new/${action}`, { comments_open: '1', ...fields });
  const m = /^\/admin\/stories\/(\d+)\?msg=/.exec(r.headers.location || '');
  if (r.status !== 303 || !m) throw new Error(`write story: ${r.status} ${h.textOf(r.body).slice(0, 300)}`);
  return Number(m[1]);
}

// The editor's form values for a story (version, slug ...), as a browser
// sends them untouched: "Mark as updated" starts unticked, so it is left out.
async function editorValues(client, id) {
  const r = await client.get(`/admin/stories/${id}`);
  if (r.status !== 200) throw new Error(`editor ${id}: ${r.status}`);
  const { mark_updated: _unticked, ...values } = h.formValues(r.body, 'editor').values;
  return values;
}

// The public path of a published story, from its editor page.
async function publicPath(client, id) {
  const r = await client.get(`/admin/stories/${id}`);
  const link = h.findTags(r.body, 'a').find((t) => t.attrs.id === 'public-url');
  return link ? link.attrs.href : null;
}

// ---- featured images: a real PNG, and multipart/form-data as a browser sends it

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (~c) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
// A valid PNG of w x h opaque red pixels.
function png(w, h2) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h2, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([255, 0, 0]))]);
  const raw = Buffer.concat(Array.from({ length: h2 }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// multipart/form-data as a browser sends it.
function multipart(fields, files) {
  const boundary = '----gazetteTest' + Math.random().toString(16).slice(2);
  const parts = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

// POSTs fields and files as multipart/form-data with the session's CSRF token.
async function postMultipart(client, p, fields, files) {
  if (!client.csrf) await client.get('/admin/account');
  const m = multipart({ gz_csrf: client.csrf, ...fields }, files);
  return h.request(client.base, p, { method: 'POST', body: m.body,
    headers: { ...client.headers(), 'Content-Type': m.type } });
}

module.exports = { PASSWORD, ROLES, email, userName, makeNewsroom, Client, signedIn, cookieOf, csrfOf,
  writeStory, editorValues, publicPath, png, multipart, postMultipart };
