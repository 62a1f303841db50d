'use strict';
// Three nodes on one PostgreSQL (issue 16): a commit on one node NOTIFYs
// the site database's channel and every node, LISTENing on a connection of
// its own, drops the pages the change log says changed. What a node shows
// through its page cache follows what another node wrote within a second;
// a node whose listening connection is cut catches up from the change log
// when it connects again. The scheduler's duties are one node's at a time
// (a session advisory lock each): killed, its lock goes with its
// connection and another node takes the duty over.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../integration/helpers');
const a = require('../integration/admin-helpers');
const c = require('./harness');

// comments straight through, held for moderation (approved by the CLI);
// the scheduler's clock every second
const CONF = {
  comment_min_seconds: 0, comment_rate_per_minute: 1000, comment_auto_approve_known: 0, schedule_interval: 1,
};
const PUBLISHES = 100;

let cl = null;
before(async () => {
  cl = await c.startPgCluster(3, { conf: CONF });
  h.gz(['user', 'add', '--site', cl.dirs[0], '--role', 'admin', '--email', a.email('admin'), 'Cluster Admin'],
    { input: a.PASSWORD + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
});
after(() => cl && cl.stop());

// the backends that LISTEN on the change channel (an idle backend's query
// is the last one it ran)
const listeners = () => cl.pg.primary.psql(
  "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN gazette_changes' ORDER BY pid")
  .split('\n').filter(Boolean);

// ms until every node in `nodes` shows `text` on `path` (polled every 5 ms)
async function seenWithin(nodes, path, text, timeoutMs = 5000) {
  const t0 = Date.now();
  await Promise.all(nodes.map((nd) => c.until(async () => h.textOf((await h.get(nd.url, path)).body).includes(text),
    `${text} on ${nd.url}${path}`, { timeoutMs, every: 5 })));
  return Date.now() - t0;
}

test('each node listens on a connection of its own', async () => {
  assert.equal(listeners().length, 3, 'three LISTENing backends');
});

test(`a story published on node A is on B's and C's front pages within 1 s (p99 over ${PUBLISHES})`, { timeout: 240000 }, async () => {
  const [A, B, C] = cl.nodes;
  const admin = await a.signedIn(A.url, 'admin');
  for (const nd of [B, C]) assert.equal((await h.get(nd.url, '/')).status, 200); // kept in B's and C's caches
  const ms = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const title = `Cluster story ${i} ${Date.now()}`;
    await a.writeStory(admin, { title, body: `Published on node A, number ${i}.` });
    ms.push(await seenWithin([B, C], '/', title));
  }
  ms.sort((x, y) => x - y);
  const p99 = ms[Math.ceil(ms.length * 0.99) - 1];
  console.log(`# ${PUBLISHES} publishes on node A, seen on B and C's front pages: ` +
    `median ${ms[ms.length >> 1]} ms, p99 ${p99} ms, max ${ms[ms.length - 1]} ms`);
  assert.ok(p99 < 1000, `p99 ${p99} ms`);
});

test('a comment posted through B, approved on C, is on A\'s next page', async () => {
  const [A, B, C] = cl.nodes;
  assert.equal((await h.get(A.url, h.SEED_PATH)).status, 200); // A keeps the story page
  const text = `A comment across the cluster ${Date.now()}`;
  const hid = await h.freshHidden(B.url);
  const r = await h.postForm(B.url, '/comments', {
    ...hid, gz_website: '', comment: text, author: 'Cluster Reader', email: 'cr@example.com', url: '',
  });
  assert.equal(r.status, 303, h.textOf(r.body).slice(0, 300));
  const held = h.listComments(cl.dirs[2], 'pending').find((x) => x.author === 'Cluster Reader');
  assert.ok(held, 'pending, as node C\'s folder lists it');
  assert.ok(!h.textOf((await h.get(A.url, h.SEED_PATH)).body).includes(text), 'not shown while held');
  assert.equal(h.approve(cl.dirs[2], held.id).trim(), `comment ${held.id} approved`);
  // the CLI's commit notified; A's next request after the notification
  await seenWithin([A], h.SEED_PATH, text, 1000);
});

test('a node whose listening connection is cut catches up from the change log', { timeout: 60000 }, async () => {
  const [A, B, C] = cl.nodes;
  const before = listeners();
  for (const nd of [B, C]) await h.get(nd.url, '/');
  cl.pg.primary.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN gazette_changes'`);
  // published while nobody listens
  const admin = await a.signedIn(A.url, 'admin');
  const title = `Published while the listeners were away ${Date.now()}`;
  await a.writeStory(admin, { title, body: 'Caught up from the change log.' });
  await seenWithin([B, C], '/', title, 5000);
  // and each node listens again, on a new connection
  const again = await c.until(() => { const l = listeners(); return l.length === 3 && l; }, 'three listeners again');
  for (const pid of again) assert.ok(!before.includes(pid), `a new backend ${pid}`);
  // which carries the next notification
  const next = `After the reconnection ${Date.now()}`;
  await a.writeStory(admin, { title: next, body: 'Notified again.' });
  assert.ok(await seenWithin([B, C], '/', next, 1000) < 1000);
});

// the nodes whose scheduler said it took `duty` (store_duty.h's names)
const doing = (duty) => cl.nodes.filter((nd) => nd.srv.output().includes(`scheduler: this node does ${duty} now`));
// the advisory locks of the duties ("GzDuty" + the duty) held now
const dutyLocks = () => Number(cl.pg.primary.psql(
  "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND " +
  '((classid::bigint << 32) | objid::bigint) BETWEEN 78590460130425 AND 78590460130429'));

// the backend holding the publishing duty's lock, '' for none
const publishingPid = () => cl.pg.primary.psql(
  "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND " +
  '((classid::bigint << 32) | objid::bigint) = 78590460130425');

test('each scheduler duty is one node\'s', async () => {
  await c.until(() => dutyLocks() === 5, 'the five duties taken');
  for (const duty of ['publishing', 'purges', 'related lists', 'comment threads', 'mail'])
    assert.equal(doing(duty).length, 1, `one node does ${duty}`);
});

test('kill -9 the node that publishes, under load: no failed request, and a scheduled story still appears', { timeout: 90000 }, async () => {
  const [victim] = doing('publishing');
  const pid0 = publishingPid();
  assert.ok(pid0, 'the publishing lock is held');
  const others = cl.nodes.filter((nd) => nd !== victim);
  const load = c.wrk(cl.hp.url + h.SEED_PATH, { conns: 16, seconds: 8 });
  await c.sleep(1000);
  const admin = await a.signedIn(others[0].url, 'admin');
  const title = `Scheduled across a failover ${Date.now()}`;
  const when = Math.floor(Date.now() / 1000) + 3;
  const id = await a.writeStory(admin, { title, body: 'Published by another node.',
    published_at: new Date(when * 1000).toISOString().slice(0, 19) });
  assert.match((await admin.get(`/admin/stories/${id}`)).body, /id="story-status">scheduled</);
  const down = cl.hp.waitFor(`node${cl.nodes.indexOf(victim)}`, 'DOWN');
  await victim.kill9();
  await down;
  await seenWithin(others, '/', title, 15000);
  // another node's connection holds the duty now (its lock went with the
  // killed node's connection)
  const pid1 = publishingPid();
  assert.ok(pid1 && pid1 !== pid0, `publishing lock held by ${pid1}, was ${pid0}`);
  const run = await load;
  const failed = run.socketErrors + run.non2xx;
  console.log(`# duty failover: ${run.requests} requests through haproxy, ${run.socketErrors} socket errors, ` +
    `${run.non2xx} non-2xx; story ${id} published by another node after kill -9`);
  assert.ok(failed <= 4, `${failed} failed requests`);
  await victim.restart();
});

// One reader's comment through `base`: its status (0: no answer at all).
async function postComment(base, author) {
  try {
    const hid = await h.freshHidden(base);
    const r = await h.postForm(base, '/comments', {
      ...hid, gz_website: '', comment: `Said by ${author} during the test.`, author, email: 'o@example.com', url: '',
    });
    return r;
  } catch (e) {
    return { status: 0, body: String(e) };
  }
}

test('the database down: cached pages still served, what needs it 503 with Retry-After, /readyz not ready, back by itself', { timeout: 60000 }, async () => {
  const [A] = cl.nodes;
  assert.equal((await h.get(A.url, h.SEED_PATH)).status, 200); // kept
  cl.pg.primary.stopFast();
  try {
    const kept = await h.get(A.url, h.SEED_PATH);
    assert.equal(kept.status, 200, 'a cached page');
    const r = await postComment(A.url, 'Nobody home');
    assert.equal(r.status, 503, h.textOf(r.body || '').slice(0, 300));
    assert.equal(r.headers['retry-after'], '5');
    assert.match(h.textOf(r.body), /cannot reach its database/);
    await c.until(async () => (await h.get(A.url, '/readyz')).status === 503, '/readyz not ready', { timeoutMs: 5000 });
  } finally {
    cl.pg.primary.start();
  }
  for (const nd of cl.nodes)
    await c.until(async () => (await h.get(nd.url, '/readyz')).status === 200, `${nd.url} ready again`, { timeoutMs: 10000 });
  const r = await postComment(A.url, 'Back again');
  assert.equal(r.status, 303, h.textOf(r.body || '').slice(0, 300));
  // the duties' locks went with the old connections: taken again on the
  // new ones (mail waits for its own clock)
  await c.until(() => dutyLocks() >= 4, 'the duties taken again', { timeoutMs: 10000 });
});

test('the primary restarted while comments are posted: every comment answered 303 is stored, no 500', { timeout: 90000 }, async () => {
  const statuses = {};
  const acked = [];
  let stop = false;
  let n = 0;
  const poster = async (nd) => {
    while (!stop) {
      const author = `Outage ${n++}`;
      const r = await postComment(nd.url, author);
      statuses[r.status] = (statuses[r.status] || 0) + 1;
      if (r.status === 303) acked.push(author);
      if (r.status !== 303) await c.sleep(50);
    }
  };
  const running = cl.nodes.flatMap((nd) => [poster(nd), poster(nd)]);
  await c.sleep(1500);
  cl.pg.primary.restart();
  await c.sleep(3000);
  stop = true;
  await Promise.all(running);
  const stored = new Set(cl.pg.primary.psql("SELECT author FROM comments WHERE author LIKE 'Outage %'").split('\n'));
  const lost = acked.filter((x) => !stored.has(x));
  console.log(`# primary restart under comments: ${JSON.stringify(statuses)}; ${acked.length} answered 303, ` +
    `${stored.size} stored, ${lost.length} lost`);
  assert.deepEqual(lost, [], 'every comment answered 303 is in the database');
  assert.ok(acked.length > 20, `${acked.length} comments acknowledged`);
  for (const s of Object.keys(statuses)) assert.ok(['303', '503'].includes(s), `status ${s}: ${statuses[s]} answers`);
  // the nodes took comments again after the restart
  const after = await postComment(cl.nodes[1].url, 'After the restart');
  assert.equal(after.status, 303);
});
