/*
 * cache: rendered public responses kept in memory, keyed by request
 * target, each with its gzip and brotli variants and an ETag, and the set
 * of dependency tags the store reported while the page was built.
 *
 * Invalidation is exact and lazy: every change the store logs ("story:12",
 * "list:home", ...) records, for its tag, the change-log sequence number
 * that touched it last. An entry built after change N is valid while none
 * of its tags was touched after N. Nothing is searched on invalidation;
 * lookups compare a few numbers. Tags are hashed into a fixed table, so a
 * collision can only drop a page too many, never keep a stale one.
 *
 * Thread-safe: one mutex guards the map and the LRU list; served bodies
 * are reference-counted so eviction never frees bytes still being sent.
 */
#ifndef GZ_CACHE_H
#define GZ_CACHE_H

#include <stddef.h>

struct cache;
struct store;

enum cache_enc { CACHE_IDENTITY, CACHE_GZIP, CACHE_BROTLI, CACHE_ENC__MAX };

/* Dependencies collected while one response is built. */
#define CACHE_MAX_DEPS 256
struct cache_deps {
	unsigned hash[CACHE_MAX_DEPS];
	size_t n;
	int overflow;          /* too many: the response is not cached */
	long long start_seq;   /* change-log position when the request began */
	unsigned long long epoch; /* the epoch its site generation was made for */
};

struct cache_stats {
	unsigned long long hits, misses, fills, evictions, invalidations, bytes, entries;
};

/* A cache of at most max_bytes (bodies and variants); 0 disables it. */
struct cache *cache_new(size_t max_bytes);
void cache_free(struct cache *c);
int cache_enabled(const struct cache *c);

/* Reads the change log past what this cache has applied and marks the
 * touched tags. Call when the connection's data version moved or after
 * this process wrote. 0 ok, -1 on a store error (the cache then drops
 * everything, to stay correct). */
int cache_sync(struct cache *c, struct store *st);

/* Notifications of other nodes' commits (PostgreSQL's LISTEN, see
 * store_listen.h) standing in for a look at the store before each hit:
 * cache_announce records that the change log reached seq (0: "look",
 * after a (re)connection, when what changed meanwhile is unknown);
 * cache_listening says whether the listener is connected. cache_stale
 * answers, for a caller that last saw generation *gen, whether the change
 * log must be read before serving: 1 (and *gen moved on) when a
 * notification came since or no listener is connected, else 0. */
void cache_announce(struct cache *c, long long seq);
void cache_listening(struct cache *c, int on);
int cache_stale(struct cache *c, unsigned long long *gen);
/* A count that moves with every notification (the page cache's own
 * included, which cache_stale skips when a sync went past it already)
 * and every connection or loss of the listener, while it is connected;
 * 0 while it is not: for store_heard. */
unsigned long long cache_heard(struct cache *c);

/* Makes every page kept stale, and every page built by a site generation
 * made before this call unkeepable (a reload of the settings or the
 * theme): returns the new epoch, which the new generation remembers
 * (site.cache_epoch; a new cache's is 0). */
unsigned long long cache_drop_all(struct cache *c);

/* Starts collecting dependencies for one request, answered by a site
 * generation made for epoch `made_for`: cache_put refuses the page once
 * the cache's epoch is past it, even when the request began after the
 * drop (a reload drops before its generation becomes current, so a
 * request may still take the old one then). */
void cache_deps_begin(struct cache *c, struct cache_deps *d, unsigned long long made_for);
/* Store recorder (see store_set_recorder): adds one tag. */
void cache_deps_add(void *deps, const char *tag);

/* A live field: bytes of a page that must be new for every reader who
 * gets it (the comment form's signed "shown at" stamp). The entry keeps
 * the page once, with the field as it was rendered; whoever sends a hit
 * asks fn for the field's text at that moment and writes it over the old
 * one (cache_live_patch). The text has a fixed length. In the gzip variant
 * the field sits alone in a stored deflate block, after a full flush, so
 * rewriting it costs a new CRC, not a new compression; an entry with a
 * live field has no brotli variant (a brotli stream cannot be patched so). */
