/*
 * t_store.h: for unit tests of the store: a store on a new database in a
 * new temporary folder, and closing it with the folder removed.
 */
#ifndef T_STORE_H
#define T_STORE_H

#include "../../src/store/store.h"

#include <stdio.h>
#include <stdlib.h>

static char t_store_dir[64];

/* The store, or NULL with the reason printed. */
static inline struct store *t_store_open(const char *name)
{
	char path[128], err[256];
	struct store *st;
	snprintf(t_store_dir, sizeof t_store_dir, "/tmp/gz-%s-XXXXXX", name);
	if (!mkdtemp(t_store_dir))
		return NULL;
	snprintf(path, sizeof path, "%s/gazette.db", t_store_dir);
	if (store_open(&st, path, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	return st;
}

/* Closes st, removes its folder and returns main's status: rc, or 1 when
 * the folder stays. */
static inline int t_store_close(struct store *st, int rc)
{
	char cmd[128];
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_store_dir);
	return system(cmd) != 0 ? 1 : rc;
}

#endif
