/*
 * router: the one route table. Each row is a method, a path pattern whose
 * ":name" segments are captured into rq->params, a handler and flags that
 * are checked here, before the handler runs, never inside it. GET routes
 * answer HEAD too.
 */
#include "http.h"
#include "../pages/pages.h"
#include "../comments/comment_form.h"
#include "../admin/admin.h"
#include "../auth/guard.h"
#include "../store/store_redirect.h"
#include "../render/escape.h"
#include "../util/pool.h"
#include "../util/ratelimit.h"
#include "../util/log.h"
#include "../util/utf8.h"
#include "../site/site.h"

#include <string.h>
#include <strings.h>
#include <time.h>

enum route_flag {
	ROUTE_FORM = 1 << 0,   /* needs a decoded urlencoded or multipart body */
	ROUTE_UPLOAD = 1 << 1, /* may carry a file part (multipart) of up to upload_limit */
	/* counted against the client address's search_rate_per_minute; checked
	 * by router_limit, which the server calls before the page cache */
	ROUTE_RATE_SEARCH = 1 << 7,
	/* the newsroom's guards (auth/guard.h), checked after ROUTE_FORM */
	ROUTE_LOGIN = GUARD_LOGIN << 8,     /* a session, and the route's capability */
	ROUTE_CSRF = GUARD_CSRF << 8,       /* the session's CSRF token and our Origin */
	ROUTE_ORIGIN = GUARD_ORIGIN << 8,   /* our Origin only (sign-in) */
	ROUTE_STORY = GUARD_STORY << 8,     /* params[0]: a story this user may edit */
	ROUTE_COMMENT = GUARD_COMMENT << 8, /* params[0]: a comment this user may moderate */
	/* a POST without a session is kept by the editor's admin_editor_stash
	 * (the one keeper so far) instead of only sent to sign in */
	ROUTE_KEEP = GUARD_KEEP << 8,
};
/* The capability (auth/roles.h) a ROUTE_LOGIN route needs, in bits 16-23. */
#define ROUTE_CAP(c) ((unsigned)(c) << 16)
#define ADMIN_GET(c) (ROUTE_LOGIN | ROUTE_CAP(c))
#define ADMIN_POST(c) (ROUTE_FORM | ROUTE_LOGIN | ROUTE_CSRF | ROUTE_CAP(c))

struct route {
	enum http_method method;
	const char *pattern;
	http_handler handler;
	unsigned flags;
	/* the query variables a public page's handler reads, space-separated:
	 * the page cache keys the page by these alone (router_cache_key), so
	 * "?utm_source=..." or "?r=<random>" is the same entry. NULL: the row
	 * does not say, and the whole request target is the key. */
	const char *query;
};

