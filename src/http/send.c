/*
 * send: turning an answer into MHD's response. A handler's struct resp
 * (send_resp) or a cached page (send_hit) gets its headers here: the
 * security headers on every response, validators and 304 on public
 * pages, gzip on a public page built without the cache, and for a cached
 * page the worker's prebuilt response (see cache.h) or a mapping of its
 * memfd. Public pages leave the same way whether or not they were cached,
 * so a client cannot tell the difference.
 */
#include "send.h"
#include "secure.h"
#include "../cache/cache.h"
#include "../util/date.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* Security headers on every response (CSP forbids inline script; the
 * admin may not be framed; HSTS over HTTPS): see secure.h. */
static void add_security_headers(struct MHD_Response *r, const struct req *rq)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options",
				secure_is_admin(rq->path) ? "DENY" : "SAMEORIGIN");
	MHD_add_response_header(r, "Content-Security-Policy", secure_csp(rq->path));
	if (rq->request_id)
		MHD_add_response_header(r, "X-Request-Id", rq->request_id);
	if (rq->https)
		MHD_add_response_header(r, "Strict-Transport-Security", SECURE_HSTS);
}

/* An answer queued: its status kept for the server (metrics), and its
 * access log line. */
static void sent(struct req *rq, const char *method, int status, unsigned long long bytes)
{
	rq->status_sent = status;
	struct log_request l = { rq->client_ip, method, rq->uri, rq->referer, rq->user_agent,
				 rq->request_id, status, bytes,
				 (double)(http_now_ns() - rq->start_ns) / 1e9 };
	log_access(&l);
}

/* The current time as an HTTP date. */
static const char *http_now(void)
{
	static _Thread_local struct date_memo memo;
	return date_now(&memo, "%a, %d %b %Y %H:%M:%S GMT", 0);
}

/* 1 when the client's copy (If-None-Match, else If-Modified-Since) is
 * current. */
static int not_modified(struct MHD_Connection *con, const char *etag, long long last_modified)
{
	const char *inm = http_header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm) {
		if (strcmp(inm, "*") == 0)
			return 1;
		size_t n = strlen(etag);
		for (const char *p = strstr(inm, etag); p; p = strstr(p + 1, etag))
			if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
				return 1;
		return 0;
	}
	const char *ims = http_header(con, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	struct tm tm = { 0 };
	if (!ims || !last_modified || !strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		return 0;
	return (long long)timegm(&tm) >= last_modified;
}

static const char *const encoding_name[CACHE_ENC__MAX] = { NULL, "gzip", "br" };

/* Headers of a cacheable public response, from the cache or not. A page
 * with a live field (the comment form's stamp) differs on every send:
 * etag NULL, and no validators. */
static void add_validators(struct MHD_Response *r, const char *etag, const char *last_modified,
			   enum cache_enc enc)
{
	if (etag)
		MHD_add_response_header(r, "ETag", etag);
	if (etag && last_modified)
		MHD_add_response_header(r, "Last-Modified", last_modified);
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (encoding_name[enc])
		MHD_add_response_header(r, "Content-Encoding", encoding_name[enc]);
}

/* What a worker keeps in its wire slot of a cached variant: the page's
 * bytes mapped once (struct mapping), and for a page with a live field
 * the time bucket whose text the mapping carries. Each request gets its
 * own light response on the mapping, because its headers are its own
 * (X-Request-Id). */
struct mapping;
struct wire {
	struct mapping *m;
	long long bucket;
};

/* A live field's text is the end of the bucket in which it is sent: never
 * earlier than the moment the reader got the page, at most this late. */
#define LIVE_BUCKET_MS 100

static long long live_bucket(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) / LIVE_BUCKET_MS;
}

static void release_hit(void *ref)
{
	cache_release(ref);
}

/* A live page's ETag names its bytes (the field blanked) and the second
 * its field was written: "<etag>-t<hex seconds>", so that a client's
 * copy can be confirmed while its field is young enough. */
static const char *live_etag(const char *etag, long long secs, char *out, size_t len)
{
	snprintf(out, len, "%.*s-t%llx\"", (int)strlen(etag) - 1, etag, (unsigned long long)secs);
	return out;
}

