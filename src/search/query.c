/*
 * query: reader input -> a safe FTS5 MATCH expression (see query.h).
 *
 * The one decision: we decide what a word is here, close to what SQLite's
 * unicode61 tokenizer will do, and quote every word. A quoted string is
 * only ever a phrase to FTS5, so no input reaches its query parser as
 * syntax. Words that the tokenizer would reduce to nothing (symbols,
 * emoji, lone combining marks) are left out here, because an empty phrase
 * would make the whole AND match nothing.
 */
#include "query.h"
#include "../render/escape.h"
#include "../store/store_search.h"

#include <string.h>
#include <strings.h>

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length and
 * sets *cp, or returns 1 with *cp = -1 for an invalid byte. */
static size_t utf8_next(const unsigned char *s, size_t n, long *cp)
{
	unsigned c = s[0];
	size_t len;
	long v, min;
	*cp = -1;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 1;
	if (len > n)
		return 1;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 1;
	*cp = v;
	return len;
}

/* Code points that separate words: not letters or digits to unicode61.
 * Ranges, inclusive, sorted. */
static const long separators[][2] = {
	{ 0x00, 0x2f }, { 0x3a, 0x40 }, { 0x5b, 0x60 }, { 0x7b, 0xa9 }, { 0xab, 0xb1 },
	{ 0xb4, 0xb4 }, { 0xb6, 0xb8 }, { 0xbb, 0xbb }, { 0xbf, 0xbf }, { 0xd7, 0xd7 },
	{ 0xf7, 0xf7 }, { 0x2c2, 0x2c5 }, { 0x2d2, 0x2df }, { 0x37e, 0x37e },
	{ 0x55a, 0x55f }, { 0x589, 0x58a }, { 0x5be, 0x5be }, { 0x5c0, 0x5c0 },
	{ 0x5c3, 0x5c3 }, { 0x5c6, 0x5c6 }, { 0x5f3, 0x5f4 }, { 0x600, 0x60f },
	{ 0x61b, 0x61f }, { 0x66a, 0x66d }, { 0x6d4, 0x6d4 }, { 0x964, 0x965 },
	{ 0x970, 0x970 }, { 0xe3f, 0xe3f }, { 0xe4f, 0xe4f }, { 0xe5a, 0xe5b },
	{ 0x2000, 0x206f }, { 0x20a0, 0x20cf }, { 0x2100, 0x2101 }, { 0x2103, 0x2106 },
	{ 0x2108, 0x2109 }, { 0x2114, 0x2114 }, { 0x2116, 0x2118 }, { 0x211e, 0x2123 },
	{ 0x2125, 0x2125 }, { 0x2127, 0x2127 }, { 0x2129, 0x2129 }, { 0x212e, 0x212e },
	{ 0x213a, 0x213b }, { 0x2140, 0x2144 }, { 0x214a, 0x214d }, { 0x214f, 0x214f },
	{ 0x2190, 0x245f }, { 0x2500, 0x2775 }, { 0x2794, 0x2bff }, { 0x2e00, 0x2e7f },
	{ 0x3000, 0x3004 }, { 0x3008, 0x3020 }, { 0x3030, 0x3030 }, { 0xfd3e, 0xfd3f },
	{ 0xfe10, 0xfe1f }, { 0xfe30, 0xfe6f }, { 0xfeff, 0xfeff }, { 0xff00, 0xff0f },
	{ 0xff1a, 0xff20 }, { 0xff3b, 0xff40 }, { 0xff5b, 0xff65 }, { 0xfff0, 0xffff },
	{ 0x1f000, 0x1faff },
};

/* Combining marks: part of a word, but not a word on their own. */
static const long marks[][2] = {
	{ 0x300, 0x36f }, { 0x483, 0x489 }, { 0x591, 0x5bd }, { 0x610, 0x61a },
	{ 0x64b, 0x65f }, { 0x670, 0x670 }, { 0x6d6, 0x6dc }, { 0x6df, 0x6e4 },
	{ 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f },
};

