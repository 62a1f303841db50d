/*
 * store_media: the media table (see store_media.h). Searching is a LIKE
 * over four short columns, newest first: a newsroom's library is
 * thousands of pictures, which SQLite scans in well under a millisecond.
 */
#include "store_media.h"
#include "store_int.h"
#include "../util/pool.h"

#include <string.h>
#include <time.h>

#define MEDIA_COLS \
	"id, hash, name, mime, ext, width, height, bytes, alt, caption, credit, focal_x," \
	" focal_y, COALESCE(uploaded_by, 0), created_at, variants, formats"

static const char SQL_ADD[] =
	"INSERT INTO media(hash, name, mime, ext, width, height, bytes, alt, caption, credit,"
	" focal_x, focal_y, uploaded_by, created_at, variants, formats)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULLIF(?13, 0), ?14, ?15, ?16)"
	" ON CONFLICT(hash) DO NOTHING";
static const char SQL_GET[] = "SELECT " MEDIA_COLS " FROM media WHERE id = ?1";
static const char SQL_BY_HASH[] = "SELECT " MEDIA_COLS " FROM media WHERE hash = ?1";
static const char SQL_LIST[] =
	"SELECT " MEDIA_COLS " FROM media WHERE ?1 = '' OR alt LIKE ?1 ESCAPE '\\'"
	" OR caption LIKE ?1 ESCAPE '\\' OR credit LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\'"
	" ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_UPDATE[] =
	"UPDATE media SET alt = ?2, caption = ?3, credit = ?4, focal_x = ?5, focal_y = ?6"
	" WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM media WHERE id = ?1";
static const char SQL_USES[] =
	"SELECT COALESCE(featured_media_id, 0) = ?1 OR featured_image GLOB ?4, id, title, status"
	" FROM stories WHERE featured_media_id = ?1 OR featured_image GLOB ?4"
	" OR body_md GLOB ?2 OR body_md GLOB ?3 OR body_html GLOB ?5"
	" UNION ALL SELECT 2, id, name, 0 FROM users WHERE photo GLOB ?4"
	" ORDER BY 1 DESC, 2 DESC";

static void row_media(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct media_record *r = e;
	r->id = sqlite3_column_int64(s, 0);
	r->hash = col_text(p, s, 1);
	r->name = col_text(p, s, 2);
	r->mime = col_text(p, s, 3);
	r->ext = col_text(p, s, 4);
	r->width = sqlite3_column_int(s, 5);
	r->height = sqlite3_column_int(s, 6);
	r->bytes = sqlite3_column_int64(s, 7);
	r->alt = col_text(p, s, 8);
	r->caption = col_text(p, s, 9);
	r->credit = col_text(p, s, 10);
	r->focal_x = sqlite3_column_double(s, 11);
	r->focal_y = sqlite3_column_double(s, 12);
	r->uploaded_by = sqlite3_column_int64(s, 13);
	r->created_at = sqlite3_column_int64(s, 14);
	r->variants = col_text(p, s, 15);
	r->formats = col_text(p, s, 16);
}

static int focal_ok(double v) { return v >= 0.0 && v <= 1.0; }

int store_media_add(struct store *st, struct pool *p, struct media_record *r, int *added)
{
	*added = 0;
	sqlite3_stmt *s = stmt(st, SQL_ADD);
	if (!s)
		return STORE_ERROR;
	if (!focal_ok(r->focal_x) || !focal_ok(r->focal_y)) {
		done(s);
		return STORE_INVALID;
	}
	bind_text(s, 1, r->hash);
	bind_text(s, 2, r->name);
	bind_text(s, 3, r->mime);
	bind_text(s, 4, r->ext);
	sqlite3_bind_int(s, 5, r->width);
	sqlite3_bind_int(s, 6, r->height);
	sqlite3_bind_int64(s, 7, r->bytes);
	bind_text(s, 8, r->alt ? r->alt : "");
	bind_text(s, 9, r->caption ? r->caption : "");
	bind_text(s, 10, r->credit ? r->credit : "");
	sqlite3_bind_double(s, 11, r->focal_x);
	sqlite3_bind_double(s, 12, r->focal_y);
	sqlite3_bind_int64(s, 13, r->uploaded_by);
	sqlite3_bind_int64(s, 14, (sqlite3_int64)time(NULL));
	bind_text(s, 15, r->variants);
	bind_text(s, 16, r->formats);
	if (exec_step(st, s, "media add"))
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0)
		return store_media_by_hash(st, p, r->hash, r);
	r->id = sqlite3_last_insert_rowid(st->db);
	*added = 1;
	return STORE_OK;
}

int store_media_get(struct store *st, struct pool *p, long long id, struct media_record *out)
{
	sqlite3_stmt *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	dep(st, "media:%lld", id);
	return one(st, p, s, row_media, out);
}

int store_media_by_hash(struct store *st, struct pool *p, const char *hash,
			struct media_record *out)
{
	sqlite3_stmt *s = stmt(st, SQL_BY_HASH);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, hash);
	return one(st, p, s, row_media, out);
}

/* "%text%" with LIKE's own characters (and the escape) escaped. */
static const char *like_pattern(struct pool *p, const char *q)
{
	size_t n = strlen(q);
	char *o = pool_alloc(p, 2 * n + 3), *w = o;
	*w++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*w++ = '\\';
		*w++ = *q;
	}
	*w++ = '%';
	*w = '\0';
	return o;
}

int store_media_list(struct store *st, struct pool *p, const char *query, size_t offset,
		     size_t limit, struct media_record **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, SQL_LIST);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, query && *query ? like_pattern(p, query) : "");
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)offset);
	dep(st, "media");
	return collect(st, p, s, sizeof **out, row_media, (void **)out, n);
}

static void row_use(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct media_use *u = e;
	u->kind = (enum media_use_kind)sqlite3_column_int(s, 0);
	u->id = sqlite3_column_int64(s, 1);
	u->title = col_text(p, s, 2);
	u->status = (enum story_status)sqlite3_column_int(s, 3);
}

int store_media_uses(struct store *st, struct pool *p, const struct media_record *m,
		     struct media_use **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, SQL_USES);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, m->id);
	bind_text(s, 2, pool_printf(p, "*media:%lld[^0-9]*", m->id));
	bind_text(s, 3, pool_printf(p, "*media:%lld", m->id));
	bind_text(s, 4, pool_printf(p, "/media/%s-*", m->hash));
	/* HTML naming one of its files without media:ID: an imported figure
	 * or player, a link to an audio or video file */
	bind_text(s, 5, pool_printf(p, "*/media/%s[-.]*", m->hash));
	return collect(st, p, s, sizeof **out, row_use, (void **)out, n);
}

int store_media_update(struct store *st, long long id, const char *alt, const char *caption,
		       const char *credit, double focal_x, double focal_y)
{
	if (!focal_ok(focal_x) || !focal_ok(focal_y))
		return STORE_INVALID;
	sqlite3_stmt *s = stmt(st, SQL_UPDATE);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, alt ? alt : "");
	bind_text(s, 3, caption ? caption : "");
	bind_text(s, 4, credit ? credit : "");
	sqlite3_bind_double(s, 5, focal_x);
	sqlite3_bind_double(s, 6, focal_y);
	if (exec_step(st, s, "media update"))
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0)
		return STORE_NOTFOUND;
	return store_touchf(st, "media:%lld", id);
}

int store_media_delete(struct store *st, long long id)
{
	if (exec_id(st, SQL_DELETE, id, "media delete"))
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0)
		return STORE_NOTFOUND;
	return store_touchf(st, "media:%lld", id);
}
