/*
 * store_menu: the store side of store_menu.h. Every menu is read in one
 * query and kept per connection while nothing changed (rows_cached, as
 * settings and sections are): a page's menus cost no statement.
 */
#include "store_menu.h"
#include "store_int.h"
#include "../util/pool.h"

#define MENU_SELECT "SELECT m.id, COALESCE(m.parent_id, 0), m.menu, m.kind," \
	" m.target_id, m.label, m.url," \
	" CASE m.kind WHEN 1 THEN sec.name WHEN 2 THEN pg.title WHEN 3 THEN s.title END," \
	" CASE m.kind WHEN 1 THEN sec.path WHEN 2 THEN pg.path WHEN 3 THEN s.slug END," \
	" COALESCE(s.published_at, 0)," \
	/* 1 or 0 (a CASE in each branch: PostgreSQL's comparisons are \
	 * booleans, which mix with no integer) */ \
	" CASE m.kind WHEN 0 THEN 1 WHEN 1 THEN CASE WHEN sec.id IS NOT NULL THEN 1 ELSE 0 END" \
	" WHEN 2 THEN CASE WHEN pg.status = 1 THEN 1 ELSE 0 END" \
	" ELSE CASE WHEN s.status = 3 THEN 1 ELSE 0 END END" \
	" FROM menu_items m LEFT JOIN sections sec ON m.kind = 1 AND sec.id = m.target_id" \
	" LEFT JOIN pages pg ON m.kind = 2 AND pg.id = m.target_id" \
	" LEFT JOIN stories s ON m.kind = 3 AND s.id = m.target_id"
#define MENU_ORDER " COALESCE((SELECT t.position FROM menu_items t WHERE t.id = m.parent_id)," \
	" m.position), m.parent_id IS NOT NULL, m.position, m.id"
static const char SQL_MENU[] = MENU_SELECT " WHERE m.menu = ?1 ORDER BY" MENU_ORDER;
/* every menu, kept per connection while nothing changed (rows_cached) */
static const char SQL_MENUS[] = MENU_SELECT " ORDER BY m.menu," MENU_ORDER;
static const char SQL_ADD[] = "INSERT INTO menu_items(menu, parent_id, position, label, kind,"
	" target_id, url) VALUES(?1, NULLIF(?2, 0), (SELECT COALESCE(max(position), 0) + 1 FROM"
	" menu_items WHERE menu = ?1 AND parent_id IS NOT DISTINCT FROM NULLIF(?2, 0)),"
	" ?3, ?4, ?5, ?6) RETURNING id";
/* the sibling next to ?1 in direction ?2 (-1 up, +1 down) swaps places */
static const char SQL_NEIGHBOUR[] = "SELECT n.id, n.position, m.position FROM menu_items m"
	" JOIN menu_items n ON n.menu = m.menu AND n.parent_id IS NOT DISTINCT FROM m.parent_id"
	" AND (CAST(?2 AS INTEGER) < 0 AND n.position < m.position"
	" OR CAST(?2 AS INTEGER) > 0 AND n.position > m.position)"
	" WHERE m.id = ?1 ORDER BY n.position * CAST(?2 AS INTEGER) LIMIT 1";
static const char SQL_PLACE[] = "UPDATE menu_items SET position = ?2 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM menu_items WHERE id = ?1";

static void row_menu(struct pool *p, dbq *s, void *e)
{
	struct menu_item *x = e;
	x->id = q_col_int(s, 0);
	x->parent_id = q_col_int(s, 1);
	x->menu = (enum menu_name)q_col_int(s, 2);
	x->kind = (enum menu_kind)q_col_int(s, 3);
	x->target_id = q_col_int(s, 4);
	x->label = q_col_text(p, s, 5);
	x->url = q_col_text(p, s, 6);
	x->target_name = q_col_text(p, s, 7);
	x->target_path = q_col_text(p, s, 8);
	x->target_published_at = q_col_int(s, 9);
	x->live = q_col_int(s, 10);
}

/* Menu m's items from the kept rows of every menu, copied into p. */
static void kept_menu(struct store *st, struct pool *p, enum menu_name m, struct menu_item **out,
		      size_t *n)
{
	const struct menu_item *all = st->menus.rows;
	size_t k = 0;
	for (size_t i = 0; i < st->menus.n; i++)
		k += all[i].menu == m;
	*out = pool_alloc(p, (k ? k : 1) * sizeof **out);
	*n = 0;
	for (size_t i = 0; i < st->menus.n; i++) {
		if (all[i].menu != m)
			continue;
		struct menu_item *x = &(*out)[(*n)++];
		*x = all[i];
		x->label = pool_strdup(p, x->label);
		x->url = pool_strdup(p, x->url);
		x->target_name = pool_strdup(p, x->target_name);
		x->target_path = pool_strdup(p, x->target_path);
	}
}

int store_menu(struct store *st, struct pool *p, enum menu_name m, struct menu_item **out,
	       size_t *n)
{
	dep(st, "menu");
	int rc = STORE_OK;
	if (rows_cached(st, &st->menus, SQL_MENUS, sizeof **out, row_menu)) {
		kept_menu(st, p, m, out, n);
	} else {
		dbq *s = stmt(st, SQL_MENU);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, (int)m);
		rc = collect(st, p, s, sizeof **out, row_menu, (void **)out, n);
	}
	for (size_t i = 0; rc == STORE_OK && i < *n; i++)
		if ((*out)[i].kind == MENU_PAGE || (*out)[i].kind == MENU_STORY)
			dep(st, "%s:%lld", (*out)[i].kind == MENU_PAGE ? "sitepage" : "story",
			    (*out)[i].target_id);
	return rc;
}

int store_menu_add(struct store *st, const struct menu_item *x, long long *id)
{
	dbq *s = stmt(st, SQL_ADD);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (int)x->menu);
	q_int(s, 2, x->parent_id);
	q_text(s, 3, x->label);
	q_int(s, 4, (int)x->kind);
	q_int(s, 5, x->target_id);
	q_text(s, 6, x->url);
	if (insert_id(st, s, id, "menu item"))
		return STORE_ERROR;
	return store_touch(st, "menu");
}

/* Gives item id position pos. */
static int place(struct store *st, long long id, long long pos)
{
	dbq *s = stmt(st, SQL_PLACE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, pos);
	return exec_step(st, s, "menu order");
}

int store_menu_move(struct store *st, long long id, int delta)
{
	dbq *s = stmt(st, SQL_NEIGHBOUR);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, delta < 0 ? -1 : 1);
	int rc = q_step(s);
	if (rc != DB_ROW) {
		done(s);
		return rc == DB_DONE ? STORE_OK : fail(st, "menu order");
	}
	long long other = q_col_int(s, 0), there = q_col_int(s, 1),
		  here = q_col_int(s, 2);
	done(s);
	if ((rc = place(st, other, here)) || (rc = place(st, id, there)))
		return rc;
	return store_touch(st, "menu");
}

int store_menu_delete(struct store *st, long long id)
{
	int rc = exec_id(st, SQL_DELETE, id, "menu item delete");
	if (rc)
		return rc;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return store_touch(st, "menu");
}
