/*
 * Unit tests for the PostgreSQL engine of the statement API (db_pg.c,
 * through db.h's q_* switch, as the store's files call it), against a
 * server of its own: run without GAZETTE_TEST_PG (never the caller's
 * PGHOST), the test runs itself again under tests/unit/with_pg.sh, which
 * starts one in a temporary folder and sets it. What it
 * proves: ?N becomes $N outside literals, quoted identifiers and comments
 * (?10 is the tenth parameter, not the first); binds and reads of each type
 * (integers past a double's precision, doubles, booleans as 1/0, NULL,
 * UTF-8 text, a blob); a unique violation is DB_CONSTRAINT and another
 * error DB_ERROR with PostgreSQL's message; RETURNING id; changes; a
 * transaction rolled back; one statement reused with new bindings; the
 * round trips a transaction costs (its BEGIN goes with its first
 * statement, a write's savepoint with the write).
 */
#include "t.h"
#include "t_pg.h"
#include "../../src/store/db.h"
#include "../../src/util/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static dbc c;

static void test_rewrite(void)
{
	char out[256];
	const char *sql = "SELECT ?1, '?2 it''s ?2', \"?3\"\"\", E'\\'?4', ?10 -- ?5\n"
			  " /* ?6 /* ?7 */ ?8 */ $$?9$$ $q$ ?11 $q$, ?12?";
	CHECK(pg_rewrite(sql, out, sizeof out) == 12);
	CHECK_STR(out, "SELECT $1, '?2 it''s ?2', \"?3\"\"\", E'\\'?4', $10 -- ?5\n"
		       " /* ?6 /* ?7 */ ?8 */ $$?9$$ $q$ ?11 $q$, $12?");
	/* ?12 is outside everything, so it counts: the largest N */
	CHECK(pg_rewrite("WHERE a = ?2 AND b = ?1", out, sizeof out) == 2);
	CHECK_STR(out, "WHERE a = $2 AND b = $1");
	CHECK(pg_rewrite("SELECT 1", out, sizeof out) == 0);
	CHECK(pg_rewrite("SELECT ?1", out, 5) == -1); /* too small */
}

/* The row count of t. */
static long long rows(void)
{
	dbq s;
	long long n = -1;
	if (db_prepare(&c, "SELECT count(*) FROM t", &s) == 0) {
		if (q_step(&s) == DB_ROW)
			n = q_col_int(&s, 0);
		db_finalize(&s);
	}
	return n;
}

/* A parameter the text never names (?1 and ?3 here) still prepares: the
 * store numbers a family of statements alike (a list's cursor is ?4 and
 * ?5 whether or not ?3 is used). */
static void test_unused_parameters(void)
{
	dbq s;
	CHECK(db_prepare(&c, "SELECT ?2::bigint + 1, ?4::text", &s) == 0);
	CHECK(q_nparams(&s) == 4);
	q_int(&s, 1, 99);
	q_int(&s, 2, 41);
	q_text(&s, 3, "unused");
	q_text(&s, 4, "four");
	CHECK(q_step(&s) == DB_ROW);
	CHECK(q_col_int(&s, 0) == 42);
	CHECK_STR(q_col_str(&s, 1), "four");
	db_finalize(&s);
}

static void test_ten_parameters(void)
{
	dbq s;
	CHECK(db_prepare(&c,
			 "SELECT concat(?10::text, ?1::text, ?2::text, ?3::text, ?4::text,"
			 " ?5::text, ?6::text, ?7::text, ?8::text, ?9::text), '?1'",
			 &s) == 0);
	CHECK(q_nparams(&s) == 10);
	CHECK(q_ncols(&s) == 2);
	for (int i = 1; i <= 10; i++)
		q_int(&s, i, i);
	CHECK(q_step(&s) == DB_ROW);
	CHECK_STR(q_col_str(&s, 0), "10" "123456789");
	CHECK_STR(q_col_str(&s, 1), "?1"); /* the quoted one untouched */
	CHECK(q_step(&s) == DB_DONE);
	db_finalize(&s);
}

