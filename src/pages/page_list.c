/*
 * page_list: the pages that list stories, newest first and paginated: the
 * home page and the section, tag and author pages. They differ only in the
 * filter and the heading, so one function renders them all.
 */
#include "pages.h"
#include "../comments/comment_text.h"
#include "../feeds/feed.h"
#include "../media/figure.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct listing {
	const char *kind;         /* "Section", "Tag", "Author"; NULL for home */
	const char *name, *description;
	const char *path;         /* canonical path without ?page */
	struct story_filter filter;
	struct tv *children;      /* a section's subsections, or NULL */
	struct author *author;    /* an author page's byline, or NULL */
	int archive;              /* a date archive: no feeds; no story, 404 */
};

/*
 * Pages link to their neighbours; there is no "of N": counting every
 * story of a 100,000-story site cost more than building the page. The
 * first LIST_OFFSET_PAGES pages answer to ?page=N alone; every link names
 * the story next to the page ("?page=8&before=1718187600.5", and "after"
 * for newer), so the store finds any page with one index seek however
 * deep it is, and a made-up ?page=999999 is a cheap 404.
 */
#define LIST_OFFSET_PAGES 50

/* "<published_at>.<id>" of s */
static const char *cursor_of(struct pool *p, const struct story *s)
{
	return pool_printf(p, "%lld.%lld", s->published_at, s->id);
}

/* Reads ?before= or ?after=: 0 none, 1 one, -1 malformed or both. */
static int list_cursor_parse(struct req *rq, struct list_cursor *c)
{
	const char *b = kv_get(&rq->query, "before"), *a = kv_get(&rq->query, "after");
	const char *v = b ? b : a, *dot;
	memset(c, 0, sizeof *c);
	if (!v)
		return 0;
	if ((a && b) || !(dot = strchr(v, '.')))
		return -1;
	char at[24];
	size_t n = (size_t)(dot - v);
	if (n == 0 || n >= sizeof at)
		return -1;
	memcpy(at, v, n);
	at[n] = '\0';
	if (num_parse_i64(at, -(1LL << 40), 1LL << 40, &c->published_at) ||
	    num_parse_i64(dot + 1, 1, INT64_MAX, &c->id))
		return -1;
	char canon[48]; /* one spelling per cursor: "007.2" is not "7.2" */
	snprintf(canon, sizeof canon, "%lld.%lld", c->published_at, c->id);
	if (strcmp(canon, v) != 0)
		return -1;
	c->dir = b ? -1 : 1;
	return 1;
}

/* Newer links name the first story shown (a page found by an offset,
 * the second, links to the first by its address): stories published
 * since the reader came are never skipped on the way back, and a page
 * that reaches the newest sends to the first page (render_listing). */
static struct tv *pagination(struct pool *p, const char *path, unsigned long long page,
			     int cursor, const struct story *v, size_t n, int older)
{
	struct tv *o = tv_obj(p);
	tv_put_int(o, "page", (long long)page);
	if (page > 1)
		tv_put_str(o, "prev_url",
			   page == 2 && !cursor
				   ? path
				   : pool_printf(p, "%s?page=%llu&after=%s", path,
						 page > 2 ? page - 1 : 2, cursor_of(p, &v[0])));
	if (older && n)
		tv_put_str(o, "next_url", pool_printf(p, "%s?page=%llu&before=%s", path, page + 1,
						      cursor_of(p, &v[n - 1])));
	return o;
}

/* An author page's byline: bio as escaped paragraphs (comment_text.c,
 * the reader-text formatter), photo with its size, links. */
static void author_profile(struct pool *p, struct tv *lo, const struct author *a)
{
	if (*a->bio) {
		struct buf b;
		buf_init(&b, 1u << 20);
		comment_text_html(&b, a->bio);
		tv_put_html(lo, "bio_html", pool_strdup(p, buf_str(&b)));
		buf_release(&b);
	}
	if (*a->photo) {
		struct tv *ph = tv_obj(p);
		tv_put_str(ph, "url", a->photo);
		tv_put_str(ph, "alt", a->name);
		tv_put_int(ph, "width", a->photo_width);
		tv_put_int(ph, "height", a->photo_height);
		tv_put(lo, "photo", ph);
	}
	struct tv *links = tv_list(p);
	for (const char *l = a->links; *l;) {
		const char *end = strchrnul(l, '\n');
		if (end > l) {
			struct tv *o = tv_obj(p);
			tv_put_str(o, "url", pool_strndup(p, l, (size_t)(end - l)));
			tv_append(links, o);
		}
		l = *end ? end + 1 : end;
	}
	if (tv_count(links)) {
		tv_put(lo, "links", links);
		tv_put_bool(lo, "has_links", 1);
	}
}

