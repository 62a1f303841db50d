/*
 * store_sitepage: the SQLite side of store_sitepage.h.
 */
#include "store_sitepage.h"
#include "store_int.h"
#include "../util/pool.h"

#include <stdio.h>
#include <time.h>

#define PAGE_COLS "pages.id, COALESCE(pages.parent_id, 0), pages.slug, pages.path, pages.title," \
	" pages.body_md, pages.body_html, pages.status, pages.created_at, pages.updated_at"
/* with its parent's title and path (the page's trail) */
static const char SQL_BY_PATH[] = "SELECT " PAGE_COLS ", 0, up.title, up.path FROM pages"
	" LEFT JOIN pages up ON up.id = pages.parent_id WHERE pages.path = ?1 AND pages.status = 1"
	" AND (up.id IS NULL OR up.status = 1)"; /* a draft's children are not public */
static const char SQL_GET[] = "SELECT " PAGE_COLS ", 0 FROM pages WHERE id = ?1";
static const char SQL_ALL[] = "SELECT " PAGE_COLS ","
	" (SELECT count(*) FROM pages c WHERE c.parent_id = pages.id) FROM pages ORDER BY path";
static const char SQL_PATH_TAKEN[] = "SELECT 1 FROM pages WHERE path = ?1 AND id <> ?2";
static const char SQL_INSERT[] = "INSERT INTO pages(slug, path, parent_id, title, body_md,"
	" body_html, status, created_at, updated_at) VALUES(?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, ?7,"
	" ?8, ?8) RETURNING id";
static const char SQL_UPDATE[] = "UPDATE pages SET slug = ?1, path = ?2, parent_id = NULLIF(?3, 0),"
	" title = ?4, body_md = ?5, body_html = ?6, status = ?7, updated_at = ?8 WHERE id = ?9";
static const char SQL_CHILDREN[] = "SELECT id FROM pages WHERE parent_id = ?1";
static const char SQL_CHILD_PATHS[] = "UPDATE pages SET path = (SELECT path FROM pages p"
	" WHERE p.id = ?1) || '/' || slug WHERE parent_id = ?1";
static const char SQL_HAS_CHILDREN[] = "SELECT 1 FROM pages WHERE parent_id = ?1 LIMIT 1";
static const char SQL_DELETE[] = "DELETE FROM pages WHERE id = ?1";

static void row_page(struct pool *p, dbq *s, void *e)
{
	struct sitepage *x = e;
	x->id = q_col_int(s, 0);
	x->parent_id = q_col_int(s, 1);
	x->slug = q_col_text(p, s, 2);
	x->path = q_col_text(p, s, 3);
	x->title = q_col_text(p, s, 4);
	x->body_md = q_col_text(p, s, 5);
	x->body_html = q_col_text(p, s, 6);
	x->status = q_col_int(s, 7);
	x->created_at = q_col_int(s, 8);
	x->updated_at = q_col_int(s, 9);
	x->children = q_col_int(s, 10);
	if (q_ncols(s) > 12) {
		x->parent_title = q_col_text(p, s, 11);
		x->parent_path = q_col_text(p, s, 12);
	}
}

int store_sitepage_by_path(struct store *st, struct pool *p, const char *path,
			   struct sitepage *out)
{
	dbq *s = stmt(st, SQL_BY_PATH);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, path);
	int rc = one(st, p, s, row_page, out);
	if (rc == STORE_OK)
		dep(st, "sitepage:%lld", out->id);
	if (rc == STORE_OK && out->parent_id)
		dep(st, "sitepage:%lld", out->parent_id);
	else if (rc == STORE_NOTFOUND)
		dep(st, "sitepages");
	return rc;
}

int store_sitepage_get(struct store *st, struct pool *p, long long id, struct sitepage *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_page, out);
}

int store_sitepages(struct store *st, struct pool *p, struct sitepage **out, size_t *n)
{
	dbq *s = stmt(st, SQL_ALL);
	if (!s)
		return STORE_ERROR;
	dep(st, "sitepages");
	return collect(st, p, s, sizeof **out, row_page, (void **)out, n);
}

/* Logs "sitepage:ID" for each child of id (their addresses follow it). */
static int touch_children(struct store *st, long long id)
{
	dbq *s = stmt(st, SQL_CHILDREN);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	long long ids[64];
	size_t n = 0;
	int rc;
	while ((rc = q_step(s)) == DB_ROW) {
		if (n == sizeof ids / sizeof ids[0]) /* more: the set's tag is enough */
			break;
		ids[n++] = q_col_int(s, 0);
	}
	done(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(st, "page children");
	rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = store_touchf(st, "sitepage:%lld", ids[i]);
	return rc;
}

int store_sitepage_put(struct store *st, const struct sitepage *x, long long *id)
{
	dbq *s = stmt(st, SQL_PATH_TAKEN);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, x->path);
	q_int(s, 2, x->id);
	int rc = exists(st, s);
	if (rc == 1) {
		snprintf(st->err, sizeof st->err, "the address /%s is another page's", x->path);
		return STORE_CONFLICT;
	}
	if (rc || !(s = stmt(st, x->id ? SQL_UPDATE : SQL_INSERT)))
		return STORE_ERROR;
	q_text(s, 1, x->slug);
	q_text(s, 2, x->path);
	q_int(s, 3, x->parent_id);
	q_text(s, 4, x->title);
	q_text(s, 5, x->body_md);
	q_text(s, 6, x->body_html);
	q_int(s, 7, x->status);
	q_int(s, 8, (long long)time(NULL));
	if (x->id)
		q_int(s, 9, x->id);
	if (x->id ? exec_step(st, s, "page") : insert_id(st, s, id, "page"))
		return STORE_ERROR;
	if (x->id)
		*id = x->id;
	if (x->id && ((rc = exec_id(st, SQL_CHILD_PATHS, x->id, "page children")) ||
		      (rc = touch_children(st, x->id))))
		return rc;
	if ((rc = store_touchf(st, "sitepage:%lld", *id)))
		return rc;
	return store_touch(st, "sitepages");
}

int store_sitepage_delete(struct store *st, long long id)
{
	dbq *s = stmt(st, SQL_HAS_CHILDREN);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = exists(st, s);
	if (rc == 1) {
		snprintf(st->err, sizeof st->err, "the page has pages inside it: move or delete them first");
		return STORE_CONFLICT;
	}
	if (rc || (rc = exec_id(st, SQL_DELETE, id, "page delete")))
		return STORE_ERROR;
	if ((rc = store_touchf(st, "sitepage:%lld", id)))
		return rc;
	return store_touch(st, "sitepages");
}