/* Rows that do not name their query variables leave `query` NULL. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct route routes[] = {
	{ HTTP_GET, "/", page_home, 0, "page before after" },
	/* the newsroom (admin/): before the date pattern, which would take
	 * four-segment admin paths */
	{ HTTP_GET, "/admin", admin_home, ADMIN_GET(CAP_ADMIN) },
	{ HTTP_GET, "/admin/sign-in", admin_signin_form, 0 },
	{ HTTP_POST, "/admin/sign-in", admin_signin_post, ROUTE_FORM | ROUTE_ORIGIN },
	{ HTTP_POST, "/admin/sign-in/code", admin_signin_code, ROUTE_FORM | ROUTE_ORIGIN },
	{ HTTP_POST, "/admin/sign-out", admin_signout, ADMIN_POST(CAP_ADMIN) },
	{ HTTP_POST, "/admin/sign-out-everywhere", admin_signout_everywhere, ADMIN_POST(CAP_ADMIN) },
	{ HTTP_GET, "/admin/stories", admin_stories, ADMIN_GET(CAP_STORY_WRITE) },
	{ HTTP_GET, "/admin/stories/new", admin_editor_new, ADMIN_GET(CAP_STORY_WRITE) },
	{ HTTP_GET, "/admin/stories/:id", admin_editor_edit, ADMIN_GET(CAP_STORY_WRITE) | ROUTE_STORY },
	{ HTTP_POST, "/admin/stories/:id/save", admin_editor_save, ADMIN_POST(CAP_STORY_WRITE) | ROUTE_STORY | ROUTE_UPLOAD | ROUTE_KEEP },
	{ HTTP_POST, "/admin/stories/:id/preview", admin_editor_preview, ADMIN_POST(CAP_STORY_WRITE) | ROUTE_STORY | ROUTE_UPLOAD | ROUTE_KEEP },
	{ HTTP_POST, "/admin/stories/:id/submit", admin_editor_submit, ADMIN_POST(CAP_STORY_WRITE) | ROUTE_STORY | ROUTE_UPLOAD | ROUTE_KEEP },
	{ HTTP_POST, "/admin/stories/:id/publish", admin_editor_publish, ADMIN_POST(CAP_STORY_PUBLISH) | ROUTE_STORY | ROUTE_UPLOAD | ROUTE_KEEP },
	{ HTTP_POST, "/admin/stories/:id/unpublish", admin_editor_unpublish, ADMIN_POST(CAP_STORY_PUBLISH) | ROUTE_STORY | ROUTE_UPLOAD | ROUTE_KEEP },
	{ HTTP_POST, "/admin/stories/:id/autosave", admin_editor_autosave, ADMIN_POST(CAP_STORY_WRITE) | ROUTE_STORY },
	{ HTTP_GET, "/admin/stories/:id/revisions", admin_revisions, ADMIN_GET(CAP_STORY_WRITE) | ROUTE_STORY },
	{ HTTP_POST, "/admin/stories/:id/revisions/:rev/restore", admin_revision_restore, ADMIN_POST(CAP_STORY_WRITE) | ROUTE_STORY },
	{ HTTP_GET, "/admin/comments", admin_comments, ADMIN_GET(CAP_COMMENT_OWN) },
	{ HTTP_POST, "/admin/comments/bulk", admin_comments_bulk, ADMIN_POST(CAP_COMMENT_OWN) },
	{ HTTP_GET, "/admin/comments/:id/edit", admin_comment_edit_form, ADMIN_GET(CAP_COMMENT_OWN) | ROUTE_COMMENT },
	{ HTTP_POST, "/admin/comments/:id/edit", admin_comment_edit, ADMIN_POST(CAP_COMMENT_OWN) | ROUTE_COMMENT },
	{ HTTP_POST, "/admin/comments/:id/reply", admin_comment_reply, ADMIN_POST(CAP_COMMENT_OWN) | ROUTE_COMMENT },
	{ HTTP_POST, "/admin/comments/:id/:action", admin_comment_action, ADMIN_POST(CAP_COMMENT_OWN) | ROUTE_COMMENT },
	{ HTTP_GET, "/admin/users", admin_users, ADMIN_GET(CAP_USERS) },
	{ HTTP_POST, "/admin/users", admin_user_add, ADMIN_POST(CAP_USERS) },
	{ HTTP_POST, "/admin/users/:id", admin_user_change, ADMIN_POST(CAP_USERS) },
	{ HTTP_GET, "/admin/users/:id/profile", admin_user_profile, ADMIN_GET(CAP_USERS) },
	{ HTTP_POST, "/admin/users/:id/profile", admin_user_profile_save, ADMIN_POST(CAP_USERS) | ROUTE_UPLOAD },
	{ HTTP_GET, "/admin/account", admin_account, ADMIN_GET(CAP_ADMIN) },
	{ HTTP_POST, "/admin/account/profile", admin_account_profile, ADMIN_POST(CAP_ADMIN) | ROUTE_UPLOAD },
	{ HTTP_POST, "/admin/account/password", admin_account_password, ADMIN_POST(CAP_ADMIN) },
	{ HTTP_POST, "/admin/account/2fa", admin_account_2fa, ADMIN_POST(CAP_ADMIN) },
	{ HTTP_GET, "/admin/sections", admin_sections, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections", admin_section_add, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/sections/:id", admin_section_edit, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections/:id", admin_section_save, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections/:id/move", admin_section_move, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections/:id/delete", admin_section_delete, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/settings", admin_settings, ADMIN_GET(CAP_SETTINGS) },
	{ HTTP_POST, "/admin/settings", admin_settings_save, ADMIN_POST(CAP_SETTINGS) },
	{ HTTP_GET, "/media/*path", page_media, 0 }, /* before /:year/...: four segments too */
	/* and /section/PATH/FEED; before /:year/...: four segments too */
	{ HTTP_GET, "/section/*path", page_section, 0, "page before after" },
	{ HTTP_GET, "/:year/:month/:day/:slug", page_story, 0, "replytocom unapproved moderation-hash" },
	{ HTTP_GET, "/tag/:slug", page_tag, 0, "page before after" },
	{ HTTP_GET, "/author/:slug", page_author, 0, "page before after" },
	{ HTTP_GET, "/static/:file", page_static, 0, "" },
	{ HTTP_POST, "/comments", comment_post, ROUTE_FORM },
	/* found and followed: search, feeds (PATH/feed, feed.atom, feed.json), sitemaps */
	{ HTTP_GET, "/search", page_search, ROUTE_RATE_SEARCH, "q page" },
	{ HTTP_GET, "/search/:feed", feed_search, ROUTE_RATE_SEARCH, "q" },
	{ HTTP_GET, "/feed", feed_site, 0, "" },
	{ HTTP_GET, "/feed.atom", feed_site, 0, "" },
	{ HTTP_GET, "/feed.json", feed_site, 0, "" },
	{ HTTP_GET, "/tag/:slug/:feed", feed_tag, 0, "" },
	{ HTTP_GET, "/author/:slug/:feed", feed_author, 0, "" },
	{ HTTP_GET, "/comments/:feed", feed_comments, 0, "" },
	{ HTTP_GET, "/:year/:month/:day/:slug/comments/:feed", feed_story_comments, 0, "" },
	{ HTTP_GET, "/sitemap.xml", sitemap_index, 0, "" },
	{ HTTP_GET, "/sitemaps/:name", sitemap_page, 0, "" },
	{ HTTP_GET, "/news-sitemap.xml", sitemap_news, 0, "" },
	{ HTTP_GET, "/robots.txt", robots_txt, 0, "" },
};
#pragma GCC diagnostic pop

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes one path segment; NULL when malformed, not UTF-8, or
 * holding NUL or '/' (an encoded slash never smuggles a separator in). */
