/*
 * comment_reply: staff comments and replies (see comment_reply.h). A
 * staff comment skips what guards the reader's form against robots (the
 * signed time stamp, the per-address rate limit, the word lists): the
 * session and its CSRF token are the proof. It is written in its own
 * short transaction, not the readers' group commit, so a reply from the
 * queue and the approval of the comment it answers land together.
 */
#include "comment_reply.h"
#include "comment_text.h"
#include "comment_form.h"
#include "../auth/csrf.h"
#include "../auth/guard.h"
#include "../auth/roles.h"
#include "../site/url.h"
#include "../util/date.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_moderation.h"
#include "../store/store_user.h"
#include "../util/locale.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>
#include <time.h>

enum reply_check comment_reply_check(struct store *st, struct pool *p, int max_depth,
				     long long story_id, long long parent_id, int held_ok)
{
	long long depth = 1, id = parent_id;
	struct comment c;
	while (id && depth <= 64) {
		if (store_comment_get(st, p, id, &c) != STORE_OK || c.story_id != story_id)
			return REPLY_UNAVAILABLE;
		int held_parent = held_ok && id == parent_id && c.status == COMMENT_PENDING;
		if (c.status != COMMENT_APPROVED && !held_parent)
			return REPLY_UNAVAILABLE;
		id = c.parent_id;
		depth++;
	}
	return depth > max_depth ? REPLY_TOO_DEEP : REPLY_OK;
}

const char *comment_reply_message(enum reply_check r)
{
	switch (r) {
	case REPLY_OK:
		break;
	case REPLY_UNAVAILABLE:
		return "The comment you replied to is not available.";
	case REPLY_TOO_DEEP:
		return "Replies cannot be nested any deeper here; please reply further up the thread.";
	}
	return NULL;
}

const char *comment_badge(const struct locale *l, const char *role_name, int story_author)
{
	static const char *const labels[ROLE__MAX][2] = {
		[ROLE_CONTRIBUTOR] = { "Contributor", "badge_contributor" },
		[ROLE_AUTHOR] = { "Author", "badge_author" },
		[ROLE_EDITOR] = { "Editor", "badge_editor" },
		[ROLE_ADMIN] = { "Admin", "badge_admin" },
	};
	static const char *const story_author_label[2] = { "Author of this story", "badge_story_author" };
	static const char *const staff[2] = { "Staff", "badge_staff" };
	enum role r;
	if (!role_name || !*role_name)
		return NULL;
	const char *const *b = story_author ? story_author_label
			       : role_parse(role_name, &r) == 0 ? labels[r] : staff;
	const char *w = locale_get(l, b[1]);
	return w ? w : b[0];
}

int comment_staff_form(struct req *rq, const struct story *s, struct tv *form)
{
	if (!guard_signed_in(rq))
		return 0;
	struct tv *o = tv_obj(rq->pool);
	tv_put_str(o, "name", rq->user->name);
	tv_put_str(o, "badge", comment_badge(&rq->site->locale, role_name(rq->user->role),
					     rq->user->id == s->author.id));
	tv_put_str(o, "csrf", rq->csrf);
	tv_put(form, "staff", o);
	return 1;
}

/* The account's comment: its name and email, no website, its role now. */
static struct comment staff_comment(const struct req *rq, long long story_id, long long parent_id,
				    const char *body)
{
	return (struct comment){ .story_id = story_id, .parent_id = parent_id,
				 .author = rq->user->name, .email = rq->user->email, .url = "",
				 .body = body, .body_html = comment_text_html_str(rq->pool, body),
				 .ip = rq->client_ip, .user_agent = rq->user_agent,
				 .user_id = rq->user->id, .user_role = role_name(rq->user->role) };
}

/* Stores c approved, and its held parent with it when approve_parent, in
 * one transaction. */
