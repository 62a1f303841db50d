/*
 * cache: the rendered-response cache (see cache.h).
 *
 * Layout: a chained hash map from key to entry, an LRU list through the
 * same entries, and `touched[]`: for each tag-hash bucket, the change-log
 * sequence that last touched it. An entry remembers the sequence its
 * request started at; it is fresh while no bucket of its tags, and not
 * the "site" bucket, moved past that.
 */
#include "cache.h"
#include "../store/store.h"
#include "../util/log.h"

#include <brotli/encode.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#define TAG_BUCKETS 65536u
#define MAP_BUCKETS 4096u
#define ENTRY_MAX (8u << 20)   /* bigger responses are not cached */

struct variant {
	char *data;   /* NULL once the bytes are in fd */
	int fd;       /* sealed memfd, -1 if none */
	void *wire[CACHE_WIRE_SLOTS];
	size_t len;
	size_t live_off, crc_off; /* the live field, and gzip's CRC (0: none) */
	char etag[32];
};

struct entry {
	struct entry *next_in_bucket;
	struct entry *lru_prev, *lru_next;
	char *key;
	unsigned key_hash;
	struct variant v[CACHE_ENC__MAX];  /* len 0 = variant absent */
	char *content_type, *cache_control;
	int status;                        /* 200, or 404 for a known absence */
	long long last_modified, fill_seq, expires; /* expires 0: never */
	unsigned long long epoch;     /* the cache's epoch when its build began */
	char last_modified_http[32];
	unsigned *deps;
	size_t ndeps, bytes;
	cache_live_fn live_fn;             /* NULL: no live field */
	long long live_key;
	int live_keep;
	size_t live_len, live_len_post;    /* the field; the bytes after it */
	unsigned live_crc_pre, live_crc_post; /* CRC-32 of the bytes around it */
	int refs;                          /* holders: the map (1) + served bodies */
	int in_map;
	struct cache *owner;
};

struct cache {
	pthread_mutex_t lock, sync_lock;
	size_t max_bytes, bytes;
	struct entry *map[MAP_BUCKETS];
	struct entry *lru_head, *lru_tail;  /* head = most recently used */
	_Atomic long long touched[TAG_BUCKETS];
	_Atomic long long applied_seq;
	unsigned site_hash;
	struct cache_stats stats;
	_Atomic unsigned long long invalidations;
	_Atomic unsigned long long epoch; /* cache_drop_all: older entries are stale */
	void (*free_wire)(void *wire);
	_Atomic int listening;            /* cache_listening */
	_Atomic long long announced;      /* the newest seq notified */
	_Atomic unsigned long long notes; /* notifications that asked for a look */
	_Atomic unsigned long long heard; /* every notification and (re)connection (cache_heard) */
};

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct cache *cache_new(size_t max_bytes)
{
	struct cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->sync_lock, NULL);
	c->max_bytes = max_bytes;
	c->site_hash = hash_str("site");
	c->applied_seq = -1; /* unknown until the first sync */
	return c;
}

static void entry_free(struct entry *e)
{
	for (int i = 0; i < CACHE_ENC__MAX; i++) {
		free(e->v[i].data);
		if (e->v[i].fd >= 0)
			close(e->v[i].fd);
		for (int k = 0; k < CACHE_WIRE_SLOTS; k++)
			if (e->v[i].wire[k] && e->owner && e->owner->free_wire)
				e->owner->free_wire(e->v[i].wire[k]);
	}
	free(e->key);
	free(e->content_type);
	free(e->cache_control);
	free(e->deps);
	free(e);
}

static void unref(struct entry *e)
{
	if (--e->refs == 0)
		entry_free(e);
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (struct entry *e = c->lru_head, *n; e; e = n) {
		n = e->lru_next;
		entry_free(e);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->sync_lock);
	free(c);
}

int cache_enabled(const struct cache *c)
{
	return c && c->max_bytes > 0;
}

/* ---- invalidation ---- */

static void mark(void *arg, long long seq, const char *tag)
{
	struct cache *c = arg;
	atomic_store(&c->touched[hash_str(tag) % TAG_BUCKETS], seq);
	atomic_fetch_add(&c->invalidations, 1);
}

