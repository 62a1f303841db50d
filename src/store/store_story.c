/*
 * store_story: the story writes (see store_story.h; store_story_insert and
 * store_tag_put are in store.h), and a story's tags, which every file that
 * reads or writes a story shares (story_tags_get/set, store_int.h).
 *
 * The optimistic check is one statement: UPDATE ... WHERE id = ? AND
 * version = ?; zero rows changed means someone else saved first, and the
 * caller's transaction is rolled back with nothing written.
 */
#include "store_story.h"
#include "store_int.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define ADMIN_WHERE(e) \
	" WHERE (?1 < 0 OR s.status = ?1) AND (?2 = 0 OR s.section_id = ?2)" \
	" AND (?3 = 0 OR s.author_id = ?3) AND (?4 = '' OR s.title" LIKE_CI(e) " ?4 ESCAPE '\\')"

#define ADMIN_LIST(e) "SELECT " STORY_COLS STORY_FROM ADMIN_WHERE(e) \
	" ORDER BY s.updated_at DESC, s.id DESC LIMIT ?5 OFFSET ?6"
static const struct sql_pair SQL_ADMIN_LIST = SQL_PAIR(ADMIN_LIST);
#define ADMIN_COUNT(e) "SELECT count(*) FROM stories s" ADMIN_WHERE(e)
static const struct sql_pair SQL_ADMIN_COUNT = SQL_PAIR(ADMIN_COUNT);
static const char SQL_COUNTS[] = "SELECT status, count(*) FROM stories GROUP BY status";
static const char SQL_EDIT_GET[] = "SELECT " STORY_COLS ", s.body_md, s.body_html, s.version,"
				   " s.created_at, s.featured_image, s.featured_width, s.featured_height,"
				   " s.featured_bytes, COALESCE(s.featured_media_id, 0)" STORY_FROM
				   " WHERE s.id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO stories(slug, title, excerpt, body_md, body_html, section_id,"
	" author_id, status, published_at, created_at, updated_at, reading_minutes,"
	" comments_open, lang) VALUES(?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0), ?7, ?8, ?9,"
	" ?10, ?10, ?11, ?12, ?13) RETURNING id";
static const char SQL_TAGS[] = "SELECT t.id, t.name, t.slug FROM story_tags st"
			       " JOIN tags t ON t.id = st.tag_id WHERE st.story_id = ?1"
			       " ORDER BY st.position";
static const char SQL_TAG_PUT[] =
	"INSERT INTO tags(name, slug) VALUES(?1, ?2) ON CONFLICT(slug) DO NOTHING";
static const char SQL_TAG_ID[] = "SELECT id FROM tags WHERE slug = ?1";
static const char SQL_META[] = "SELECT author_id, status FROM stories WHERE id = ?1";
static const char SQL_SLUG_USED[] = "SELECT 1 FROM stories WHERE slug = ?1 AND id <> ?2";
static const char SQL_TOUCH_INFO[] = "SELECT COALESCE(section_id, 0), author_id, status"
				     " FROM stories WHERE id = ?1";
static const char SQL_TAG_IDS[] = "SELECT tag_id FROM story_tags WHERE story_id = ?1";
/* the sections a story is listed in besides its own (story_sections) */
static const char SQL_MORE_SECTION_IDS[] =
	"SELECT section_id FROM story_sections WHERE story_id = ?1";
static const char SQL_COAUTHOR_IDS[] =
	"SELECT user_id FROM story_coauthors WHERE story_id = ?1 ORDER BY position";
static const char SQL_COAUTHORS_DEL[] = "DELETE FROM story_coauthors WHERE story_id = ?1";
static const char SQL_COAUTHOR_ADD[] =
	"INSERT INTO story_coauthors(story_id, user_id, position) VALUES(?1, ?2, ?3)"
	" ON CONFLICT DO NOTHING";
static const char SQL_UPDATE[] =
	"UPDATE stories SET slug = ?3, title = ?4, excerpt = ?5, body_md = ?6, body_html = ?7,"
	" section_id = NULLIF(?8, 0), author_id = ?9, status = ?10, published_at = ?11,"
	" updated_at = ?12, reading_minutes = ?13, comments_open = ?14, featured_image = ?15,"
	" featured_width = ?16, featured_height = ?17, featured_bytes = ?18,"
	" featured_media_id = NULLIF(?19, 0), lang = ?20, version = version + 1"
	" WHERE id = ?1 AND version = ?2";
