'use strict';
// Three gazette nodes behind haproxy serve the same pages: each node's own
// answer and every answer through the proxy (which round-robins over all
// three) carry the same bytes.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../integration/helpers');
const c = require('./harness');

let cl = null;
after(() => cl && cl.stop());

// The bytes of a page but its one per-request part: the comment form's
// gz_ts stamp (time and signature), fresh in every answer.
const stable = (body) => body.replace(/(name="gz_ts" value=")[^"]*"/g, '$1"');

test('three nodes behind haproxy serve the same pages', { timeout: 90000 }, async () => {
  cl = await c.startCluster(3);
  const { nodes, hp } = cl;
  assert.deepEqual(await hp.states(), { node0: 'UP', node1: 'UP', node2: 'UP' });

  const paths = ['/', h.SEED_PATH, '/feed', '/sitemap.xml'];
  for (const p of paths) {
    const direct = [];
    for (const n of nodes) {
      const r = await h.get(n.url, p);
      assert.equal(r.status, 200, `${p} on ${n.url}`);
      direct.push(stable(r.body));
    }
    assert.ok(direct[0].length > 500, `${p}: a real page`);
    assert.equal(direct[1], direct[0], `${p}: node1 serves node0's bytes`);
    assert.equal(direct[2], direct[0], `${p}: node2 serves node0's bytes`);
    for (let i = 0; i < 6; i++) {
      const r = await h.get(hp.url, p);
      assert.equal(r.status, 200, `${p} through haproxy`);
      assert.equal(stable(r.body), direct[0], `${p} through haproxy, request ${i}`);
    }
  }
  // the proxy spread those requests over all three nodes
  const rows = (await hp.stat()).filter((r) => r.pxname === 'gazette' && /^node/.test(r.svname));
  const served = Object.fromEntries(rows.map((r) => [r.svname, Number(r.stot)]));
  for (const name of ['node0', 'node1', 'node2']) assert.ok(served[name] >= 4, `${name} served ${served[name]}`);
  // a story the demo lacks is a 404 whichever node answers
  for (let i = 0; i < 3; i++) assert.equal((await h.get(hp.url, '/2024/07/05/no-such-story')).status, 404);
});

test('docs/deploy.md shows the haproxy configuration these tests run', () => {
  const doc = fs.readFileSync(path.join(h.ROOT, 'docs', 'deploy.md'), 'utf8');
  const at = doc.indexOf('\n    global\n');
  assert.ok(at > 0, 'the configuration block');
  const block = [];
  for (const line of doc.slice(at + 1).split('\n')) {
    if (line !== '' && !line.startsWith('    ')) break;
    block.push(line.slice(4));
  }
  const shown = block.join('\n').trim() + '\n';
  const used = c.haproxyConfig({
    bind: '127.0.0.1:8000', sock: '/run/haproxy/admin.sock',
    servers: ['10.0.0.11:8080', '10.0.0.12:8080', '10.0.0.13:8080'],
  });
  assert.equal(shown, used);
});
