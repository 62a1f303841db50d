/*
 * routes: the application's one route table (model: cgit's cmd.c, which
 * includes every ui-*.h; http/ only matches and serves). Each row is a
 * method, a path pattern whose ":name" segments are captured into
 * rq->params (http/route.h), a handler and flags that are checked here,
 * before the handler runs, never inside it. GET routes answer HEAD too.
 * The server calls in through struct http_app (app_gazette): the head's
 * decision, the rate limits, the cache key and the dispatch, sharing the
 * one match kept in the request.
 */
#include "app.h"
#include "../http/route.h"
#include "../pages/pages.h"
#include "../comments/comment_form.h"
#include "../admin/admin.h"
#include "../admin/scheduler.h"
#include "../auth/guard.h"
#include "../auth/session.h"
#include "../util/pool.h"
#include "../util/ratelimit.h"
#include "../util/log.h"
#include "../site/site.h"
#include "../cache/cache.h"
#include "../stats/metrics.h"
#include "../stats/reads.h"
#include "../store/store_listen.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum route_flag {
	ROUTE_FORM = 1 << 0,   /* needs a decoded urlencoded or multipart body */
	ROUTE_UPLOAD = 1 << 1, /* may carry a file part (multipart) of up to upload_limit */
	/* with ROUTE_UPLOAD: up to ADMIN_MEDIA_MAX_FILES file parts, not 4 */
	ROUTE_UPLOAD_MANY = 1 << 2,
	/* a file from disk or memory (/media/, /static/): not kept in the page
	 * cache and read without a database snapshot (nothing to read) */
	ROUTE_FILE = 1 << 3,
	/* an operators' endpoint (/metrics, /healthz, /readyz): like a file,
	 * never cached and read without a snapshot (readyz begins a write) */
	ROUTE_OPS = 1 << 4,
	/* counted against the client address's search_rate_per_minute; checked
	 * by app_limit, which the server calls before the page cache */
	ROUTE_RATE_SEARCH = 1 << 7,
	/* the newsroom's guards (auth/guard.h), checked after ROUTE_FORM */
	ROUTE_LOGIN = GUARD_LOGIN << 8,     /* a session, and the route's capability */
	ROUTE_CSRF = GUARD_CSRF << 8,       /* the session's CSRF token and our Origin */
	ROUTE_ORIGIN = GUARD_ORIGIN << 8,   /* our Origin only (sign-in) */
	ROUTE_STORY = GUARD_STORY << 8,     /* params[0]: a story this user may edit */
	ROUTE_COMMENT = GUARD_COMMENT << 8, /* params[0]: a comment this user may moderate */
	ROUTE_MEDIA = GUARD_MEDIA << 8,     /* params[0]: a library item this user may change */
	/* a POST without a session is kept by the editor's admin_editor_stash
	 * (the one keeper so far) instead of only sent to sign in */
	ROUTE_KEEP = GUARD_KEEP << 8,
};
/* The capability (auth/roles.h) a ROUTE_LOGIN route needs, in bits 16-23. */
#define ROUTE_CAP(c) ((unsigned)(c) << 16)
#define ADMIN_GET(c) (ROUTE_LOGIN | ROUTE_CAP(c))
#define ADMIN_POST(c) (ROUTE_FORM | ROUTE_LOGIN | ROUTE_CSRF | ROUTE_CAP(c))

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
	{ HTTP_GET, "/admin/stories/:id/corrections", admin_corrections, ADMIN_GET(CAP_STORY_WRITE) | ROUTE_STORY },
	{ HTTP_POST, "/admin/stories/:id/corrections", admin_correction_add, ADMIN_POST(CAP_STORY_PUBLISH) | ROUTE_STORY },
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
	{ HTTP_POST, "/admin/account/mail", admin_account_mail, ADMIN_POST(CAP_ADMIN) },
	{ HTTP_POST, "/admin/account/2fa", admin_account_2fa, ADMIN_POST(CAP_ADMIN) },
	{ HTTP_GET, "/admin/front", admin_front, ADMIN_GET(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/pin", admin_front_pin, ADMIN_POST(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/unpin", admin_front_unpin, ADMIN_POST(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/move", admin_front_move, ADMIN_POST(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/banner", admin_front_banner, ADMIN_POST(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/blocks", admin_front_block, ADMIN_POST(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/blocks/remove", admin_front_block_remove, ADMIN_POST(CAP_FRONT) },
	{ HTTP_POST, "/admin/front/blocks/move", admin_front_block_move, ADMIN_POST(CAP_FRONT) },
	{ HTTP_GET, "/admin/sections", admin_sections, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections", admin_section_add, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/sections/:id", admin_section_edit, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections/:id", admin_section_save, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections/:id/move", admin_section_move, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/sections/:id/delete", admin_section_delete, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/pages", admin_sitepages, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/pages", admin_sitepage_add, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/pages/new", admin_sitepage_new, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/pages/:id", admin_sitepage_edit, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/pages/:id", admin_sitepage_save, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/pages/:id/delete", admin_sitepage_delete, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/menus", admin_menus, ADMIN_GET(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/menus", admin_menu_add, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/menus/:id/move", admin_menu_move, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_POST, "/admin/menus/:id/delete", admin_menu_delete, ADMIN_POST(CAP_SECTIONS) },
	{ HTTP_GET, "/admin/media", admin_media, ADMIN_GET(CAP_MEDIA) },
	{ HTTP_POST, "/admin/media", admin_media_upload, ADMIN_POST(CAP_MEDIA) | ROUTE_UPLOAD | ROUTE_UPLOAD_MANY },
	{ HTTP_GET, "/admin/media/:id", admin_media_edit, ADMIN_GET(CAP_MEDIA) | ROUTE_MEDIA },
	{ HTTP_POST, "/admin/media/:id", admin_media_save, ADMIN_POST(CAP_MEDIA) | ROUTE_MEDIA },
	{ HTTP_POST, "/admin/media/:id/delete", admin_media_delete, ADMIN_POST(CAP_MEDIA) | ROUTE_MEDIA },
	{ HTTP_GET, "/admin/settings", admin_settings, ADMIN_GET(CAP_SETTINGS) },
	{ HTTP_POST, "/admin/settings", admin_settings_save, ADMIN_POST(CAP_SETTINGS) },
	{ HTTP_GET, "/admin/slots", admin_slots, ADMIN_GET(CAP_SETTINGS) },
	{ HTTP_POST, "/admin/slots", admin_slots_save, ADMIN_POST(CAP_SETTINGS) },
	{ HTTP_POST, "/admin/slots/origins", admin_slot_origin_add, ADMIN_POST(CAP_SETTINGS) },
	{ HTTP_POST, "/admin/slots/origins/delete", admin_slot_origin_delete, ADMIN_POST(CAP_SETTINGS) },
	{ HTTP_GET, "/media/*path", page_media, ROUTE_FILE }, /* before /:year/...: four segments too */
	/* and /section/PATH/FEED; before /:year/...: four segments too */
	{ HTTP_GET, "/section/*path", page_section, 0, "page before after" },
	{ HTTP_GET, "/:year/:month/:day/:slug", page_story, 0, "replytocom unapproved moderation-hash" },
	{ HTTP_GET, "/tag/:slug", page_tag, 0, "page before after" },
	{ HTTP_GET, "/author/:slug", page_author, 0, "page before after" },
	{ HTTP_GET, "/corrections", page_corrections, 0, "page" },
	{ HTTP_GET, "/static/:file", page_static, ROUTE_FILE, "" },
	{ HTTP_POST, "/comments", page_comment_post, ROUTE_FORM },
	/* signed links from e-mails: the signature is the authority, no
	 * session or CSRF token (a mail client's one-click POST has none) */
	{ HTTP_GET, "/mail/:action/:id", page_mail_form, 0, "x s" },
	{ HTTP_POST, "/mail/:action/:id", page_mail_post, ROUTE_FORM },
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
	{ HTTP_GET, "/metrics", page_metrics, ROUTE_OPS, "" },
	{ HTTP_GET, "/healthz", page_healthz, ROUTE_OPS, "" },
	{ HTTP_GET, "/readyz", page_readyz, ROUTE_OPS, "" },
	/* date archives (/2024, /2024/05, /2024/05/08): a static page's name
	 * is never digits only */
	{ HTTP_GET, "/#year", page_archive, 0, "page before after" },
	{ HTTP_GET, "/#year/#month", page_archive, 0, "page before after" },
	{ HTTP_GET, "/#year/#month/#day", page_archive, 0, "page before after" },
	/* WordPress's /page/N/ (page_wp.c); "page" is no static page's name */
	{ HTTP_GET, "/page/:n", page_wp_paged, 0, "" },
	/* static pages (/about, /about/team): after every fixed row, which
	 * they never shadow (content/sitepage.c refuses those names) */
	{ HTTP_GET, "/:page", page_sitepage, 0, "" },
	{ HTTP_GET, "/:parent/:page", page_sitepage, 0, "" },
};
#pragma GCC diagnostic pop

/* A form that could not be decoded: 400, saying why; -1. */
static int bad_form(struct req *rq, struct resp *rs, int badchar)
{
	http_error(rq, rs, 400, "Bad request",
		   badchar ? "The form held characters that are not valid text "
			     "(invalid UTF-8 or NUL bytes)."
			   : "The form could not be read.");
	return -1;
}

/* The file parts a route takes: none, 4, or ADMIN_MEDIA_MAX_FILES. */
static size_t max_files(unsigned flags)
{
	if (!(flags & ROUTE_UPLOAD))
		return 0;
	return flags & ROUTE_UPLOAD_MANY ? ADMIN_MEDIA_MAX_FILES : 4;
}

/* The largest file part a route takes: upload_limit, and on the media
 * library's (ROUTE_UPLOAD_MANY), which takes audio and video too,
 * media_upload_limit when that is larger (admin_media.c judges each file
 * by its kind). */
static long file_limit(const struct req *rq, unsigned flags)
{
	long ul = rq->site->cfg.upload_limit, ml = rq->site->cfg.media_upload_limit;
	return flags & ROUTE_UPLOAD_MANY && ml > ul ? ml : ul;
}

/* Decodes a multipart body into rq->form and rq->files (files only on
 * ROUTE_UPLOAD routes, each up to file_limit), or answers 413/400. */
static int multipart_body(struct req *rq, struct resp *rs, unsigned flags)
{
	long ul = file_limit(rq, flags);
	int upload = (flags & ROUTE_UPLOAD) != 0;
	struct mp_limits lim = { HTTP_MAX_FIELDS, max_files(flags), (size_t)rq->site->cfg.body_limit,
				 upload ? (size_t)ul : 0 };
	enum mp_err e = multipart_decode(rq->pool, rq->content_type, rq->body, rq->body_len, &lim,
					 &rq->form, &rq->files);
	if (e == MP_ETOOMANY && (flags & ROUTE_UPLOAD_MANY)) {
		http_error(rq, rs, 413, "Too many files",
			   pool_printf(rq->pool, "Too many files at once: send at most %d in one "
						 "upload. Nothing was added.", ADMIN_MEDIA_MAX_FILES));
		return -1;
	}
	if (e == MP_ETOOLARGE && upload) {
		http_error(rq, rs, 413, "Too large",
			   pool_printf(rq->pool, "The file is larger than this site accepts "
						 "(%ld bytes at most).", ul));
		return -1;
	}
	return e == MP_OK ? 0 : bad_form(rq, rs, e == MP_EBADCHAR);
}

/* Decodes the urlencoded or multipart body into rq->form, or answers
 * 415/413/400. */
static int form_body(struct req *rq, struct resp *rs, unsigned flags)
{
	const char *ct = rq->content_type ? rq->content_type : "";
	if (multipart_is(ct))
		return multipart_body(rq, rs, flags);
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		http_error(rq, rs, 415, "Unsupported form encoding",
			   "This form must be sent as application/x-www-form-urlencoded "
			   "or multipart/form-data.");
		return -1;
	}
	enum form_err e = form_decode(rq->pool, rq->body ? rq->body : "", rq->body_len,
				      HTTP_MAX_FIELDS, &rq->form);
	return e == FORM_OK ? 0 : bad_form(rq, rs, e == FORM_EBADCHAR);
}

/* WordPress addresses pages by query ("/?p=12", "/?cat=3"): a request
 * carrying one of its query variables may be an imported permalink. */
static int wp_query(const struct req *rq)
{
	static const char *const vars[] = { "p", "page_id", "cat", "tag", "author", "feed", "m",
					    "attachment_id", "s", "paged", "name", "pagename" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (kv_get(&rq->query, vars[i]))
			return 1;
	return 0;
}

static const struct route *route_of(struct req *rq)
{
	return route_find(rq, routes, sizeof routes / sizeof routes[0]);
}

/* Readers share cached pages; someone signed in gets pages of their own
 * (staff see reply forms and badges), and so does a commenter looking at
 * a held comment; list pages past the first 50 are built each time. Only a cookie naming a live session counts: a made-up
 * one is a reader's request, or anyone could make every page a miss. */
static const char *app_cache_key(struct req *rq)
{
	if (kv_get(&rq->query, "unapproved") ||
	    (kv_get(&rq->cookies, HTTP_SESSION_COOKIE) && session_live(rq)))
		return NULL;
	/* a list page found from a cursor costs one index seek, and anyone
	 * can name endless cursors (and page labels): not kept */
	if (kv_get(&rq->query, "before") || kv_get(&rq->query, "after"))
		return NULL;
	const struct route *r = route_of(rq);
	if (r && (r->flags & (ROUTE_FILE | ROUTE_OPS)))
		return NULL;
	if (!strchr(rq->uri, '?') || wp_query(rq)) /* WordPress's may name a redirect */
		return rq->uri;
	return route_cache_key(rq, r);
}

/* The per-address limits of rate-flagged rows. They run before the page
 * cache is consulted (server.c), so a cached search still costs a token:
 * the limit is on asking, not on the database work, and a flood of one
 * popular query is refused like a flood of distinct ones. */
/* 1 when a rate-flagged row's literal start (before its first ':' or '*')
 * begins path: only then is the request matched here, so a cached story
 * page costs a look at the flags, not a match of the table. */
static int may_be_limited(const char *path)
{
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if ((routes[i].flags & ROUTE_RATE_SEARCH) &&
		    strncmp(path, routes[i].pattern, strcspn(routes[i].pattern, ":*")) == 0)
			return 1;
	return 0;
}

/* A reader's read of a story page, counted before the cache answers (a
 * hit is a read too): a hash and a lock in memory (stats/reads.h); robots
 * and signed-in staff (whose pages bypass the cache) are not counted. */
static void count_read(struct req *rq)
{
	size_t len;
	const char *slug;
	if (rq->method != HTTP_GET || !(slug = reads_story_slug(rq->path, &len)) ||
	    reads_is_bot(rq->user_agent) || kv_get(&rq->cookies, HTTP_SESSION_COOKIE))
		return;
	reads_count(rq->site->reads, slug, len);
}

static int app_limit(struct req *rq, struct resp *rs)
{
	const struct route *r;
	count_read(rq);
	if ((rq->method != HTTP_GET && rq->method != HTTP_HEAD) || !may_be_limited(rq->path))
		return 0;
	if ((r = route_of(rq)) && (r->flags & ROUTE_RATE_SEARCH)) {
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
static void no_route(struct req *rq, struct resp *rs)
{
	if (rq->route_path_known) {
		resp_header(rs, "Allow", "GET, HEAD, POST");
		http_error(rq, rs, 405, "Method not allowed",
			   "This address does not accept that kind of request.");
	} else
		page_not_found(rq, rs, "Sorry, there is no page at this address.");
}

/* A guard's refusal, answered: its redirect or its error page. */
static void refused(struct req *rq, struct resp *rs, const struct guard_verdict *v)
{
	if (v->location)
		resp_redirect(rs, v->status, v->location);
	else
		http_error(rq, rs, v->status, v->title, v->message);
}

static http_handler app_match(struct req *rq, struct resp *rs)
{
	if (wp_query(rq) && page_moved(rq, rs, rq->uri, ""))
		return NULL;
	const struct route *r = route_of(rq);
	if (!r) {
		no_route(rq, rs);
		return NULL;
	}
	if ((r->flags & ROUTE_FORM) && form_body(rq, rs, r->flags))
		return NULL;
	struct guard_verdict v;
	int g = (r->flags >> 8) & 0xff
			? guard_check(rq, &v, (r->flags >> 8) & 0xff, (enum cap)(r->flags >> 16))
			: 0;
	if (g == GUARD_KEPT)
		return admin_editor_stash;
	if (g) {
		refused(rq, rs, &v);
		return NULL;
	}
	rq->no_snapshot = (r->flags & (ROUTE_FILE | ROUTE_OPS)) != 0;
	return r->handler;
}

/* a file or an operators' endpoint, answered with the database down */
static int app_storeless(struct req *rq)
{
	const struct route *r = route_of(rq);
	return r && (r->flags & (ROUTE_FILE | ROUTE_OPS)) && !wp_query(rq);
}

static int app_head(struct req *rq, struct resp *rs, size_t announced, size_t *limit)
{
	*limit = (size_t)rq->site->cfg.body_limit;
	const struct route *r = route_of(rq);
	if (!r) {
		if (rq->method != HTTP_POST) /* a GET may still find a stored redirect */
			return 0;
		no_route(rq, rs); /* no row would read this body */
		return -1;
	}
	if ((r->flags & ROUTE_UPLOAD) && rq->method == HTTP_POST) {
		/* the library's: 20 pictures, or audio and video files together
		 * within media_upload_limit, whichever is larger */
		size_t up = (size_t)rq->site->cfg.upload_limit *
			    (r->flags & ROUTE_UPLOAD_MANY ? ADMIN_MEDIA_MAX_FILES : 1);
		size_t av = (size_t)file_limit(rq, r->flags);
		up = (up > av ? up : av) + (1u << 20);
		*limit = up > *limit ? up : *limit;
	}
	unsigned guards = (r->flags >> 8) & 0xff;
	struct guard_verdict v;
	int g = guards ? guard_head(rq, &v, guards, (enum cap)(r->flags >> 16)) : 0;
	if (g < 0)
		refused(rq, rs, &v);
	if (g != GUARD_KEPT)
		return g;
	/* the keeper keeps text only: the text form's limit, and a larger
	 * post is sent to sign in, as one not kept */
	*limit = (size_t)rq->site->cfg.body_limit;
	if (announced > *limit) {
		log_info("admin: not keeping a %zu-byte signed-out post to %s from %s", announced,
			 rq->path, rq->client_ip);
		resp_redirect(rs, 303, "/admin/sign-in");
		return -1;
	}
	return 0;
}

#define NROUTES (sizeof routes / sizeof routes[0])

/* Each request once answered, counted by its row (stats/metrics.h). A
 * cached hit was never matched: matched now, once, for its label. */
static void name_routes(void);
static pthread_once_t routes_named = PTHREAD_ONCE_INIT;

/* The row of a request the page cache answered, which was never
 * matched: remembered per thread by method and path (a direct-mapped
 * table), so a hit pays a hash and a compare rather than a walk of the
 * table. Rows depend on nothing else. */
#define ROW_MEMO 64
#define ROW_MEMO_PATH 96

struct row_memo {
	unsigned h;
	unsigned short row;
	char path[ROW_MEMO_PATH];
};

static size_t row_of_hit(struct req *rq)
{
	static _Thread_local struct row_memo memo[ROW_MEMO];
	size_t len = strlen(rq->path);
	unsigned h = 2166136261u ^ (unsigned)rq->method; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)rq->path[i]) * 16777619u;
	struct row_memo *m = &memo[h % ROW_MEMO];
	if (len < ROW_MEMO_PATH && m->path[0] && m->h == h && strcmp(m->path, rq->path) == 0)
		return m->row;
	const struct route *r = route_of(rq);
	size_t row = r ? (size_t)(r - routes) : NROUTES;
	if (len < ROW_MEMO_PATH) {
		m->h = h;
		m->row = (unsigned short)row;
		memcpy(m->path, rq->path, len + 1);
	}
	return row;
}

static void app_done(struct req *rq, long long ns, long long db_ns)
{
	pthread_once(&routes_named, name_routes); /* requests may come before app_start */
	size_t row;
	if (rq->route_found)
		row = rq->route ? (size_t)(rq->route - routes) : NROUTES;
	else
		row = row_of_hit(rq);
	metrics_request(row, rq->status_sent, ns, db_ns);
}

/* The labels of /metrics' request counts: each row's method and pattern. */
static void name_routes(void)
{
	static const char *method[NROUTES], *pattern[NROUTES];
	static const char *const names[HTTP_METHOD__MAX] = { "GET", "HEAD", "POST", "OTHER" };
	for (size_t i = 0; i < NROUTES; i++) {
		method[i] = names[routes[i].method];
		pattern[i] = routes[i].pattern;
	}
	metrics_routes(method, pattern, NROUTES);
}

/* SIGHUP (http_app.reload): gazette.conf and the theme read again, the
 * access log reopened (logrotate), the page cache emptied so no page of
 * the old theme or settings is served again. A bad gazette.conf or theme
 * leaves everything as it was, the log reopened all the same. */
static struct site *app_reload(const struct site *cur)
{
	char err[512];
	struct site *s = malloc(sizeof *s);
	if (!s || site_reload(cur, s, err, sizeof err)) {
		log_error("reload: %s: serving on with the settings and theme loaded before",
			  s ? err : "out of memory");
		free(s);
		metrics_count(METRIC_RELOAD_FAILURES);
		if (site_access_log_open(cur))
			log_error("reload: access_log %s: %s", cur->cfg.access_log, strerror(errno));
		return NULL;
	}
	if (site_access_log_open(s))
		log_error("reload: access_log %s: %s", s->cfg.access_log, strerror(errno));
	s->cache_epoch = cache_drop_all(s->cache);
	return s;
}

/* Said once the new generation is current: a request sent after the line
 * is answered with the new settings and theme (reload.test.js waits for
 * it), where said in app_reload a request could still take the old one. */
static void app_reloaded(const struct site *now)
{
	metrics_count(METRIC_RELOADS);
	log_info("reload: gazette.conf and the theme reloaded; the page cache emptied");
}

static void app_retire(struct site *old)
{
	site_release(old);
	free(old);
}

/* what app_start started */
struct started {
	struct scheduler *scheduler;
	struct store_listener *listener;
};

static void on_change(void *cache, long long seq)
{
	cache_announce(cache, seq);
}

static void on_listen(void *cache, int connected)
{
	cache_listening(cache, connected);
}

static void *app_start(struct site *site)
{
	pthread_once(&routes_named, name_routes);
	struct started *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->scheduler = scheduler_start(site); /* publishes on time (admin/scheduler.h) */
	/* PostgreSQL: other nodes' commits reach the page cache by
	 * notification (store/store_listen.h) */
	if (cache_enabled(site->cache))
		s->listener = store_listen_start(site->db_path, on_change, on_listen, site->cache);
	return s;
}

static void app_stop(void *started)
{
	struct started *s = started;
	if (!s)
		return;
	store_listen_stop(s->listener);
	scheduler_stop(s->scheduler);
	free(s);
}

const struct http_app app_gazette = {
	.head = app_head,
	.match = app_match,
	.storeless = app_storeless,
	.limit = app_limit,
	.cache_key = app_cache_key,
	.error = page_error,
	.done = app_done,
	.reload = app_reload,
	.reloaded = app_reloaded,
	.retire = app_retire,
	.start = app_start,
	.stop = app_stop,
};
