'use strict';
// kill -9 one of three nodes under a wrk load through haproxy: haproxy marks
// it down within fall * inter of its checks, its retry-on/redispatch sends
// the requests the dead node would have failed to another node, so wrk sees
// no failed request beyond the few in flight at the kill; the node, started
// again on its port, comes back UP and serves.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const c = require('./harness');

let cl = null;
after(() => cl && cl.stop());

const CONNS = 16;
const SECONDS = 6;
// wrk's 16 connections share three nodes, so at most about a third of them
// wait on the killed node at the kill; haproxy retries those whose node
// closed without an answer, so the bound is kept well under that.
const MAX_FAILED = 4;

test('kill -9 a node under load: haproxy routes around it, and it comes back', { timeout: 90000 }, async () => {
  cl = await c.startCluster(3);
  const { hp } = cl;
  const victim = cl.nodes[1];

  const load = c.wrk(hp.url + h.SEED_PATH, { conns: CONNS, seconds: SECONDS });
  await c.sleep(1500);
  const down = hp.waitFor('node1', 'DOWN');
  await victim.kill9();
  const downMs = await down;
  // a check already under way when the node died, then fall checks inter apart
  const downBound = (hp.fall + 1) * hp.inter + 500;
  assert.ok(downMs <= downBound, `node1 marked DOWN after ${downMs} ms (bound ${downBound} ms)`);
  const st = await hp.states();
  assert.equal(st.node0, 'UP');
  assert.equal(st.node2, 'UP');

  await c.sleep(1000);
  const up = hp.waitFor('node1', 'UP', 10000);
  await victim.restart();
  const upMs = await up;
  const served0 = Number((await hp.stat()).find((r) => r.svname === 'node1').stot);

  const run = await load;
  const failed = run.socketErrors + run.non2xx;
  console.log(`# failover: ${run.requests} requests in ${SECONDS} s through haproxy, ` +
    `${run.socketErrors} socket errors, ${run.non2xx} non-2xx; node1 DOWN ${downMs} ms after kill -9, ` +
    `UP ${upMs} ms after its restart began`);
  console.log(run.out.split('\n').map((l) => `#   ${l}`).join('\n'));
  assert.ok(run.requests > SECONDS * 200, `throughput: ${run.requests} requests`);
  assert.ok(failed <= MAX_FAILED, `${failed} failed requests (bound ${MAX_FAILED})`);

  // the restarted node takes its share again, and serves the page
  const served1 = Number((await hp.stat()).find((r) => r.svname === 'node1').stot);
  assert.ok(served1 > served0, `node1 served after it came back (${served0} -> ${served1})`);
  const r = await h.get(victim.url, h.SEED_PATH);
  assert.equal(r.status, 200);
  assert.ok(r.body.includes('Azerbaijan'), 'the story');
});
