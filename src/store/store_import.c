/*
 * store_import: the import map, bulk comment inserts and the exporters'
 * whole-site reads (see store_import.h).
 *
 * The one design decision: an import writes thousands of rows in one
 * transaction, so nothing here does per-row work that grows with the site
 * (no recount per comment, no change-log row per comment); the counts and
 * the log are brought up to date once per story.
 */
#include "store_import.h"
#include "store_int.h"
#include "store_story.h"
#include "../util/pool.h"

#include <string.h>

static const char SQL_MAP_GET[] =
	"SELECT gz_id, hash FROM import_map WHERE source = ?1 AND kind = ?2 AND wp_id = ?3";
static const char SQL_MAP_PUT[] =
	"INSERT INTO import_map(source, kind, wp_id, gz_id, hash) VALUES(?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT(source, kind, wp_id) DO UPDATE SET gz_id = excluded.gz_id,"
	" hash = excluded.hash";
static const char SQL_USER_BY_EMAIL[] =
	"SELECT id, name, slug, email, bio FROM users WHERE email = ?1";
static const char SQL_USER_SLUG[] = "SELECT 1 FROM users WHERE slug = ?1";
static const char SQL_COMMENT_PARENT[] = "UPDATE comments SET parent_id = ?2 WHERE id = ?1";
static const char SQL_STORY_UPDATE[] =
	"UPDATE stories SET slug = ?2, title = ?3, excerpt = ?4, body_md = ?5, body_html = ?6,"
	" section_id = NULLIF(?7, 0), author_id = ?8, status = ?9, published_at = ?10,"
	" updated_at = ?11, reading_minutes = ?12, comments_open = ?13,"
	" version = version + 1 WHERE id = ?1";
static const char SQL_SECTIONS_DEL[] = "DELETE FROM story_sections WHERE story_id = ?1";
static const char SQL_SECTION_ADD[] =
	"INSERT INTO story_sections(story_id, section_id) VALUES(?1, ?2) ON CONFLICT DO NOTHING";
#define TAG_BY_NAME(e) \
	"SELECT id, name, slug FROM tags WHERE" NOCASE_EQ(e, "name", "?1") " ORDER BY id LIMIT 1"
static const struct sql_pair SQL_TAG_BY_NAME = SQL_PAIR(TAG_BY_NAME);
static const char SQL_REDIRECT_COUNT[] = "SELECT count(*) FROM redirects";
static const char SQL_USERS[] =
	"SELECT id, name, slug, email, bio, role, created_at, pass_hash IS NOT NULL, photo, links,"
	" first_name, last_name FROM users ORDER BY id";
static const char SQL_TAGS[] = "SELECT id, name, slug FROM tags ORDER BY id";
static const char SQL_MORE_SECTIONS[] =
	"SELECT " SECTION_COLS " FROM sections WHERE id IN"
	" (SELECT section_id FROM story_sections WHERE story_id = ?1) ORDER BY id";
static const char SQL_STORIES[] =
	"SELECT id, excerpt_auto, date_offset IS NOT NULL, COALESCE(date_offset, 0) FROM stories"
	" ORDER BY id";
static const char SQL_STORY_SOURCE[] =
	"UPDATE stories SET excerpt_auto = ?2, date_offset = ?3 WHERE id = ?1";
static const char SQL_USER_NAMES[] =
	"UPDATE users SET first_name = ?2, last_name = ?3 WHERE id = ?1 AND first_name = ''"
	" AND last_name = ''";
static const char SQL_COMMENTS[] = "SELECT " COMMENT_COLS " FROM comments c"
				   " WHERE c.story_id = ?1 ORDER BY c.created_at, c.id";
static const char SQL_REDIRECTS[] = "SELECT old_path, new_path FROM redirects ORDER BY old_path";

int store_import_map_get(struct store *st, struct pool *p, const char *source, const char *kind,
			 const char *wp_id, long long *gz_id, const char **hash)
{
	dbq *s = stmt(st, SQL_MAP_GET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, source);
	q_text(s, 2, kind);
	q_text(s, 3, wp_id);
	int rc = q_step(s);
	if (rc == DB_ROW) {
		*gz_id = q_col_int(s, 0);
		if (hash)
			*hash = q_col_text(p, s, 1);
	}
	done(s);
	return one_result(st, rc, "import map");
}

int store_import_map_put(struct store *st, const char *source, const char *kind,
			 const char *wp_id, long long gz_id, const char *hash)
{
	dbq *s = stmt(st, SQL_MAP_PUT);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, source);
	q_text(s, 2, kind);
	q_text(s, 3, wp_id);
	q_int(s, 4, gz_id);
	q_text(s, 5, hash);
	return exec_step(st, s, "import map put");
}

/* The row sql returns for text (?1), through row into out. */
static int one_by_text(struct store *st, struct pool *p, const char *sql, const char *text,
		       row_fn row, void *out)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, text);
	return one(st, p, s, row, out);
}

int store_import_user_by_email(struct store *st, struct pool *p, const char *email,
			       struct author *out)
{
	return one_by_text(st, p, SQL_USER_BY_EMAIL, email, row_author, out);
}

int store_import_user_slug_taken(struct store *st, const char *slug)
{
	dbq *s = stmt(st, SQL_USER_SLUG);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, slug);
	return exists(st, s);
}

int store_import_story_slug_taken(struct store *st, const char *slug, long long except_id)
{
	return store_slug_in_use(st, slug, except_id);
}

int store_import_comment_add(struct store *st, const struct comment *c, long long *id)
{
	return comment_row_insert(st, c, c->created_at, 0, id); /* status_at 0: as it came */
}

