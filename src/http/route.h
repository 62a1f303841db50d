/*
 * route: the generic half of routing, which knows no page. A table of
 * rows (method, path pattern, handler, flags the application reads, the
 * query variables the page reads) is the application's (src/app/); this
 * matches a request against it once and keeps the row in the request.
 *
 * Patterns: "/tag/:slug" captures one percent-decoded segment (valid
 * UTF-8, never NUL or '/'); "/#year" one of ASCII digits only; a last
 * "*rest" captures the rest of the path,
 * segment by segment, none empty, "." or "..". A single trailing slash on
 * the path is ignored. GET rows answer HEAD too.
 */
#ifndef GZ_ROUTE_H
#define GZ_ROUTE_H

#include "http.h"

struct route {
	enum http_method method;
	const char *pattern;
	http_handler handler;
	unsigned flags; /* the application's: http/ never reads them */
	/* the query variables a public page's handler reads, space-separated:
	 * the page cache keys the page by these alone (route_cache_key), so
	 * "?utm_source=..." or "?r=<random>" is the same entry. NULL: the row
	 * does not say, and the whole request target is the key. */
	const char *query;
};

/* 1 when path matches pattern, with its captures in rq->params. */
int route_match(struct req *rq, const char *pattern, const char *path);

/* The first row of table[n] for rq's method and path, or NULL; matched
 * once per request (kept in rq->route), so asking again costs nothing.
 * rq->route_path_known is 1 when some row has the path (a 405, not 404). */
const struct route *route_find(struct req *rq, const struct route *table, size_t n);

/* The page cache's key for rq's row: the path and only the query
 * variables the row declares, in the order sent (a repeat: the first);
 * the whole target when no row or a row that declares nothing. */
const char *route_cache_key(struct req *rq, const struct route *r);

#endif
