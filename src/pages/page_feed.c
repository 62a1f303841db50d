/*
 * page_feed: the feed URLs. Every list a reader can follow has the same
 * three: PATH/feed (RSS 2.0), PATH/feed.atom (Atom 1.0) and PATH/feed.json
 * (JSON Feed 1.1), where PATH is "" (the site), /section/SLUG, /tag/SLUG,
 * /author/SLUG, /search (with ?q=) or /comments; a story's comments are at
 * STORY-URL/comments/feed[.atom|.json].
 *
 * The one decision: a feed is a public page like any other: the body is
 * deterministic (its dates come from the entries, never from the clock),
 * so the server's ETag and 304 handling and the page cache apply to it
 * unchanged.
 */
#include "pages.h"
#include "../comments/comment_text.h"
#include "../feeds/feed.h"
#include "../media/figure.h"
#include "../render/escape.h"
#include "../search/query.h"
#include "../site/site.h"
#include "../store/store_feeds.h"
#include "../content/image.h"
#include "../store/store_search.h"
#include "../util/locale.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

static const char *absolute(struct req *rq, const char *path)
{
	return pool_printf(rq->pool, "%s%s", rq->site->cfg.base_url, path);
}

static long long newest(long long a, long long b)
{
	return a > b ? a : b;
}

/* The feed's format from the last path segment, or a 404. */
static int format_of(struct req *rq, struct resp *rs, const char *segment, enum feed_format *f)
{
	if (feed_format_parse(segment, f) == 0)
		return 0;
	page_not_found(rq, rs, "There is no feed at this address.");
	return -1;
}

static void send(struct req *rq, struct resp *rs, struct feed *f)
{
	const struct config *cfg = &rq->site->cfg;
	f->lang = cfg->lang;
	f->icon_url = absolute(rq, "/static/favicon.svg");
	for (size_t i = 0; i < f->n; i++)
		f->updated = newest(f->updated, newest(f->entries[i].published,
						       f->entries[i].updated));
	buf_reset(&rs->body);
	feed_write(&rs->body, f);
	rs->status = 200;
	rs->content_type = feed_content_type(f->format);
	rs->cache_control = HTTP_CACHE_PUBLIC;
}

static void fail(struct req *rq, struct resp *rs)
{
	log_error("%s: %s", rq->uri, store_errmsg(rq->store));
	http_error(rq, rs, 500, "Something went wrong", "The feed could not be loaded.");
}

static void story_entry(struct req *rq, const struct story *s, struct feed_entry *e)
{
	struct pool *p = rq->pool;
	const char *url = absolute(rq, story_path(p, s));
	e->url = url;
	e->title = s->title;
	e->lang = s->lang;
	e->summary = s->excerpt;
	e->content_html = page_body_html(p, s->body_html, 0); /* no script in a feed reader: links */
	e->content_html = figure_feed_html(p, e->content_html, rq->site->cfg.base_url);
	e->author = s->author.name;
	e->published = s->published_at;
	e->updated = page_story_modified(s); /* what readers saw change, not every save */
	const char **cats = pool_alloc(p, (s->ntags + 2) * sizeof *cats);
	size_t nc = 0;
	if (s->section.id)
		cats[nc++] = s->section.name;
	for (size_t i = 0; i < s->ntags; i++)
		cats[nc++] = s->tags[i].name;
	e->categories = cats;
	e->ncategories = nc;
	e->comments_url = pool_printf(p, "%s#comments", url);
	const char *dot = s->image.path ? strrchr(s->image.path, '.') : NULL;
	const char *type = dot ? image_type_of_ext(dot + 1) : NULL;
	if (type) /* the featured image as an enclosure */
		e->image = (struct feed_image){ absolute(rq, s->image.path), type, s->image.bytes };
}

/* A feed of the newest stories matching filter; path is the list's page. */
static void stories_feed(struct req *rq, struct resp *rs, enum feed_format fmt,
			 const struct story_filter *filter, const char *path, const char *title,
			 const char *description)
{
	struct story *v = NULL;
	size_t n = 0;
	if (store_feed_stories(rq->store, rq->pool, filter, (size_t)rq->site->cfg.feed_items, &v,
			       &n)) {
		fail(rq, rs);
		return;
	}
	struct feed_entry *e = pool_alloc(rq->pool, (n + 1) * sizeof *e);
	for (size_t i = 0; i < n; i++)
		story_entry(rq, &v[i], &e[i]);
	const char *sep = strcmp(path, "/") == 0 ? "" : path;
	struct feed f = {
		.format = fmt, .title = title, .description = description,
		.home_url = absolute(rq, path),
		.self_url = absolute(rq, pool_printf(rq->pool, "%s/%s", sep, feed_segment(fmt))),
		.entries = e, .n = n, .zone = &rq->site->zone,
	};
	send(rq, rs, &f);
}

