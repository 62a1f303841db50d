/*
 * guard: the central checks behind the route table's flags (see guard.h).
 * Refusals are logged with the account and path, so a probing client
 * shows up in the log.
 */
#include "guard.h"
#include "csrf.h"
#include "session.h"
#include "../render/escape.h"
#include "../store/store_media.h"
#include "../store/store_moderation.h"
#include "../store/store_story.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

static int refuse(struct req *rq, struct guard_verdict *v, int status, const char *why)
{
	log_info("admin: refused %s for %s from %s: %s", rq->path,
		 rq->user ? rq->user->email : "(signed out)", rq->client_ip, why);
	v->status = status;
	v->location = NULL;
	if (status == 404) {
		v->title = "Not found";
		v->message = "There is nothing at this address.";
	} else {
		v->title = "Not allowed";
		v->message = strcmp(why, "csrf") == 0
				     ? "This form has expired or did not come from this site. Nothing "
				       "was changed: go back, reload the page and try again."
				     : "Your account is not allowed to do this.";
	}
	return -1;
}

static int see_other(struct guard_verdict *v, const char *location)
{
	v->status = 303;
	v->location = location;
	return -1;
}

static int to_sign_in(struct req *rq, struct guard_verdict *v)
{
	if (rq->method == HTTP_POST)
		return see_other(v, "/admin/sign-in");
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/admin/sign-in?next=");
	url_query(&b, rq->uri);
	see_other(v, pool_strdup(rq->pool, buf_str(&b)));
	buf_release(&b);
	return -1;
}

long long guard_story_id(const struct req *rq)
{
	unsigned long long id;
	if (rq->nparams < 1 || strcmp(rq->params[0], "new") == 0 ||
	    num_parse_u64(rq->params[0], 1ULL << 62, &id))
		return 0;
	return (long long)id;
}

static int story_ok(struct req *rq, struct guard_verdict *v)
{
	unsigned long long id;
	if (rq->nparams >= 1 && strcmp(rq->params[0], "new") == 0)
		return 0; /* a new story is the writer's own draft */
	if (rq->nparams < 1 || num_parse_u64(rq->params[0], 1ULL << 62, &id))
		return refuse(rq, v, 404, "bad story id");
	long long owner;
	enum story_status status;
	int rc = store_story_meta(rq->store, (long long)id, &owner, &status);
	if (rc == STORE_NOTFOUND)
		return refuse(rq, v, 404, "no such story");
	if (rc)
		return refuse(rq, v, 404, store_errmsg(rq->store));
	if (!role_may_edit_story(rq->user->role, owner == rq->user->id, status))
		return refuse(rq, v, 403, "not this user's story");
	return 0;
}

int guard_comment_allowed(struct req *rq, long long id)
{
	long long owner;
	return rq->user && store_comment_owner(rq->store, id, &owner) == STORE_OK &&
	       role_may_moderate(rq->user->role, owner == rq->user->id);
}

static int comment_ok(struct req *rq, struct guard_verdict *v)
{
	unsigned long long id;
	long long owner;
	if (rq->nparams < 1 || num_parse_u64(rq->params[0], 1ULL << 62, &id))
		return refuse(rq, v, 404, "bad comment id");
	int rc = store_comment_owner(rq->store, (long long)id, &owner);
	if (rc)
		return refuse(rq, v, 404, "no such comment");
	if (!role_may_moderate(rq->user->role, owner == rq->user->id))
		return refuse(rq, v, 403, "not a comment this user may moderate");
	return 0;
}

/* The site requires two-factor sign-in and this account has none yet:
 * everything but the account page (where it is turned on) and sign-out
 * waits until it does. */
static int needs_2fa(struct req *rq)
{
	const char *v;
	if (*rq->user->totp_secret || strncmp(rq->path, "/admin/account", 14) == 0 ||
	    strncmp(rq->path, "/admin/sign-out", 15) == 0)
		return 0;
	return store_setting_get(rq->store, rq->pool, RULE_REQUIRE_2FA, &v) == STORE_OK &&
	       strcmp(v, "1") == 0;
}

int guard_signed_in(struct req *rq)
{
	return session_load(rq) && !needs_2fa(rq);
}

/* GUARD_LOGIN: a live session with the capability. GUARD_KEPT when a
 * keepable POST has none. */
static int login_ok(struct req *rq, struct guard_verdict *v, unsigned guards, enum cap cap)
{
	int keep = (guards & GUARD_KEEP) && rq->method == HTTP_POST;
	if (!(guards & GUARD_LOGIN))
		return 0;
	if (!session_load(rq)) {
		rq->user = NULL;
		return keep ? GUARD_KEPT : to_sign_in(rq, v);
	}
	if (!role_can(rq->user->role, cap))
		return refuse(rq, v, 403, cap_name(cap));
	if (needs_2fa(rq))
		return see_other(v, "/admin/account?msg=2fa-required");
	return 0;
}

static int media_ok(struct req *rq, struct guard_verdict *v)
{
	unsigned long long id;
	struct media_record m;
	if (rq->nparams < 1 || num_parse_u64(rq->params[0], 1ULL << 62, &id))
		return refuse(rq, v, 404, "bad media id");
	if (store_media_get(rq->store, rq->pool, (long long)id, &m))
		return refuse(rq, v, 404, "no such media item");
	if (!role_may_edit_media(rq->user->role, m.uploaded_by == rq->user->id))
		return refuse(rq, v, 403, "not a media item this user may change");
	return 0;
}

/* GUARD_STORY, GUARD_COMMENT and GUARD_MEDIA: what params[0] names is the user's. */
static int target_ok(struct req *rq, struct guard_verdict *v, unsigned guards)
{
	if ((guards & GUARD_STORY) && story_ok(rq, v))
		return -1;
	if ((guards & GUARD_COMMENT) && comment_ok(rq, v))
		return -1;
	if ((guards & GUARD_MEDIA) && media_ok(rq, v))
		return -1;
	return 0;
}

int guard_check(struct req *rq, struct guard_verdict *v, unsigned guards, enum cap cap)
{
	int g = login_ok(rq, v, guards, cap);
	if (g)
		return g;
	if ((guards & GUARD_CSRF) && !csrf_ok(rq))
		return refuse(rq, v, 403, "csrf");
	if ((guards & GUARD_ORIGIN) && !csrf_origin_ok(rq))
		return refuse(rq, v, 403, "csrf");
	return target_ok(rq, v, guards);
}

int guard_head(struct req *rq, struct guard_verdict *v, unsigned guards, enum cap cap)
{
	int g = login_ok(rq, v, guards, cap);
	if (g == GUARD_KEPT) /* kept only from our own pages (the keeper checks again) */
		return csrf_origin_ok(rq) ? GUARD_KEPT : to_sign_in(rq, v);
	if (g)
		return g;
	if ((guards & (GUARD_CSRF | GUARD_ORIGIN)) && !csrf_origin_ok(rq))
		return refuse(rq, v, 403, "csrf");
	return target_ok(rq, v, guards);
}
