/*
 * page_static: the theme's static files, held in memory since start. Their
 * URLs carry a content hash (?v=), so they are cached for a year.
 */
#include "pages.h"
#include "../site/site.h"
#include "../util/pool.h"

#include <string.h>

void page_static(struct req *rq, struct resp *rs)
{
	const struct static_file *f = site_static(rq->site, rq->params[0]);
	if (!f) {
		page_not_found(rq, rs, "There is no such file.");
		return;
	}
	rs->content_type = f->type;
	rs->cache_control = "public, max-age=31536000, immutable";
	resp_header(rs, "ETag", pool_printf(rq->pool, "\"%s\"", f->etag));
	rs->static_body = f->data;
	rs->static_len = f->len;
}
