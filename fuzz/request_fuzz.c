/*
 * request_fuzz: libFuzzer target for what the server decodes from a request
 * line and its headers before any handler runs: path matching with
 * percent-decoded captures (http/route.c), the query string and the
 * Cookie header (http/form.c). It links http/ alone: the patterns below
 * have every shape the application's table (src/app/routes.c) uses, and
 * route_find runs over them as the server does. The input is
 * "TARGET\nCOOKIE". Beyond "no crash" it checks the boundary's promises:
 * every captured segment is valid UTF-8 without NUL or '/', at most
 * HTTP_MAX_PARAMS are captured, and decoded query pairs are valid UTF-8.
 *
 *   make fuzz-build && build-fuzz/request_fuzz -dict=fuzz/request.dict fuzz/corpus/request
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/http/form.h"
#include "../src/http/route.h"
#include "../src/util/pool.h"
#include "../src/util/utf8.h"

static void handler(struct req *rq, struct resp *rs) { (void)rq, (void)rs; }

static const struct route table[] = {
	{ HTTP_GET, "/", handler, 0, "page" },
	{ HTTP_GET, "/admin/stories/:id", handler, 0, NULL },
	{ HTTP_POST, "/admin/stories/:id/revisions/:rev/restore", handler, 0, NULL },
	{ HTTP_GET, "/media/*path", handler, 0, NULL },
	{ HTTP_GET, "/section/*path", handler, 0, "page before after" },
	{ HTTP_GET, "/:year/:month/:day/:slug", handler, 0, "replytocom" },
	{ HTTP_GET, "/tag/:slug/:feed", handler, 0, "" },
	{ HTTP_GET, "/:year/:month/:day/:slug/comments/:feed", handler, 0, "" },
	{ HTTP_GET, "/sitemaps/:name", handler, 0, "" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A ":name" parameter never holds a '/'; a "*rest" one (the last of a
 * pattern that ends in one) may, but none of its segments is empty, "."
 * or "..", so it always names something below its folder. */
static void check_params(const struct req *rq, const char *pattern)
{
	if (rq->nparams > HTTP_MAX_PARAMS)
		abort();
	int rest = strchr(pattern, '*') != NULL;
	for (size_t i = 0; i < rq->nparams; i++) {
		const char *v = rq->params[i];
		if (!v || !utf8_valid(v, strlen(v)))
			abort();
		if (!(rest && i + 1 == rq->nparams)) {
			if (strchr(v, '/'))
				abort();
			continue;
		}
		for (const char *seg = v;;) {
			size_t n = strcspn(seg, "/");
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				abort();
			if (!seg[n])
				break;
			seg += n + 1;
		}
	}
}

static void check_pairs(const struct kvlist *l, size_t max)
{
	if (l->n > max)
		abort();
	for (size_t i = 0; i < l->n; i++)
		if (!utf8_valid(l->v[i].key, strlen(l->v[i].key)) ||
		    strlen(l->v[i].val) != l->v[i].vlen || !utf8_valid(l->v[i].val, l->v[i].vlen))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	struct pool *p = pool_new();
	char *in = pool_strndup(p, (const char *)data, size); /* stops at a NUL, as MHD does */
	char *nl = strchr(in, '\n');
	const char *cookie = NULL;
	if (nl) {
		*nl = '\0';
		cookie = nl + 1;
	}
	struct req rq = { .pool = p, .method = HTTP_GET };
	char *q = strchr(in, '?');
	rq.path = q ? pool_strndup(p, in, (size_t)(q - in)) : in;
	if (rq.path[0] == '/') {
		for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
			rq.nparams = 0;
			if (route_match(&rq, table[i].pattern, rq.path))
				check_params(&rq, table[i].pattern);
		}
	}
	if (q && form_decode(p, q + 1, strlen(q + 1), HTTP_MAX_FIELDS, &rq.query) == FORM_OK)
		check_pairs(&rq.query, HTTP_MAX_FIELDS);
	if (rq.path[0] == '/') {
		rq.uri = in;
		const struct route *r = route_find(&rq, table, sizeof table / sizeof table[0]);
		if (r != route_find(&rq, table, sizeof table / sizeof table[0]))
			abort(); /* matched once, kept */
		if (r)
			check_params(&rq, r->pattern);
		const char *key = route_cache_key(&rq, r);
		if (!key || strncmp(key, rq.path, strlen(rq.path)))
			abort(); /* a key starts with the path */
	}
	cookie_decode(p, cookie, HTTP_MAX_FIELDS, &rq.cookies);
	check_pairs(&rq.cookies, HTTP_MAX_FIELDS);
	pool_free(p);
	return 0;
}