static const char SQL_SET_IMAGE[] = "UPDATE stories SET featured_image = ?2, featured_width = ?3,"
				    " featured_height = ?4, featured_bytes = ?5,"
				    " featured_media_id = NULLIF(?6, 0) WHERE id = ?1";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM story_tags WHERE story_id = ?1";
static const char SQL_TAG_ADD[] =
	"INSERT INTO story_tags(story_id, tag_id, position) VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING";
static const char SQL_REV_ADD[] =
	"INSERT INTO revisions(story_id, user_id, created_at, version, title, slug, excerpt,"
	" body_md, status, published_at, changed)"
	" SELECT id, ?2, ?3, version, title, slug, excerpt, body_md, status, published_at, ?4"
	" FROM stories WHERE id = ?1";
static const char SQL_LAST_SAVE[] =
	"SELECT s.version, COALESCE(u.name, ''), COALESCE(r.created_at, s.updated_at)"
	" FROM stories s LEFT JOIN revisions r ON r.story_id = s.id AND r.version = s.version"
	" LEFT JOIN users u ON u.id = r.user_id WHERE s.id = ?1 ORDER BY r.id DESC LIMIT 1";
static const char SQL_DUE[] = "SELECT id FROM stories WHERE status = 2 AND published_at <= ?1"
			      " ORDER BY published_at, id";
/* pictures in bodies (issue 14): LIKE is a first sieve, the caller checks */
static const char SQL_MENTIONS_MEDIA[] =
	"SELECT id FROM stories WHERE body_md LIKE '%media:' || CAST(?1 AS TEXT) || '%' ORDER BY id";
static const char SQL_SET_BODY_HTML[] =
	"UPDATE stories SET body_html = ?2, reading_minutes = ?3 WHERE id = ?1";
static const char SQL_PUBLISH_DUE[] =
	"UPDATE stories SET status = 3, updated_at = ?2 WHERE id = ?1 AND status = 2";
static const char SQL_REVS[] =
	"SELECT r.id, r.story_id, r.user_id, r.created_at, r.version, COALESCE(r.published_at, 0),"
	" COALESCE(u.name, '(deleted)'), r.title, r.slug, r.excerpt, '', r.changed, r.status"
	" FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.story_id = ?1"
	" ORDER BY r.id DESC";
static const char SQL_REV_GET[] =
	"SELECT r.id, r.story_id, r.user_id, r.created_at, r.version, COALESCE(r.published_at, 0),"
	" COALESCE(u.name, '(deleted)'), r.title, r.slug, r.excerpt, r.body_md, r.changed, r.status"
	" FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = ?1";

