/*
 * server: the libmicrohttpd glue. MHD runs an epoll thread pool (one thread
 * per core by default); each worker lazily opens its own database
 * connection, kept in thread-specific data and closed when the thread ends.
 *
 * MHD calls the access handler several times per request. The first call
 * sets up per-request state; for a request that announces a body it also
 * decides, from the head alone, whether the body is wanted at all (the
 * application's head check: the route's session, capability and Origin)
 * and how large it may be, and reserves its memory (body.h). A refusal
 * is answered right there, and MHD then closes the connection without
 * reading the body;
 * requests without a body are answered on the last call, which keeps
 * keep-alive connections open. Bodies arrive in the calls between, into
 * memory and past BODY_SPILL into a temporary file, on a clock of their
 * own (deadline.h). All request memory lives in one pool freed when MHD
 * reports the request complete.
 */
#include "http.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../util/log.h"
#include "../util/pool.h"
#include "../render/template.h"
#include "../cache/cache.h"
#include "body.h"
#include "deadline.h"
#include "sandbox.h"
#include "../store/store_health.h"
#include "secure.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <malloc.h>
#include <sys/mman.h>

#define URI_MAX 8192
#define HEADERS_MAX (16 * 1024)

struct reqstate {
	struct pool *pool;
	const char *uri;
	struct body body;    /* its limit is the route's (http_app.head) */
	int started;
	int has_body;        /* a body was announced and is being read */
	int answered;        /* refused at the head: the body is never read */
	struct req matched;  /* the head's route match, kept for the dispatch */
};

/* The route match lives in the request; a request whose head was decided
 * before its body keeps the one match for its dispatch (same pool). */
static void match_carry(struct req *to, const struct req *from)
{
	to->route = from->route;
	to->route_found = from->route_found;
	to->route_path_known = from->route_path_known;
	memcpy(to->params, from->params, sizeof to->params);
	to->nparams = from->nparams;
}

/* What each worker thread keeps: its connection and the data version it
 * last saw on it (a change means another connection committed). */
struct worker {
	struct store *store;
	long long data_version;
	unsigned slot;          /* this thread's wire slot in cache entries */
};

/* the application served (http_serve), one per process */
static const struct http_app *app;

void http_error(struct req *rq, struct resp *rs, int status, const char *title,
		const char *message)
{
	if (app && app->error) {
		app->error(rq, rs, status, title, message);
		return;
	}
	rs->status = status;
	rs->content_type = "text/plain; charset=utf-8";
	rs->cache_control = "private, no-store";
	buf_reset(&rs->body);
	buf_printf(&rs->body, "%s\n\n%s\n", title, message);
}
static _Atomic unsigned next_slot;

static pthread_key_t worker_key;
static pthread_once_t worker_key_once = PTHREAD_ONCE_INIT;

static void worker_free(void *w)
{
	store_close(((struct worker *)w)->store);
	free(w);
}

static void worker_key_make(void) { pthread_key_create(&worker_key, worker_free); }

/* This worker's state, its connection opened on first use. */
static struct worker *worker_get(const struct site *site)
{
	pthread_once(&worker_key_once, worker_key_make);
	struct worker *w = pthread_getspecific(worker_key);
	if (!w) {
		char err[256];
		w = calloc(1, sizeof *w);
		if (!w)
			return NULL;
		if (site_store_open(site, &w->store, err, sizeof err)) {
			log_error("database: %s", err);
			free(w);
			return NULL;
		}
		w->data_version = -1;
		w->slot = next_slot++;
		pthread_setspecific(worker_key, w);
	}
	return w;
}

/* This worker's state, reopened when its database became writable again. */
static struct worker *worker_fresh(const struct site *site)
{
	struct worker *w = worker_get(site);
	if (w && store_stale_readonly(w->store, site->db_path)) {
		pthread_setspecific(worker_key, NULL);
		worker_free(w);
		w = worker_get(site);
	}
	return w;
}

/* Applies changes other connections committed since this worker last
 * looked, before anything is served from the cache. */
