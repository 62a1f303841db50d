/*
 * store_search_pg: the PostgreSQL side of store_search.h, its queries only:
 * store_search.c runs them, with SQLite's, through the same steps (each
 * word's number of stories probed, the rarest words kept, the newest
 * STORE_SEARCH_RANKED matches ranked, the page joined to stories and
 * marked), so the two engines keep one contract and one bounded cost.
 *
 * story_fts is schema_pg.h's table (migration 40): doc, the tsvector of a
 * published story's columns weighted A (title), B (tags), C (excerpt,
 * section, author) and D (body), of the words unaccented, stemmed and case
 * folded (PG_FTS_FOLD) as FTS5's 'porter unicode61 remove_diacritics 2'
 * makes SQLite's.
 *
 * - The reader's words (search_query_build's quoted words: letters and
 *   digits only) reach the database as one text parameter given to
 *   plainto_tsquery, which reads text, never tsquery syntax: whatever the
 *   match holds, its words are ANDed or it matches nothing, and no input
 *   is an error (FTS5's quoting gives SQLite the same).
 * - Ranking: ts_rank with the weights of FTS5's bm25 in store_search.c
 *   (title 10, tags 6, excerpt 4 with section and author, body 1, over 10)
 *   and the length normalised (1: divided by 1 + log of the length, as
 *   bm25 weighs a long story down); ties go to the newer story.
 * - Marks: ts_headline with STORE_MARK_OPEN/CLOSE as StartSel/StopSel,
 *   the whole title, a passage of at most 24 words (snippet()'s 24) of the
 *   excerpt and of the body; store_search.c picks the one with a mark.
 */
#include "store_search.h"
#include "store_int.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define RANKED STR(STORE_SEARCH_RANKED)

/* The reader's words as a tsquery: folded as PG_FTS_FOLD folds a story's. */
#define TSQUERY "plainto_tsquery('gz_search', lower(?1::text COLLATE \"und-x-icu\"))"
/* ts_rank's weights, D to A (store_search.c's WEIGHTS over 10) */
#define WEIGHTS "'{0.1, 0.4, 0.6, 1.0}'"
#define MARKS "StartSel=\x01" ", StopSel=\x02" ", "
#define HEADLINE(col, opts) "ts_headline('gz_search', " col ", " TSQUERY ", '" MARKS opts "')"
/* snippet()'s passage of col, at most SNIPPET_WORDS words: the whole of a
 * shorter text; of a longer one, the fragment around the words, with '…'
 * where it cuts the text (bare: the fragment without its marks) */
#define SNIPPET_WORDS "24"
#define SNIPPET(col)                                                                      \
	"CASE WHEN regexp_count(" col ", '\\s+') < " SNIPPET_WORDS                        \
	" THEN " HEADLINE(col, "HighlightAll=true")                                        \
	" ELSE (SELECT CASE WHEN starts_with(" col ", h.bare) THEN '' ELSE '…' END || h.h" \
	" || CASE WHEN right(" col ", length(h.bare)) = h.bare THEN '' ELSE '…' END"       \
	" FROM (SELECT x.h, translate(x.h, chr(1) || chr(2), '') AS bare FROM (SELECT "    \
	HEADLINE(col, "MaxWords=" SNIPPET_WORDS ", MinWords=12, ShortWord=0, MaxFragments=1") \
	" AS h) x) h) END"

/* The newest STORE_SEARCH_RANKED + 1 matches and the page of them, best
 * first, with cand the matches: by the GIN index (MATCHES: ordered by an
 * expression, so never by the walk) or by the walk of the newest stories
 * (WALK: a function, so never by the index), whatever the plan the
 * statement is given (a generic one knows no words). */
#define MATCHES "SELECT id FROM story_fts WHERE doc @@ " TSQUERY " ORDER BY id + 0 DESC"
#define WALK "SELECT id FROM story_fts WHERE ts_match_vq(doc, " TSQUERY ") ORDER BY id DESC"
#define SEARCH(cand) \
	"WITH cand AS (" cand " LIMIT " RANKED " + 1)," SEARCH_PAGE
#define SEARCH_PAGE \
	" top AS (SELECT f.id, ts_rank(" WEIGHTS ", f.doc, " TSQUERY ", 1) AS r" \
	" FROM cand JOIN story_fts f ON f.id = cand.id ORDER BY r DESC, f.id DESC" \
	" LIMIT ?2 OFFSET ?3)" \
	" SELECT " STORY_COLS "," \
	" " HEADLINE("f.title", "HighlightAll=true") "," \
	" " SNIPPET("f.excerpt") "," " " SNIPPET("f.body") "," \
	" (SELECT count(*) FROM cand)" \
	" FROM top JOIN story_fts f ON f.id = top.id" \
	" JOIN stories s ON s.id = top.id" STORY_JOINS \
	" WHERE" IS_PUBLISHED " ORDER BY top.r DESC, s.published_at DESC, s.id DESC"
static const char SQL_SEARCH[] = SEARCH(MATCHES);
static const char SQL_SEARCH_WALK[] = SEARCH(WALK);
static const char SQL_COUNT[] = "SELECT count(*) FROM (SELECT 1 FROM story_fts"
	" WHERE doc @@ " TSQUERY " LIMIT " RANKED " + 1) x";
static const char SQL_PROBE[] = "SELECT count(*), min(id) FROM (SELECT id FROM story_fts"
	" WHERE doc @@ " TSQUERY " ORDER BY id DESC LIMIT " STR(SEARCH_PROBE) ") x";

const struct search_sql search_sql_pg = { SQL_SEARCH, SQL_SEARCH_WALK, SQL_COUNT, SQL_PROBE };
