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
#include "accept.h"
#include "body.h"
#include "deadline.h"
#include "sandbox.h"
#include "../store/store_health.h"
#include "secure.h"
#include "send.h"

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
#include <stdatomic.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/mman.h>

#define URI_MAX 8192
#define REQUEST_ID_MAX 64
#define HEADERS_MAX (16 * 1024)

/*
 * Generations of the site (SIGHUP): each request takes the current one
 * when it starts and keeps it to its end, so a reload never changes the
 * settings or theme under a page being built. A reload makes a new one
 * current; the old is retired by the main thread once no request holds
 * it. Taking one is an increment and a check that it is still current
 * (gen_take), so a request never holds a generation whose site is gone;
 * the structs themselves live until http_serve returns.
 */
struct gen {
	struct site *site;
	_Atomic long refs;
	int made;               /* by a reload: handed to app->retire */
	int retired;
	struct gen *next;       /* every generation (the main thread's list) */
};

static struct gen *_Atomic current;
static struct gen *gens;

static struct gen *gen_take(void)
{
	for (;;) {
		struct gen *g = atomic_load(&current);
		atomic_fetch_add(&g->refs, 1);
		if (g == atomic_load(&current))
			return g;
		atomic_fetch_sub(&g->refs, 1);
	}
}

const struct site *http_site_hold(const void **ref)
{
	*ref = NULL;
	if (!atomic_load(&current))
		return NULL;
	struct gen *g = gen_take();
	*ref = g;
	return g->site;
}

void http_site_release(const void *ref)
{
	if (ref)
		atomic_fetch_sub(&((struct gen *)ref)->refs, 1);
}

struct reqstate {
	struct pool *pool;
	struct gen *gen;     /* the site generation it is answered with */
	const char *uri;
	struct body body;    /* its limit is the route's (http_app.head) */
	int started;
	int has_body;        /* a body was announced and is being read */
	int answered;        /* refused at the head: the body is never read */
	struct req matched;  /* the head's route match, kept for the dispatch */
	long long start_ns;  /* its first byte (http_now_ns) */
	char id[REQUEST_ID_MAX + 1]; /* its X-Request-Id */
};