static void test_types_and_reuse(void)
{
	struct pool *p = pool_new();
	dbq ins, get;
	CHECK(db_prepare(&c,
			 "INSERT INTO t (name, n, x, flag, note, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
			 " RETURNING id",
			 &ins) == 0);
	CHECK(db_prepare(&c,
			 "SELECT id, name, n, x, flag, note, data, length(data) FROM t WHERE id = ?1",
			 &get) == 0);
	const char *utf8 = "Ünïcødé — اردو 日本語 🗞";
	q_text(&ins, 1, utf8);
	q_int(&ins, 2, 9007199254740993LL); /* 2^53 + 1: no double holds it */
	q_double(&ins, 3, 2.5);
	q_int(&ins, 4, 1);
	q_null(&ins, 5);
	q_blob(&ins, 6, "\x00\xff" "A", 3);
	CHECK(q_step(&ins) == DB_ROW);
	long long first = q_col_int(&ins, 0);
	CHECK(first > 0);
	CHECK(q_step(&ins) == DB_DONE);
	CHECK(db_changes(&c) == 1);
	q_reset(&ins);

	/* the same statement again, new bindings (q_text_n copies a prefix) */
	q_text_n(&ins, 1, "second row, not this", 10);
	q_int(&ins, 2, -7);
	q_double(&ins, 3, -0.125);
	q_int(&ins, 4, 0);
	q_text(&ins, 5, "a note");
	q_null(&ins, 6);
	CHECK(q_step(&ins) == DB_ROW);
	long long second = q_col_int(&ins, 0);
	CHECK(second > first);
	q_reset(&ins);

	q_int(&get, 1, first);
	CHECK(q_step(&get) == DB_ROW);
	CHECK(q_col_int(&get, 0) == first);
	CHECK_STR(q_col_text(p, &get, 1), utf8);
	CHECK(q_col_int(&get, 2) == 9007199254740993LL);
	CHECK(q_col_double(&get, 3) == 2.5);
	CHECK(q_col_int(&get, 4) == 1); /* boolean 't' */
	CHECK(q_col_null(&get, 5));
	CHECK(q_col_str(&get, 5) == NULL);
	CHECK_STR(q_col_text(p, &get, 5), "");
	CHECK(q_col_int(&get, 5) == 0);
	CHECK(!q_col_null(&get, 6));
	CHECK_STR(q_col_str(&get, 6), "\\x00ff41");
	CHECK(q_col_int(&get, 7) == 3);
	CHECK(q_step(&get) == DB_DONE);
	q_reset(&get);

	q_int(&get, 1, second);
	CHECK(q_step(&get) == DB_ROW);
	CHECK_STR(q_col_text(p, &get, 1), "second row");
	CHECK(q_col_int(&get, 2) == -7);
	CHECK(q_col_double(&get, 3) == -0.125);
	CHECK(q_col_int(&get, 4) == 0); /* boolean 'f' */
	CHECK_STR(q_col_str(&get, 5), "a note");
	CHECK(q_col_null(&get, 6));
	CHECK(q_step(&get) == DB_DONE);
	q_reset(&get);

	/* no row */
	q_int(&get, 1, 999999);
	CHECK(q_step(&get) == DB_DONE);
	q_reset(&get);

	/* a unique violation: DB_CONSTRAINT with PostgreSQL's message, then the
	 * statement serves again after its reset */
	q_text(&ins, 1, utf8);
	CHECK(q_step(&ins) == DB_CONSTRAINT);
	CHECK_CONTAINS(db_errmsg(&c), "duplicate key value violates unique constraint");
	q_reset(&ins);
	q_text(&ins, 1, "third");
	CHECK(q_step(&ins) == DB_ROW && q_col_int(&ins, 0) > second);
	q_reset(&ins);
	CHECK(rows() == 3);

	db_finalize(&ins);
	db_finalize(&get);
	pool_free(p);
}

