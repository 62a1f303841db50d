/*
 * http: what a handler sees of a request and fills in of a response. Only
 * http/ touches libmicrohttpd; handlers see these plain structs.
 *
 * Every request has a pool: handlers allocate from it and never free. The
 * route table (router.c) is the one place that says which handler answers
 * which method and path and what the request must carry first.
 */
#ifndef GZ_HTTP_H
#define GZ_HTTP_H

#include <stddef.h>

#include "../util/buf.h"
#include "../cache/cache.h"
#include "form.h"
#include "multipart.h"

struct pool;
struct site;
struct store;
struct user;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER, HTTP_METHOD__MAX };

#define HTTP_MAX_PARAMS 6
#define HTTP_MAX_HEADERS 8
#define HTTP_MAX_FIELDS 64     /* query or form pairs */
#define HTTP_SESSION_COOKIE "gz_session"  /* signed-in users bypass the page cache */
/* Cache-Control of public pages: browsers revalidate every time (cheap,
 * 304), a CDN may keep a page 30 s and serve it stale while refetching. */
#define HTTP_CACHE_PUBLIC "public, max-age=0, s-maxage=30, stale-while-revalidate=60"

struct req {
	struct pool *pool;
	const struct site *site;
	struct store *store;          /* this worker's database connection */
	enum http_method method;
	const char *uri;              /* raw request target, for logs */
	const char *path;             /* raw path, before '?' */
	struct kvlist query;          /* decoded query string */
	const char *content_type;
	const char *body;             /* raw request body (POST), NUL-terminated; read-only
				       * (past 64 KB a mapped temporary file: http/body.h) */
	size_t body_len;
	struct kvlist form;           /* body decoded, for ROUTE_FORM routes */
	struct uploadlist files;      /* file parts of a multipart body (ROUTE_UPLOAD routes) */
	struct kvlist cookies;
	const char *params[HTTP_MAX_PARAMS]; /* path segments the route captured */
	size_t nparams;
	const char *client_ip;        /* decided once: see http/secure.h */
	const char *client_key;       /* what limits count it as (an IPv6 /64) */
	int https;                    /* reached us over HTTPS (secure_https) */
	const char *user_agent, *referer;
	const char *origin, *host;     /* Origin and Host headers (CSRF check) */
	const struct user *user;      /* signed-in account (ROUTE_LOGIN routes), else NULL */
	const char *session_id;       /* its session's stored id (hash of the token) */
	const char *csrf;             /* its session's CSRF token, for forms */
};

struct header { const char *name, *value; };

struct resp {
	int status;
	const char *content_type;     /* default text/html; charset=utf-8 */
	const char *cache_control;    /* default: private, no-store */
	const char *location;         /* for redirects */
	struct header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	struct buf body;
	const char *static_body;      /* set instead of body for long-lived bytes */
	int file_fd;                  /* > 0: send this open file (closed after) */
	size_t file_len;
	int cache_ttl;                /* seconds the page cache may keep a page that
				       * depends on the clock (0: until a change) */
	size_t static_len;
	/* a part of the page that must be new for every reader (the comment
	 * form's stamp): the page cache rewrites it on each send (cache.h) */
	struct cache_live live;
};

/* A route handler: fills resp (status defaults to 200). */
typedef void (*http_handler)(struct req *rq, struct resp *rs);

void resp_header(struct resp *rs, const char *name, const char *value);
void resp_redirect(struct resp *rs, int status, const char *location);

/* Renders the theme's error page with status, title and message. */
void http_error(struct req *rq, struct resp *rs, int status, const char *title,
		const char *message);

/* 404, unless the path is an old address with a stored redirect (301). */
void http_not_found(struct req *rq, struct resp *rs, const char *message);
/* For the addresses below a page (a story's comment feeds): when old_path
 * has a stored redirect, answers 301 with its target followed by suffix
 * and returns 1; 0 otherwise (and for anything but GET and HEAD). */
int http_moved(struct req *rq, struct resp *rs, const char *old_path, const char *suffix);

/* Decides the handler for a request (router.c): fills rq->params and
 * returns it, or answers 404/405 itself and returns NULL. The route's
 * flags are checked here, centrally. */
http_handler router_match(struct req *rq, struct resp *rs);

/* Decides a request that announced a body from its head alone, before
 * the body is read (router.c): the route's guards but the CSRF token
 * (guard_head), and in *limit the largest body the route takes, the
 * site's body_limit or upload_limit + 1 MB for ROUTE_UPLOAD routes (so
 * only the editor's forms may be large; a signed-out post the editor
 * keeps gets body_limit, and is sent to sign in when it announced more:
 * announced, BODY_UNKNOWN (-1) when chunked); a POST no row takes gets
 * its 404/405 at once. 0 to read the body; -1 with the answer in rs. */
int router_head(struct req *rq, struct resp *rs, size_t announced, size_t *limit);
/* The page cache's key for a GET (router.c): the path and only the query
 * variables its route declares it reads, in the order sent; the whole
 * target for a route that declares nothing and for WordPress's query
 * addresses (they may name a stored redirect). */
const char *router_cache_key(struct req *rq);
/* The per-address rate limits of flagged routes (search): 1 when it
 * answered 429 with Retry-After. Called before the page cache lookup. */
int router_limit(struct req *rq, struct resp *rs);

/* Serves the site until SIGINT/SIGTERM (server.c). 0 on a clean stop. */
int http_serve(struct site *site, const char *listen, char *err, size_t errlen);

#endif
