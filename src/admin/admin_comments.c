/*
 * admin_comments: the moderation queue. Lists by status with counts,
 * every comment with its story, author, email, address and text; one
 * button per action, and checkboxes for bulk actions, all in one form
 * (per-comment buttons use formaction, so nothing needs JavaScript).
 * Authors see and act on comments on their own stories only: the list is
 * scoped by the roles table and each action passes the router's guard.
 * Reply answers a comment on the story without leaving the queue: its
 * own small form per comment (comment_reply.h stores it approved).
 */
#include "admin.h"
#include "../auth/guard.h"
#include "../auth/roles.h"
#include "../comments/comment_reply.h"
#include "../comments/comment_text.h"
#include "../pages/pages.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_moderation.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 30

static const struct { const char *action, *done; int status; } actions[] = {
	{ "approve", "approved", COMMENT_APPROVED },
	{ "unapprove", "unapproved", COMMENT_PENDING },
	{ "spam", "spammed", COMMENT_SPAM },
	{ "trash", "trashed", COMMENT_TRASH },
	{ "delete", "deleted", -1 },
};

static long long owner_scope(const struct req *rq)
{
	return role_can(rq->user->role, CAP_COMMENT_ALL) ? 0 : rq->user->id;
}

static int status_param(const char *s, enum comment_status *out)
{
	return s && comment_status_parse(s, out) == 0 ? 0 : -1;
}

static struct tv *comment_row(struct req *rq, const struct mod_comment *m)
{
	struct pool *p = rq->pool;
	struct tv *o = tv_obj(p);
	struct buf b;
	buf_init(&b, 0);
	comment_text_html(&b, m->c.body);
	tv_put_int(o, "id", m->c.id);
	tv_put_str(o, "author", m->c.author);
	tv_put_str(o, "email", m->c.email);
	tv_put_str(o, "url", m->c.url);
	tv_put_str(o, "ip", m->c.ip);
	tv_put_str(o, "when", admin_datetime(p, m->c.created_at, &rq->site->zone));
	tv_put_str(o, "status", comment_status_name(m->c.status));
	tv_put_html(o, "body_html", pool_strdup(p, buf_str(&b))); /* comment_text output */
	buf_release(&b);
	tv_put_str(o, "story_title", m->story_title);
	if (m->story_status == STORY_PUBLISHED) {
		struct story s = { .slug = m->story_slug, .published_at = m->story_published_at };
		tv_put_str(o, "story_url", pool_printf(p, "%s#comment-%lld", story_path(p, &s), m->c.id));
	}
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].status == (int)m->c.status)
			tv_put_bool(o, pool_printf(p, "is_%s", comment_status_name(m->c.status)), 1);
	/* a held comment is approved with the reply; spam and trash are not
	 * answered */
	tv_put_bool(o, "can_reply", m->c.status == COMMENT_PENDING || m->c.status == COMMENT_APPROVED);
	return o;
}

void admin_comments(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	enum comment_status st = COMMENT_PENDING;
	const char *sname = kv_get(&rq->query, "status");
	int all = sname && strcmp(sname, "all") == 0;
	if (!all && status_param(sname, &st))
		st = COMMENT_PENDING;
	struct mod_filter f = { .status = all ? -1 : (int)st, .owner_id = owner_scope(rq) };
	size_t page = admin_page(rq), n = 0, total = 0;
	struct mod_comment *v = NULL;
	if (store_mod_comments(rq->store, p, &f, (page - 1) * PER_PAGE, PER_PAGE, &v, &n, &total)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The comments could not be listed.");
		return;
	}
	struct tv *ctx = admin_ctx(rq, "Comments", "/admin/comments");
	struct tv *list = tv_list(p), *tabs = tv_list(p);
	for (size_t i = 0; i < n; i++)
		tv_append(list, comment_row(rq, &v[i]));
	size_t counts[COMMENT__MAX];
	store_mod_counts(rq->store, f.owner_id, counts);
	static const char *const labels[COMMENT__MAX] = { "Pending", "Approved", "Spam", "Trash" };
	for (int i = 0; i < COMMENT__MAX; i++) {
		struct tv *t = tv_obj(p);
		tv_put_str(t, "label", labels[i]);
		tv_put_int(t, "count", (long long)counts[i]);
		tv_put_str(t, "url", pool_printf(p, "/admin/comments?status=%s",
						 comment_status_name((enum comment_status)i)));
		tv_put_bool(t, "current", !all && (int)st == i);
		tv_append(tabs, t);
	}
	tv_put(ctx, "comments", list);
	tv_put_bool(ctx, "has_comments", n > 0);
	tv_put(ctx, "tabs", tabs);
	const char *back = all ? "all" : comment_status_name(st);
	tv_put_str(ctx, "back", back);
	tv_put_str(ctx, "status_label", all ? "All" : labels[st]);
	if (page > 1)
		tv_put_str(ctx, "prev_url", pool_printf(p, "/admin/comments?status=%s&page=%zu", back, page - 1));
	if (page * PER_PAGE < total)
		tv_put_str(ctx, "next_url", pool_printf(p, "/admin/comments?status=%s&page=%zu", back, page + 1));
	admin_render(rq, rs, 200, "admin-comments", ctx);
}

