/*
 * Unit tests for the store's statement API (src/store/db.h) where the SQL
 * changed with it: new rows' ids read back through RETURNING (insert_id),
 * a constraint's refusal as STORE_CONFLICT, and the forms both engines
 * share (IS [NOT] DISTINCT FROM with NULLs, ON CONFLICT DO NOTHING/UPDATE).
 */
#include "t.h"
#include "t_store.h"
#include "t_comment_if.h"
#include "../../src/store/store.h"
#include "../../src/store/store_byline.h"
#include "../../src/store/store_menu.h"
#include "../../src/store/store_session.h"
#include "../../src/store/store_user.h"
#include "../../src/util/pool.h"

#include <time.h>

static struct store *st;
static long long author;

static int story(const char *slug, long long *id)
{
	struct story s = { .slug = slug, .title = slug, .excerpt = "", .body_md = "x",
			   .body_html = "<p>x</p>", .status = STORY_DRAFT, .lang = "" };
	s.author.id = author;
	return store_story_insert(st, &s, id);
}

static void test_ids_come_back(void)
{
	struct pool *p = pool_new();
	long long a = 0, b = 0, again = -1;
	CHECK(story("first", &a) == STORE_OK && a > 0);
	CHECK(story("second", &b) == STORE_OK && b > a);
	struct story got;
	CHECK(store_story_by_id(st, p, b, &got) == STORE_OK);
	CHECK_STR(got.slug, "second");
	/* the same slug: refused with the store's message, nothing written */
	CHECK(story("first", &again) == STORE_CONFLICT);
	CHECK_CONTAINS(store_errmsg(st), "a story with slug first exists");
	CHECK(again == -1);
	CHECK(store_story_by_id(st, p, a, &got) == STORE_OK);
	CHECK_STR(got.slug, "first");
	long long u = 0;
	CHECK(store_user_create(st, "Other", "other", "other@example.org", ROLE_AUTHOR, "", &u) ==
		      STORE_OK &&
	      u > author);
	CHECK(store_user_create(st, "Twin", "other", "twin@example.org", ROLE_AUTHOR, "", &u) ==
	      STORE_CONFLICT);
	pool_free(p);
}

static const char *order(struct pool *p)
{
	struct menu_item *v;
	size_t n;
	char *out = pool_alloc(p, 128);
	out[0] = '\0';
	CHECK(store_menu(st, p, MENU_FOOTER, &v, &n) == STORE_OK);
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), 128 - strlen(out), "%s%s", i ? " " : "", v[i].label);
	return out;
}

/* Top-level items have no parent (NULL): appending and moving compare
 * parents NULL-safely, so they are siblings of one another only. */
static void test_menu_null_parents(void)
{
	struct pool *p = pool_new();
	long long a, b, c, a1, a2;
	struct menu_item x = { .menu = MENU_FOOTER, .kind = MENU_LINK, .url = "/x" };
	x.label = "A";
	CHECK(store_menu_add(st, &x, &a) == STORE_OK);
	x.label = "B";
	CHECK(store_menu_add(st, &x, &b) == STORE_OK);
	x.parent_id = a;
	x.label = "a1";
	CHECK(store_menu_add(st, &x, &a1) == STORE_OK);
	x.label = "a2";
	CHECK(store_menu_add(st, &x, &a2) == STORE_OK);
	x.parent_id = 0;
	x.label = "C";
	CHECK(store_menu_add(st, &x, &c) == STORE_OK);
	CHECK(a < b && b < a1 && a1 < a2 && a2 < c);
	CHECK_STR(order(p), "A a1 a2 B C");
	CHECK(store_menu_move(st, c, -1) == STORE_OK);
	CHECK_STR(order(p), "A a1 a2 C B");
	CHECK(store_menu_move(st, a2, -1) == STORE_OK);
	CHECK_STR(order(p), "A a2 a1 C B");
	CHECK(store_menu_move(st, a, -1) == STORE_OK); /* first already */
	CHECK_STR(order(p), "A a2 a1 C B");
	pool_free(p);
}

static void test_sessions_but_one(void)
{
	struct pool *p = pool_new();
	long long now = (long long)time(NULL);
	struct session s;
	CHECK(store_session_put(st, "s1", author, now, "", "") == STORE_OK);
	CHECK(store_session_put(st, "s2", author, now, "", "") == STORE_OK);
	CHECK(store_session_put(st, "s3", author, now, "", "") == STORE_OK);
	CHECK(store_sessions_delete_user(st, author, "s2") == STORE_OK);
	CHECK(store_session_get(st, p, "s1", &s) == STORE_NOTFOUND);
	CHECK(store_session_get(st, p, "s2", &s) == STORE_OK);
	CHECK(store_session_get(st, p, "s3", &s) == STORE_NOTFOUND);
	CHECK(store_sessions_delete_user(st, author, NULL) == STORE_OK);
	CHECK(store_session_get(st, p, "s2", &s) == STORE_NOTFOUND);
	pool_free(p);
}

/* The comment batch's one-round-trip statements (t_comment_if.h). */
static void test_comments_if(void)
{
	long long id = 0;
	CHECK(story("comments-if", &id) == STORE_OK);
	t_comments_if(st, id);
}

/* A form's post reads its story's summary from the connection's cache:
 * the same rows while nothing changed, the new ones once something did,
 * and the story asked for, not the last one kept. */
static void test_summary_kept(void)
{
	struct pool *p = pool_new();
	long long a = 0, b = 0;
	CHECK(story("summary-a", &a) == STORE_OK && story("summary-b", &b) == STORE_OK);
	struct story got;
	CHECK(store_story_summary_by_id(st, p, a, &got) == STORE_OK);
	CHECK_STR(got.slug, "summary-a");
	CHECK(got.revised_at == 0);
	CHECK(store_story_summary_by_id(st, p, b, &got) == STORE_OK);
	CHECK_STR(got.slug, "summary-b");
	CHECK(store_story_mark_updated(st, b, 1720000000) == STORE_OK);
	CHECK(store_story_summary_by_id(st, p, b, &got) == STORE_OK);
	CHECK(got.revised_at == 1720000000);
	CHECK(store_story_summary_by_id(st, p, a, &got) == STORE_OK);
	CHECK_STR(got.slug, "summary-a");
	CHECK(store_story_summary_by_id(st, p, b + 1000, &got) == STORE_NOTFOUND);
	CHECK(store_story_summary_by_id(st, p, b, &got) == STORE_OK);
	CHECK(got.id == b && got.revised_at == 1720000000);
	pool_free(p);
}

int main(void)
{
	if (!(st = t_store_open("store-db")))
		return 1;
	if (store_user_create(st, "Ann", "ann", "ann@example.org", ROLE_EDITOR, "", &author)) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		return 1;
	}
	RUN(test_ids_come_back);
	RUN(test_menu_null_parents);
	RUN(test_sessions_but_one);
	RUN(test_comments_if);
	RUN(test_summary_kept);
	return t_store_close(st, T_DONE());
}
