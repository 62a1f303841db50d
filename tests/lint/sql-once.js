#!/usr/bin/env node
// Each SQL statement of the store is written once (issue 13): the store's
// files are run through the C preprocessor, adjacent string literals
// joined as the compiler joins them, and any statement that appears in
// two places fails the check. Shared statements live in one helper
// (store_int.h) instead.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const STORE = path.join(ROOT, 'src', 'store');
const cflags = execFileSync('pkg-config', ['--cflags', 'sqlite3', 'libpq'], { encoding: 'utf8' })
  .split(/\s+/).filter(Boolean);
const STATEMENT = /^(SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|ROLLBACK|PRAGMA|WITH|REPLACE)\b/;

const seen = new Map();
for (const f of fs.readdirSync(STORE).filter((n) => n.endsWith('.c')).sort()) {
  const out = execFileSync('gcc', ['-E', '-P', '-D_GNU_SOURCE', ...cflags, path.join(STORE, f)],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const m of out.matchAll(/(?:"(?:[^"\\]|\\.)*"\s*)+/g)) {
    const text = [...m[0].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]).join('')
      .split(/\s+/).filter(Boolean).join(' ');
    if (!STATEMENT.test(text)) continue;
    if (!seen.has(text)) seen.set(text, []);
    seen.get(text).push(f);
  }
}
let twice = 0;
for (const [text, files] of seen) {
  if (files.length < 2) continue;
  twice++;
  console.error(`written ${files.length} times (${files.join(', ')}): ${text.slice(0, 160)}`);
}
if (twice) {
  console.error(`${twice} SQL statements are written more than once in src/store; share them (store_int.h)`);
  process.exit(1);
}
console.log(`${seen.size} SQL statements in src/store, each written once`);
