/*
 * search_query_fuzz: libFuzzer target for src/search/query.c.
 *
 * Checks on every input the promises that make the result safe to hand to
 * FTS5: the expression is only double-quoted words separated by single
 * spaces, no word holds a '"' or a control byte, everything is valid
 * UTF-8, there are at most SEARCH_MAX_TERMS words of at most
 * SEARCH_MAX_TERM bytes, and the word list matches the expression. Also
 * runs the highlighter and checks its <mark> tags balance.
 *
 *   make fuzz-build && ./build-fuzz/search_query_fuzz fuzz/corpus/search_query
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/search/query.h"
#include "../src/util/utf8.h"

static void check_match(const struct search_query *q, enum search_qerr e)
{
	const char *m = q->match;
	size_t len = strlen(m);
	int words = 0;
	if (e != SEARCH_QOK) {
		if (q->nterms != 0 || (e == SEARCH_QEMPTY && len != 0))
			abort();
		return;
	}
	if (!utf8_valid(m, len))
		abort();
	for (size_t i = 0; i < len;) {
		if (words && m[i++] != ' ')
			abort();
		if (m[i++] != '"')
			abort();
		size_t start = i;
		while (i < len && m[i] != '"') {
			if ((unsigned char)m[i] < 0x20)
				abort();
			i++;
		}
		if (i == len || i == start || i - start > SEARCH_MAX_TERM)
			abort();
		i++; /* closing quote */
		words++;
	}
	if (words != q->nterms || words > SEARCH_MAX_TERMS)
		abort();
	if (strlen(q->words) + 2 * (size_t)words != len)
		abort();
}

static void check_highlight(const char *text)
{
	struct buf b = BUF_INIT;
	search_highlight_html(&b, text);
	const char *s = buf_str(&b);
	int open = 0;
	for (const char *p = s; (p = strchr(p, '<')); p++) {
		if (strncmp(p, "<mark>", 6) == 0)
			open++;
		else if (strncmp(p, "</mark>", 7) == 0)
			open--;
		else
			abort(); /* any other '<' must have been escaped */
		if (open < 0 || open > 1)
			abort();
	}
	if (open != 0)
		abort();
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf m = BUF_INIT, w = BUF_INIT;
	struct search_query q;
	enum search_qerr e = search_query_build((const char *)data, size, &m, &w, &q);
	if (e != SEARCH_QTOOLONG)
		check_match(&q, e);
	buf_release(&m);
	buf_release(&w);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_highlight(text);
	free(text);
	return 0;
}