long long http_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A proxy's X-Request-Id is kept when it is 1 to 64 of [A-Za-z0-9._-]
 * (haproxy's unique-id, a UUID); anything else is replaced by ours, 16
 * hex digits from a per-thread generator seeded from getrandom: ids need
 * to be unique, not secret. */
static int request_id_sane(const char *v)
{
	size_t n = 0;
	for (; v[n]; n++)
		if (n >= REQUEST_ID_MAX ||
		    !(isalnum((unsigned char)v[n]) || v[n] == '-' || v[n] == '_' || v[n] == '.'))
			return 0;
	return n > 0;
}

static void request_id_make(struct reqstate *st, const char *given)
{
	static _Thread_local unsigned long long x;
	if (given && request_id_sane(given)) {
		memcpy(st->id, given, strlen(given) + 1);
		return;
	}
	while (!x && getrandom(&x, sizeof x, 0) != sizeof x)
		x = (unsigned long long)http_now_ns() ^ (unsigned long long)(uintptr_t)&x;
	x ^= x << 13; /* xorshift64 */
	x ^= x >> 7;
	x ^= x << 17;
	snprintf(st->id, sizeof st->id, "%016llx", x);
}

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
	/* the generation its connection's hooks (site.on_store: the comment
	 * thread builder) point at: set again when a request of another
	 * one comes, so they never point at a retired site while in use
	 * (generations are never freed while serving: no two share an
	 * address, as two sites might) */
	const struct gen *gen;
	long long data_version;
	int said;               /* its failure to connect was logged: its code */
	unsigned long long notes; /* cache_stale's generation it last saw */
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

/* Once an open has failed, a worker's store is opened again at most once
 * a second in the process, by one worker at a time (http_now_ns): the
 * other requests meanwhile get their 503 at once, with no connect. */
#define OPEN_RETRY_NS 1000000000LL
#define OPEN_TRYING_NS 60000000000LL
static _Atomic long long open_retry_at;

/* This worker's state, its connection opened on first use. A database
 * that cannot be reached leaves the worker without one (store NULL:
 * cached pages are still served, the rest is a 503), tried again at a
 * later request (open_retry_at). */
static struct worker *worker_get(const struct site *site)
{
	pthread_once(&worker_key_once, worker_key_make);
	struct worker *w = pthread_getspecific(worker_key);
	if (!w) {
		w = calloc(1, sizeof *w);
		if (!w)
			return NULL;
		w->data_version = -1;
		w->slot = next_slot++;
		pthread_setspecific(worker_key, w);
	}
	/* open_retry_at is 0 until an open fails: then every worker opens its
	 * own at once (the first requests of a healthy node, a SQLite reopen);
	 * after a failure, one worker a second tries */
	long long now = http_now_ns(), at = atomic_load(&open_retry_at);
	if (!w->store && (at == 0 || (now >= at && atomic_compare_exchange_strong(
							  &open_retry_at, &at, now + OPEN_TRYING_NS)))) {
		char err[256];
		int rc = site_request_store_open(site, &w->store, err, sizeof err);
		if (rc) {
			/* once until it connects, or the reason changes (a server
			 * down at start that came back refusing the password) */
			if (w->said != rc)
				log_error("database: %s", err);
			w->said = rc;
			w->store = NULL;
			atomic_store(&open_retry_at, http_now_ns() + OPEN_RETRY_NS);
			return w;
		}
		atomic_store(&open_retry_at, 0); /* the others open theirs at once */
		if (store_replica_set(w->store, site->cfg.db_read)) {
			/* pages' snapshots on the read replica, when there is one */
			store_close(w->store);
			w->store = NULL;
		} else {
			w->said = 0;
			w->gen = NULL; /* its hooks are attached below */
		}
	}
	return w;
}

/* This worker's state, reopened when its database became writable again. */
static struct worker *worker_fresh(const struct gen *g)
{
	const struct site *site = g->site;
	struct worker *w = worker_get(site);
	if (w && w->store && store_stale_readonly(w->store, site->db_path)) {
		pthread_setspecific(worker_key, NULL);
		worker_free(w);
		w = worker_get(site);
	}
	if (w && w->store && w->gen != g) {
		char err[256];
		if (site_secret_load(site, w->store, err, sizeof err)) { /* this request: a 503 */
			log_error("database: %s", err);
			store_close(w->store);
			w->store = NULL;
			return w;
		}
		if (w->gen && site->tpl && site->on_store) /* a new one was attached at open */
			site->on_store(site, w->store);
		w->gen = g;
	}
	if (w && w->store) { /* an earlier request's cancelled statement fails none of this one's */
		store_settle_cancel(w->store);
		store_heard(w->store, cache_heard(site->cache));
	}
	return w;
}

/* Applies changes other connections committed since this worker last
 * looked, before anything is served from the cache. A PostgreSQL node
 * whose listener is connected looks only when a notification came
 * (cache_stale): no round trip for a hit. */
static void worker_sync(const struct site *site, struct worker *w)
{
	long long v;
	if (!w->store || !cache_enabled(site->cache) || !cache_stale(site->cache, &w->notes) ||
	    store_data_version(w->store, &v) != STORE_OK)
		return;
	if (v != w->data_version) {
		w->data_version = v;
		cache_sync(site->cache, w->store);
	}
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct reqstate *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->pool = pool_new();
	rs->uri = pool_strdup(rs->pool, uri ? uri : "");
	rs->start_ns = http_now_ns();
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
	if (rs->gen)
		atomic_fetch_sub(&rs->gen->refs, 1);
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


/* Fills the request from MHD and decodes the query string. 0 ok, else a
 * 4xx was put in rs. */
static int req_init(struct req *rq, struct resp *rs, struct MHD_Connection *con,
		    struct reqstate *st, const char *method, const char *version)
{
	rq->pool = st->pool;
	rq->request_id = st->id;
	rq->start_ns = st->start_ns;
	rq->method = method_of(method);
	rq->uri = st->uri;
	const char *peer = client_ip(st->pool, con);
	const char *xff = http_header(con, "X-Forwarded-For");
	rq->client_ip = secure_client_ip(st->pool, rq->site, peer, xff);
	rq->forwarded = xff || http_header(con, "Forwarded") || http_header(con, "X-Real-IP");
	rq->client_key = secure_client_key(st->pool, rq->client_ip);
	rq->https = secure_https(rq->site, peer, http_header(con, "X-Forwarded-Proto"));
	rq->user_agent = http_header(con, MHD_HTTP_HEADER_USER_AGENT);
	rq->referer = http_header(con, MHD_HTTP_HEADER_REFERER);
	rq->range = http_header(con, MHD_HTTP_HEADER_RANGE);
	rq->if_range = http_header(con, MHD_HTTP_HEADER_IF_RANGE);
	rq->if_none_match = http_header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	rq->origin = http_header(con, "Origin");
	rq->host = http_header(con, MHD_HTTP_HEADER_HOST);
	rq->content_type = http_header(con, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->body = body_bytes(&st->body, &rq->body_len);
	if (!rq->body) { /* its temporary file failed: dispatch answers */
		rq->body = "";
		rq->body_len = 0;
	}
	const char *cookie = http_header(con, MHD_HTTP_HEADER_COOKIE);
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
	if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && !http_header(con, MHD_HTTP_HEADER_HOST)) {
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
	const char *cl = http_header(con, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (http_header(con, MHD_HTTP_HEADER_TRANSFER_ENCODING))
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

/* An answer queued (or refused): the application counts it, with the
 * time this call spent in the database since db0 (store_time_ns). */
static enum MHD_Result answered(struct req *rq, enum MHD_Result ret, long long db0)
{
	if (app->done && rq->status_sent)
		app->done(rq, http_now_ns() - rq->start_ns, store_time_ns() - db0);
	log_set_request(NULL);
	return ret;
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
	long long db0 = store_time_ns();
	struct worker *w = worker_fresh(st->gen);
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
	enum MHD_Result ret = send_resp(con, method, &rq, &rs);
	buf_release(&rs.body);
	return answered(&rq, ret, db0);
}

static void dispatch(struct req *rq, struct resp *rs, struct reqstate *st)
{
	if (method_refused(rq, rs))
		return;
	if (st->body.too_large) {
		too_large(rq, rs);
		return;
	}
	if ((!rq->store && !(app->storeless && app->storeless(rq))) || st->body.failed) {
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
		       !kv_get(&rq->cookies, HTTP_SESSION_COOKIE) && !rq->no_snapshot;
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
	struct reqstate *st = *con_cls;
	if (!st)
		return MHD_NO;
	if (!st->started) {
		st->started = 1;
		st->gen = gen_take();
		request_id_make(st, http_header(con, "X-Request-Id"));
		log_set_request(st->id);
		deadline_met(con);
		size_t announced = announced_body(con);
		const struct site *site = st->gen->site;
		st->body.limit = (size_t)site->cfg.body_limit;
		enum MHD_Result r =
			announced ? on_head(site, con, st, method, version, announced) : MHD_YES;
		log_set_request(NULL);
		return r;
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
	const struct site *site = st->gen->site;
	struct req rq = { 0 };
	struct resp rs = { 0 };
	enum MHD_Result ret;
	long long db0 = store_time_ns();
	log_set_request(st->id);
	buf_init(&rs.body, 0);
	rq.site = site;
	struct worker *w = worker_fresh(st->gen);
	rq.store = w ? w->store : NULL;
	/* a database that goes away from here on, in the session check or the
	 * cache's sync too, is a moment's outage: dispatch's 500 becomes a 503 */
	unsigned long long outages = store_outages();
	if (req_init(&rq, &rs, con, st, method, version) != 0) {
		ret = send_resp(con, method, &rq, &rs);
		buf_release(&rs.body);
		return answered(&rq, ret, db0);
	}
	match_carry(&rq, &st->matched);
	if (app->limit(&rq, &rs)) { /* before the cache: a cached search counts too */
		ret = send_resp(con, method, &rq, &rs);
		buf_release(&rs.body);
		return answered(&rq, ret, db0);
	}
	/* GET and HEAD, keyed by what the page reads ("?r=<random>" is no new
	 * page), unless the application says this asker's page is their own */
	const char *key = w && cache_enabled(site->cache) &&
					  (rq.method == HTTP_GET || rq.method == HTTP_HEAD)
				  ? app->cache_key(&rq)
				  : NULL;
	int cacheable = key != NULL;
	if (cacheable) /* what others changed leaves the cache before it answers */
		worker_sync(site, w);
	struct cache_hit hit;
	unsigned accept = cache_accept(http_header(con, MHD_HTTP_HEADER_ACCEPT_ENCODING));
	if (cacheable && cache_get(site->cache, key, accept, w->slot, &hit)) {
		buf_release(&rs.body);
		return answered(&rq, send_hit(con, method, &rq, &hit), db0);
	}
	/* a worker whose database is away answers from the cache only: the
	 * rest is dispatch's 503, never a page to keep */
	if (!rq.store)
		cacheable = 0;
	struct cache_deps deps;
	if (cacheable) {
		cache_deps_begin(site->cache, &deps, site->cache_epoch);
		store_set_recorder(rq.store, cache_deps_add, &deps);
	}
	dispatch(&rq, &rs, st);
	/* a database that went away is a moment's outage, not a fault: the
	 * connection is made again by the next statement */
	if (rs.status >= 500 && store_outages() != outages)
		unavailable(&rq, &rs, "The site cannot reach its database right now.");
	store_settle(site, rq.store);
	/* a page just built and kept leaves as a hit would (compressed once,
	 * by cache_put); a public 404 (a page past a list's end) is kept too:
	 * asking for it again costs a lookup, and it goes when its list changes */
	if (cacheable && send_keepable(&rs) &&
	    cache_put(site->cache, key, rs.status ? rs.status : 200, buf_str(&rs.body), rs.body.len,
		      rs.content_type ? rs.content_type : "text/html; charset=utf-8",
		      rs.cache_control, &deps, rs.cache_ttl, &rs.live, accept, w->slot, &hit)) {
		buf_release(&rs.body);
		return answered(&rq, send_hit(con, method, &rq, &hit), db0);
	}
	ret = send_resp(con, method, &rq, &rs);
	buf_release(&rs.body);
	return answered(&rq, ret, db0);
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

/* SIGHUP: the application's new generation made current, the old one
 * retired. */
static void reload(void)
{
	struct gen *old = atomic_load(&current), *g = calloc(1, sizeof *g);
	if (!g)
		return;
	g->site = app->reload ? app->reload(old->site) : NULL;
	if (!g->site) {
		free(g);
		return;
	}
	g->made = 1;
	g->next = gens;
	gens = g;
	atomic_store(&current, g);
	old->retired = 1;
	if (app->reloaded)
		app->reloaded(g->site);
}

/* Hands retired generations no request holds to the application: 1 when
 * some are still held. */
static int reap(void)
{
	int held = 0;
	for (struct gen *g = gens; g; g = g->next) {
		if (!g->retired || !g->made || !g->site)
			continue;
		if (atomic_load(&g->refs) == 0) {
			app->retire(g->site);
			g->site = NULL;
		} else
			held = 1;
	}
	return held;
}

/* Waits for SIGINT or SIGTERM, reloading on each SIGHUP; while a retired
 * generation is still held, looks again every 50 ms. */
static int wait_signals(const sigset_t *sigs)
{
	int sig = 0, held = 0;
	for (;;) {
		if (held) {
			struct timespec tick = { 0, 50 * 1000 * 1000 };
			sig = sigtimedwait(sigs, NULL, &tick);
		} else if (sigwait(sigs, &sig) != 0)
			sig = -1;
		if (sig == SIGINT || sig == SIGTERM)
			return sig;
		if (sig == SIGHUP) {
			log_info("SIGHUP: reloading gazette.conf and the theme, reopening the access log");
			reload();
		}
		held = reap();
	}
}

/* After the last request (and the application's stop): every generation
 * a reload made, freed. */
static void gens_free(void)
{
	atomic_store(&current, NULL);
	while (gens) {
		struct gen *g = gens;
		gens = g->next;
		if (g->made && g->site)
			app->retire(g->site);
		free(g);
	}
}

int http_serve(struct site *site, const struct http_app *application, const char *listen,
	       char *err, size_t errlen)
{
	app = application;
	struct gen *first = calloc(1, sizeof *first);
	if (!first) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	first->site = site;
	gens = first;
	atomic_store(&current, first);
	struct sockaddr_in sa;
	if (parse_listen(listen, &sa, err, errlen)) {
		gens_free();
		return -1;
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* workers inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	struct deadline *dl =
		deadline_new((unsigned)site->cfg.conn_timeout, (unsigned)site->cfg.body_min_rate);
	/* two malloc arenas instead of one per thread and core: the workers
	 * allocate and free per request, and more arenas only fragment */
	mallopt(M_ARENA_MAX, 2);
	cache_set_wire_free(site->cache, send_free_wire);
	char why[160];
	int lfd = accept_listen(&sa, why, sizeof why);
	if (lfd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", listen, why);
		deadline_free(dl);
		gens_free();
		return -1;
	}
	/* MHD gets no listening socket: gz-accept (accept.h) hands it each
	 * connection, spread over the pool */
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG |
			MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL,
		on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
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
		snprintf(err, errlen, "cannot start serving on %s", listen);
		close(lfd);
		deadline_free(dl);
		gens_free();
		return -1;
	}
	if (sandbox_enter(site, err, errlen)) { /* drop root, then seccomp */
		MHD_stop_daemon(d);
		close(lfd);
		deadline_free(dl);
		gens_free();
		return -1;
	}
	void *started = app->start ? app->start(site) : NULL;
	struct acceptor *acc = accept_start(lfd, d, err, errlen);
	if (!acc) {
		close(lfd);
		MHD_stop_daemon(d);
		deadline_free(dl);
		if (app->stop)
			app->stop(started);
		gens_free();
		return -1;
	}
	log_info("listening on http://%s:%u", inet_ntoa(sa.sin_addr), accept_port(lfd));
	int sig = wait_signals(&sigs);
	log_info("signal %d: finishing requests in flight and stopping", sig);
	accept_stop(acc);
	MHD_stop_daemon(d);
	deadline_free(dl);
	if (app->stop)
		app->stop(started);
	gens_free();
	return 0;
}
