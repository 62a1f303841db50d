/*
 * admin_signin: signing in and out. The password step checks the
 * throttle first (a throttled attempt is refused without looking at the
 * password), then the Argon2id hash; an account with two-factor sign-in
 * gets a second form carrying a signed, five-minute ticket instead of a
 * session, so no half-signed-in session ever exists.
 */
#include "../stats/metrics.h"
#include "admin.h"
#include "../auth/password.h"
#include "../auth/session.h"
#include "../auth/throttle.h"
#include "../auth/totp.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define TICKET_SECONDS 300

/* Only our own admin paths are followed after sign-in. */
static const char *safe_next(const char *next)
{
	if (!next || strncmp(next, "/admin", 6) != 0 || strstr(next, "//") || strchr(next, '\\'))
		return "/admin/stories";
	if (strncmp(next, "/admin/sign-", 12) == 0)
		return "/admin/stories";
	return next;
}

static void show_form(struct req *rq, struct resp *rs, int status, const char *email,
		      const char *error, const char *ticket)
{
	struct tv *ctx = admin_ctx(rq, "Sign in", NULL);
	tv_put_str(ctx, "next", safe_next(kv_get(rq->method == HTTP_POST ? &rq->form : &rq->query,
						 "next")));
	tv_put_str(ctx, "email", email ? email : "");
	if (error)
		tv_put_str(ctx, "error", error);
	if (ticket)
		tv_put_str(ctx, "ticket", ticket);
	admin_render(rq, rs, status, ticket ? "admin-sign-in-code" : "admin-sign-in", ctx);
}

void admin_signin_form(struct req *rq, struct resp *rs)
{
	if (session_load(rq)) {
		resp_redirect(rs, 303, safe_next(kv_get(&rq->query, "next")));
		return;
	}
	rq->user = NULL;
	show_form(rq, rs, 200, "", NULL, NULL);
}

void admin_home(struct req *rq, struct resp *rs)
{
	resp_redirect(rs, 303, "/admin/stories");
}

/* Checks and counts the attempt (auth/throttle.h); 1 when it must wait
 * and the answer is in rs. */
static int throttled(struct req *rq, struct resp *rs, const struct throttle_keys *k,
		     const char *email, long long now)
{
	long long wait = throttle_begin(rq->store, k, now);
	if (!wait)
		return 0;
	if (wait < 0) {
		http_error(rq, rs, 503, "Try again shortly", "Sign-in is not possible right now.");
		resp_header(rs, "Retry-After", "10");
		return 1;
	}
	metrics_count(METRIC_SIGNIN_THROTTLED);
	resp_header(rs, "Retry-After", pool_printf(rq->pool, "%lld", wait));
	show_form(rq, rs, 429, email,
		  pool_printf(rq->pool,
			      "Too many failed sign-in attempts. For your security, please wait %lld "
			      "seconds and try again.",
			      wait),
		  NULL);
	return 1;
}

static void signed_in(struct req *rq, struct resp *rs, const struct user *u, const char *next)
{
	if (session_start(rq, rs, u)) {
		http_error(rq, rs, 503, "Not signed in", "The session could not be saved. Try again.");
		return;
	}
	session_device_set(rq, rs, u);
	log_info("sign-in: %s signed in from %s", u->email, rq->client_ip);
	next = safe_next(next);
	admin_editor_claim(rq, next, u->id); /* text kept when the session had ended */
	resp_redirect(rs, 303, next);
}

static const char *make_ticket(struct req *rq, long long uid, long long now)
{
	char sig[33];
	site_sign(rq->site, pool_printf(rq->pool, "2fa:%lld:%lld", uid, now), sig, 32);
	return pool_printf(rq->pool, "%lld.%lld.%s", uid, now, sig);
}

void admin_signin_post(struct req *rq, struct resp *rs)
{
	const char *email = pool_lower(rq->pool, kv_get(&rq->form, "email"));
	const char *pw = kv_get(&rq->form, "password");
	long long now = (long long)time(NULL);
	struct user u;
	int found = *email && store_user_by_email(rq->store, rq->pool, email, &u) == STORE_OK;
	struct throttle_keys k;
	throttle_password_keys(&k, email, rq->client_key, found ? session_device_for(rq, u.id) : NULL);
	if (throttled(rq, rs, &k, email, now))
		return;
	int ok = password_verify(found ? u.pass_hash : NULL, pw ? pw : "");
	if (!ok || u.disabled || u.role == ROLE_NONE) {
		throttle_failed(rq->store, &k);
		metrics_count(METRIC_SIGNIN_FAILED);
		show_form(rq, rs, 403, email, "The email address or password is incorrect.", NULL);
		return;
	}
	throttle_succeeded(rq->store, &k);
	if (*u.totp_secret) {
		show_form(rq, rs, 200, email, NULL, make_ticket(rq, u.id, now));
		return;
	}
	signed_in(rq, rs, &u, kv_get(&rq->form, "next"));
}

/* The account a ticket was issued to, if it is genuine and fresh. */
static int ticket_user(struct req *rq, const char *ticket, long long now, struct user *u)
{
	long long uid, at;
	char sig[40];
	if (!ticket || sscanf(ticket, "%lld.%lld.%39s", &uid, &at, sig) != 3 || now - at > TICKET_SECONDS ||
	    at > now + 5)
		return -1;
	if (!site_sign_ok(rq->site, pool_printf(rq->pool, "2fa:%lld:%lld", uid, at), sig, 32))
		return -1;
	return store_user_by_id(rq->store, rq->pool, uid, u) == STORE_OK && !u->disabled ? 0 : -1;
}

void admin_signin_code(struct req *rq, struct resp *rs)
{
	long long now = (long long)time(NULL);
	struct user u;
	const char *ticket = kv_get(&rq->form, "ticket");
	if (ticket_user(rq, ticket, now, &u)) {
		show_form(rq, rs, 403, "", "That sign-in took too long. Please start again.", NULL);
		return;
	}
	struct throttle_keys k; /* the code's own counter: no password resets it */
	throttle_code_keys(&k, u.email, rq->client_key);
	if (throttled(rq, rs, &k, u.email, now))
		return;
	const char *code = kv_get(&rq->form, "code");
	long long step = code ? totp_match(u.totp_secret, code, now) : -1;
	int ok = step >= 0 && store_user_totp_step(rq->store, u.id, step) == STORE_OK;
	if (step >= 0 && !ok)
		log_info("sign-in: %s sent a two-factor code already used", u.email);
	if (!ok && code && strlen(code) >= 10) {
		char h[65];
		totp_recovery_hash(code, h);
		ok = store_recovery_code_use(rq->store, u.id, h) == STORE_OK;
		if (ok)
			log_info("sign-in: %s used a recovery code", u.email);
	}
	if (!ok) {
		throttle_failed(rq->store, &k);
		metrics_count(METRIC_SIGNIN_CODE_FAILED);
		show_form(rq, rs, 403, u.email, "That code is not right. Try the current code.", ticket);
		return;
	}
	throttle_succeeded(rq->store, &k);
	signed_in(rq, rs, &u, kv_get(&rq->form, "next"));
}

void admin_signout(struct req *rq, struct resp *rs)
{
	session_end(rq, rs, 0);
	resp_redirect(rs, 303, "/admin/sign-in?msg=signed-out");
}

void admin_signout_everywhere(struct req *rq, struct resp *rs)
{
	log_info("sign-in: %s signed out everywhere", rq->user->email);
	session_end(rq, rs, 1);
	resp_redirect(rs, 303, "/admin/sign-in?msg=signed-out");
}
