'use strict';
// A node --test reporter for tests/run.sh: one line per test file, slowest
// first, "SECONDS  FILE  (N tests)": the sum of the file's top-level tests'
// durations as its own process measured them (module-level code before the
// first test is not in it; the runner holds back a file's events while the
// file before it runs, so arrival times say nothing).
//   node --test --test-reporter=./tests/durations.js --test-reporter-destination=OUT ...
const path = require('node:path');

module.exports = async function* durations(source) {
  const files = new Map();
  for await (const ev of source) {
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail') continue;
    const d = ev.data;
    if (!d.file || d.nesting !== 0) continue;
    const f = files.get(d.file) || { ms: 0, tests: 0 };
    f.ms += (d.details && d.details.duration_ms) || 0;
    f.tests++;
    files.set(d.file, f);
  }
  const rows = [...files].map(([file, f]) => [f.ms / 1000, path.relative(process.cwd(), file), f.tests]);
  rows.sort((a, b) => b[0] - a[0]);
  const total = rows.reduce((s, r) => s + r[0], 0);
  for (const [s, file, n] of rows) yield `${s.toFixed(1).padStart(7)} s  ${file}  (${n} tests)\n`;
  yield `${total.toFixed(1).padStart(7)} s  in all, ${rows.length} files\n`;
};
