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

#define INSERT_INTO							\
	"INSERT INTO comments(story_id, parent_id, author, email, url, body, status," \
	" created_at, ip, user_agent, body_html, status_at, user_id, user_role)"
#define INSERT_VALUES "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14"
static const char SQL_INSERT[] = INSERT_INTO " VALUES(" INSERT_VALUES ") RETURNING id";
/* The questions a post's insert hangs on, by their parameters' numbers:
 * the same text on the story by the same email, held or shown (WordPress
 * matches on author or email; email is required here, and matching on it
 * alone lets an index find the rows); a name and email with an approved
 * comment (a known commenter). */
#define DUP(story, email, body)						\
	"SELECT 1 FROM comments WHERE story_id = " story " AND email = " email \
	" AND body = " body " AND status IN (0, 1)"
#define KNOWN(email, author) \
	"SELECT 1 FROM comments WHERE email = " email " AND author = " author " AND status = 1"
/* The one-round-trip batch's (store_comment_insert_if_later): the spend,
 * only for a post to be stored (no duplicate; not a known commenter when
 * ?18 is 1), marked with its post number; the insert, only if that spend
 * was its own (stamped) or on the same conditions (not stamped). */
#define STORED_IF "NOT EXISTS(" DUP("?1", "?4", "?6") ") AND NOT (?18 = 1 AND EXISTS(" KNOWN("?4", "?3") "))"
static const char SQL_SPEND_IF[] = "INSERT INTO comment_stamps(key, shown_at, post)"
				   " SELECT ?15, ?16, ?17 WHERE " STORED_IF
				   " ON CONFLICT(key) DO NOTHING";
static const char SQL_INSERT_IF_SPENT[] =
	INSERT_INTO " SELECT " INSERT_VALUES " WHERE EXISTS(SELECT 1 FROM comment_stamps"
	" WHERE key = ?15 AND post = ?17) RETURNING id";
static const char SQL_INSERT_IF[] =
	INSERT_INTO " SELECT " INSERT_VALUES " WHERE " STORED_IF " RETURNING id";
static const char SQL_GET[] = "SELECT " COMMENT_COLS " FROM comments c WHERE c.id = ?1";
static const char SQL_SET_STATUS[] = "UPDATE comments SET status = ?2 WHERE id = ?1";
static const char SQL_RECOUNT[] =
	"UPDATE stories SET comment_count = (SELECT count(*) FROM comments c"
	" WHERE c.story_id = stories.id AND c.status = 1) WHERE id = ?1";
static const char SQL_DUP[] = DUP("?1", "?3", "?4") " AND CAST(?2 AS TEXT) IS NOT NULL LIMIT 1";
/* a post's three questions in one statement (store_comment_checks_later) */
static const char SQL_CHECKS[] =
	"SELECT CASE WHEN EXISTS(" DUP("?1", "?3", "?4") ") THEN 1 ELSE 0 END"
	" + CASE WHEN EXISTS(" KNOWN("?3", "?2") ") THEN 2 ELSE 0 END"
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

/* An insert's statement (sql: SQL_INSERT's ?1 to ?14) with c bound, or
 * NULL (the error set). */
static dbq *insert_bound(struct store *st, const char *sql, const struct comment *c,
			 long long created_at, long long status_at)
{
	dbq *s = stmt(st, sql);
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
	dbq *s = insert_bound(st, SQL_INSERT, c, created_at, status_at);
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
	later(st, insert_bound(st, SQL_INSERT, c, c->created_at ? c->created_at : now, now), a);
}

/* s's conditions bound: the stamp (?15, ?16), the post's number (?17),
 * whether a known commenter is refused (?18). */
static void bind_if(dbq *s, const char *stamp_key, long long shown_at, long long post,
		    int unless_known)
{
	if (!s)
		return;
	q_text(s, 15, stamp_key ? stamp_key : "");
	q_int(s, 16, shown_at);
	q_int(s, 17, post);
	q_int(s, 18, unless_known != 0);
}

void store_comment_insert_if_later(struct store *st, const struct comment *c,
				   const char *stamp_key, long long shown_at, long long post,
				   int unless_known, struct db_ans *spend, struct db_ans *insert)
{
	long long now = (long long)time(NULL), at = c->created_at ? c->created_at : now;
	if (stamp_key) {
		dbq *s = stmt(st, SQL_SPEND_IF);
		if (s) { /* only the parameters its conditions name */
			q_int(s, 1, c->story_id);
			q_text(s, 3, c->author);
			q_text(s, 4, c->email);
			q_text(s, 6, c->body);
		}
		bind_if(s, stamp_key, shown_at, post, unless_known);
		later(st, s, spend);
	}
	dbq *s = insert_bound(st, stamp_key ? SQL_INSERT_IF_SPENT : SQL_INSERT_IF, c, at, now);
	bind_if(s, stamp_key, shown_at, post, unless_known);
	later(st, s, insert);
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