static int in_ranges(const long (*r)[2], size_t n, long cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid][0])
			hi = mid;
		else if (cp > r[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

#define NRANGES(a) (sizeof a / sizeof a[0])

static int is_separator(long cp)
{
	return cp < 0 || in_ranges(separators, NRANGES(separators), cp);
}

static int is_mark(long cp)
{
	return in_ranges(marks, NRANGES(marks), cp);
}

static size_t count_chars(const char *in, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)in[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Word w[0..n) cut to SEARCH_MAX_TERM bytes at a character boundary. */
static size_t term_len(const char *w, size_t n)
{
	if (n > SEARCH_MAX_TERM) {
		n = SEARCH_MAX_TERM;
		while (n && ((unsigned char)w[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

/* 1 when words (space-separated, from wstart) holds w[0..n) already, as
 * the tokenizer would see it (ASCII case folded): a word repeated 32 times
 * is searched once, not 32 times. */
static int seen(const struct buf *words, size_t wstart, const char *w, size_t n)
{
	const char *p = buf_str(words) + wstart, *end = buf_str(words) + words->len;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t len = (size_t)((sp ? sp : end) - p);
		if (len == n && strncasecmp(p, w, n) == 0)
			return 1;
		p += len + 1;
	}
	return 0;
}

/* Appends word w[0..n) (cut by term_len) to both buffers. */
static void add_word(struct buf *match, struct buf *words, const char *w, size_t n, int first)
{
	if (!first) {
		buf_putc(match, ' ');
		buf_putc(words, ' ');
	}
	buf_putc(match, '"');
	buf_add(match, w, n); /* a word never holds '"': it is a separator */
	buf_putc(match, '"');
	buf_add(words, w, n);
}

enum search_qerr search_query_build(const char *in, size_t len, struct buf *match,
				    struct buf *words, struct search_query *q)
{
	const unsigned char *s = (const unsigned char *)in;
	memset(q, 0, sizeof *q);
	if (count_chars(in, len) > SEARCH_MAX_CHARS)
		return SEARCH_QTOOLONG;
	size_t mstart = match->len, wstart = words->len;
	size_t i = 0;
	while (i < len) {
		long cp;
		size_t step = utf8_next(s + i, len - i, &cp);
		if (is_separator(cp)) {
			i += step;
			continue;
		}
		size_t start = i;
		int has_base = 0;
		while (i < len) {
			step = utf8_next(s + i, len - i, &cp);
			if (is_separator(cp))
				break;
			has_base |= !is_mark(cp);
			i += step;
		}
		size_t n = term_len(in + start, i - start);
		if (!has_base || seen(words, wstart, in + start, n))
			continue;
		if (q->nterms == SEARCH_MAX_TERMS) {
			q->truncated = 1;
			break;
		}
		add_word(match, words, in + start, n, q->nterms == 0);
		q->nterms++;
	}
	q->match = buf_str(match) + mstart;
	q->words = buf_str(words) + wstart;
	return q->nterms ? SEARCH_QOK : SEARCH_QEMPTY;
}

void search_highlight_html(struct buf *out, const char *text)
{
	int open = 0;
	const char *run = text;
	for (const char *p = text; p && *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20)
			continue;
		html_textn(out, run, (size_t)(p - run));
		run = p + 1;
		if (c == '\n' || c == '\t' || c == '\r') /* a snippet is one line */
			buf_putc(out, ' ');
		else if (c == (unsigned char)STORE_MARK_OPEN && !open) {
			buf_puts(out, "<mark>");
			open = 1;
		} else if (c == (unsigned char)STORE_MARK_CLOSE && open) {
			buf_puts(out, "</mark>");
			open = 0;
		}
	}
	if (run)
		html_text(out, run);
	if (open)
		buf_puts(out, "</mark>");
}
