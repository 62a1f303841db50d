/*
 * guard: what a route demands before its handler runs, checked in one
 * place (called by the route table's dispatch, src/app/routes.c, for its
 * guard flags):
 *   GUARD_LOGIN    a live session; signed-out visitors get 303 to
 *                  /admin/sign-in (with ?next= for a GET); then the
 *                  route's capability, checked against the roles table (403)
 *   GUARD_CSRF     the session's CSRF token in the form and an Origin
 *                  that is this site (403, nothing changed)
 *   GUARD_ORIGIN   only the Origin check (sign-in, which has no session yet)
 *   GUARD_STORY    params[0] is a story id ("new" for one not yet saved)
 *                  the user may edit (roles.h: owner, others, published)
 *   GUARD_COMMENT  params[0] is a comment id on a story whose comments
 *                  the user may moderate
 *   GUARD_MEDIA    params[0] is a media library item the user may change
 *                  or delete (roles.h: own upload, or CAP_MEDIA_OTHERS)
 *   GUARD_KEEP     a POST that finds no live session is not sent to sign
 *                  in: guard_check returns GUARD_KEPT and the router hands
 *                  it to the editor's keeper (no text is lost); a live
 *                  session's checks are as without the flag
 * Handlers behind a guard never check again what it promised.
 */
#ifndef GZ_GUARD_H
#define GZ_GUARD_H

#include "roles.h"
#include "../http/http.h"

enum guard_flag {
	GUARD_LOGIN = 1 << 0,
	GUARD_CSRF = 1 << 1,
	GUARD_ORIGIN = 1 << 2,
	GUARD_STORY = 1 << 3,
	GUARD_COMMENT = 1 << 4,
	GUARD_KEEP = 1 << 5,
	GUARD_MEDIA = 1 << 6,
};

#define GUARD_KEPT 1 /* guard_check: hand the request to the route's keeper */

/* What a refused request is to be told; the route layer answers it
 * (auth/ decides, it does not answer): a redirect to location with
 * status 303, or an error page of status (403, 404) with title and
 * message. */
struct guard_verdict {
	int status;
	const char *location;       /* for a redirect, else NULL */
	const char *title, *message;
};

/* 0 when the request may go on; GUARD_KEPT (GUARD_KEEP routes only) when
 * a POST found no session and goes to the keeper (rq->user NULL); else -1
 * with the refusal in *v. */
int guard_check(struct req *rq, struct guard_verdict *v, unsigned guards, enum cap cap);
/* The same checks from the request head alone, before its body is read
 * (app_head in src/app/routes.c): all but the CSRF token, which is in
 * the body (its Origin half is checked). A keepable POST without a
 * session is GUARD_KEPT only with our Origin (or none), else sent to
 * sign in. guard_check still runs
 * at dispatch. */
int guard_head(struct req *rq, struct guard_verdict *v, unsigned guards, enum cap cap);

/* 1 when the signed-in user may moderate comment id (the GUARD_COMMENT
 * check, for handlers acting on several comments at once). */
int guard_comment_allowed(struct req *rq, long long id);

/* For pages outside /admin that change for a signed-in staff member (the
 * comment form): 1 and rq->user, session_id and csrf set when the request
 * carries a live session whose account may act (two-factor sign-in set up
 * where the site requires it); 0 otherwise. */
int guard_signed_in(struct req *rq);

/* The id in params[0] of a GUARD_STORY route: 0 for "new". */
long long guard_story_id(const struct req *rq);

/* The setting by which every account must use two-factor ("1"). */
#define RULE_REQUIRE_2FA "require_2fa"

#endif
