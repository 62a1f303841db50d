/*
 * store_search: store_search.h on either engine: the steps below, with
 * SQLite FTS5's queries here (its rank function is store_search_rank.c,
 * the engine's own code) or PostgreSQL's tsvector ones (store_search_pg.c),
 * chosen by the store's connection.
 *
 * The one decision: bounded work per query, whatever the size of the site.
 * FTS5's bm25() reads the whole list of stories that hold each word to
 * weigh it (a word in 380,000 stories costs 12 ms, eight such words 100
 * ms) and an exact count walks every match. So each word's number of
 * stories is read exactly up to PROBE and estimated above that from where
 * its PROBE-th newest story falls (story ids grow with time); only the
 * rarest words are matched (at most STORE_SEARCH_TERMS, fewer when the
 * stories holding them add up to more than STORE_SEARCH_POSTINGS, as
 * matching walks their lists); gz_rank, bm25 with FTS5's
 * own formula and the migration's column weights but given those numbers,
 * ranks the newest STORE_SEARCH_RANKED matches; and the count is the
 * number ranked, "more than STORE_SEARCH_RANKED" past that, so the
 * matches are walked once (a rare combination of words in many stories
 * each is the costly case: the walk reads all their lists). Below those limits, which is almost every real
 * query, the ranking is exactly bm25's over all matches. Only the page of
 * hits kept is joined to stories and given a highlighted title and
 * snippets; ties in rank go to the newer story.
 */
#include "store_search.h"
#include "store_int.h"
#include "../util/pool.h"

#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define RANKED STR(STORE_SEARCH_RANKED)
#define RANKED_1 RANKED " + 1" /* one more: are there more? */
#define PROBE SEARCH_PROBE

/* bm25's weights per column (title, excerpt, body, tags, section,
 * author): the ones the search migration gave FTS5's rank. */
#define WEIGHTS "10, 4, 1, 6, 2, 2"

static const char SQL_SEARCH[] =
	"WITH cand AS (SELECT rowid AS id, gz_rank(story_fts, ?4, " WEIGHTS ") AS r"
	" FROM story_fts WHERE story_fts MATCH ?1 ORDER BY rowid DESC LIMIT " RANKED_1 "),"
	" top AS (SELECT id, r FROM cand ORDER BY r, id DESC LIMIT ?2 OFFSET ?3)"
	" SELECT " STORY_COLS ","
	" highlight(story_fts, 0, char(1), char(2)),"
	" snippet(story_fts, 1, char(1), char(2), '…', 24),"
	" snippet(story_fts, 2, char(1), char(2), '…', 24),"
	" (SELECT count(*) FROM cand)"
	" FROM top JOIN story_fts ON story_fts.rowid = top.id"
	" JOIN stories s ON s.id = top.id" STORY_JOINS
	" WHERE story_fts MATCH ?1 AND" IS_PUBLISHED " ORDER BY top.r, s.published_at DESC";
static const char SQL_COUNT[] = "SELECT count(*) FROM (SELECT 1 FROM story_fts"
	" WHERE story_fts MATCH ?1 LIMIT " RANKED_1 ")";
/* One word: how many of its newest PROBE stories there are, and the
 * oldest of them. */
static const char SQL_PROBE[] = "SELECT count(*), min(id) FROM (SELECT rowid AS id"
	" FROM story_fts WHERE story_fts MATCH ?1 ORDER BY rowid DESC LIMIT " STR(PROBE) ")";
static const struct search_sql search_sql_lite = { SQL_SEARCH, NULL, SQL_COUNT, SQL_PROBE };
static const char SQL_SPAN[] = "SELECT (SELECT min(id) FROM stories WHERE status = 3),"
	" (SELECT max(id) FROM stories WHERE status = 3)";

/* ------------------------------------------------------------ words */

#define WORDS_MAX 64 /* search_query_build makes at most 32 */

struct term {
	const char *phrase;  /* "word", quotes included */
	size_t len;
	double df;           /* stories holding it: exact below PROBE */
};

