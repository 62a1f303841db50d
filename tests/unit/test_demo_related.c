/*
 * test_demo_related: loads the real demo content into a fresh database
 * and checks the seed story's related articles are the stories about
 * Pakistan, Azerbaijan and the region's diplomacy, trade, energy and
 * transport links, judged by their tags, never an unrelated one.
 */
#include "t.h"
#include "../../src/cli/cli.h"
#include "../../src/store/store.h"
#include "../../src/util/pool.h"

#include <stdlib.h>
#include <unistd.h>

#define SEED "pakistan-azerbaijan-ties-strengthening-bonds-for-development"

static const char *const regional[] = { "Pakistan", "Azerbaijan", "Diplomacy", "Trade",
					"Energy", "Transport", "Central Asia", "COP29" };

static int is_regional(const struct story *s)
{
	for (size_t i = 0; i < s->ntags; i++)
		for (size_t k = 0; k < sizeof regional / sizeof regional[0]; k++)
			if (strcmp(s->tags[i].name, regional[k]) == 0)
				return 1;
	return 0;
}

static void seed_related_are_regional(void)
{
	char dir[] = "/tmp/gz-demo-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	int rc = demo_load(st, "demo", dir, 1, err, sizeof err); /* the demo as shipped, photos too */
	if (rc)
		fprintf(stderr, "demo_load: %s\n", err);
	CHECK(rc == 0);
	struct pool *p = pool_new();
	struct story seed, *rel;
	size_t n = 0;
	CHECK(store_story_by_slug(st, p, SEED, &seed) == 0);
	CHECK(store_related(st, p, seed.id, &rel, &n) == 0);
	CHECK(n == 4);
	for (size_t i = 0; i < n; i++) {
		struct story full;
		CHECK(rel[i].id != seed.id);
		CHECK(store_story_by_id(st, p, rel[i].id, &full) == 0);
		if (!is_regional(&full))
			fprintf(stderr, "unrelated story in the list: %s\n", full.slug);
		CHECK(is_regional(&full));
	}
	/* an unrelated story (football) does not list the seed story first */
	struct story *list;
	size_t m;
	int more = 1;
	struct story_filter f = { 0 };
	CHECK(store_stories_list(st, p, &f, NULL, 0, 100, &list, &m, &more) == 0);
	CHECK(m >= 13 && !more);
	CHECK(store_stories_list(st, p, &f, NULL, 0, 5, &list, &m, &more) == 0);
	CHECK(m == 5 && more);
	pool_free(p);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

int main(void)
{
	RUN(seed_related_are_regional);
	return T_DONE();
}
