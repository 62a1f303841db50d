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
	" ON CONFLICT(hash) DO NOTHING RETURNING id";
static const char SQL_GET[] = "SELECT " MEDIA_COLS " FROM media WHERE id = ?1";
static const char SQL_BY_HASH[] = "SELECT " MEDIA_COLS " FROM media WHERE hash = ?1";
#define LIST(e) \
	"SELECT " MEDIA_COLS " FROM media WHERE ?1 = '' OR alt" LIKE_CI(e) " ?1 ESCAPE '\\'" \
	" OR caption" LIKE_CI(e) " ?1 ESCAPE '\\' OR credit" LIKE_CI(e) " ?1 ESCAPE '\\'" \
	" OR name" LIKE_CI(e) " ?1 ESCAPE '\\' ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
static const struct sql_pair SQL_LIST = SQL_PAIR(LIST);
static const char SQL_UPDATE[] =
	"UPDATE media SET alt = ?2, caption = ?3, credit = ?4, focal_x = ?5, focal_y = ?6"
	" WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM media WHERE id = ?1";
/* GLOB on SQLite, a regular expression (~) on PostgreSQL: the patterns
 * are bound per engine (store_media_uses); the first column is 1 or 0 */
#define USES(e) \
	"SELECT CASE WHEN COALESCE(featured_media_id, 0) = ?1 OR featured_image" MATCH(e) "?4" \
	" THEN 1 ELSE 0 END, id, title, status" \
	" FROM stories WHERE featured_media_id = ?1 OR featured_image" MATCH(e) "?4" \
	" OR body_md" MATCH(e) "?2 OR body_md" MATCH(e) "?3 OR body_html" MATCH(e) "?5" \
	" UNION ALL SELECT 2, id, name, 0 FROM users WHERE photo" MATCH(e) "?4" \
	" ORDER BY 1 DESC, 2 DESC"
#define MATCH(e) SQL_##e##_MATCH
#define SQL_LITE_MATCH " GLOB "
#define SQL_PG_MATCH " ~ "
static const struct sql_pair SQL_USES = SQL_PAIR(USES);

static void row_media(struct pool *p, dbq *s, void *e)
{
	struct media_record *r = e;
	r->id = q_col_int(s, 0);
	r->hash = q_col_text(p, s, 1);
	r->name = q_col_text(p, s, 2);
	r->mime = q_col_text(p, s, 3);
	r->ext = q_col_text(p, s, 4);
	r->width = q_col_int(s, 5);
	r->height = q_col_int(s, 6);
	r->bytes = q_col_int(s, 7);
	r->alt = q_col_text(p, s, 8);
	r->caption = q_col_text(p, s, 9);
	r->credit = q_col_text(p, s, 10);
	r->focal_x = q_col_double(s, 11);
	r->focal_y = q_col_double(s, 12);
	r->uploaded_by = q_col_int(s, 13);
	r->created_at = q_col_int(s, 14);
	r->variants = q_col_text(p, s, 15);
	r->formats = q_col_text(p, s, 16);
}

static int focal_ok(double v) { return v >= 0.0 && v <= 1.0; }

int store_media_add(struct store *st, struct pool *p, struct media_record *r, int *added)
{
	*added = 0;
	dbq *s = stmt(st, SQL_ADD);
	if (!s)
		return STORE_ERROR;
	if (!focal_ok(r->focal_x) || !focal_ok(r->focal_y)) {
		done(s);
		return STORE_INVALID;
	}
	q_text(s, 1, r->hash);
	q_text(s, 2, r->name);
	q_text(s, 3, r->mime);
	q_text(s, 4, r->ext);
	q_int(s, 5, r->width);
	q_int(s, 6, r->height);
	q_int(s, 7, r->bytes);
	q_text(s, 8, r->alt ? r->alt : "");
	q_text(s, 9, r->caption ? r->caption : "");
	q_text(s, 10, r->credit ? r->credit : "");
	q_double(s, 11, r->focal_x);
	q_double(s, 12, r->focal_y);
	q_int(s, 13, r->uploaded_by);
	q_int(s, 14, (long long)time(NULL));
	q_text(s, 15, r->variants);
	q_text(s, 16, r->formats);
	int rc = insert_id(st, s, &r->id, "media add");
	if (rc == STORE_NOTFOUND) /* the same file is in the library already */
		return store_media_by_hash(st, p, r->hash, r);
	if (rc)
		return STORE_ERROR;
	*added = 1;
	return STORE_OK;
}

int store_media_get(struct store *st, struct pool *p, long long id, struct media_record *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	dep(st, "media:%lld", id);
	return one(st, p, s, row_media, out);
}

int store_media_by_hash(struct store *st, struct pool *p, const char *hash,
			struct media_record *out)
{
	dbq *s = stmt(st, SQL_BY_HASH);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, hash);
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
	dbq *s = stmt_for(st, &SQL_LIST);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, query && *query ? like_pattern(p, query) : "");
	q_int(s, 2, (long long)limit);
	q_int(s, 3, (long long)offset);
	dep(st, "media");
	return collect(st, p, s, sizeof **out, row_media, (void **)out, n);
}

static void row_use(struct pool *p, dbq *s, void *e)
{
	struct media_use *u = e;
	u->kind = (enum media_use_kind)q_col_int(s, 0);
	u->id = q_col_int(s, 1);
	u->title = q_col_text(p, s, 2);
	u->status = (enum story_status)q_col_int(s, 3);
}

int store_media_uses(struct store *st, struct pool *p, const struct media_record *m,
		     struct media_use **out, size_t *n)
{
	dbq *s = stmt_for(st, &SQL_USES);
	if (!s)
		return STORE_ERROR;
	/* media:ID not followed by a digit (?2, or at the end: ?3), a file
	 * of its own (?4), and HTML naming one of its files without media:ID
	 * (?5: an imported figure or player, a link to an audio or video
	 * file); the hash is hex, nothing a pattern reads specially */
	int lite = DB_LITE(st->db);
	q_int(s, 1, m->id);
	q_text(s, 2, pool_printf(p, lite ? "*media:%lld[^0-9]*" : "media:%lld([^0-9]|$)", m->id));
	q_text(s, 3, pool_printf(p, lite ? "*media:%lld" : "media:%lld$", m->id));
	q_text(s, 4, pool_printf(p, lite ? "/media/%s-*" : "^/media/%s-", m->hash));
	q_text(s, 5, pool_printf(p, lite ? "*/media/%s[-.]*" : "/media/%s[-.]", m->hash));
	return collect(st, p, s, sizeof **out, row_use, (void **)out, n);
}

int store_media_update(struct store *st, long long id, const char *alt, const char *caption,
		       const char *credit, double focal_x, double focal_y)
{
	if (!focal_ok(focal_x) || !focal_ok(focal_y))
		return STORE_INVALID;
	dbq *s = stmt(st, SQL_UPDATE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, alt ? alt : "");
	q_text(s, 3, caption ? caption : "");
	q_text(s, 4, credit ? credit : "");
	q_double(s, 5, focal_x);
	q_double(s, 6, focal_y);
	if (exec_step(st, s, "media update"))
		return STORE_ERROR;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return store_touchf(st, "media:%lld", id);
}

int store_media_delete(struct store *st, long long id)
{
	if (exec_id(st, SQL_DELETE, id, "media delete"))
		return STORE_ERROR;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return store_touchf(st, "media:%lld", id);
}
