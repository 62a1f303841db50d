/*
 * route: matching a request against the application's table (route.h).
 * The one decision: a request is matched once; its row, captures and
 * whether any row has its path are kept in the request, so the head's
 * check, the rate limit, the cache key and the dispatch share one scan.
 */
#include "route.h"
#include "../render/escape.h"
#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/utf8.h"
#include "../util/num.h"

#include <string.h>

/* Percent-decodes one path segment; NULL when malformed, not UTF-8, or
 * holding NUL or '/' (an encoded slash never smuggles a separator in). */
static const char *segment_decode(struct pool *p, const char *s, size_t n)
{
	char *out = pool_alloc(p, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[o++] = s[i];
			continue;
		}
		if (i + 2 >= n)
			return NULL;
		int hi = num_hex_digit(s[i + 1]), lo = num_hex_digit(s[i + 2]);
		if (hi < 0 || lo < 0)
			return NULL;
		out[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[o] = '\0';
	if (!utf8_valid(out, o) || memchr(out, '/', o))
		return NULL;
	return out;
}

/* Matches path against pattern, capturing ":x" and "#x" segments. A single trailing
 * slash is ignored. Returns 1 on a match. */
int route_match(struct req *rq, const char *pattern, const char *path)
{
	size_t np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		const char *pe = strchrnul(p, '/'), *se = strchrnul(s, '/');
		if (*p == '*') {
			/* the rest of the path, segment by segment: each decoded and
			 * checked, none empty, "." or "..", so it names a file below */
			if (np == HTTP_MAX_PARAMS)
				return 0;
			struct buf rest;
			int ok = 1;
			buf_init(&rest, 4096);
			for (const char *q = s; ok && *q;) {
				const char *qe = strchrnul(q, '/');
				const char *v = segment_decode(rq->pool, q, (size_t)(qe - q));
				ok = v && *v && strcmp(v, ".") != 0 && strcmp(v, "..") != 0;
				if (ok) {
					if (rest.len)
						buf_putc(&rest, '/');
					buf_puts(&rest, v);
				}
				q = *qe ? qe + 1 : qe;
			}
			int got = ok && rest.len && !rest.err;
			if (got)
				rq->params[np++] = pool_strdup(rq->pool, buf_str(&rest));
			buf_release(&rest);
			if (!got)
				return 0;
			rq->nparams = np;
			return 1;
		}
		if (*p == ':' || *p == '#') {
			if (se == s || np == HTTP_MAX_PARAMS)
				return 0;
			for (const char *d = s; *p == '#' && d < se; d++)
				if (*d < '0' || *d > '9')
					return 0; /* "#x": digits only */
			const char *v = segment_decode(rq->pool, s, (size_t)(se - s));
			if (!v)
				return 0;
			rq->params[np++] = v;
		} else if ((size_t)(pe - p) != (size_t)(se - s) || memcmp(p, s, (size_t)(pe - p)))
			return 0;
		p = pe, s = se;
	}
	int end = *s == '\0' || (s[0] == '/' && s[1] == '\0' && s != path);
	if (*p != '\0' || !end)
		return 0;
	rq->nparams = np;
	return 1;
}

/* 1 when the space-separated list names holds name. */
static int named(const char *names, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = names; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len + (p[len] == ' ');
	}
	return 0;
}

const struct route *route_find(struct req *rq, const struct route *table, size_t n)
{
	if (rq->route_found)
		return rq->route;
	rq->route_found = 1;
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &table[i];
		if (!route_match(rq, r->pattern, rq->path))
			continue;
		rq->route_path_known = 1;
		if (r->method == rq->method || (r->method == HTTP_GET && rq->method == HTTP_HEAD))
			return rq->route = r;
	}
	rq->nparams = 0;
	return NULL;
}

const char *route_cache_key(struct req *rq, const struct route *r)
{
	if (!r || !r->query)
		return rq->uri;
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, rq->path);
	for (size_t k = 0; k < rq->query.n; k++) {
		const struct kv *v = &rq->query.v[k];
		if (!named(r->query, v->key) || kv_get(&rq->query, v->key) != v->val)
			continue; /* undeclared, or a repeat (the handler reads the first) */
		buf_putc(&b, b.len == strlen(rq->path) ? '?' : '&');
		url_query(&b, v->key);
		buf_putc(&b, '=');
		url_query(&b, v->val);
	}
	const char *key = b.err ? rq->uri : pool_strdup(rq->pool, buf_str(&b));
	buf_release(&b);
	return key;
}
