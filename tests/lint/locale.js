#!/usr/bin/env node
// Fails (exit 1) when a theme template names a string {{t.key}} that the
// English locale (themes/default/locale/en.conf) lacks, when a shipped
// locale lacks a key English has (it would show English there), or has a
// key English lacks (a typo nobody would see). Run by `make test`.
//   node tests/lint/locale.js [ROOT]   (ROOT defaults to the repository)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = process.argv[2] || path.join(__dirname, '..', '..');
const dir = path.join(root, 'themes', 'default');

function keys(file) {
  const out = new Set();
  fs.readFileSync(file, 'utf8').split('\n').forEach((line) => {
    const s = line.trim();
    if (!s || s.startsWith('#')) return;
    const eq = s.indexOf('=');
    if (eq > 0) out.add(s.slice(0, eq).trim());
  });
  return out;
}

const problems = [];
const en = keys(path.join(dir, 'locale', 'en.conf'));
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.html')).sort()) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  for (const m of text.matchAll(/\{\{\s*[#^/]?\s*t\.([A-Za-z0-9_-]+)\s*\}\}/g))
    if (!en.has(m[1])) problems.push(`${f}: {{t.${m[1]}}} is not in locale/en.conf`);
}
for (const f of fs.readdirSync(path.join(dir, 'locale')).filter((x) => x.endsWith('.conf') && x !== 'en.conf').sort()) {
  const k = keys(path.join(dir, 'locale', f));
  for (const key of en) if (!k.has(key)) problems.push(`locale/${f}: lacks "${key}" (en.conf has it)`);
  for (const key of k) if (!en.has(key)) problems.push(`locale/${f}: "${key}" is not in en.conf`);
}
if (problems.length) {
  console.log('locale strings missing or unknown (docs/languages.md):');
  for (const p of problems) console.log('  ' + p);
  process.exit(1);
}
console.log(`locale.js: every {{t.key}} of the templates is in en.conf; ur/az/... have en's ${en.size} keys`);
