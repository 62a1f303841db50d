'use strict';
// Backups and restore (issue 17): `gazette backup` while the site serves a
// load of readers (no request fails), `gazette restore` into a new folder,
// and the restored site serving every public URL with the same bytes as the
// original (front, stories, sections, tags, authors, feeds, sitemaps,
// media, the theme override). Then what a restore must refuse before it
// writes anything (a truncated archive, one altered byte, a member outside
// the site, a link), an existing OUT, and the daily backup the scheduler
// makes (backup_dir, backup_keep) with its pruning.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const h = require('./helpers');
const { crawl } = require('./crawl');

after(() => h.cleanupSites());

const MARK = 'Restored-theme marker 5b1e';
const UNICODE = 'caf\u00e9 \u00fcber \u0686\u0627\u06cc.txt';

// ---------------------------------------------------------------- tar, by hand

// The members of a tar (ustar, or pax: an 'x' header's path= names the
// next member): [{name, type, size, dataAt}] with dataAt the data's offset.
function tarMembers(buf) {
  const out = [];
  let at = 0;
  let paxPath = null;
  while (at + 512 <= buf.length) {
    const hdr = buf.subarray(at, at + 512);
    if (hdr.every((b) => b === 0)) break;
    const str = (o, n) => hdr.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = str(156, 1) || '0';
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(buf.subarray(at + 512, at + 512 + size).toString('utf8'));
      paxPath = m ? m[1] : null;
    } else if (type !== 'g') {
      out.push({ name: paxPath || str(0, 100), type, size, dataAt: at + 512 });
      paxPath = null;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

// A ustar archive of members [{name, data, type = '0', link}].
function makeTar(members) {
  const blocks = [];
  for (const m of members) {
    const data = Buffer.from(m.data || '');
    const hdr = Buffer.alloc(512);
    hdr.write(m.name, 0, 100, 'utf8');
    hdr.write('0000644\0', 100);
    hdr.write('0000000\0', 108);
    hdr.write('0000000\0', 116);
    hdr.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    hdr.write('00000000000\0', 136);
    hdr.write('        ', 148);
    hdr.write(m.type || '0', 156);
    if (m.link) hdr.write(m.link, 157, 100);
    hdr.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const b of hdr) sum += b;
    hdr.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(hdr, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
function manifestOf(members) {
  const sorted = [...members].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return 'gazette-backup 1\n' +
    sorted.map((m) => `${Buffer.from(m.data).length} ${sha(Buffer.from(m.data))} ${m.name}\n`).join('');
}

// ---------------------------------------------------------------- the tests

const SQLITE_BACKUP = h.sqliteOnly('gazette backup copies gazette.db; it refuses a PostgreSQL site (pg_dump\'s job)');

describe('gazette backup and restore', () => {
  let site, work, archive, original, restoredDir;

  before(async () => {
    site = h.makeSite({ photos: true, conf: { backup_dir: 'backups', backup_keep: 2 } });
    work = h.tmpDir();
    archive = path.join(work, 'site.tar');
    restoredDir = path.join(work, 'restored');
    // a theme override: the restored site must serve it
    fs.mkdirSync(path.join(site, 'theme'), { recursive: true });
    const foot = fs.readFileSync(path.join(h.ROOT, 'themes', 'default', 'foot.html'), 'utf8');
    fs.writeFileSync(path.join(site, 'theme', 'foot.html'), foot.replace('</footer>', `<p>${MARK}</p>\n</footer>`));
    // a file name beyond ASCII, in a folder as an import leaves them
    fs.mkdirSync(path.join(site, 'media', '2019', '04'), { recursive: true });
    fs.writeFileSync(path.join(site, 'media', '2019', '04', UNICODE), 'caf\u00e9 bytes');
    original = await h.startServer(site);
  });
  after(async () => { if (original) await original.stop(); });

  test('the scheduler\'s thread runs at the request threads\' priority (it holds the write lock)', async () => {
    const task = `/proc/${original.proc.pid}/task`;
    const comms = () => fs.readdirSync(task).map((tid) => fs.readFileSync(`${task}/${tid}/comm`, 'utf8').trim());
    // the thread names itself once it runs (slow under a sanitizer)
    for (let i = 0; i < 100 && !comms().includes('gz-scheduler'); i++)
      await new Promise((res) => setTimeout(res, 50));
    const threads = fs.readdirSync(task).map((tid) => {
      const stat = fs.readFileSync(`${task}/${tid}/stat`, 'utf8');
      // after "(comm)": state is field 3, nice field 19
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { tid: Number(tid), comm: fs.readFileSync(`${task}/${tid}/comm`, 'utf8').trim(), nice: Number(f[16]) };
    });
    assert.equal(threads.filter((t) => t.comm === 'gz-scheduler').length, 1, JSON.stringify(threads));
    // all at the main thread's (0, or what a `nice make test` gave them),
    // save a daily backup's own thread if one is still running (slow under
    // a sanitizer), which must be the one at nice 10
    const main = threads.find((t) => t.tid === original.proc.pid).nice;
    const rest = threads.filter((t) => t.comm !== 'gz-backup');
    assert.ok(rest.length >= 3 && rest.every((t) => t.nice === main), JSON.stringify(threads));
    for (const t of threads.filter((t) => t.comm === 'gz-backup'))
      assert.equal(t.nice, Math.max(main, 10), JSON.stringify(threads));
  });

  test('a backup taken under a load of readers fails no request', SQLITE_BACKUP, async () => {
    const proc = spawn(h.GAZETTE, ['backup', '--site', site, archive], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    const exited = new Promise((res) => proc.on('exit', (code) => res(code)));
    let running = true;
    exited.then(() => { running = false; });
    const results = { ok: 0, bad: [] };
    const reader = async (p) => {
      do {
        try {
          const r = await h.get(original.url, p);
          if (r.status === 200 && r.body.length > 0) results.ok++;
          else results.bad.push(`${p}: ${r.status}`);
        } catch (e) {
          results.bad.push(`${p}: ${e.message}`);
        }
      } while (running);
    };
    const paths = [h.SEED_PATH, '/', '/sitemap.xml', '/feed'];
    await Promise.all([...Array(8)].map((_, i) => reader(paths[i % paths.length])));
    assert.equal(await exited, 0, out);
    assert.deepEqual(results.bad, []);
    assert.ok(results.ok >= 8, `${results.ok} requests`);
    assert.match(out, /^backed up .*site\.tar: \d+ files/m);
    assert.ok(!fs.existsSync(archive + '.tmp') && !fs.existsSync(archive + '.tmp.db'), 'no temporary file left');

    const members = tarMembers(fs.readFileSync(archive));
    const names = members.map((m) => m.name);
    assert.equal(names[0], 'MANIFEST');
    for (const want of ['gazette.db', 'gazette.conf', 'theme/foot.html']) assert.ok(names.includes(want), want);
    assert.ok(names.some((n) => n.startsWith('media/')) && names.some((n) => n.startsWith('media-originals/')));
    assert.ok(!names.some((n) => n.startsWith('backups')), 'the backups folder is not backed up');
    const manifest = fs.readFileSync(archive).subarray(members[0].dataAt, members[0].dataAt + members[0].size).toString();
    const lines = manifest.trim().split('\n');
    assert.equal(lines[0], 'gazette-backup 1');
    assert.deepEqual(lines.slice(1).map((l) => l.split(' ').slice(2).join(' ')), names.slice(1));
    const conf = fs.readFileSync(path.join(site, 'gazette.conf'));
    assert.ok(lines.includes(`${conf.length} ${sha(conf)} gazette.conf`), 'gazette.conf size and sum');
  });

  test('an existing OUT is refused and left as it was', SQLITE_BACKUP, () => {
    const before = fs.readFileSync(archive);
    const r = h.gzRun(['backup', '--site', site, archive]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exists already: not replaced/);
    assert.ok(fs.readFileSync(archive).equals(before));
    // an OUT inside a folder it backs up does not take itself in
    const inside = path.join(site, 'media', 'self.tar');
    const r2 = h.gzRun(['backup', '--site', site, inside]);
    try {
      assert.equal(r2.status, 0, r2.stderr);
      assert.ok(!tarMembers(fs.readFileSync(inside)).some((m) => m.name.includes('self.tar')));
    } finally {
      fs.rmSync(inside, { force: true });
    }
  });

  test('the restored site serves every public URL with the same bytes', SQLITE_BACKUP, async () => {
    const r = h.gzRun(['restore', archive, '--site', restoredDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^restored .*restored: \d+ files/m);
    assert.deepEqual(fs.readdirSync(work).sort(), ['restored', 'site.tar'], 'no temporary sibling left');
    // the daily backup's pruning, on the restored site's first scheduler run:
    // three older archives and a file that is not one of them
    const bdir = path.join(restoredDir, 'backups');
    fs.mkdirSync(bdir);
    for (const d of ['2020-01-01', '2020-01-02', '2020-01-03']) fs.writeFileSync(path.join(bdir, `gazette-${d}.tar`), 'old');
    fs.writeFileSync(path.join(bdir, 'notes.txt'), 'keep me');
    const restored = await h.startServer(restoredDir);
    try {
      const { fetched, kinds, diffs } = await crawl(original.url, restored.url, 400);
      assert.deepEqual(diffs, [], 'URLs whose bytes differ');
      for (const k of ['front', 'media', 'section', 'tag', 'author', 'sitemap.xml', 'feed'])
        assert.ok([...kinds].some((x) => x.startsWith(k)), `crawled a ${k} URL (${[...kinds].join(' ')})`);
      assert.ok(fetched >= 50, `${fetched} URLs compared`);
      const uni = path.join('media', '2019', '04', UNICODE);
      assert.equal(fs.readFileSync(path.join(restoredDir, uni), 'utf8'), 'caf\u00e9 bytes');
      const front = await h.get(restored.url, '/');
      assert.ok(front.body.includes(MARK), 'the theme override came back');

      // scheduled: today's archive written, the newest two daily archives kept
      const today = new Date().toISOString().slice(0, 10);
      const deadline = Date.now() + 20000;
      while (!restored.output().includes('scheduler: backup') && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 100));
      // on its own thread at nice 10, as the kernel reports it (getpriority)
      assert.match(restored.output(), new RegExp(`scheduler: backup \\S*gazette-${today}\\.tar written \\(at nice 10\\)`));
      assert.deepEqual(fs.readdirSync(bdir).sort(), [`gazette-2020-01-03.tar`, `gazette-${today}.tar`, 'notes.txt']);
      // and it is a whole archive
      const again = path.join(work, 'from-daily');
      const rr = h.gzRun(['restore', path.join(bdir, `gazette-${today}.tar`), '--site', again]);
      assert.equal(rr.status, 0, rr.stderr);
      assert.ok(fs.readFileSync(path.join(again, 'theme', 'foot.html'), 'utf8').includes(MARK));
      assert.equal(fs.readFileSync(path.join(again, uni), 'utf8'), 'caf\u00e9 bytes');
    } finally {
      await restored.stop();
    }
  });

  test('a large archive goes to the disk in 8 MB steps, in 64 kB writes', SQLITE_BACKUP, () => {
    // 20 MB of media: without the steady writing the kernel holds it all
    // dirty and writes it in bursts that stall the site's own commits
    const big = path.join(site, 'media', 'big.bin');
    fs.writeFileSync(big, crypto.randomBytes(20 << 20));
    const out = path.join(work, 'big.tar');
    const trace = path.join(work, 'big.strace');
    try {
      const r = require('node:child_process').spawnSync('strace',
        ['-f', '-e', 'trace=sync_file_range,write,fsync,fdatasync', '-o', trace, h.GAZETTE, 'backup', '--site', site, out],
        // LeakSanitizer's exit check ptraces the process, which strace already does
        { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: `${process.env.ASAN_OPTIONS || ''}:detect_leaks=0` } });
      assert.equal(r.status, 0, r.stderr);
      const log = fs.readFileSync(trace, 'utf8');
      const starts = log.match(/sync_file_range\(\d+, \d+, \d+, SYNC_FILE_RANGE_WRITE\)/g) || [];
      const waits = log.match(/SYNC_FILE_RANGE_WAIT_BEFORE\|SYNC_FILE_RANGE_WRITE\|SYNC_FILE_RANGE_WAIT_AFTER/g) || [];
      assert.ok(starts.length >= 2 && waits.length >= 1, `${starts.length} starts, ${waits.length} waits`);
      const sizes = [...log.matchAll(/write\(\d+, .*\) = (\d+)$/gm)].map((m) => Number(m[1]));
      assert.ok(sizes.filter((n) => n === 65536).length >= 300, 'the archive written 64 kB at a time');
      assert.ok(!sizes.includes(10240), 'not libarchive\'s 10 kB blocks');
      // the archive and its folder are synced; the database copy, removed
      // after, is not (its fsync was one burst the size of the database)
      assert.equal((log.match(/ f(data)?sync\(/g) || []).length, 2, 'two syncs');
      const members = tarMembers(fs.readFileSync(out));
      const m = members.find((x) => x.name === 'media/big.bin');
      assert.ok(m && m.size === 20 << 20);
      assert.ok(fs.readFileSync(out).subarray(m.dataAt, m.dataAt + m.size).equals(fs.readFileSync(big)));
    } finally {
      fs.rmSync(big, { force: true });
      fs.rmSync(out, { force: true });
    }
  });

  test('usage: --help, the command list, missing operands', () => {
    assert.match(h.gzRun(['--help']).stdout, /backup\s+write the site to a checked tar archive/);
    assert.match(h.gzRun(['--help']).stdout, /restore\s+check a backup archive/);
    const b = h.gzRun(['backup', '--help']);
    assert.equal(b.status, 0);
    assert.match(b.stdout, /usage: gazette backup --site DIR OUT\.tar/);
    const r = h.gzRun(['restore', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /usage: gazette restore ARCHIVE\.tar --site NEWDIR/);
    assert.equal(h.gzRun(['backup', '--site', site]).status, 2);
    assert.equal(h.gzRun(['restore', archive]).status, 2);
    const none = h.gzRun(['backup', '--site', path.join(work, 'nosite'), path.join(work, 'x.tar')]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no site database/);
    assert.ok(!fs.existsSync(path.join(work, 'x.tar')));
  });

  test('backup_dir may not be a folder the site serves or backs up', () => {
    for (const bad of ['media/backups', './theme', '././media', 'x//media', '../elsewhere']) {
      const dir = h.makeSite({ demo: false, conf: { backup_dir: bad } });
      const r = h.gzRun(['serve', '--site', dir, '--listen', '127.0.0.1:1'], { timeout: 10000 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /gazette\.conf:\d+: backup_dir/);
    }
  });

  // A restored gazette.conf names no file outside the site for the server
  // to open as root before it confines itself.
  test('access_log and smtp_password_file stay inside the site folder', () => {
    for (const [key, bad] of [['access_log', '/etc/cron.d/x'], ['access_log', 'logs/../../x'],
                              ['smtp_password_file', '/etc/shadow']]) {
      const dir = h.makeSite({ demo: false, conf: { [key]: bad } });
      const r = h.gzRun(['serve', '--site', dir, '--listen', '127.0.0.1:1'], { timeout: 10000 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`gazette\\.conf:\\d+: ${key}`));
    }
  });

  // A restore that must be refused: the message names the member, and the
  // target folder is not made (nor a temporary sibling left).
  function refused(file, re) {
    const parent = h.tmpDir();
    const target = path.join(parent, 'newsite');
    const r = h.gzRun(['restore', file, '--site', target]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, re);
    assert.ok(!fs.existsSync(target), 'NEWDIR was created');
    assert.deepEqual(fs.readdirSync(parent), [], 'something was written beside NEWDIR');
    return r.stderr;
  }

  test('a truncated archive is refused with the member it ends in', SQLITE_BACKUP, () => {
    const buf = fs.readFileSync(archive);
    const members = tarMembers(buf);
    const cut = members.find((m) => m.name.startsWith('media/') && m.size > 2000);
    const file = path.join(work, 'truncated.tar');
    fs.writeFileSync(file, buf.subarray(0, cut.dataAt + 1000));
    refused(file, new RegExp(`^gazette restore: ${cut.name.replace(/\./g, '\\.')}: truncated`, 'm'));
    // cut at a member's start: the missing member is named
    const next = members[members.indexOf(cut) + 1];
    fs.writeFileSync(file, buf.subarray(0, next.dataAt - 512));
    refused(file, new RegExp(`^gazette restore: ${next.name.replace(/\./g, '\\.')}: missing`, 'm'));
  });

  test('one altered byte is refused with its member', SQLITE_BACKUP, () => {
    const buf = Buffer.from(fs.readFileSync(archive));
    const m = tarMembers(buf).find((x) => x.name.startsWith('media-originals/'));
    buf[m.dataAt + Math.floor(m.size / 2)] ^= 0x01;
    const file = path.join(work, 'altered.tar');
    fs.writeFileSync(file, buf);
    refused(file, new RegExp(`${m.name.replace(/\./g, '\\.')}: its SHA-256 sum differs`));
    // and in the manifest itself: a sum changed to match an altered file
    const db = Buffer.from('not the database');
    const ok = [{ name: 'gazette.db', data: db }];
    fs.writeFileSync(file, makeTar([{ name: 'MANIFEST', data: manifestOf(ok).replace(sha(db), sha(Buffer.from('x'))) }, ...ok]));
    refused(file, /gazette\.db: its SHA-256 sum differs/);
  });

  test('members outside the site, links and strays are refused before anything is written', () => {
    const file = path.join(work, 'crafted.tar');
    const db = { name: 'gazette.db', data: 'db' };
    // a manifest naming a path outside the site, sums all correct
    const evil = { name: '../evil.txt', data: 'gotcha' };
    fs.writeFileSync(file, makeTar([{ name: 'MANIFEST', data: manifestOf([db, evil]) }, evil, db]));
    refused(file, /MANIFEST: line \d: \.\.\/evil\.txt: not a path inside the site's folders/);
    assert.ok(!fs.existsSync(path.join(work, '..', 'evil.txt')));
    const abs = { name: '/tmp/evil.txt', data: 'gotcha' };
    fs.writeFileSync(file, makeTar([{ name: 'MANIFEST', data: manifestOf([db, abs]) }, abs, db]));
    refused(file, /\/tmp\/evil\.txt: not a path inside/);
    // a member the manifest does not name
    const ok = [db, { name: 'media/a.jpg', data: 'jpeg' }];
    fs.writeFileSync(file, makeTar([{ name: 'MANIFEST', data: manifestOf(ok) }, db, { name: 'media/../../evil', data: 'jpeg' }]));
    refused(file, /media\/\.\.\/\.\.\/evil: not the member the manifest names next \(media\/a\.jpg\)/);
    // a symbolic link where the manifest has a file
    fs.writeFileSync(file, makeTar([{ name: 'MANIFEST', data: manifestOf(ok) }, db, { name: 'media/a.jpg', type: '2', link: '/etc/passwd' }]));
    refused(file, /media\/a\.jpg: not a regular file/);
    // an extra member after the manifest's last
    fs.writeFileSync(file, makeTar([{ name: 'MANIFEST', data: manifestOf(ok) }, ...ok, { name: 'theme/x.html', data: 'x' }]));
    refused(file, /theme\/x\.html: not in the manifest/);
    // no manifest first: not a Gazette backup
    fs.writeFileSync(file, makeTar(ok));
    refused(file, /MANIFEST: the first member is not the manifest/);
    // a folder that is not empty is refused too, and left alone
    const full = h.tmpDir();
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const r = h.gzRun(['restore', archive, '--site', full]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is not an empty folder/);
    assert.deepEqual(fs.readdirSync(full), ['keep.txt']);
  });
});
