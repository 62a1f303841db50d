/*
 * store_pg_migrate: applies schema_pg.h's migrations (store_pg_migrate.h).
 * It runs on db_pg.c's connection (pg_connect, pg_exec, a prepared
 * statement for the version), before any store is open. The version is a row of schema_version, the
 * PostgreSQL counterpart of SQLite's PRAGMA user_version.
 */
#include "store_pg_migrate.h"
#include "db.h"
#include "db_pg.h"
#include "schema.h"
#include "schema_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SCHEMA_PG_VERSION == SCHEMA_VERSION,
	       "schema_pg.h must translate every migration of schema.h, in the same order");

const int STORE_PG_SCHEMA_VERSION = SCHEMA_PG_VERSION;

static const char SQL_LOCK[] = "SELECT pg_advisory_lock(?1::bigint)";
static const char SQL_UNLOCK[] = "SELECT pg_advisory_unlock(?1::bigint)";
static const char SQL_VERSION_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_version(id BIGINT PRIMARY KEY CHECK(id = 1),"
	" version BIGINT NOT NULL, migrated_at BIGINT NOT NULL);"
	"INSERT INTO schema_version VALUES(1, 0, 0) ON CONFLICT DO NOTHING;";
const char STORE_PG_SQL_VERSION[] = "SELECT version FROM schema_version WHERE id = 1";
#define SQL_SET_VERSION \
	"UPDATE schema_version SET version = %d," \
	" migrated_at = floor(extract(epoch FROM now()))::bigint WHERE id = 1;"

/* "what: the server's message" (pg_errmsg has no closing newline) */
static int fail(char *err, size_t errlen, const char *what, struct pgc *c)
{
	snprintf(err, errlen, "%s: %s", what, pg_errmsg(c));
	return -1;
}

/* Runs sql without parameters: 0, or -1 with the server's message. */
static int run(struct pgc *c, const char *sql, char *err, size_t errlen, const char *what)
{
	return pg_exec(c, sql) ? fail(err, errlen, what, c) : 0;
}

/* The one-row statement sql (?1 bound to arg when it has a parameter),
 * its first column into *v when v is not NULL. */
static int one_row(struct pgc *c, const char *sql, long long arg, long long *v, char *err,
		   size_t errlen, const char *what)
{
	struct pgq *s;
	if (pg_prepare(c, sql, &s))
		return fail(err, errlen, what, c);
	if (pgq_nparams(s))
		pgq_int(s, 1, arg);
	int rc = pgq_step(s) == DB_ROW ? 0 : fail(err, errlen, what, c);
	if (rc == 0 && v)
		*v = pgq_col_int(s, 0);
	pgq_free(s);
	return rc;
}

static int read_version(struct pgc *c, int *v, char *err, size_t errlen)
{
	long long n;
	int rc = one_row(c, STORE_PG_SQL_VERSION, 0, &n, err, errlen, "reading schema_version");
	if (rc == 0)
		*v = (int)n;
	return rc;
}

/* Each migration with its version's update as one simple query: PostgreSQL
 * runs the statements of one query in one transaction, so a migration
 * and its version commit together or not at all. */
static int apply(struct pgc *c, int from, char *err, size_t errlen)
{
	char what[64];
	for (int i = from; i < SCHEMA_PG_VERSION; i++) {
		size_t n = strlen(schema_pg_migrations[i]) + sizeof SQL_SET_VERSION + 32;
		char *sql = malloc(n);
		if (!sql) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		snprintf(sql, n, "%s;" SQL_SET_VERSION, schema_pg_migrations[i], i + 1);
		snprintf(what, sizeof what, "migration %d", i + 1);
		int rc = run(c, sql, err, errlen, what);
		free(sql);
		if (rc)
			return -1;
	}
	return 0;
}

int store_pg_migrate(const char *conninfo, int *from, int *to, char *err, size_t errlen)
{
	struct pgc *c;
	char why[512];
	int refused = pg_connect_probe(conninfo, &c, why, sizeof why) == -2;
	if (refused) {
		char shown[512];
		pg_spec_redact(conninfo, shown, sizeof shown);
		snprintf(err, errlen,
			 "%s: the server refused the connection (check the user, password and"
			 " database name, and pg_hba.conf; trying again will not help): %s",
			 shown, why);
		return -3;
	}
	if (!c) {
		snprintf(err, errlen, "cannot connect: %s", why);
		return -2;
	}
	int rc = -1;
	if (one_row(c, SQL_LOCK, STORE_PG_MIGRATE_LOCK, NULL, err, errlen, "taking the migration lock"))
		goto done;
	if (run(c, SQL_VERSION_TABLE, err, errlen, "creating schema_version") ||
	    read_version(c, from, err, errlen))
		goto done;
	if (*from > SCHEMA_PG_VERSION) {
		snprintf(err, errlen,
			 "the database is at schema version %d, newer than this gazette's (%d):"
			 " upgrade gazette",
			 *from, SCHEMA_PG_VERSION);
		goto done;
	}
	if (apply(c, *from, err, errlen) == 0 && read_version(c, to, err, errlen) == 0)
		rc = 0;
	/* on failure pg_close ends the session, which releases the lock */
	if (rc == 0 && one_row(c, SQL_UNLOCK, STORE_PG_MIGRATE_LOCK, NULL, err, errlen,
			       "releasing the migration lock"))
		rc = -1;
done:
	pg_close(c);
	return rc;
}
