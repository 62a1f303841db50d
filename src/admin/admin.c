/*
 * admin: what every admin page shares (see admin.h). Notices after a
 * redirect travel as a key (?msg=saved) looked up in a table, so a link
 * cannot make the admin say anything it was not written to say.
 */
#include "admin.h"
#include "../auth/roles.h"
#include "../pages/pages.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_moderation.h"
#include "../store/store_user.h"
#include "../util/date.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/tz.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct { const char *key, *text; } notices[] = {
	{ "saved", "Story saved." },
	{ "unchanged", "Nothing to save: the story is as it was." },
	{ "submitted", "Story submitted for review. An editor will publish it." },
	{ "mail", "Your e-mail choice is saved." },
	{ "published", "Story published." },
	{ "scheduled", "Story scheduled: it will be published at its publication time." },
	{ "unpublished", "Story unpublished: it is a draft again." },
	{ "restored", "Revision restored. The previous text is kept as a revision too." },
	{ "corrected", "Correction appended: it shows at the end of the story and at /corrections." },
	{ "approved", "Comment approved: it is on the story page now." },
	{ "spammed", "Comment marked as spam." },
	{ "trashed", "Comment moved to the trash. It is deleted for good after 30 days." },
	{ "unapproved", "Comment held for moderation." },
	{ "deleted", "Comment deleted for good." },
	{ "edited", "Comment saved." },
	{ "bulk", "The selected comments were updated." },
	{ "replied", "Reply published on the story." },
	{ "approved-replied", "Comment approved and your reply published on the story." },
	{ "reply-empty", "Not replied: the reply was empty." },
	{ "reply-too-long", "Not replied: a reply holds 65,525 bytes at most." },
	{ "reply-too-deep", "Not replied: replies cannot be nested any deeper here; reply further up the thread." },
	{ "reply-unavailable", "Not replied: that comment is in spam or trash, or gone. Approve it first." },
	{ "reply-duplicate", "Not replied: the same reply is already there." },
	{ "reply-failed", "Not replied: the reply could not be saved. Please try again." },
	{ "user-added", "Account created." },
	{ "user-changed", "Account updated." },
	{ "password", "Password changed. Other sessions of your account were signed out." },
	{ "2fa-on", "Two-factor sign-in is on. Keep your recovery codes somewhere safe." },
	{ "2fa-off", "Two-factor sign-in is off." },
	{ "settings", "Settings saved." },
	{ "slots", "Slots saved: pages show them now." },
	{ "slots-unchanged", "Nothing to save: the slots are as they were." },
	{ "origin-added", "Origin declared: public pages allow it now." },
	{ "origin-removed", "Origin removed: public pages no longer allow it." },
	{ "section-added", "Section added." },
	{ "section-saved", "Section saved." },
	{ "section-moved", "Section moved." },
	{ "section-deleted", "Section deleted. Its stories moved to the section you chose." },
	{ "page-saved", "Page saved." },
	{ "page-deleted", "Page deleted." },
	{ "menu-added", "Menu item added." },
	{ "menu-moved", "Menu item moved." },
	{ "menu-deleted", "Menu item deleted." },
	{ "front-pinned", "Story pinned to the front page." },
	{ "front-unpinned", "Story unpinned from the front page." },
	{ "front-moved", "Front page order changed." },
	{ "front-banner", "Breaking-news banner set." },
	{ "front-banner-off", "Breaking-news banner removed." },
	{ "front-block", "Section block saved." },
	{ "front-block-off", "Section block removed." },
	{ "profile", "Profile saved." },
	{ "media-saved", "Library item saved." },
	{ "media-deleted", "Library item deleted, with its files." },
	{ "signed-out-others", "Your other sessions were signed out." },
	{ "signed-out", "You are signed out." },
	{ "expired", "Your session has ended. Please sign in again." },
	{ "2fa-required", "This site requires two-factor sign-in: please turn it on below." },
};

static void menu_item(struct tv *menu, struct pool *p, const char *label, const char *url,
		      const char *current, size_t count)
{
	struct tv *m = tv_obj(p);
	tv_put_str(m, "label", label);
	tv_put_str(m, "url", url);
	tv_put_bool(m, "current", current && strcmp(current, url) == 0);
	tv_put_int(m, "count", (long long)count);
	tv_append(menu, m);
}

