/*
 * store_open: opening a database (pragmas, migrations by PRAGMA
 * user_version, schema.h), closing it, and the transactions every store
 * file works inside.
 *
 * The one decision: writers of one process queue on an in-process mutex
 * before BEGIN IMMEDIATE, and a page's reads share one read transaction
 * (store_read_begin), so neither SQLite's busy handler nor the WAL index's
 * shared read lock is met on the serving path.
 *
 * A postgresql:// or postgres:// spec opens PostgreSQL instead (issue 16):
 * migrations by store_pg_migrate (schema_pg.h, under its advisory lock),
 * the version from schema_version; a write is BEGIN plus an advisory lock
 * every node's writers queue on (PG_WRITE_LOCK, as SQLite's BEGIN
 * IMMEDIATE serialises a file's writers; the in-process mutex is kept),
 * a page's snapshot a read-only REPEATABLE READ transaction. Each engine's
 * transaction statements are picked by one test of st->db->lite.
 */
#include "store.h"
#include "schema.h"
#include "store_int.h"
#include "store_health.h"
#include "store_thread.h"
#include "store_pg_migrate.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_BEGIN_WRITE[] = "BEGIN IMMEDIATE";
const char SQL_BEGIN_READ[] = "BEGIN";
const char SQL_COMMIT[] = "COMMIT";
const char SQL_ROLLBACK[] = "ROLLBACK";
const char SQL_USER_VERSION[] = "PRAGMA user_version"; /* also starts a read snapshot */

/* pg_advisory_xact_lock's key for writers ("GzWrit" in ASCII): held from
 * a write's BEGIN to its COMMIT or ROLLBACK, by every node on the
 * database, so writes never interleave (what BEGIN IMMEDIATE gives SQLite). */
#define PG_WRITE_LOCK "78590778698100" /* PostgreSQL 15 reads no hex literal */
const char PG_BEGIN_WRITE[] = "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")";
/* A page's snapshot, taken by its first statement, the change log's head
 * (store_read_begin), sent with it in one round trip (db_pg.c). */
