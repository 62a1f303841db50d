/*
 * metrics: lock-free counters and their Prometheus text (see metrics.h).
 * Each count is one relaxed atomic add; a scrape reads them all without
 * stopping anyone, so two numbers of one scrape may be a request apart,
 * which Prometheus expects of any exporter.
 */
#include "metrics.h"
#include "../util/buf.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *name, *label; /* label: `name{label}` shares name's HELP and TYPE */
	const char *help;
} counters[METRIC__MAX] = {
	[METRIC_COMMENT_APPROVED] = { "gazette_comment_posts_total", "outcome=\"approved\"",
				      "Readers' comment posts by outcome (refused: by reason)." },
	[METRIC_COMMENT_HELD] = { "gazette_comment_posts_total", "outcome=\"held\"" },
	[METRIC_COMMENT_SPAM] = { "gazette_comment_posts_total", "outcome=\"spam\"" },
	[METRIC_COMMENT_INVALID] = { "gazette_comment_posts_total", "outcome=\"refused\",reason=\"invalid\"" },
	[METRIC_COMMENT_RATE] = { "gazette_comment_posts_total", "outcome=\"refused\",reason=\"rate\"" },
	[METRIC_COMMENT_WORDS] = { "gazette_comment_posts_total", "outcome=\"refused\",reason=\"words\"" },
	[METRIC_COMMENT_DUPLICATE] = { "gazette_comment_posts_total", "outcome=\"refused\",reason=\"duplicate\"" },
	[METRIC_COMMENT_CLOSED] = { "gazette_comment_posts_total", "outcome=\"refused\",reason=\"closed\"" },
	[METRIC_COMMENT_ERROR] = { "gazette_comment_posts_total", "outcome=\"refused\",reason=\"error\"" },
	[METRIC_SIGNIN_FAILED] = { "gazette_signin_failures_total", "kind=\"password\"",
				   "Failed newsroom sign-ins: wrong password, wrong code, throttled." },
	[METRIC_SIGNIN_CODE_FAILED] = { "gazette_signin_failures_total", "kind=\"code\"" },
	[METRIC_SIGNIN_THROTTLED] = { "gazette_signin_failures_total", "kind=\"throttled\"" },
	[METRIC_SCHEDULER_RUNS] = { "gazette_scheduler_runs_total", NULL,
				    "Passes of the scheduler (publishing on time, reads, sessions)." },
	[METRIC_RELOADS] = { "gazette_reloads_total", "result=\"ok\"",
			     "SIGHUP reloads of gazette.conf and the theme." },
	[METRIC_RELOAD_FAILURES] = { "gazette_reloads_total", "result=\"failed\"" },
	[METRIC_READY_CHECKS] = { "gazette_readyz_checks_total", NULL,
				  "Checks /readyz ran (a write, the schema, the disk): at most one a second." },
};

static _Atomic unsigned long long counts[METRIC__MAX];

void metrics_count(enum metric m)
{
	if ((unsigned)m < METRIC__MAX)
		atomic_fetch_add_explicit(&counts[m], 1, memory_order_relaxed);
}

/* Status codes counted one by one; any other counts as its class. */
static const int codes[] = { 200, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403,
			     404, 405, 409, 410, 413, 414, 415, 422, 429, 431, 500, 503 };
#define NCODES (sizeof codes / sizeof codes[0])
#define NSTATUS (NCODES + 5) /* then 1xx..5xx for the rest */

/* Upper bounds of the latency histogram's buckets, in seconds (+Inf last). */
static const double bounds[] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBOUNDS (sizeof bounds / sizeof bounds[0])
#define NROWS (METRICS_ROUTES_MAX + 1)

struct row {
	_Atomic unsigned long long status[NSTATUS];
	_Atomic unsigned long long bucket[NBOUNDS + 1]; /* not cumulative: summed when scraped */
	_Atomic unsigned long long ns, db_ns;
};

static struct row rows[NROWS];
static const char *const *row_method, *const *row_pattern;
static size_t nrows;
static double started; /* when serving began (metrics_routes) */

void metrics_routes(const char *const *method, const char *const *pattern, size_t n)
{
	started = (double)time(NULL);
	row_method = method;
	row_pattern = pattern;
	nrows = n < METRICS_ROUTES_MAX ? n : METRICS_ROUTES_MAX;
}

static size_t status_slot(int status)
{
	for (size_t i = 0; i < NCODES; i++)
		if (codes[i] == status)
			return i;
	int cls = status / 100;
	return NCODES + (size_t)(cls >= 1 && cls <= 5 ? cls - 1 : 4);
}

static size_t bucket_of(long long ns)
{
	double s = (double)ns / 1e9;
	size_t i = 0;
	while (i < NBOUNDS && s > bounds[i])
		i++;
	return i;
}