static void hit_headers(struct MHD_Response *r, const struct cache_hit *hit,
			const struct req *rq, long long bucket)
{
	char etag[64];
	MHD_add_response_header(r, "Content-Type", hit->content_type);
	MHD_add_response_header(r, "Cache-Control", hit->cache_control);
	if (hit->live_fn) /* no Last-Modified: the time says nothing of the field;
			   * a 304 (bucket -1) keeps the client's own ETag */
		add_validators(r, hit->live_keep > 0 && bucket >= 0
					  ? live_etag(hit->etag, bucket * LIVE_BUCKET_MS / 1000, etag,
						      sizeof etag) : NULL,
			       NULL, hit->enc);
	else
		add_validators(r, hit->etag, hit->last_modified_http, hit->enc);
	add_security_headers(r, rq);
}

/* 1 when If-None-Match names this live page (etag) with a field written
 * less than keep seconds ago: the client's copy, form and all, serves. */
static int live_not_modified(struct MHD_Connection *con, const char *etag, int keep)
{
	const char *inm = http_header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	size_t n = strlen(etag) - 1; /* without its closing quote */
	if (!inm || keep <= 0)
		return 0;
	long long now = (long long)time(NULL);
	for (const char *p = strchr(inm, '"'); p; p = strchr(p + 1, '"')) {
		if (strncmp(p, etag, n) != 0 || p[n] != '-' || p[n + 1] != 't')
			continue;
		char *end;
		if (num_hex_digit(p[n + 2]) < 0) /* no sign: strtoll would take one */
			continue;
		long long t = strtoll(p + n + 2, &end, 16);
		if (*end == '"' && t >= 0 && t <= now && now - t <= keep)
			return 1;
	}
	return 0;
}

/* A cached page's bytes, mapped: shared by the responses on it (refs),
 * freed with the last. */
struct mapping { void *at; size_t len; int mapped; _Atomic int refs; };

static void unmap(void *cls)
{
	struct mapping *m = cls;
	if (--m->refs > 0)
		return;
	if (m->mapped)
		munmap(m->at, m->len);
	else
		free(m->at);
	free(m);
}

void send_free_wire(void *p)
{
	struct wire *w = p;
	unmap(w->m);
	free(w);
}

/* A cached variant's bytes (one reference held by the caller). The page
 * is mapped from its sealed memfd, not sent from the descriptor: MHD then
 * writes headers and body with one sendmsg, in full segments, where a
 * file response costs a send() of the headers, pushed alone, and a
 * sendfile. A page with a live field is mapped privately and the field's
 * text for `bucket` written over it: the kernel copies only the memory
 * pages written. */
static struct mapping *hit_mapping(const struct req *rq, const struct cache_hit *hit,
				   long long bucket)
{
	struct mapping *m = malloc(sizeof *m);
	char text[128];
	if (!m || hit->live_len >= sizeof text) {
		free(m);
		return NULL;
	}
	int live = hit->live_fn != NULL;
	m->len = hit->len ? hit->len : 1;
	m->mapped = hit->fd >= 0;
	m->refs = 1;
	if (m->mapped) {
		m->at = mmap(NULL, m->len, live ? PROT_READ | PROT_WRITE : PROT_READ,
			     live ? MAP_PRIVATE : MAP_SHARED, hit->fd, 0);
		if (m->at == MAP_FAILED)
			m->at = NULL;
	} else if ((m->at = malloc(m->len)))
		memcpy(m->at, hit->body, hit->len);
	if (!m->at) {
		free(m);
		return NULL;
	}
	if (live) {
		hit->live_fn(rq->site, hit->live_key, bucket * LIVE_BUCKET_MS + LIVE_BUCKET_MS - 1, text,
			     hit->live_len + 1);
		if (strlen(text) != hit->live_len) {
			unmap(m);
			return NULL;
		}
		cache_live_patch(hit, m->at, text);
	}
	return m;
}

/* A response on m's bytes (it takes a reference: the mapping outlives the
 * cache entry if need be). */
static struct MHD_Response *mapping_response(struct mapping *m, size_t len)
{
	m->refs++;
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(len, m->at, unmap, m);
	if (!r)
		unmap(m);
	return r;
}

