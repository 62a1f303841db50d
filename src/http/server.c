/*
 * server: the libmicrohttpd glue. MHD runs an epoll thread pool (one thread
 * per core by default); each worker lazily opens its own database
 * connection, kept in thread-specific data and closed when the thread ends.
 *
 * MHD calls the access handler several times per request. The first call
 * only sets up per-request state (answering there would make MHD close
 * keep-alive connections); POST bodies arrive in later calls and are
 * gathered up to the configured limit; the answer is queued on the last
 * call. All request memory lives in one pool freed when MHD reports the
 * request complete.
 */
#include "http.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../util/log.h"
#include "../util/pool.h"
#include "../render/template.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define URI_MAX 8192
#define HEADERS_MAX (16 * 1024)

struct reqstate {
	struct pool *pool;
	const char *uri;
	struct buf body;
	int started, too_large;
};

static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;

static void store_key_free(void *st) { store_close(st); }
static void store_key_make(void) { pthread_key_create(&store_key, store_key_free); }

/* This worker's connection, opened on first use. */
static struct store *worker_store(const struct site *site)
{
	pthread_once(&store_key_once, store_key_make);
	struct store *st = pthread_getspecific(store_key);
	if (!st) {
		char err[256];
		if (site_store_open(site, &st, err, sizeof err)) {
			log_error("database: %s", err);
			return NULL;
		}
		pthread_setspecific(store_key, st);
	}
	return st;
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
	buf_init(&rs->body, 0);
	return rs;
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct reqstate *rs = *con_cls;
	if (!rs)
		return;
	buf_release(&rs->body);
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

/* Security headers on every response (CSP forbids inline script). */
static void add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data: https:; "
				"style-src 'self'; script-src 'self'; object-src 'none'; "
				"base-uri 'self'; form-action 'self'; frame-ancestors 'self'");
}

static enum MHD_Result queue(struct MHD_Connection *con, const char *method, struct req *rq,
			     struct resp *rs)
{
	struct MHD_Response *r;
	size_t len;
	if (rs->static_body) {
		len = rs->static_len;
		r = MHD_create_response_from_buffer(len, (void *)rs->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else {
		if (rs->body.err) {
			log_error("%s: response body too large or out of memory", rq->uri);
			buf_reset(&rs->body);
			rs->status = 500;
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
	add_security_headers(r);
	int status = rs->status ? rs->status : 200;
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
	rq->client_ip = client_ip(st->pool, con);
	rq->user_agent = header(con, MHD_HTTP_HEADER_USER_AGENT);
	rq->referer = header(con, MHD_HTTP_HEADER_REFERER);
	rq->content_type = header(con, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->body = buf_str(&st->body);
	rq->body_len = st->body.len;
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

static void dispatch(struct req *rq, struct resp *rs, struct reqstate *st)
{
	if (rq->method == HTTP_OTHER) {
		resp_header(rs, "Allow", "GET, HEAD, POST");
		http_error(rq, rs, 405, "Method not allowed", "That method is not supported.");
		return;
	}
	if (st->too_large) {
		http_error(rq, rs, 413, "Too large", "The request body is larger than this site accepts.");
		return;
	}
	if (!rq->store) {
		http_error(rq, rs, 503, "Temporarily unavailable",
			   "The site cannot reach its database right now. Please try again shortly.");
		resp_header(rs, "Retry-After", "5");
		return;
	}
	http_handler h = router_match(rq, rs);
	if (h)
		h(rq, rs);
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
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!st->too_large && st->body.len + *upload_data_size <= (size_t)site->cfg.body_limit)
			buf_add(&st->body, upload_data, *upload_data_size);
		else
			st->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	struct req rq = { 0 };
	struct resp rs = { 0 };
	buf_init(&rs.body, 0);
	rq.site = site;
	rq.store = worker_store(site);
	if (req_init(&rq, &rs, con, st, method, version) == 0)
		dispatch(&rq, &rs, st);
	if (rq.store)
		store_rollback(rq.store); /* a handler that failed mid-transaction */
	enum MHD_Result ret = queue(con, method, &rq, &rs);
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

int http_serve(struct site *site, const char *listen, char *err, size_t errlen)
{
	struct sockaddr_in sa;
	if (parse_listen(listen, &sa, err, errlen))
		return -1;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* workers inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, site,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)site->cfg.threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)site->cfg.conn_timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)site->cfg.per_ip_connections,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_END);
	if (!d) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not allowed)", listen);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	log_info("listening on http://%s:%u", inet_ntoa(sa.sin_addr),
		 di ? di->port : ntohs(sa.sin_port));
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: finishing requests in flight and stopping", sig);
	MHD_stop_daemon(d);
	return 0;
}
