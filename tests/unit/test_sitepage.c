/*
 * test_sitepage: static pages' rules and their exact invalidation (issue
 * 15). A page view depends on its own tag and its parent's, never on
 * another page's; a miss depends on "sitepages"; a save logs the page,
 * its children when its address moves, and the set. The menu's read
 * reports "menu" and its page items' tags. Names of the site's routes and
 * year numbers are refused for a top-level page.
 */
#include "t.h"
#include "seen.h"
#include "../../src/content/menu.h"
#include "../../src/content/sitepage.h"
#include "../../src/store/store_sitepage.h"
#include "../../src/util/pool.h"

#include <stdlib.h>
#include <unistd.h>

static void logged(void *arg, long long seq, const char *tag)
{
	(void)seq;
	seen_record(arg, tag);
}

static int has(const struct seen *s, const char *fmt, long long id)
{
	char tag[64];
	snprintf(tag, sizeof tag, fmt, id);
	return seen_has(s, tag);
}

/* The tags a page read at path reports. */
static void read_deps(struct store *st, struct pool *p, const char *path, struct seen *out)
{
	struct sitepage pg;
	memset(out, 0, sizeof *out);
	store_set_recorder(st, seen_record, out);
	store_sitepage_by_path(st, p, path, &pg);
	store_set_recorder(st, NULL, NULL);
}

/* Saves a page and collects what the change log got from it. */
static long long save(struct store *st, struct pool *p, long long id, const char *title,
		      const char *slug, long long parent, struct seen *out)
{
	long long seq = 0, got = 0;
	const char *msg = NULL;
	struct sitepage_input in = { title, slug, "Text.", parent, 1 };
	CHECK(store_changes_head(st, &seq) == STORE_OK);
	CHECK(sitepage_save(st, p, id, &in, NULL, &got, &msg) == STORE_OK);
	if (out) {
		memset(out, 0, sizeof *out);
		CHECK(store_changes_since(st, &seq, 100, logged, out) >= 0);
	}
	return got;
}

static void pages_invalidate_exactly(void)
{
	char dir[] = "/tmp/gz-sitepage-XXXXXX";
	struct store *st = seen_store_open(dir);
	struct pool *p = pool_new();
	struct seen s;
	long long about = save(st, p, 0, "About", "about", 0, NULL);
	long long team = save(st, p, 0, "Team", "team", about, NULL);
	long long privacy = save(st, p, 0, "Privacy", "", 0, NULL);
	CHECK(about && team && privacy);

	read_deps(st, p, "about/team", &s);
	CHECK(has(&s, "sitepage:%lld", team) && has(&s, "sitepage:%lld", about));
	CHECK(!has(&s, "sitepage:%lld", privacy) && !has(&s, "sitepages", 0));
	read_deps(st, p, "privacy", &s);
	CHECK(has(&s, "sitepage:%lld", privacy) && !has(&s, "sitepage:%lld", about));
	read_deps(st, p, "nothing-here", &s);
	CHECK(has(&s, "sitepages", 0));

	save(st, p, privacy, "Privacy policy", "privacy", 0, &s);
	CHECK(has(&s, "sitepage:%lld", privacy) && has(&s, "sitepages", 0));
	CHECK(!has(&s, "sitepage:%lld", about) && !has(&s, "sitepage:%lld", team));
	save(st, p, about, "About", "who", 0, &s); /* the child's address moves too */
	CHECK(has(&s, "sitepage:%lld", about) && has(&s, "sitepage:%lld", team));
	CHECK(!has(&s, "sitepage:%lld", privacy));
	struct sitepage pg;
	CHECK(store_sitepage_by_path(st, p, "who/team", &pg) == STORE_OK && pg.id == team);

	/* the menu: its read depends on "menu" and its page items */
	const char *msg = NULL;
	long long item;
	struct menu_input in = { MENU_HEADER, "", "/who", 0 };
	CHECK(menu_add(st, p, &in, &item, &msg) == STORE_OK);
	struct menu_item *v;
	size_t n;
	memset(&s, 0, sizeof s);
	store_set_recorder(st, seen_record, &s);
	CHECK(store_menu(st, p, MENU_HEADER, &v, &n) == STORE_OK && n == 1);
	store_set_recorder(st, NULL, NULL);
	CHECK(v[0].kind == MENU_PAGE && v[0].target_id == about && v[0].live);
	CHECK(has(&s, "menu", 0) && has(&s, "sitepage:%lld", about) && !has(&s, "sitepage:%lld", team));
	struct menu_input bad = { MENU_HEADER, "x", "javascript:alert(1)", 0 };
	CHECK(menu_add(st, p, &bad, &item, &msg) == STORE_INVALID);

	pool_free(p);
	seen_store_close(st, dir);
}

static void route_names_are_refused(void)
{
	struct pool *p = pool_new();
	static const char *const refused[] = { "admin", "feed", "search", "section", "tag", "author",
					       "media", "comments", "static", "sitemap.xml",
					       "robots.txt", "2024", "1" };
	static const char *const allowed[] = { "about", "contact", "imprint", "privacy", "2024-review",
					       "feeds", "administration" };
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		CHECK(sitepage_slug_refused(p, refused[i]) != NULL);
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		CHECK(sitepage_slug_refused(p, allowed[i]) == NULL);
	CHECK_CONTAINS(sitepage_slug_refused(p, "feed"), "(/feed)");
	CHECK_STR(sitepage_url(p, "about/caf\xc3\xa9"), "/about/caf%C3%A9");
	pool_free(p);
}

int main(void)
{
	RUN(pages_invalidate_exactly);
	RUN(route_names_are_refused);
	return T_DONE();
}