static const char PG_BEGIN_READ[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/* Runs a transaction statement: SQLite's text (a cached statement) or
 * PostgreSQL's (several statements in one round trip). */
static int txn(struct store *st, const char *lite, const char *pg)
{
	st->head_at = 0; /* rows_cached reads the change log's head again */
	if (DB_LITE(st->db))
		return exec_sql(st, lite);
	if (pg_exec(st->db->pg, pg) == 0)
		return STORE_OK;
	snprintf(st->err, sizeof st->err, "%s: %s", pg, pg_errmsg(st->db->pg));
	return STORE_ERROR;
}

int store_spec_pg(const char *spec)
{
	return !strncmp(spec, "postgresql://", 13) || !strncmp(spec, "postgres://", 11);
}

void store_spec_shown(const char *spec, char *out, size_t cap)
{
	if (store_spec_pg(spec))
		pg_spec_redact(spec, out, cap);
	else
		snprintf(out, cap, "%s", spec);
}

int store_spec_resolve(const char *spec, char *out, size_t cap, char *err, size_t errlen)
{
	if (!store_spec_pg(spec)) {
		snprintf(out, cap, "%s", spec);
		return 0;
	}
	return pg_spec_resolve(spec, out, cap, err, errlen);
}

int store_spec_confinable(const char *spec, int chrooted)
{
	if (!store_spec_pg(spec))
		return 1;
	int kind = pg_spec_hosts(spec);
	return kind == PG_HOST_ADDRESS || (kind == PG_HOST_NAME && !chrooted);
}

static int migrate(struct store *st)
{
	dbq *s = stmt(st, SQL_USER_VERSION);
	if (!s)
		return STORE_ERROR;
	int version = q_step(s) == DB_ROW ? q_col_int(s, 0) : 0;
	done(s);
	if (version > SCHEMA_VERSION) {
		snprintf(st->err, sizeof st->err,
			 "database schema %d is newer than this gazette (%d)", version,
			 SCHEMA_VERSION);
		return STORE_ERROR;
	}
	for (int v = version; v < SCHEMA_VERSION; v++) {
		char bump[64]; /* a pragma takes no parameters; v is ours, not input */
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (exec_sql(st, SQL_BEGIN_WRITE))
			return STORE_ERROR;
		if (sqlite3_exec(st->db->lite, schema_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(st->db->lite, bump, NULL, NULL, NULL) != SQLITE_OK) {
			fail(st, "migration");
			(void)exec_sql(st, SQL_ROLLBACK);
			return STORE_ERROR;
		}
		if (exec_sql(st, SQL_COMMIT))
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Before SQLite initialises: no global memory statistics. Left on, every
 * sqlite3_malloc of every connection takes one process-wide mutex, and
 * worker threads reading pages queue on it (a tenth of a loaded server's
 * time went to that futex). Nothing here reads sqlite3_status(). */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Time in statements, per thread (store_time_ns): from a statement's
 * first step to its end, timed by SQLite's trace hooks with our own clock
 * (the profile hook's own figure has millisecond steps). A statement
 * begun while others run (a read inside a loop over rows) takes its own
 * slot; past TIMED_MAX at once the rest go untimed. */
#define TIMED_MAX 8
static _Thread_local struct { void *stmt; long long t; } timed[TIMED_MAX];
static _Thread_local long long db_ns;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int on_trace(unsigned what, void *ctx, void *p, void *x)
{
	size_t free_slot = TIMED_MAX;
	for (size_t i = 0; i < TIMED_MAX; i++) {
		if (timed[i].stmt == p) {
			if (what == SQLITE_TRACE_PROFILE) {
				db_ns += now_ns() - timed[i].t;
				timed[i].stmt = NULL;
			}
			return 0; /* a trigger's start inside it: already timed */
		}
		if (!timed[i].stmt && free_slot == TIMED_MAX)
			free_slot = i;
	}
	if (what == SQLITE_TRACE_STMT && free_slot < TIMED_MAX) {
		timed[free_slot].stmt = p;
		timed[free_slot].t = now_ns();
	}
	return 0;
}

long long store_time_ns(void)
{
	return db_ns + pg_time_ns();
}

int store_schema(struct store *st, int *have, int *want)
{
	dbq *s = stmt(st, DB_LITE(st->db) ? SQL_USER_VERSION : STORE_PG_SQL_VERSION);
	if (!s)
		return STORE_ERROR;
	int rc = q_step(s);
	*have = rc == DB_ROW ? q_col_int(s, 0) : -1;
	*want = SCHEMA_VERSION;
	done(s);
	return rc == DB_ROW ? STORE_OK : fail(st, "schema version");
}

/* PostgreSQL: its migrations (on their own connection, under their lock),
 * then the store's connection. No change-signal file: store_data_version
 * asks the change log. */
static int open_pg(struct store *st, const char *spec, char *err, size_t errlen)
{
	int from, to;
	char why[1024];
	int rc = store_pg_migrate(spec, &from, &to, why, sizeof why);
	if (rc == 0 && pg_connect_with(spec, st->pg_options, &st->db->pg, why, sizeof why))
		rc = -2; /* gone since */
	if (rc)
		snprintf(err, errlen, "%s", why);
	return rc == 0 ? STORE_OK : rc == -2 ? STORE_UNAVAILABLE : rc == -3 ? STORE_REFUSED
									  : STORE_ERROR;
}

static int open_with(struct store **out, const char *path, const char *pg_options, char *err,
		     size_t errlen);

int store_open(struct store **out, const char *path, char *err, size_t errlen)
{
	return open_with(out, path, NULL, err, errlen);
}

int store_open_request(struct store **out, const char *path, char *err, size_t errlen)
{
	return open_with(out, path, STORE_REQUEST_OPTIONS, err, errlen);
}

static int open_with(struct store **out, const char *path, const char *pg_options, char *err,
		     size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_sqlite);
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	if (store_spec_pg(path)) {
		st->pg_options = pg_options;
		int rc = open_pg(st, path, err, errlen);
		if (rc) {
			store_close(st);
			return rc;
		}
		*out = st;
		return STORE_OK;
	}
	int rc = sqlite3_open_v2(path, &st->db->lite,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(st->db->lite, 5000);
		sqlite3_trace_v2(st->db->lite, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, on_trace, NULL);
		/* WAL for concurrent readers; synchronous=FULL so a comment
		 * acknowledged with 303 survives a power cut, not only a crash. */
		rc = sqlite3_exec(st->db->lite,
				  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA foreign_keys=ON;",
				  NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK || migrate(st) != STORE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 st->err[0] ? st->err : sqlite3_errmsg(st->db->lite));
		store_close(st);
		return STORE_ERROR;
	}
	signal_open(st, path);
	*out = st;
	return STORE_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < STORE_STMT_SLOTS; i++)
		db_finalize(&st->cache[i].stmt);
	signal_close(st);
	pool_free(st->settings.pool);
	pool_free(st->sections.pool);
	pool_free(st->menus.pool);
	pool_free(st->summary.pool);
	sqlite3_close(st->db->lite);
	pg_close(st->db->pg);
	store_close(st->replica);
	free(st->replica_spec);
	free(st);
}

/* Writers of one process queue on this mutex before BEGIN IMMEDIATE:
 * SQLite's busy handler would otherwise make the loser sleep (1, 2, 5,
 * 10 ms...) even when the lock frees microseconds later. Other processes
 * still meet the busy timeout, as they should. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static int begin(struct store *st, int queued)
{
	store_read_end(st); /* a write sees the newest data, not a snapshot */
	pthread_mutex_lock(&write_lock);
	st->writing = 1;
	st->later_failed = 0;
	int rc = txn(st, SQL_BEGIN_WRITE, PG_BEGIN_WRITE);
	if (rc == STORE_OK)
		rc = store_threads_mark_start(st, queued);
	if (rc) {
		if (db_in_txn(st->db)) /* PostgreSQL's BEGIN ran before the lock failed */
			(void)txn(st, SQL_ROLLBACK, SQL_ROLLBACK);
		st->later_failed = 0; /* the queue went with the ROLLBACK */
		st->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
	return rc;
}

int store_begin(struct store *st)
{
	return begin(st, 0);
}

int store_begin_queued(struct store *st)
{
	return begin(st, 1);
}

int begin_deferred(struct store *st)
{
	return txn(st, SQL_BEGIN_READ, SQL_BEGIN_READ);
}


/* The replica's connection: no migrations (a standby takes no writes; the
 * primary's are replayed there), only the connection. Its first failure
 * is logged (replica_down logs a connection lost). */
static int replica_open(struct store *st)
{
	char why[512];
	struct store *r = calloc(1, sizeof *r);
	if (!r || pg_connect_with(st->replica_spec, st->pg_options, &r->db->pg, why, sizeof why)) {
		if (r && !st->replica_retry_ns)
			log_error("read replica: %s (reads go to the primary)", why);
		store_close(r);
		st->replica_retry_ns = mono_ns() + 1000000000LL;
		return STORE_ERROR;
	}
	st->replica = r;
	return STORE_OK;
}

static void replica_down(struct store *st, const char *why)
{
	log_error("read replica: %s (reads go to the primary, the replica is tried again in"
		  " a second)", why);
	store_close(st->replica);
	st->replica = NULL;
	st->replica_retry_ns = mono_ns() + 1000000000LL;
}

/* A page's snapshot on the replica (st->via), when it answers and has
 * replayed the change log up to st->snapshot_version (the primary's, just
 * read); else STORE_ERROR, nothing open, and the primary serves. */
static int replica_begin(struct store *st)
{
	if (!st->replica && (mono_ns() < st->replica_retry_ns || replica_open(st)))
		return STORE_ERROR;
	struct store *r = st->replica;
	long long head;
	if (txn(r, NULL, PG_BEGIN_READ) || store_data_version(r, &head)) {
		replica_down(st, r->err);
		return STORE_ERROR;
	}
	if (head < st->snapshot_version) { /* behind the primary: its reads there */
		(void)txn(r, NULL, SQL_ROLLBACK);
		return STORE_ERROR;
	}
	st->snapshot_version = head;
	st->via = r;
	return STORE_OK;
}

int store_replica_set(struct store *st, const char *spec)
{
	free(st->replica_spec);
	st->replica_spec = NULL;
	if (spec && *spec && !(st->replica_spec = strdup(spec)))
		return STORE_ERROR;
	return STORE_OK;
}

/* The snapshot's end on the replica: COMMIT (a read-only transaction). */
static void replica_end(struct store *st)
{
	struct store *r = st->via;
	st->via = NULL;
	if (r && db_in_txn(r->db) && txn(r, NULL, SQL_COMMIT))
		replica_down(st, r->err);
}

/* One read transaction around a page's queries: SQLite otherwise opens and
 * closes one per statement, each taking the WAL index's read lock, a
 * mutex all of the process's connections share. */
int store_read_begin(struct store *st)
{
	if (st->reading || db_in_txn(st->db))
		return STORE_OK;
	/* PostgreSQL without a replica: the snapshot taken by its first
	 * read, what has changed (rows_cached labels rows read inside it
	 * with this), in the BEGIN's round trip */
	if (!DB_LITE(st->db) && !st->replica_spec) {
		if (txn(st, NULL, PG_BEGIN_READ) ||
		    store_data_version(st, &st->snapshot_version)) {
			(void)txn(st, NULL, SQL_ROLLBACK);
			return STORE_ERROR;
		}
		st->reading = 1;
		return STORE_OK;
	}
	/* what has changed, read before the snapshot, and the snapshot taken
	 * at once by a read, not at the page's first query */
	if (store_data_version(st, &st->snapshot_version))
		return STORE_ERROR;
	if (!DB_LITE(st->db)) {
		if (replica_begin(st) == STORE_OK) {
			st->reading = 1;
			return STORE_OK;
		}
		if (txn(st, NULL, PG_BEGIN_READ))
			return STORE_ERROR;
		st->reading = 1;
		return STORE_OK;
	}
	if (begin_deferred(st))
		return STORE_ERROR;
	dbq *s = stmt(st, SQL_USER_VERSION);
	int rc = s ? q_step(s) : SQLITE_ERROR;
	if (s)
		done(s);
	if (rc != DB_ROW) {
		fail(st, "read snapshot");
		(void)exec_sql(st, SQL_ROLLBACK);
		return STORE_ERROR;
	}
	st->reading = 1;
	return STORE_OK;
}

void store_read_end(struct store *st)
{
	if (!st->reading)
		return;
	st->reading = 0;
	if (st->via) {
		replica_end(st);
		return;
	}
	if (db_in_txn(st->db))
		(void)txn(st, SQL_COMMIT, SQL_COMMIT);
}

static void end_write(struct store *st)
{
	if (st->writing && !db_in_txn(st->db)) {
		st->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

int store_commit(struct store *st)
{
	/* the threads this transaction made stale, rendered into it (a
	 * failure leaves them stale: pages then render their comments) */
	if (st->thread_builder && db_in_txn(st->db))
		(void)store_threads_rebuild_own(st);
	/* PostgreSQL: the other nodes hear of it once it is committed; a
	 * failed NOTIFY aborted the transaction, which COMMIT would then end
	 * as a ROLLBACK reported as done */
	if (!DB_LITE(st->db) && st->txn_touched && db_in_txn(st->db) && changes_notify(st)) {
		(void)store_rollback(st);
		end_write(st);
		return STORE_ERROR;
	}
	int rc = txn(st, SQL_COMMIT, SQL_COMMIT);
	if (rc == STORE_OK && st->txn_touched)
		signal_bump(st); /* after the commit: a reader that sees it sees the data */
	st->txn_touched = 0;
	end_write(st);
	return rc;
}

int store_commit_queued(struct store *st)
{
	/* the threads it marked or the change it logged need statements
	 * between the queue and the COMMIT (store_commit's) */
	if (DB_LITE(st->db) || st->txn_touched || !db_in_txn(st->db))
		return store_flush(st) == STORE_OK ? store_commit(st) : STORE_ERROR;
	st->head_at = 0; /* rows_cached reads the change log's head again */
	int failed = st->later_failed;
	st->later_failed = 0;
	if (failed || pg_flush_commit(st->db->pg, SQL_COMMIT)) {
		if (!failed) /* stmt() or later() set the message */
			fail(st, "statements sent with their COMMIT");
		return STORE_ERROR; /* store_rollback ends what is left */
	}
	end_write(st);
	return STORE_OK;
}

void store_settle_cancel(struct store *st)
{
	if (DB_LITE(st->db))
		return;
	pg_settle(st->db->pg);
	if (st->replica)
		pg_settle(st->replica->db->pg);
}

int store_rollback(struct store *st)
{
	int rc = STORE_OK;
	st->head_at = 0; /* the server's, after each request */
	store_settle_cancel(st); /* a request's end: its cancelled statement forgotten */
	replica_end(st); /* read-only: its commit is its rollback */
	if (db_in_txn(st->db))
		rc = txn(st, SQL_ROLLBACK, SQL_ROLLBACK);
	st->txn_touched = st->reading = 0;
	st->later_failed = 0; /* the queue went with the ROLLBACK (db_pg.c) */
	end_write(st);
	return rc;
}