static const char *segment_decode(struct pool *p, const char *s, size_t n)
{
	char *out = pool_alloc(p, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[o++] = s[i];
			continue;
		}
		if (i + 2 >= n)
			return NULL;
		int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
		if (hi < 0 || lo < 0)
			return NULL;
		out[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[o] = '\0';
	if (!utf8_valid(out, o) || memchr(out, '/', o))
		return NULL;
	return out;
}

/* Decodes a multipart body into rq->form and rq->files (files only on
 * ROUTE_UPLOAD routes, each up to upload_limit), or answers 413/400. */
static int multipart_body(struct req *rq, struct resp *rs, int upload)
{
	long ul = rq->site->cfg.upload_limit;
	struct mp_limits lim = { HTTP_MAX_FIELDS, upload ? 4 : 0, (size_t)rq->site->cfg.body_limit,
				 upload ? (size_t)ul : 0 };
	enum mp_err e = multipart_decode(rq->pool, rq->content_type, rq->body, rq->body_len, &lim,
					 &rq->form, &rq->files);
	if (e == MP_ETOOLARGE && upload) {
		http_error(rq, rs, 413, "Too large",
			   pool_printf(rq->pool, "The file is larger than this site accepts "
						 "(%ld bytes at most).", ul));
		return -1;
	}
	if (e != MP_OK) {
		http_error(rq, rs, 400, "Bad request",
			   e == MP_EBADCHAR ? "The form held characters that are not valid text "
					      "(invalid UTF-8 or NUL bytes)."
					    : "The form could not be read.");
		return -1;
	}
	return 0;
}

/* Decodes the urlencoded or multipart body into rq->form, or answers
 * 415/413/400. */
static int form_body(struct req *rq, struct resp *rs, int upload)
{
	const char *ct = rq->content_type ? rq->content_type : "";
	if (multipart_is(ct))
		return multipart_body(rq, rs, upload);
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		http_error(rq, rs, 415, "Unsupported form encoding",
			   "This form must be sent as application/x-www-form-urlencoded "
			   "or multipart/form-data.");
		return -1;
	}
	enum form_err e = form_decode(rq->pool, rq->body ? rq->body : "", rq->body_len,
				      HTTP_MAX_FIELDS, &rq->form);
	if (e != FORM_OK) {
		http_error(rq, rs, 400, "Bad request",
			   e == FORM_EBADCHAR ? "The form held characters that are not valid text "
						"(invalid UTF-8 or NUL bytes)."
					      : "The form could not be read.");
		return -1;
	}
	return 0;
}

