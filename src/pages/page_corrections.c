/*
 * page_corrections: /corrections, every correction appended to a published
 * story, newest first, each with its story's title and link. Cached like
 * any list: the store reports list:corrections, the stories it names and
 * list:home (store_byline.h), so a new correction, a retitled story or one
 * unpublished drops the page.
 */
#include "pages.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_byline.h"
#include "../util/log.h"
#include "../util/pool.h"

#define CORRECTIONS_PER_PAGE 50

static struct tv *row_tv(struct pool *p, const struct correction *c, const struct tz *z)
{
	struct tv *o = tv_obj(p);
	struct story s = { .slug = c->story_slug, .published_at = c->story_published_at };
	tv_put_str(o, "story_title", c->story_title);
	tv_put_str(o, "story_url", story_path(p, &s));
	tv_put_str(o, "date_iso", date_iso(p, c->created_at, z));
	tv_put_str(o, "date_human", date_human_time(p, c->created_at, z));
	tv_put_str(o, "text", c->body);
	return o;
}

void page_corrections(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	unsigned long long page = page_number(rq);
	if (page == 0) {
		page_not_found(rq, rs, "There is no such page of corrections.");
		return;
	}
	struct correction *v = NULL;
	size_t n = 0;
	if (store_corrections(rq->store, p, (size_t)(page - 1) * CORRECTIONS_PER_PAGE,
			      CORRECTIONS_PER_PAGE + 1, &v, &n)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The corrections could not be loaded.");
		return;
	}
	rs->cache_control = HTTP_CACHE_PUBLIC;
	if (page > 1 && n == 0) {
		page_not_found(rq, rs, "There is no such page of corrections.");
		return;
	}
	int more = n > CORRECTIONS_PER_PAGE;
	if (more)
		n = CORRECTIONS_PER_PAGE;
	const char *self = page == 1 ? "/corrections" : pool_printf(p, "/corrections?page=%llu", page);
	struct tv *ctx = page_ctx(rq, page_title_n(rq, page_t(rq, "corrections"), page),
				  "Corrections to our stories, newest first.", self);
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < n; i++)
		tv_append(list, row_tv(p, &v[i], &rq->site->zone));
	tv_put(ctx, "corrections", list);
	tv_put_bool(ctx, "has_corrections", n > 0);
	if (page > 1 || more) {
		struct tv *pg = tv_obj(p);
		tv_put_int(pg, "page", (long long)page);
		if (page > 1)
			tv_put_str(pg, "prev_url", page == 2 ? "/corrections"
							     : pool_printf(p, "/corrections?page=%llu",
									   page - 1));
		if (more)
			tv_put_str(pg, "next_url", pool_printf(p, "/corrections?page=%llu", page + 1));
		tv_put(ctx, "pagination", pg);
	}
	page_render(rq, rs, 200, "corrections", ctx);
}
