/*
 * store_feeds: the SQLite side of store_feeds.h.
 *
 * The one decision: sitemaps are read in pages with LIMIT/OFFSET over the
 * (status, published_at) index, so a page costs its own rows plus an index
 * walk to its start, and nothing here ever returns more than one page.
 */
#include "store_feeds.h"
#include "store_int.h"
#include "../util/pool.h"

#include <string.h>

#define PUB " s.status = 3"
#define WITH_BODY "SELECT " STORY_COLS ", s.body_md, s.body_html" STORY_FROM
#define NEWEST_N " ORDER BY s.published_at DESC, s.id DESC LIMIT ?1"

static const char SQL_FEED_ALL[] = WITH_BODY " WHERE" PUB NEWEST_N;
/* a section's (with its descendants') and a tag's newest, from their
 * list indexes (see store_stories_list) */
#define NEWEST_OF(table, key) " WHERE s.id IN (SELECT story_id FROM " table " WHERE " key \
	" = ?2 AND status = 3 ORDER BY published_at DESC, story_id DESC LIMIT ?1)" NEWEST_N
static const char SQL_FEED_SECTION[] = WITH_BODY NEWEST_OF("section_stories", "section_id");
static const char SQL_FEED_TAG[] = WITH_BODY NEWEST_OF("story_tags", "tag_id");
static const char SQL_FEED_AUTHOR[] = WITH_BODY " WHERE" PUB " AND s.author_id = ?2" NEWEST_N;
static const char SQL_TAGS_OF[] = "SELECT t.id, t.name, t.slug FROM story_tags x"
				  " JOIN tags t ON t.id = x.tag_id WHERE x.story_id = ?1"
				  " ORDER BY x.position";

#define COMMENT_COLS \
	"SELECT c.id, c.story_id, c.parent_id, c.created_at, c.author, '', c.url, c.body," \
	" '', '', c.status, s.title, s.slug, s.published_at" \
	" FROM comments c JOIN stories s ON s.id = c.story_id"
static const char SQL_COMMENTS_ALL[] = COMMENT_COLS
	" WHERE c.status = 1 AND" PUB " ORDER BY c.created_at DESC, c.id DESC LIMIT ?1";
static const char SQL_COMMENTS_STORY[] = COMMENT_COLS
	" WHERE c.story_id = ?2 AND c.status = 1 AND" PUB
	" ORDER BY c.created_at DESC, c.id DESC LIMIT ?1";

static const char SQL_BETWEEN[] = "SELECT " STORY_COLS STORY_FROM
	" WHERE" PUB " AND s.published_at BETWEEN ?2 AND ?3" NEWEST_N;

/* Sitemaps: count, rows (slug, published_at, lastmod), newest change of a page. */
#define STORY_ROWS "SELECT s.slug, s.published_at, s.updated_at FROM stories s WHERE" PUB \
	" ORDER BY s.published_at, s.id LIMIT ?1 OFFSET ?2"
/* A list page's lastmod: the last change of its newest story, found
 * through an index with one story row read, never by scanning its stories. */
#define SECTION_ROWS "SELECT sec.path, 0, (SELECT s.updated_at FROM stories s" \
	" WHERE s.section_id = sec.id AND" PUB " ORDER BY s.published_at DESC LIMIT 1) AS m" \
	" FROM sections sec WHERE m IS NOT NULL ORDER BY sec.id LIMIT ?1 OFFSET ?2"
#define TAG_ROWS "SELECT t.slug, 0, (SELECT s.updated_at FROM story_tags x" \
	" JOIN stories s ON s.id = x.story_id WHERE x.tag_id = t.id AND" PUB \
	" ORDER BY x.story_id DESC LIMIT 1) AS m" \
	" FROM tags t WHERE m IS NOT NULL ORDER BY t.id LIMIT ?1 OFFSET ?2"
#define AUTHOR_ROWS "SELECT u.slug, 0, (SELECT s.updated_at FROM stories s" \
	" WHERE s.author_id = u.id AND" PUB " ORDER BY s.published_at DESC LIMIT 1) AS m" \
	" FROM users u WHERE m IS NOT NULL ORDER BY u.id LIMIT ?1 OFFSET ?2"

static const char *const sql_count[SITEMAP__MAX] = {
	"SELECT count(*) FROM stories s WHERE" PUB,
	"SELECT count(*) FROM sections sec WHERE EXISTS (SELECT 1 FROM stories s"
	" WHERE s.section_id = sec.id AND" PUB ")",
	"SELECT count(*) FROM tags t WHERE EXISTS (SELECT 1 FROM story_tags x"
	" JOIN stories s ON s.id = x.story_id WHERE x.tag_id = t.id AND" PUB ")",
	"SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM stories s"
	" WHERE s.author_id = u.id AND" PUB ")",
};
static const char *const sql_rows[SITEMAP__MAX] = { STORY_ROWS, SECTION_ROWS, TAG_ROWS,
						    AUTHOR_ROWS };
