#!/usr/bin/env node
'use strict';
// bench/cluster.js: throughput through haproxy with 1, 2 and 3 Gazette
// nodes (issue 16), cached and uncached (`--no-cache`), against one node
// answered directly in the same run (the reference: what haproxy's hop
// costs). The nodes are tests/cluster/harness.js's: one demo site, backed
// up and restored into a folder per node, haproxy round-robin in front
// with its /readyz checks. This machine has few cores, shared by wrk,
// haproxy and every node, so the req/s mostly say how the cores are
// split; what carries to bigger machines is the CPU time each node spends
// per request (utime + stime from /proc over the requests haproxy says it
// sent that node), printed beside it, and haproxy's own.
// STORE=pg: the nodes share one PostgreSQL (the harness's startPgCluster,
// `gazette init --db URL --demo`), and PostgreSQL's CPU per request (its
// backends, summed) is printed beside the nodes'.
//   node bench/cluster.js            (SECS=5 per run, CONNS=64, NODES="1 2 3", STORE=sqlite|pg)
const fs = require('node:fs');
const c = require('../tests/cluster/harness');
const h = require('../tests/integration/helpers');

const SECS = Number(process.env.SECS || 5);
const CONNS = Number(process.env.CONNS || 64);
const COUNTS = (process.env.NODES || '1 2 3').split(/\s+/).filter(Boolean).map(Number);
const TICK_MS = 10; // USER_HZ is 100 on Linux
const PG = process.env.STORE === 'pg';

// utime + stime of a process and its threads, in ms
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

// utime + stime of every PostgreSQL process (its backends live as long as
// the nodes' connections, so a difference over a run is theirs), in ms
function pgCpuMs() {
  let ms = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += cpuMs(pid);
    } catch { /* gone meanwhile */ }
  }
  return ms;
}

// answers haproxy counted per node: {node0: n, ...}
async function answered(hp) {
  const rows = (await hp.stat()).filter((r) => r.pxname === 'gazette' && /^node\d+$/.test(r.svname));
  return Object.fromEntries(rows.map((r) => [r.svname, Number(r.hrsp_2xx || 0)]));
}

async function run(url, conns = CONNS) {
  const r = await c.wrk(url, { conns, seconds: SECS });
  if (r.socketErrors || r.non2xx || !r.requests)
    throw new Error(`wrk on ${url}: ${r.socketErrors} socket errors, ${r.non2xx} non-2xx\n${r.out}`);
  return r.requests / SECS;
}

async function measure(n, cached) {
  const opts = { extraArgs: cached ? [] : ['--no-cache'] };
  const cl = PG ? await c.startPgCluster(n, opts) : await c.startCluster(n, opts);
  try {
    const { nodes, hp } = cl;
    const path = h.SEED_PATH;
    // one node directly: the reference, and a warm-up of every node
    for (const nd of nodes) await c.wrk(nd.url + path, { conns: 8, seconds: 1 });
    const direct = await run(nodes[0].url + path);
    const cpu0 = nodes.map((nd) => cpuMs(nd.srv.proc.pid));
    const hp0 = cpuMs(hp.proc.pid);
    const pg0 = PG ? pgCpuMs() : 0;
    const a0 = await answered(hp);
    const rps = await run(hp.url + path);
    const a1 = await answered(hp);
    const pg1 = PG ? pgCpuMs() : 0;
    const perNode = nodes.map((nd, i) => {
      const reqs = a1[`node${i}`] - a0[`node${i}`];
      return { reqs, usPerReq: reqs ? ((cpuMs(nd.srv.proc.pid) - cpu0[i]) * 1000) / reqs : NaN };
    });
    const total = perNode.reduce((s, x) => s + x.reqs, 0);
    const hpUs = ((cpuMs(hp.proc.pid) - hp0) * 1000) / total;
    const pgUs = ((pg1 - pg0) * 1000) / total;
    return { n, cached, direct, rps, perNode, hpUs, pgUs };
  } finally {
    await cl.stop();
  }
}

(async () => {
  const rows = [];
  for (const cached of [true, false])
    for (const n of COUNTS) rows.push(await measure(n, cached));
  const store = PG ? 'nodes on one PostgreSQL' : 'SQLite nodes';
  console.log(`wrk -t2 -c${CONNS} -d${SECS}s on the seed story, ${store}; ${require('node:os').cpus().length} cores shared by wrk, haproxy${PG ? ', PostgreSQL' : ''} and the nodes`);
  console.log(`| page | nodes | one node direct req/s | through haproxy req/s | / direct | node CPU µs/request (each) | haproxy CPU µs/request |${PG ? ' PostgreSQL CPU µs/request |' : ''}`);
  console.log(`|---|---:|---:|---:|---:|---|---:|${PG ? '---:|' : ''}`);
  for (const r of rows)
    console.log(`| ${r.cached ? 'cached' : 'uncached'} | ${r.n} | ${Math.round(r.direct)} | ${Math.round(r.rps)} | ${(r.rps / r.direct).toFixed(3)} | ${r.perNode.map((x) => x.usPerReq.toFixed(1)).join(', ')} | ${r.hpUs.toFixed(1)} |${PG ? ` ${r.pgUs.toFixed(1)} |` : ''}`);
})().catch((e) => { console.error(e); process.exit(1); });