/* "%" + s with LIKE's specials escaped + "%", or "" for no filter. */
static const char *like_pattern(struct pool *p, const char *s)
{
	if (!s || !*s)
		return "";
	char *out = pool_alloc(p, 2 * strlen(s) + 3), *o = out;
	*o++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

static void bind_filter(struct pool *p, dbq *s, const struct story_admin_filter *f)
{
	q_int(s, 1, f->status);
	q_int(s, 2, f->section_id);
	q_int(s, 3, f->author_id);
	q_text(s, 4, like_pattern(p, f->title));
}

int store_admin_stories(struct store *st, struct pool *p, const struct story_admin_filter *f,
			size_t offset, size_t limit, struct story **out, size_t *n, size_t *total)
{
	dbq *s = stmt_for(st, &SQL_ADMIN_COUNT);
	if (!s)
		return STORE_ERROR;
	bind_filter(p, s, f);
	int rc = q_step(s);
	*total = rc == DB_ROW ? (size_t)q_col_int(s, 0) : 0;
	done(s);
	if (rc != DB_ROW)
		return fail(st, "admin count");
	if (!(s = stmt_for(st, &SQL_ADMIN_LIST)))
		return STORE_ERROR;
	bind_filter(p, s, f);
	q_int(s, 5, (long long)limit);
	q_int(s, 6, (long long)offset);
	return collect(st, p, s, sizeof **out, row_story, (void **)out, n);
}

int store_story_counts(struct store *st, size_t counts[STORY__MAX])
{
	memset(counts, 0, STORY__MAX * sizeof *counts);
	dbq *s = stmt(st, SQL_COUNTS);
	return s ? status_counts(st, s, counts, STORY__MAX, "story counts") : STORE_ERROR;
}

static void row_edit(struct pool *p, dbq *s, void *e)
{
	struct story_edit *x = e;
	row_story(p, s, &x->s);
	x->version = q_col_int(s, STORY_NCOLS + 2);
	x->created_at = q_col_int(s, STORY_NCOLS + 3);
	x->featured_image = q_col_text(p, s, STORY_NCOLS + 4);
	x->featured_width = q_col_int(s, STORY_NCOLS + 5);
	x->featured_height = q_col_int(s, STORY_NCOLS + 6);
	x->featured_bytes = q_col_int(s, STORY_NCOLS + 7);
	x->featured_media_id = q_col_int(s, STORY_NCOLS + 8);
}

int store_story_edit_get(struct store *st, struct pool *p, long long id, struct story_edit *out)
{
	memset(out, 0, sizeof *out);
	dbq *s = stmt(st, SQL_EDIT_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = one(st, p, s, row_edit, out);
	if (rc)
		return rc;
	if (!(s = stmt(st, SQL_COAUTHOR_IDS)))
		return STORE_ERROR;
	q_int(s, 1, id);
	if (collect(st, p, s, sizeof *out->coauthors, row_id, (void **)&out->coauthors,
		    &out->ncoauthors))
		return STORE_ERROR;
	return story_tags_get(st, p, id, &out->s.tags, &out->s.ntags);
}

int store_story_meta(struct store *st, long long id, long long *author_id,
		     enum story_status *status)
{
	dbq *s = stmt(st, SQL_META);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = q_step(s);
	if (rc == DB_ROW) {
		*author_id = q_col_int(s, 0);
		*status = (enum story_status)q_col_int(s, 1);
	}
	done(s);
	return one_result(st, rc, "story meta");
}

int store_slug_in_use(struct store *st, const char *slug, long long except_id)
{
	dbq *s = stmt(st, SQL_SLUG_USED);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, slug);
	q_int(s, 2, except_id);
	int rc = q_step(s);
	done(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(st, "slug in use");
	return rc == DB_ROW;
}

/* Logs "kind:ID" for each id (at most 256) that sql, given story id,
 * returns. */
static int touch_each(struct store *st, const char *sql, long long id, const char *kind)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	long long ids[256];
	size_t n = 0;
	int rc;
	while ((rc = q_step(s)) == DB_ROW && n < 256)
		ids[n++] = q_col_int(s, 0);
	done(s);
	for (size_t i = 0; i < n; i++)
		if (store_touchf(st, "%s:%lld", kind, ids[i]))
			return STORE_ERROR;
	return STORE_OK;
}

/* Logs every page story id appears on, if it is published: itself, the
 * home list, its section, author and tags. Called before and after a
 * change, so old and new places are both dropped. */
static int touch_published(struct store *st, long long id)
{
	dbq *s = stmt(st, SQL_TOUCH_INFO);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	long long section = 0, author = 0;
	int status = -1, rc = q_step(s);
	if (rc == DB_ROW) {
		section = q_col_int(s, 0);
		author = q_col_int(s, 1);
		status = q_col_int(s, 2);
	}
	done(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(st, "touch info");
	if (status != STORY_PUBLISHED)
		return STORE_OK;
	if (store_touchf(st, "story:%lld", id) || store_touch(st, "list:home") ||
	    (section && store_touchf(st, "section:%lld", section)) ||
	    store_touchf(st, "author:%lld", author))
		return STORE_ERROR;
	/* its tags' pages, its co-authors' and its other sections' (which
	 * list it too) */
	return touch_each(st, SQL_TAG_IDS, id, "tag") ||
			       touch_each(st, SQL_COAUTHOR_IDS, id, "author") ||
			       touch_each(st, SQL_MORE_SECTION_IDS, id, "section")
		       ? STORE_ERROR
		       : STORE_OK;
}

int story_coauthors_set(struct store *st, long long id, const long long *ids, size_t n)
{
	if (exec_id(st, SQL_COAUTHORS_DEL, id, "co-authors"))
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		dbq *s = stmt(st, SQL_COAUTHOR_ADD);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, id);
		q_int(s, 2, ids[i]);
		q_int(s, 3, (int)i + 1);
		if (exec_step(st, s, "co-author"))
			return STORE_ERROR;
	}
	return STORE_OK;
}

