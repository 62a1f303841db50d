/*
 * store_draft: the editor_drafts table (see store_draft.h). A read names
 * the user as well as the token, so a draft is never handed to another
 * account, whoever learns its token.
 */
#include "store_draft.h"
#include "store_int.h"

#define DRAFT_COLS \
	"token, COALESCE(user_id, 0), story_id, kind, base_version, created_at, title, slug," \
	" excerpt, body, section, tags, author, published_at, comments_open"

static const char SQL_PURGE[] = "DELETE FROM editor_drafts WHERE created_at < ?1";
static const char SQL_DROP_AUTOSAVE[] =
	"DELETE FROM editor_drafts WHERE user_id = ?1 AND story_id = ?2 AND kind = 2";
static const char SQL_PUT[] =
	"INSERT INTO editor_drafts(token, user_id, story_id, kind, base_version, created_at, title,"
	" slug, excerpt, body, section, tags, author, published_at, comments_open)"
	" VALUES(?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_CLAIM[] =
	"UPDATE editor_drafts SET user_id = ?2, token = ?4"
	" WHERE token = ?1 AND user_id IS NULL AND kind = 1 AND created_at >= ?3";
static const char SQL_GET[] =
	"SELECT " DRAFT_COLS " FROM editor_drafts"
	" WHERE token = ?1 AND user_id = ?2 AND story_id = ?3 AND created_at >= ?4";
static const char SQL_AUTOSAVE[] =
	"SELECT " DRAFT_COLS " FROM editor_drafts"
	" WHERE user_id = ?1 AND story_id = ?2 AND kind = 2 AND created_at >= ?3"
	" ORDER BY created_at DESC LIMIT 1";
static const char SQL_DROP[] = "DELETE FROM editor_drafts WHERE user_id = ?1 AND story_id = ?2";

static int by_two(struct store *st, const char *sql, long long a, long long b)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, a);
	q_int(s, 2, b);
	return exec_step(st, s, "drafts");
}

int store_draft_put(struct store *st, const struct draft *d, long long now)
{
	if (exec_id(st, SQL_PURGE, now - DRAFT_MAX_AGE, "drafts purge"))
		return STORE_ERROR;
	if (d->kind == DRAFT_AUTOSAVE && by_two(st, SQL_DROP_AUTOSAVE, d->user_id, d->story_id))
		return STORE_ERROR;
	dbq *s = stmt(st, SQL_PUT);
	if (!s)
		return STORE_ERROR;
	const char *text[] = { d->title, d->slug, d->excerpt, d->body, d->section,
			       d->tags, d->author, d->published_at };
	q_text(s, 1, d->token);
	q_int(s, 2, d->user_id);
	q_int(s, 3, d->story_id);
	q_int(s, 4, (int)d->kind);
	q_int(s, 5, d->base_version);
	q_int(s, 6, now);
	for (int i = 0; i < 8; i++)
		q_text(s, 7 + i, text[i] ? text[i] : "");
	q_int(s, 15, d->comments_open);
	return exec_step(st, s, "draft put");
}

int store_draft_claim(struct store *st, const char *key, const char *token, long long user_id,
		      long long now)
{
	dbq *s = stmt(st, SQL_CLAIM);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, key);
	q_int(s, 2, user_id);
	q_int(s, 3, now - DRAFT_MAX_AGE);
	q_text(s, 4, token);
	if (exec_step(st, s, "draft claim"))
		return STORE_ERROR;
	return q_changes(st) > 0;
}

static void row_draft(struct pool *p, dbq *s, void *e)
{
	struct draft *d = e;
	d->token = q_col_text(p, s, 0);
	d->user_id = q_col_int(s, 1);
	d->story_id = q_col_int(s, 2);
	d->kind = (enum draft_kind)q_col_int(s, 3);
	d->base_version = q_col_int(s, 4);
	d->created_at = q_col_int(s, 5);
	const char **text[] = { &d->title, &d->slug, &d->excerpt, &d->body, &d->section,
				&d->tags, &d->author, &d->published_at };
	for (int i = 0; i < 8; i++)
		*text[i] = q_col_text(p, s, 6 + i);
	d->comments_open = q_col_int(s, 14);
}

int store_draft_get(struct store *st, struct pool *p, const char *token, long long user_id,
		    long long story_id, long long now, struct draft *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, token);
	q_int(s, 2, user_id);
	q_int(s, 3, story_id);
	q_int(s, 4, now - DRAFT_MAX_AGE);
	return one(st, p, s, row_draft, out);
}

int store_draft_autosave(struct store *st, struct pool *p, long long user_id, long long story_id,
			 long long now, struct draft *out)
{
	dbq *s = stmt(st, SQL_AUTOSAVE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, user_id);
	q_int(s, 2, story_id);
	q_int(s, 3, now - DRAFT_MAX_AGE);
	return one(st, p, s, row_draft, out);
}

int store_drafts_drop(struct store *st, long long user_id, long long story_id)
{
	return by_two(st, SQL_DROP, user_id, story_id);
}
