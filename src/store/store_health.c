/*
 * store_health: detects a connection left read-only by a transient
 * condition (see store_health.h). The check costs one flag read on a
 * healthy connection; only a read-only one also asks the file system.
 */
#include "store_health.h"
#include "store_int.h"
#include "db_pg.h"

#include <stdio.h>
#include <unistd.h>

unsigned long long store_outages(void)
{
	return pg_outages();
}

void store_outages_add(unsigned long long n)
{
	pg_outages_add(n);
}

int store_stale_readonly(struct store *st, const char *path)
{
	/* PostgreSQL's connection has no file to become writable again
	 * (and asking would cost a round trip per request) */
	if (!st || !DB_LITE(st->db) || db_readonly(st->db) != 1)
		return 0;
	return access(path, W_OK) == 0;
}

/* A file the kernel would let us write: access(2) refuses an immutable
 * file even to root, and a read-only one to everyone else. */
static int writable(const char *path, const char *suffix)
{
	char p[1024];
	snprintf(p, sizeof p, "%s%s", path, suffix);
	return access(p, W_OK) == 0 || access(p, F_OK) != 0;
}

enum store_ready store_ready(struct store *st, const char *path)
{
	int have, want;
	if (store_schema(st, &have, &want) != STORE_OK)
		return STORE_READY_WRITE;
	if (have != want)
		return STORE_READY_SCHEMA;
	/* the write transaction begun on the server: on PostgreSQL its BEGIN
	 * and the writers' lock go with its first statement */
	long long v;
	if (db_readonly(st->db) != 0 || !writable(path, "") ||
	    !writable(path, "-wal") || store_begin(st) != STORE_OK)
		return STORE_READY_WRITE;
	if (store_data_version(st, &v) != STORE_OK) {
		store_rollback(st);
		return STORE_READY_WRITE;
	}
	store_rollback(st);
	return STORE_READY_OK;
}
