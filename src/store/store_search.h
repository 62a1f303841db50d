/*
 * store_search: full-text search over published stories (title, excerpt,
 * body, tags, section, author), ranked by relevance with title and tags
 * weighted up and recency breaking ties. The index itself is kept by the
 * database (schema_search.h), so no writer has to call anything here.
 */
#ifndef GZ_STORE_SEARCH_H
#define GZ_STORE_SEARCH_H

#include "store.h"

/* Highlighted words in title_marked and snippet_marked are wrapped in these
 * bytes; search_highlight_html (search/query.h) makes them <mark>. */
#define STORE_MARK_OPEN '\x01'
#define STORE_MARK_CLOSE '\x02'

struct search_hit {
	struct story story;          /* summary columns, as store_stories_list */
	const char *title_marked;    /* the title with matches marked */
	const char *snippet_marked;  /* a passage of the excerpt or body */
	size_t ranked;               /* matches ranked for this query (store_search.c) */
};

/* Matches ranked per query: when more stories match, the newest this many
 * are ranked and the rest are counted but not listed. */
#define STORE_SEARCH_RANKED 2000
/* Words matched per query: the rarest (the fewest stories hold them), at
 * most STORE_SEARCH_TERMS; past STORE_SEARCH_TERMS_MIN only while the
 * stories holding them add up to at most STORE_SEARCH_POSTINGS. The
 * rest are left out (store_search's *used names the ones matched). */
#define STORE_SEARCH_TERMS 8
#define STORE_SEARCH_TERMS_MIN 4
#define STORE_SEARCH_POSTINGS 400000
/* The words a query matches, given each word's number of stories df[i]
 * (n words, at most 64): kept[i] = 1 for each word kept, by the rule
 * above, the rarest first and the first of equals. Returns how many. */
size_t store_search_keep(const double *df, size_t n, int *kept);

/* Runs `match`, an FTS5 expression made by search_query_build (never raw
 * input: quoted words separated by spaces), best first. *total is the
 * number of matching stories, exact up to STORE_SEARCH_RANKED, which is
 * how many can be paged through (more: STORE_SEARCH_RANKED + 1). *used (when not NULL) gets the words that were matched,
 * space-separated, in the order given. Bounded work whatever the size of
 * the site: see store_search.c. */
int store_search(struct store *st, struct pool *p, const char *match, size_t offset,
		 size_t limit, struct search_hit **out, size_t *n, size_t *total,
		 const char **used);

#endif