static const char *const sql_lastmod[SITEMAP__MAX] = {
	"SELECT COALESCE(max(u), 0) FROM (SELECT s.updated_at AS u FROM stories s"
	" INDEXED BY stories_sitemap WHERE" PUB
	" ORDER BY s.published_at, s.id LIMIT ?1 OFFSET ?2)",
	"SELECT COALESCE(max(m), 0) FROM (" SECTION_ROWS ")",
	"SELECT COALESCE(max(m), 0) FROM (" TAG_ROWS ")",
	"SELECT COALESCE(max(m), 0) FROM (" AUTHOR_ROWS ")",
};

static void row_tag(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct tag *t = e;
	t->id = sqlite3_column_int64(s, 0);
	t->name = col_text(p, s, 1);
	t->slug = col_text(p, s, 2);
}

int store_feed_stories(struct store *st, struct pool *p, const struct story_filter *f,
		       size_t limit, struct story **out, size_t *n)
{
	const char *q = SQL_FEED_ALL;
	long long id = 0;
	if (f && f->section_id)
		q = SQL_FEED_SECTION, id = f->section_id;
	else if (f && f->tag_id)
		q = SQL_FEED_TAG, id = f->tag_id;
	else if (f && f->author_id)
		q = SQL_FEED_AUTHOR, id = f->author_id;
	sqlite3_stmt *s = stmt(st, q);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	if (id)
		sqlite3_bind_int64(s, 2, id);
	if (q == SQL_FEED_ALL)
		dep(st, "list:home");
	else
		dep(st, "%s:%lld", q == SQL_FEED_TAG ? "tag" : q == SQL_FEED_AUTHOR ? "author" : "section", id);
	if (q == SQL_FEED_SECTION && f->section_tree && dep_section_tree(st, id))
		return STORE_ERROR;
	int rc = collect(st, p, s, sizeof **out, row_story, (void **)out, n);
	if (rc == STORE_OK)
		dep_stories(st, *out, *n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++) {
		struct story *x = &(*out)[i];
		s = stmt(st, SQL_TAGS_OF);
		if (!s)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, x->id);
		rc = collect(st, p, s, sizeof *x->tags, row_tag, (void **)&x->tags, &x->ntags);
	}
	return rc;
}

static void row_feed_comment(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct feed_comment *x = e;
	struct comment *c = &x->c;
	c->id = sqlite3_column_int64(s, 0);
	c->story_id = sqlite3_column_int64(s, 1);
	c->parent_id = sqlite3_column_int64(s, 2);
	c->created_at = sqlite3_column_int64(s, 3);
	c->author = col_text(p, s, 4);
	c->email = "";
	c->url = col_text(p, s, 6);
	c->body = col_text(p, s, 7);
	c->ip = c->user_agent = "";
	c->status = (enum comment_status)sqlite3_column_int(s, 10);
	x->story_title = col_text(p, s, 11);
	x->story_slug = c->story_slug = col_text(p, s, 12);
	x->story_published_at = sqlite3_column_int64(s, 13);
}

int store_feed_comments(struct store *st, struct pool *p, long long story_id, size_t limit,
			struct feed_comment **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, story_id > 0 ? SQL_COMMENTS_STORY : SQL_COMMENTS_ALL);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	if (story_id > 0) {
		sqlite3_bind_int64(s, 2, story_id);
		dep(st, "story:%lld", story_id);
	}
	dep(st, "comments");
	return collect(st, p, s, sizeof **out, row_feed_comment, (void **)out, n);
}

/* Sitemaps list what exists: any publish, and section or author changes. */
static void sitemap_deps(struct store *st)
{
	dep(st, "list:home");
	dep(st, "site");
}

int store_sitemap_count(struct store *st, enum sitemap_kind k, size_t *n)
{
	sitemap_deps(st);
	sqlite3_stmt *s = stmt(st, sql_count[k]);
	if (!s)
		return STORE_ERROR;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	done(s);
	return rc == SQLITE_ROW ? STORE_OK : fail(st, "sitemap count");
}

static void row_sitemap(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct sitemap_row *r = e;
	r->slug = col_text(p, s, 0);
	r->published_at = sqlite3_column_int64(s, 1);
	r->lastmod = sqlite3_column_int64(s, 2);
}

int store_sitemap_rows(struct store *st, struct pool *p, enum sitemap_kind k, size_t offset,
		       size_t limit, struct sitemap_row **out, size_t *n)
{
	sitemap_deps(st);
	sqlite3_stmt *s = stmt(st, sql_rows[k]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	return collect(st, p, s, sizeof **out, row_sitemap, (void **)out, n);
}

int store_sitemap_lastmod(struct store *st, enum sitemap_kind k, size_t offset, size_t limit,
			  long long *lastmod)
{
	sitemap_deps(st);
	sqlite3_stmt *s = stmt(st, sql_lastmod[k]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	int rc = sqlite3_step(s);
	*lastmod = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	done(s);
	return rc == SQLITE_ROW ? STORE_OK : fail(st, "sitemap lastmod");
}

int store_stories_between(struct store *st, struct pool *p, long long since, long long until,
			  size_t limit, struct story **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, SQL_BETWEEN);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, until);
	dep(st, "list:home");
	int rc = collect(st, p, s, sizeof **out, row_story, (void **)out, n);
	if (rc == STORE_OK)
		dep_stories(st, *out, *n);
	return rc;
}