struct tv *admin_ctx(struct req *rq, const char *title, const char *current)
{
	struct pool *p = rq->pool;
	struct tv *ctx = page_ctx(rq, title, NULL, NULL);
	const struct user *u = rq->user;
	const struct static_file *css = site_static(rq->site, "admin.css");
	if (css)
		tv_put_str(ctx, "admin_css", pool_printf(p, "/static/admin.css?v=%s", css->etag));
	const struct static_file *js = site_static(rq->site, "admin.js");
	if (js)
		tv_put_str(ctx, "admin_js", pool_printf(p, "/static/admin.js?v=%s", js->etag));
	tv_put_str(ctx, "csrf", rq->csrf);
	tv_put_str(ctx, "timezone", rq->site->zone.name); /* of every time shown */
	if (u) {
		struct tv *me = tv_obj(p);
		tv_put_str(me, "name", u->name);
		tv_put_str(me, "email", u->email);
		tv_put_str(me, "role", role_name(u->role));
		tv_put_int(me, "id", u->id);
		tv_put(ctx, "me", me);
		struct tv *menu = tv_list(p);
		menu_item(menu, p, "Stories", "/admin/stories", current, 0);
		if (role_can(u->role, CAP_MEDIA))
			menu_item(menu, p, "Media", "/admin/media", current, 0);
		if (role_can(u->role, CAP_COMMENT_OWN)) {
			size_t counts[COMMENT__MAX] = { 0 };
			long long owner = role_can(u->role, CAP_COMMENT_ALL) ? 0 : u->id;
			store_mod_counts(rq->store, owner, counts);
			menu_item(menu, p, "Comments", "/admin/comments", current,
				  counts[COMMENT_PENDING]);
		}
		if (role_can(u->role, CAP_FRONT))
			menu_item(menu, p, "Front page", "/admin/front", current, 0);
		if (role_can(u->role, CAP_SECTIONS))
			menu_item(menu, p, "Sections", "/admin/sections", current, 0);
		if (role_can(u->role, CAP_SECTIONS))
			menu_item(menu, p, "Pages", "/admin/pages", current, 0);
		if (role_can(u->role, CAP_SECTIONS))
			menu_item(menu, p, "Menus", "/admin/menus", current, 0);
		if (role_can(u->role, CAP_USERS))
			menu_item(menu, p, "Users", "/admin/users", current, 0);
		if (role_can(u->role, CAP_SETTINGS))
			menu_item(menu, p, "Settings", "/admin/settings", current, 0);
		if (role_can(u->role, CAP_SETTINGS))
			menu_item(menu, p, "Slots", "/admin/slots", current, 0);
		menu_item(menu, p, "Account", "/admin/account", current, 0);
		tv_put(ctx, "menu", menu);
	}
	const char *msg = kv_get(&rq->query, "msg");
	for (size_t i = 0; msg && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(msg, notices[i].key) == 0)
			tv_put_str(ctx, "notice", notices[i].text);
	return ctx;
}

void admin_render(struct req *rq, struct resp *rs, int status, const char *name, struct tv *ctx)
{
	rs->cache_control = "private, no-store";
	page_render(rq, rs, status, name, ctx);
}

void admin_done(struct req *rq, struct resp *rs, const char *path, const char *msg_key)
{
	resp_redirect(rs, 303,
		      msg_key ? pool_printf(rq->pool, "%s%cmsg=%s", path, strchr(path, '?') ? '&' : '?',
					    msg_key)
			      : path);
}

static const char *datetime(struct pool *p, long long t, const struct tz *z, int seconds)
{
	if (t <= 0)
		return "";
	struct tm tm;
	date_local(t, z, &tm);
	const char *r = pool_printf(p, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900,
				    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	return seconds ? pool_printf(p, "%s:%02d", r, tm.tm_sec) : r;
}

const char *admin_datetime(struct pool *p, long long t, const struct tz *z)
{
	return datetime(p, t, z, 0);
}

const char *admin_datetime_input(struct pool *p, long long t, const struct tz *z)
{
	return datetime(p, t, z, 1);
}

int admin_datetime_parse(const char *s, const struct tz *z, long long *out)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	size_t len = strlen(s);
	if ((len != 16 && len != 19) ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16)
		return -1;
	if (len == 19 && (sscanf(s + 16, ":%2d", &sec) != 1 || sec < 0 || sec > 59))
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    h < 0 || mi < 0)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_sec = sec };
	time_t t = timegm(&tm);
	if (tm.tm_mday != d) /* 31 February */
		return -1;
	*out = tz_from_local(z, (long long)t);
	return 0;
}

int admin_field_datetime(const char *s)
{
	long long t;
	return !*s || admin_datetime_parse(s, NULL, &t) == 0;
}

struct tv *admin_error_list(struct pool *p, const char *const *errors, size_t n,
			    const char *general)
{
	struct tv *list = tv_list(p);
	if (general) {
		struct tv *e = tv_obj(p);
		tv_put_str(e, "message", general);
		tv_append(list, e);
	}
	for (size_t i = 0; i < n; i++)
		if (errors[i]) {
			struct tv *e = tv_obj(p);
			tv_put_str(e, "message", errors[i]);
			tv_append(list, e);
		}
	return list;
}

size_t admin_page(const struct req *rq)
{
	unsigned long long n = page_number(rq);
	return n ? (size_t)n : 1;
}

long long admin_param_id(const struct req *rq)
{
	unsigned long long id;
	return num_parse_u64(rq->params[0], 1ULL << 62, &id) ? 0 : (long long)id;
}

int admin_not_found(struct req *rq, struct resp *rs, const char *what)
{
	http_error(rq, rs, 404, "Not found", pool_printf(rq->pool, "There is no such %s.", what));
	return -1;
}
