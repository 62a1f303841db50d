'use strict';
// A PostgreSQL 15 primary and a streaming replica made by the harness (the
// parts the PostgreSQL store's cluster tests will run on): a row written on
// the primary is read on the replica, which refuses writes of its own.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('../integration/helpers');
const c = require('./harness');

let pg = null;
after(() => { if (pg) pg.stop(); h.cleanupSites(); });

test('a row written on the primary is read on the streaming replica', { timeout: 90000 }, async () => {
  pg = await c.startPostgres();
  const { primary, replica } = pg;
  assert.equal(primary.psql('SELECT pg_is_in_recovery()'), 'f', 'the primary takes writes');
  assert.equal(replica.psql('SELECT pg_is_in_recovery()'), 't', 'the replica is a standby');
  // the replica streams from the primary (not only restored from the base backup)
  await c.until(() => primary.psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") === '1',
    'the primary to list one streaming replica');

  const mark = crypto.randomBytes(8).toString('hex');
  primary.psql('CREATE TABLE cluster_check (id serial PRIMARY KEY, mark text NOT NULL)');
  primary.psql(`INSERT INTO cluster_check (mark) VALUES ('${mark}')`);
  const t0 = Date.now();
  // until the table's creation has replayed there, the SELECT itself fails
  const readBack = () => {
    try { return replica.psql(`SELECT mark FROM cluster_check WHERE mark = '${mark}'`) === mark; } catch { return false; }
  };
  await c.until(readBack, 'the row on the replica', { timeoutMs: 10000, every: 20 }).catch((e) => {
    throw new Error(`${e.message}\n--- replica log ---\n${replica.log()}`);
  });
  console.log(`# replica: the row was readable on the replica after ${Date.now() - t0} ms`);

  assert.throws(() => replica.psql(`INSERT INTO cluster_check (mark) VALUES ('x')`),
    /read-only transaction/, 'the replica refuses a write');
  assert.equal(primary.psql('SELECT count(*) FROM cluster_check'), '1');
});