static enum staff_reply staff_store(struct req *rq, struct comment *c, int approve_parent,
				    long long *id)
{
	struct store *st = rq->store;
	c->status = COMMENT_APPROVED;
	c->created_at = (long long)time(NULL);
	int dup = 0, rc = store_begin(st);
	if (!rc && approve_parent)
		rc = store_mod_set_status(st, c->parent_id, COMMENT_APPROVED, c->created_at);
	if (!rc && (dup = store_comment_is_duplicate(st, c->story_id, c->author, c->email, c->body)) < 0)
		rc = STORE_ERROR;
	if (!rc && !dup)
		rc = store_comment_insert(st, c, id);
	if (!rc && !dup)
		rc = store_commit(st);
	if (rc || dup)
		store_rollback(st);
	if (rc) {
		log_error("staff comment: %s", store_errmsg(st));
		return STAFF_ERROR;
	}
	if (dup)
		return STAFF_DUPLICATE;
	log_info("comment %lld by %s (%s)", *id, rq->user->email, c->user_role);
	return approve_parent ? STAFF_APPROVED_REPLIED : STAFF_REPLIED;
}

enum staff_reply comment_staff_reply(struct req *rq, long long parent_id, const char *body,
				     long long *id)
{
	struct comment parent;
	if (store_comment_get(rq->store, rq->pool, parent_id, &parent) != STORE_OK)
		return STAFF_UNAVAILABLE;
	switch (comment_reply_check(rq->store, rq->pool, rq->site->cfg.comment_max_depth,
				    parent.story_id, parent_id, 1)) {
	case REPLY_OK:
		break;
	case REPLY_UNAVAILABLE:
		return STAFF_UNAVAILABLE;
	case REPLY_TOO_DEEP:
		return STAFF_TOO_DEEP;
	}
	struct comment c = staff_comment(rq, parent.story_id, parent_id, body);
	return staff_store(rq, &c, parent.status == COMMENT_PENDING, id);
}

/* 403: a signed-in browser's post whose token or Origin is not ours. */
static void refused(struct req *rq, struct resp *rs)
{
	log_info("comment: refused a staff post from %s for %s: csrf", rq->client_ip, rq->user->email);
	http_error(rq, rs, 403, "Not allowed",
		   "You are signed in, but this form has expired or did not come from this site. "
		   "Nothing was saved: go back, reload the story and send your comment again.");
}

int comment_staff_post(struct req *rq, struct resp *rs, const struct story *s,
		       struct comment_form_state *st)
{
	if (!kv_get(&rq->form, CSRF_FIELD) || !guard_signed_in(rq))
		return COMMENT_NOT_STAFF;
	if (!csrf_ok(rq)) {
		refused(rq, rs);
		return COMMENT_ANSWERED;
	}
	struct field_spec spec[2] = { *comment_form_field(CF_COMMENT), *comment_form_field(CF_PARENT) };
	struct field_val fv[2];
	form_validate(rq->pool, spec, 2, &rq->form, fv);
	st->value[CF_COMMENT] = fv[0].val;
	st->error[CF_COMMENT] = fv[0].error;
	st->error[CF_PARENT] = fv[1].error;
	unsigned long long parent = 0;
	if (!fv[1].error && *fv[1].val)
		num_parse_u64(fv[1].val, 1ULL << 62, &parent);
	st->parent_id = (long long)parent;
	if (!fv[0].error && !fv[1].error)
		st->general_error = comment_reply_message(comment_reply_check(
			rq->store, rq->pool, rq->site->cfg.comment_max_depth, s->id, st->parent_id, 0));
	if (fv[0].error || fv[1].error || st->general_error)
		return COMMENT_SHOW_FORM;
	struct comment c = staff_comment(rq, s->id, st->parent_id, st->value[CF_COMMENT]);
	long long id = 0;
	enum staff_reply r = staff_store(rq, &c, 0, &id);
	switch (r) {
	case STAFF_REPLIED:
	case STAFF_APPROVED_REPLIED:
		resp_redirect(rs, 303, pool_printf(rq->pool, "%s#comment-%lld", story_path(rq->pool, s), id));
		break;
	default:
		comment_not_saved(rq, rs, r == STAFF_DUPLICATE);
	}
	return COMMENT_ANSWERED;
}