static void mark_all(struct cache *c, long long seq)
{
	atomic_store(&c->touched[c->site_hash % TAG_BUCKETS], seq);
}

int cache_sync(struct cache *c, struct store *st)
{
	if (!cache_enabled(c))
		return 0;
	pthread_mutex_lock(&c->sync_lock);
	long long seq = atomic_load(&c->applied_seq), head = 0, tail = 0;
	int rc = 0;
	if (seq < 0 || store_changes_tail(st, &tail) || (tail > seq + 1 && seq >= 0)) {
		/* first sync, or changes were purged while we looked away */
		if (store_changes_head(st, &head) == STORE_OK) {
			mark_all(c, head > 0 ? head : 0);
			seq = head;
		} else
			rc = -1;
	}
	while (rc == 0) {
		int n = store_changes_since(st, &seq, 512, mark, c);
		if (n < 0)
			rc = -1;
		if (n < 512)
			break;
	}
	if (rc) {
		log_error("cache: reading the change log: %s", store_errmsg(st));
		mark_all(c, atomic_load(&c->applied_seq) + 1);
	} else
		atomic_store(&c->applied_seq, seq);
	pthread_mutex_unlock(&c->sync_lock);
	return rc;
}

void cache_announce(struct cache *c, long long seq)
{
	if (!c)
		return;
	atomic_fetch_add(&c->heard, 1);
	long long cur = atomic_load(&c->announced);
	while (seq > cur && !atomic_compare_exchange_weak(&c->announced, &cur, seq))
		;
	/* this node's own commits were applied by their writer already */
	if (seq <= 0 || seq > atomic_load(&c->applied_seq))
		atomic_fetch_add(&c->notes, 1);
}

void cache_listening(struct cache *c, int on)
{
	if (!c)
		return;
	/* a head kept from before a lost connection is not kept after it */
	atomic_fetch_add(&c->heard, 1);
	atomic_store(&c->listening, on);
}

unsigned long long cache_heard(struct cache *c)
{
	if (!c || !atomic_load(&c->listening))
		return 0;
	/* never 0 while connected: 0 says "not listening" */
	return atomic_load(&c->heard) | 1ULL << 63;
}

int cache_stale(struct cache *c, unsigned long long *gen)
{
	if (!c || !atomic_load(&c->listening))
		return 1;
	unsigned long long g = atomic_load(&c->notes);
	if (g == *gen)
		return 0;
	*gen = g;
	return 1;
}

void cache_deps_begin(struct cache *c, struct cache_deps *d, unsigned long long made_for)
{
	d->n = 0;
	d->overflow = 0;
	d->start_seq = c ? atomic_load(&c->applied_seq) : -1;
	d->epoch = made_for;
}

unsigned long long cache_drop_all(struct cache *c)
{
	return c ? atomic_fetch_add(&c->epoch, 1) + 1 : 0;
}

void cache_deps_add(void *arg, const char *tag)
{
	struct cache_deps *d = arg;
	unsigned h = hash_str(tag) % TAG_BUCKETS;
	for (size_t i = 0; i < d->n; i++)
		if (d->hash[i] == h)
			return;
	if (d->n == CACHE_MAX_DEPS)
		d->overflow = 1;
	else
		d->hash[d->n++] = h;
}

static int fresh(struct cache *c, const unsigned *deps, size_t n, long long since)
{
	if (since < 0 || atomic_load(&c->touched[c->site_hash % TAG_BUCKETS]) > since)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (atomic_load(&c->touched[deps[i]]) > since)
			return 0;
	return 1;
}

/* ---- map and LRU (c->lock held) ---- */