/* Matches path against pattern, capturing ":x" segments. A single trailing
 * slash is ignored. Returns 1 on a match. */
static int match(struct req *rq, const char *pattern, const char *path)
{
	size_t np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		const char *pe = strchrnul(p, '/'), *se = strchrnul(s, '/');
		if (*p == '*') {
			/* the rest of the path, segment by segment: each decoded and
			 * checked, none empty, "." or "..", so it names a file below */
			if (np == HTTP_MAX_PARAMS)
				return 0;
			struct buf rest;
			int ok = 1;
			buf_init(&rest, 4096);
			for (const char *q = s; ok && *q;) {
				const char *qe = strchrnul(q, '/');
				const char *v = segment_decode(rq->pool, q, (size_t)(qe - q));
				ok = v && *v && strcmp(v, ".") != 0 && strcmp(v, "..") != 0;
				if (ok) {
					if (rest.len)
						buf_putc(&rest, '/');
					buf_puts(&rest, v);
				}
				q = *qe ? qe + 1 : qe;
			}
			int got = ok && rest.len && !rest.err;
			if (got)
				rq->params[np++] = pool_strdup(rq->pool, buf_str(&rest));
			buf_release(&rest);
			if (!got)
				return 0;
			rq->nparams = np;
			return 1;
		}
		if (*p == ':') {
			if (se == s || np == HTTP_MAX_PARAMS)
				return 0;
			const char *v = segment_decode(rq->pool, s, (size_t)(se - s));
			if (!v)
				return 0;
			rq->params[np++] = v;
		} else if ((size_t)(pe - p) != (size_t)(se - s) || memcmp(p, s, (size_t)(pe - p)))
			return 0;
		p = pe, s = se;
	}
	int end = *s == '\0' || (s[0] == '/' && s[1] == '\0' && s != path);
	if (*p != '\0' || !end)
		return 0;
	rq->nparams = np;
	return 1;
}

/* WordPress addresses pages by query ("/?p=12", "/?cat=3"): a request
 * carrying one of its query variables may be an imported permalink. */
static int wp_query(const struct req *rq)
{
	static const char *const vars[] = { "p", "page_id", "cat", "tag", "author", "feed", "m",
					    "attachment_id" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (kv_get(&rq->query, vars[i]))
			return 1;
	return 0;
}

int http_moved(struct req *rq, struct resp *rs, const char *old_path, const char *suffix)
{
	const char *to;
	if (rq->method != HTTP_GET && rq->method != HTTP_HEAD)
		return 0;
	if (store_redirect_get(rq->store, rq->pool, old_path, &to) != STORE_OK)
		return 0;
	resp_redirect(rs, 301, *suffix ? pool_printf(rq->pool, "%s%s", to, suffix) : to);
	rs->cache_control = "public, max-age=3600";
	return 1;
}

/* A stored redirect for this request, answered with 301; 1 if found. */
static int redirected(struct req *rq, struct resp *rs, const char *key)
{
	return http_moved(rq, rs, key, "");
}

void http_not_found(struct req *rq, struct resp *rs, const char *message)
{
	if (!redirected(rq, rs, rq->path))
		http_error(rq, rs, 404, "Page not found", message);
}

/* 1 when the space-separated list names holds name. */
static int named(const char *names, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = names; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len + (p[len] == ' ');
	}
	return 0;
}

const char *router_cache_key(struct req *rq)
{
	if (!strchr(rq->uri, '?') || wp_query(rq)) /* WordPress's may name a redirect */
		return rq->uri;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		if (r->method != HTTP_GET || !match(rq, r->pattern, rq->path))
			continue;
		if (!r->query)
			return rq->uri;
		struct buf b;
		buf_init(&b, 0);
		buf_puts(&b, rq->path);
		for (size_t k = 0; k < rq->query.n; k++) {
			const struct kv *v = &rq->query.v[k];
			if (!named(r->query, v->key) || kv_get(&rq->query, v->key) != v->val)
				continue; /* undeclared, or a repeat (the handler reads the first) */
			buf_putc(&b, b.len == strlen(rq->path) ? '?' : '&');
			url_query(&b, v->key);
			buf_putc(&b, '=');
			url_query(&b, v->val);
		}
		const char *key = b.err ? rq->uri : pool_strdup(rq->pool, buf_str(&b));
		buf_release(&b);
		return key;
	}
	return rq->uri;
}

