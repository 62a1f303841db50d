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

static void row_mod(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct mod_comment *x = e;
	row_comment(p, s, &x->c);
	x->c.body_html = "";
	x->story_slug = x->c.story_slug;
	x->story_title = col_text(p, s, 12);
	x->story_published_at = sqlite3_column_int64(s, 13);
	x->story_author_id = sqlite3_column_int64(s, 14);
	x->story_status = (enum story_status)sqlite3_column_int(s, 15);
}

int store_mod_comments(struct store *st, struct pool *p, const struct mod_filter *f,
		       size_t offset, size_t limit, struct mod_comment **out, size_t *n,
		       size_t *total)
{
	sqlite3_stmt *s = stmt(st, SQL_COUNT);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, f->status);
	sqlite3_bind_int64(s, 2, f->owner_id);
	int rc = sqlite3_step(s);
	*total = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	done(s);
	if (rc != SQLITE_ROW)
		return fail(st, "moderation count");
	if (!(s = stmt(st, SQL_LIST)))
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, f->status);
	sqlite3_bind_int64(s, 2, f->owner_id);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)offset);
	return collect(st, p, s, sizeof **out, row_mod, (void **)out, n);
}

int store_mod_counts(struct store *st, long long owner_id, size_t counts[COMMENT__MAX])
{
	memset(counts, 0, COMMENT__MAX * sizeof *counts);
	sqlite3_stmt *s = stmt(st, SQL_COUNTS);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, owner_id);
	return status_counts(st, s, counts, COMMENT__MAX, "comment counts");
}

int store_comment_owner(struct store *st, long long comment_id, long long *owner_id)
{
	sqlite3_stmt *s = stmt(st, SQL_OWNER);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, comment_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*owner_id = sqlite3_column_int64(s, 0);
	done(s);
	return one_result(st, rc, "comment owner");
}

int store_mod_get(struct store *st, struct pool *p, long long id, struct mod_comment *out)
{
	sqlite3_stmt *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return one(st, p, s, row_mod, out);
}

/* The story, parent and status of a comment. */
static int comment_of(struct store *st, long long id, long long *story, long long *parent,
		      int *status)
{
	sqlite3_stmt *s = stmt(st, SQL_STORY_OF);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*story = sqlite3_column_int64(s, 0);
		*parent = sqlite3_column_int64(s, 1);
		*status = sqlite3_column_int(s, 2);
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
	sqlite3_stmt *s = stmt(st, SQL_STATUS);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, (int)status);
	sqlite3_bind_int64(s, 3, now);
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
	sqlite3_stmt *s = stmt(st, SQL_REPARENT);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, parent);
	if (exec_step(st, s, "comment reparent"))
		return STORE_ERROR;
	if (!(s = stmt(st, SQL_DELETE)))
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
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
	sqlite3_stmt *s = stmt(st, SQL_EDIT);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, author);
	bind_text(s, 3, email);
	bind_text(s, 4, url);
	bind_text(s, 5, body);
	bind_text(s, 6, body_html);
	if (exec_step(st, s, "comment edit"))
		return STORE_ERROR;
	return old == COMMENT_APPROVED ? comments_recount(st, story) : STORE_OK;
}

int store_mod_purge(struct store *st, long long before, size_t *n)
{
	sqlite3_stmt *s = stmt(st, SQL_PURGE_LIST);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, before);
	long long ids[1000];
	size_t k = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && k < 1000)
		ids[k++] = sqlite3_column_int64(s, 0);
	done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
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
