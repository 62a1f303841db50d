/*
 * store_related: the related-stories table's side of the store: the
 * published stories' words for scoring (content/related.c scores them,
 * the store computes nothing), the replacement of each story's list, and
 * the "due" mark a write leaves for the scheduler.
 *
 * The one decision: a story's list is rewritten, and its page dropped from
 * the cache, only when the new list differs from the stored one, so a
 * refresh after an edit touches the few pages whose links changed.
 */
#include "store.h"
#include "store_int.h"
#include "../util/pool.h"

#include <string.h>

static const char SQL_FOR_RELATED[] =
	"SELECT s.id, s.title, s.body_md, COALESCE(sec.name, '')"
	" FROM stories s LEFT JOIN sections sec ON sec.id = s.section_id"
	" WHERE" IS_PUBLISHED " ORDER BY s.id";
static const char SQL_ALL_TAG_NAMES[] =
	"SELECT st.story_id, t.name FROM story_tags st"
	" JOIN tags t ON t.id = st.tag_id ORDER BY st.story_id, st.position";
static const char SQL_CLEAR[] = "DELETE FROM related WHERE story_id = ?1";
static const char SQL_OF[] = "SELECT related_id FROM related WHERE story_id = ?1 ORDER BY rank";
static const char SQL_ADD[] =
	"INSERT INTO related(story_id, rank, related_id, score) VALUES(?1, ?2, ?3, ?4)";
static const char SQL_DUE_MARK[] = "INSERT INTO related_due(id, seq) VALUES(1, 1)"
				   " ON CONFLICT(id) DO UPDATE SET seq = related_due.seq + 1";
static const char SQL_DUE_GET[] = "SELECT seq FROM related_due WHERE id = 1";
static const char SQL_DUE_DONE[] = "DELETE FROM related_due WHERE id = 1 AND seq = ?1";

static void row_for_related(struct pool *p, dbq *s, void *e)
{
	struct story *x = e;
	x->id = q_col_int(s, 0);
	x->title = q_col_text(p, s, 1);
	x->body_md = q_col_text(p, s, 2);
	x->section.name = q_col_text(p, s, 3);
}

/* Attaches tag names to stories sorted by id, in one pass over one query
 * instead of a query per story. */
static int attach_tag_names(struct store *st, struct pool *p, struct story *v, size_t n)
{
	dbq *s = stmt(st, SQL_ALL_TAG_NAMES);
	if (!s)
		return STORE_ERROR;
	size_t i = 0;
	int rc;
	while ((rc = q_step(s)) == DB_ROW) {
		long long sid = q_col_int(s, 0);
		while (i < n && v[i].id < sid)
			i++;
		if (i == n || v[i].id != sid)
			continue;
		struct tag *t = pool_alloc(p, (v[i].ntags + 1) * sizeof *t);
		if (v[i].ntags)
			memcpy(t, v[i].tags, v[i].ntags * sizeof *t);
		t[v[i].ntags].name = q_col_text(p, s, 1);
		v[i].tags = t;
		v[i].ntags++;
	}
	done(s);
	return rc == DB_DONE ? STORE_OK : fail(st, "tag names");
}

int store_stories_for_related(struct store *st, struct pool *p, struct story **out, size_t *n)
{
	dbq *s = stmt(st, SQL_FOR_RELATED);
	if (!s)
		return STORE_ERROR;
	int rc = collect(st, p, s, sizeof **out, row_for_related, (void **)out, n);
	return rc ? rc : attach_tag_names(st, p, *out, *n);
}

/* 1 when story_id's stored list differs from ids[0..n). */
static int related_differs(struct store *st, long long story_id, const long long *ids, size_t n)
{
	dbq *s = stmt(st, SQL_OF);
	if (!s)
		return -1;
	q_int(s, 1, story_id);
	size_t k = 0;
	int differs = 0, rc;
	while ((rc = q_step(s)) == DB_ROW)
		if (k >= n || q_col_int(s, 0) != ids[k++])
			differs = 1;
	done(s);
	if (rc != DB_DONE)
		return fail(st, "related"), -1;
	return differs || k != n;
}

int store_related_replace(struct store *st, const long long *story_ids, size_t n, size_t k,
			  const long long *ids, const double *scores, const size_t *counts)
{
	for (size_t i = 0; i < n; i++) {
		int d = related_differs(st, story_ids[i], ids + i * k, counts[i]);
		if (d < 0)
			return STORE_ERROR;
		if (!d)
			continue; /* unchanged lists are not rewritten, nor their pages dropped */
		dbq *s = stmt(st, SQL_CLEAR);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, story_ids[i]);
		if (exec_step(st, s, "related clear") || store_touchf(st, "story:%lld", story_ids[i]))
			return STORE_ERROR;
		for (size_t r = 0; r < counts[i]; r++) {
			s = stmt(st, SQL_ADD);
			if (!s)
				return STORE_ERROR;
			q_int(s, 1, story_ids[i]);
			q_int(s, 2, (long long)r);
			q_int(s, 3, ids[i * k + r]);
			q_double(s, 4, scores[i * k + r]);
			if (exec_step(st, s, "related add"))
				return STORE_ERROR;
		}
	}
	return STORE_OK;
}

int store_related_mark_due(struct store *st)
{
	return exec_sql(st, SQL_DUE_MARK);
}

int store_related_due(struct store *st, long long *seq)
{
	dbq *s = stmt(st, SQL_DUE_GET);
	if (!s)
		return STORE_ERROR;
	int rc = q_step(s);
	if (rc == DB_ROW)
		*seq = q_col_int(s, 0);
	done(s);
	return one_result(st, rc, "related due");
}

int store_related_done(struct store *st, long long seq)
{
	return exec_id(st, SQL_DUE_DONE, seq, "related done");
}
