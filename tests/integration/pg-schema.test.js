'use strict';
// The PostgreSQL schema (issue 16, src/store/schema_pg.h) and `gazette migrate
// --db`: on a throwaway PostgreSQL (pg-helpers.js), an empty database is
// migrated and a second run finds it current; its tables, columns, indexes
// and triggers are SQLite's (a site made by `gazette init`, read with the
// sqlite3 CLI); the same writes through psql and through sqlite3 leave the
// same rows in everything the triggers keep; two migrates at once take turns.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { GAZETTE, makeSite, cleanupSites, tmpDir } = require('./helpers');
const { startPostgres } = require('./pg-helpers');

const LOCK = 0x477a4d696772; // STORE_PG_MIGRATE_LOCK, store_pg_migrate.h

let pg;
let sqliteDb;

test.before(async () => {
  pg = await startPostgres();
  sqliteDb = path.join(makeSite({ demo: false, store: 'sqlite' }), 'gazette.db');
});
test.after(() => {
  if (pg) pg.stop();
  cleanupSites();
});

const migrate = (db) => spawnSync(GAZETTE, ['migrate', '--db', db], { encoding: 'utf8' });
const sqlite = (file, sql) => execFileSync('sqlite3', ['-bail', '-batch', file], { input: sql, encoding: 'utf8' });
const lines = (out) => out.split('\n').filter((l) => l !== '');
const sqliteVersion = () => Number(sqlite(sqliteDb, 'PRAGMA user_version;').trim());

let migratedUrl;
function migrated() {
  if (!migratedUrl) {
    migratedUrl = pg.createDb('schema');
    const r = migrate(migratedUrl);
    assert.equal(r.status, 0, r.stderr);
  }
  return migratedUrl;
}

test('migrate --db: an empty database goes to the build\'s version; a second run changes nothing', () => {
  const n = sqliteVersion();
  assert.ok(n >= 39, `SQLite's schema version ${n}`);
  const url = pg.createDb('fresh');
  const first = migrate(url);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, `database migrated from schema version 0 to ${n}\n`);
  assert.equal(pg.psql('fresh', 'SELECT version FROM schema_version;').trim(), String(n));
  const tables = pg.psql('fresh', "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';");
  const second = migrate(url);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, `database is current: schema version ${n}\n`);
  assert.equal(pg.psql('fresh', "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';"), tables);
});

