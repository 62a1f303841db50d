/*
 * test_store_cache: the settings and sections a connection keeps between
 * pages (rows_cached in store_read.c) follow changes made by another
 * connection, including a change that commits while the reader is inside
 * its page's read snapshot: the old rows it reads there must not be kept
 * as current afterwards.
 */
#include "t.h"
#include "../../src/store/store.h"
#include "../../src/util/pool.h"

#include <stdlib.h>
#include <unistd.h>

static const char *setting(struct store *st, struct pool *p, const char *key)
{
	const char *v = NULL;
	return store_setting_get(st, p, key, &v) == STORE_OK ? v : NULL;
}

static void kept_rows_follow_other_writers(void)
{
	char dir[] = "/tmp/gz-cache-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *a, *b;
	CHECK(store_open(&a, path, err, sizeof err) == 0);
	CHECK(store_open(&b, path, err, sizeof err) == 0);
	struct pool *p = pool_new();
	CHECK(store_setting_set(b, "comments_closed", "0") == STORE_OK);
	CHECK_STR(setting(a, p, "comments_closed"), "0");

	/* a page begins: its snapshot holds "0" */
	CHECK(store_read_begin(a) == STORE_OK);
	struct section *secs;
	size_t n;
	CHECK(store_sections(a, p, &secs, &n) == STORE_OK);
	/* another connection closes comments meanwhile */
	CHECK(store_setting_set(b, "comments_closed", "1") == STORE_OK);
	CHECK_STR(setting(a, p, "comments_closed"), "0"); /* the snapshot's view */
	store_read_end(a);
	/* the next page, and every one after, sees the change */
	CHECK_STR(setting(a, p, "comments_closed"), "1");
	CHECK(store_read_begin(a) == STORE_OK);
	CHECK_STR(setting(a, p, "comments_closed"), "1");
	store_read_end(a);
	CHECK_STR(setting(a, p, "comments_closed"), "1");

	/* a new section shows in the next page's navigation */
	long long id;
	CHECK(store_section_put(b, "Weather", "weather", 9, &id) == STORE_OK);
	CHECK(store_read_begin(a) == STORE_OK);
	CHECK(store_sections(a, p, &secs, &n) == STORE_OK);
	store_read_end(a);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(secs[i].slug, "weather") == 0;
	CHECK(found);

	pool_free(p);
	store_close(a);
	store_close(b);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

int main(void)
{
	RUN(kept_rows_follow_other_writers);
	return T_DONE();
}
