/*
 * store_feeds: what feeds and sitemaps read. Feeds want the newest few
 * stories whole (body and tags) or the newest approved comments; sitemaps
 * walk every published story, section, tag and author a page at a time,
 * so no caller ever holds the whole site in memory.
 */
#ifndef GZ_STORE_FEEDS_H
#define GZ_STORE_FEEDS_H

#include "store.h"

/* The newest `limit` published stories matching f (NULL: all), with body
 * and tags, newest first. */
int store_feed_stories(struct store *st, struct pool *p, const struct story_filter *f,
		       size_t limit, struct story **out, size_t *n);

/* An approved comment with what its URL and title need. */
struct feed_comment {
	struct comment c;
	const char *story_title, *story_slug;
	long long story_published_at;
};
/* The newest `limit` approved comments on published stories, newest
 * first; of one story when story_id > 0. */
int store_feed_comments(struct store *st, struct pool *p, long long story_id, size_t limit,
			struct feed_comment **out, size_t *n);

/* One URL of a sitemap: what its path needs and its last change. */
struct sitemap_row {
	const char *slug;
	long long published_at;  /* stories only: the date in the path */
	long long lastmod;
};
/* SITEMAP_PAGES: the published static pages (store_sitepage.h), read
 * from their own table (a site has a handful), slug holding the path. */
enum sitemap_kind { SITEMAP_STORIES, SITEMAP_SECTIONS, SITEMAP_TAGS, SITEMAP_AUTHORS,
		    SITEMAP_PAGES, SITEMAP__MAX };
/* Ids per sitemap page: page k (from 0) of a kind holds the URLs of the
 * published stories, or of the sections, tags and authors with one,
 * whose id is in [k * STORE_SITEMAP_IDS + 1, (k + 1) * STORE_SITEMAP_IDS].
 * A page's content therefore never shifts when another story is
 * published. The migration's SITEMAP_IDS (schema.h) is the same number. */
#define STORE_SITEMAP_IDS 2000
/* A page that holds at least one URL, and the newest change seen in it. */
struct sitemap_page {
	enum sitemap_kind kind;
	long long page;
	long long lastmod;
};
/* Every page that holds at least one URL, by kind then page: one read of
 * a table kept by triggers, never of the stories. */
int store_sitemap_pages(struct store *st, struct pool *p, struct sitemap_page **out, size_t *n);
/* The rows of page `page` of kind k, by id (empty when it holds none). */
int store_sitemap_rows(struct store *st, struct pool *p, enum sitemap_kind k, long long page,
		       struct sitemap_row **out, size_t *n);
/* Published stories with since <= published_at <= until, newest first,
 * at most limit (the news sitemap). Summary columns only. */
int store_stories_between(struct store *st, struct pool *p, long long since, long long until,
			  size_t limit, struct story **out, size_t *n);

#endif
