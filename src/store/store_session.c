/*
 * store_session: the sessions and sign_in_failures tables (see
 * store_session.h). Neither changes what a reader's page shows, so nothing
 * here writes to the change log.
 */
#include "store_session.h"
#include "store_int.h"

static const char SQL_PUT[] =
	"INSERT INTO sessions(id, user_id, created_at, seen_at, ip, user_agent)"
	" VALUES(?1, ?2, ?3, ?3, ?4, ?5)";
static const char SQL_GET[] = "SELECT id, user_id, created_at, seen_at FROM sessions WHERE id = ?1";
static const char SQL_SEEN[] = "UPDATE sessions SET seen_at = ?2 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM sessions WHERE id = ?1";
static const char SQL_DELETE_USER[] = "DELETE FROM sessions WHERE user_id = ?1 AND id IS DISTINCT FROM ?2";
static const char SQL_PURGE[] = "DELETE FROM sessions WHERE seen_at < ?1 OR created_at < ?2";
static const char SQL_FAIL_GET[] = "SELECT count, last_at FROM sign_in_failures WHERE key = ?1";
static const char SQL_FAIL_ADD[] =
	"INSERT INTO sign_in_failures(key, count, last_at) VALUES(?1, 1, ?2)"
	" ON CONFLICT(key) DO UPDATE SET count = sign_in_failures.count + 1, last_at = excluded.last_at";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM sign_in_failures WHERE key = ?1";
static const char SQL_FAIL_UNDO[] =
	"UPDATE sign_in_failures SET count = count - 1 WHERE key = ?1 AND count > 0";

int store_session_put(struct store *st, const char *id, long long user_id, long long now,
		      const char *ip, const char *user_agent)
{
	dbq *s = stmt(st, SQL_PUT);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, id);
	q_int(s, 2, user_id);
	q_int(s, 3, now);
	q_text(s, 4, ip);
	q_text(s, 5, user_agent);
	return exec_step(st, s, "session put");
}

static void row_session(struct pool *p, dbq *s, void *e)
{
	struct session *x = e;
	x->id = q_col_text(p, s, 0);
	x->user_id = q_col_int(s, 1);
	x->created_at = q_col_int(s, 2);
	x->seen_at = q_col_int(s, 3);
}

int store_session_get(struct store *st, struct pool *p, const char *id, struct session *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, id);
	return one(st, p, s, row_session, out);
}

int store_session_seen(struct store *st, const char *id, long long now)
{
	dbq *s = stmt(st, SQL_SEEN);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, id);
	q_int(s, 2, now);
	return exec_step(st, s, "session seen");
}

static int by_text(struct store *st, const char *sql, const char *v)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, v);
	return exec_step(st, s, sql);
}

int store_session_delete(struct store *st, const char *id)
{
	return by_text(st, SQL_DELETE, id);
}

int store_sessions_delete_user(struct store *st, long long user_id, const char *except_id)
{
	dbq *s = stmt(st, SQL_DELETE_USER);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, user_id);
	q_text(s, 2, except_id);
	return exec_step(st, s, "sessions delete");
}

int store_sessions_purge(struct store *st, long long idle_before, long long created_before)
{
	dbq *s = stmt(st, SQL_PURGE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, idle_before);
	q_int(s, 2, created_before);
	return exec_step(st, s, "sessions purge");
}

int store_failures_get(struct store *st, const char *key, long long *count, long long *last_at)
{
	dbq *s = stmt(st, SQL_FAIL_GET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, key);
	int rc = q_step(s);
	*count = rc == DB_ROW ? q_col_int(s, 0) : 0;
	*last_at = rc == DB_ROW ? q_col_int(s, 1) : 0;
	done(s);
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : fail(st, "failures");
}

int store_failure_add(struct store *st, const char *key, long long now)
{
	dbq *s = stmt(st, SQL_FAIL_ADD);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, key);
	q_int(s, 2, now);
	return exec_step(st, s, "failure add");
}

int store_failures_clear(struct store *st, const char *key)
{
	return by_text(st, SQL_FAIL_CLEAR, key);
}

int store_failure_undo(struct store *st, const char *key)
{
	return by_text(st, SQL_FAIL_UNDO, key);
}
