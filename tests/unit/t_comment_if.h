/*
 * t_comment_if.h: store_comment_insert_if_later's conditions, the same on
 * both engines (test_store_db.c on SQLite, test_store_pg.c on PostgreSQL):
 * in one transaction whose answers are read only after its COMMIT (the
 * comment batch's quick transaction), a post is stored, and its stamp
 * spent, only if it is no duplicate, its stamp was not spent (before, or
 * by an earlier post of the same transaction) and, when asked, its author
 * is no known commenter; a post not stored spends nothing.
 */
#ifndef T_COMMENT_IF_H
#define T_COMMENT_IF_H

#include "t.h"
#include "../../src/store/store.h"
#include "../../src/store/store_stamp.h"
#include "../../src/util/pool.h"

/* 1 when key is spent, 0 when not, -1 on an error. */
static inline int t_stamp_spent(struct store *st, long long story_id, const char *key)
{
	struct comment c = { .story_id = story_id, .author = "-", .email = "-", .body = "-" };
	struct db_ans ans;
	store_comment_checks_later(st, &c, key, &ans);
	if (store_flush(st) != STORE_OK || ans.rc != DB_ROW)
		return -1;
	return (ans.value & STORE_CHECK_SPENT) != 0;
}

static inline struct comment t_comment(long long story_id, const char *author, const char *body)
{
	return (struct comment){ .story_id = story_id, .author = author,
				 .email = author, .url = "", .body = body, .body_html = body,
				 .ip = "127.0.0.1", .user_agent = "", .user_role = "",
				 .status = COMMENT_PENDING };
}

/* The conditions, on story_id (any story the store has). */
static inline void t_comments_if(struct store *st, long long story_id)
{
	/* a known commenter (an approved comment), and a stamp spent the
	 * other way (its post 0) */
	struct comment known = t_comment(story_id, "kim@example.org", "Approved before.");
	known.status = COMMENT_APPROVED;
	long long id = 0;
	struct db_ans old;
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_comment_insert(st, &known, &id) == STORE_OK && id > 0);
	store_stamp_spend_later(st, "if-old", 100, &old);
	CHECK(store_flush(st) == STORE_OK && old.changes == 1);
	CHECK(store_commit(st) == STORE_OK);

	struct {
		struct comment c;
		const char *stamp;
		int unless_known, stored;
		struct db_ans spend, insert;
	} v[] = {
		{ t_comment(story_id, "ann@example.org", "First."), "if-1", 1, 1, { 0 }, { 0 } },
		/* the same stamp, another text: spent by the post before */
		{ t_comment(story_id, "ann@example.org", "Second."), "if-1", 1, 0, { 0 }, { 0 } },
		/* the first's text again, a new stamp: a duplicate */
		{ t_comment(story_id, "ann@example.org", "First."), "if-3", 1, 0, { 0 }, { 0 } },
		/* a known commenter whose comment would be judged otherwise */
		{ t_comment(story_id, "kim@example.org", "Known."), "if-4", 1, 0, { 0 }, { 0 } },
		/* the same, judged alike whoever wrote it */
		{ t_comment(story_id, "kim@example.org", "Known."), "if-5", 0, 1, { 0 }, { 0 } },
		{ t_comment(story_id, "lee@example.org", "No stamp."), NULL, 1, 1, { 0 }, { 0 } },
		{ t_comment(story_id, "lee@example.org", "No stamp."), NULL, 1, 0, { 0 }, { 0 } },
		/* a stamp spent before, by a spend without a post number */
		{ t_comment(story_id, "max@example.org", "Late."), "if-old", 0, 0, { 0 }, { 0 } },
	};
	size_t n = sizeof v / sizeof v[0];
	CHECK(store_begin_queued(st) == STORE_OK);
	for (size_t i = 0; i < n; i++)
		store_comment_insert_if_later(st, &v[i].c, v[i].stamp, 100, (long long)i + 1,
					      v[i].unless_known, &v[i].spend, &v[i].insert);
	CHECK(store_commit_queued(st) == STORE_OK);
	for (size_t i = 0; i < n; i++) {
		CHECK(v[i].insert.rc == (v[i].stored ? DB_ROW : DB_DONE));
		CHECK(!v[i].stored || v[i].insert.value > id);
	}
	CHECK(v[4].insert.value > v[0].insert.value && v[5].insert.value > v[4].insert.value);
	CHECK(t_stamp_spent(st, story_id, "if-1") == 1);
	CHECK(t_stamp_spent(st, story_id, "if-3") == 0);
	CHECK(t_stamp_spent(st, story_id, "if-4") == 0);
	CHECK(t_stamp_spent(st, story_id, "if-5") == 1);
	store_rollback(st);
	/* stored as posted, held */
	struct pool *p = pool_new();
	struct comment got;
	CHECK(store_comment_get(st, p, v[4].insert.value, &got) == STORE_OK);
	CHECK_STR(got.body, "Known.");
	CHECK(got.status == COMMENT_PENDING);
	pool_free(p);
	store_rollback(st);
}

#endif