void metrics_request(size_t row, int status, long long ns, long long db_ns)
{
	struct row *r = &rows[row < nrows ? row : METRICS_ROUTES_MAX];
	ns = ns > 0 ? ns : 0;
	atomic_fetch_add_explicit(&r->status[status_slot(status)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->bucket[bucket_of(ns)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->ns, (unsigned long long)ns, memory_order_relaxed);
	if (db_ns > 0)
		atomic_fetch_add_explicit(&r->db_ns, (unsigned long long)db_ns, memory_order_relaxed);
}

static unsigned long long load(_Atomic unsigned long long *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

/* A label value: backslash, quote and newline escaped (the format's rule). */
static void label_value(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_putc(out, '\\');
		if (*s == '\n')
			buf_puts(out, "\\n");
		else
			buf_putc(out, *s);
	}
}

static void row_labels(struct buf *out, size_t i)
{
	buf_puts(out, "method=\"");
	label_value(out, i < nrows ? row_method[i] : "");
	buf_puts(out, "\",route=\"");
	label_value(out, i < nrows ? row_pattern[i] : "none");
	buf_putc(out, '"');
}

static void head(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static unsigned long long row_total(struct row *r)
{
	unsigned long long n = 0;
	for (size_t b = 0; b <= NBOUNDS; b++)
		n += load(&r->bucket[b]);
	return n;
}

static void render_requests(struct buf *out)
{
	head(out, "gazette_http_requests_total", "counter",
	     "Requests answered, by route table row and status code.");
	for (size_t i = 0; i < NROWS; i++)
		for (size_t s = 0; s < NSTATUS; s++) {
			unsigned long long n = load(&rows[i].status[s]);
			if (!n)
				continue;
			buf_puts(out, "gazette_http_requests_total{");
			row_labels(out, i);
			if (s < NCODES)
				buf_printf(out, ",code=\"%d\"} %llu\n", codes[s], n);
			else
				buf_printf(out, ",code=\"%zuxx\"} %llu\n", s - NCODES + 1, n);
		}
}

static void render_latency(struct buf *out)
{
	head(out, "gazette_http_request_duration_seconds", "histogram",
	     "Time from a request's arrival to its answer queued, by route table row.");
	for (size_t i = 0; i < NROWS; i++) {
		unsigned long long total = row_total(&rows[i]), cum = 0;
		if (!total)
			continue;
		for (size_t b = 0; b <= NBOUNDS; b++) {
			cum += load(&rows[i].bucket[b]);
			buf_puts(out, "gazette_http_request_duration_seconds_bucket{");
			row_labels(out, i);
			if (b < NBOUNDS)
				buf_printf(out, ",le=\"%g\"} %llu\n", bounds[b], cum);
			else /* a scrape between two adds: +Inf is the count, always */
				buf_printf(out, ",le=\"+Inf\"} %llu\n", total);
		}
		buf_puts(out, "gazette_http_request_duration_seconds_sum{");
		row_labels(out, i);
		buf_printf(out, "} %.9f\n", (double)load(&rows[i].ns) / 1e9);
		buf_puts(out, "gazette_http_request_duration_seconds_count{");
		row_labels(out, i);
		buf_printf(out, "} %llu\n", total);
	}
	head(out, "gazette_db_seconds_total", "counter",
	     "Time requests spent in database statements, by route table row.");
	for (size_t i = 0; i < NROWS; i++) {
		if (!row_total(&rows[i]))
			continue;
		buf_puts(out, "gazette_db_seconds_total{");
		row_labels(out, i);
		buf_printf(out, "} %.9f\n", (double)load(&rows[i].db_ns) / 1e9);
	}
}

static void render_counters(struct buf *out)
{
	for (size_t m = 0; m < METRIC__MAX; m++) {
		if (counters[m].help)
			head(out, counters[m].name, "counter", counters[m].help);
		if (counters[m].label)
			buf_printf(out, "%s{%s} %llu\n", counters[m].name, counters[m].label,
				   load(&counts[m]));
		else
			buf_printf(out, "%s %llu\n", counters[m].name, load(&counts[m]));
	}
}

static void one(struct buf *out, const char *name, const char *type, const char *help,
		unsigned long long v)
{
	head(out, name, type, help);
	buf_printf(out, "%s %llu\n", name, v);
}

static void render_gauges(struct buf *out, const struct metrics_gauges *g)
{
	one(out, "gazette_cache_hits_total", "counter", "Page cache hits.", g->cache_hits);
	one(out, "gazette_cache_misses_total", "counter", "Page cache misses.", g->cache_misses);
	one(out, "gazette_cache_fills_total", "counter", "Pages put in the page cache.", g->cache_fills);
	one(out, "gazette_cache_evictions_total", "counter",
	    "Pages the page cache dropped for room.", g->cache_evictions);
	one(out, "gazette_cache_invalidations_total", "counter",
	    "Changes that made cached pages stale.", g->cache_invalidations);
	one(out, "gazette_cache_bytes", "gauge", "Bytes the page cache holds.", g->cache_bytes);
	one(out, "gazette_cache_entries", "gauge", "Pages the page cache holds.", g->cache_entries);
	one(out, "gazette_comment_queue_depth", "gauge",
	    "Comments waiting for their group commit.", (unsigned long long)(g->comment_queue > 0 ? g->comment_queue : 0));
	one(out, "gazette_request_body_bytes", "gauge",
	    "Bytes of memory request bodies in flight hold (bounded by body_memory).", g->body_bytes);
	one(out, "gazette_access_log_dropped_total", "counter",
	    "Access log lines dropped: the log's buffer was full (its disk or reader stalled) or a write failed.",
	    g->access_log_dropped);
	head(out, "gazette_start_time_seconds", "gauge", "When the server started, Unix time.");
	buf_printf(out, "gazette_start_time_seconds %.0f\n", started);
	head(out, "gazette_build_info", "gauge", "The running build: always 1.");
	buf_puts(out, "gazette_build_info{version=\"");
	label_value(out, g->version ? g->version : "");
	buf_puts(out, "\"} 1\n");
}

void metrics_render(struct buf *out, const struct metrics_gauges *g)
{
	render_requests(out);
	render_latency(out);
	render_counters(out);
	render_gauges(out, g);
}
