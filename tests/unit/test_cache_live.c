/*
 * test_cache_live: a cached page's live field (the comment form's stamp)
 * is rewritten as the page is sent, in the plain and the gzip variant:
 * the patched bytes decode (CRC and length checked by zlib) to the page
 * with the new text; a field the body does not hold exactly once keeps
 * the page out of the cache; a live page has no brotli variant. And the
 * reload race: a page built by the site generation before a drop is not
 * kept, even when its build began after the drop.
 */
#include "t.h"
#include "../../src/cache/cache.h"
#include "../../src/store/store.h"

#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define FIELD_LEN 30

static void field(const void *ctx, long long key, long long ms, char *out, size_t outlen)
{
	snprintf(out, outlen, "%013lld.%016llx", ms, (unsigned long long)key * 7919);
}

/* A page of some size, repetitive enough to compress, with the field. */
static char *page(const char *text, int twice, size_t *len)
{
	struct buf_like { char *p; size_t n; } b = { malloc(200000), 0 };
	for (int i = 0; i < 400; i++)
		b.n += (size_t)snprintf(b.p + b.n, 200000 - b.n,
					"<p class=\"comment\">Comment %d: the talks went on late.</p>\n", i);
	b.n += (size_t)snprintf(b.p + b.n, 200000 - b.n, "<input name=\"gz_ts\" value=\"%s\">", text);
	for (int i = 0; i < 40; i++)
		b.n += (size_t)snprintf(b.p + b.n, 200000 - b.n, "<footer>%d</footer>\n", i);
	if (twice)
		b.n += (size_t)snprintf(b.p + b.n, 200000 - b.n, "%s", text);
	*len = b.n;
	return b.p;
}

static char *read_variant(const struct cache_hit *hit)
{
	char *bytes = malloc(hit->len);
	if (hit->fd >= 0)
		CHECK(pread(hit->fd, bytes, hit->len, 0) == (ssize_t)hit->len);
	else
		memcpy(bytes, hit->body, hit->len);
	return bytes;
}

static char *gunzip(const char *in, size_t len, size_t *outlen)
{
	z_stream z = { 0 };
	char *out = malloc(400000);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return NULL;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = 400000;
	int rc = inflate(&z, Z_FINISH);
	*outlen = z.total_out;
	inflateEnd(&z);
	if (rc != Z_STREAM_END) { /* includes a wrong CRC or length */
		free(out);
		return NULL;
	}
	return out;
}

static struct cache *fresh_cache(struct store **st, char *dir)
{
	char path[96], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	CHECK(store_open(st, path, err, sizeof err) == 0);
	struct cache *c = cache_new(16 << 20);
	CHECK(cache_sync(c, *st) == 0);
	return c;
}