static void test_changes(void)
{
	dbq s;
	CHECK(db_prepare(&c, "UPDATE t SET n = coalesce(n, 0) + 1 WHERE name <> ?1", &s) == 0);
	q_text(&s, 1, "third");
	CHECK(q_step(&s) == DB_DONE);
	CHECK(db_changes(&c) == 2);
	q_reset(&s);
	/* a read leaves the count of the last write, as SQLite's does */
	CHECK(rows() == 3);
	CHECK(db_changes(&c) == 2);
	q_text(&s, 1, "nothing matches this");
	CHECK(q_step(&s) == DB_DONE);
	CHECK(db_changes(&c) == 3);
	db_finalize(&s);
}

static void test_transaction_rolled_back(void)
{
	dbq s;
	CHECK(db_prepare(&c, "DELETE FROM t", &s) == 0);
	CHECK(!db_in_txn(&c));
	CHECK(pg_exec(c.pg, "BEGIN") == 0);
	CHECK(db_in_txn(&c));
	CHECK(q_step(&s) == DB_DONE);
	CHECK(db_changes(&c) == 3);
	q_reset(&s);
	CHECK(rows() == 0);
	CHECK(pg_exec(c.pg, "ROLLBACK") == 0);
	CHECK(!db_in_txn(&c));
	CHECK(rows() == 3);
	db_finalize(&s);
}

/* A COMMIT of a transaction that a failed read aborted: PostgreSQL
 * answers OK with the tag ROLLBACK; pg_exec says it failed, so no caller
 * reports a write as stored (a 303 for a comment that was not). */
static void test_commit_of_aborted(void)
{
	dbq s;
	long long before = rows();
	CHECK(pg_exec(c.pg, "BEGIN") == 0);
	CHECK(pg_exec(c.pg, "INSERT INTO t (name) VALUES ('lost')") == 0);
	CHECK(db_prepare(&c, "SELECT 1 / ?1::int", &s) == 0);
	q_int(&s, 1, 0);
	CHECK(q_step(&s) == DB_ERROR);
	q_reset(&s);
	CHECK(pg_exec(c.pg, "COMMIT") == -1);
	CHECK_CONTAINS(db_errmsg(&c), "rolled back");
	CHECK(!db_in_txn(&c));
	CHECK(rows() == before);
	db_finalize(&s);
}

/* A BEGIN waits for the first statement and goes with it; a write in a
 * transaction is one round trip with its savepoint and release, two when
 * it fails (rolled back to its savepoint: the transaction goes on); a
 * transaction that ran nothing costs none. */