static void worker_sync(const struct site *site, struct worker *w)
{
	long long v;
	if (!cache_enabled(site->cache) || store_data_version(w->store, &v) != STORE_OK)
		return;
	if (v != w->data_version) {
		w->data_version = v;
		cache_sync(site->cache, w->store);
	}
}

void resp_header(struct resp *rs, const char *name, const char *value)
{
	if (rs->nheaders < HTTP_MAX_HEADERS) {
		rs->headers[rs->nheaders].name = name;
		rs->headers[rs->nheaders].value = value;
		rs->nheaders++;
	}
}

void resp_redirect(struct resp *rs, int status, const char *location)
{
	rs->status = status;
	rs->location = location;
	buf_reset(&rs->body);
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct reqstate *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->pool = pool_new();
	rs->uri = pool_strdup(rs->pool, uri ? uri : "");
	body_init(&rs->body, ".", 0);
	return rs;
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct reqstate *rs = *con_cls;
	deadline_restart(con); /* the next request's headers are due in time */
	if (!rs)
		return;
	body_release(&rs->body);
	pool_free(rs->pool);
	free(rs);
	*con_cls = NULL;
}

static enum http_method method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	return HTTP_OTHER;
}

static const char *client_ip(struct pool *p, struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
				  sizeof ip);
	}
	return pool_strdup(p, ip);
}

