/*
 * session: tokens, cookies and expiry (see session.h). The token is never
 * stored or logged; the row's id is its hash, so looking a session up is
 * one indexed read, and a leaked database copy cannot sign anyone in.
 */
#include "session.h"
#include "csrf.h"
#include "../site/site.h"
#include "../store/store_session.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void session_token_new(char token[SESSION_TOKEN_HEX], char id[SESSION_TOKEN_HEX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, SESSION_TOKEN_HEX, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	session_token_id(token, id);
}

int session_token_id(const char *token, char id[SESSION_TOKEN_HEX])
{
	unsigned char raw[32], h[32];
	size_t n = 0;
	if (!token || strlen(token) != 64 ||
	    sodium_hex2bin(raw, sizeof raw, token, 64, NULL, &n, NULL) || n != sizeof raw)
		return -1;
	crypto_generichash(h, sizeof h, raw, sizeof raw, NULL, 0);
	sodium_bin2hex(id, SESSION_TOKEN_HEX, h, sizeof h);
	return 0;
}

static void cookie(struct req *rq, struct resp *rs, const char *path, const char *value,
		   long long max_age)
{
	resp_header(rs, "Set-Cookie",
		    pool_printf(rq->pool, "%s=%s; Path=%s; Max-Age=%lld; HttpOnly; SameSite=Lax%s",
				SESSION_COOKIE, value, path, max_age, rq->https ? "; Secure" : ""));
}

/* The cookie, and the end of one that versions before staff replies set
 * on Path=/admin: a browser would send that one first under /admin. */
static void set_cookie(struct req *rq, struct resp *rs, const char *value, long long max_age)
{
	cookie(rq, rs, "/", value, max_age);
	cookie(rq, rs, "/admin", "", 0);
}

static void attach(struct req *rq, const char *id, const struct user *u)
{
	char tok[CSRF_TOKEN_HEX];
	csrf_token(rq->site, id, tok);
	rq->user = u;
	rq->session_id = pool_strdup(rq->pool, id);
	rq->csrf = pool_strdup(rq->pool, tok);
}

int session_start(struct req *rq, struct resp *rs, const struct user *u)
{
	char token[SESSION_TOKEN_HEX], id[SESSION_TOKEN_HEX], old[SESSION_TOKEN_HEX];
	const char *have = kv_get(&rq->cookies, SESSION_COOKIE);
	if (have && session_token_id(have, old) == 0)
		store_session_delete(rq->store, old); /* a new id at every sign-in */
	session_token_new(token, id);
	long long now = (long long)time(NULL);
	store_sessions_purge(rq->store, now - rq->site->cfg.session_idle,
			     now - rq->site->cfg.session_lifetime);
	if (store_session_put(rq->store, id, u->id, now, rq->client_ip, rq->user_agent)) {
		log_error("session: %s", store_errmsg(rq->store));
		return -1;
	}
	set_cookie(rq, rs, token, rq->site->cfg.session_lifetime);
	sodium_memzero(token, sizeof token);
	attach(rq, id, u);
	return 0;
}

/* The stored session the cookie names: 1 live, 0 none, -1 expired. */
static int session_find(struct req *rq, char id[SESSION_TOKEN_HEX], struct session *s)
{
	const char *token = kv_get(&rq->cookies, SESSION_COOKIE);
	if (!token || !rq->store || session_token_id(token, id) || /* no database: none */
	    store_session_get(rq->store, rq->pool, id, s) != STORE_OK)
		return 0;
	long long now = (long long)time(NULL);
	const struct config *cfg = &rq->site->cfg;
	return now - s->seen_at > cfg->session_idle || now - s->created_at > cfg->session_lifetime
		       ? -1
		       : 1;
}

int session_live(struct req *rq)
{
	char id[SESSION_TOKEN_HEX];
	struct session s;
	return session_find(rq, id, &s) == 1;
}

int session_load(struct req *rq)
{
	char id[SESSION_TOKEN_HEX];
	struct session s;
	int found = session_find(rq, id, &s);
	if (found < 0)
		store_session_delete(rq->store, id);
	if (found != 1)
		return 0;
	long long now = (long long)time(NULL);
	const struct config *cfg = &rq->site->cfg;
	struct user *u = pool_alloc(rq->pool, sizeof *u);
	if (store_user_by_id(rq->store, rq->pool, s.user_id, u) != STORE_OK || u->disabled ||
	    u->role == ROLE_NONE)
		return 0;
	long long step = cfg->session_idle / 10 < 60 ? cfg->session_idle / 10 : 60;
	if (now - s.seen_at >= (step < 1 ? 1 : step))
		store_session_seen(rq->store, id, now);
	attach(rq, id, u);
	return 1;
}

/* "UID.ID.SIG": ID 64 random bits, SIG the site's signature of both. */
static const char *device_sig(struct req *rq, long long uid, const char *id, char sig[33])
{
	site_sign(rq->site, pool_printf(rq->pool, "device:%lld:%s", uid, id), sig, 32);
	return sig;
}

const char *session_device_for(struct req *rq, long long uid)
{
	const char *v = kv_get(&rq->cookies, DEVICE_COOKIE);
	char id[17], sig[33];
	long long owner;
	int used = 0;
	if (!v || sscanf(v, "%lld.%16[0-9a-f].%32[0-9a-f]%n", &owner, id, sig, &used) != 3 ||
	    v[used] || owner != uid || strlen(id) != 16)
		return NULL;
	if (!site_sign_ok(rq->site, pool_printf(rq->pool, "device:%lld:%s", uid, id), sig, 32))
		return NULL;
	return pool_strdup(rq->pool, id);
}

void session_device_set(struct req *rq, struct resp *rs, const struct user *u)
{
	const char *id = session_device_for(rq, u->id);
	char fresh[17], sig[33];
	if (!id) {
		unsigned char raw[8];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
		id = fresh;
	}
	resp_header(rs, "Set-Cookie",
		    pool_printf(rq->pool,
				"%s=%lld.%s.%s; Path=/admin/sign-in; Max-Age=%d; HttpOnly; "
				"SameSite=Strict%s",
				DEVICE_COOKIE, u->id, id, device_sig(rq, u->id, id, sig),
				DEVICE_LIFETIME, rq->https ? "; Secure" : ""));
}

int session_end(struct req *rq, struct resp *rs, int everywhere)
{
	int rc = STORE_OK;
	if (everywhere && rq->user)
		rc = store_sessions_delete_user(rq->store, rq->user->id, NULL);
	else if (rq->session_id)
		rc = store_session_delete(rq->store, rq->session_id);
	set_cookie(rq, rs, "", 0);
	return rc == STORE_OK ? 0 : -1;
}