int store_import_comment_set_parent(struct store *st, long long id, long long parent_id)
{
	dbq *s = stmt(st, SQL_COMMENT_PARENT);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, parent_id);
	return exec_step(st, s, "comment parent");
}

int store_import_story_done(struct store *st, long long story_id)
{
	return comments_recount(st, story_id);
}

int store_import_story_image(struct store *st, long long story_id, const char *path, int width,
			     int height, long long bytes, long long media_id)
{
	if (story_image_set(st, story_id, path, width, height, bytes, media_id))
		return STORE_ERROR;
	return store_touchf(st, "story:%lld", story_id) ? STORE_ERROR : STORE_OK;
}

int store_import_story_update(struct store *st, const struct story *x)
{
	dbq *s = stmt(st, SQL_STORY_UPDATE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, x->id);
	bind_story(s, 2, x);
	if (exec_step(st, s, "story update") || story_tags_set(st, x->id, x->tags, x->ntags))
		return STORE_ERROR;
	return store_touchf(st, "story:%lld", x->id) || store_touch(st, "list:home") ? STORE_ERROR
										       : STORE_OK;
}

int store_import_story_sections(struct store *st, long long story_id, const long long *ids,
				size_t n)
{
	if (exec_id(st, SQL_SECTIONS_DEL, story_id, "story sections"))
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		dbq *s = stmt(st, SQL_SECTION_ADD);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, story_id);
		q_int(s, 2, ids[i]);
		if (exec_step(st, s, "story section") || store_touchf(st, "section:%lld", ids[i]))
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_import_story_coauthors(struct store *st, long long story_id, const long long *ids,
				 size_t n)
{
	if (story_coauthors_set(st, story_id, ids, n))
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++)
		if (store_touchf(st, "author:%lld", ids[i]))
			return STORE_ERROR;
	return STORE_OK;
}

int store_import_tag_by_name(struct store *st, struct pool *p, const char *name, struct tag *out)
{
	return one_by_text(st, p, sql_for(st, &SQL_TAG_BY_NAME), name, row_tag, out);
}

int store_import_redirect_count(struct store *st, long long *n)
{
	return int_row(st, SQL_REDIRECT_COUNT, 0, n, "redirect count");
}

int store_import_touch_all(struct store *st)
{
	return store_touch(st, "site");
}

int store_export_begin(struct store *st)
{
	return begin_deferred(st);
}

static void row_user(struct pool *p, dbq *s, void *e)
{
	struct export_user *x = e;
	x->id = q_col_int(s, 0);
	x->name = q_col_text(p, s, 1);
	x->slug = q_col_text(p, s, 2);
	x->email = q_col_text(p, s, 3);
	x->bio = q_col_text(p, s, 4);
	x->role = q_col_text(p, s, 5);
	x->created_at = q_col_int(s, 6);
	x->has_password = q_col_int(s, 7);
	x->photo = q_col_text(p, s, 8);
	x->links = q_col_text(p, s, 9);
	x->first_name = q_col_text(p, s, 10);
	x->last_name = q_col_text(p, s, 11);
}

int store_export_users(struct store *st, struct pool *p, struct export_user **out, size_t *n)
{
	dbq *s = stmt(st, SQL_USERS);
	return s ? collect(st, p, s, sizeof **out, row_user, (void **)out, n) : STORE_ERROR;
}

int store_export_tags(struct store *st, struct pool *p, struct tag **out, size_t *n)
{
	dbq *s = stmt(st, SQL_TAGS);
	return s ? collect(st, p, s, sizeof **out, row_tag, (void **)out, n) : STORE_ERROR;
}

int store_export_story_sections(struct store *st, struct pool *p, long long story_id,
				struct section **out, size_t *n)
{
	dbq *s = stmt(st, SQL_MORE_SECTIONS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	return collect(st, p, s, sizeof **out, row_section, (void **)out, n);
}

static void row_export_story(struct pool *p, dbq *s, void *e)
{
	struct export_story *x = e;
	x->id = q_col_int(s, 0);
	x->excerpt_auto = q_col_int(s, 1);
	x->has_offset = q_col_int(s, 2);
	x->date_offset = q_col_int(s, 3);
}

int store_export_stories(struct store *st, struct pool *p, struct export_story **out, size_t *n)
{
	dbq *s = stmt(st, SQL_STORIES);
	return s ? collect(st, p, s, sizeof **out, row_export_story, (void **)out, n) : STORE_ERROR;
}

int store_import_story_source(struct store *st, long long id, int excerpt_auto, int has_offset,
			      int date_offset)
{
	dbq *s = stmt(st, SQL_STORY_SOURCE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, excerpt_auto ? 1 : 0);
	if (has_offset)
		q_int(s, 3, date_offset);
	else
		q_null(s, 3);
	return exec_step(st, s, "story source");
}

int store_import_user_names(struct store *st, long long id, const char *first, const char *last)
{
	dbq *s = stmt(st, SQL_USER_NAMES);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, first);
	q_text(s, 3, last);
	return exec_step(st, s, "user names");
}

int store_export_comments(struct store *st, struct pool *p, long long story_id,
			  struct comment **out, size_t *n)
{
	dbq *s = stmt(st, SQL_COMMENTS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	return collect(st, p, s, sizeof **out, row_comment, (void **)out, n);
}

int store_export_redirects(struct store *st, void (*fn)(void *arg, const char *from, const char *to),
			   void *arg)
{
	dbq *s = stmt(st, SQL_REDIRECTS);
	if (!s)
		return STORE_ERROR;
	int rc;
	while ((rc = q_step(s)) == DB_ROW)
		fn(arg, q_col_str(s, 0), q_col_str(s, 1));
	done(s);
	return rc == DB_DONE ? STORE_OK : fail(st, "redirects");
}
