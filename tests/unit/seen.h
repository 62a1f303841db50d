/*
 * seen: a store recorder for the unit tests of dependency tags (see
 * store_set_recorder): collects up to 32 tags a read reports; and a
 * fresh database to record on.
 */
#ifndef GZ_TEST_SEEN_H
#define GZ_TEST_SEEN_H

#include "t.h"
#include "../../src/store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seen {
	char tags[32][64];
	int n;
};

static void seen_record(void *arg, const char *tag)
{
	struct seen *s = arg;
	if (s->n < 32)
		snprintf(s->tags[s->n++], sizeof s->tags[0], "%s", tag);
}

static int seen_has(const struct seen *s, const char *tag)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* A fresh database in a new directory made from dir (a mkdtemp
 * template, rewritten), and its removal. */
static struct store *seen_store_open(char *dir)
{
	char path[128], err[256];
	struct store *st = NULL;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	return st;
}

static void seen_store_close(struct store *st, const char *dir)
{
	char cmd[160];
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

#endif
