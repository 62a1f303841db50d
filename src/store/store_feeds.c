/*
 * store_feeds: the SQLite side of store_feeds.h.
 *
 * The one decision: a sitemap page is a fixed range of ids, never an
 * OFFSET. The index reads sitemap_pages (kept by triggers, schema.h) and a
 * page reads its own rows from an index by id range, so each costs its own
 * rows plus one seek however big the site, and nothing here ever returns
 * more than one page.
 */
#include "store_feeds.h"
#include "store_int.h"
#include "../util/pool.h"

#include <string.h>

#define NEWEST_N NEWEST_FIRST " LIMIT ?1"

static const char SQL_FEED_ALL[] = STORY_WITH_BODY " WHERE" IS_PUBLISHED NEWEST_N;
/* a section's (with its descendants') and a tag's newest, from their
 * list indexes (see store_stories_list) */
#define NEWEST_OF(table, key) " WHERE s.id IN (SELECT story_id FROM " table " WHERE " key \
	" = ?2 AND status = 3 ORDER BY published_at DESC, story_id DESC LIMIT ?1)" NEWEST_N
static const char SQL_FEED_SECTION[] = STORY_WITH_BODY NEWEST_OF("section_stories", "section_id");
static const char SQL_FEED_TAG[] = STORY_WITH_BODY NEWEST_OF("story_tags", "tag_id");
static const char SQL_FEED_AUTHOR[] = STORY_WITH_BODY " WHERE" IS_PUBLISHED " AND (s.author_id = ?2"
	" OR s.id IN (SELECT story_id FROM story_coauthors WHERE user_id = ?2))" NEWEST_N;

#define FEED_COMMENT_ROWS \
	"SELECT c.id, c.story_id, c.parent_id, c.created_at, c.author, '', c.url, c.body," \
	" '', '', c.status, s.title, s.slug, s.published_at" \
	" FROM comments c JOIN stories s ON s.id = c.story_id"
static const char SQL_COMMENTS_ALL[] = FEED_COMMENT_ROWS
	" WHERE c.status = 1 AND" IS_PUBLISHED " ORDER BY c.created_at DESC, c.id DESC LIMIT ?1";
static const char SQL_COMMENTS_STORY[] = FEED_COMMENT_ROWS
	" WHERE c.story_id = ?2 AND c.status = 1 AND" IS_PUBLISHED
	" ORDER BY c.created_at DESC, c.id DESC LIMIT ?1";

static const char SQL_BETWEEN[] = "SELECT " STORY_COLS STORY_FROM
	" WHERE" IS_PUBLISHED " AND s.published_at BETWEEN ?2 AND ?3" NEWEST_N;

/* Sitemaps: one page is the URLs whose id is in [?1, ?2] (stories by
 * their own id, the rest by theirs), each row read from an index. A
 * section, tag or author is listed while it has a published story, with
 * the newest change of its stories (sitemap_urls, kept by triggers). */
/* a published static page whose parent, if any, is published too */
#define PAGE_PUBLIC " status = 1 AND (parent_id IS NULL OR parent_id IN" \
	" (SELECT id FROM pages WHERE status = 1))"
#define URL_ROWS(table) " FROM sitemap_urls x JOIN " table " ON e.id = x.id" \
	" WHERE x.kind = ?3 AND x.id BETWEEN ?1 AND ?2 AND x.count > 0 ORDER BY x.id"
