/*
 * http: what a handler sees of a request and fills in of a response. Only
 * http/ touches libmicrohttpd; handlers see these plain structs.
 *
 * Every request has a pool: handlers allocate from it and never free. The
 * application's route table (src/app/routes.c) is the one place that says
 * which handler answers which method and path and what the request must
 * carry first; the server reaches it through struct http_app.
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
struct route;
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
	const struct route *route;    /* the row matched (http/route.h), once */
	int no_snapshot;              /* set by the application's match: the handler
				       * reads no database (a file), so no read
				       * snapshot is begun for it */
	int route_found, route_path_known;
	const char *client_ip;        /* decided once: see http/secure.h */
	int forwarded;                /* came through a proxy: X-Forwarded-For, Forwarded or X-Real-IP */
	const char *client_key;       /* what limits count it as (an IPv6 /64) */
	int https;                    /* reached us over HTTPS (secure_https) */
	const char *user_agent, *referer;
	const char *origin, *host;     /* Origin and Host headers (CSRF check) */
	const char *range, *if_range;  /* Range and If-Range headers (http/file.h) */
	const char *if_none_match;
	const struct user *user;      /* signed-in account (ROUTE_LOGIN routes), else NULL */
	const char *session_id;       /* its session's stored id (hash of the token) */
	const char *csrf;             /* its session's CSRF token, for forms */
	const char *request_id;       /* X-Request-Id: a proxy's sane one, else ours */
	long long start_ns;           /* its arrival (http_now_ns) */
	int status_sent;              /* the status answered, once sent */
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
	size_t file_off, file_len;    /* the part of it sent (a Range) */
	/* set instead of file_fd: a file whose content never changes, sent
	 * whole, which the server may answer from a response it keeps ready
	 * (http_file_ready in file.h); its inode and mtime as stat gave them,
	 * its size in file_len */
	const char *file_path;
	long long file_ino, file_mtime;
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

/* Answers status with the application's error page (http_app.error) for
 * title and message; a plain-text one when no application serves. */
void http_error(struct req *rq, struct resp *rs, int status, const char *title,
		const char *message);

/*
 * The application the server serves (src/app/ for Gazette): what http/
 * asks of it, so http/ knows no page, guard or route table.
 */
struct http_app {
	/* A request that announced a body, decided from its head before the
	 * body is read: 0 to read it, with in *limit the largest body its
	 * route takes (announced: its Content-Length, BODY_UNKNOWN (-1) when
	 * chunked); -1 with the answer in rs. */
	int (*head)(struct req *rq, struct resp *rs, size_t announced, size_t *limit);
	/* The handler for a request (rq->params filled), or NULL with the
	 * answer (404, 405, 400 for a bad form, a guard's refusal) in rs. */
	http_handler (*match)(struct req *rq, struct resp *rs);
	/* 1 when the request's answer needs no database (a file, /healthz,
	 * /readyz): a worker without a connection (the database down) still
	 * dispatches it; the rest is a 503. NULL: none does. */
	int (*storeless)(struct req *rq);
	/* Per-address limits, before the page cache: 1 when it answered. */
	int (*limit)(struct req *rq, struct resp *rs);
	/* The page cache's key for a GET or HEAD, or NULL when this request
	 * must neither be answered from the cache nor fill it (someone
	 * signed in, a page only its asker may see). */
	const char *(*cache_key)(struct req *rq);
	/* The error page for status (the theme's, for Gazette). */
	void (*error)(struct req *rq, struct resp *rs, int status, const char *title,
		      const char *message);
	/* Each request once answered (rq->status_sent), after ns since it
	 * arrived, db_ns of which in database statements (metrics). */
	void (*done)(struct req *rq, long long ns, long long db_ns);
	/* SIGHUP: a new generation of the site (settings and theme read
	 * again), or NULL to keep serving cur; requests that began on cur
	 * finish on it, and it is then handed to retire (never the site
	 * http_serve was given, which stays the caller's). */
	struct site *(*reload)(const struct site *cur);
	/* The new generation reload made is the one requests take from now
	 * on (what says the reload is done: a request sent after it sees
	 * the new settings). NULL: nothing to do. */
	void (*reloaded)(const struct site *now);
	void (*retire)(struct site *old);
	/* Once listening and sandboxed, and after the last request. */
	void *(*start)(struct site *site);
	void (*stop)(void *started);
};

/* A monotonic clock in nanoseconds (request timing). */
long long http_now_ns(void);

/* The site generation current now, held as a request holds it (a reload
 * retires it only once released): for work outside requests, such as the
 * scheduler's runs. *ref identifies the generation (never reused while
 * serving) and goes to http_site_release. NULL when not serving. */
const struct site *http_site_hold(const void **ref);
void http_site_release(const void *ref);

/* Serves the site until SIGINT/SIGTERM (server.c), reloading it on
 * SIGHUP (http_app.reload). 0 on a clean stop. */
int http_serve(struct site *site, const struct http_app *app, const char *listen, char *err,
	       size_t errlen);

#endif
