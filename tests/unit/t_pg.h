/*
 * t_pg.h: for unit tests against PostgreSQL: the server to use, or, when
 * the caller gave none (GAZETTE_TEST_PG unset: never the caller's PGHOST),
 * the test run again under tests/unit/with_pg.sh, which starts one in a
 * temporary folder and sets it.
 */
#ifndef T_PG_H
#define T_PG_H

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* GAZETTE_TEST_PG's connection string; or runs argv0 under with_pg.sh
 * (returns NULL only when that could not start). */
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
