/*
 * store_thread: stored comment threads and their stale marks (see
 * store_thread.h; the triggers that mark them are in schema.h).
 */
#include "store_thread.h"
#include "store_int.h"

static const char SQL_GET[] = "SELECT variant, html FROM comment_threads WHERE story_id = ?1";
static const char SQL_PUT[] =
	"INSERT OR REPLACE INTO comment_threads(story_id, variant, html) VALUES(?1, ?2, ?3)";
static const char SQL_UNMARK[] = "DELETE FROM comment_threads_stale WHERE story_id = ?1";
static const char SQL_NEWEST[] =
	"SELECT story_id FROM comment_threads_stale ORDER BY n DESC LIMIT ?1";
static const char SQL_RESTALE[] =
	"INSERT OR REPLACE INTO comment_threads_stale(story_id)"
	" SELECT story_id FROM comment_threads WHERE variant != ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM comment_threads_stale";

void store_set_thread_builder(struct store *st, store_thread_builder fn, void *arg,
			      unsigned long long variant)
{
	st->thread_builder = fn;
	st->thread_builder_arg = arg;
	st->thread_variant = (long long)variant;
}

int store_thread_get(struct store *st, struct pool *p, long long story_id,
		     unsigned long long variant, const char **html)
{
	sqlite3_stmt *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	dep(st, "story:%lld", story_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_int64(s, 0) == (sqlite3_int64)variant) {
		*html = col_text(p, s, 1);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, "thread");
	}
	done(s);
	return rc;
}

static int unmark(struct store *st, long long story_id)
{
	sqlite3_stmt *s = stmt(st, SQL_UNMARK);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	return exec_step(st, s, "thread unmark");
}

int store_thread_put(struct store *st, long long story_id, unsigned long long variant,
		     const char *html)
{
	sqlite3_stmt *s = stmt(st, SQL_PUT);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)variant);
	bind_text(s, 3, html);
	return exec_step(st, s, "thread put") || unmark(st, story_id) ? STORE_ERROR : STORE_OK;
}

int store_threads_restale(struct store *st)
{
	sqlite3_stmt *s = stmt(st, SQL_RESTALE);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, st->thread_variant);
	return exec_step(st, s, "thread restale");
}

int store_threads_rebuild(struct store *st, size_t limit, size_t *built)
{
	long long ids[STORE_THREADS_PER_COMMIT];
	size_t n = 0;
	*built = 0;
	if (!st->thread_builder)
		return STORE_OK;
	while (*built < limit) {
		size_t want = limit - *built < STORE_THREADS_PER_COMMIT ? limit - *built
									 : STORE_THREADS_PER_COMMIT;
		sqlite3_stmt *s = stmt(st, SQL_NEWEST);
		if (!s)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)want);
		int rc;
		for (n = 0; (rc = sqlite3_step(s)) == SQLITE_ROW;)
			ids[n++] = sqlite3_column_int64(s, 0);
		done(s);
		if (rc != SQLITE_DONE)
			return fail(st, "stale threads");
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			/* a story that cannot be built now stays marked for
			 * the scheduler; it is not retried in this loop */
			if (st->thread_builder(st->thread_builder_arg, st, ids[i]) || unmark(st, ids[i]))
				return STORE_ERROR;
			(*built)++;
		}
		if (n < want)
			break;
	}
	return STORE_OK;
}

int store_threads_stale_count(struct store *st, long long *n)
{
	sqlite3_stmt *s = stmt(st, SQL_COUNT);
	if (!s)
		return STORE_ERROR;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	done(s);
	return rc == SQLITE_ROW ? STORE_OK : fail(st, "stale threads");
}