static void render_listing(struct req *rq, struct resp *rs, const struct listing *l)
{
	struct pool *p = rq->pool;
	unsigned long long page = page_number(rq);
	size_t per = (size_t)rq->site->cfg.per_page, n = 0;
	int more = 0;
	struct story *v = NULL;
	struct list_cursor at;
	int cursor = list_cursor_parse(rq, &at);
	if (cursor < 0) {
		http_error(rq, rs, 400, "Bad request", "This address of a page of stories is not valid.");
		return;
	}
	/* past the pages an offset reaches cheaply, pages are found from
	 * links; this answer reads nothing, so it is not kept (a kept one per
	 * page number would let anyone fill the page cache) */
	if (page == 0 || (cursor ? page < 2 : page > LIST_OFFSET_PAGES)) {
		page_not_found(rq, rs, "There is no such page of stories.");
		return;
	}
	if (store_stories_list(rq->store, p, &l->filter, cursor ? &at : NULL,
			       cursor ? 0 : (size_t)(page - 1) * per, per, &v, &n, &more)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The stories could not be loaded.");
		return;
	}
	if (at.dir > 0 && !more) { /* nothing newer: this is the first page now */
		resp_redirect(rs, 302, l->path);
		return;
	}
	/* past the end (or an empty archive): public, kept with the list's tags */
	if ((page > 1 || l->archive) && n == 0) {
		page_not_found(rq, rs, "There is no such page of stories.");
		rs->cache_control = HTTP_CACHE_PUBLIC;
		return;
	}
	/* older stories follow: after a page of newer ones, at least the
	 * story its cursor named */
	int older = at.dir > 0 || more;
	/* "Tag: Energy", so a tag and a section of one name keep unique titles */
	const char *kind =
		l->kind ? page_t(rq, pool_cat(p, "kind_", pool_lower(p, l->kind), NULL)) : NULL;
	const char *title = l->kind ? (strcmp(l->kind, "Section") == 0
					       ? l->name
					       : pool_cat(p, kind, ": ", l->name, NULL))
				    : NULL;
	if (page > 1)
		title = page_title_n(rq, title ? title : page_t(rq, "latest_stories"), page);
	const char *self = page == 1 ? l->path
			   : cursor ? pool_printf(p, "%s?page=%llu&%s=%lld.%lld", l->path, page,
						  at.dir < 0 ? "before" : "after", at.published_at, at.id)
				    : pool_printf(p, "%s?page=%llu", l->path, page);
	struct tv *ctx = page_ctx(rq, title, l->description && *l->description ? l->description : NULL,
				  self);
	if (l->kind && !l->archive)
		page_feeds(rq, ctx, l->path, l->name, NULL);
	/* the home page's first page: the edited front page first */
	struct front_view fv = { 0 };
	if (!l->kind && page == 1 && page_front_put(rq, ctx, &fv)) {
		http_error(rq, rs, 500, "Something went wrong", "The front page could not be loaded.");
		return;
	}
	struct tv *stories = tv_list(p);
	int lead_done = fv.lead;
	for (size_t i = 0; i < n; i++) {
		if (page_front_shown(&fv, v[i].id))
			continue; /* pinned above */
		struct tv *o = story_summary(rq, &v[i]);
		/* the home page's first card is its lead (unless one is
		 * pinned): wide, and the one picture fetched first; every
		 * other card's waits (lazy) */
		int lead = !l->kind && !lead_done;
		lead_done |= lead;
		story_card_picture(p, o, &v[i],
				   lead ? CARD_SIZES_LEAD : l->kind ? CARD_SIZES_LIST : CARD_SIZES_GRID,
				   lead ? CARD_LEAD_MAX_WIDTH : CARD_MAX_WIDTH, lead ? FIGURE_LEAD : 0);
		if (lead && fv.any)
			tv_put(ctx, "lead", o); /* above the featured stories */
		else
			tv_append(stories, o);
	}
	if (fv.any)
		tv_put_bool(ctx, "has_latest", tv_count(stories) > 0);
	if (fv.ttl)
		rs->cache_ttl = fv.ttl; /* a pin or the banner expires then */
	tv_put(ctx, "stories", stories);
	if (page > 1 || older)
		tv_put(ctx, "pagination", pagination(p, l->path, page, cursor, v, n, older));
	if (l->kind) {
		struct tv *lo = tv_obj(p);
		tv_put_str(lo, "kind", kind);
		tv_put_str(lo, "name", l->name);
		if (l->description && *l->description)
			tv_put_str(lo, "description", l->description);
		if (l->children && tv_count(l->children)) {
			tv_put(lo, "children", l->children);
			tv_put_bool(lo, "has_children", 1);
		}
		if (l->author)
			author_profile(p, lo, l->author);
		tv_put(ctx, "list", lo);
	}
	rs->cache_control = HTTP_CACHE_PUBLIC;
	page_render(rq, rs, 200, l->kind ? "list" : "home", ctx);
}

void page_home(struct req *rq, struct resp *rs)
{
	struct listing l = { .path = "/" };
	if (!page_wp_home_query(rq, rs))
		render_listing(rq, rs, &l);
}

static void not_found(struct req *rq, struct resp *rs, int rc, const char *what)
{
	if (rc == STORE_NOTFOUND)
		page_not_found(rq, rs, pool_printf(rq->pool, "There is no %s at this address.", what));
	else {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The page could not be loaded.");
	}
}

