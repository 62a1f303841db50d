/*
 * metrics: the numbers an operator graphs and alerts on, served at
 * /metrics in the Prometheus text exposition format (version 0.0.4).
 *
 * The one decision: counting costs a relaxed atomic add and nothing else
 * (no lock, no allocation, no system call), so the cached hit that counts
 * itself stays as cheap. Counters live in fixed arrays sized at compile
 * time; the route table registers its rows once (metrics_routes) and a
 * request is counted by its row's index. Values that are state rather
 * than events (the page cache's size, queue depths) are read when
 * scraped and handed in by the caller (struct metrics_gauges), so this
 * module knows no other.
 */
#ifndef GZ_METRICS_H
#define GZ_METRICS_H

#include <stddef.h>

struct buf;

/* Events counted. Add a row to names[] in metrics.c with each. */
enum metric {
	METRIC_COMMENT_APPROVED,    /* a reader's comment stored and shown */
	METRIC_COMMENT_HELD,        /* stored, held for moderation */
	METRIC_COMMENT_SPAM,        /* the honeypot field was filled */
	METRIC_COMMENT_INVALID,     /* refused: a field, the parent or the form's stamp */
	METRIC_COMMENT_RATE,        /* refused: comment_rate_per_minute */
	METRIC_COMMENT_WORDS,       /* refused: the word list */
	METRIC_COMMENT_DUPLICATE,   /* refused: said already */
	METRIC_COMMENT_CLOSED,      /* refused: comments closed */
	METRIC_COMMENT_ERROR,       /* not stored: the database failed */
	METRIC_SIGNIN_FAILED,       /* a wrong e-mail or password */
	METRIC_SIGNIN_CODE_FAILED,  /* a wrong two-factor code */
	METRIC_SIGNIN_THROTTLED,    /* refused before checking: too many failures */
	METRIC_SCHEDULER_RUNS,      /* the scheduler's passes */
	METRIC_RELOADS,             /* SIGHUP reloads that took effect */
	METRIC_RELOAD_FAILURES,     /* SIGHUP reloads refused (a bad gazette.conf or theme) */
	METRIC_READY_CHECKS,        /* /readyz checks run (at most one a second) */
	METRIC__MAX
};

#define METRICS_ROUTES_MAX 192 /* route table rows; one more counts "no route" */

void metrics_count(enum metric m);

/* When serving starts: names the route table's rows (and marks the
 * start time reported): method[i] and pattern[i] label row i
 * (strings that outlive the process's serving). Rows past
 * METRICS_ROUTES_MAX are counted as "no route". */
void metrics_routes(const char *const *method, const char *const *pattern, size_t n);

/* One answered request: its row (n or more: none matched), status, time
 * from its first byte to its answer queued, and the part of it spent in
 * the database. */
void metrics_request(size_t row, int status, long long ns, long long db_ns);

/* What /metrics reports as it is when scraped (the caller reads them). */
struct metrics_gauges {
	unsigned long long cache_hits, cache_misses, cache_evictions, cache_fills;
	unsigned long long cache_bytes, cache_entries, cache_invalidations;
	long comment_queue;       /* comments waiting for their group commit */
	unsigned long long body_bytes; /* request bodies in flight: bytes reserved */
	unsigned long long access_log_dropped; /* access lines dropped (util/alog.h) */
	const char *version;
};

/* Appends every metric in the text exposition format. */
void metrics_render(struct buf *out, const struct metrics_gauges *g);

#endif
