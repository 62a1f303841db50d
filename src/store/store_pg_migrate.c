/*
 * store_pg_migrate: applies schema_pg.h's migrations (store_pg_migrate.h).
 * A PostgreSQL engine file (tests/lint/engine.js): it speaks libpq itself,
 * before any store is open. The version is a row of schema_version, the
 * PostgreSQL counterpart of SQLite's PRAGMA user_version.
 */
#include "store_pg_migrate.h"
#include "schema.h"
#include "schema_pg.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SCHEMA_PG_VERSION == SCHEMA_VERSION,
	       "schema_pg.h must translate every migration of schema.h, in the same order");

const int STORE_PG_SCHEMA_VERSION = SCHEMA_PG_VERSION;

static const char SQL_LOCK[] = "SELECT pg_advisory_lock($1::bigint)";
static const char SQL_UNLOCK[] = "SELECT pg_advisory_unlock($1::bigint)";
static const char SQL_VERSION_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_version(id BIGINT PRIMARY KEY CHECK(id = 1),"
	" version BIGINT NOT NULL, migrated_at BIGINT NOT NULL);"
	"INSERT INTO schema_version VALUES(1, 0, 0) ON CONFLICT DO NOTHING;";
static const char SQL_VERSION[] = "SELECT version FROM schema_version WHERE id = 1";
#define SQL_SET_VERSION \
	"UPDATE schema_version SET version = %d," \
	" migrated_at = floor(extract(epoch FROM now()))::bigint WHERE id = 1;"

/* the server's notices (DROP ... IF EXISTS, ...) are not the user's business */
static void quiet(void *arg, const PGresult *r)
{
}

/* "what: the server's message", without libpq's closing newline */
static void fail(char *err, size_t errlen, const char *what, PGconn *c)
{
	snprintf(err, errlen, "%s: %s", what, PQerrorMessage(c));
	size_t n = strlen(err);
	while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
}

/* Runs sql (one parameter at most); 0 ok, -1 with the server's message. */
static int run(PGconn *c, const char *sql, const char *param, char *err, size_t errlen,
	       const char *what)
{
	PGresult *r = param ? PQexecParams(c, sql, 1, NULL, &param, NULL, NULL, 0) : PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		fail(err, errlen, what, c);
	PQclear(r);
	return ok ? 0 : -1;
}

static int read_version(PGconn *c, int *v, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, SQL_VERSION);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (ok)
		*v = atoi(PQgetvalue(r, 0, 0));
	else
		fail(err, errlen, "reading schema_version", c);
	PQclear(r);
	return ok ? 0 : -1;
}

/* Each migration with its version's update as one simple query: PostgreSQL
 * runs the statements of one query in one transaction, so a migration
 * and its version commit together or not at all. */
static int apply(PGconn *c, int from, char *err, size_t errlen)
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
		int rc = run(c, sql, NULL, err, errlen, what);
		free(sql);
		if (rc)
			return -1;
	}
	return 0;
}

int store_pg_migrate(const char *conninfo, int *from, int *to, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fail(err, errlen, "cannot connect", c);
		PQfinish(c);
		return -1;
	}
	PQsetNoticeReceiver(c, quiet, NULL);
	char key[32];
	snprintf(key, sizeof key, "%lld", STORE_PG_MIGRATE_LOCK);
	int rc = -1;
	if (run(c, SQL_LOCK, key, err, errlen, "taking the migration lock"))
		goto done;
	if (run(c, SQL_VERSION_TABLE, NULL, err, errlen, "creating schema_version") ||
	    read_version(c, from, err, errlen))
		goto unlock;
	if (*from > SCHEMA_PG_VERSION) {
		snprintf(err, errlen,
			 "the database is at schema version %d, newer than this gazette's (%d):"
			 " upgrade gazette",
			 *from, SCHEMA_PG_VERSION);
		goto unlock;
	}
	if (apply(c, *from, err, errlen) == 0 && read_version(c, to, err, errlen) == 0)
		rc = 0;
unlock:
	/* on failure PQfinish ends the session, which releases the lock */
	if (rc == 0 && run(c, SQL_UNLOCK, key, err, errlen, "releasing the migration lock"))
		rc = -1;
done:
	PQfinish(c);
	return rc;
}
