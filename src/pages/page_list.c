/*
 * page_list: the pages that list stories, newest first and paginated: the
 * home page and the section, tag and author pages. They differ only in the
 * filter and the heading, so one function renders them all.
 */
#include "pages.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <string.h>

struct listing {
	const char *kind;         /* "Section", "Tag", "Author"; NULL for home */
	const char *name, *description;
	const char *path;         /* canonical path without ?page */
	struct story_filter filter;
};

/* Pages link to their neighbours; there is no "of N": counting every
 * story of a 100,000-story site cost more than building the page. */
static struct tv *pagination(struct pool *p, const char *path, unsigned long long page, int more)
{
	struct tv *o = tv_obj(p);
	tv_put_int(o, "page", (long long)page);
	if (page > 1)
		tv_put_str(o, "prev_url", page == 2 ? path : pool_printf(p, "%s?page=%llu", path, page - 1));
	if (more)
		tv_put_str(o, "next_url", pool_printf(p, "%s?page=%llu", path, page + 1));
	return o;
}

static void render_listing(struct req *rq, struct resp *rs, const struct listing *l)
{
	struct pool *p = rq->pool;
	unsigned long long page = page_number(rq);
	size_t per = (size_t)rq->site->cfg.per_page, n = 0;
	int more = 0;
	struct story *v = NULL;
	if (page == 0) {
		http_not_found(rq, rs, "There is no such page of stories.");
		return;
	}
	if (store_stories_list(rq->store, p, &l->filter, (size_t)(page - 1) * per, per, &v, &n,
			       &more)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The stories could not be loaded.");
		return;
	}
	if (page > 1 && n == 0) {
		http_not_found(rq, rs, "There is no such page of stories.");
		return;
	}
	/* "Tag: Energy", so a tag and a section of one name keep unique titles */
	const char *title = l->kind ? (strcmp(l->kind, "Section") == 0
					       ? l->name
					       : pool_printf(p, "%s: %s", l->kind, l->name))
				    : NULL;
	if (title && page > 1)
		title = pool_printf(p, "%s (page %llu)", title, page);
	else if (!title && page > 1)
		title = pool_printf(p, "Latest stories (page %llu)", page);
	struct tv *ctx = page_ctx(rq, title, l->description,
				  page > 1 ? pool_printf(p, "%s?page=%llu", l->path, page) : l->path);
	if (l->kind)
		page_feeds(rq, ctx, l->path, l->name, NULL);
	struct tv *stories = tv_list(p);
	for (size_t i = 0; i < n; i++)
		tv_append(stories, story_summary(p, &v[i]));
	tv_put(ctx, "stories", stories);
	if (page > 1 || more)
		tv_put(ctx, "pagination", pagination(p, l->path, page, more));
	if (l->kind) {
		struct tv *lo = tv_obj(p);
		tv_put_str(lo, "kind", l->kind);
		tv_put_str(lo, "name", l->name);
		if (l->description && *l->description)
			tv_put_str(lo, "description", l->description);
		tv_put(ctx, "list", lo);
	}
	rs->cache_control = HTTP_CACHE_PUBLIC;
	page_render(rq, rs, 200, l->kind ? "list" : "home", ctx);
}

void page_home(struct req *rq, struct resp *rs)
{
	struct listing l = { .path = "/" };
	render_listing(rq, rs, &l);
}

static void not_found(struct req *rq, struct resp *rs, int rc, const char *what)
{
	if (rc == STORE_NOTFOUND)
		http_not_found(rq, rs, pool_printf(rq->pool, "There is no %s at this address.", what));
	else {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The page could not be loaded.");
	}
}

void page_section(struct req *rq, struct resp *rs)
{
	struct section sec;
	int rc = store_section_by_slug(rq->store, rq->pool, rq->params[0], &sec);
	if (rc) {
		not_found(rq, rs, rc, "section");
		return;
	}
	struct listing l = { "Section", sec.name, NULL, rq->path, { .section_id = sec.id } };
	l.path = pool_printf(rq->pool, "/section/%s", sec.slug);
	render_listing(rq, rs, &l);
}

void page_tag(struct req *rq, struct resp *rs)
{
	struct tag t;
	int rc = store_tag_by_slug(rq->store, rq->pool, rq->params[0], &t);
	if (rc) {
		not_found(rq, rs, rc, "tag");
		return;
	}
	struct listing l = { "Tag", t.name, NULL, NULL, { .tag_id = t.id } };
	l.path = pool_printf(rq->pool, "/tag/%s", t.slug);
	render_listing(rq, rs, &l);
}

void page_author(struct req *rq, struct resp *rs)
{
	struct author a;
	int rc = store_author_by_slug(rq->store, rq->pool, rq->params[0], &a);
	if (rc) {
		not_found(rq, rs, rc, "author");
		return;
	}
	struct listing l = { "Author", a.name, a.bio, NULL, { .author_id = a.id } };
	l.path = pool_printf(rq->pool, "/author/%s", a.slug);
	render_listing(rq, rs, &l);
}