int story_tags_get(struct store *st, struct pool *p, long long story_id, struct tag **out,
		   size_t *n)
{
	dbq *s = stmt(st, SQL_TAGS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	return collect(st, p, s, sizeof **out, row_tag, (void **)out, n);
}

int story_tags_set(struct store *st, long long story_id, const struct tag *tags, size_t n)
{
	if (exec_id(st, SQL_TAGS_CLEAR, story_id, "story tags clear"))
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		dbq *s = stmt(st, SQL_TAG_ADD);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, story_id);
		q_int(s, 2, tags[i].id);
		q_int(s, 3, (int)i);
		if (exec_step(st, s, "story tag"))
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_tag_put(struct store *st, const char *name, const char *slug, long long *id)
{
	return upsert_named(st, SQL_TAG_PUT, SQL_TAG_ID, name, slug, 0, id);
}

int store_story_insert(struct store *st, const struct story *x, long long *id)
{
	dbq *s = stmt(st, SQL_INSERT);
	if (!s)
		return STORE_ERROR;
	bind_story(s, 1, x);
	q_text(s, 13, x->lang);
	int rc = insert_id(st, s, id, "story insert");
	if (rc == STORE_CONFLICT) {
		snprintf(st->err, sizeof st->err, "a story with slug %s exists", x->slug);
		return STORE_CONFLICT;
	}
	if (rc)
		return STORE_ERROR;
	if (x->status == STORY_PUBLISHED &&
	    (store_touchf(st, "story:%lld", *id) || store_touch(st, "list:home") ||
	     store_touchf(st, "section:%lld", x->section.id) ||
	     store_touchf(st, "author:%lld", x->author.id)))
		return STORE_ERROR;
	for (size_t i = 0; x->status == STORY_PUBLISHED && i < x->ntags; i++)
		if (store_touchf(st, "tag:%lld", x->tags[i].id))
			return STORE_ERROR;
	return story_tags_set(st, *id, x->tags, x->ntags);
}

static int revision_add(struct store *st, long long id, long long user_id, const char *changed)
{
	dbq *s = stmt(st, SQL_REV_ADD);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, user_id);
	q_int(s, 3, (long long)time(NULL));
	q_text(s, 4, changed);
	return exec_step(st, s, "revision");
}

int store_story_create(struct store *st, const struct story_edit *e, long long user_id,
		       const char *changed, long long *id)
{
	int rc = store_story_insert(st, &e->s, id);
	if (rc)
		return rc;
	if (story_coauthors_set(st, *id, e->coauthors, e->ncoauthors))
		return STORE_ERROR;
	for (size_t i = 0; e->s.status == STORY_PUBLISHED && i < e->ncoauthors; i++)
		if (store_touchf(st, "author:%lld", e->coauthors[i]))
			return STORE_ERROR;
	if (story_image_set(st, *id, e->featured_image, e->featured_width, e->featured_height,
			    e->featured_bytes, e->featured_media_id))
		return STORE_ERROR;
	return revision_add(st, *id, user_id, changed);
}

int story_image_set(struct store *st, long long id, const char *path, int width, int height,
		    long long bytes, long long media_id)
{
	dbq *s = stmt(st, SQL_SET_IMAGE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, path);
	q_int(s, 3, width);
	q_int(s, 4, height);
	q_int(s, 5, bytes);
	q_int(s, 6, media_id);
	return exec_step(st, s, "story image") ? STORE_ERROR : STORE_OK;
}

static void bind_update(dbq *s, const struct story_edit *e)
{
	const struct story *x = &e->s;
	q_int(s, 1, x->id);
	q_int(s, 2, e->version);
	q_text(s, 3, x->slug);
	q_text(s, 4, x->title);
	q_text(s, 5, x->excerpt);
	q_text(s, 6, x->body_md);
	q_text(s, 7, x->body_html);
	q_int(s, 8, x->section.id);
	q_int(s, 9, x->author.id);
	q_int(s, 10, (int)x->status);
	q_int(s, 11, x->published_at);
	q_int(s, 12, x->updated_at ? x->updated_at : (long long)time(NULL));
	q_int(s, 13, x->reading_minutes);
	q_int(s, 14, x->comments_open);
	q_text(s, 15, e->featured_image);
	q_int(s, 16, e->featured_width);
	q_int(s, 17, e->featured_height);
	q_int(s, 18, e->featured_bytes);
	q_int(s, 19, e->featured_media_id);
	q_text(s, 20, x->lang);
}