static const char *const sql_rows[SITEMAP__MAX] = {
	"SELECT s.slug, s.published_at, s.updated_at FROM stories s WHERE" IS_PUBLISHED
	" AND s.id BETWEEN ?1 AND ?2 ORDER BY s.id",
	"SELECT e.path, 0, x.lastmod" URL_ROWS("sections e"),
	"SELECT e.slug, 0, x.lastmod" URL_ROWS("tags e"),
	"SELECT e.slug, 0, x.lastmod" URL_ROWS("users e"),
	"SELECT path, 0, updated_at FROM pages WHERE" PAGE_PUBLIC " AND id BETWEEN ?1 AND ?2"
	" ORDER BY id",
};
#define SITEMAP_IDS_STR(n) #n
#define SITEMAP_IDS_SQL(n) SITEMAP_IDS_STR(n)
/* the static pages' (kind 4) from their own small table */
static const char SQL_SITEMAP_PAGES[] = "SELECT kind, page, lastmod FROM sitemap_pages"
	" WHERE count > 0 AND kind BETWEEN 0 AND ?1 UNION ALL"
	" SELECT 4, (id - 1) / " SITEMAP_IDS_SQL(STORE_SITEMAP_IDS) ", max(updated_at) FROM pages"
	" WHERE" PAGE_PUBLIC " GROUP BY 2 ORDER BY 1, 2";

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
	dbq *s = stmt(st, q);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	if (id)
		q_int(s, 2, id);
	if (q == SQL_FEED_ALL)
		dep(st, "list:home");
	else
		dep(st, "%s:%lld", q == SQL_FEED_TAG ? "tag" : q == SQL_FEED_AUTHOR ? "author" : "section", id);
	if (q == SQL_FEED_SECTION && f->section_tree && dep_section_tree(st, id))
		return STORE_ERROR;
	int rc = collect(st, p, s, sizeof **out, row_story, (void **)out, n);
	if (rc == STORE_OK)
		rc = stories_done(st, p, *out, *n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++) {
		struct story *x = &(*out)[i];
		rc = story_tags_get(st, p, x->id, &x->tags, &x->ntags);
	}
	return rc;
}

static void row_feed_comment(struct pool *p, dbq *s, void *e)
{
	struct feed_comment *x = e;
	struct comment *c = &x->c;
	c->id = q_col_int(s, 0);
	c->story_id = q_col_int(s, 1);
	c->parent_id = q_col_int(s, 2);
	c->created_at = q_col_int(s, 3);
	c->author = q_col_text(p, s, 4);
	c->email = "";
	c->url = q_col_text(p, s, 6);
	c->body = q_col_text(p, s, 7);
	c->ip = c->user_agent = "";
	c->status = (enum comment_status)q_col_int(s, 10);
	x->story_title = q_col_text(p, s, 11);
	x->story_slug = c->story_slug = q_col_text(p, s, 12);
	x->story_published_at = q_col_int(s, 13);
}

int store_feed_comments(struct store *st, struct pool *p, long long story_id, size_t limit,
			struct feed_comment **out, size_t *n)
{
	dbq *s = stmt(st, story_id > 0 ? SQL_COMMENTS_STORY : SQL_COMMENTS_ALL);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	if (story_id > 0) {
		q_int(s, 2, story_id);
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
	dep(st, "sitepages");
}

static void row_sitemap_page(struct pool *p, dbq *s, void *e)
{
	(void)p;
	struct sitemap_page *r = e;
	r->kind = (enum sitemap_kind)q_col_int(s, 0);
	r->page = q_col_int(s, 1);
	r->lastmod = q_col_int(s, 2);
}

int store_sitemap_pages(struct store *st, struct pool *p, struct sitemap_page **out, size_t *n)
{
	sitemap_deps(st);
	dbq *s = stmt(st, SQL_SITEMAP_PAGES);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, SITEMAP_PAGES - 1);
	return collect(st, p, s, sizeof **out, row_sitemap_page, (void **)out, n);
}

static void row_sitemap(struct pool *p, dbq *s, void *e)
{
	struct sitemap_row *r = e;
	r->slug = q_col_text(p, s, 0);
	r->published_at = q_col_int(s, 1);
	r->lastmod = q_col_int(s, 2);
}

int store_sitemap_rows(struct store *st, struct pool *p, enum sitemap_kind k, long long page,
		       struct sitemap_row **out, size_t *n)
{
	sitemap_deps(st);
	dbq *s = stmt(st, sql_rows[k]);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, page * STORE_SITEMAP_IDS + 1);
	q_int(s, 2, (page + 1) * STORE_SITEMAP_IDS);
	if (k != SITEMAP_STORIES && k != SITEMAP_PAGES)
		q_int(s, 3, (int)k);
	return collect(st, p, s, sizeof **out, row_sitemap, (void **)out, n);
}

int store_stories_between(struct store *st, struct pool *p, long long since, long long until,
			  size_t limit, struct story **out, size_t *n)
{
	dbq *s = stmt(st, SQL_BETWEEN);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	q_int(s, 2, since);
	q_int(s, 3, until);
	dep(st, "list:home");
	int rc = collect(st, p, s, sizeof **out, row_story, (void **)out, n);
	if (rc == STORE_OK)
		rc = stories_done(st, p, *out, *n);
	return rc;
}
