#!/usr/bin/env node
'use strict';
// The module dependency graph of src/ (issue 13), from the #include lines:
// src/A/x.c including "../B/y.h" is an arrow A -> B. Prints the graph, one
// module a line with what it uses, then fails (exit 1) on
//   - any cycle between modules (a strongly connected set of two or more),
//   - http/ including pages/, admin/, comments/, auth/ or app/ (http/ is
//     transport: the application reaches it through struct http_app),
//   - store/ including anything but util/ (the store computes nothing).
//   node tests/lint/deps.js [ROOT]      (ROOT defaults to the repository)
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const src = path.join(root, 'src');
const RULES = {
  http: { forbid: ['pages', 'admin', 'comments', 'auth', 'app'], why: 'http/ is transport' },
  store: { only: ['util'], why: 'store/ depends on util/ only' },
};

const edges = new Map(); // module -> Map(target -> [file:line, ...])
for (const mod of fs.readdirSync(src).sort()) {
  const dir = path.join(src, mod);
  if (!fs.statSync(dir).isDirectory()) continue;
  edges.set(mod, edges.get(mod) || new Map());
  for (const f of fs.readdirSync(dir).sort()) {
    if (!/\.[ch]$/.test(f)) continue;
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = /^\s*#\s*include\s+"\.\.\/([a-z0-9_]+)\//.exec(l);
      if (!m || m[1] === mod) return;
      const to = edges.get(mod);
      if (!to.has(m[1])) to.set(m[1], []);
      to.get(m[1]).push(`src/${mod}/${f}:${i + 1}`);
    });
  }
}

for (const [mod, to] of edges) console.log(`${mod.padEnd(9)} -> ${[...to.keys()].sort().join(' ') || '(nothing)'}`);

const problems = [];
for (const [mod, to] of edges) {
  const rule = RULES[mod];
  if (!rule) continue;
  for (const [target, where] of to) {
    const bad = rule.forbid ? rule.forbid.includes(target) : !rule.only.includes(target);
    if (bad) problems.push(`${mod} -> ${target} (${rule.why}): ${where.join(', ')}`);
  }
}

// Tarjan's strongly connected components.
let index = 0;
const idx = new Map(), low = new Map(), stack = [], on = new Set(), sccs = [];
function strong(v) {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); on.add(v);
  for (const w of (edges.get(v) || new Map()).keys()) {
    if (!edges.has(w)) continue;
    if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const c = [];
    let w;
    do { w = stack.pop(); on.delete(w); c.push(w); } while (w !== v);
    if (c.length > 1) sccs.push(c.sort());
  }
}
for (const v of edges.keys()) if (!idx.has(v)) strong(v);
for (const c of sccs) {
  const inside = [];
  for (const a of c) for (const [b, where] of edges.get(a)) if (c.includes(b)) inside.push(`  ${a} -> ${b}: ${where[0]}${where.length > 1 ? ` (+${where.length - 1})` : ''}`);
  problems.push(`cycle between ${c.join(', ')}:\n${inside.join('\n')}`);
}

if (problems.length) {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems) console.log(`- ${p}`);
  process.exit(1);
}
console.log('\nno cycle between modules; http/ and store/ keep their rules');
