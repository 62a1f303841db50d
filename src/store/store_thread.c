/*
 * store_thread: stored comment threads and their stale marks (see
 * store_thread.h; the triggers that mark them are in schema.h).
 */
#include "store_thread.h"
#include "store_int.h"

#include <limits.h>

static const char SQL_GET[] = "SELECT variant, html FROM comment_threads WHERE story_id = ?1";
static const char SQL_PUT[] =
	"INSERT INTO comment_threads(story_id, variant, html) VALUES(?1, ?2, ?3)"
	" ON CONFLICT(story_id) DO UPDATE SET variant = excluded.variant, html = excluded.html";
static const char SQL_UNMARK[] = "DELETE FROM comment_threads_stale WHERE story_id = ?1";
static const char SQL_NEWEST[] =
	"SELECT story_id FROM comment_threads_stale WHERE n > ?2 ORDER BY n DESC LIMIT ?1";
static const char SQL_NEWEST_MARK[] = "SELECT COALESCE(max(n), 0) FROM comment_threads_stale";
/* behind every other mark: what failed is tried again last */
static const char SQL_PUSH_BACK[] =
	"UPDATE comment_threads_stale SET n = (SELECT min(n) FROM comment_threads_stale) - 1"
	" WHERE story_id = ?1";
/* the mark renewed: REPLACE gives the row a new n (the newest), as
 * PostgreSQL's upsert does with the identity's next value */
static const struct sql_pair SQL_RESTALE = {
	"INSERT OR REPLACE INTO comment_threads_stale(story_id)"
	" SELECT story_id FROM comment_threads WHERE variant != ?1",
	"INSERT INTO comment_threads_stale(story_id)"
	" SELECT story_id FROM comment_threads WHERE variant != ?1"
	" ON CONFLICT(story_id) DO UPDATE SET n = DEFAULT",
};
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
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	dep(st, "story:%lld", story_id);
	int rc = q_step(s);
	if (rc == DB_ROW && q_col_int(s, 0) == (long long)variant) {
		*html = q_col_text(p, s, 1);
		rc = STORE_OK;
	} else {
		rc = rc == DB_ROW || rc == DB_DONE ? STORE_NOTFOUND : fail(st, "thread");
	}
	done(s);
	return rc;
}

static int unmark(struct store *st, long long story_id)
{
	return exec_id(st, SQL_UNMARK, story_id, "thread unmark");
}

int store_thread_put(struct store *st, long long story_id, unsigned long long variant,
		     const char *html)
{
	dbq *s = stmt(st, SQL_PUT);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	q_int(s, 2, (long long)variant);
	q_text(s, 3, html);
	return exec_step(st, s, "thread put") || unmark(st, story_id) ? STORE_ERROR : STORE_OK;
}

int store_threads_restale(struct store *st)
{
	return exec_id(st, sql_for(st, &SQL_RESTALE), st->thread_variant, "thread restale");
}

static int push_back(struct store *st, long long story_id)
{
	return exec_id(st, SQL_PUSH_BACK, story_id, "thread push back");
}

/* Up to limit marks newer than `above`, newest first. A story that fails
 * to build (a thread past its size limit, say) goes behind every other
 * mark, so it never holds up the rest; a round that builds nothing ends
 * the call. */
static int rebuild(struct store *st, size_t limit, long long above, size_t *built)
{
	long long ids[STORE_THREADS_PER_COMMIT];
	size_t tried = 0;
	*built = 0;
	if (!st->thread_builder)
		return STORE_OK;
	while (tried < limit) {
		size_t want = limit - tried < STORE_THREADS_PER_COMMIT ? limit - tried
								       : STORE_THREADS_PER_COMMIT;
		dbq *s = stmt(st, SQL_NEWEST);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, (long long)want);
		q_int(s, 2, above);
		int rc;
		size_t n = 0;
		while (n < want && (rc = q_step(s)) == DB_ROW)
			ids[n++] = q_col_int(s, 0);
		done(s);
		if (n < want && rc != DB_DONE)
			return fail(st, "stale threads");
		size_t ok = 0;
		for (size_t i = 0; i < n; i++, tried++) {
			if (st->thread_builder(st->thread_builder_arg, st, ids[i]) == 0) {
				if (unmark(st, ids[i]))
					return STORE_ERROR;
				ok++;
			} else if (push_back(st, ids[i])) {
				return STORE_ERROR;
			}
		}
		*built += ok;
		if (ok == 0 || n < want)
			break;
	}
	return STORE_OK;
}

int store_threads_rebuild(struct store *st, size_t limit, size_t *built)
{
	return rebuild(st, limit, LLONG_MIN, built);
}

int store_threads_mark_start(struct store *st, int queued)
{
	st->thread_mark = (struct db_ans){ .rc = DB_DONE };
	st->thread_mark_end_queued = 0;
	if (!st->thread_builder)
		return STORE_OK;
	later(st, stmt(st, SQL_NEWEST_MARK), &st->thread_mark);
	if (queued)
		return st->later_failed ? STORE_ERROR : STORE_OK;
	/* the BEGIN and the lock go with it: one round trip, as before */
	return store_flush(st) == STORE_OK && db_ans_ok(&st->thread_mark) ? STORE_OK
									     : STORE_ERROR;
}

void store_threads_mark_end_later(struct store *st)
{
	if (!st->thread_builder)
		return;
	later(st, stmt(st, SQL_NEWEST_MARK), &st->thread_mark_end);
	st->thread_mark_end_queued = 1;
}

int store_threads_rebuild_own(struct store *st)
{
	if (store_flush(st) != STORE_OK || !db_ans_ok(&st->thread_mark))
		return STORE_ERROR;
	long long mark = st->thread_mark.value;
	if (st->thread_mark_end_queued && db_ans_ok(&st->thread_mark_end) &&
	    st->thread_mark_end.value <= mark)
		return STORE_OK; /* nothing marked since store_begin */
	size_t built;
	return rebuild(st, STORE_THREADS_PER_COMMIT, mark, &built);
}

int store_threads_stale_count(struct store *st, long long *n)
{
	return int_row(st, SQL_COUNT, 0, n, "stale threads");
}
