/*
 * test_thread: stored comment threads (store_thread.h). A counting builder
 * stands in for the renderer, so the test sees exactly which stories are
 * rebuilt and when: the stale marks made by the triggers, the rebuild at
 * commit of what the transaction changed (and nothing for a held comment,
 * nor for older marks), a story that fails to build, a change made by
 * another program, and a change of variant.
 */
#include "t.h"
#include "../../src/cli/cli.h"
#include "../../src/store/store.h"
#include "../../src/store/store_thread.h"
#include "../../src/util/pool.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define SEED "pakistan-azerbaijan-ties-strengthening-bonds-for-development"

static int builds;
static long long last_built, fail_id;
static int fails;

/* "story ID: N approved" as the thread */
static int count_builder(void *arg, struct store *st, long long story_id)
{
	if (story_id == fail_id) {
		fails++;
		return STORE_ERROR; /* as a thread past its size limit */
	}
	struct pool *p = pool_new();
	struct comment *v;
	size_t n;
	int rc = store_comments_for_story(st, p, story_id, 0, &v, &n);
	if (rc == STORE_OK) {
		char html[64];
		snprintf(html, sizeof html, "story %lld: %zu approved", story_id, n);
		rc = store_thread_put(st, story_id, *(unsigned long long *)arg, html);
	}
	builds++;
	last_built = story_id;
	pool_free(p);
	return rc;
}

static const char *thread(struct store *st, struct pool *p, long long id, unsigned long long v)
{
	const char *html;
	return store_thread_get(st, p, id, v, &html) == STORE_OK ? html : NULL;
}

static long long stale(struct store *st)
{
	long long n = -1;
	CHECK(store_threads_stale_count(st, &n) == STORE_OK);
	return n;
}

static long long add_comment(struct store *st, long long story, enum comment_status status)
{
	struct comment c = { .story_id = story, .author = "Reader", .email = "r@example.com",
			     .url = "", .body = "A comment.", .body_html = "<p>A comment.</p>\n",
			     .ip = "127.0.0.1",
			     .status = status, .created_at = 1720300000 };
	long long id = 0;
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_comment_insert(st, &c, &id) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	return id;
}

static void threads_follow_their_comments(void)
{
	char dir[] = "/tmp/gz-thread-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	CHECK(demo_load(st, "demo", dir, 0, err, sizeof err) == 0);
	struct pool *p = pool_new();
	struct story seed;
	CHECK(store_story_by_slug(st, p, SEED, &seed) == 0);

	/* no builder on this connection yet: the demo's threads wait */
	long long waiting = stale(st);
	CHECK(waiting >= 1);
	CHECK(thread(st, p, seed.id, 7) == NULL);

	unsigned long long variant = 7;
	store_set_thread_builder(st, count_builder, &variant, variant);
	size_t built = 0;
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_threads_rebuild(st, 1000, &built) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK((long long)built == waiting);
	CHECK(stale(st) == 0);
	const char *before = thread(st, p, seed.id, 7);
	CHECK(before != NULL);
	CHECK(thread(st, p, seed.id, 8) == NULL); /* another variant is missing */

	/* a held comment changes no thread: nothing is rebuilt */
	builds = 0;
	long long held = add_comment(st, seed.id, COMMENT_PENDING);
	CHECK(builds == 0);
	CHECK_STR(thread(st, p, seed.id, 7), before);

	/* an approved one is rebuilt into its own commit */
	struct comment *v;
	size_t n;
	CHECK(store_comments_for_story(st, p, seed.id, 0, &v, &n) == 0);
	char want[64];
	snprintf(want, sizeof want, "story %lld: %zu approved", seed.id, n + 1);
	add_comment(st, seed.id, COMMENT_APPROVED);
	CHECK(builds == 1 && last_built == seed.id);
	CHECK_STR(thread(st, p, seed.id, 7), want);
	CHECK(stale(st) == 0);

	/* approving outside a transaction drops the thread at once; a later
	 * transaction renders only its own marks, so the scheduler's
	 * rebuild brings this one back */
	builds = 0;
	CHECK(store_comment_set_status(st, held, COMMENT_APPROVED) == STORE_OK);
	CHECK(thread(st, p, seed.id, 7) == NULL);
	CHECK(stale(st) == 1);
	CHECK(store_begin(st) == STORE_OK && store_commit(st) == STORE_OK);
	CHECK(builds == 0 && stale(st) == 1);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_threads_rebuild(st, 10, &built) == STORE_OK && built == 1);
	CHECK(store_commit(st) == STORE_OK);
	snprintf(want, sizeof want, "story %lld: %zu approved", seed.id, n + 2);
	CHECK_STR(thread(st, p, seed.id, 7), want);

	/* a story that will not build holds up no other: it goes behind */
	struct story other;
	CHECK(store_story_by_id(st, p, seed.id + 1, &other) == 0);
	fail_id = seed.id;
	add_comment(st, seed.id, COMMENT_APPROVED);  /* fails at its commit */
	add_comment(st, other.id, COMMENT_APPROVED); /* builds at its commit */
	CHECK(thread(st, p, other.id, 7) != NULL);
	CHECK(thread(st, p, seed.id, 7) == NULL && stale(st) == 1);
	add_comment(st, other.id, COMMENT_APPROVED); /* the failed one is not retried */
	CHECK(fails == 1 && last_built == other.id && stale(st) == 1);
	fail_id = 0;
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_threads_rebuild(st, 10, &built) == STORE_OK && built == 1);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(thread(st, p, seed.id, 7) != NULL && stale(st) == 0);

	/* another program renames the story: its reply links change */
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE stories SET slug = 'renamed' WHERE id = %lld", seed.id);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	/* and an unrelated column changes nothing */
	CHECK(sqlite3_exec(db, "UPDATE stories SET reading_minutes = reading_minutes + 1",
			   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	CHECK(thread(st, p, seed.id, 7) == NULL);
	CHECK(stale(st) == 1);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_threads_rebuild(st, 10, &built) == STORE_OK && built == 1);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(thread(st, p, seed.id, 7) != NULL);

	/* a new theme or nesting limit: every stored thread is marked */
	variant = 9;
	store_set_thread_builder(st, count_builder, &variant, variant);
	CHECK(store_threads_restale(st) == STORE_OK);
	CHECK(stale(st) == waiting);
	CHECK(thread(st, p, seed.id, 9) == NULL);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_threads_rebuild(st, 1000, &built) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(thread(st, p, seed.id, 9) != NULL && stale(st) == 0);

	pool_free(p);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

int main(void)
{
	RUN(threads_follow_their_comments);
	return T_DONE();
}