static const char *header(struct MHD_Connection *con, const char *name)
{
	return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
				       const char *value)
{
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Bytes of all request headers, roughly as they came on the wire. */
static size_t headers_size(struct MHD_Connection *con)
{
	size_t n = 0;
	MHD_get_connection_values(con, MHD_HEADER_KIND, add_header_size, &n);
	return n;
}

/* A request target holds no control characters, spaces or DEL. */
static int target_ok(const char *uri)
{
	for (const unsigned char *p = (const unsigned char *)uri; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Security headers on every response (CSP forbids inline script; the
 * admin may not be framed; HSTS over HTTPS): see secure.h. */
static void add_security_headers(struct MHD_Response *r, const struct req *rq)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options",
				secure_is_admin(rq->path) ? "DENY" : "SAMEORIGIN");
	MHD_add_response_header(r, "Content-Security-Policy", secure_csp(rq->path));
	if (rq->https)
		MHD_add_response_header(r, "Strict-Transport-Security", SECURE_HSTS);
}

/* The current time as an HTTP date, formatted at most once a second per
 * thread (strftime and its time zone lock showed in profiles). */
static const char *http_now(void)
{
	static _Thread_local time_t last;
	static _Thread_local char text[40];
	time_t now = time(NULL);
	if (now != last) {
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		last = now;
	}
	return text;
}

/* 1 when the client's copy (If-None-Match, else If-Modified-Since) is
 * current. */
static int not_modified(struct MHD_Connection *con, const char *etag, long long last_modified)
{
	const char *inm = header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm) {
		if (strcmp(inm, "*") == 0)
			return 1;
		size_t n = strlen(etag);
		for (const char *p = strstr(inm, etag); p; p = strstr(p + 1, etag))
			if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
				return 1;
		return 0;
	}
	const char *ims = header(con, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
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

/* What a worker keeps in its wire slot of a cached variant: the response
 * it built, and for a page with a live field the time bucket whose text
 * the response carries. */
struct wire {
	struct MHD_Response *r;
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

static void free_wire(void *p)
{
	struct wire *w = p;
	MHD_destroy_response(w->r);
	free(w);
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
	const char *inm = header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	size_t n = strlen(etag) - 1; /* without its closing quote */
	if (!inm || keep <= 0)
		return 0;
	long long now = (long long)time(NULL);
	for (const char *p = strchr(inm, '"'); p; p = strchr(p + 1, '"')) {
		if (strncmp(p, etag, n) != 0 || p[n] != '-' || p[n + 1] != 't')
			continue;
		char *end;
		if (!isxdigit((unsigned char)p[n + 2])) /* no sign: strtoll would take one */
			continue;
		long long t = strtoll(p + n + 2, &end, 16);
		if (*end == '"' && t >= 0 && t <= now && now - t <= keep)
			return 1;
	}
	return 0;
}

/* Sends a cached response, or 304 when the client has it. */
struct mapping { void *at; size_t len; int mapped; };

static void unmap(void *cls)
{
	struct mapping *m = cls;
	if (m->mapped)
		munmap(m->at, m->len);
	else
		free(m->at);
	free(m);
}

/* A response for a cached variant. The page is mapped from its sealed
 * memfd, not sent from the descriptor: MHD then writes headers and body
 * with one sendmsg, in full segments, where a file response costs a send()
 * of the headers, pushed alone, and a sendfile. The mapping outlives the
 * cache entry if need be: it goes with the response. A page with a live
 * field is mapped privately and the field's text for `bucket` written
 * over it: the kernel copies only the memory pages written. */
static struct MHD_Response *hit_response(const struct req *rq, const struct cache_hit *hit,
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
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(hit->len, m->at, unmap, m);
	if (!r)
		unmap(m);
	return r;
}

/* This thread's own response for the hit's variant, built once (once per
 * time bucket for a live page): no header added per request, and no other
 * thread takes its lock. NULL when it cannot be built. */
static struct MHD_Response *wire_response(const struct req *rq, const struct cache_hit *hit,
					  long long bucket)
{
	struct wire *w = *hit->wire;
	if (w && w->bucket == bucket)
		return w->r;
	struct MHD_Response *r = hit_response(rq, hit, bucket);
	if (!r)
		return NULL;
	hit_headers(r, hit, rq, bucket);
	if (!w && !(w = malloc(sizeof *w))) {
		MHD_destroy_response(r);
		return NULL;
	}
	if (*hit->wire)
		MHD_destroy_response(w->r); /* freed when its last send ends */
	w->r = r;
	w->bucket = bucket;
	*hit->wire = w;
	return r;
}

static enum MHD_Result queue_hit(struct MHD_Connection *con, const char *method,
				 struct req *rq, struct cache_hit *hit)
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
		cache_release(hit->ref);
		log_access(rq->client_ip, method, rq->uri, status, hit->len, rq->referer,
			   rq->user_agent);
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
	log_access(rq->client_ip, method, rq->uri, status, status != 304 ? hit->len : 0,
		   rq->referer, rq->user_agent);
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
	} else if ((cache_accept(header(con, MHD_HTTP_HEADER_ACCEPT_ENCODING)) &
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
	return !rs->static_body && rs->file_fd <= 0 && rs->cache_control &&
	       strncmp(rs->cache_control, "public", 6) == 0;
}

static int is_public(const struct resp *rs)
{
	return (rs->status == 0 || rs->status == 200) && public_body(rs);
}

static enum MHD_Result queue(struct MHD_Connection *con, const char *method, struct req *rq,
			     struct resp *rs)
{
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
	MHD_add_response_header(r, "Content-Type",
				rs->content_type ? rs->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control",
				rs->cache_control ? rs->cache_control : "private, no-store");
	if (rs->location)
		MHD_add_response_header(r, "Location", rs->location);
	for (size_t i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->headers[i].name, rs->headers[i].value);
	add_security_headers(r, rq);
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)status, r);
	MHD_destroy_response(r);
	log_access(rq->client_ip, method, rq->uri, status, len, rq->referer, rq->user_agent);
	return ret;
}

/* Fills the request from MHD and decodes the query string. 0 ok, else a
 * 4xx was put in rs. */
static int req_init(struct req *rq, struct resp *rs, struct MHD_Connection *con,
		    struct reqstate *st, const char *method, const char *version)
{
	rq->pool = st->pool;
	rq->method = method_of(method);
	rq->uri = st->uri;
	const char *peer = client_ip(st->pool, con);
	rq->client_ip = secure_client_ip(st->pool, rq->site, peer, header(con, "X-Forwarded-For"));
	rq->client_key = secure_client_key(st->pool, rq->client_ip);
	rq->https = secure_https(rq->site, peer, header(con, "X-Forwarded-Proto"));
	rq->user_agent = header(con, MHD_HTTP_HEADER_USER_AGENT);
	rq->referer = header(con, MHD_HTTP_HEADER_REFERER);
	rq->range = header(con, MHD_HTTP_HEADER_RANGE);
	rq->if_range = header(con, MHD_HTTP_HEADER_IF_RANGE);
	rq->if_none_match = header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	rq->origin = header(con, "Origin");
	rq->host = header(con, MHD_HTTP_HEADER_HOST);
	rq->content_type = header(con, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->body = body_bytes(&st->body, &rq->body_len);
	if (!rq->body) { /* its temporary file failed: dispatch answers */
		rq->body = "";
		rq->body_len = 0;
	}
	const char *cookie = header(con, MHD_HTTP_HEADER_COOKIE);
	if (cookie)
		cookie_decode(st->pool, cookie, HTTP_MAX_FIELDS, &rq->cookies);
	const char *q = strchr(st->uri, '?');
	rq->path = q ? pool_strndup(st->pool, st->uri, (size_t)(q - st->uri)) : st->uri;
	if (strlen(st->uri) > URI_MAX) {
		http_error(rq, rs, 414, "Address too long", "The requested address is too long.");
		return -1;
	}
	if (headers_size(con) > HEADERS_MAX) {
		http_error(rq, rs, 431, "Request headers too large",
			   "The request's headers are larger than this site accepts.");
		return -1;
	}
	if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && !header(con, MHD_HTTP_HEADER_HOST)) {
		http_error(rq, rs, 400, "Bad request", "An HTTP/1.1 request needs a Host header.");
		return -1;
	}
	if (rq->path[0] != '/' || !target_ok(st->uri)) {
		http_error(rq, rs, 400, "Bad request", "The request could not be understood.");
		return -1;
	}
	if (q && form_decode(st->pool, q + 1, strlen(q + 1), HTTP_MAX_FIELDS, &rq->query)) {
		http_error(rq, rs, 400, "Bad request",
			   "The address held characters that are not valid text.");
		return -1;
	}
	return 0;
}

static void too_large(struct req *rq, struct resp *rs)
{
	http_error(rq, rs, 413, "Too large", "The request body is larger than this site accepts.");
}

/* 503 with Retry-After: why, then an invitation to try again. */
static void unavailable(struct req *rq, struct resp *rs, const char *why)
{
	http_error(rq, rs, 503, "Temporarily unavailable",
		   pool_printf(rq->pool, "%s Please try again shortly.", why));
	resp_header(rs, "Retry-After", "5");
}

/* After a request's database work: a handler that failed mid-transaction
 * is rolled back, and a worker that wrote applies its own changes to the
 * cache before answering, so the next request anywhere sees fresh pages. */
static void store_settle(const struct site *site, struct store *store)
{
	if (!store)
		return;
	store_set_recorder(store, NULL, NULL);
	store_rollback(store);
	if (store_take_touched(store))
		cache_sync(site->cache, store);
}

/* The length a request announced for its body: 0 for none, BODY_UNKNOWN
 * when chunked. */
static size_t announced_body(struct MHD_Connection *con)
{
	const char *cl = header(con, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (header(con, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return BODY_UNKNOWN;
	if (!cl)
		return 0;
	char *end;
	unsigned long long n = strtoull(cl, &end, 10); /* MHD checked it is a number */
	return *end || n >= BODY_UNKNOWN ? BODY_UNKNOWN : (size_t)n;
}

/* 1 with a 405 in rs for a method no route has. */
static int method_refused(struct req *rq, struct resp *rs)
{
	if (rq->method != HTTP_OTHER)
		return 0;
	resp_header(rs, "Allow", "GET, HEAD, POST");
	http_error(rq, rs, 405, "Method not allowed", "That method is not supported.");
	return 1;
}

#define BODY_LINGER (1u << 20) /* bytes over its limit a body may be read to be dropped */

/* The first call for a request that announced a body: decides from the
 * head whether to read it (see the top of this file). MHD_YES with
 * nothing queued reads it; a refusal is queued now. */
static enum MHD_Result on_head(const struct site *site, struct MHD_Connection *con,
			       struct reqstate *st, const char *method, const char *version,
			       size_t announced)
{
	struct req rq = { .site = site };
	struct resp rs = { 0 };
	size_t limit = (size_t)site->cfg.body_limit;
	struct worker *w = worker_fresh(site);
	buf_init(&rs.body, 0);
	rq.store = w ? w->store : NULL;
	int refused = req_init(&rq, &rs, con, st, method, version) != 0 || method_refused(&rq, &rs);
	if (!refused && !rq.store) {
		unavailable(&rq, &rs, "The site cannot reach its database right now.");
		refused = 1;
	}
	if (!refused) {
		refused = app->head(&rq, &rs, announced, &limit) != 0;
		match_carry(&st->matched, &rq);
	}
	store_settle(site, rq.store);
	if (!refused && announced != BODY_UNKNOWN && announced > limit) {
		/* a body not far over its limit is read and dropped, and the
		 * 413 sent after it: closing on unread bytes makes the kernel
		 * send a reset, which can destroy the answer before the client
		 * reads it (nginx's lingering close). Far over: answered now. */
		if (announced - limit > BODY_LINGER) {
			too_large(&rq, &rs);
			refused = 1;
		} else
			st->body.too_large = 1;
	}
	if (!refused && !st->body.too_large &&
	    body_reserve(&st->body, announced, (size_t)site->cfg.body_memory)) {
		log_info("http: %s: refused a body from %s, the bodies in flight hold %ld bytes",
			 rq.uri, rq.client_ip, site->cfg.body_memory);
		unavailable(&rq, &rs, "The site is receiving many uploads right now.");
		refused = 1;
	}
	if (!refused) {
		st->body.dir = site->dir;
		st->body.limit = limit;
		st->has_body = 1;
		deadline_body_start(con);
		buf_release(&rs.body);
		return MHD_YES;
	}
	st->answered = 1;
	enum MHD_Result ret = queue(con, method, &rq, &rs);
	buf_release(&rs.body);
	return ret;
}

static void dispatch(struct req *rq, struct resp *rs, struct reqstate *st)
{
	if (method_refused(rq, rs))
		return;
	if (st->body.too_large) {
		too_large(rq, rs);
		return;
	}
	if (!rq->store || st->body.failed) {
		unavailable(rq, rs, !rq->store ? "The site cannot reach its database right now."
					       : "The site could not store the request.");
		return;
	}
	if (body_spilled(&st->body))
		log_info("http: %s: a body of %zu bytes was read from a temporary file", rq->uri,
			 rq->body_len);
	http_handler h = app->match(rq, rs);
	if (!h)
		return;
	/* a reader's page reads in one snapshot; a signed-in editor's GETs
	 * may write (the session's last use), so they are left as they are */
	int snapshot = (rq->method == HTTP_GET || rq->method == HTTP_HEAD) &&
		       !kv_get(&rq->cookies, HTTP_SESSION_COOKIE);
	if (snapshot)
		(void)store_read_begin(rq->store);
	h(rq, rs);
	if (snapshot)
		store_read_end(rq->store);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	const struct site *site = cls;
	struct reqstate *st = *con_cls;
	if (!st)
		return MHD_NO;
	if (!st->started) {
		st->started = 1;
		deadline_met(con);
		size_t announced = announced_body(con);
		st->body.limit = (size_t)site->cfg.body_limit;
		return announced ? on_head(site, con, st, method, version, announced) : MHD_YES;
	}
	if (st->answered) { /* MHD reads no body after an early answer */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		body_add(&st->body, upload_data, *upload_data_size);
		deadline_body_got(con, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (st->has_body)
		deadline_body_done(con);
	struct req rq = { 0 };
	struct resp rs = { 0 };
	enum MHD_Result ret;
	buf_init(&rs.body, 0);
	rq.site = site;
	struct worker *w = worker_fresh(site);
	rq.store = w ? w->store : NULL;
	if (req_init(&rq, &rs, con, st, method, version) != 0) {
		ret = queue(con, method, &rq, &rs);
		buf_release(&rs.body);
		return ret;
	}
	match_carry(&rq, &st->matched);
	if (w)
		worker_sync(site, w);
	if (app->limit(&rq, &rs)) { /* before the cache: a cached search counts too */
		ret = queue(con, method, &rq, &rs);
		buf_release(&rs.body);
		return ret;
	}
	/* GET and HEAD, keyed by what the page reads ("?r=<random>" is no new
	 * page), unless the application says this asker's page is their own */
	const char *key = w && cache_enabled(site->cache) &&
					  (rq.method == HTTP_GET || rq.method == HTTP_HEAD)
				  ? app->cache_key(&rq)
				  : NULL;
	int cacheable = key != NULL;
	struct cache_hit hit;
	if (cacheable &&
	    cache_get(site->cache, key, cache_accept(header(con, MHD_HTTP_HEADER_ACCEPT_ENCODING)),
		      w->slot, &hit)) {
		buf_release(&rs.body);
		return queue_hit(con, method, &rq, &hit);
	}
	struct cache_deps deps;
	if (cacheable) {
		cache_deps_begin(site->cache, &deps);
		store_set_recorder(rq.store, cache_deps_add, &deps);
	}
	dispatch(&rq, &rs, st);
	store_settle(site, rq.store);
	/* a public 404 (a page past a list's end) is kept too: asking for it
	 * again costs a lookup, and it goes when its list changes */
	if (cacheable && (is_public(&rs) || (rs.status == 404 && public_body(&rs))) &&
	    !rs.body.err)
		cache_put(site->cache, key, rs.status ? rs.status : 200, buf_str(&rs.body), rs.body.len,
			  rs.content_type ? rs.content_type : "text/html; charset=utf-8",
			  rs.cache_control, &deps, rs.cache_ttl, &rs.live);
	ret = queue(con, method, &rq, &rs);
	buf_release(&rs.body);
	return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_info("http: %s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, char *err, size_t errlen)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host) {
		snprintf(err, errlen, "--listen wants ADDRESS:PORT, got \"%s\"", listen);
		return -1;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		snprintf(err, errlen, "--listen wants an IPv4 ADDRESS:PORT, got \"%s\"", listen);
		return -1;
	}
	sa->sin_port = htons((unsigned short)port);
	return 0;
}

int http_serve(struct site *site, const struct http_app *application, const char *listen,
	       char *err, size_t errlen)
{
	app = application;
	struct sockaddr_in sa;
	if (parse_listen(listen, &sa, err, errlen))
		return -1;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* workers inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	struct deadline *dl =
		deadline_new((unsigned)site->cfg.conn_timeout, (unsigned)site->cfg.body_min_rate);
	/* two malloc arenas instead of one per thread and core: the workers
	 * allocate and free per request, and more arenas only fragment */
	mallopt(M_ARENA_MAX, 2);
	cache_set_wire_free(site->cache, free_wire);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, site,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)site->cfg.threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)site->cfg.conn_timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)site->cfg.per_ip_connections,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		/* MHD zeroes this per request: room for 16 KB of headers, no more */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(24 * 1024),
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, deadline_notify, dl,
		MHD_OPTION_END);
	if (!d) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not allowed)", listen);
		deadline_free(dl);
		return -1;
	}
	if (sandbox_enter(site, err, errlen)) { /* drop root, then seccomp */
		MHD_stop_daemon(d);
		deadline_free(dl);
		return -1;
	}
	void *started = app->start ? app->start(site) : NULL;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	log_info("listening on http://%s:%u", inet_ntoa(sa.sin_addr),
		 di ? di->port : ntohs(sa.sin_port));
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: finishing requests in flight and stopping", sig);
	MHD_stop_daemon(d);
	deadline_free(dl);
	if (app->stop)
		app->stop(started);
	return 0;
}
