'use strict';
// `gazette copy` (issue 16): a SQLite newsroom (the demo, accounts of every
// role, a reader's approved comment, a slug change's redirect, an uploaded
// picture) copied into an empty PostgreSQL database. Every table's rows are
// counted on both sides and printed; the SQLite files are left as they
// were; the copy, served from PostgreSQL, answers every public URL with the
// same bytes as the SQLite site (crawl.js); the old passwords sign in; new
// rows take ids past the copied ones (the identity sequences); a second
// copy into the same database is refused and changes nothing; --switch
// points the site's gazette.conf at the database.
const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync, execFileSync } = require('node:child_process');
const h = require('./helpers');
const a = require('./admin-helpers');
const { crawl } = require('./crawl');
const { startPostgres } = require('./pg-helpers');

const sha = (f) => (fs.existsSync(f) ? crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') : 'none');
// the SQLite site's files: the database and the conf, and what its WAL
// holds (a reader may leave an empty one: no page in it)
const walSize = (dir) => { try { return fs.statSync(path.join(dir, 'gazette.db-wal')).size; } catch { return 0; } };
const siteFiles = (dir) => [...['gazette.db', 'gazette.conf'].map((f) => sha(path.join(dir, f))), walSize(dir)];

// `gazette copy`'s table of counts: { table: [sqlite, postgresql] }
function countsOf(out) {
  const rows = {};
  for (const m of out.matchAll(/^([a-z0-9_]+) +(\d+) +(\d+)$/gm)) rows[m[1]] = [Number(m[2]), Number(m[3])];
  return rows;
}

describe('gazette copy: a SQLite site into PostgreSQL', () => {
  let pg, url, site, lite, copy, copyDir, picture, oldPath, newPath, comment;

  before(async () => {
    pg = await startPostgres();
    url = pg.createDb('copy');
    site = a.makeNewsroom({ photos: true, store: 'sqlite' }); // a SQLite site whatever STORE says
    lite = await h.startServer(site);
    const ed = await a.signedIn(lite.url, 'editor');
    // an uploaded picture
    const up = await a.postMultipart(ed, '/admin/media', {},
      [{ name: 'files', filename: 'copied-picture.png', type: 'image/png', data: a.png(48, 32) }]);
    assert.equal(up.status, 200, h.textOf(up.body).slice(0, 300));
    // a redirect: a published story's slug changed
    const id = await a.writeStory(ed, { title: 'Ferries before the copy', body: 'Ferries run again.' });
    oldPath = await a.publicPath(ed, id);
    const v = await a.editorValues(ed, id);
    const r = await ed.post(`/admin/stories/${id}/publish`, { ...v, slug: 'ferries-copied' });
    assert.equal(r.status, 303);
    newPath = await a.publicPath(ed, id);
    // a reader's comment, approved
    comment = `Copied along with the site ${Date.now()}`;
    const hid = await h.freshHidden(lite.url);
    const c = await h.postForm(lite.url, '/comments', {
      ...hid, gz_website: '', comment, author: 'Copy Reader', email: 'copy@example.com', url: '',
    });
    assert.equal(c.status, 303, h.textOf(c.body).slice(0, 300));
    const held = h.listComments(site, 'pending').find((x) => x.author === 'Copy Reader');
    h.approve(site, held.id);
    const hash = spawnSync('sqlite3', [path.join(site, 'gazette.db'),
      "SELECT hash FROM media WHERE name = 'copied-picture.png'"], { encoding: 'utf8' }).stdout.trim();
    assert.match(hash, /^[0-9a-f]{8,}/);
    const media = await ed.get('/admin/media');
    picture = h.findTags(media.body, 'img').map((t) => t.attrs.src).find((s) => (s || '').includes(hash));
    assert.ok(picture, 'the picture in the media library');
  });
  after(async () => {
    for (const s of [lite, copy]) if (s) await s.stop();
    if (pg) pg.stop();
    h.cleanupSites();
  });

  test('copies every table in one go, counts both sides, leaves the SQLite site as it was', async () => {
    await lite.stop(); // the files are compared before and after
    const before = siteFiles(site);
    const r = h.gzRun(['copy', '--from', site, '--to', url]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(siteFiles(site), before, 'gazette.db and gazette.conf unchanged');
    lite = await h.startServer(site);

    const counts = countsOf(r.stdout);
    const tables = pg.psql('copy', "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace" +
      " AND relkind = 'r' AND relname <> 'schema_version' ORDER BY 1").trim().split('\n');
    assert.ok(tables.length > 30, tables.join(' '));
    assert.deepEqual(Object.keys(counts).sort(), tables, 'a line for every table');
    for (const t of tables) {
      const [l, p] = counts[t];
      assert.equal(p, l, `${t}: ${l} in SQLite, ${p} printed for PostgreSQL`);
      assert.equal(Number(pg.psql('copy', `SELECT count(*) FROM "${t}"`).trim()), l, `${t} in PostgreSQL`);
    }
    for (const t of ['stories', 'revisions', 'comments', 'users', 'sessions', 'media', 'redirects', 'settings',
      'sections', 'tags', 'story_fts', 'changes']) {
      assert.ok(counts[t], `${t} copied`);
      assert.ok(counts[t][0] > 0, `${t} has rows to copy`);
    }
    assert.ok(counts.users[0] >= 4, 'the four accounts');
    assert.match(r.stdout, /every table's count matches/);
    assert.ok(r.stdout.includes(`\n  db = ${url}\n`), 'the line to add to gazette.conf');
    assert.doesNotMatch(fs.readFileSync(path.join(site, 'gazette.conf'), 'utf8'), /^[ \t]*db[ \t]*=[ \t]*\S/m, 'no database named without --switch');
  });

  test('served from PostgreSQL, every public URL answers the same bytes as the SQLite site', async () => {
    copyDir = path.join(h.tmpDir(), 'on-pg');
    fs.mkdirSync(copyDir);
    for (const d of ['media', 'media-originals']) {
      if (fs.existsSync(path.join(site, d))) fs.cpSync(path.join(site, d), path.join(copyDir, d), { recursive: true });
    }
    fs.writeFileSync(path.join(copyDir, 'gazette.conf'),
      fs.readFileSync(path.join(site, 'gazette.conf'), 'utf8').replace(/^db *=.*$/m, `db = ${url}`));
    copy = await h.startServer(copyDir);
    const { fetched, kinds, diffs } = await crawl(lite.url, copy.url, 400);
    assert.deepEqual(diffs, [], 'bytes that differ');
    assert.ok(fetched > 40, `${fetched} URLs`);
    for (const k of ['front', '2024', 'section', 'tag', 'author', 'media', 'feed', 'sitemap.xml']) {
      assert.ok(kinds.has(k), `a ${k} page crawled (${[...kinds].join(' ')})`);
    }
    // what the crawl may not reach: the comment, the redirect, the picture
    const story = await h.get(copy.url, h.SEED_PATH);
    assert.ok(h.textOf(story.body).includes(comment), 'the approved comment on its story');
    const old = await h.get(copy.url, oldPath);
    assert.equal(old.status, 301);
    assert.equal(h.splitLocation(old.headers.location).pathname, newPath);
    const [pa, pb] = [await h.get(lite.url, picture), await h.get(copy.url, picture)];
    assert.equal(pb.status, 200, picture);
    assert.ok(pb.raw.equals(pa.raw), 'the picture');
  });

  test('the old passwords sign in on the copy, and new rows take ids past the copied ones', async () => {
    const c = new a.Client(copy.url);
    assert.notEqual((await c.signIn(a.email('admin'), 'not the password')).status, 303);
    const r = await c.signIn(a.email('admin'));
    assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
    await c.get('/admin/account');
    const maxId = Number(pg.psql('copy', 'SELECT max(id) FROM stories').trim());
    const id = await a.writeStory(c, { title: 'Written after the copy', body: 'A new row.' });
    assert.ok(id > maxId, `story ${id} after ${maxId}`);
    const p = await a.publicPath(c, id);
    assert.equal((await h.get(copy.url, p)).status, 200);
    // the copied search index finds the copied stories and the new one
    const s = await h.get(copy.url, `/search?q=${encodeURIComponent('Ferries')}`);
    assert.ok(h.textOf(s.body).includes('Ferries before the copy'), 'a copied story found by search');
  });

  test('a second copy into the same database is refused and changes nothing', () => {
    const stories = pg.psql('copy', 'SELECT count(*), max(id) FROM stories').trim();
    const r = h.gzRun(['copy', '--from', site, '--to', url]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the target database is not empty .*nothing was changed/);
    assert.equal(pg.psql('copy', 'SELECT count(*), max(id) FROM stories').trim(), stories);
    const bad = h.gzRun(['copy', '--from', site, '--to', 'mysql://x']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /postgresql:\/\//);
    const none = h.gzRun(['copy', '--from', path.join(h.tmpDir(), 'nothing'), '--to', url]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no site database/);
  });

  test('--switch writes db = URL into the site\'s gazette.conf, and the site serves from PostgreSQL', async () => {
    const url2 = pg.createDb('switched');
    await lite.stop();
    lite = null;
    const confPath = path.join(site, 'gazette.conf');
    const st0 = fs.statSync(confPath);
    assert.equal(st0.mode & 0o777, 0o640, 'init writes the conf 0640');
    const r = h.gzRun(['copy', '--from', site, '--to', url2, '--switch']);
    assert.equal(r.status, 0, r.stderr);
    // the rewritten conf (a password in its db line) keeps the mode and owner
    const st1 = fs.statSync(confPath);
    assert.deepEqual([st1.mode & 0o777, st1.uid, st1.gid], [0o640, st0.uid, st0.gid]);
    const conf = fs.readFileSync(confPath, 'utf8').split('\n');
    assert.deepEqual(conf.filter((l) => /^\s*db\s*=/.test(l)), [`db = ${url2}`]);
    const again = h.gzRun(['copy', '--from', site, '--to', url2]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already served from PostgreSQL/);
    lite = await h.startServer(site);
    const c = await a.signedIn(lite.url, 'author');
    const before = Number(pg.psql('switched', 'SELECT count(*) FROM stories').trim());
    await a.writeStory(c, { title: 'Written on the switched site', body: 'Kept in PostgreSQL.' });
    assert.equal(Number(pg.psql('switched', 'SELECT count(*) FROM stories').trim()), before + 1);
  });
});

// Every table's rows, each value as text (null apart from ''), a blob or
// bytea as 'x' and its hex, SQLite's by the type it stored, PostgreSQL's by
// its column's (a boolean as 0/1): { table: [row, ...] }, the rows sorted.
// story_fts is left out (rebuilt, not copied), as are tsvector columns.
function everyField(pg, db, file) {
  const cols = {};
  const list = pg.psql(db, "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)" +
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace" +
    " AND c.relkind = 'r' AND c.relname NOT IN ('schema_version', 'story_fts') AND a.attnum > 0" +
    " AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY c.relname, a.attnum").trim().split('\n');
  for (const line of list) {
    const [t, c, type] = line.split('|');
    if (type !== 'tsvector') (cols[t] = cols[t] || []).push([c, type]);
  }
  const norm = (rows) => rows.map((r) => r.map((v) => (v === null ? null : String(v))))
    .map((r) => JSON.stringify(r)).sort();
  const lite = {}, post = {};
  for (const [t, cs] of Object.entries(cols)) {
    // a real with all 17 digits (json_array writes 15)
    const l = cs.map(([c]) => `CASE typeof("${c}") WHEN 'blob' THEN 'x' || lower(hex("${c}"))` +
      ` WHEN 'real' THEN json(printf('%!.17g', "${c}")) ELSE "${c}" END`);
    const p = cs.map(([c, type]) => (type === 'bytea' ? `'x' || encode("${c}", 'hex')`
      : type === 'boolean' ? `"${c}"::int` : `"${c}"`));
    lite[t] = norm(JSON.parse(execFileSync('sqlite3', [file, `SELECT json_group_array(json_array(${l.join(', ')})) FROM "${t}"`],
      { encoding: 'utf8', maxBuffer: 256 << 20 })));
    post[t] = norm(JSON.parse(pg.psql(db, `SELECT COALESCE(json_agg(json_build_array(${p.join(', ')})), '[]') FROM "${t}"`)));
  }
  return { lite, post };
}

describe('gazette copy: every field as SQLite held it, and nothing of a copy that fails', () => {
  let pg, site, file;
  // text COPY's text format escapes (tab, line feed, carriage return,
  // backslash), its NULL marker and end marker as plain text, and scripts
  const tricky = [
    `'tab' || char(9) || 'lf' || char(10) || 'cr' || char(13) || 'crlf' || char(13, 10) || 'end'`,
    `'\\N'`, `'\\.'`, `'a\\' || char(10) || '\\.' || char(10) || 'z'`, `'back\\slash \\t \\n \\\\ trailing\\'`,
    `'Ünïcödé — 日本語 · עברית · العربية · 🦜 · e' || char(769)`, `' spaced '`, `''`,
  ];

  before(async () => {
    pg = await startPostgres();
    site = h.makeSite({ store: 'sqlite' });
    file = path.join(site, 'gazette.db');
    const inserts = tricky.map((v, i) => `INSERT INTO stories(slug, title, excerpt, body_md, body_html, section_id,
      author_id, status, published_at, created_at, updated_at, lang) VALUES('tricky-${i}', ${v}, ${v}, ${v} || ${v},
      ${v}, NULL, 1, 3, 1700000000, 1700000000, 1700000000, ${v});`).join('\n');
    execFileSync('sqlite3', ['-bail', file], { input: `${inserts}
      UPDATE users SET pass_hash = NULL WHERE id = 1;
      UPDATE users SET pass_hash = '' WHERE id = 2;
      UPDATE users SET pass_hash = '\\N' WHERE id = 3;
      UPDATE users SET bio = 'é' || char(9) || '\\' || char(10) WHERE id = 4;`, encoding: 'utf8' });
  });
  after(() => {
    if (pg) pg.stop();
    h.cleanupSites();
  });

  test('tabs, line breaks, backslashes, \\N, unicode, NULL and \'\' arrive as they were, in every field of every table', () => {
    const url = pg.createDb('fields');
    const r = h.gzRun(['copy', '--from', site, '--to', url]);
    assert.equal(r.status, 0, r.stderr);
    const { lite, post } = everyField(pg, 'fields', file);
    assert.ok(Object.keys(lite).length > 30, Object.keys(lite).join(' '));
    for (const t of Object.keys(lite)) assert.deepEqual(post[t], lite[t], `${t}: every field`);
    // the rows this test wrote, read back from PostgreSQL (not only equal
    // to SQLite's through the same normalisation)
    const titles = JSON.parse(pg.psql('fields', "SELECT json_agg(title ORDER BY slug) FROM stories WHERE slug LIKE 'tricky-%'"));
    const want = JSON.parse(execFileSync('sqlite3', [file, "SELECT json_group_array(title) FROM (SELECT title FROM stories WHERE slug LIKE 'tricky-%' ORDER BY slug)"], { encoding: 'utf8' }));
    assert.deepEqual(titles, want);
    assert.ok(want.includes('\\N') && want.includes('') && want.some((t) => t.includes('\r\n')) && want.some((t) => t.includes('🦜')), want.join(' | '));
    assert.equal(pg.psql('fields', 'SELECT id, pass_hash IS NULL, pass_hash FROM users WHERE id <= 3 ORDER BY id').trim(),
      '1|t|\n2|f|\n3|f|\\N');
  });

  test('a value PostgreSQL refuses fails the copy naming table, row and column, and leaves every table empty', () => {
    // SQLite keeps text in an INTEGER column; PostgreSQL's bigint refuses it
    execFileSync('sqlite3', [file, "UPDATE stories SET reading_minutes = 'seven' WHERE slug = 'tricky-3'"]);
    const id = execFileSync('sqlite3', [file, "SELECT id FROM stories WHERE slug = 'tricky-3'"], { encoding: 'utf8' }).trim();
    const url = pg.createDb('refused');
    const r = h.gzRun(['copy', '--from', site, '--to', url]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`copying stories, row \\d+ \\(id = ${id}\\), column reading_minutes: .*"seven".*nothing was committed`));
    // the tables that hold any row
    const full = (db) => pg.psql(db, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace" +
      " AND relkind = 'r' AND relname <> 'schema_version'").trim().split('\n')
      .filter((t) => pg.psql(db, `SELECT count(*) FROM "${t}"`).trim() !== '0');
    assert.deepEqual(full('refused'), [], 'tables with rows after the failed copy');
    // a NUL byte (SQLite holds it, PostgreSQL's text cannot): refused by us, named the same way
    execFileSync('sqlite3', [file, "UPDATE stories SET reading_minutes = 7, title = 'nul' || char(0) || 'byte' WHERE slug = 'tricky-3'"]);
    const nul = h.gzRun(['copy', '--from', site, '--to', url]);
    assert.equal(nul.status, 1, nul.stdout);
    assert.match(nul.stderr, new RegExp(`copying stories, row \\d+ \\(id = ${id}\\), column title: a NUL byte`));
    assert.deepEqual(full('refused'), [], 'tables with rows after the failed copy');
    // fixed, the same database takes the copy: nothing was left behind
    execFileSync('sqlite3', [file, "UPDATE stories SET title = 'fixed' WHERE slug = 'tricky-3'"]);
    const ok = h.gzRun(['copy', '--from', site, '--to', url]);
    assert.equal(ok.status, 0, ok.stderr);
  });
});