/* The per-address limits of rate-flagged rows. They run before the page
 * cache is consulted (server.c), so a cached search still costs a token:
 * the limit is on asking, not on the database work, and a flood of one
 * popular query is refused like a flood of distinct ones. */
int router_limit(struct req *rq, struct resp *rs)
{
	if (rq->method != HTTP_GET && rq->method != HTTP_HEAD)
		return 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		if (!(r->flags & ROUTE_RATE_SEARCH) || r->method != HTTP_GET ||
		    !match(rq, r->pattern, rq->path))
			continue;
		unsigned retry = 0;
		if (!ratelimit_take(rq->site->search_rl, rq->client_key, (double)time(NULL), &retry))
			return 0;
		retry = retry ? retry : 1;
		resp_header(rs, "Retry-After", pool_printf(rq->pool, "%u", retry));
		http_error(rq, rs, 429, "Too many searches",
			   pool_printf(rq->pool,
				       "You have searched many times in a short time. Please wait %u "
				       "seconds and try again; the rest of the site is open as usual.",
				       retry));
		return 1;
	}
	return 0;
}

/* No row takes this request: 405 when a row has its path, else 404 (or a
 * stored redirect). */
static void no_route(struct req *rq, struct resp *rs, int path_known)
{
	if (path_known) {
		resp_header(rs, "Allow", "GET, HEAD, POST");
		http_error(rq, rs, 405, "Method not allowed",
			   "This address does not accept that kind of request.");
	} else
		http_not_found(rq, rs, "Sorry, there is no page at this address.");
}

http_handler router_match(struct req *rq, struct resp *rs)
{
	int path_known = 0;
	if (wp_query(rq) && redirected(rq, rs, rq->uri))
		return NULL;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		if (!match(rq, r->pattern, rq->path))
			continue;
		path_known = 1;
		int ok = r->method == rq->method ||
			 (r->method == HTTP_GET && rq->method == HTTP_HEAD);
		if (!ok)
			continue;
		if ((r->flags & ROUTE_FORM) && form_body(rq, rs, (r->flags & ROUTE_UPLOAD) != 0))
			return NULL;
		int g = (r->flags >> 8) & 0xff
				? guard_check(rq, rs, (r->flags >> 8) & 0xff, (enum cap)(r->flags >> 16))
				: 0;
		if (g == GUARD_KEPT)
			return admin_editor_stash;
		if (g)
			return NULL;
		return r->handler;
	}
	no_route(rq, rs, path_known);
	return NULL;
}

int router_head(struct req *rq, struct resp *rs, size_t announced, size_t *limit)
{
	int path_known = 0;
	*limit = (size_t)rq->site->cfg.body_limit;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		if (!match(rq, r->pattern, rq->path))
			continue;
		path_known = 1;
		if (!(r->method == rq->method || (r->method == HTTP_GET && rq->method == HTTP_HEAD)))
			continue;
		if ((r->flags & ROUTE_UPLOAD) && rq->method == HTTP_POST) {
			size_t up = (size_t)rq->site->cfg.upload_limit + (1u << 20);
			*limit = up > *limit ? up : *limit;
		}
		unsigned guards = (r->flags >> 8) & 0xff;
		int g = guards ? guard_head(rq, rs, guards, (enum cap)(r->flags >> 16)) : 0;
		if (g != GUARD_KEPT)
			return g;
		/* the keeper keeps text only: the text form's limit, and a
		 * larger post is sent to sign in, as one not kept */
		*limit = (size_t)rq->site->cfg.body_limit;
		if (announced > *limit) {
			log_info("admin: not keeping a %zu-byte signed-out post to %s from %s",
				 announced, rq->path, rq->client_ip);
			resp_redirect(rs, 303, "/admin/sign-in");
			return -1;
		}
		return 0;
	}
	if (rq->method != HTTP_POST) /* a GET may still find a stored redirect */
		return 0;
	no_route(rq, rs, path_known); /* no row would read this body */
	return -1;
}
