/*
 * store_comment: a story's comments as the commenter and the reader meet
 * them: insert, read one, change its status, the duplicate and
 * known-commenter checks, the newest lists, and a story page's thread.
 *
 * The one decision: a story's comment_count counts its approved comments
 * and is recounted (comments_recount) whenever one enters or leaves the
 * approved set, by this file, moderation and the importer alike, so a
 * list never counts rows to show a number.
 */
#include "store.h"
#include "store_int.h"

#include <time.h>

static const char SQL_INSERT[] =
	"INSERT INTO comments(story_id, parent_id, author, email, url, body, status,"
	" created_at, ip, user_agent, body_html, status_at, user_id, user_role)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id";
static const char SQL_GET[] = "SELECT " COMMENT_COLS " FROM comments c WHERE c.id = ?1";
static const char SQL_SET_STATUS[] = "UPDATE comments SET status = ?2 WHERE id = ?1";
static const char SQL_RECOUNT[] =
	"UPDATE stories SET comment_count = (SELECT count(*) FROM comments c"
	" WHERE c.story_id = stories.id AND c.status = 1) WHERE id = ?1";
/* WordPress matches on author or email; email is required here, and
 * matching on it alone lets an index find the rows */
static const char SQL_DUP[] = "SELECT 1 FROM comments WHERE story_id = ?1 AND email = ?3"
			      " AND body = ?4 AND status IN (0, 1) AND CAST(?2 AS TEXT) IS NOT NULL LIMIT 1";
/* a post's three questions in one statement (store_comment_checks_later) */
static const char SQL_CHECKS[] =
	"SELECT CASE WHEN EXISTS(SELECT 1 FROM comments WHERE story_id = ?1 AND email = ?3"
	" AND body = ?4 AND status IN (0, 1)) THEN 1 ELSE 0 END"
	" + CASE WHEN EXISTS(SELECT 1 FROM comments WHERE email = ?3 AND author = ?2"
	" AND status = 1) THEN 2 ELSE 0 END"
	" + CASE WHEN EXISTS(SELECT 1 FROM comment_stamps WHERE key = ?5) THEN 4 ELSE 0 END";
#define LIST_FROM " FROM comments c JOIN stories s ON s.id = c.story_id"
static const char SQL_LIST[] = "SELECT " COMMENT_COLS ", s.slug" LIST_FROM
			       " ORDER BY c.id DESC LIMIT ?1";
static const char SQL_LIST_STATUS[] = "SELECT " COMMENT_COLS ", s.slug" LIST_FROM
				      " WHERE c.status = ?2 ORDER BY c.id DESC LIMIT ?1";
static const char SQL_FOR_STORY[] =
	/* only what a page shows: no email, address or agent, and the raw
	 * text only for old rows without stored HTML */
	"SELECT id, story_id, parent_id, created_at, author, '', url,"
	" CASE WHEN body_html = '' THEN body ELSE '' END,"
	" '', '', status, '', body_html, user_id, user_role,"
	" user_id != 0 AND user_id = (SELECT author_id FROM stories WHERE id = ?1)"
	" FROM comments WHERE story_id = ?1 AND (status = 1 OR id = ?2)"
	" ORDER BY created_at, id";

int comments_recount(struct store *st, long long story_id)
{
	if (exec_id(st, SQL_RECOUNT, story_id, "comment recount"))
		return STORE_ERROR;
	return store_touchf(st, "story:%lld", story_id) || store_touch(st, "comments")
		       ? STORE_ERROR
		       : STORE_OK;
}

/* The insert's statement with c bound, or NULL (the error set). */
static dbq *insert_bound(struct store *st, const struct comment *c, long long created_at,
			 long long status_at)
{
	dbq *s = stmt(st, SQL_INSERT);
	if (!s)
		return NULL;
	q_int(s, 1, c->story_id);
	q_int(s, 2, c->parent_id);
	q_text(s, 3, c->author);
	q_text(s, 4, c->email);
	q_text(s, 5, c->url);
	q_text(s, 6, c->body);
	q_int(s, 7, (int)c->status);
	q_int(s, 8, created_at);
	q_text(s, 9, c->ip);
	q_text(s, 10, c->user_agent);
	q_text(s, 11, c->body_html);
	q_int(s, 12, status_at);
	q_int(s, 13, c->user_id);
	q_text(s, 14, c->user_role);
	return s;
}