static void lru_unlink(struct cache *c, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push(struct cache *c, struct entry *e)
{
	e->lru_next = c->lru_head;
	e->lru_prev = NULL;
	if (c->lru_head)
		c->lru_head->lru_prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

static void map_remove(struct cache *c, struct entry *e)
{
	struct entry **pp = &c->map[e->key_hash % MAP_BUCKETS];
	while (*pp && *pp != e)
		pp = &(*pp)->next_in_bucket;
	if (*pp)
		*pp = e->next_in_bucket;
	lru_unlink(c, e);
	e->in_map = 0;
	c->bytes -= e->bytes;
	c->stats.entries--;
	unref(e);
}

static struct entry *map_find(struct cache *c, const char *key, unsigned h)
{
	for (struct entry *e = c->map[h % MAP_BUCKETS]; e; e = e->next_in_bucket)
		if (e->key_hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/* ---- lookups ---- */

void cache_set_wire_free(struct cache *c, void (*free_wire)(void *wire))
{
	if (c)
		c->free_wire = free_wire;
}

/* Fills hit with e's variant for a client accepting `accept` and takes a
 * reference; called under the lock. */
static void hit_take(struct cache *c, struct entry *e, unsigned accept, unsigned slot,
		     struct cache_hit *hit)
{
	enum cache_enc enc = CACHE_IDENTITY;
	if ((accept & (1u << CACHE_BROTLI)) && e->v[CACHE_BROTLI].len)
		enc = CACHE_BROTLI;
	else if ((accept & (1u << CACHE_GZIP)) && e->v[CACHE_GZIP].len)
		enc = CACHE_GZIP;
	hit->body = e->v[enc].data;
	hit->fd = e->v[enc].fd;
	hit->len = e->v[enc].len;
	hit->last_modified_http = e->last_modified_http;
	hit->etag = e->v[enc].etag;
	hit->enc = enc;
	hit->content_type = e->content_type;
	hit->cache_control = e->cache_control;
	hit->status = e->status;
	hit->last_modified = e->last_modified;
	hit->ref = e;
	hit->live_fn = e->live_fn;
	hit->live_key = e->live_key;
	hit->live_keep = e->live_keep;
	hit->live_len = e->live_len;
	hit->live_off = e->v[enc].live_off;
	hit->crc_off = e->v[enc].crc_off;
	hit->live_crc_pre = e->live_crc_pre;
	hit->live_crc_post = e->live_crc_post;
	hit->live_len_post = e->live_len_post;
	hit->wire = slot < CACHE_WIRE_SLOTS && c->free_wire ? &e->v[enc].wire[slot] : NULL;
	e->refs++;
	lru_unlink(c, e);
	lru_push(c, e);
}

int cache_get(struct cache *c, const char *key, unsigned accept, unsigned slot,
	      struct cache_hit *hit)
{
	if (!cache_enabled(c))
		return 0;
	unsigned h = hash_str(key);
	pthread_mutex_lock(&c->lock);
	struct entry *e = map_find(c, key, h);
	if (e && (!fresh(c, e->deps, e->ndeps, e->fill_seq) || e->epoch != atomic_load(&c->epoch) ||
		  (e->expires && (long long)time(NULL) >= e->expires))) {
		map_remove(c, e);
		e = NULL;
	}
	if (!e) {
		c->stats.misses++;
		pthread_mutex_unlock(&c->lock);
		return 0;
	}
	hit_take(c, e, accept, slot, hit);
	c->stats.hits++;
	pthread_mutex_unlock(&c->lock);
	return 1;
}

void cache_release(void *ref)
{
	struct cache *c = ((struct entry *)ref)->owner;
	pthread_mutex_lock(&c->lock);
	unref(ref);
	pthread_mutex_unlock(&c->lock);
}

/* ---- compression ---- */

int cache_gzip(const char *body, size_t len, char **out, size_t *outlen)
{
	z_stream z = { 0 };
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t cap = deflateBound(&z, (uLong)len);
	char *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static void put_le32(unsigned char *p, unsigned long v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* gzip of body whose live field [off, off + n) stands alone in a stored
 * deflate block: the text before it ends with a full flush (no later match
 * reaches back past it), so the field's bytes can be rewritten in the
 * compressed stream. Records where the field and the trailer's CRC are. */
static int gzip_live(const char *body, size_t len, size_t off, size_t n, struct entry *e,
		     char **out, size_t *outlen)
{
	static const unsigned char head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	z_stream z = { 0 };
	if (n > 65535 || deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t cap = sizeof head + deflateBound(&z, (uLong)len) + 64 + 5 + n + 8;
	unsigned char *buf = malloc(cap);
	int ok = buf != NULL;
	if (ok) {
		memcpy(buf, head, sizeof head);
		z.next_in = (Bytef *)body;
		z.avail_in = (uInt)off;
		z.next_out = buf + sizeof head;
		z.avail_out = (uInt)(cap - sizeof head - 5 - n - 8);
		ok = deflate(&z, Z_FULL_FLUSH) == Z_OK && z.avail_in == 0 && z.avail_out > 0;
	}
	size_t pos = ok ? sizeof head + z.total_out : 0;
	if (ok) { /* BFINAL 0, BTYPE 00, then LEN and its complement */
		buf[pos++] = 0;
		buf[pos++] = (unsigned char)(n & 0xff);
		buf[pos++] = (unsigned char)(n >> 8);
		buf[pos++] = (unsigned char)(~n & 0xff);
		buf[pos++] = (unsigned char)((~n >> 8) & 0xff);
		e->v[CACHE_GZIP].live_off = pos;
		memcpy(buf + pos, body + off, n);
		pos += n;
		size_t before = z.total_out;
		z.next_in = (Bytef *)(body + off + n);
		z.avail_in = (uInt)(len - off - n);
		z.next_out = buf + pos;
		z.avail_out = (uInt)(cap - pos - 8);
		ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
		pos += z.total_out - before;
	}
	deflateEnd(&z);
	if (!ok) {
		free(buf);
		return -1;
	}
	e->live_crc_pre = (unsigned)crc32(0, (const Bytef *)body, (uInt)off);
	e->live_crc_post = (unsigned)crc32(0, (const Bytef *)(body + off + n), (uInt)(len - off - n));
	e->live_len_post = len - off - n;
	e->v[CACHE_GZIP].crc_off = pos;
	put_le32(buf + pos, crc32(0, (const Bytef *)body, (uInt)len));
	put_le32(buf + pos + 4, (unsigned long)len);
	*out = (char *)buf;
	*outlen = pos + 8;
	return 0;
}

void cache_live_patch(const struct cache_hit *hit, char *bytes, const char *text)
{
	memcpy(bytes + hit->live_off, text, hit->live_len);
	if (!hit->crc_off)
		return;
	uLong crc = crc32(0, (const Bytef *)text, (uInt)hit->live_len);
	crc = crc32_combine(hit->live_crc_pre, crc, (z_off_t)hit->live_len);
	crc = crc32_combine(crc, hit->live_crc_post, (z_off_t)hit->live_len_post);
	put_le32((unsigned char *)bytes + hit->crc_off, crc);
}

static int brotli(const char *body, size_t len, char **out, size_t *outlen)
{
	size_t cap = BrotliEncoderMaxCompressedSize(len);
	char *buf = cap ? malloc(cap) : NULL;
	if (!buf)
		return -1;
	*outlen = cap;
	if (!BrotliEncoderCompress(6, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len,
				   (const uint8_t *)body, outlen, (uint8_t *)buf)) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* ETags need to change when the bytes do, not to resist an adversary: a
 * 64-bit multiply-xorshift over 8-byte words costs a tenth of BLAKE2b,
 * which mattered on pages built without the cache. Four lanes, so the
 * multiplies of one 32-byte block do not wait for each other. */
static unsigned long long mix(unsigned long long h, unsigned long long w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static unsigned long long hash64(const char *body, size_t len)
{
	unsigned long long l[4] = { 0x9e3779b97f4a7c15ULL ^ len, 0xc2b2ae3d27d4eb4fULL,
				    0x165667b19e3779f9ULL, 0x27d4eb2f165667c5ULL };
	unsigned long long w[4], h;
	size_t i = 0;
	for (; i + 32 <= len; i += 32) {
		memcpy(w, body + i, 32);
		l[0] = mix(l[0], w[0]);
		l[1] = mix(l[1], w[1]);
		l[2] = mix(l[2], w[2]);
		l[3] = mix(l[3], w[3]);
	}
	h = mix(mix(mix(l[0], l[1]), l[2]), l[3]);
	for (; i + 8 <= len; i += 8) {
		memcpy(w, body + i, 8);
		h = mix(h, w[0]);
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)body[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return h;
}

static void etag_text(unsigned long long h, char etag[24])
{
	static const char hex[] = "0123456789abcdef";
	etag[0] = '"';
	for (int k = 0; k < 16; k++)
		etag[1 + k] = hex[(h >> (60 - 4 * k)) & 15];
	etag[17] = '"';
	etag[18] = '\0';
}

void cache_etag(const char *body, size_t len, char etag[24])
{
	etag_text(hash64(body, len), etag);
}

static long live_offset(const char *body, size_t len, const struct cache_live *live);

/* The bytes before and after the field, hashed apart and mixed with the
 * field's length: no copy of the page (this runs on every uncached one). */
void cache_etag_live(const char *body, size_t len, const struct cache_live *live, char etag[24])
{
	long off = live && live->fn ? live_offset(body, len, live) : -1;
	if (off < 0) {
		cache_etag(body, len, etag);
		return;
	}
	size_t n = strlen(live->text), after = (size_t)off + n;
	etag_text(mix(mix(hash64(body, (size_t)off), n), hash64(body + after, len - after)), etag);
}

/* One coding of an Accept-Encoding list is acceptable unless its q is 0. */
static int q_nonzero(const char *params, const char *end)
{
	const char *q = params;
	while ((q = memchr(q, 'q', (size_t)(end - q))) && q + 1 < end && q[1] != '=')
		q++;
	if (!q || q + 1 >= end)
		return 1;
	return strtod(q + 2, NULL) > 0.0;
}

unsigned cache_accept(const char *ae)
{
	unsigned m = 1u << CACHE_IDENTITY;
	for (const char *p = ae; p && *p;) {
		p += strspn(p, " \t,");
		const char *end = strchrnul(p, ',');
		size_t n = strcspn(p, " \t;,");
		if (q_nonzero(p + n, end)) {
			if (n == 2 && strncasecmp(p, "br", 2) == 0)
				m |= 1u << CACHE_BROTLI;
			else if (n == 4 && strncasecmp(p, "gzip", 4) == 0)
				m |= 1u << CACHE_GZIP;
		}
		p = end;
	}
	return m;
}

/* ---- filling ---- */

/* Moves the bytes into a sealed memfd: the kernel can then send them with
 * sendfile, as nginx sends a static file, instead of copying per request. */
static void to_memfd(struct variant *v)
{
	int fd = memfd_create("gazette-page", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return;
	size_t off = 0;
	while (off < v->len) {
		ssize_t w = write(fd, v->data + off, v->len - off);
		if (w <= 0) {
			close(fd);
			return;
		}
		off += (size_t)w;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	v->fd = fd;
	free(v->data);
	v->data = NULL;
}

static void set_variant(struct variant *v, char *data, size_t len, const char *base_etag,
			const char *suffix)
{
	v->data = data;
	v->len = len;
	v->fd = -1;
	size_t b = strlen(base_etag);
	snprintf(v->etag, sizeof v->etag, "%.*s%s\"", (int)(b - 1), base_etag, suffix);
}

/* Where the live field's text stands in body: its offset, or -1 unless
 * it is there exactly once. */
static long live_offset(const char *body, size_t len, const struct cache_live *live)
{
	size_t n = strlen(live->text);
	const char *at = n ? memmem(body, len, live->text, n) : NULL;
	if (!at || memmem(at + 1, len - (size_t)(at + 1 - body), live->text, n))
		return -1;
	return (long)(at - body);
}

static struct entry *entry_build(const char *key, const char *body, size_t len,
				 const char *content_type, const char *cache_control,
				 const struct cache_deps *d, const struct cache_live *live)
{
	struct entry *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	for (int i = 0; i < CACHE_ENC__MAX; i++)
		e->v[i].fd = -1;
	char etag[24], *z = NULL, *br = NULL, *copy = malloc(len + 1);
	size_t zlen = 0, brlen = 0;
	if (copy) {
		memcpy(copy, body, len);
		copy[len] = '\0';
	}
	cache_etag_live(body, len, live, etag);
	set_variant(&e->v[CACHE_IDENTITY], copy, len, etag, "");
	long off = live && live->fn ? live_offset(body, len, live) : -1;
	if (off >= 0) {
		e->live_fn = live->fn;
		e->live_key = live->key;
		e->live_keep = live->keep;
		e->live_len = strlen(live->text);
		e->v[CACHE_IDENTITY].live_off = (size_t)off;
	}
	/* compressed variants only where they pay */
	if (len > 512 &&
	    (off >= 0 ? gzip_live(body, len, (size_t)off, e->live_len, e, &z, &zlen)
		      : cache_gzip(body, len, &z, &zlen)) == 0 && zlen < len)
		set_variant(&e->v[CACHE_GZIP], z, zlen, etag, "-gz");
	else
		free(z);
	if (off < 0 && len > 512 && brotli(body, len, &br, &brlen) == 0 && brlen < zlen)
		set_variant(&e->v[CACHE_BROTLI], br, brlen, etag, "-br");
	else
		free(br);
	e->key = strdup(key);
	e->content_type = strdup(content_type);
	e->cache_control = strdup(cache_control);
	e->deps = malloc((d->n + 1) * sizeof *e->deps);
	if (!copy || !e->key || !e->content_type || !e->cache_control || !e->deps) {
		entry_free(e);
		return NULL;
	}
	memcpy(e->deps, d->hash, d->n * sizeof *e->deps);
	e->ndeps = d->n;
	e->fill_seq = d->start_seq;
	e->last_modified = (long long)time(NULL);
	time_t lm = (time_t)e->last_modified;
	struct tm tm;
	gmtime_r(&lm, &tm);
	strftime(e->last_modified_http, sizeof e->last_modified_http, "%a, %d %b %Y %H:%M:%S GMT",
		 &tm);
	for (int i = 0; i < CACHE_ENC__MAX; i++)
		if (e->v[i].len)
			to_memfd(&e->v[i]);
	e->bytes = sizeof *e + strlen(key) + len + zlen + brlen + d->n * sizeof *e->deps;
	e->key_hash = hash_str(key);
	e->refs = 1;
	return e;
}

int cache_put(struct cache *c, const char *key, int status, const char *body, size_t len,
	      const char *content_type, const char *cache_control, const struct cache_deps *d,
	      int ttl, const struct cache_live *live, unsigned accept, unsigned slot,
	      struct cache_hit *hit)
{
	if (!cache_enabled(c) || (status != 200 && status != 404) || d->overflow || len > ENTRY_MAX || d->start_seq < 0 ||
	    d->epoch != atomic_load(&c->epoch) ||
	    !fresh(c, d->hash, d->n, d->start_seq))
		return 0;
	if (live && live->fn && live_offset(body, len, live) < 0)
		return 0; /* a field that cannot be kept fresh: not cached at all */
	struct entry *e = entry_build(key, body, len, content_type, cache_control, d, live);
	if (!e)
		return 0;
	e->owner = c;
	e->epoch = d->epoch;
	e->status = status;
	e->expires = ttl > 0 ? e->last_modified + ttl : 0;
	pthread_mutex_lock(&c->lock);
	struct entry *old = map_find(c, key, e->key_hash);
	if (old)
		map_remove(c, old);
	struct entry **b = &c->map[e->key_hash % MAP_BUCKETS];
	e->next_in_bucket = *b;
	*b = e;
	e->in_map = 1;
	lru_push(c, e);
	c->bytes += e->bytes;
	c->stats.entries++;
	c->stats.fills++;
	while (c->bytes > c->max_bytes && c->lru_tail && c->lru_tail != e) {
		map_remove(c, c->lru_tail);
		c->stats.evictions++;
	}
	if (hit)
		hit_take(c, e, accept, slot, hit);
	pthread_mutex_unlock(&c->lock);
	return 1;
}

void cache_stats(struct cache *c, struct cache_stats *out)
{
	if (!c) {
		memset(out, 0, sizeof *out);
		return;
	}
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	out->bytes = c->bytes;
	out->invalidations = atomic_load(&c->invalidations);
	pthread_mutex_unlock(&c->lock);
}