static struct MHD_Response *hit_response(const struct req *rq, const struct cache_hit *hit,
					 long long bucket)
{
	struct mapping *m = hit_mapping(rq, hit, bucket);
	if (!m)
		return NULL;
	struct MHD_Response *r = mapping_response(m, hit->len);
	unmap(m);
	return r;
}

/* A response on this thread's mapping of the hit's variant, mapped once
 * (once per time bucket for a live page): no other thread takes its
 * lock. NULL when it cannot be made. */
static struct MHD_Response *wire_response(const struct req *rq, const struct cache_hit *hit,
					  long long bucket)
{
	struct wire *w = *hit->wire;
	if (!w || w->bucket != bucket) {
		struct mapping *m = hit_mapping(rq, hit, bucket);
		if (!m)
			return NULL;
		if (!w && !(w = malloc(sizeof *w))) {
			unmap(m);
			return NULL;
		}
		if (*hit->wire)
			unmap(w->m); /* freed when its last send ends */
		w->m = m;
		w->bucket = bucket;
		*hit->wire = w;
	}
	struct MHD_Response *r = mapping_response(w->m, hit->len);
	if (r)
		hit_headers(r, hit, rq, bucket);
	return r;
}

enum MHD_Result send_hit(struct MHD_Connection *con, const char *method, struct req *rq,
			 struct cache_hit *hit)
{
	int status = hit->status; /* 200, or a cached 404: never a 304 */
	struct MHD_Response *r = NULL;
	enum MHD_Result ret;
	long long bucket = hit->live_fn ? live_bucket() : -1;
	if (status == 200 && (hit->live_fn ? live_not_modified(con, hit->etag, hit->live_keep)
					   : not_modified(con, hit->etag, hit->last_modified)))
		status = 304;
	else if (hit->wire && (hit->fd >= 0 || hit->live_fn) && !rq->https &&
		 (r = wire_response(rq, hit, bucket))) {
		ret = MHD_queue_response(con, (unsigned)status, r);
		MHD_destroy_response(r);
		cache_release(hit->ref);
		sent(rq, method, status, hit->len);
		return ret;
	}
	if (status != 304 && hit->live_fn) {
		r = hit_response(rq, hit, bucket);
	} else if (status != 304 && hit->body) {
		r = MHD_create_response_from_buffer_with_free_callback_cls(
			hit->len, (void *)hit->body, release_hit, hit->ref);
		hit->ref = NULL; /* released with the response */
	} else if (status != 304) {
		/* a descriptor of our own: the entry may be evicted mid-send */
		int fd = dup(hit->fd);
		if (fd >= 0)
			r = MHD_create_response_from_fd_at_offset64(hit->len, fd, 0);
	}
	if (status == 304)
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (hit->ref)
		cache_release(hit->ref);
	if (!r)
		return MHD_NO;
	hit_headers(r, hit, rq, status == 304 ? -1 : bucket);
	ret = MHD_queue_response(con, (unsigned)status, r);
	MHD_destroy_response(r);
	sent(rq, method, status, status != 304 ? hit->len : 0);
	return ret;
}

/* A public 200 built now (cache off, or not cacheable): validators, 304
 * and gzip all the same, so clients cannot tell the difference. */
