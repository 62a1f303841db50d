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

#endif