static void close_cache(struct cache *c, struct store *st, const char *dir)
{
	char cmd[64];
	cache_free(c);
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

static void live_field_patched_in_every_variant(void)
{
	char dir[] = "/tmp/gz-live-XXXXXX";
	struct store *st;
	struct cache *c = fresh_cache(&st, dir);
	char old_text[FIELD_LEN + 1], new_text[FIELD_LEN + 1];
	field(NULL, 12, 1796537442299LL, old_text, sizeof old_text);
	field(NULL, 12, 1796537449999LL, new_text, sizeof new_text);
	CHECK(strlen(old_text) == FIELD_LEN);
	size_t len, want_len;
	char *body = page(old_text, 0, &len), *want = page(new_text, 0, &want_len);
	struct cache_deps d;
	cache_deps_begin(c, &d, 0);
	struct cache_live live = { old_text, 12, field, 0 };
	cache_put(c, "/story", 200, body, len, "text/html", "public", &d, 0, &live, 0, 0, NULL);

	struct cache_hit hit;
	/* plain */
	CHECK(cache_get(c, "/story", 1u << CACHE_IDENTITY, 99, &hit) == 1);
	CHECK(hit.live_fn == field && hit.live_key == 12 && hit.live_len == FIELD_LEN);
	char *bytes = read_variant(&hit);
	cache_live_patch(&hit, bytes, new_text);
	CHECK(hit.len == want_len && memcmp(bytes, want, want_len) == 0);
	free(bytes);
	cache_release(hit.ref);
	/* gzip, and a client that also takes brotli gets gzip */
	for (unsigned accept = 1u << CACHE_GZIP; accept; accept = accept == (1u << CACHE_GZIP)
		     ? (1u << CACHE_GZIP) | (1u << CACHE_BROTLI) : 0) {
		CHECK(cache_get(c, "/story", accept | 1u, 99, &hit) == 1);
		CHECK(hit.enc == CACHE_GZIP);
		CHECK(hit.len < len / 4);
		bytes = read_variant(&hit);
		size_t n;
		char *plain = gunzip(bytes, hit.len, &n); /* before: the old text */
		CHECK(plain && n == len && memcmp(plain, body, len) == 0);
		free(plain);
		cache_live_patch(&hit, bytes, new_text);
		plain = gunzip(bytes, hit.len, &n);
		CHECK(plain && n == want_len && memcmp(plain, want, want_len) == 0);
		free(plain);
		free(bytes);
		cache_release(hit.ref);
	}
	free(body);
	free(want);
	close_cache(c, st, dir);
}

static void field_twice_or_missing_is_not_cached(void)
{
	char dir[] = "/tmp/gz-live-XXXXXX";
	struct store *st;
	struct cache *c = fresh_cache(&st, dir);
	char text[FIELD_LEN + 1];
	field(NULL, 3, 1796537442299LL, text, sizeof text);
	size_t len;
	char *body = page(text, 1, &len);
	struct cache_deps d;
	struct cache_hit hit;
	cache_deps_begin(c, &d, 0);
	struct cache_live live = { text, 3, field, 0 };
	cache_put(c, "/twice", 200, body, len, "text/html", "public", &d, 0, &live, 0, 0, NULL);
	CHECK(cache_get(c, "/twice", 7u, 0, &hit) == 0);
	struct cache_live missing = { "0000000000000.nowhere-in-body", 3, field, 0 };
	cache_put(c, "/missing", 200, body, len, "text/html", "public", &d, 0, &missing, 0, 0, NULL);
	CHECK(cache_get(c, "/missing", 7u, 0, &hit) == 0);
	/* without a live field the same page is cached, brotli and all */
	cache_put(c, "/plain", 200, body, len, "text/html", "public", &d, 0, NULL, 0, 0, NULL);
	CHECK(cache_get(c, "/plain", 7u, 0, &hit) == 1);
	CHECK(hit.enc == CACHE_BROTLI && hit.live_fn == NULL);
	cache_release(hit.ref);
	free(body);
	close_cache(c, st, dir);
}

/* A SIGHUP drops the cache (a new epoch) before the new generation is
 * current: a request that still took the old one, and began after the
 * drop, must not keep its old-theme page; the new generation's pages are
 * kept, and a page kept before the drop is stale. */
static void old_generation_after_a_drop_is_not_kept(void)
{
	char dir[] = "/tmp/gz-live-XXXXXX";
	struct store *st;
	struct cache *c = fresh_cache(&st, dir);
	struct cache_deps d;
	struct cache_hit hit;
	unsigned long long first = 0;
	cache_deps_begin(c, &d, first);
	CHECK(cache_put(c, "/kept", 200, "old", 3, "text/html", "public", &d, 0, NULL, 0, 0, NULL) == 1);
	unsigned long long second = cache_drop_all(c);
	CHECK(second == first + 1);
	CHECK(cache_get(c, "/kept", 1u, 0, &hit) == 0);
	cache_deps_begin(c, &d, first); /* after the drop, on the old generation */
	CHECK(cache_put(c, "/", 200, "old theme", 9, "text/html", "public", &d, 0, NULL, 0, 0, NULL) == 0);
	CHECK(cache_get(c, "/", 1u, 0, &hit) == 0);
	cache_deps_begin(c, &d, second);
	CHECK(cache_put(c, "/", 200, "new theme", 9, "text/html", "public", &d, 0, NULL, 0, 0, NULL) == 1);
	CHECK(cache_get(c, "/", 1u, 0, &hit) == 1 && hit.len == 9);
	cache_release(hit.ref);
	close_cache(c, st, dir);
}

int main(void)
{
	RUN(old_generation_after_a_drop_is_not_kept);
	RUN(live_field_patched_in_every_variant);
	RUN(field_twice_or_missing_is_not_cached);
	return T_DONE();
}
