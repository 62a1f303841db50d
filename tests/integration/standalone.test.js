'use strict';
// The suite stands on its own (issue 11, point 6): a fresh clone of the repository,
// with no sibling folders, holds everything its tests, benchmarks, fuzz targets and
// scripts read. The test clones the working repository's HEAD into a temporary folder
// and reads the clone's files (so a fixture that was never committed is missing
// there too):
// - no file names a place outside the repository: a sibling `shared` folder, /work/,
//   a home folder;
// - every relative path written in them (`'../x'`, `#include "../x"`,
//   `"$(dirname "$0")/.."`, `path.join(__dirname, '..', ...)`,
//   `path.resolve(ROOT, '..', ...)`), resolved from the file's own folder or from the
//   repository root it names, stays inside the clone;
// - every fixture they name (`h.fixture('x')`, a literal `tests/fixtures/x`, a
//   path.join onto the fixtures folder) exists in the clone.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./helpers');

after(() => h.cleanupSites());

// What is scanned: the folders and files the build and the suite run from.
const SCANNED = ['tests', 'bench', 'fuzz', 'scripts', '.ci', 'Makefile'];
const SOURCE = /\.(js|sh|c|h|lua|py)$|^Makefile$|^run$/;
const SKIP_DIRS = new Set(['corpus', 'node_modules']);   // fuzz inputs are data, not paths

