/* Unit tests for src/stats/metrics.c: the exposition text. Requests land
 * in their row's status and latency bucket (buckets cumulative, +Inf the
 * count), an unknown status in its class, a row past the table in
 * "none"; label values escaped; every family one HELP and one TYPE. */
#include "t.h"
#include "../../src/stats/metrics.h"
#include "../../src/util/buf.h"

#include <string.h>

static const char *const methods[] = { "GET", "POST" };
static const char *const patterns[] = { "/", "/say \"hi\"\\now" };

static char *render(void)
{
	static struct buf b;
	buf_release(&b);
	buf_init(&b, 1 << 20);
	struct metrics_gauges g = { .cache_hits = 7, .cache_bytes = 1234, .comment_queue = 2, .body_bytes = 65536,
				    .version = "1.2\"3" };
	metrics_render(&b, &g);
	return (char *)buf_str(&b);
}

static void test_requests(void)
{
	metrics_routes(methods, patterns, 2);
	metrics_request(0, 200, 50000, 0);          /* 0.05 ms */
	metrics_request(0, 200, 3000000, 1000000);  /* 3 ms, 1 ms of it in the database */
	metrics_request(0, 418, 20000000000, 0);    /* 20 s: past the last bound */
	metrics_request(1, 303, 1000000, 0);
	metrics_request(9, 404, 1000, 0);           /* no such row */
	char *t = render();
	CHECK_CONTAINS(t, "gazette_http_requests_total{method=\"GET\",route=\"/\",code=\"200\"} 2\n");
	CHECK_CONTAINS(t, "gazette_http_requests_total{method=\"GET\",route=\"/\",code=\"4xx\"} 1\n");
	CHECK_CONTAINS(t, "gazette_http_requests_total{method=\"POST\",route=\"/say \\\"hi\\\"\\\\now\",code=\"303\"} 1\n");
	CHECK_CONTAINS(t, "gazette_http_requests_total{method=\"\",route=\"none\",code=\"404\"} 1\n");
	CHECK_CONTAINS(t, "_bucket{method=\"GET\",route=\"/\",le=\"0.0001\"} 1\n");
	CHECK_CONTAINS(t, "_bucket{method=\"GET\",route=\"/\",le=\"0.0025\"} 1\n");
	CHECK_CONTAINS(t, "_bucket{method=\"GET\",route=\"/\",le=\"0.005\"} 2\n");
	CHECK_CONTAINS(t, "_bucket{method=\"GET\",route=\"/\",le=\"10\"} 2\n");
	CHECK_CONTAINS(t, "_bucket{method=\"GET\",route=\"/\",le=\"+Inf\"} 3\n");
	CHECK_CONTAINS(t, "gazette_http_request_duration_seconds_count{method=\"GET\",route=\"/\"} 3\n");
	CHECK_CONTAINS(t, "gazette_http_request_duration_seconds_sum{method=\"GET\",route=\"/\"} 20.003050000\n");
	CHECK_CONTAINS(t, "gazette_db_seconds_total{method=\"GET\",route=\"/\"} 0.001000000\n");
}

static void test_counters_and_gauges(void)
{
	metrics_count(METRIC_COMMENT_HELD);
	metrics_count(METRIC_COMMENT_HELD);
	metrics_count(METRIC_COMMENT_WORDS);
	metrics_count(METRIC__MAX); /* ignored */
	char *t = render();
	CHECK_CONTAINS(t, "gazette_comment_posts_total{outcome=\"held\"} 2\n");
	CHECK_CONTAINS(t, "gazette_comment_posts_total{outcome=\"refused\",reason=\"words\"} 1\n");
	CHECK_CONTAINS(t, "gazette_comment_posts_total{outcome=\"approved\"} 0\n");
	CHECK_CONTAINS(t, "gazette_cache_hits_total 7\n");
	CHECK_CONTAINS(t, "gazette_cache_bytes 1234\n");
	CHECK_CONTAINS(t, "gazette_comment_queue_depth 2\n");
	CHECK_CONTAINS(t, "gazette_request_body_bytes 65536\n");
	CHECK_CONTAINS(t, "gazette_build_info{version=\"1.2\\\"3\"} 1\n");
	/* one HELP per family, even when a family has several rows */
	const char *p = strstr(t, "# HELP gazette_comment_posts_total");
	CHECK(p && !strstr(p + 1, "# HELP gazette_comment_posts_total"));
	CHECK(strstr(t, "# TYPE gazette_http_request_duration_seconds histogram\n") != NULL);
}

int main(void)
{
	RUN(test_requests);
	RUN(test_counters_and_gauges);
	return T_DONE();
}
