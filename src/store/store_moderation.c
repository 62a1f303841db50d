/*
 * store_moderation: the moderation queue's reads and writes (see
 * store_moderation.h). One query serves every filter: unset filters are
 * bound as "any" values, so there is no SQL built from input.
 */
#include "store_moderation.h"
#include "store_int.h"
#include "../util/buf.h"

#include <string.h>

#define MOD_COLS \
	COMMENT_COLS ", s.slug, s.title, COALESCE(s.published_at, 0), s.author_id, s.status"
#define MOD_FROM " FROM comments c JOIN stories s ON s.id = c.story_id"
#define MOD_WHERE " WHERE (?1 < 0 OR c.status = ?1) AND (?2 = 0 OR s.author_id = ?2)"

static const char SQL_LIST[] = "SELECT " MOD_COLS MOD_FROM MOD_WHERE
			       " ORDER BY c.created_at DESC, c.id DESC LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT[] = "SELECT count(*)" MOD_FROM MOD_WHERE;
static const char SQL_COUNTS[] = "SELECT c.status, count(*)" MOD_FROM
				 " WHERE (?1 = 0 OR s.author_id = ?1) GROUP BY c.status";
static const char SQL_OWNER[] = "SELECT s.author_id" MOD_FROM " WHERE c.id = ?1";
static const char SQL_GET[] = "SELECT " MOD_COLS MOD_FROM " WHERE c.id = ?1";
static const char SQL_STATUS[] = "UPDATE comments SET status = ?2, status_at = ?3 WHERE id = ?1";
static const char SQL_STORY_OF[] = "SELECT story_id, parent_id, status FROM comments WHERE id = ?1";
static const char SQL_REPARENT[] = "UPDATE comments SET parent_id = ?2 WHERE parent_id = ?1";
static const char SQL_DELETE[] = "DELETE FROM comments WHERE id = ?1";
static const char SQL_EDIT[] =
	"UPDATE comments SET author = ?2, email = ?3, url = ?4, body = ?5, body_html = ?6 WHERE id = ?1";
static const char SQL_PURGE_LIST[] =
	/* status_at is when the comment entered its status here (insert,
	 * import or moderation): the index finds the old ones without a scan */
	"SELECT id FROM comments WHERE status IN (2, 3) AND status_at > 0"
	" AND status_at < ?1 LIMIT 1000";

static void row_mod(struct pool *p, dbq *s, void *e)
{
	struct mod_comment *x = e;
	row_comment(p, s, &x->c);
	x->c.body_html = "";
	x->story_slug = x->c.story_slug;
	x->story_title = q_col_text(p, s, 12);
	x->story_published_at = q_col_int(s, 13);
	x->story_author_id = q_col_int(s, 14);
	x->story_status = (enum story_status)q_col_int(s, 15);
}

int store_mod_comments(struct store *st, struct pool *p, const struct mod_filter *f,
		       size_t offset, size_t limit, struct mod_comment **out, size_t *n,
		       size_t *total)
{
	dbq *s = stmt(st, SQL_COUNT);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, f->status);
	q_int(s, 2, f->owner_id);
	int rc = q_step(s);
	*total = rc == DB_ROW ? (size_t)q_col_int(s, 0) : 0;
	done(s);
	if (rc != DB_ROW)
		return fail(st, "moderation count");
	if (!(s = stmt(st, SQL_LIST)))
		return STORE_ERROR;
	q_int(s, 1, f->status);
	q_int(s, 2, f->owner_id);
	q_int(s, 3, (long long)limit);
	q_int(s, 4, (long long)offset);
	return collect(st, p, s, sizeof **out, row_mod, (void **)out, n);
}

int store_mod_counts(struct store *st, long long owner_id, size_t counts[COMMENT__MAX])
{
	memset(counts, 0, COMMENT__MAX * sizeof *counts);
	dbq *s = stmt(st, SQL_COUNTS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, owner_id);
	return status_counts(st, s, counts, COMMENT__MAX, "comment counts");
}

int store_comment_owner(struct store *st, long long comment_id, long long *owner_id)
{
	dbq *s = stmt(st, SQL_OWNER);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, comment_id);
	int rc = q_step(s);
	if (rc == DB_ROW)
		*owner_id = q_col_int(s, 0);
	done(s);
	return one_result(st, rc, "comment owner");
}

int store_mod_get(struct store *st, struct pool *p, long long id, struct mod_comment *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_mod, out);
}

/* The story, parent and status of a comment. */
static int comment_of(struct store *st, long long id, long long *story, long long *parent,
		      int *status)
{
	dbq *s = stmt(st, SQL_STORY_OF);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = q_step(s);
	if (rc == DB_ROW) {
		*story = q_col_int(s, 0);
		*parent = q_col_int(s, 1);
		*status = q_col_int(s, 2);
	}
	done(s);
	return one_result(st, rc, "comment");
}

int store_mod_set_status(struct store *st, long long id, enum comment_status status, long long now)
{
	long long story, parent;
	int old;
	int rc = comment_of(st, id, &story, &parent, &old);
	if (rc)
		return rc;
	dbq *s = stmt(st, SQL_STATUS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, (int)status);
	q_int(s, 3, now);
	if (exec_step(st, s, "comment status"))
		return STORE_ERROR;
	/* only entering or leaving the approved set changes a page */
	if (old == COMMENT_APPROVED || status == COMMENT_APPROVED)
		return comments_recount(st, story);
	return STORE_OK;
}

int store_mod_delete(struct store *st, long long id)
{
	long long story, parent;
	int old;
	int rc = comment_of(st, id, &story, &parent, &old);
	if (rc)
		return rc;
	dbq *s = stmt(st, SQL_REPARENT);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, parent);
	if (exec_step(st, s, "comment reparent"))
		return STORE_ERROR;
	if (!(s = stmt(st, SQL_DELETE)))
		return STORE_ERROR;
	q_int(s, 1, id);
	if (exec_step(st, s, "comment delete"))
		return STORE_ERROR;
	return old == COMMENT_APPROVED ? comments_recount(st, story) : STORE_OK;
}

int store_mod_edit(struct store *st, long long id, const char *author, const char *email,
		   const char *url, const char *body, const char *body_html)
{
	long long story, parent;
	int old;
	int rc = comment_of(st, id, &story, &parent, &old);
	if (rc)
		return rc;
	dbq *s = stmt(st, SQL_EDIT);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, author);
	q_text(s, 3, email);
	q_text(s, 4, url);
	q_text(s, 5, body);
	q_text(s, 6, body_html);
	if (exec_step(st, s, "comment edit"))
		return STORE_ERROR;
	return old == COMMENT_APPROVED ? comments_recount(st, story) : STORE_OK;
}

int store_mod_purge(struct store *st, long long before, size_t *n)
{
	dbq *s = stmt(st, SQL_PURGE_LIST);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, before);
	long long ids[1000];
	size_t k = 0;
	int rc;
	while ((rc = q_step(s)) == DB_ROW && k < 1000)
		ids[k++] = q_col_int(s, 0);
	done(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(st, "purge list");
	for (size_t i = 0; i < k; i++)
		if (store_mod_delete(st, ids[i]))
			return STORE_ERROR;
	*n = k;
	return STORE_OK;
}

int store_settings_put(struct store *st, const char *const *keys, const char *const *vals,
		       size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (store_setting_set(st, keys[i], vals[i]))
			return STORE_ERROR;
	return store_touch(st, "site");
}
