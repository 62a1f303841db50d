/*
 * t_pg.h: for unit tests against PostgreSQL: the server with_pg.sh
 * started for this run (GAZETTE_TEST_PG, a libpq connection string), or,
 * when there is none, the test run again under with_pg.sh (never the
 * caller's PGHOST: a test writes only to a server of its own). Each test
 * binary gets a database of its own there, t_NAME, made anew (make test
 * STORE=pg runs them all on one server: test_search_pg's users were
 * test_store_pg's conflicts).
 */
#ifndef T_PG_H
#define T_PG_H

#include "../../src/store/db.h"
#include "../../src/store/store.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* t_NAME for the binary argv0 into name (letters, digits, _) */
static inline void t_pg_dbname(const char *argv0, char *name, size_t size)
{
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	size_t n = (size_t)snprintf(name, size, "t_%s", base);
	for (size_t i = 2; i < n && i + 1 < size; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			name[i] = '_';
	}
}

/* GAZETTE_TEST_PG naming this test's own database, dropped and made again;
 * without it, execs with_pg.sh on argv0 (returns only when that fails:
 * NULL). */
static inline const char *t_pg_conninfo(const char *argv0)
{
	static char own[512];
	const char *conninfo = getenv("GAZETTE_TEST_PG");
	if (!conninfo || !*conninfo) {
		char here[] = __FILE__;
		char script[512];
		snprintf(script, sizeof script, "%s/with_pg.sh", dirname(here));
		execl("/bin/sh", "sh", script, argv0, (char *)NULL);
		perror(script);
		return NULL;
	}
	char name[64], drop[128], create[128], err[256];
	struct pgc *c;
	t_pg_dbname(argv0, name, sizeof name);
	snprintf(drop, sizeof drop, "DROP DATABASE IF EXISTS %s", name);
	snprintf(create, sizeof create, "CREATE DATABASE %s", name);
	if (pg_connect(conninfo, &c, err, sizeof err)) {
		fprintf(stderr, "t_pg: %s\n", err);
		return NULL;
	}
	int rc = pg_exec(c, drop) || pg_exec(c, create);
	pg_close(c);
	if (rc) {
		fprintf(stderr, "t_pg: could not make database %s\n", name);
		return NULL;
	}
	snprintf(own, sizeof own, "%s dbname=%s", conninfo, name); /* the last dbname wins */
	return own;
}

/* The URL of with_pg.sh's server for store_open into url (the user it
 * made, on PGPORT): 0, or -1 (no server: t_pg_conninfo execs it). */
static inline int t_pg_url(const char *argv0, char *url, size_t size)
{
	const char *port = getenv("PGPORT"); /* with_pg.sh's, beside GAZETTE_TEST_PG */
	char name[64];
	if (!t_pg_conninfo(argv0) || !port)
		return -1;
	t_pg_dbname(argv0, name, sizeof name);
	snprintf(url, size, "postgresql://gazette@127.0.0.1:%s/%s", port, name);
	return 0;
}

static inline struct store *t_pg_open(const char *url)
{
	struct store *st = NULL;
	char err[512];
	if (store_open(&st, url, err, sizeof err)) {
		fprintf(stderr, "store_open: %s\n", err);
		return NULL;
	}
	return st;
}

/* Ends every other client's backend, as a server restart would: 0, or -1. */
static inline int t_pg_terminate_others(const char *url)
{
	struct pgc *c;
	char err[256];
	if (pg_connect(url, &c, err, sizeof err))
		return -1;
	int rc = pg_exec(c, "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE "
			    "pid <> pg_backend_pid() AND backend_type = 'client backend'");
	pg_close(c);
	nanosleep(&(struct timespec){ 0, 100000000L }, NULL); /* the backends are gone */
	return rc;
}

#endif