/* The section's children, for its page: {name, url}. */
static struct tv *section_children(struct req *rq, const struct section *sec)
{
	struct section *v = NULL;
	size_t n = 0;
	struct tv *list = tv_list(rq->pool);
	if (store_sections(rq->store, rq->pool, &v, &n) == STORE_OK)
		for (size_t i = 0; i < n; i++)
			if (v[i].parent_id == sec->id) {
				struct tv *o = tv_obj(rq->pool);
				tv_put_str(o, "name", v[i].name);
				tv_put_str(o, "url", section_url(rq->pool, v[i].path));
				tv_append(list, o);
			}
	return list;
}

/* /section/PATH and /section/PATH/FEED: a section is found by its whole
 * path ("world/asia"); a parent's page lists its subsections' stories
 * too. A top-level-looking /section/SLUG of a nested section answers 301
 * with its address. */
void page_section(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	const char *path = rq->params[0], *slash = strrchr(path, '/');
	struct section sec;
	int rc = store_section_by_path(rq->store, p, path, &sec);
	if (rc == STORE_NOTFOUND && slash) {
		const char *up = pool_strndup(p, path, (size_t)(slash - path));
		enum feed_format fmt;
		if (feed_format_parse(slash + 1, &fmt) == 0 &&
		    (rc = store_section_by_path(rq->store, p, up, &sec)) == STORE_OK) {
			feed_section(rq, rs, &sec, slash + 1);
			return;
		}
	} else if (rc == STORE_NOTFOUND &&
		   store_section_by_slug(rq->store, p, path, &sec) == STORE_OK) {
		resp_redirect(rs, 301, section_url(p, sec.path));
		return;
	}
	if (rc) {
		not_found(rq, rs, rc, "section");
		return;
	}
	struct tv *children = section_children(rq, &sec);
	struct listing l = { .kind = "Section", .name = sec.name, .description = sec.description,
			     .path = section_url(p, sec.path), .children = children,
			     .filter = { .section_id = sec.id, .section_tree = tv_count(children) > 0 } };
	render_listing(rq, rs, &l);
}

void page_tag(struct req *rq, struct resp *rs)
{
	struct tag t;
	int rc = store_tag_listed(rq->store, rq->pool, rq->params[0], &t);
	if (rc) {
		not_found(rq, rs, rc, "tag");
		return;
	}
	struct listing l = { .kind = "Tag", .name = t.name, .filter = { .tag_id = t.id } };
	l.path = pool_printf(rq->pool, "/tag/%s", t.slug);
	render_listing(rq, rs, &l);
}

void page_author(struct req *rq, struct resp *rs)
{
	struct author a;
	int rc = store_author_listed(rq->store, rq->pool, rq->params[0], &a);
	if (rc) {
		not_found(rq, rs, rc, "author");
		return;
	}
	struct listing l = { .kind = "Author", .name = a.name, .description = a.bio, .author = &a,
			     .filter = { .author_id = a.id } };
	l.path = pool_printf(rq->pool, "/author/%s", a.slug);
	render_listing(rq, rs, &l);
}

/* Days in month m (1-12) of year y. */
static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return days[m - 1] + (m == 2 && leap);
}

/* Midnight at the start of y-m-d as if UTC (m and d may run one past
 * their end: 13 is next year's January, month_days + 1 next month's 1st). */
static long long civil_midnight(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	return (long long)timegm(&tm);
}

void page_archive(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	long long v[3] = { 0, 1, 1 };
	static const size_t len[3] = { 4, 2, 2 };
	static const long long max[3] = { 9999, 12, 31 };
	size_t n = rq->nparams;
	for (size_t i = 0; i < n; i++)
		if (strlen(rq->params[i]) != len[i] ||
		    num_parse_i64(rq->params[i], i ? 1 : 1970, max[i], &v[i]) ||
		    (i == 2 && v[2] > month_days((int)v[0], (int)v[1]))) {
			page_not_found(rq, rs, "There is no such date.");
			return;
		}
	int y = (int)v[0], m = (int)v[1], d = (int)v[2];
	long long start = civil_midnight(y, m, d);
	long long end = n == 1 ? civil_midnight(y + 1, 1, 1)
			: n == 2 ? civil_midnight(y, m + 1, 1) : civil_midnight(y, m, d + 1);
	/* in UTC, as story addresses are: /2024/05/31/ lists the stories
	 * whose addresses begin so, whatever the site's zone */
	const char *day = date_human(p, start, NULL);
	const char *month = strchr(day, ' '), *name = rq->params[0]; /* "2024" */
	if (n == 3)
		name = day; /* "31 May 2024" */
	else if (n == 2)
		name = month ? month + 1 : day; /* "May 2024" */
	struct listing l = { .kind = "Archive", .name = name, .archive = 1,
			     .filter = { .from = start, .until = end } };
	l.path = pool_printf(p, "/%04d", y);
	if (n >= 2)
		l.path = pool_printf(p, "%s/%02d", l.path, m);
	if (n == 3)
		l.path = pool_printf(p, "%s/%02d", l.path, d);
	render_listing(rq, rs, &l);
}
