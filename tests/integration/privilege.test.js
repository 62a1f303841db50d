'use strict';
// Privilege: started as root, `gazette serve` binds, confines itself to the
// site folder (chroot), runs as the site's `user` (default nobody) with
// no_new_privs and a seccomp filter, and refuses to serve as root otherwise.
// Skipped when the tests do not run as root.
const { describe, test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./helpers');

const isRoot = process.getuid && process.getuid() === 0;
after(() => h.cleanupSites());

function status(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (k) => (new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(s) || [])[1];
  return { uid: field('Uid'), gid: field('Gid'), seccomp: field('Seccomp'), nnp: field('NoNewPrivs') };
}

describe('privilege drop', { skip: !isRoot && 'needs root' }, () => {
  test('as root: runs as nobody inside the site folder, with seccomp and no_new_privs', async () => {
    const dir = h.makeSite({ demo: true });
    fs.chmodSync(path.dirname(dir), 0o700); // a parent nobody cannot enter
    const srv = await h.startServer(dir);
    try {
      assert.equal((await h.get(srv.url, h.SEED_PATH)).status, 200, 'serves the story');
      const st = status(srv.proc.pid);
      assert.equal(st.seccomp, '2', 'seccomp filter mode');
      assert.equal(st.nnp, '1', 'no_new_privs');
      if (/sanitizer build: not switching/.test(srv.output())) return; // see sandbox.c
      const nobody = execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim();
      assert.deepEqual(st.uid.split(/\s+/), [nobody, nobody, nobody, nobody], `uid ${st.uid}`);
      assert.ok(!st.gid.split(/\s+/).includes('0'), `gid ${st.gid}`);
      assert.equal(fs.readlinkSync(`/proc/${srv.proc.pid}/root`), fs.realpathSync(dir), 'chrooted into the site');
      if (h.siteDb(dir).sqlite) { // (PostgreSQL's data is its server's)
        assert.equal(fs.statSync(path.join(dir, 'gazette.db')).uid, Number(nobody), 'the database belongs to the user');
      }
      assert.equal(fs.statSync(path.join(dir, 'gazette.conf')).uid, 0, 'the settings stay root\'s');
      // It can still write: a comment is stored.
      const hid = h.hiddenFields((await h.get(srv.url, h.SEED_PATH)).body);
      await new Promise((r) => setTimeout(r, 2100)); // comment_min_seconds
      const r = await h.postForm(srv.url, '/comments', { ...hid, gz_website: '', comment: 'Written as nobody',
        author: 'Priv Tester', email: 'priv@example.com' });
      assert.equal(r.status, 303);
    } finally {
      await srv.stop();
    }
  });

  for (const [user, why] of [['root', 'a root account'], ['no-such-user-gz', 'does not exist']]) {
    test(`refuses to serve as root with user = ${user}`, () => {
      const dir = h.makeSite({ demo: true, conf: { user } });
      const r = h.gzRun(['serve', '--site', dir, '--listen', '127.0.0.1:1'], { timeout: 10000 });
      assert.equal(r.status, 1, `exit status (stderr: ${r.stderr})`);
      assert.match(r.stderr, /refusing to serve as root/);
      assert.ok(r.stderr.includes(why), r.stderr);
    });
  }
});
