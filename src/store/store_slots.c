/*
 * store_slots: the SQLite side of store_slots.h.
 */
#include "store_slots.h"
#include "store_int.h"
#include "../util/pool.h"

#include <time.h>

static const char SQL_ORIGINS[] = "SELECT origin, uses, added_at FROM slot_origins ORDER BY origin";
static const char SQL_ORIGIN_ADD[] = "INSERT INTO slot_origins(origin, uses, added_at)"
				     " VALUES(?1, ?2, ?3) ON CONFLICT(origin) DO NOTHING";
static const char SQL_ORIGIN_DELETE[] = "DELETE FROM slot_origins WHERE origin = ?1";
static const char SQL_AUDIT_ADD[] = "INSERT INTO audit_log(at, user_id, action, detail)"
				    " VALUES(?1, NULLIF(?2, 0), ?3, ?4)";
static const char SQL_AUDIT_LIST[] = "SELECT a.id, a.at, COALESCE(a.user_id, 0),"
				     " COALESCE(u.name, ''), a.action, a.detail FROM audit_log a"
				     " LEFT JOIN users u ON u.id = a.user_id"
				     " ORDER BY a.id DESC LIMIT ?1";

int store_slot_html(struct store *st, struct pool *p, const char *key, const char **html)
{
	dep(st, "site");
	int rc = store_setting_get(st, p, key, html);
	if (rc == STORE_NOTFOUND) {
		*html = "";
		return STORE_OK;
	}
	return rc;
}

static void row_origin(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct slot_origin *x = e;
	x->origin = col_text(p, s, 0);
	x->uses = (unsigned)sqlite3_column_int(s, 1);
	x->added_at = sqlite3_column_int64(s, 2);
}

int store_slot_origins(struct store *st, struct pool *p, struct slot_origin **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, SQL_ORIGINS);
	if (!s)
		return STORE_ERROR;
	return collect(st, p, s, sizeof **out, row_origin, (void **)out, n);
}

int store_slot_origin_add(struct store *st, const char *origin, unsigned uses)
{
	sqlite3_stmt *s = stmt(st, SQL_ORIGIN_ADD);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, origin);
	sqlite3_bind_int(s, 2, (int)uses);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
	int rc = exec_step(st, s, "slot origin");
	if (rc)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return STORE_CONFLICT;
	return store_touch(st, "site");
}

int store_slot_origin_delete(struct store *st, const char *origin)
{
	sqlite3_stmt *s = stmt(st, SQL_ORIGIN_DELETE);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, origin);
	int rc = exec_step(st, s, "slot origin delete");
	if (rc)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return STORE_NOTFOUND;
	return store_touch(st, "site");
}

int store_audit_add(struct store *st, long long user_id, const char *action, const char *detail)
{
	sqlite3_stmt *s = stmt(st, SQL_AUDIT_ADD);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(s, 2, user_id);
	bind_text(s, 3, action);
	bind_text(s, 4, detail);
	return exec_step(st, s, "audit log");
}

static void row_audit(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct audit_entry *x = e;
	x->id = sqlite3_column_int64(s, 0);
	x->at = sqlite3_column_int64(s, 1);
	x->user_id = sqlite3_column_int64(s, 2);
	x->user_name = col_text(p, s, 3);
	x->action = col_text(p, s, 4);
	x->detail = col_text(p, s, 5);
}

int store_audit_list(struct store *st, struct pool *p, size_t limit, struct audit_entry **out,
		     size_t *n)
{
	sqlite3_stmt *s = stmt(st, SQL_AUDIT_LIST);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	return collect(st, p, s, sizeof **out, row_audit, (void **)out, n);
}