static void test_round_trips(void)
{
	dbq ins, get;
	long long before = rows();
	CHECK(db_prepare(&c, "INSERT INTO t (name) VALUES (?1) RETURNING id", &ins) == 0);
	CHECK(db_prepare(&c, "SELECT count(*) FROM t WHERE name = ?1", &get) == 0);
	long long n0 = pg_round_trips();
	CHECK(pg_exec(c.pg, "BEGIN; SELECT pg_advisory_xact_lock(42)") == 0);
	CHECK(pg_exec(c.pg, "ROLLBACK") == 0);
	CHECK(pg_round_trips() == n0);
	CHECK(!db_in_txn(&c));

	CHECK(pg_exec(c.pg, "BEGIN; SELECT pg_advisory_xact_lock(42)") == 0);
	CHECK(db_in_txn(&c));
	CHECK(pg_round_trips() == n0);
	q_text(&ins, 1, "trip one");
	CHECK(q_step(&ins) == DB_ROW); /* BEGIN, lock, SAVEPOINT, INSERT, RELEASE */
	q_reset(&ins);
	CHECK(pg_round_trips() == n0 + 1);
	q_text(&ins, 1, "trip one");
	CHECK(q_step(&ins) == DB_CONSTRAINT); /* and ROLLBACK TO SAVEPOINT */
	CHECK_CONTAINS(db_errmsg(&c), "duplicate key");
	q_reset(&ins);
	CHECK(pg_round_trips() == n0 + 3);
	q_text(&ins, 1, "trip two");
	CHECK(q_step(&ins) == DB_ROW);
	q_reset(&ins);
	q_text(&get, 1, "trip one");
	CHECK(q_step(&get) == DB_ROW && q_col_int(&get, 0) == 1);
	q_reset(&get);
	CHECK(pg_round_trips() == n0 + 5);
	CHECK(pg_exec(c.pg, "COMMIT") == 0);
	CHECK(pg_round_trips() == n0 + 6);
	CHECK(rows() == before + 2);

	/* a read snapshot's BEGIN goes with its first read */
	long long n1 = pg_round_trips();
	CHECK(pg_exec(c.pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") == 0);
	q_text(&get, 1, "trip two");
	CHECK(q_step(&get) == DB_ROW && q_col_int(&get, 0) == 1);
	q_reset(&get);
	CHECK(pg_round_trips() == n1 + 1);
	CHECK(pg_exec(c.pg, "COMMIT") == 0);
	CHECK(!db_in_txn(&c));
	db_finalize(&ins);
	db_finalize(&get);
}

static const char *spec; /* the test server, for second connections */

/* q_later: statements sent together, in one round trip however many,
 * in order and with the transaction's BEGIN; each its own answer. A
 * failure fails the flush, the statements after it do not run, and the
 * transaction is left for its ROLLBACK, which drops whatever was queued
 * since; a COMMIT sends what is queued first. */
static void test_later(void)
{
	dbq ins, get;
	struct db_ans a[5];
	long long before = rows();
	CHECK(db_prepare(&c, "INSERT INTO t (name) VALUES (?1) RETURNING id", &ins) == 0);
	CHECK(db_prepare(&c, "SELECT count(*) FROM t WHERE name = ?1", &get) == 0);
	long long n0 = pg_round_trips();
	CHECK(pg_exec(c.pg, "BEGIN; SELECT pg_advisory_xact_lock(42)") == 0);
	q_text(&get, 1, "later one");
	q_later(&get, &a[0]);
	q_text(&ins, 1, "later one");
	q_later(&ins, &a[1]);
	q_text(&get, 1, "later one"); /* the statement again, bound anew */
	q_later(&get, &a[2]);
	q_text(&ins, 1, "later two");
	q_later(&ins, &a[3]);
	CHECK(pg_round_trips() == n0);
	CHECK(db_flush(&c) == 0);
	CHECK(pg_round_trips() == n0 + 1);
	CHECK(a[0].rc == DB_ROW && a[0].value == 0 && a[0].changes == 0); /* a SELECT writes none */
	CHECK(a[1].rc == DB_ROW && a[1].value > 0 && a[1].changes == 1);
	CHECK(a[2].rc == DB_ROW && a[2].value == 1); /* after the insert before it */
	CHECK(a[3].rc == DB_ROW && a[3].value > a[1].value);
	CHECK(db_flush(&c) == 0); /* nothing queued: no round trip */
	CHECK(pg_round_trips() == n0 + 1);

	q_text(&ins, 1, "later three");
	q_later(&ins, &a[0]);
	q_text(&ins, 1, "later one");
	q_later(&ins, &a[1]);
	q_text(&get, 1, "later three");
	q_later(&get, &a[2]);
	CHECK(db_flush(&c) == -1);
	CHECK_CONTAINS(db_errmsg(&c), "duplicate key");
	CHECK(a[0].rc == DB_ROW && a[1].rc == DB_CONSTRAINT && a[2].rc == DB_ERROR);
	q_text(&ins, 1, "later four");
	q_later(&ins, &a[3]);
	CHECK(pg_exec(c.pg, "ROLLBACK") == 0);
	CHECK(!db_in_txn(&c));
	CHECK(rows() == before);

	CHECK(pg_exec(c.pg, "BEGIN") == 0);
	q_text(&ins, 1, "later five");
	q_later(&ins, &a[4]);
	CHECK(pg_exec(c.pg, "COMMIT") == 0);
	CHECK(a[4].rc == DB_ROW && a[4].value > 0);
	CHECK(rows() == before + 1);
	db_finalize(&ins);
	db_finalize(&get);
}

/* Statements sent together that carry their transaction's BEGIN, on a
 * connection whose server went away while it was idle (a restart, a
 * killed backend): nothing of the transaction ran, so they go once more
 * on a new connection, as a statement alone does. */
static void test_later_reconnects(void)
{
	char err[256];
	struct pgc *victim = NULL;
	dbq ins;
	struct db_ans a;
	CHECK(pg_connect(spec, &victim, err, sizeof err) == 0);
	if (!victim)
		return;
	dbc v = { .pg = victim };
	CHECK(db_prepare(&v, "INSERT INTO t (name) VALUES (?1) RETURNING id", &ins) == 0);
	CHECK(pg_exec(victim, "SET application_name = 'gz_later_victim'") == 0);
	long long before = rows();
	CHECK(pg_exec(c.pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
			    " WHERE application_name = 'gz_later_victim'") == 0);
	struct timespec ts = { 0, 200000000L }; /* its backend exits */
	nanosleep(&ts, NULL);
	unsigned gen = pg_gen(victim);
	CHECK(pg_exec(victim, "BEGIN; SELECT pg_advisory_xact_lock(42)") == 0);
	q_text(&ins, 1, "later after a restart");
	q_later(&ins, &a);
	CHECK(db_flush(&v) == 0);
	CHECK(a.rc == DB_ROW && a.value > 0);
	CHECK(pg_gen(victim) == gen + 1);
	CHECK(pg_exec(victim, "COMMIT") == 0);
	CHECK(rows() == before + 1);
	db_finalize(&ins);
	pg_close(victim);
}

static void test_errors(void)
{
	dbq s;
	CHECK(db_prepare(&c, "SELEKT 1", &s) == -1);
	CHECK_CONTAINS(db_errmsg(&c), "syntax error");
	CHECK(s.pg == NULL && s.lite == NULL);
	CHECK(db_prepare(&c, "SELECT 1 / ?1::int", &s) == 0);
	q_int(&s, 1, 0);
	CHECK(q_step(&s) == DB_ERROR); /* not a constraint */
	CHECK_CONTAINS(db_errmsg(&c), "division by zero");
	q_reset(&s);
	q_int(&s, 1, 4);
	CHECK(q_step(&s) == DB_ROW && q_col_int(&s, 0) == 0);
	q_reset(&s);
	CHECK(pg_exec(c.pg, "INSERT INTO t (name) VALUES ('third')") == -1);
	CHECK_CONTAINS(db_errmsg(&c), "duplicate key");
	CHECK(db_readonly(&c) == 0);
	db_finalize(&s);
	char err[256] = "";
	struct pgc *none = NULL;
	CHECK(pg_connect("host=127.0.0.1 port=1 connect_timeout=2", &none, err, sizeof err) == -1);
	CHECK(none == NULL && err[0]);
}

/* A spec's password, in every form it is written in, never shown: the
 * spec rendered with **** (even one libpq refuses), and libpq's messages
 * scrubbed of it (written, percent-decoded, quoted). */
static void test_password_hidden(void)
{
	static const char *const shown[][2] = {
		{ "postgresql://u:s3cret@h:5432/x?sslmode=require",
		  "postgresql://u:****@h:5432/x?sslmode=require" },
		{ "postgres://u@h/x?a=1&password=s3cret&b=2", "postgres://u@h/x?a=1&password=****&b=2" },
		{ "postgresql://u:s3cret@[::1:1/x", "postgresql://u:****@[::1:1/x" },
		{ "postgresql://u@h/x", "postgresql://u@h/x" },
		{ "host=h password = 'it\\'s s3cret' dbname=x", "host=h password = '****' dbname=x" },
		{ "host=h password=s3cret dbname=x", "host=h password=**** dbname=x" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		pg_spec_redact(shown[i][0], out, sizeof out);
		CHECK_STR(out, shown[i][1]);
	}

	char msg[256];
	snprintf(msg, sizeof msg, "bad URI: \"postgresql://u:s3c%%2Fret@h/x\", or s3c/ret");
	pg_scrub("postgresql://u:s3c%2Fret@h/x", msg, sizeof msg);
	CHECK_STR(msg, "bad URI: \"postgresql://u:****@h/x\", or ****");
	snprintf(msg, sizeof msg, "token: \"s3c%%zret\"");
	pg_scrub("postgresql://u:s3c%zret@h/x", msg, sizeof msg);
	CHECK_STR(msg, "token: \"****\"");

	/* pg_connect's own message, from libpq, for a spec it refuses */
	char err[256];
	struct pgc *x = NULL;
	CHECK(pg_connect("postgresql://u:s3cret@[::1:1/x", &x, err, sizeof err) == -1);
	CHECK(strstr(err, "postgresql://u:****@") != NULL);
	CHECK(!strstr(err, "s3cret"));
}

/* An outage is counted by the thread whose connection saw it (a worker's
 * request: its own store), never by another: a worker whose connection
 * was cut turns no other worker's real 500 into a 503. */
static unsigned long long victim_saw;

static void *use_victim(void *arg)
{
	unsigned long long before = pg_outages();
	CHECK(pg_exec(arg, "SELECT 1") == -1); /* its backend is gone */
	victim_saw = pg_outages() - before;
	return NULL;
}

static void test_outages_per_thread(void)
{
	char err[256];
	struct pgc *victim = NULL;
	CHECK(pg_connect(spec, &victim, err, sizeof err) == 0);
	if (!victim)
		return;
	CHECK(pg_exec(victim, "SET application_name = 'gz_victim'") == 0);
	CHECK(pg_exec(c.pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
			    " WHERE application_name = 'gz_victim'") == 0);
	struct timespec ts = { 0, 200000000L }; /* its backend exits */
	nanosleep(&ts, NULL);
	unsigned long long mine = pg_outages();
	pthread_t t;
	CHECK(pthread_create(&t, NULL, use_victim, victim) == 0);
	pthread_join(t, NULL);
	CHECK(victim_saw >= 1);
	CHECK(pg_outages() == mine);
	pg_close(victim);
}

/* A first connection tells a server that refused it (a database that
 * does not exist: -2, one line) from none answering (a closed port: -1)
 * and from one whose connection slots are all taken (a role's limit
 * here, as for max_connections: -1, waiting fixes it). */
static void test_connect_probe(void)
{
	char refused[512], err[512];
	struct pgc *x = NULL;
	snprintf(refused, sizeof refused, "%s dbname=gz_no_such_db", spec);
	CHECK(pg_connect_probe(refused, &x, err, sizeof err) == -2);
	CHECK(!x);
	CHECK(strstr(err, "gz_no_such_db") != NULL);
	CHECK(!strchr(err, '\n'));
	CHECK(pg_connect_probe("host=127.0.0.1 port=1 dbname=x", &x, err, sizeof err) == -1);
	CHECK(pg_connect_probe(spec, &x, err, sizeof err) == 0 && x);
	CHECK(x && pg_exec(x, "DROP ROLE IF EXISTS gz_one_slot") == 0);
	CHECK(x && pg_exec(x, "CREATE ROLE gz_one_slot LOGIN CONNECTION LIMIT 1") == 0);
	char limited[512];
	snprintf(limited, sizeof limited, "%s user=gz_one_slot", spec);
	struct pgc *first = NULL, *second = NULL;
	CHECK(pg_connect_probe(limited, &first, err, sizeof err) == 0 && first);
	CHECK(pg_connect_probe(limited, &second, err, sizeof err) == -1);
	CHECK(!second && strstr(err, "too many connections") != NULL);
	pg_close(first);
	pg_close(x);
}

static long long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A statement cancelled by lock_timeout (given as options) is an outage,
 * and the connection's next statements fail at once until pg_settle. */
static void test_lock_timeout(void)
{
	char err[256];
	struct pgc *w = NULL;
	CHECK(pg_connect_with(spec, "-c lock_timeout=300ms", &w, err, sizeof err) == 0);
	if (!w)
		return;
	CHECK(pg_exec(c.pg, "BEGIN") == 0);
	CHECK(pg_exec(c.pg, "LOCK TABLE t IN ACCESS EXCLUSIVE MODE") == 0);
	unsigned long long before = pg_outages();
	struct pgq *s = NULL;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(pg_prepare(w, "SELECT count(*) FROM t", &s) == -1); /* its parse waits */
	long long waited = ms_since(&t0);
	CHECK(waited >= 250 && waited < 5000);
	CHECK(strstr(pg_errmsg(w), "lock timeout") != NULL);
	CHECK(pg_outages() == before + 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(pg_prepare(w, "SELECT name FROM t", &s) == -1);
	CHECK(ms_since(&t0) < 100); /* at once, not another 300 ms */
	CHECK(pg_exec(c.pg, "ROLLBACK") == 0);
	pg_settle(w);
	CHECK(pg_prepare(w, "SELECT count(*) FROM t", &s) == 0);
	CHECK(s && pgq_step(s) == DB_ROW);
	pgq_free(s);
	pg_close(w);
}

/* A connection made with conninfo and options shows the two settings as
 * statement and lock. */
static void check_timeouts(const char *conninfo, const char *options, const char *statement,
			   const char *lock)
{
	char err[256];
	struct pgc *x = NULL;
	CHECK(pg_connect_with(conninfo, options, &x, err, sizeof err) == 0);
	const char *sql[] = { "SHOW statement_timeout", "SHOW lock_timeout" };
	const char *want[] = { statement, lock };
	for (int i = 0; x && i < 2; i++) {
		struct pgq *s = NULL;
		CHECK(pg_prepare(x, sql[i], &s) == 0 && pgq_step(s) == DB_ROW);
		const char *v = s ? pgq_col_str(s, 0) : NULL;
		CHECK_STR(v ? v : "", want[i]);
		pgq_free(s);
	}
	pg_close(x);
}

/* A request's connection gets STORE_REQUEST_OPTIONS' timeouts; a spec
 * with its own options keeps those (it replaces the default whole); any
 * other connection has none. */
static void test_request_options(void)
{
	char own[512];
	snprintf(own, sizeof own, "%s options='-c lock_timeout=1234ms'", spec);
	check_timeouts(spec, STORE_REQUEST_OPTIONS, "10s", "5s");
	check_timeouts(own, STORE_REQUEST_OPTIONS, "0", "1234ms");
	check_timeouts(spec, NULL, "0", "0");
}

int main(int argc, char **argv)
{
	const char *conninfo = spec = t_pg_conninfo(argv[0]);
	if (!conninfo)
		return 2;
	char err[256];
	if (pg_connect(conninfo, &c.pg, err, sizeof err)) {
		fprintf(stderr, "connect: %s\n", err);
		return 2;
	}
	if (pg_exec(c.pg, "CREATE TABLE t ("
			  " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
			  " name text NOT NULL UNIQUE, n bigint, x double precision,"
			  " flag boolean, note text, data bytea)")) {
		fprintf(stderr, "schema: %s\n", db_errmsg(&c));
		return 2;
	}
	RUN(test_rewrite);
	RUN(test_ten_parameters);
	RUN(test_unused_parameters);
	RUN(test_types_and_reuse);
	RUN(test_changes);
	RUN(test_transaction_rolled_back);
	RUN(test_commit_of_aborted);
	RUN(test_round_trips);
	RUN(test_later);
	RUN(test_later_reconnects);
	RUN(test_errors);
	RUN(test_password_hidden);
	RUN(test_outages_per_thread);
	RUN(test_connect_probe);
	RUN(test_lock_timeout);
	RUN(test_request_options);
	pg_close(c.pg);
	return T_DONE();
}
