/*
 * page_sitepage: a static page (About, Contact, /about/team) at the
 * address its path names, in the theme's page.html: a title and a body,
 * no date, no byline, no comments. Its rows come after every fixed row of
 * the route table, so a route always wins; an address with no published
 * page is the usual 404 (or a stored redirect).
 */
#include "pages.h"
#include "../content/sitepage.h"
#include "../render/template.h"
#include "../store/store_sitepage.h"
#include "../util/log.h"
#include "../util/pool.h"

void page_sitepage(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	const char *path = rq->nparams == 2 ? pool_cat(p, rq->params[0], "/", rq->params[1], NULL)
					    : rq->params[0];
	struct sitepage pg = { 0 };
	int rc = store_sitepage_by_path(rq->store, p, path, &pg);
	if (rc == STORE_NOTFOUND) {
		page_not_found(rq, rs, "Sorry, there is no page at this address.");
		return;
	}
	if (rc) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The page could not be loaded.");
		return;
	}
	const char *url = sitepage_url(p, pg.path);
	struct tv *ctx = page_ctx(rq, pg.title, NULL, url), *o = tv_obj(p);
	tv_put_str(o, "title", pg.title);
	tv_put_str(o, "url", url);
	tv_put_html(o, "body_html", pg.body_html);
	if (pg.parent_path) { /* the parent's title and address show in the page's trail */
		tv_put_str(o, "parent_title", pg.parent_title);
		tv_put_str(o, "parent_url", sitepage_url(p, pg.parent_path));
	}
	tv_put(ctx, "page", o);
	page_render(rq, rs, 200, "page", ctx);
}
