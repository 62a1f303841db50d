#!/usr/bin/env node
'use strict';
// The store's engines stay in their own files (issue 16): every other file of
// src/ speaks the statement API of src/store/db.h, so the second engine
// (PostgreSQL) is a set of files beside SQLite's, not an edit of every query.
// Fails (exit 1) when a file not named below includes sqlite3.h or names
// sqlite3_* / SQLITE_*, or includes libpq-fe.h or calls PQ* (comments aside),
// and when a file named below is gone (so the list does not outlive the code).
//   node tests/lint/engine.js [ROOT]      (ROOT defaults to the repository)
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const src = path.join(root, 'src');

// The SQLite engine's own files, and why each needs SQLite itself.
const ENGINE = {
  'store/db_sqlite.h': 'the statement API, inline (and its switch to PostgreSQL\'s)',
  'store/store_open.c': 'opens the connection: pragmas, migrations, trace hooks, transactions',
  'store/store_backup.c': 'the online backup API',
  'store/store_search_rank.c': 'gz_rank, an FTS5 auxiliary function',
  'store/store_copy.c': 'reads every table of a site with its values\' stored types (gazette copy)',
};
// PostgreSQL's: the only file that includes libpq-fe.h or calls PQ*.
const PG_ENGINE = {
  'store/db_pg.c': 'the statement API over libpq',
};

// Comments and string literals blanked, line breaks kept.
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"/g,
    (m) => (m.startsWith('"') && !/sqlite3\.h|libpq-fe\.h/.test(m) ? '""' : m.replace(/[^\n]/g, ' ')));
}

const bad = [];
for (const [f, why] of Object.entries({ ...ENGINE, ...PG_ENGINE }))
  if (!fs.existsSync(path.join(src, f))) bad.push(`src/${f}: named as an engine file (${why}) but missing`);

let files = 0;
for (const mod of fs.readdirSync(src).sort()) {
  const dir = path.join(src, mod);
  if (!fs.statSync(dir).isDirectory()) continue;
  for (const f of fs.readdirSync(dir).sort()) {
    if (!/\.[ch]$/.test(f)) continue;
    const lite = !ENGINE[`${mod}/${f}`], pg = !PG_ENGINE[`${mod}/${f}`];
    if (lite && pg) files++;
    const lines = code(fs.readFileSync(path.join(dir, f), 'utf8')).split('\n');
    lines.forEach((l, i) => {
      const m = (lite && (/#\s*include\s*[<"]sqlite3\.h[>"]/.exec(l) || /\b(?:sqlite3_\w+|SQLITE_\w+)/.exec(l))) ||
        (pg && (/#\s*include\s*[<"]libpq-fe\.h[>"]/.exec(l) || /\bPQ[a-z]\w*\s*\(/.exec(l)));
      if (m) bad.push(`src/${mod}/${f}:${i + 1}: ${m[0].trim()}`);
    });
  }
}

if (bad.length) {
  for (const b of bad) console.error(b);
  console.error(`${bad.length} uses of SQLite or libpq outside their engine's files; use src/store/db.h's API` +
    ' (or name the file in tests/lint/engine.js with the reason)');
  process.exit(1);
}
console.log(`${files} files of src/ free of SQLite and libpq; SQLite's engine is ${Object.keys(ENGINE).length}` +
  ` files, PostgreSQL's ${Object.keys(PG_ENGINE).length}`);