/* Applies action i to comment id in the caller's transaction. */
static int apply(struct req *rq, size_t i, long long id)
{
	if (actions[i].status < 0)
		return store_mod_delete(rq->store, id);
	return store_mod_set_status(rq->store, id, (enum comment_status)actions[i].status,
				    (long long)time(NULL));
}

static int find_action(const char *name)
{
	for (size_t i = 0; name && i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(name, actions[i].action) == 0)
			return (int)i;
	return -1;
}

static const char *back_url(struct req *rq)
{
	const char *b = kv_get(&rq->form, "back");
	enum comment_status st;
	if (b && (strcmp(b, "all") == 0 || status_param(b, &st) == 0))
		return pool_printf(rq->pool, "/admin/comments?status=%s", b);
	return "/admin/comments";
}

static void finish(struct req *rq, struct resp *rs, int rc, const char *done_key)
{
	if (rc == STORE_OK)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, rc == STORE_NOTFOUND ? 404 : 500, "Not changed",
			   "The comment could not be changed. Please try again.");
		return;
	}
	admin_done(rq, rs, back_url(rq), done_key);
}

void admin_comment_action(struct req *rq, struct resp *rs)
{
	int i = find_action(rq->nparams > 1 ? rq->params[1] : NULL);
	long long id = atoll(rq->params[0]); /* the guard parsed it */
	if (i < 0) {
		http_error(rq, rs, 404, "Not found", "There is no such action.");
		return;
	}
	int rc = store_begin(rq->store);
	if (!rc)
		rc = apply(rq, (size_t)i, id);
	log_info("admin: %s %s comment %lld", rq->user->email, actions[i].action, id);
	finish(rq, rs, rc, actions[i].done);
}

void admin_comments_bulk(struct req *rq, struct resp *rs)
{
	int i = find_action(kv_get(&rq->form, "action"));
	if (i < 0) {
		admin_done(rq, rs, back_url(rq), NULL); /* no action chosen: nothing to do */
		return;
	}
	int rc = store_begin(rq->store);
	size_t done_n = 0;
	for (size_t k = 0; !rc && k < rq->form.n; k++) {
		unsigned long long id;
		if (strcmp(rq->form.v[k].key, "ids") != 0 ||
		    num_parse_u64(rq->form.v[k].val, 1ULL << 62, &id))
			continue;
		if (!guard_comment_allowed(rq, (long long)id))
			continue; /* not this user's to moderate: skipped, as if absent */
		rc = apply(rq, (size_t)i, (long long)id);
		if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
		done_n++;
	}
	log_info("admin: %s bulk %s of %zu comments", rq->user->email, actions[i].action, done_n);
	finish(rq, rs, rc, "bulk");
}

enum cf { CE_AUTHOR, CE_EMAIL, CE_URL, CE_BODY, CE__MAX };