test('migrate: bad input is a clear error and a newer database is refused, untouched', () => {
  const none = spawnSync(GAZETTE, ['migrate'], { encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--db postgresql:\/\/\.\.\. is required/);
  const bad = spawnSync(GAZETTE, ['migrate', '--db', 'mysql://x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /postgresql:\/\/ URL/);
  const down = migrate(`postgresql://gazette@127.0.0.1:1/none?connect_timeout=2`);
  assert.equal(down.status, 1);
  assert.match(down.stderr, /^gazette migrate: cannot connect: /);

  const url = pg.createDb('newer');
  assert.equal(migrate(url).status, 0);
  pg.psql('newer', 'UPDATE schema_version SET version = version + 1;');
  const r = migrate(url);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /schema version \d+, newer than this gazette's \(\d+\): upgrade gazette/);
  assert.equal(pg.psql('newer', 'SELECT version FROM schema_version;').trim(), String(sqliteVersion() + 1));
});

test('migrate: a migration that fails leaves nothing of itself, the ones before it kept', () => {
  const url = pg.createDb('blocked');
  // an index of migration 21's name, made beforehand: its ALTER TABLE goes
  // through, then its CREATE INDEX fails
  pg.psql('blocked', 'CREATE TABLE blocker(a int); CREATE INDEX stories_featured_media ON blocker(a);');
  const r = migrate(url);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gazette migrate: migration 21: .*stories_featured_media.* already exists/);
  assert.doesNotMatch(r.stderr, /\n\s*\n$/, 'one message, no blank line after it');
  assert.equal(pg.psql('blocked', 'SELECT version FROM schema_version;').trim(), '20');
  assert.equal(pg.psql('blocked', "SELECT count(*) FROM information_schema.columns" +
    " WHERE table_name = 'stories' AND column_name = 'featured_media_id';").trim(), '0');
  assert.equal(pg.psql('blocked', "SELECT to_regclass('media') IS NOT NULL;").trim(), 't', 'migration 20 kept');
  pg.psql('blocked', 'DROP TABLE blocker;');
  const again = migrate(url);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, `database migrated from schema version 20 to ${sqliteVersion()}\n`);
});

// table -> its columns in order
function sqliteColumns() {
  const out = sqlite(sqliteDb, "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p" +
    " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'story_fts_%'" +
    ' ORDER BY m.name, p.cid;');
  return group(lines(out));
}
function pgColumns(db) {
  const out = pg.psql(db, "SELECT table_name, column_name FROM information_schema.columns" +
    " WHERE table_schema = 'public' AND table_name <> 'schema_version'" +
    ' ORDER BY table_name, ordinal_position;');
  return group(lines(out));
}
function group(rows) {
  const m = {};
  for (const r of rows) {
    const [t, c] = r.split('|');
    (m[t] = m[t] || []).push(c);
  }
  return m;
}

test('the tables, columns, indexes and triggers are SQLite\'s', () => {
  const db = path.basename(new URL(migrated()).pathname);
  const lite = sqliteColumns();
  const post = pgColumns(db);
  assert.ok(Object.keys(lite).length >= 40, Object.keys(lite).join(' '));
  assert.deepEqual(Object.keys(post).sort(), Object.keys(lite).sort());
  // story_fts: FTS5's six columns; PostgreSQL's rows have the story id and the tsvector too
  assert.deepEqual(post.story_fts, ['id', ...lite.story_fts, 'doc']);
  for (const t of Object.keys(lite))
    if (t !== 'story_fts') assert.deepEqual(post[t], lite[t], `columns of ${t}`);

  const liteIdx = lines(sqlite(sqliteDb, "SELECT name FROM sqlite_master WHERE type = 'index'" +
    " AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name;"));
  const pgIdx = lines(pg.psql(db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'" +
    " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key' AND indexname <> 'story_fts_doc'" +
    ' ORDER BY indexname;'));
  assert.deepEqual(pgIdx, liteIdx);
  const liteTrig = lines(sqlite(sqliteDb, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name;"));
  const pgTrig = lines(pg.psql(db, "SELECT DISTINCT trigger_name FROM information_schema.triggers" +
    " WHERE trigger_schema = 'public' ORDER BY trigger_name;"));
  assert.ok(liteTrig.length >= 40, liteTrig.join(' '));
  assert.deepEqual(pgTrig, liteTrig);
  // the same checks and keys: one banner row, a focal point inside the picture
  assert.throws(() => pg.psql(db, "INSERT INTO front_banner VALUES(2, 't', 'u', 0);"), /front_banner_id_check/);
  assert.throws(() => pg.psql(db, "INSERT INTO media(hash, name, mime, ext, width, height, bytes, focal_x," +
    " created_at, variants, formats) VALUES('h', 'n', 'm', 'e', 1, 1, 1, 2, 0, '', '');"), /focal_x_check/);
  assert.throws(() => pg.psql(db, "INSERT INTO stories(slug, title, body_md, body_html, author_id, status," +
    " created_at, updated_at) VALUES('s', 't', '', '', 99, 0, 0, 0);"), /foreign key/);
});

test('the keys, uniques, foreign keys, checks and NOT NULLs are SQLite\'s', () => {
  const db = path.basename(new URL(migrated()).pathname);
  const q = (sql) => lines(sqlite(sqliteDb, sql)).map((l) => l.split('|'));
  const p = (sql) => lines(pg.psql(db, sql)).map((l) => l.split('|'));
  const TABLES = "m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'story_fts%'";

  // column: NOT NULL (a primary key's columns are, whatever SQLite's pragma says)
  const liteNull = q(`SELECT m.name, p.name, p."notnull" OR p.pk > 0 FROM sqlite_master m,` +
    ` pragma_table_info(m.name) p WHERE ${TABLES} ORDER BY 1, 2;`).map((r) => r.join(' '));
  const pgNull = p("SELECT table_name, column_name, CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END" +
    " FROM information_schema.columns WHERE table_schema = 'public'" +
    " AND table_name NOT IN ('schema_version', 'story_fts') ORDER BY 1, 2;").map((r) => r.join(' '));
  assert.deepEqual(pgNull, liteNull);

  // primary keys, in key order
  const keyOf = (rows) => {
    const m = {};
    for (const [t, c] of rows) (m[t] = m[t] || []).push(c);
    return Object.entries(m).map(([t, cs]) => `${t}(${cs.join(',')})`).sort();
  };
  const litePk = keyOf(q(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p` +
    ` WHERE ${TABLES} AND p.pk > 0 ORDER BY m.name, p.pk;`));
  const pgPk = keyOf(p("SELECT t.relname, a.attname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid" +
    " JOIN pg_namespace n ON n.oid = t.relnamespace CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)" +
    " JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum" +
    " WHERE n.nspname = 'public' AND x.indisprimary" +
    " AND t.relname NOT IN ('schema_version', 'story_fts') ORDER BY t.relname, k.ord;"));
  assert.ok(litePk.length >= 40, litePk.join(' '));
  assert.deepEqual(pgPk, litePk);

  // unique constraints and unique indexes (partial ones too), by their columns
  const uniq = (rows) => {
    const m = new Map();
    for (const [t, i, c] of rows) m.set(`${t} ${i}`, [...(m.get(`${t} ${i}`) || []), c]);
    return [...m].map(([k, cs]) => `${k.split(' ')[0]}(${cs.join(',')})`).sort();
  };
  const liteUniq = uniq(q(`SELECT m.name, il.name, ii.name FROM sqlite_master m, pragma_index_list(m.name) il,` +
    ` pragma_index_info(il.name) ii WHERE ${TABLES} AND il."unique" = 1 AND il.origin <> 'pk'` +
    ' ORDER BY m.name, il.name, ii.seqno;'));
  const pgUniq = uniq(p("SELECT t.relname, i.relname, a.attname FROM pg_index x" +
    " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid" +
    " JOIN pg_namespace n ON n.oid = t.relnamespace CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)" +
    " JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum" +
    " WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary" +
    " ORDER BY t.relname, i.relname, k.ord;"));
  assert.ok(liteUniq.includes('sections(path)') && liteUniq.includes('front_pins(lead)'), liteUniq.join(' '));
  assert.deepEqual(pgUniq, liteUniq);

  // foreign keys: column, target, ON DELETE
  const liteFk = q(`SELECT m.name, f."from", f."table", f."to", f.on_delete FROM sqlite_master m,` +
    ` pragma_foreign_key_list(m.name) f WHERE ${TABLES} ORDER BY 1, 2;`).map((r) => r.join(' '));
  const pgFk = p("SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, b.attname," +
    " CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'" +
    " WHEN 'r' THEN 'RESTRICT' ELSE 'SET DEFAULT' END FROM pg_constraint c" +
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]" +
    " JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]" +
    " WHERE c.contype = 'f' ORDER BY 1, 2;").map((r) => r.join(' '));
  assert.ok(liteFk.length >= 20, liteFk.join('\n'));
  assert.deepEqual(pgFk, liteFk);

  // CHECK constraints per table
  const liteChecks = q(`SELECT m.name, m.sql FROM sqlite_master m WHERE ${TABLES};`)
    .map(([t, ...sql]) => [t, (sql.join('|').match(/\bCHECK\s*\(/gi) || []).length])
    .filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).sort();
  const pgChecks = p("SELECT conrelid::regclass::text, count(*) FROM pg_constraint WHERE contype = 'c'" +
    " AND conrelid <> 0 AND conrelid::regclass::text <> 'schema_version'" +
    ' GROUP BY 1;').map((r) => r.join(' ')).sort();
  assert.ok(liteChecks.length >= 6, liteChecks.join(' '));
  assert.deepEqual(pgChecks, liteChecks);
});

// Writes in SQL both engines take, then what the triggers keep. T0 is now:
// rows written at now raise mail events; a lastmod from now reads as 0.
function triggerScript(t0) {
  return `
INSERT INTO users(id, name, slug, email, created_at) VALUES(1, 'Ann Author', 'ann', 'ann@x.test', 1000),
  (2, 'Bo Writer', 'bo', 'bo@x.test', 1000);
INSERT INTO sections(id, name, slug, path, parent_id) VALUES(1, 'World', 'world', 'world', 0),
  (2, 'Asia', 'asia', 'world/asia', 1), (3, 'Sport', 'sport', 'sport', 0);
INSERT INTO tags(id, name, slug) VALUES(1, 'Election', 'election'), (2, 'Café', 'cafe');
INSERT INTO stories(id, slug, title, excerpt, body_md, body_html, section_id, author_id, status,
  published_at, created_at, updated_at) VALUES
  (1, 'one', 'Café Zürich reopens', 'The café', 'Body one', '', 2, 1, 3, 1000, 1000, 1000),
  (2, 'two', 'A draft for review', '', 'Body two', '', 1, 2, 1, NULL, ${t0}, ${t0}),
  (3, 'three', 'پاکستان کی خبریں', '', 'Body three', '', 1, 1, 3, 1100, 1100, 1100),
  (4, 'four', 'Four', '', 'Body four', '', 2, 2, 3, 4002, 4002, 4002);
INSERT INTO story_tags(story_id, tag_id, position) VALUES(1, 1, 0), (1, 2, 1), (3, 1, 0), (2, 2, 0);
INSERT INTO story_sections(story_id, section_id) VALUES(1, 3), (4, 3);
INSERT INTO story_coauthors(story_id, user_id, position) VALUES(1, 2, 1), (3, 2, 1);
INSERT INTO corrections(id, story_id, body, created_at) VALUES(1, 1, 'A fix', 1200);
INSERT INTO comments(id, story_id, parent_id, author, email, body, status, created_at) VALUES
  (1, 1, 0, 'Reader', 'r@x.test', 'Nice', 1, ${t0}),
  (2, 1, 1, 'Replier', 'q@x.test', 'Agreed', 1, ${t0}),
  (3, 3, 0, 'Held', 'h@x.test', 'Hmm', 0, ${t0}),
  (4, 4, 0, 'Old', 'o@x.test', 'Imported', 1, 1000);
INSERT INTO mail_subscriptions(id, comment_id, email, created_at) VALUES(1, 1, 'r@x.test', ${t0});
UPDATE comments SET status = 1 WHERE id = 3;
UPDATE stories SET status = 3, published_at = 1300, updated_at = 1300 WHERE id = 2;
UPDATE sections SET path = 'asia', parent_id = 0 WHERE id = 2;
UPDATE stories SET section_id = 3 WHERE id = 3;
UPDATE tags SET name = 'Vote' WHERE id = 1;
UPDATE sections SET name = 'Far East' WHERE id = 2;
DELETE FROM story_coauthors WHERE story_id = 3;
UPDATE stories SET slug = 'one-b' WHERE id = 1;
UPDATE stories SET excerpt_auto = 1 WHERE id IN (1, 3);
UPDATE stories SET excerpt = 'Our own' WHERE id = 3;
DELETE FROM story_sections WHERE story_id = 4;
UPDATE stories SET status = 0, updated_at = 1500 WHERE id = 4;
DELETE FROM stories WHERE id = 2;
DELETE FROM corrections WHERE id = 1;
INSERT INTO corrections(id, story_id, body, created_at) VALUES(2, 3, 'Another', 1600);
INSERT INTO comments(id, story_id, parent_id, author, email, body, status, created_at, user_id) VALUES
  (5, 1, 0, 'Ann Author', 'ann@x.test', 'Staff note', 1, 1000, 1),
  (6, 3, 3, 'Second', 's@x.test', 'A reply', 0, ${t0}, 0);
UPDATE comments SET status = 1 WHERE id = 6;
UPDATE stories SET author_id = 2 WHERE id = 1;
UPDATE story_tags SET tag_id = 2 WHERE story_id = 3 AND tag_id = 1;
UPDATE tags SET slug = 'vote' WHERE id = 1;
UPDATE users SET slug = 'ann-a' WHERE id = 1;
INSERT INTO sections(id, name, slug, path, parent_id) VALUES(4, 'Empty', 'empty', 'empty', 0);
INSERT INTO story_sections(story_id, section_id) VALUES(3, 4);
DELETE FROM sections WHERE id = 4;
UPDATE corrections SET story_id = 1 WHERE id = 2;
UPDATE story_coauthors SET story_id = 3 WHERE story_id = 1;
DELETE FROM stories WHERE id = 4;
INSERT INTO stories(id, slug, title, excerpt, body_md, body_html, section_id, author_id, status,
  published_at, created_at, updated_at) VALUES(5, 'five', 'Five', '', 'Body five', '', 1, 2, 3, 4003, 4003, 4003);
INSERT INTO story_tags(story_id, tag_id, position) VALUES(5, 1, 0), (5, 2, 1);
INSERT INTO story_sections(story_id, section_id) VALUES(5, 3), (5, 2);
INSERT INTO story_coauthors(story_id, user_id, position) VALUES(5, 1, 1);
INSERT INTO comments(id, story_id, parent_id, author, email, body, status, created_at) VALUES
  (7, 5, 0, 'Gone', 'g@x.test', 'Soon gone', 1, 1000);
DELETE FROM stories WHERE id = 5;
SELECT 'stale', story_id FROM comment_threads_stale ORDER BY n;
SELECT 'ss', section_id, story_id, status, published_at FROM section_stories ORDER BY 2, 3;
SELECT 'st', story_id, tag_id, status, published_at FROM story_tags ORDER BY 2, 3;
SELECT 'sp', kind, page, count, CASE WHEN lastmod >= ${t0} THEN 0 ELSE lastmod END
  FROM sitemap_pages ORDER BY 2, 3;
SELECT 'su', kind, id, count, CASE WHEN lastmod >= ${t0} THEN 0 ELSE lastmod END
  FROM sitemap_urls ORDER BY 2, 3;
SELECT 'mail', kind, ref_id FROM mail_events ORDER BY kind, ref_id;
SELECT 'story', id, coauthor_count, corrected, excerpt_auto FROM stories ORDER BY id;
`;
}

test('the triggers keep the same rows as SQLite\'s for the same writes', () => {
  const t0 = Math.floor(Date.now() / 1000) - 5;
  const sql = triggerScript(t0);
  const copy = path.join(tmpDir(), 'copy.db');
  fs.copyFileSync(sqliteDb, copy);
  const lite = lines(sqlite(copy, 'PRAGMA foreign_keys = ON;' + sql));
  const db = 'triggers';
  assert.equal(migrate(pg.createDb(db)).status, 0);
  const post = lines(pg.psql(db, sql));
  assert.deepEqual(post, lite);
  // and they are what the triggers are for
  const rows = (k) => lite.filter((l) => l.startsWith(k + '|')).map((l) => l.slice(k.length + 1));
  assert.deepEqual(rows('stale'), ['3', '1'],
    'story 4\'s mark gone with it, 3 marked by an approval, 1 moved last by its new author');
  assert.deepEqual(rows('mail'), ['held|3', 'held|6', 'reply|2', 'reply|6', 'review|2']);
  assert.deepEqual(rows('story'), ['1|0|1|1', '3|1|0|0'], 'coauthor_count, corrected, excerpt_auto');
  assert.ok(rows('ss').includes('3|1|3|1000'), 'story 1 listed under its other section');
  assert.ok(rows('ss').includes('2|1|3|1000') && !rows('ss').includes('1|1|3|1000'),
    'Asia moved to the top: story 1 no longer under World');
  assert.ok(rows('su').includes('1|3|2|0'), 'Sport: story 3 moved in and 1 filed there; 4 unpublished');
  assert.ok(rows('st').includes('3|2|3|1100'), 'a tag row carries its story\'s status and date');

  // the search index: the published stories with their tags', section's and author's names
  const ftsLite = lines(sqlite(copy, 'SELECT rowid, tags, section, author FROM story_fts ORDER BY rowid;'));
  const ftsPg = lines(pg.psql(db, 'SELECT id, tags, section, author FROM story_fts ORDER BY id;'));
  assert.deepEqual(ftsPg.map((l) => l.split('|').map((x) => x.split(' ').sort().join(' ')).join('|')),
    ftsLite.map((l) => l.split('|').map((x) => x.split(' ').sort().join(' ')).join('|')));
  assert.deepEqual(ftsLite, ['1|Vote Café|Far East|Bo Writer', '3|Café|Sport|Ann Author']);
});

test('full-text search on PostgreSQL: accents ignored, any script, weighted by field', () => {
  const db = 'triggers'; // made by the test above
  const find = (words) => lines(pg.psql(db,
    `SELECT id FROM story_fts, to_tsquery('simple', unaccent('${words}')) q WHERE doc @@ q` +
    " ORDER BY ts_rank_cd('{0.1, 0.2, 0.4, 1}', doc, q) DESC, id;"));
  assert.deepEqual(find('zurich'), ['1']);
  assert.deepEqual(find('cafe'), ['1', '3'], 'in the title and a tag ranks above a tag alone');
  assert.deepEqual(find('پاکستان'), ['3']);
  assert.deepEqual(find('vote'), ['1'], 'story 3 lost the tag');
  assert.deepEqual(find('bo & writer'), ['1'], 'the new author\'s name');
  assert.deepEqual(find('far & east'), ['1']);
  assert.deepEqual(find('two'), [], 'the deleted story is gone from the index');
  const plan = pg.psql(db, 'SET enable_seqscan = off; EXPLAIN SELECT id FROM story_fts' +
    " WHERE doc @@ to_tsquery('simple', 'vote');");
  assert.match(plan, /story_fts_doc/, 'the GIN index answers');
});

// psql reading its commands as they come: send(sql) writes, waitFor(re) waits for output
function session(db) {
  const p = spawn(path.join(pg.bin, 'psql'), ['-X', '-q', '-A', '-t', '-d', pg.url(db)],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  const s = { out: '', err: '', code: null };
  p.stdout.on('data', (d) => { s.out += d; });
  p.stderr.on('data', (d) => { s.err += d; });
  s.done = new Promise((res) => p.on('exit', (c) => { s.code = c; res(); }));
  s.send = (sql) => p.stdin.write(sql + '\n');
  s.end = (sql) => p.stdin.end(sql + '\n');
  s.waitFor = async (re) => {
    for (let i = 0; i < 200 && !re.test(s.out); i++) await new Promise((r) => setTimeout(r, 25));
    assert.match(s.out, re, s.err);
  };
  return s;
}

test('two nodes index one story at once: the second waits, then indexes it again', async () => {
  const db = 'fts_race';
  assert.equal(migrate(pg.createDb(db)).status, 0);
  pg.psql(db, "INSERT INTO users(id, name, slug, email, created_at) VALUES(1, 'Ann', 'ann', 'a@x.test', 0);" +
    "INSERT INTO tags(id, name, slug) VALUES(1, 'Old', 'old');" +
    "INSERT INTO stories(id, slug, title, body_md, body_html, author_id, status, published_at, created_at," +
    " updated_at) VALUES(1, 's', 'Title', 'Body', '', 1, 3, 1, 1, 1);" +
    'INSERT INTO story_tags(story_id, tag_id) VALUES(1, 1);');
  // one node edits the story and has not committed; another renames its tag
  const a = session(db);
  a.send("BEGIN; UPDATE stories SET title = 'Edited' WHERE id = 1; SELECT 'a-updated';");
  await a.waitFor(/a-updated/);
  const b = session(db);
  b.end("UPDATE tags SET name = 'Renamed' WHERE id = 1; SELECT 'b-done';");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(b.code, null, 'the rename waits for the edit');
  a.end("COMMIT; SELECT 'a-done';");
  await Promise.all([a.done, b.done]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /b-done/);
  assert.equal(pg.psql(db, 'SELECT title, tags FROM story_fts;').trim(), 'Edited|Renamed');
});

test('two migrates at once: one applies, the other waits and finds the database current', async () => {
  const url = pg.createDb('race');
  // hold the migration lock, as a node in the middle of migrating would
  const holder = spawn(path.join(pg.bin, 'psql'), ['-X', '-q', '-A', '-t', '-d', pg.url('race')],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let held = '';
  holder.stdout.on('data', (d) => { held += d; });
  holder.stdin.write(`SELECT 'locked' FROM pg_advisory_lock(${LOCK});\n`);
  for (let i = 0; i < 100 && !held.includes('locked'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(held, /locked/);

  const run = () => {
    const p = spawn(GAZETTE, ['migrate', '--db', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    const r = { out: '', err: '', code: null };
    p.stdout.on('data', (d) => { r.out += d; });
    p.stderr.on('data', (d) => { r.err += d; });
    r.done = new Promise((res) => p.on('exit', (c) => { r.code = c; res(); }));
    return r;
  };
  const a = run();
  const b = run();
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(a.code, null, 'waits for the lock');
  assert.equal(b.code, null, 'waits for the lock');
  assert.equal(pg.psql('race', "SELECT to_regclass('schema_version') IS NULL;").trim(), 't');

  holder.stdin.end(`SELECT pg_advisory_unlock(${LOCK});\n`);
  await Promise.all([a.done, b.done]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  const n = sqliteVersion();
  assert.deepEqual([a.out, b.out].sort(), [
    `database is current: schema version ${n}\n`,
    `database migrated from schema version 0 to ${n}\n`,
  ]);
  assert.equal(pg.psql('race', 'SELECT version FROM schema_version;').trim(), String(n));
});