static const char *titled(struct req *rq, const char *what)
{
	return pool_printf(rq->pool, "%s – %s", what, rq->site->cfg.site_name);
}

void feed_site(struct req *rq, struct resp *rs)
{
	enum feed_format fmt;
	/* the last segment names the format; "/feed/", as WordPress has it, too */
	size_t n = strlen(rq->path);
	const char *path = n > 1 && rq->path[n - 1] == '/' ? pool_strndup(rq->pool, rq->path, n - 1)
							   : rq->path;
	const char *seg = strrchr(path, '/') + 1;
	if (format_of(rq, rs, seg, &fmt))
		return;
	const struct config *cfg = &rq->site->cfg;
	stories_feed(rq, rs, fmt, NULL, "/", cfg->site_name, cfg->tagline);
}

void feed_section(struct req *rq, struct resp *rs, const struct section *sec, const char *feed)
{
	enum feed_format fmt;
	const char *path = section_url(rq->pool, sec->path);
	if (format_of(rq, rs, feed, &fmt))
		return;
	/* the same stories as the section's page: its subsections' too */
	stories_feed(rq, rs, fmt, &(struct story_filter){ .section_id = sec->id, .section_tree = 1 },
		     path, titled(rq, sec->name),
		     *sec->description ? sec->description
				       : pool_printf(rq->pool, "The latest stories in %s", sec->name));
}

void feed_tag(struct req *rq, struct resp *rs)
{
	enum feed_format fmt;
	struct tag t;
	if (format_of(rq, rs, rq->params[1], &fmt))
		return;
	int rc = store_tag_listed(rq->store, rq->pool, rq->params[0], &t);
	if (rc == STORE_NOTFOUND)
		http_error(rq, rs, 404, "Page not found", "There is no tag at this address.");
	else if (rc)
		fail(rq, rs);
	else
		stories_feed(rq, rs, fmt, &(struct story_filter){ .tag_id = t.id },
			     page_path(rq->pool, "/tag/", t.slug), titled(rq, t.name),
			     pool_printf(rq->pool, "The latest stories tagged %s", t.name));
}

void feed_author(struct req *rq, struct resp *rs)
{
	enum feed_format fmt;
	struct author a;
	if (format_of(rq, rs, rq->params[1], &fmt))
		return;
	int rc = store_author_listed(rq->store, rq->pool, rq->params[0], &a);
	if (rc == STORE_NOTFOUND)
		http_error(rq, rs, 404, "Page not found", "There is no author at this address.");
	else if (rc)
		fail(rq, rs);
	else
		stories_feed(rq, rs, fmt, &(struct story_filter){ .author_id = a.id },
			     page_path(rq->pool, "/author/", a.slug), titled(rq, a.name),
			     pool_printf(rq->pool, "The latest stories by %s", a.name));
}

/* Snippet text without the highlight markers. */
static const char *unmarked(struct pool *p, const char *s)
{
	char *out = pool_strdup(p, s), *o = out;
	for (const char *c = s; *c; c++)
		if (*c != STORE_MARK_OPEN && *c != STORE_MARK_CLOSE)
			*o++ = *c;
	*o = '\0';
	return out;
}

void feed_search(struct req *rq, struct resp *rs)
{
	enum feed_format fmt;
	if (format_of(rq, rs, rq->params[0], &fmt))
		return;
	const char *q = kv_get(&rq->query, "q");
	struct buf match, words;
	buf_init(&match, 64 * 1024);
	buf_init(&words, 64 * 1024);
	struct search_query sq;
	enum search_qerr e = search_query_build(q ? q : "", q ? strlen(q) : 0, &match, &words, &sq);
	const char *m = pool_strdup(rq->pool, sq.match ? sq.match : "");
	const char *w = pool_strdup(rq->pool, sq.words ? sq.words : "");
	buf_release(&match);
	buf_release(&words);
	if (e == SEARCH_QTOOLONG) {
		http_error(rq, rs, 400, "Search too long",
			   "Search terms are limited to 2,000 characters.");
		return;
	}
	struct search_hit *hits = NULL;
	size_t n = 0, total = 0;
	if (e == SEARCH_QOK && store_search(rq->store, rq->pool, m, 0,
					    (size_t)rq->site->cfg.feed_items, &hits, &n, &total, NULL)) {
		fail(rq, rs);
		return;
	}
	struct feed_entry *ents = pool_alloc(rq->pool, (n + 1) * sizeof *ents);
	for (size_t i = 0; i < n; i++) {
		story_entry(rq, &hits[i].story, &ents[i]);
		ents[i].content_html = NULL;
		ents[i].summary = unmarked(rq->pool, hits[i].snippet_marked);
	}
	struct buf qs;
	buf_init(&qs, 64 * 1024);
	url_query(&qs, w);
	const char *enc = pool_strdup(rq->pool, buf_str(&qs));
	buf_release(&qs);
	struct feed f = {
		.format = fmt,
		.title = titled(rq, locale_fill(rq->pool, page_t(rq, "feed_search"), w)),
		.description = pool_printf(rq->pool, "Stories matching “%s”", w),
		.home_url = absolute(rq, pool_printf(rq->pool, "/search?q=%s", enc)),
		.self_url = absolute(rq, pool_printf(rq->pool, "/search/%s?q=%s",
						     feed_segment(fmt), enc)),
		.entries = ents, .n = n, .zone = &rq->site->zone,
	};
	send(rq, rs, &f);
}

