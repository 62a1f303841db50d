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

static void row_origin(struct pool *p, dbq *s, void *e)
{
	struct slot_origin *x = e;
	x->origin = q_col_text(p, s, 0);
	x->uses = (unsigned)q_col_int(s, 1);
	x->added_at = q_col_int(s, 2);
}

int store_slot_origins(struct store *st, struct pool *p, struct slot_origin **out, size_t *n)
{
	dbq *s = stmt(st, SQL_ORIGINS);
	if (!s)
		return STORE_ERROR;
	return collect(st, p, s, sizeof **out, row_origin, (void **)out, n);
}

int store_slot_origin_add(struct store *st, const char *origin, unsigned uses)
{
	dbq *s = stmt(st, SQL_ORIGIN_ADD);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, origin);
	q_int(s, 2, (int)uses);
	q_int(s, 3, (long long)time(NULL));
	int rc = exec_step(st, s, "slot origin");
	if (rc)
		return rc;
	if (q_changes(st) == 0)
		return STORE_CONFLICT;
	return store_touch(st, "site");
}

int store_slot_origin_delete(struct store *st, const char *origin)
{
	dbq *s = stmt(st, SQL_ORIGIN_DELETE);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, origin);
	int rc = exec_step(st, s, "slot origin delete");
	if (rc)
		return rc;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return store_touch(st, "site");
}

int store_audit_add(struct store *st, long long user_id, const char *action, const char *detail)
{
	dbq *s = stmt(st, SQL_AUDIT_ADD);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)time(NULL));
	q_int(s, 2, user_id);
	q_text(s, 3, action);
	q_text(s, 4, detail);
	return exec_step(st, s, "audit log");
}

static void row_audit(struct pool *p, dbq *s, void *e)
{
	struct audit_entry *x = e;
	x->id = q_col_int(s, 0);
	x->at = q_col_int(s, 1);
	x->user_id = q_col_int(s, 2);
	x->user_name = q_col_text(p, s, 3);
	x->action = q_col_text(p, s, 4);
	x->detail = q_col_text(p, s, 5);
}

int store_audit_list(struct store *st, struct pool *p, size_t limit, struct audit_entry **out,
		     size_t *n)
{
	dbq *s = stmt(st, SQL_AUDIT_LIST);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	return collect(st, p, s, sizeof **out, row_audit, (void **)out, n);
}
