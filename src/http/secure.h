/*
 * secure: who the client is and what every response tells the browser.
 *
 * The client address is decided once per request (server.c) and used for
 * logs and every per-address limit: the peer's address, unless the peer is
 * the configured `trusted_proxy`, whose X-Forwarded-For is believed.
 */
#ifndef GZ_SECURE_H
#define GZ_SECURE_H

struct pool;
struct site;

/* What limits count a client as (rate limits, sign-in throttling): an
 * IPv4 address itself, an IPv6 address's /64 ("2001:db8:1:2::/64"): one
 * subscriber usually holds a whole /64, so counting single addresses
 * would give her 2^64 fresh budgets. */
const char *secure_client_key(struct pool *p, const char *ip);

/* The client's address: peer itself, or, when peer is the site's
 * trusted_proxy, the last address in its X-Forwarded-For (the one the
 * proxy added). A malformed or missing header leaves the peer. */
const char *secure_client_ip(struct pool *p, const struct site *site, const char *peer,
			     const char *xff);

/* 1 when the request reached the site over HTTPS: `https = 1`, or the
 * trusted proxy's X-Forwarded-Proto says https. */
int secure_https(const struct site *site, const char *peer, const char *proto);

/* 1 for the admin's paths (/admin and below), which may not be framed. */
int secure_is_admin(const char *path);

/* The Content-Security-Policy for a path: no inline script anywhere, and
 * frame-ancestors 'none' for the admin, whose policy is fixed. Public
 * pages carry the sources secure_set_public was given ('self' only, and
 * frame-src 'none', until then). */
const char *secure_csp(const char *path);

/* The public pages' extra sources, one space-separated list per
 * directive (NULL or "" for none): script-src and img-src get them after
 * their own, connect-src is written only when it has some, frame-src is
 * 'none' without any. The application computes them (the enabled embed
 * providers' player hosts, the origins an admin declared for ad and
 * analytics slots: http/ knows neither). Called before serving and after
 * every change while requests run: a policy once in force is never
 * freed. -1, with no extra source at all in force, for a list with
 * characters a CSP source cannot hold or a policy too long. */
enum secure_src { SECURE_SRC_SCRIPT, SECURE_SRC_IMG, SECURE_SRC_CONNECT, SECURE_SRC_FRAME,
		  SECURE_SRC__MAX };
int secure_set_public(const char *const src[SECURE_SRC__MAX]);

#define SECURE_HSTS "max-age=31536000"

#endif