// Places outside the repository that a test must never name.
const OUTSIDE = [
  [/\.\.\/shared\b/, 'a sibling shared/ folder'],
  [/(['",\s(])['"]shared['"]\s*,/, "a 'shared' path segment"],
  [/(^|[^\w.-])\/work\//, 'the /work/ folder'],
  [/(^|[^\w.-])\/(home|Users)\/[\w.-]+\//, 'a home folder'],
];
// This file writes every mistake down as an example, so it is the one file not read.
const SELF = path.join('tests', 'integration', 'standalone.test.js');

function listFiles(root, rel, out) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return out;
  if (fs.statSync(abs).isFile()) {
    if (SOURCE.test(path.basename(rel))) out.push(rel);
    return out;
  }
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    if (e.isDirectory() && SKIP_DIRS.has(e.name)) continue;
    listFiles(root, path.join(rel, e.name), out);
  }
  return out;
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

// The arguments of a call that starts at `open` (the index of its "("), split at
// top-level commas; null when the parentheses do not close.
function callArgs(text, open) {
  let depth = 0, start = open + 1, quote = null;
  const args = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '\'' || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args.filter((a) => a !== '');
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

// The value of one argument of path.join/resolve: a plain string literal, __dirname
// or a name the file (or helpers.js, as h.NAME) bound to a path; undefined otherwise.
function argValue(arg, names) {
  const m = /^(['"`])([^'"`$\\]*)\1$/.exec(arg);
  if (m) return m[2];
  return names.get(arg);
}

// Every path.join/path.resolve call whose arguments are all known, in order, with
// `const NAME = path.join(...)` bindings remembered for the calls after them.
function pathCalls(text, dir, names) {
  const calls = [];
  const re = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*path\.(join|resolve)\s*\(|path\.(join|resolve)\s*\(/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const open = text.indexOf('(', m.index + m[0].length - 1);
    const args = callArgs(text, open);
    if (!args) continue;
    const values = args.map((a) => argValue(a, names));
    if (values.some((v) => v === undefined)) continue;
    const fn = m[2] || m[3];
    const value = fn === 'resolve' ? path.resolve(dir, ...values) : path.join(...values);
    if (!path.isAbsolute(value)) continue;     // a relative join (a URL piece, a file name)
    if (m[1]) names.set(m[1], value);
    calls.push({ value, line: lineOf(text, m.index), hasDotDot: values.includes('..') });
  }
  return calls;
}

// Relative path literals: '../x' and './x' in JS, C and Lua; `#include "../x"`;
// "$(dirname "$0")/../x" in shell scripts (also with ${BASH_SOURCE[0]}).
function relativeLiterals(text) {
  const found = [];
  const lit = /(['"`])(\.\.?\/[^'"`\n$]*)\1/g;
  let m;
  while ((m = lit.exec(text)) !== null) found.push({ rel: m[2], line: lineOf(text, m.index) });
  const sh = /\$\(dirname "(?:\$0|\$\{BASH_SOURCE\[0\]\})"\)(\/[^\s"')]*)?/g;
  while ((m = sh.exec(text)) !== null) {
    found.push({ rel: '.' + (m[1] || ''), line: lineOf(text, m.index) });
  }
  return found;
}

// Fixture names: h.fixture('x') / fixture('x'), and literals naming tests/fixtures/x.
function fixtureNames(text, root, dir) {
  const found = [];
  let m;
  const call = /\bfixture\(\s*(['"`])([^'"`$]+)\1/g;
  while ((m = call.exec(text)) !== null) {
    found.push({ file: path.join(root, 'tests', 'fixtures', m[2]), line: lineOf(text, m.index) });
  }
  const lit = /(['"`])([^'"`\n$]*fixtures\/[^'"`\n$]+)\1/g;
  while ((m = lit.exec(text)) !== null) {
    const p = m[2];
    const file = p.startsWith('.') ? path.resolve(dir, p) : path.join(root, p.replace(/^\/+/, ''));
    found.push({ file, line: lineOf(text, m.index) });
  }
  return found;
}

function inside(root, p) {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

// Returns the problems found in the clone at `root`, one line each.
function audit(root) {
  const problems = [];
  const files = SCANNED.flatMap((s) => listFiles(root, s, [])).filter((f) => f !== SELF);
  const helperNames = new Map([['__dirname', path.join(root, 'tests', 'integration')]]);
  const helpers = path.join(root, 'tests', 'integration', 'helpers.js');
  const fromHelpers = new Map(helperNames);
  if (fs.existsSync(helpers)) pathCalls(fs.readFileSync(helpers, 'utf8'), path.dirname(helpers), fromHelpers);
  for (const [k, v] of fromHelpers) if (k !== '__dirname') helperNames.set('h.' + k, v);

  for (const rel of files) {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    const text = fs.readFileSync(abs, 'utf8');
    const where = (line) => `${rel}:${line}`;
    for (const [re, what] of OUTSIDE) {
      const m = re.exec(text);
      if (m) problems.push(`${where(lineOf(text, m.index))}: names ${what} (${JSON.stringify(m[0].trim())})`);
    }
    for (const { rel: r, line } of relativeLiterals(text)) {
      if (!inside(root, path.resolve(dir, r))) problems.push(`${where(line)}: ${JSON.stringify(r)} leaves the repository`);
    }
    if (rel.endsWith('.js')) {
      const names = new Map(helperNames);
      names.set('__dirname', dir);
      for (const c of pathCalls(text, dir, names)) {
        if (!inside(root, c.value)) {
          problems.push(`${where(c.line)}: a path built with ".." leaves the repository (${path.relative(root, c.value)})`);
        } else if (inside(path.join(root, 'tests', 'fixtures'), c.value) && !fs.existsSync(c.value)) {
          problems.push(`${where(c.line)}: fixture ${path.relative(root, c.value)} is not in the repository`);
        }
      }
    }
    for (const { file, line } of fixtureNames(text, root, dir)) {
      if (!inside(root, file)) problems.push(`${where(line)}: fixture path leaves the repository`);
      else if (!fs.existsSync(file)) problems.push(`${where(line)}: fixture ${path.relative(root, file)} is not in the repository`);
    }
  }
  return problems;
}

test('a fresh clone of the repository holds everything its tests name', () => {
  const clone = path.join(h.tmpDir(), 'gazette');
  execFileSync('git', ['clone', '--quiet', h.ROOT, clone], { stdio: ['ignore', 'ignore', 'pipe'] });
  assert.ok(fs.existsSync(path.join(clone, 'tests', 'integration', 'helpers.js')), 'the clone has the tests');
  const problems = audit(clone);
  assert.deepEqual(problems, [], 'the repository alone must be enough:\n' + problems.join('\n'));
});

test('the audit sees what it must refuse', () => {
  // A clone-shaped folder with one file of each kind of mistake: the check above
  // passing must mean it looked.
  const root = h.tmpDir();
  fs.mkdirSync(path.join(root, 'tests', 'integration'), { recursive: true });
  fs.mkdirSync(path.join(root, 'tests', 'fixtures'), { recursive: true });
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(root, 'tests', 'fixtures', 'here.xml'), '<x/>');
  fs.writeFileSync(path.join(root, 'tests', 'integration', 'helpers.js'),
    "const ROOT = path.resolve(__dirname, '..', '..');\n");
  fs.writeFileSync(path.join(root, 'tests', 'integration', 'bad.test.js'), [
    "const A = path.resolve(h.ROOT, '..', 'elsewhere', 'x.xml');",
    "const B = require('../../../outside');",
    "const F = path.join(h.ROOT, 'tests', 'fixtures');",
    "const C = path.join(F, 'missing.xml');",
    "const D = h.fixture('gone.xml');",
    "const E = h.fixture('here.xml');",
  ].join('\n'));
  fs.writeFileSync(path.join(root, 'bench', 'x.sh'), 'cd "$(dirname "$0")/../.."\n');
  fs.writeFileSync(path.join(root, 'bench', 'y.sh'), 'cp /work/shared/fixtures/a.xml .\n');
  const problems = audit(root);
  const has = (re) => assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
  has(/bad\.test\.js:1: a path built with "\.\." leaves the repository/);
  has(/bad\.test\.js:2: "\.\.\/\.\.\/\.\.\/outside" leaves the repository/);
  has(/bad\.test\.js:4: fixture tests\/fixtures\/missing\.xml is not in the repository/);
  has(/bad\.test\.js:5: fixture tests\/fixtures\/gone\.xml is not in the repository/);
  has(/bench\/x\.sh:1: "\.\/\.\.\/\.\." leaves the repository/);
  has(/bench\/y\.sh:1: names the \/work\/ folder/);
  assert.ok(!problems.some((p) => /here\.xml/.test(p)), 'a fixture that exists is fine');
  assert.equal(problems.length, 6, problems.join('\n'));
});