static void comment_entry(struct req *rq, const struct feed_comment *fc, struct feed_entry *e)
{
	struct pool *p = rq->pool;
	struct story s = { .slug = fc->story_slug, .published_at = fc->story_published_at };
	e->url = absolute(rq, pool_printf(p, "%s#comment-%lld", story_path(p, &s), fc->c.id));
	e->title = pool_printf(p, "Comment on %s by %s", fc->story_title, fc->c.author);
	e->author = fc->c.author;
	e->published = e->updated = fc->c.created_at;
	e->summary = fc->c.body;
	struct buf b;
	buf_init(&b, 1024 * 1024);
	comment_text_html(&b, fc->c.body);
	e->content_html = pool_strdup(p, buf_str(&b));
	buf_release(&b);
}

static void comments_feed(struct req *rq, struct resp *rs, enum feed_format fmt,
			  const struct story *story)
{
	struct feed_comment *v = NULL;
	size_t n = 0;
	if (store_feed_comments(rq->store, rq->pool, story ? story->id : 0,
				(size_t)rq->site->cfg.feed_items, &v, &n)) {
		fail(rq, rs);
		return;
	}
	struct feed_entry *e = pool_alloc(rq->pool, (n + 1) * sizeof *e);
	for (size_t i = 0; i < n; i++)
		comment_entry(rq, &v[i], &e[i]);
	const char *home = story ? story_path(rq->pool, story) : "/";
	const char *base = story ? pool_printf(rq->pool, "%s/comments", home) : "/comments";
	struct feed f = {
		.format = fmt,
		.title = story ? titled(rq, locale_fill(rq->pool, page_t(rq, "feed_comments_on"), story->title))
			       : titled(rq, page_t(rq, "comments")),
		.description = story ? pool_printf(rq->pool, "Readers' comments on %s", story->title)
				     : "The latest comments from readers",
		.home_url = absolute(rq, story ? pool_printf(rq->pool, "%s#comments", home) : home),
		.self_url = absolute(rq, pool_printf(rq->pool, "%s/%s", base, feed_segment(fmt))),
		.entries = e, .n = n, .zone = &rq->site->zone,
	};
	send(rq, rs, &f);
}

void feed_comments(struct req *rq, struct resp *rs)
{
	enum feed_format fmt;
	if (format_of(rq, rs, rq->params[0], &fmt) == 0)
		comments_feed(rq, rs, fmt, NULL);
}

void feed_story_comments(struct req *rq, struct resp *rs)
{
	enum feed_format fmt;
	struct story s;
	if (format_of(rq, rs, rq->params[4], &fmt))
		return;
	int rc = store_story_by_slug(rq->store, rq->pool, rq->params[3], &s);
	if (rc == STORE_NOTFOUND) {
		/* a story whose address changed: its feeds follow it there. The
		 * route matched, so the fifth '/' starts "/comments/FEED". */
		const char *tail = rq->path;
		for (int i = 0; i < 4; i++)
			tail = strchr(tail + 1, '/');
		const char *old = pool_strndup(rq->pool, rq->path, (size_t)(tail - rq->path));
		if (!page_moved(rq, rs, old, pool_printf(rq->pool, "/comments/%s", feed_segment(fmt))))
			http_error(rq, rs, 404, "Page not found", "There is no story at this address.");
		return;
	}
	if (rc) {
		fail(rq, rs);
		return;
	}
	const char *canonical = pool_printf(rq->pool, "%s/comments/%s", story_path(rq->pool, &s),
					    feed_segment(fmt));
	if (strcmp(rq->path, canonical) != 0) {
		resp_redirect(rs, 301, canonical);
		rs->cache_control = "public, max-age=3600";
		return;
	}
	comments_feed(rq, rs, fmt, &s);
}
