/*
 * search query: whatever a reader typed in the search box, turned into a
 * full-text query that cannot be anything but a list of words.
 *
 * The input is never passed through: its words are cut out (letters and
 * digits of any script; punctuation, symbols, quotes, operators and invalid
 * UTF-8 separate them), each is written as a double-quoted FTS5 string, and
 * the strings are joined by spaces (FTS5's implicit AND). "AND", "NEAR",
 * "*", "^", ":" and parentheses are therefore plain words or nothing.
 */
#ifndef GZ_SEARCH_QUERY_H
#define GZ_SEARCH_QUERY_H

#include <stddef.h>

#include "../util/buf.h"

#define SEARCH_MAX_CHARS 2000   /* longer input is refused (400) */
#define SEARCH_MAX_TERMS 32     /* words past this are ignored, and said so */
#define SEARCH_MAX_TERM 128     /* bytes of one word kept */

enum search_qerr { SEARCH_QOK, SEARCH_QEMPTY, SEARCH_QTOOLONG, SEARCH_QERR__MAX };

struct search_query {
	const char *match;   /* the FTS5 expression, e.g. "\"energy\" \"baku\"" */
	const char *words;   /* the words searched, space-separated, for display */
	int nterms;
	int truncated;       /* 1 when words past SEARCH_MAX_TERMS were dropped */
};

/* Builds q from in[0..len) (any bytes). match and words are appended to
 * the two buffers, which the caller owns; q's pointers point into them and
 * stay valid until the buffers change. SEARCH_QEMPTY when no word was
 * found, SEARCH_QTOOLONG when the input has more than SEARCH_MAX_CHARS
 * characters (nothing is built then). */
enum search_qerr search_query_build(const char *in, size_t len, struct buf *match,
				    struct buf *words, struct search_query *q);

/* Appends text as HTML with the store's highlight markers (STORE_MARK_OPEN
 * and STORE_MARK_CLOSE, store_search.h) turned into <mark></mark>:
 * everything else escaped, marks always balanced, other control
 * characters dropped. */
void search_highlight_html(struct buf *out, const char *text);

#endif
