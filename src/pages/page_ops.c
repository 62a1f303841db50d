/*
 * page_ops: what operators and their tools ask of a running site
 * (pages.h): /metrics for Prometheus, /healthz and /readyz for a load
 * balancer or systemd. None is cached or read in a snapshot (the route
 * table's ROUTE_OPS), so each answer is the state of the moment.
 */
#include "pages.h"
#include "../cache/cache.h"
#include "../comments/comment_queue.h"
#include "../http/body.h"
#include "../site/site.h"
#include "../stats/metrics.h"
#include "../store/store_health.h"
#include "../util/alog.h"
#include "../util/ipnet.h"
#include "../util/log.h"
#include "../util/version.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/statvfs.h>

/* /readyz fails when the site folder's file system has less than this
 * free for the server's user: SQLite, uploads and bodies past 64 KB need
 * room, and a full disk fails writes half-way. */
#define READY_DISK_MIN (64LL << 20)

static void text(struct resp *rs, int status, const char *body)
{
	rs->status = status;
	rs->content_type = "text/plain; charset=utf-8";
	rs->cache_control = "no-store";
	buf_puts(&rs->body, body);
}

void page_metrics(struct req *rq, struct resp *rs)
{
	/* a reverse proxy on this host would make every reader loopback: a
	 * request it forwarded is never a scraper's */
	if (rq->forwarded || !ipnet_match(rq->site->cfg.metrics_allow, rq->client_ip)) {
		page_not_found(rq, rs, "Sorry, there is no page at this address.");
		return;
	}
	struct cache_stats cs;
	cache_stats(rq->site->cache, &cs);
	struct metrics_gauges g = {
		.cache_hits = cs.hits, .cache_misses = cs.misses, .cache_evictions = cs.evictions,
		.cache_fills = cs.fills, .cache_bytes = cs.bytes, .cache_entries = cs.entries,
		.cache_invalidations = cs.invalidations, .comment_queue = comment_queue_depth(),
		.body_bytes = body_reserved(),
		.access_log_dropped = alog_dropped(),
		.version = gazette_version(),
	};
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
	rs->cache_control = "no-store";
	metrics_render(&rs->body, &g);
}

void page_healthz(struct req *rq, struct resp *rs)
{
	text(rs, 200, "ok\n");
}

/* What /readyz can answer: ready, or the first check that failed. */
enum ready { READY, READY_DB, READY_WRITE, READY_SCHEMA, READY_STATVFS, READY_DISK };
static const char *const ready_why[] = {
	[READY] = NULL,
	[READY_DB] = "database: cannot be reached",
	[READY_WRITE] = "database: not writable",
	[READY_SCHEMA] = "migrations: the database schema is not this binary's",
	[READY_STATVFS] = "disk: cannot read the site folder's file system",
	[READY_DISK] = "disk: less than 64 MB free for the site folder",
};

static enum ready ready_check(struct req *rq)
{
	metrics_count(METRIC_READY_CHECKS);
	switch (store_ready(rq->store, rq->site->db_path)) {
	case STORE_READY_WRITE: return READY_WRITE;
	case STORE_READY_SCHEMA: return READY_SCHEMA;
	case STORE_READY_OK: break;
	}
	struct statvfs sv;
	if (statvfs(rq->site->dir, &sv) != 0)
		return READY_STATVFS;
	if ((long long)sv.f_bavail * (long long)sv.f_frsize < READY_DISK_MIN)
		return READY_DISK;
	return READY;
}

/* The check takes the write lock, so its answer is kept READY_KEEP_NS: a
 * flood of /readyz runs one check a second, never contending with the
 * newsroom's writes. One request checks at a time; the others meanwhile
 * get the last answer (only the very first waits for it). */
#define READY_KEEP_NS 1000000000LL
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic long long ready_at = -1; /* http_now_ns of the last check; -1: none yet */
static _Atomic int ready_last;

/* The first check that fails, or NULL. */
static const char *not_ready(struct req *rq)
{
	long long at = atomic_load(&ready_at);
	if (at >= 0 && http_now_ns() - at < READY_KEEP_NS)
		return ready_why[atomic_load(&ready_last)];
	if (at >= 0 ? pthread_mutex_trylock(&ready_lock) != 0 : pthread_mutex_lock(&ready_lock) != 0)
		return ready_why[atomic_load(&ready_last)]; /* another request is checking */
	at = atomic_load(&ready_at);
	if (at < 0 || http_now_ns() - at >= READY_KEEP_NS) { /* not checked while this one waited */
		enum ready r = ready_check(rq);
		if (r != READY)
			log_error("readyz: %s", ready_why[r]);
		atomic_store(&ready_last, (int)r);
		atomic_store(&ready_at, http_now_ns());
	}
	pthread_mutex_unlock(&ready_lock);
	return ready_why[atomic_load(&ready_last)];
}

void page_readyz(struct req *rq, struct resp *rs)
{
	/* a worker whose connection cannot be made (http/server.c) */
	const char *why = rq->store ? not_ready(rq) : ready_why[READY_DB];
	if (!why) {
		text(rs, 200, "ready\n");
		return;
	}
	text(rs, 503, why);
	buf_putc(&rs->body, '\n');
}
