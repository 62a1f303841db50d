/*
 * store_reads: the SQLite side of store_reads.h. The hour leads the
 * primary key, so the last day's rows are one index range and the purge
 * one range delete.
 */
#include "store_reads.h"
#include "store_int.h"

#include <stdio.h>
#include <string.h>

static const char SQL_ADD[] =
	"INSERT INTO story_reads(story_id, hour, count) SELECT id, ?2, ?3 FROM stories"
	" WHERE slug = ?1 AND status = 3"
	" ON CONFLICT(hour, story_id) DO UPDATE SET count = story_reads.count + excluded.count";
static const char SQL_PURGE[] = "DELETE FROM story_reads WHERE hour < ?1";
static const char SQL_UNRANK[] = "DELETE FROM reads_top";
/* SQLite 3.40 has no string_agg, PostgreSQL no group_concat */
static const struct sql_pair SQL_RANKED = {
	"SELECT coalesce(group_concat(story_id, ','), '') FROM (SELECT story_id FROM reads_top ORDER BY rank)",
	"SELECT coalesce(string_agg(story_id::text, ',' ORDER BY rank), '') FROM reads_top",
};
static const char SQL_RANK[] =
	"INSERT INTO reads_top(rank, story_id, count) SELECT row_number() OVER"
	" (ORDER BY r.n DESC, s.published_at DESC, s.id DESC), s.id, r.n"
	" FROM (SELECT story_id, sum(count) AS n FROM story_reads WHERE hour >= ?1"
	" GROUP BY story_id) r JOIN stories s ON s.id = r.story_id WHERE" IS_PUBLISHED
	" ORDER BY r.n DESC, s.published_at DESC, s.id DESC LIMIT ?2";
/* Links only (id, slug, title, published_at, lang): the list shows titles,
 * and a summary's joins and columns were a ninth of a front page. */
#define TOP(e) \
	"SELECT s.id, s.slug, s.title, s.published_at, s.lang FROM (SELECT t.rank, t.story_id FROM reads_top t" \
	" WHERE (SELECT x.status FROM stories x WHERE x.id = t.story_id) = 3" /* a lookup each: */ \
	" ORDER BY t.rank LIMIT ?1) r" /* a join here had SQLite build a Bloom filter of every story */ \
	CO_JOIN(e) " stories s ON s.id = r.story_id ORDER BY r.rank" /* a co-routine */
static const struct sql_pair SQL_TOP = SQL_PAIR(TOP);

int store_reads_add(struct store *st, const char *slug, long long hour, long long count)
{
	dbq *s = stmt(st, SQL_ADD);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, slug);
	q_int(s, 2, hour);
	q_int(s, 3, count);
	return exec_step(st, s, "reads add");
}

int store_reads_touch(struct store *st)
{
	return store_touch(st, "reads");
}

int store_reads_purge(struct store *st, long long hour)
{
	return exec_id(st, SQL_PURGE, hour, "reads purge");
}

/* The ranking as text ("12,7,30"), pool-less: into out, cut at outlen. */
static int ranked(struct store *st, char *out, size_t outlen)
{
	dbq *s = stmt_for(st, &SQL_RANKED);
	if (!s)
		return STORE_ERROR;
	int rc = q_step(s);
	const char *v = rc == DB_ROW ? q_col_str(s, 0) : NULL;
	if (v)
		snprintf(out, outlen, "%s", v);
	done(s);
	return v ? STORE_OK : fail(st, "reads ranked"); /* no row, or no memory for its text */
}

int store_reads_rank(struct store *st, long long since_hour, int *changed)
{
	char before[STORE_READS_RANKED * 21 + 1], after[sizeof before];
	dbq *s;
	if (ranked(st, before, sizeof before) || !(s = stmt(st, SQL_UNRANK)) ||
	    exec_step(st, s, "reads rank") || !(s = stmt(st, SQL_RANK)))
		return STORE_ERROR;
	q_int(s, 1, since_hour);
	q_int(s, 2, STORE_READS_RANKED);
	if (exec_step(st, s, "reads rank") || ranked(st, after, sizeof after))
		return STORE_ERROR;
	*changed = strcmp(before, after) != 0;
	return STORE_OK;
}

int store_reads_top(struct store *st, struct pool *p, size_t limit, struct story **out, size_t *n)
{
	dbq *s = stmt_for(st, &SQL_TOP);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	dep(st, "reads");
	int rc = collect(st, p, s, sizeof **out, row_story_link, (void **)out, n);
	if (rc == STORE_OK)
		rc = stories_done(st, p, *out, *n);
	return rc;
}
