/*
 * test_list_deps: what a list page reports it depends on (the page cache
 * drops a page when one of its tags is touched). The home page depends on
 * list:home; a section's, tag's or author's list on its own tag and the
 * stories it shows, not on list:home, or every publish anywhere would
 * drop every list page of the site.
 */
#include "t.h"
#include "seen.h"
#include "../../src/store/store.h"
#include "../../src/util/pool.h"

#include <stdlib.h>
#include <unistd.h>

static void deps_of(struct store *st, struct pool *p, struct story_filter f, struct seen *out)
{
	struct story *v;
	size_t n;
	int more;
	memset(out, 0, sizeof *out);
	store_set_recorder(st, seen_record, out);
	CHECK(store_stories_list(st, p, &f, NULL, 0, 10, &v, &n, &more) == STORE_OK);
	store_set_recorder(st, NULL, NULL);
}

static void lists_depend_on_their_own_tags(void)
{
	char dir[] = "/tmp/gz-deps-XXXXXX";
	struct store *st = seen_store_open(dir);
	struct pool *p = pool_new();
	struct seen s;
	deps_of(st, p, (struct story_filter){ 0 }, &s);
	CHECK(seen_has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .section_id = 3 }, &s);
	CHECK(seen_has(&s, "section:3") && !seen_has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .section_id = 3, .section_tree = 1 }, &s);
	CHECK(seen_has(&s, "section:3") && !seen_has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .tag_id = 7 }, &s);
	CHECK(seen_has(&s, "tag:7") && !seen_has(&s, "list:home"));
	deps_of(st, p, (struct story_filter){ .author_id = 2 }, &s);
	CHECK(seen_has(&s, "author:2") && !seen_has(&s, "list:home"));
	pool_free(p);
	seen_store_close(st, dir);
}

int main(void)
{
	RUN(lists_depend_on_their_own_tags);
	return T_DONE();
}