static struct MHD_Response *public_response(struct MHD_Connection *con, struct resp *rs,
					    int *status, size_t *len)
{
	char etag[24], tagged[64];
	const char *body = buf_str(&rs->body);
	cache_etag_live(body, rs->body.len, &rs->live, etag);
	enum cache_enc enc = CACHE_IDENTITY;
	struct MHD_Response *r;
	char *z = NULL;
	size_t zlen = 0;
	int live = rs->live.fn != NULL;
	if (live ? live_not_modified(con, etag, rs->live.keep) : not_modified(con, etag, 0)) {
		*status = 304;
		*len = 0;
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else if ((cache_accept(http_header(con, MHD_HTTP_HEADER_ACCEPT_ENCODING)) &
		    (1u << CACHE_GZIP)) && rs->body.len > 512 &&
		   cache_gzip(body, rs->body.len, &z, &zlen) == 0) {
		enc = CACHE_GZIP;
		char plain[24];
		memcpy(plain, etag, sizeof plain);
		snprintf(etag, sizeof etag, "%.17s-gz\"", plain);
		*len = zlen;
		r = MHD_create_response_from_buffer(zlen, z, MHD_RESPMEM_MUST_FREE);
	} else {
		char *b = buf_detach(&rs->body, len);
		r = MHD_create_response_from_buffer(*len, b, MHD_RESPMEM_MUST_FREE);
	}
	if (r && live) /* as a cache hit's (hit_headers) */
		add_validators(r, rs->live.keep > 0 && *status != 304
					  ? live_etag(etag, (long long)time(NULL), tagged, sizeof tagged)
					  : NULL, NULL, enc);
	else if (r)
		add_validators(r, etag, http_now(), enc);
	return r;
}

/* A body anyone may be given, and kept: never a file or a static buffer. */
static int public_body(const struct resp *rs)
{
	return !rs->static_body && rs->file_fd <= 0 && !rs->file_path && rs->cache_control &&
	       strncmp(rs->cache_control, "public", 6) == 0;
}

static int is_public(const struct resp *rs)
{
	return (rs->status == 0 || rs->status == 200) && public_body(rs);
}

int send_keepable(const struct resp *rs)
{
	return !rs->body.err && (is_public(rs) || (rs->status == 404 && public_body(rs)));
}

/* A Location as a header may carry it: a byte past ASCII (a UTF-8 slug),
 * a space or a control character percent-encoded (RFC 3986, upper-case
 * hex); NULL when out of memory. */
static const char *location_ascii(struct pool *p, const char *loc)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0, len = strlen(loc);
	for (const unsigned char *c = (const unsigned char *)loc; *c; c++)
		n += *c >= 0x80 || *c <= 0x20 || *c == 0x7f;
	if (!n)
		return loc;
	char *out = pool_alloc(p, len + 2 * n + 1), *o = out;
	for (const unsigned char *c = (const unsigned char *)loc; *c; c++) {
		if (*c >= 0x80 || *c <= 0x20 || *c == 0x7f) {
			*o++ = '%';
			*o++ = hex[*c >> 4];
			*o++ = hex[*c & 15];
		} else
			*o++ = (char)*c;
	}
	*o = '\0';
	return out;
}

/* The headers of a handler's answer, security headers included. */
static void add_headers(struct MHD_Response *r, const struct req *rq, const struct resp *rs)
{
	MHD_add_response_header(r, "Content-Type",
				rs->content_type ? rs->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control",
				rs->cache_control ? rs->cache_control : "private, no-store");
	if (rs->location)
		MHD_add_response_header(r, "Location", location_ascii(rq->pool, rs->location));
	for (size_t i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->headers[i].name, rs->headers[i].value);
	add_security_headers(r, rq);
}

/*
 * Ready files whose content never changes (http_file_ready): each server
 * thread keeps a small direct-mapped table by path, each entry the file
 * kept open, so a request for it costs a dup(2) and a response made on
 * that descriptor (MHD sends from it with sendfile at the connection's
 * own offset), not an open and an fstat. The response is each request's
 * own: its headers carry the request's id. Per thread, so no lock is
 * taken on the way; an entry is used only while the file's inode, mtime
 * and size (from the handler's lstat) are those it was opened with, else
 * it is opened again. READY_SLOTS descriptors per thread at most stay
 * open; a thread's table goes with it (ready_free).
 */
#define READY_SLOTS 64

struct ready {
	char *path;
	long long ino, mtime;
	size_t size;
	int fd; /* 0: the slot is empty */
};

static pthread_key_t ready_key;
static pthread_once_t ready_once = PTHREAD_ONCE_INIT;

static void ready_free(void *table)
{
	struct ready *t = table;
	for (size_t i = 0; i < READY_SLOTS; i++)
		if (t[i].fd > 0) {
			close(t[i].fd);
			free(t[i].path);
		}
	free(t);
}

static void ready_init(void)
{
	(void)pthread_key_create(&ready_key, ready_free);
}