static const struct field_spec edit_fields[CE__MAX] = {
	[CE_AUTHOR] = { "author", 245, 1, "Please enter the commenter's name.",
			"The name is too long: the limit is 245 bytes.", NULL, NULL },
	[CE_EMAIL] = { "email", 100, 1, "Please enter an email address.",
		       "The email address is too long: the limit is 100 bytes.", field_email,
		       "Please enter a valid email address." },
	[CE_URL] = { "url", 200, 0, NULL, "The website address is too long: the limit is 200 bytes.",
		     field_http_url, "Please enter a website address starting with http:// or https://." },
	[CE_BODY] = { "comment", 65525, 1, "The comment cannot be empty.",
		      "The comment is too long: the limit is 65,525 bytes.", NULL, NULL },
};

static void edit_form(struct req *rq, struct resp *rs, int status, const struct mod_comment *m,
		      const char *const *vals, const char *const *errs)
{
	struct tv *ctx = admin_ctx(rq, "Edit comment", "/admin/comments");
	struct tv *c = comment_row(rq, m);
	static const char *const keys[CE__MAX] = { "author", "email", "url", "comment" };
	for (int i = 0; i < CE__MAX; i++)
		tv_put_str(c, pool_printf(rq->pool, "v_%s", keys[i]), vals[i]);
	struct tv *errors = admin_error_list(rq->pool, errs, CE__MAX, NULL);
	tv_put(ctx, "errors", errors);
	tv_put_bool(ctx, "has_errors", tv_count(errors) > 0);
	tv_put(ctx, "comment", c);
	admin_render(rq, rs, status, "admin-comment-edit", ctx);
}

void admin_comment_edit_form(struct req *rq, struct resp *rs)
{
	struct mod_comment m;
	if (store_mod_get(rq->store, rq->pool, atoll(rq->params[0]), &m)) {
		http_error(rq, rs, 404, "Not found", "There is no such comment.");
		return;
	}
	const char *vals[CE__MAX] = { m.c.author, m.c.email, m.c.url, m.c.body };
	const char *errs[CE__MAX] = { 0 };
	edit_form(rq, rs, 200, &m, vals, errs);
}

void admin_comment_edit(struct req *rq, struct resp *rs)
{
	long long id = atoll(rq->params[0]);
	struct mod_comment m;
	if (store_mod_get(rq->store, rq->pool, id, &m)) {
		http_error(rq, rs, 404, "Not found", "There is no such comment.");
		return;
	}
	struct field_val fv[CE__MAX];
	const char *vals[CE__MAX], *errs[CE__MAX];
	size_t nerr = form_validate(rq->pool, edit_fields, CE__MAX, &rq->form, fv);
	for (int i = 0; i < CE__MAX; i++) {
		vals[i] = fv[i].val;
		errs[i] = fv[i].error;
	}
	if (nerr) {
		edit_form(rq, rs, 422, &m, vals, errs);
		return;
	}
	int rc = store_begin(rq->store);
	if (!rc)
		rc = store_mod_edit(rq->store, id, vals[CE_AUTHOR], vals[CE_EMAIL], vals[CE_URL],
				    vals[CE_BODY], comment_text_html_str(rq->pool, vals[CE_BODY]));
	finish(rq, rs, rc, "edited");
}

/* its messages are notice keys (admin.c): the reply goes back to the queue */
static const struct field_spec reply_field = {
	"comment", 65525, 1, "reply-empty", "reply-too-long", NULL, NULL,
};

void admin_comment_reply(struct req *rq, struct resp *rs)
{
	static const char *const done[] = {
		[STAFF_REPLIED] = "replied", [STAFF_APPROVED_REPLIED] = "approved-replied",
		[STAFF_UNAVAILABLE] = "reply-unavailable", [STAFF_TOO_DEEP] = "reply-too-deep",
		[STAFF_DUPLICATE] = "reply-duplicate", [STAFF_ERROR] = "reply-failed",
	};
	long long parent = atoll(rq->params[0]); /* the guard parsed it */
	struct field_val fv;
	if (form_validate(rq->pool, &reply_field, 1, &rq->form, &fv)) {
		admin_done(rq, rs, back_url(rq), fv.error);
		return;
	}
	long long id = 0;
	enum staff_reply r = comment_staff_reply(rq, parent, fv.val, &id);
	log_info("admin: %s replied to comment %lld: %s", rq->user->email, parent, done[r]);
	admin_done(rq, rs, back_url(rq), done[r]);
}
