/*
 * t_pg.h: for unit tests against PostgreSQL: the server with_pg.sh
 * started for this run (GAZETTE_TEST_PG, a libpq connection string), or,
 * when there is none, the test run again under with_pg.sh (never the
 * caller's PGHOST: a test writes only to a server of its own).
 */
#ifndef T_PG_H
#define T_PG_H

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* GAZETTE_TEST_PG; without it, execs with_pg.sh on argv0 (returns only
 * when that fails: NULL). */
static inline const char *t_pg_conninfo(const char *argv0)
{
	const char *conninfo = getenv("GAZETTE_TEST_PG");
	if (conninfo && *conninfo)
		return conninfo;
	char here[] = __FILE__;
	char script[512];
	snprintf(script, sizeof script, "%s/with_pg.sh", dirname(here));
	execl("/bin/sh", "sh", script, argv0, (char *)NULL);
	perror(script);
	return NULL;
}

#include "../../src/store/db.h"
#include "../../src/store/store.h"

#include <time.h>

/* The URL of with_pg.sh's server for store_open into url (the user it
 * made, on PGPORT): 0, or -1 (no server: t_pg_conninfo execs it). */
static inline int t_pg_url(const char *argv0, char *url, size_t size)
{
	const char *port = getenv("PGPORT"); /* with_pg.sh's, beside GAZETTE_TEST_PG */
	if (!t_pg_conninfo(argv0) || !port)
		return -1;
	snprintf(url, size, "postgresql://gazette@127.0.0.1:%s/postgres", port);
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
	int rc = pg_exec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
			    "pid <> pg_backend_pid() AND backend_type = 'client backend'");
	pg_close(c);
	nanosleep(&(struct timespec){ 0, 100000000L }, NULL); /* the backends are gone */
	return rc;
}

#endif