int comment_row_insert(struct store *st, const struct comment *c, long long created_at,
		       long long status_at, long long *id)
{
	dbq *s = insert_bound(st, c, created_at, status_at);
	return !s || insert_id(st, s, id, "comment insert") ? STORE_ERROR : STORE_OK;
}

int store_comment_insert_done(struct store *st, const struct comment *c)
{
	return c->status == COMMENT_APPROVED ? comments_recount(st, c->story_id) : STORE_OK;
}

int store_comment_insert(struct store *st, const struct comment *c, long long *id)
{
	long long now = (long long)time(NULL); /* it entered its status now */
	if (comment_row_insert(st, c, c->created_at ? c->created_at : now, now, id))
		return STORE_ERROR;
	return store_comment_insert_done(st, c);
}

void store_comment_insert_later(struct store *st, const struct comment *c, struct db_ans *a)
{
	long long now = (long long)time(NULL);
	later(st, insert_bound(st, c, c->created_at ? c->created_at : now, now), a);
}

int store_comment_get(struct store *st, struct pool *p, long long id, struct comment *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = one(st, p, s, row_comment, out);
	if (rc == STORE_OK)
		dep(st, "story:%lld", out->story_id);
	return rc;
}

int store_comment_set_status(struct store *st, long long id, enum comment_status status)
{
	dbq *s = stmt(st, SQL_SET_STATUS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, (int)status);
	if (exec_step(st, s, "comment status"))
		return STORE_ERROR;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	long long story_id = 0;
	if (q_step(s) == DB_ROW)
		story_id = q_col_int(s, 1);
	done(s);
	/* a held comment is shown only to its author, uncached: no page changes
	 * unless it enters or leaves the approved set, but recount anyway */
	return comments_recount(st, story_id);
}

static dbq *dup_bound(struct store *st, long long story_id, const char *author,
		      const char *email, const char *body)
{
	dbq *s = stmt(st, SQL_DUP);
	if (s) {
		q_int(s, 1, story_id);
		q_text(s, 2, author);
		q_text(s, 3, email);
		q_text(s, 4, body);
	}
	return s;
}

int store_comment_is_duplicate(struct store *st, long long story_id, const char *author,
			       const char *email, const char *body)
{
	dbq *s = dup_bound(st, story_id, author, email, body);
	return s ? exists(st, s) : STORE_ERROR;
}

void store_comment_checks_later(struct store *st, const struct comment *c, const char *stamp_key,
				struct db_ans *a)
{
	dbq *s = stmt(st, SQL_CHECKS);
	if (s) {
		q_int(s, 1, c->story_id);
		q_text(s, 2, c->author);
		q_text(s, 3, c->email);
		q_text(s, 4, c->body);
		q_text(s, 5, stamp_key ? stamp_key : "");
	}
	later(st, s, a);
}

int store_comments_list(struct store *st, struct pool *p, int status, size_t limit,
			struct comment **out, size_t *n)
{
	dbq *s = stmt(st, status < 0 ? SQL_LIST : SQL_LIST_STATUS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	if (status >= 0)
		q_int(s, 2, status);
	return collect(st, p, s, sizeof **out, row_comment, (void **)out, n);
}

int store_comments_for_story(struct store *st, struct pool *p, long long story_id,
			     long long extra_id, struct comment **out, size_t *n)
{
	dbq *s = stmt(st, SQL_FOR_STORY);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	q_int(s, 2, extra_id > 0 ? extra_id : -1);
	dep(st, "story:%lld", story_id);
	return collect(st, p, s, sizeof **out, row_comment, (void **)out, n);
}