int store_story_update(struct store *st, const struct story_edit *e, long long user_id,
		       const char *changed)
{
	if (touch_published(st, e->s.id))
		return STORE_ERROR;
	dbq *s = stmt(st, SQL_UPDATE);
	if (!s)
		return STORE_ERROR;
	bind_update(s, e);
	int rc = q_step(s);
	done(s);
	if (rc == DB_CONSTRAINT) {
		snprintf(st->err, sizeof st->err, "a story with slug %s exists", e->s.slug);
		return STORE_CONFLICT;
	}
	if (rc != DB_DONE)
		return fail(st, "story update");
	if (q_changes(st) == 0) {
		long long author;
		enum story_status status;
		rc = store_story_meta(st, e->s.id, &author, &status);
		if (rc == STORE_OK) {
			snprintf(st->err, sizeof st->err, "story %lld changed since version %lld",
				 e->s.id, e->version);
			return STORE_CONFLICT;
		}
		return rc;
	}
	if (story_tags_set(st, e->s.id, e->s.tags, e->s.ntags) ||
	    story_coauthors_set(st, e->s.id, e->coauthors, e->ncoauthors) || touch_published(st, e->s.id))
		return STORE_ERROR;
	return revision_add(st, e->s.id, user_id, changed);
}

int store_story_last_save(struct store *st, struct pool *p, long long id, long long *version,
			  const char **user_name, long long *at)
{
	dbq *s = stmt(st, SQL_LAST_SAVE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = q_step(s);
	if (rc == DB_ROW) {
		*version = q_col_int(s, 0);
		*user_name = q_col_text(p, s, 1);
		*at = q_col_int(s, 2);
	}
	done(s);
	return one_result(st, rc, "last save");
}

int store_stories_due(struct store *st, struct pool *p, long long now, long long **ids, size_t *n)
{
	dbq *s = stmt(st, SQL_DUE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, now);
	return collect(st, p, s, sizeof **ids, row_id, (void **)ids, n);
}

int store_story_publish_scheduled(struct store *st, long long id, long long now)
{
	dbq *s = stmt(st, SQL_PUBLISH_DUE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, now);
	if (exec_step(st, s, "publish scheduled"))
		return STORE_ERROR;
	if (q_changes(st) == 0)
		return 0;
	return touch_published(st, id) ? STORE_ERROR : 1;
}

static void row_revision(struct pool *p, dbq *s, void *e)
{
	struct revision *r = e;
	r->id = q_col_int(s, 0);
	r->story_id = q_col_int(s, 1);
	r->user_id = q_col_int(s, 2);
	r->created_at = q_col_int(s, 3);
	r->version = q_col_int(s, 4);
	r->published_at = q_col_int(s, 5);
	r->user_name = q_col_text(p, s, 6);
	r->title = q_col_text(p, s, 7);
	r->slug = q_col_text(p, s, 8);
	r->excerpt = q_col_text(p, s, 9);
	r->body_md = q_col_text(p, s, 10);
	r->changed = q_col_text(p, s, 11);
	r->status = (enum story_status)q_col_int(s, 12);
}

int store_revisions(struct store *st, struct pool *p, long long story_id, struct revision **out,
		    size_t *n)
{
	dbq *s = stmt(st, SQL_REVS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	return collect(st, p, s, sizeof **out, row_revision, (void **)out, n);
}

int store_revision_get(struct store *st, struct pool *p, long long id, struct revision *out)
{
	dbq *s = stmt(st, SQL_REV_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_revision, out);
}

int store_stories_mentioning_media(struct store *st, struct pool *p, long long media_id,
				   long long **ids, size_t *n)
{
	dbq *s = stmt(st, SQL_MENTIONS_MEDIA);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, media_id);
	return collect(st, p, s, sizeof **ids, row_id, (void **)ids, n);
}

int store_story_set_body_html(struct store *st, long long id, const char *html,
			      int reading_minutes)
{
	dbq *s = stmt(st, SQL_SET_BODY_HTML);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, html);
	q_int(s, 3, reading_minutes);
	if (exec_step(st, s, "story body html"))
		return STORE_ERROR;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	return touch_published(st, id);
}