/* The stories holding t, read from at most PROBE of them: past that, the
 * share of ids from the PROBE-th newest one to the newest (span: the ids
 * of published stories, oldest and newest). */
static int term_df(struct store *st, const struct search_sql *sql, struct term *t,
		   const long long span[2])
{
	dbq *s = stmt(st, sql->probe);
	if (!s)
		return STORE_ERROR;
	q_text_n(s, 1, t->phrase, t->len);
	int rc = q_step(s);
	long long n = rc == DB_ROW ? q_col_int(s, 0) : 0;
	long long oldest = rc == DB_ROW ? q_col_int(s, 1) : 0;
	done(s);
	if (rc != DB_ROW)
		return fail(st, "search probe");
	t->df = (double)n;
	if (n >= PROBE && span[1] >= oldest && oldest > span[0])
		t->df = (double)n * (double)(span[1] - span[0] + 1) / (double)(span[1] - oldest + 1);
	return STORE_OK;
}

/* Splits match (quoted words separated by spaces, search_query_build's
 * form) into at most max terms. */
static size_t split_terms(const char *match, struct term *t, size_t max)
{
	size_t n = 0;
	for (const char *c = match; *c && n < max;) {
		const char *e = strchr(c, ' ');
		size_t len = e ? (size_t)(e - c) : strlen(c);
		if (len)
			t[n++] = (struct term){ .phrase = c, .len = len };
		c += len + (e ? 1 : 0);
	}
	return n;
}

size_t store_search_keep(const double *df, size_t n, int *kept)
{
	size_t by_df[WORDS_MAX];   /* indexes, rarest first, ties in order */
	n = n < WORDS_MAX ? n : WORDS_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && df[by_df[j - 1]] > df[i]; j--)
			by_df[j] = by_df[j - 1];
		by_df[j] = i;
	}
	size_t keep = n < STORE_SEARCH_TERMS ? n : STORE_SEARCH_TERMS;
	double sum = 0;
	for (size_t k = 0; k < keep; k++)
		sum += df[by_df[k]];
	while (keep > STORE_SEARCH_TERMS_MIN && sum > STORE_SEARCH_POSTINGS)
		sum -= df[by_df[--keep]];
	for (size_t i = 0; i < n; i++)
		kept[i] = 0;
	for (size_t k = 0; k < keep; k++)
		kept[by_df[k]] = 1;
	return keep;
}

/* Keeps the words of t[0..n) that store_search_keep picks, in their
 * order; returns how many. */
static size_t keep_rarest(struct term *t, size_t n)
{
	double df[WORDS_MAX] = { 0 };
	int kept[WORDS_MAX];
	for (size_t i = 0; i < n; i++)
		df[i] = t[i].df;
	store_search_keep(df, n, kept);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (kept[i])
			t[m++] = t[i];
	return m;
}

static void row_hit(struct pool *p, dbq *s, void *e)
{
	struct search_hit *h = e;
	row_story(p, s, &h->story);
	h->story.body_md = h->story.body_html = NULL; /* columns STORY_NCOLS+ are ours */
	h->title_marked = q_col_text(p, s, STORY_NCOLS);
	const char *excerpt = q_col_text(p, s, STORY_NCOLS + 1);
	const char *body = q_col_text(p, s, STORY_NCOLS + 2);
	/* the passage with a match in it; the excerpt when neither has one */
	if (strchr(body, STORE_MARK_OPEN) && !strchr(excerpt, STORE_MARK_OPEN))
		h->snippet_marked = body;
	else
		h->snippet_marked = excerpt[0] ? excerpt : body;
	h->ranked = (size_t)q_col_int(s, STORY_NCOLS + 3);
}

/* The ids of the oldest and newest published stories (0, 0: none). */
static int id_span(struct store *st, long long span[2])
{
	dbq *s = stmt(st, SQL_SPAN);
	if (!s)
		return STORE_ERROR;
	int rc = q_step(s);
	span[0] = rc == DB_ROW ? q_col_int(s, 0) : 0;
	span[1] = rc == DB_ROW ? q_col_int(s, 1) : 0;
	done(s);
	return rc == DB_ROW ? STORE_OK : fail(st, "search span");
}

