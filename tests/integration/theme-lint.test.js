'use strict';
// tests/lint/themes.sh: no template under themes/ carries what the site's
// Content-Security-Policy blocks (a style attribute, a <style> element, an
// inline <script>), and the check catches each of them.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

const LINT = path.join(h.ROOT, 'tests/lint/themes.sh');
const run = (root) => spawnSync('sh', root ? [LINT, root] : [LINT], { encoding: 'utf8', cwd: h.ROOT, timeout: 60000 });

test('no template in themes/ has an inline style or script', () => {
  const r = run();
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the theme check catches style attributes, <style> and inline scripts, and allows script files and JSON-LD', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-themes-'));
  try {
    const dir = path.join(tmp, 'themes', 'x');
    fs.mkdirSync(dir, { recursive: true });
    const put = (name, text) => fs.writeFileSync(path.join(dir, name), text);
    put('ok.html', '<p class="a">x</p>\n<script src="/static/a.js" defer></script>\n' +
      '<script type="application/ld+json">{{jsonld}}</script>\n<p data-style="x">styled</p>\n');
    const good = run(tmp);
    assert.equal(good.status, 0, good.stdout);
    put('attr.html', '<img src="a" STYLE = "max-width:16rem">\n');
    put('element.html', '<style>p { color: red }</style>\n');
    put('inline.html', '<script>alert(1)</script>\n');
    const bad = run(tmp);
    assert.equal(bad.status, 1, 'inline style and script fail the check');
    assert.match(bad.stdout, /attr\.html:1:/);
    assert.match(bad.stdout, /element\.html:1:/);
    assert.match(bad.stdout, /inline\.html:1:/);
    assert.doesNotMatch(bad.stdout, /ok\.html/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
