// bench/upload.js BASE EMAIL PASSWORD FILE...: signs in to the admin at BASE
// and sends every FILE to the media library in ONE upload (the library
// takes up to 20 per request), as an editor dropping a folder of pictures
// would. Prints the seconds the server took; exits non-zero on an HTTP
// error (bench/media-load.sh counts the library's rows).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const h = require('../tests/integration/helpers');
const a = require('../tests/integration/admin-helpers');

async function main() {
  const [base, mail, password, ...files] = process.argv.slice(2);
  const c = new a.Client(base);
  const s = await c.signIn(mail, password);
  if (s.status !== 303) throw new Error(`sign-in: ${s.status}`);
  const parts = files.map((f) => ({ name: 'files', filename: path.basename(f), type: 'image/jpeg', data: fs.readFileSync(f) }));
  const t0 = process.hrtime.bigint();
  await c.get('/admin/account'); // the CSRF token
  const m = a.multipart({ gz_csrf: c.csrf }, parts);
  const r = await h.request(base, '/admin/media', { method: 'POST', body: m.body, timeout: 600000,
    headers: { ...c.headers(), 'Content-Type': m.type } });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${secs.toFixed(2)} s, HTTP ${r.status}`);
  if (r.status >= 400) throw new Error(`upload: ${r.status}`);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
