/*
 * admin: the newsroom at /admin, one file per area (sign-in, stories,
 * editor, comments, users and account, settings) plus what they share
 * (admin.c): the page context with the signed-in user, the menu with
 * counts, the CSRF token for forms, and the one-line notices shown after
 * a redirect. Every page works without JavaScript.
 *
 * Handlers run behind the route table's guards (auth/guard.h): a handler
 * of a GUARD_LOGIN route always has rq->user, and never re-checks roles.
 */
#ifndef GZ_ADMIN_H
#define GZ_ADMIN_H

#include "../http/http.h"
#include "../store/store.h"

struct tv;

/* admin_signin.c */
void admin_signin_form(struct req *rq, struct resp *rs);
void admin_signin_post(struct req *rq, struct resp *rs);
void admin_signin_code(struct req *rq, struct resp *rs);
void admin_signout(struct req *rq, struct resp *rs);
void admin_signout_everywhere(struct req *rq, struct resp *rs);
void admin_home(struct req *rq, struct resp *rs);

/* admin_stories.c */
void admin_stories(struct req *rq, struct resp *rs);

/* admin_editor.c */
void admin_editor_new(struct req *rq, struct resp *rs);
void admin_editor_edit(struct req *rq, struct resp *rs);
void admin_editor_save(struct req *rq, struct resp *rs);
void admin_editor_submit(struct req *rq, struct resp *rs);
void admin_editor_publish(struct req *rq, struct resp *rs);
void admin_editor_unpublish(struct req *rq, struct resp *rs);
void admin_editor_preview(struct req *rq, struct resp *rs);
void admin_revisions(struct req *rq, struct resp *rs);
void admin_revision_restore(struct req *rq, struct resp *rs);

/* admin_comments.c */
void admin_comments(struct req *rq, struct resp *rs);
void admin_comment_action(struct req *rq, struct resp *rs);
void admin_comments_bulk(struct req *rq, struct resp *rs);
void admin_comment_edit_form(struct req *rq, struct resp *rs);
void admin_comment_edit(struct req *rq, struct resp *rs);
void admin_comment_reply(struct req *rq, struct resp *rs);

/* admin_users.c */
void admin_users(struct req *rq, struct resp *rs);
void admin_user_add(struct req *rq, struct resp *rs);
void admin_user_change(struct req *rq, struct resp *rs);
void admin_account(struct req *rq, struct resp *rs);
void admin_account_password(struct req *rq, struct resp *rs);
void admin_account_2fa(struct req *rq, struct resp *rs);

/* admin_settings.c */
void admin_settings(struct req *rq, struct resp *rs);
void admin_settings_save(struct req *rq, struct resp *rs);

/* ---- shared (admin.c) ---- */

/* The context of every signed-in admin page: page_ctx plus "me", "csrf",
 * "menu" (with pending-comment counts), "admin_css" and "notice" (from
 * ?msg=, looked up in a fixed table: a URL cannot inject text). */
struct tv *admin_ctx(struct req *rq, const char *title, const char *current);
/* Renders template `name` (an admin-*.html) with ctx. */
void admin_render(struct req *rq, struct resp *rs, int status, const char *name, struct tv *ctx);
/* 303 to path with ?msg=key (or &msg=key when path has a query). */
void admin_done(struct req *rq, struct resp *rs, const char *path, const char *msg_key);
/* "2024-07-05T09:30" (UTC) for <input type=datetime-local>; "" for 0. */
const char *admin_datetime(struct pool *p, long long t);
/* Parses that form (seconds optional) as UTC; 0 ok, -1 when malformed. */
int admin_datetime_parse(const char *s, long long *out);
/* 1 when s is "" or parses as a datetime (a form_validate validator). */
int admin_field_datetime(const char *s);
/* Form errors as a template list of {message}, general first. */
struct tv *admin_error_list(struct pool *p, const char *const *errors, size_t n,
			    const char *general);
/* ?page=N (1 when absent or bad). */
size_t admin_page(const struct req *rq);

#endif