typedef void (*cache_live_fn)(const void *ctx, long long key, long long ms, char *out,
			      size_t outlen);
struct cache_live {
	const char *text;    /* the field as the body holds it, exactly once */
	long long key;       /* passed back to fn (a story id) */
	cache_live_fn fn;    /* NULL: the page has no live field */
	int keep;            /* seconds a client's copy may be confirmed (304) */
};

/* A served entry: bytes stay valid until cache_release. Each variant
 * lives in a sealed memfd (fd), so the server can sendfile it without a
 * copy, as nginx sends a static file. Each variant also has one slot per
 * worker thread where the server keeps the response it built once for
 * that thread (a response shared by all threads was tried: its lock,
 * taken on every send, cost more than building headers per request). */
#define CACHE_WIRE_SLOTS 16
struct cache_hit {
	void **wire;               /* this thread's slot, or NULL: only it uses it */
	const char *body;          /* NULL when the variant lives only in fd */
	int fd;                    /* -1 when the variant lives only in body */
	const char *last_modified_http; /* "Sun, 29 Nov 2026 02:44:09 GMT" */
	size_t len;
	const char *etag;          /* quoted, of this encoding */
	const char *content_type, *cache_control;
	int status;                /* 200, or 404 */
	long long last_modified;   /* unix seconds */
	enum cache_enc enc;
	void *ref;                 /* pass to cache_release */
	/* a live field (see struct cache_live): fn NULL when none */
	cache_live_fn live_fn;
	long long live_key;
	int live_keep;
	size_t live_len;
	size_t live_off, crc_off;  /* where in this variant; crc_off 0: no CRC */
	unsigned live_crc_pre, live_crc_post;
	size_t live_len_post;
};

/* Writes text (hit->live_len bytes) over the live field of a copy of the
 * hit's bytes (len hit->len), and for gzip the CRC that goes with it. */
void cache_live_patch(const struct cache_hit *hit, char *bytes, const char *text);

/* Looks key up for a client accepting `accept` (bitmask of 1 << enc).
 * 1 and *hit filled (a reference taken) when fresh, 0 otherwise. */
int cache_get(struct cache *c, const char *key, unsigned accept, unsigned slot,
	      struct cache_hit *hit);
/* How the server frees what it kept in wire slots when an entry goes. */
void cache_set_wire_free(struct cache *c, void (*free_wire)(void *wire));
void cache_release(void *ref);

/* Stores a response built with deps d, of status 200 or 404 (a public
 * answer that something does not exist: a page past a list's end);
 * precomputes gzip and brotli variants and the ETags. Ignored (0) for
 * other statuses, when d overflowed or a dependency was touched since the
 * request began, and when live names a field the body does not hold
 * exactly once. live may be NULL. When kept (1) and hit is not NULL, hit
 * is filled as cache_get would for (accept, slot), so the page that was
 * just built leaves as a hit does: compressed once, here. */
int cache_put(struct cache *c, const char *key, int status, const char *body, size_t len,
	      const char *content_type, const char *cache_control, const struct cache_deps *d,
	      int ttl, const struct cache_live *live, unsigned accept, unsigned slot,
	      struct cache_hit *hit);

void cache_stats(struct cache *c, struct cache_stats *out);

/* Helpers shared with uncached responses. */
/* Bitmask of encodings from an Accept-Encoding header. */
unsigned cache_accept(const char *accept_encoding);
/* "\"<16 hex>\"" of the body's hash into etag (20 bytes). */
void cache_etag(const char *body, size_t len, char etag[24]);
/* The ETag of a page with a live field (live may be NULL or have no fn):
 * of its bytes with the field blanked, so the same page has the same
 * ETag whatever its field says. */
void cache_etag_live(const char *body, size_t len, const struct cache_live *live, char etag[24]);
/* gzip of body into *out (malloc'd); 0 ok. */
int cache_gzip(const char *body, size_t len, char **out, size_t *outlen);

#endif