/* This thread's slot for path, or NULL without memory for a table. */
static struct ready *ready_slot(const char *path)
{
	pthread_once(&ready_once, ready_init);
	struct ready *t = pthread_getspecific(ready_key);
	if (!t) {
		t = calloc(READY_SLOTS, sizeof *t);
		if (!t || pthread_setspecific(ready_key, t) != 0) {
			free(t);
			return NULL;
		}
	}
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		h = (h ^ *c) * 16777619u;
	return &t[h % READY_SLOTS];
}

static int ready_fits(const struct ready *e, const struct resp *rs)
{
	return e && e->fd > 0 && e->ino == rs->file_ino && e->mtime == rs->file_mtime &&
	       e->size == rs->file_len && strcmp(e->path, rs->file_path) == 0;
}

/* Queues a 200 on a descriptor of its own for the file fd. */
static enum MHD_Result ready_queue(struct MHD_Connection *con, const char *method,
				   struct req *rq, struct resp *rs, int fd)
{
	struct MHD_Response *r = MHD_create_response_from_fd64(rs->file_len, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	add_headers(r, rq, rs);
	enum MHD_Result ret = MHD_queue_response(con, 200, r);
	MHD_destroy_response(r);
	sent(rq, method, 200, rs->file_len);
	return ret;
}

static enum MHD_Result send_ready(struct MHD_Connection *con, const char *method,
				  struct req *rq, struct resp *rs)
{
	struct ready *e = ready_slot(rs->file_path);
	enum MHD_Result ret;
	int fd;
	if (ready_fits(e, rs) && (fd = dup(e->fd)) >= 0)
		return ready_queue(con, method, rq, rs, fd);
	struct stat sb;
	fd = open(rs->file_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) != 0 || (long long)sb.st_ino != rs->file_ino ||
	    (long long)sb.st_mtime != rs->file_mtime || (size_t)sb.st_size != rs->file_len) {
		if (fd >= 0) /* changed since the handler looked: it is not that file */
			close(fd);
		static const char gone[] = "There is no such file.\n";
		struct MHD_Response *r = MHD_create_response_from_buffer(
			sizeof gone - 1, (void *)gone, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
		MHD_add_response_header(r, "Cache-Control", "no-store");
		add_security_headers(r, rq);
		ret = MHD_queue_response(con, 404, r);
		MHD_destroy_response(r);
		sent(rq, method, 404, sizeof gone - 1);
		return ret;
	}
	char *path = e ? strdup(rs->file_path) : NULL;
	int kept = path ? dup(fd) : -1;
	if (kept > 0) { /* kept for this thread's next request for it */
		if (e->fd > 0)
			close(e->fd);
		free(e->path);
		*e = (struct ready){ path, rs->file_ino, rs->file_mtime, rs->file_len, kept };
	} else {
		if (kept == 0)
			close(kept);
		free(path);
	}
	return ready_queue(con, method, rq, rs, fd);
}

enum MHD_Result send_resp(struct MHD_Connection *con, const char *method, struct req *rq,
			  struct resp *rs)
{
	if (rs->file_path && (rs->status == 0 || rs->status == 200))
		return send_ready(con, method, rq, rs);
	struct MHD_Response *r;
	size_t len;
	int status = rs->status ? rs->status : 200;
	if (is_public(rs) && !rs->body.err) {
		r = public_response(con, rs, &status, &len);
	} else if (rs->file_fd > 0) {
		len = rs->file_len; /* MHD sends it with sendfile and closes it */
		r = MHD_create_response_from_fd_at_offset64(len, rs->file_fd,
							     (uint64_t)rs->file_off);
		rs->file_fd = 0;
	} else if (rs->static_body) {
		len = rs->static_len;
		r = MHD_create_response_from_buffer(len, (void *)rs->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else {
		if (rs->body.err) {
			log_error("%s: response body too large or out of memory", rq->uri);
			buf_reset(&rs->body);
			status = 500;
		}
		char *body = buf_detach(&rs->body, &len);
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	if (!r)
		return MHD_NO;
	add_headers(r, rq, rs);
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)status, r);
	MHD_destroy_response(r);
	sent(rq, method, status, len);
	return ret;
}
