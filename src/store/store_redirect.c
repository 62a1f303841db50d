/*
 * store_redirect: the redirects table (see store_redirect.h). Chains are
 * collapsed when written, so a lookup is one indexed read and one hop.
 */
#include "store_redirect.h"
#include "store_int.h"

#include <time.h>

static const char SQL_PUT[] =
	"INSERT INTO redirects(old_path, new_path, created_at) VALUES(?1, ?2, ?3)"
	" ON CONFLICT(old_path) DO UPDATE SET new_path = excluded.new_path";
static const char SQL_FORGET[] = "DELETE FROM redirects WHERE old_path = ?1";
static const char SQL_RETARGET[] = "UPDATE redirects SET new_path = ?2 WHERE new_path = ?1";
static const char SQL_GET[] = "SELECT new_path FROM redirects WHERE old_path = ?1";

int store_redirect_put(struct store *st, const char *old_path, const char *new_path)
{
	dbq *s = stmt(st, SQL_FORGET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, new_path);
	if (exec_step(st, s, "redirect forget"))
		return STORE_ERROR;
	if (!(s = stmt(st, SQL_RETARGET)))
		return STORE_ERROR;
	q_text(s, 1, old_path);
	q_text(s, 2, new_path);
	if (exec_step(st, s, "redirect retarget"))
		return STORE_ERROR;
	if (!(s = stmt(st, SQL_PUT)))
		return STORE_ERROR;
	q_text(s, 1, old_path);
	q_text(s, 2, new_path);
	q_int(s, 3, (long long)time(NULL));
	/* no change-log tag: the cache keeps only 200 pages, and a path
	 * that gains a redirect answered 404 or is the story being renamed,
	 * whose own write logs story:ID */
	return exec_step(st, s, "redirect put");
}

static void row_path(struct pool *p, dbq *s, void *e)
{
	*(const char **)e = q_col_text(p, s, 0);
}

int store_redirect_get(struct store *st, struct pool *p, const char *path, const char **to)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, path);
	return one(st, p, s, row_path, to);
}