/* The words of t[0..n) as an FTS5 AND (quoted) or for display (bare). */
static const char *join_terms(struct pool *p, const struct term *t, size_t n, int quoted)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += t[i].len + 1;
	char *r = pool_alloc(p, len), *o = r;
	for (size_t i = 0; i < n; i++) {
		/* bare: without its quotes, when it has two (a raw match given
		 * to store_search may hold a lone one) */
		size_t cut = !quoted && t[i].len >= 2 ? 1 : 0;
		if (i)
			*o++ = ' ';
		memcpy(o, t[i].phrase + cut, t[i].len - 2 * cut);
		o += t[i].len - 2 * cut;
	}
	*o = '\0';
	return r;
}

/* 1 when sql has a search_walk and walking the newest stories finds the
 * newest STORE_SEARCH_RANKED + 1 matches of the words (df: their numbers
 * of stories) in fewer reads than visiting every match: with the words
 * independent, a share d = the product of df/N of the N stories match,
 * the walk reads RANKED / d stories and the visit d * N, so the walk
 * when d * d * N > RANKED. */
static int walk_newest(const struct search_sql *sql, const double *df, size_t n,
		       const long long span[2])
{
	double stories = (double)(span[1] - span[0] + 1), d = 1;
	if (!sql->search_walk || stories < 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		d *= df[i] < stories ? df[i] / stories : 1.0;
	return d * d * stories > (double)STORE_SEARCH_RANKED;
}

/* How many stories match (at most STORE_SEARCH_RANKED + 1). */
static int count_matches(struct store *st, const struct search_sql *sql, const char *match,
			 size_t *total)
{
	dbq *s = stmt(st, sql->count);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, match);
	int rc = q_step(s);
	*total = rc == DB_ROW ? (size_t)q_col_int(s, 0) : 0;
	done(s);
	return rc == DB_ROW ? STORE_OK : fail(st, "search count");
}

int store_search(struct store *st, struct pool *p, const char *match, size_t offset,
		 size_t limit, struct search_hit **out, size_t *n, size_t *total,
		 const char **used)
{
	struct term t[WORDS_MAX];
	long long span[2];
	int lite = st->db->lite != NULL;
	const struct search_sql *sql = lite ? &search_sql_lite : &search_sql_pg;
	*out = NULL;
	*n = *total = 0;
	dep(st, "list:home"); /* any publish or unpublish may change the results */
	if ((lite && search_rank_ready(st)) || id_span(st, span))
		return STORE_ERROR;
	size_t nt = split_terms(match, t, WORDS_MAX);
	for (size_t i = 0; i < nt; i++)
		if (term_df(st, sql, &t[i], span))
			return STORE_ERROR;
	nt = keep_rarest(t, nt);
	if (used)
		*used = join_terms(p, t, nt, 0);
	double df[STORE_SEARCH_TERMS];
	int none = nt == 0;
	for (size_t i = 0; i < nt; i++)
		none |= (df[i] = t[i].df) == 0;
	if (none) /* a word no story holds: the AND is empty */
		return STORE_OK;
	const char *kept = join_terms(p, t, nt, 1);
	dbq *s = stmt(st, walk_newest(sql, df, nt, span) ? sql->search_walk : sql->search);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, kept);
	q_int(s, 2, (long long)limit);
	q_int(s, 3, (long long)offset);
	if (lite) /* gz_rank's; ts_rank reads the index's own */
		q_blob(s, 4, df, nt * sizeof *df);
	int rc = collect(st, p, s, sizeof **out, row_hit, (void **)out, n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++)
		rc = stories_done(st, p, &(*out)[i].story, 1);
	if (rc != STORE_OK || (*n == 0 && offset == 0))
		return rc;
	if (*n) /* the matches were walked once, for ranking: no second walk */
		*total = (*out)[0].ranked;
	else /* a page past the end */
		rc = count_matches(st, sql, kept, total);
	return rc;
}
