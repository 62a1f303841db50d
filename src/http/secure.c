/*
 * secure: the client address behind a trusted proxy, HTTPS detection and
 * the Content-Security-Policy (see secure.h).
 *
 * X-Forwarded-For is a list each proxy appends to; only its last entry was
 * written by the proxy we trust, everything before it is what the client
 * claimed. So the last entry is taken, and only from the trusted peer;
 * from anyone else the header is ignored, or a client could pick the
 * address every rate limit keys on.
 */
#include "secure.h"
#include "../site/site.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int from_proxy(const struct site *site, const char *peer)
{
	return site->cfg.trusted_proxy[0] && peer && strcmp(site->cfg.trusted_proxy, peer) == 0;
}

/* The last comma-separated entry of s, trimmed, if it is an IP address. */
static const char *last_address(struct pool *p, const char *s)
{
	const char *start = strrchr(s, ',');
	start = start ? start + 1 : s;
	size_t n = strlen(start);
	str_trim(&start, &n, str_is_blank);
	if (n == 0 || n >= INET6_ADDRSTRLEN)
		return NULL;
	char *ip = pool_strndup(p, start, n);
	unsigned char bin[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, ip, bin) == 1 || inet_pton(AF_INET6, ip, bin) == 1)
		return ip;
	return NULL;
}

const char *secure_client_ip(struct pool *p, const struct site *site, const char *peer,
			     const char *xff)
{
	if (!xff || !from_proxy(site, peer))
		return peer;
	const char *ip = last_address(p, xff);
	return ip ? ip : peer;
}

const char *secure_client_key(struct pool *p, const char *ip)
{
	struct in6_addr a;
	char out[INET6_ADDRSTRLEN + 4];
	if (!ip || !strchr(ip, ':') || inet_pton(AF_INET6, ip, &a) != 1)
		return ip;
	if (IN6_IS_ADDR_V4MAPPED(&a)) /* ::ffff:a.b.c.d from a dual-stack proxy: the IPv4 */
		return inet_ntop(AF_INET, a.s6_addr + 12, out, sizeof out) ? pool_strdup(p, out) : ip;
	memset(a.s6_addr + 8, 0, 8);
	if (!inet_ntop(AF_INET6, &a, out, sizeof out - 3))
		return ip;
	return pool_printf(p, "%s/64", out);
}

int secure_https(const struct site *site, const char *peer, const char *proto)
{
	if (site->cfg.https)
		return 1;
	return proto && from_proxy(site, peer) && strcasecmp(proto, "https") == 0;
}

int secure_is_admin(const char *path)
{
	return path && strncmp(path, "/admin", 6) == 0 &&
	       (path[6] == '\0' || path[6] == '/' || path[6] == '?');
}

#define CSP_TAIL "object-src 'none'; base-uri 'self'; form-action 'self'; "
#define CSP_COMMON "default-src 'self'; img-src 'self' data: https:; style-src 'self'; " \
		   "script-src 'self'; " CSP_TAIL
#define CSP_NONE CSP_COMMON "frame-src 'none'; frame-ancestors 'self'"

/* The public policy in force: a string that is never freed once set, so
 * a worker that read the pointer may use it however long it takes. Each
 * policy ever set stays on `csp_kept` (an admin changing providers or
 * origins is rare, and the same policy set again is found there, not
 * made again). */
struct csp_kept {
	struct csp_kept *next;
	char text[];
};
static struct csp_kept *csp_kept;
static pthread_mutex_t csp_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(const char *) csp_public = CSP_NONE;

static int source_ok(const char *s)
{
	for (const char *c = s; *c; c++)
		if (*c < 0x20 || *c > 0x7E || *c == ';' || *c == ',' || *c == '"')
			return 0;
	return 1;
}

/* " " followed by s, or "" for none. */
static const char *more(const char *s)
{
	return s && *s ? " " : "";
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int secure_set_public(const char *const src[SECURE_SRC__MAX])
{
	char text[8192];
	int rc = 0;
	for (int i = 0; i < SECURE_SRC__MAX; i++)
		if (src[i] && !source_ok(src[i]))
			rc = -1;
	const char *script = or_empty(src[SECURE_SRC_SCRIPT]), *img = or_empty(src[SECURE_SRC_IMG]),
		   *connect = or_empty(src[SECURE_SRC_CONNECT]), *frame = or_empty(src[SECURE_SRC_FRAME]);
	int n = rc ? -1
		   : snprintf(text, sizeof text,
			      "default-src 'self'; img-src 'self' data: https:%s%s; style-src 'self'; "
			      "script-src 'self'%s%s; %s%s%s" CSP_TAIL "frame-src %s; "
			      "frame-ancestors 'self'",
			      more(img), img, more(script), script, *connect ? "connect-src 'self' " : "",
			      connect, *connect ? "; " : "", *frame ? frame : "'none'");
	if (n < 0 || (size_t)n >= sizeof text) {
		snprintf(text, sizeof text, CSP_NONE);
		rc = -1;
	}
	pthread_mutex_lock(&csp_lock);
	struct csp_kept *k = csp_kept;
	while (k && strcmp(k->text, text) != 0)
		k = k->next;
	if (!k && (k = malloc(sizeof *k + strlen(text) + 1))) {
		memcpy(k->text, text, strlen(text) + 1);
		k->next = csp_kept;
		csp_kept = k;
	}
	if (k)
		atomic_store(&csp_public, k->text);
	pthread_mutex_unlock(&csp_lock);
	return k ? rc : -1;
}

const char *secure_csp(const char *path)
{
	return secure_is_admin(path) ? CSP_COMMON "frame-ancestors 'none'" : atomic_load(&csp_public);
}
