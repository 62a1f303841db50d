/*
 * store_search: the SQLite FTS5 side of store_search.h.
 *
 * The one decision: bounded ranking. bm25 costs a few microseconds per
 * matching story, so a word found in 90,000 stories would cost half a
 * second to rank. The candidates are therefore the newest
 * STORE_SEARCH_RANKED matches (index order is story id, i.e. newest
 * written first; reading them costs nothing extra), ranked exactly by bm25
 * (weights set in the migration); below that many matches, which is almost
 * every real query, the ranking is exact over all of them. The count is
 * always exact. Only the page of hits kept is joined to stories and given a
 * highlighted title and snippets; ties in rank go to the newer story.
 */
#include "store_search.h"
#include "store_int.h"
#include "../util/pool.h"

#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define RANKED STR(STORE_SEARCH_RANKED)

static const char SQL_SEARCH[] =
	"WITH cand AS (SELECT rowid AS id, rank AS r FROM story_fts WHERE story_fts MATCH ?1"
	" ORDER BY rowid DESC LIMIT " RANKED "),"
	" top AS (SELECT id, r FROM cand ORDER BY r, id DESC LIMIT ?2 OFFSET ?3)"
	" SELECT " STORY_COLS ","
	" highlight(story_fts, 0, char(1), char(2)),"
	" snippet(story_fts, 1, char(1), char(2), '…', 24),"
	" snippet(story_fts, 2, char(1), char(2), '…', 24)"
	" FROM top JOIN story_fts ON story_fts.rowid = top.id"
	" JOIN stories s ON s.id = top.id JOIN users u ON u.id = s.author_id"
	" LEFT JOIN sections sec ON sec.id = s.section_id"
	" WHERE story_fts MATCH ?1 AND s.status = 3 ORDER BY top.r, s.published_at DESC";
static const char SQL_COUNT[] = "SELECT count(*) FROM story_fts WHERE story_fts MATCH ?1";

static void row_hit(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct search_hit *h = e;
	row_story(p, s, &h->story);
	h->story.body_md = h->story.body_html = NULL; /* columns 17+ are ours */
	h->title_marked = col_text(p, s, 17);
	const char *excerpt = col_text(p, s, 18), *body = col_text(p, s, 19);
	/* the passage with a match in it; the excerpt when neither has one */
	if (strchr(body, STORE_MARK_OPEN) && !strchr(excerpt, STORE_MARK_OPEN))
		h->snippet_marked = body;
	else
		h->snippet_marked = excerpt[0] ? excerpt : body;
}

int store_search(struct store *st, struct pool *p, const char *match, size_t offset,
		 size_t limit, struct search_hit **out, size_t *n, size_t *total)
{
	sqlite3_stmt *s = stmt(st, SQL_COUNT);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, match);
	dep(st, "list:home"); /* any publish or unpublish may change the results */
	int rc = sqlite3_step(s);
	*total = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	done(s);
	if (rc != SQLITE_ROW)
		return fail(st, "search count");
	*out = NULL;
	*n = 0;
	if (*total == 0 || offset >= *total)
		return STORE_OK;
	s = stmt(st, SQL_SEARCH);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, match);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)offset);
	rc = collect(st, p, s, sizeof **out, row_hit, (void **)out, n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++)
		dep_stories(st, &(*out)[i].story, 1);
	return rc;
}
