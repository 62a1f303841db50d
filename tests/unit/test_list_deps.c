/*
 * test_list_deps: what a list page reports it depends on (the page cache
 * drops a page when one of its tags is touched). The home page depends on
 * list:home; a section's, tag's or author's list on its own tag and the
 * stories it shows, not on list:home, or every publish anywhere would
 * drop every list page of the site.
 */
#include "t.h"
#include "../../src/store/store.h"
#include "../../src/util/pool.h"

#include <stdlib.h>
#include <unistd.h>

struct seen {
	char tags[32][64];
	int n;
};

static void record(void *arg, const char *tag)
{
	struct seen *s = arg;
	if (s->n < 32)
		snprintf(s->tags[s->n++], sizeof s->tags[0], "%s", tag);
}

static int has(const struct seen *s, const char *tag)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->tags[i], tag) == 0)
			return 1;
	return 0;
}

static void deps_of(struct store *st, struct pool *p, struct story_filter f, struct seen *out)
{
	struct story *v;
	size_t n;
	int more;
	memset(out, 0, sizeof *out);
	store_set_recorder(st, record, out);
	CHECK(store_stories_list(st, p, &f, NULL, 0, 10, &v, &n, &more) == STORE_OK);
	store_set_recorder(st, NULL, NULL);
}

static void lists_depend_on_their_own_tags(void)
{
	char dir[] = "/tmp/gz-deps-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	struct pool *p = pool_new();
	struct seen s;
	deps_of(st, p, (struct story_filter){ 0 }, &s);
	CHECK(has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .section_id = 3 }, &s);
	CHECK(has(&s, "section:3") && !has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .section_id = 3, .section_tree = 1 }, &s);
	CHECK(has(&s, "section:3") && !has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .tag_id = 7 }, &s);
	CHECK(has(&s, "tag:7") && !has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .author_id = 2 }, &s);
	CHECK(has(&s, "author:2") && !has(&s, "list:home"));
	pool_free(p);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

int main(void)
{
	RUN(lists_depend_on_their_own_tags);
	return T_DONE();
}
