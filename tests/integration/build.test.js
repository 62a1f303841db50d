'use strict';
// Build hardening, checked on the built ./gazette (not GAZETTE_BIN, which may
// be the sanitizer build): PIE, full RELRO, non-executable stack, stack
// protector and _FORTIFY_SOURCE checks; the Makefile's flags; and the
// banned-functions rule (src/util/banned.h, tests/lint/banned.sh).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

const BIN = path.join(h.ROOT, 'gazette');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', cwd: h.ROOT, timeout: 60000, ...opts });

test('./gazette is a PIE with full RELRO, a non-executable stack, stack protector and fortified calls', () => {
  assert.ok(fs.existsSync(BIN), 'build ./gazette first');
  const hdr = run('readelf', ['-hW', BIN]).stdout;
  assert.match(hdr, /Type:\s+DYN/, 'position-independent executable');
  const seg = run('readelf', ['-lW', BIN]).stdout;
  assert.match(seg, /GNU_RELRO/, 'RELRO segment');
  const stack = /GNU_STACK.*$/m.exec(seg);
  assert.ok(stack && !/RWE/.test(stack[0]), `stack not executable: ${stack && stack[0]}`);
  const dyn = run('readelf', ['-dW', BIN]).stdout;
  assert.match(dyn, /BIND_NOW|Flags:.*\bNOW\b/, 'full RELRO (BIND_NOW)');
  const syms = run('nm', ['-D', BIN]).stdout;
  assert.match(syms, /__stack_chk_fail/, '-fstack-protector-strong');
  assert.match(syms, /__\w+_chk@/, '_FORTIFY_SOURCE checked calls');
});

test('the Makefile compiles with the hardening flags, and -Werror in CI', () => {
  const out = run('make', ['-n', '-B', 'CI=true', 'src/util/buf.o']).stdout;
  for (const flag of ['-O2', '-D_FORTIFY_SOURCE=3', '-fstack-protector-strong', '-fPIE', '-Wformat-security',
    '-Wall', '-Wextra', '-Werror', '-include src/util/banned.h']) {
    assert.ok(out.includes(flag), `compile line has ${flag}: ${out}`);
  }
  const link = run('make', ['-n', '-B', 'gazette']).stdout;
  assert.match(link, /-pie/, 'linked -pie');
  assert.match(link, /-z,relro,-z,now/, 'linked with full RELRO');
});

test('no banned function in src/, and the check catches one', () => {
  const ok = run('sh', ['tests/lint/banned.sh']);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-banned-'));
  try {
    fs.mkdirSync(path.join(tmp, 'src', 'x'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'src', 'x', 'bad.c'), 'void f(char *a) { sprintf(a, "%d", 1); strcpy(a, "b"); }\n');
    const bad = run('sh', [path.join(h.ROOT, 'tests/lint/banned.sh'), tmp]);
    assert.equal(bad.status, 1, 'a banned call fails the check');
    assert.match(bad.stdout, /bad\.c:1:.*sprintf/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('banned.h turns a banned call into a compile error that names it', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-banned-'));
  try {
    const src = path.join(tmp, 'x.c');
    fs.writeFileSync(src, '#include <string.h>\nvoid f(char *a) { strcpy(a, "b"); }\n');
    const r = run('cc', ['-std=c17', '-D_GNU_SOURCE', '-include', 'src/util/banned.h', '-c', '-o', path.join(tmp, 'x.o'), src]);
    assert.notEqual(r.status, 0, 'does not compile');
    assert.match(r.stderr, /sorry_strcpy_is_a_banned_function/);
    fs.writeFileSync(src, '#include <stdio.h>\n#include <string.h>\nvoid f(char *a) { snprintf(a, 4, "%d", 1); memcpy(a, "b", 2); }\n');
    const good = run('cc', ['-std=c17', '-D_GNU_SOURCE', '-Wall', '-Werror', '-include', 'src/util/banned.h', '-c', '-o', path.join(tmp, 'x.o'), src]);
    assert.equal(good.status, 0, good.stderr);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
