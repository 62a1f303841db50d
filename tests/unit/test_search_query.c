/*
 * Unit tests for src/search/query.c: reader input -> safe FTS5 query, and
 * highlighted snippets -> escaped HTML; and which words of a long query
 * the store matches (store_search_keep).
 */
#include "../../src/search/query.h"
#include "../../src/store/store_search.h"
#include "../../src/util/utf8.h"
#include "t.h"

#include <stdlib.h>

struct qcase {
	const char *in;
	const char *match; /* NULL: SEARCH_QEMPTY */
};

static void check_cases(const struct qcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct buf m = BUF_INIT, w = BUF_INIT;
		struct search_query q;
		enum search_qerr e = search_query_build(c[i].in, strlen(c[i].in), &m, &w, &q);
		if (c[i].match) {
			CHECK(e == SEARCH_QOK);
			CHECK_STR(q.match, c[i].match);
		} else
			CHECK(e == SEARCH_QEMPTY && q.nterms == 0);
		buf_release(&m);
		buf_release(&w);
	}
}

static void test_words(void)
{
	static const struct qcase cases[] = {
		{ "energy", "\"energy\"" },
		{ "  Baku   Pakistan ", "\"Baku\" \"Pakistan\"" },
		{ "COP29", "\"COP29\"" },
		{ "don't", "\"don\" \"t\"" },
		{ "", NULL },
		{ "   ", NULL },
	};
	check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_operators_are_words_or_nothing(void)
{
	static const struct qcase cases[] = {
		{ "a AND b", "\"a\" \"AND\" \"b\"" },
		{ "NOT energy", "\"NOT\" \"energy\"" },
		{ "NEAR(a b, 2)", "\"NEAR\" \"a\" \"b\" \"2\"" },
		{ "ener*", "\"ener\"" },
		{ "^title", "\"title\"" },
		{ "title:baku", "\"title\" \"baku\"" },
		{ "\"unbalanced", "\"unbalanced\"" },
		{ "\"\"\"", NULL },
		{ "(((", NULL },
		{ "- + * ^ : \" ' ( ) { } [ ]", NULL },
		{ "a\"b", "\"a\" \"b\"" },
		{ "{title body}: x", "\"title\" \"body\" \"x\"" },
	};
	check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_scripts(void)
{
	static const struct qcase cases[] = {
		{ "Bakı şəhəri", "\"Bakı\" \"şəhəri\"" },
		{ "Азербайджан, Пакистан", "\"Азербайджан\" \"Пакистан\"" },
		{ "پاکستان۔ آذربائیجان", "\"پاکستان\" \"آذربائیجان\"" },
		{ "“quoted” — dash…", "\"quoted\" \"dash\"" },
		{ "emoji 😀 only", "\"emoji\" \"only\"" },
		{ "😀😀", NULL },
		{ "\xcc\x81", NULL }, /* a lone combining accent */
		{ "cafe\xcc\x81", "\"cafe\xcc\x81\"" },
	};
	check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_bytes(void)
{
	/* invalid UTF-8 and control bytes separate words, never pass through */
	static const struct qcase cases[] = {
		{ "ab\xff" "cd", "\"ab\" \"cd\"" },
		{ "\xc3\x28 x", "\"x\"" },
		{ "\xed\xa0\x80 y", "\"y\"" }, /* a surrogate */
		{ "a\x01" "b\tc", "\"a\" \"b\" \"c\"" },
	};
	check_cases(cases, sizeof cases / sizeof cases[0]);
	/* a NUL in the middle is a separator too */
	struct buf m = BUF_INIT, w = BUF_INIT;
	struct search_query q;
	CHECK(search_query_build("ab\0cd", 5, &m, &w, &q) == SEARCH_QOK);
	CHECK_STR(q.match, "\"ab\" \"cd\"");
	CHECK_STR(q.words, "ab cd");
	buf_release(&m);
	buf_release(&w);
}

/* A repeated word is searched once: 32 times "baku" cost 32 phrase
 * lookups of the same posting list (0.8-1.2 s at 400,000 stories). */
static void test_repeats_folded(void)
{
	static const struct qcase cases[] = {
		{ "baku baku BAKU Baku baku", "\"baku\"" },
		{ "energy baku energy ENERGY", "\"energy\" \"baku\"" },
		{ "Ürdü ürdü Ürdü", "\"Ürdü\" \"ürdü\"" }, /* only ASCII folded here; FTS5 folds the rest */
	};
	check_cases(cases, sizeof cases / sizeof cases[0]);
	char in[4096];
	size_t o = 0;
	for (int i = 0; i < 100; i++)
		o += (size_t)snprintf(in + o, sizeof in - o, "pakistan ");
	o += (size_t)snprintf(in + o, sizeof in - o, "azerbaijan");
	struct buf m = BUF_INIT, w = BUF_INIT;
	struct search_query q;
	CHECK(search_query_build(in, o, &m, &w, &q) == SEARCH_QOK);
	CHECK(q.nterms == 2 && !q.truncated);
	CHECK_STR(q.match, "\"pakistan\" \"azerbaijan\"");
	buf_release(&m);
	buf_release(&w);
}

static void test_limits(void)
{
	struct buf m = BUF_INIT, w = BUF_INIT;
	struct search_query q;
	char *in = malloc(4 * SEARCH_MAX_CHARS + 8);
	/* exactly SEARCH_MAX_CHARS characters (2-byte ones) is accepted */
	for (int i = 0; i < SEARCH_MAX_CHARS; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	CHECK(search_query_build(in, 2 * SEARCH_MAX_CHARS, &m, &w, &q) == SEARCH_QOK);
	CHECK(q.nterms == 1);
	CHECK(strlen(q.match) <= SEARCH_MAX_TERM + 2);
	CHECK(utf8_valid(q.match, strlen(q.match)));
	buf_reset(&m);
	buf_reset(&w);
	/* one more is refused */
	memcpy(in + 2 * SEARCH_MAX_CHARS, "x", 1);
	CHECK(search_query_build(in, 2 * SEARCH_MAX_CHARS + 1, &m, &w, &q) == SEARCH_QTOOLONG);
	/* more than SEARCH_MAX_TERMS words: the rest is dropped, and said */
	size_t o = 0;
	for (int i = 0; i < SEARCH_MAX_TERMS + 5; i++)
		o += (size_t)sprintf(in + o, "w%d ", i);
	CHECK(search_query_build(in, o, &m, &w, &q) == SEARCH_QOK);
	CHECK(q.nterms == SEARCH_MAX_TERMS && q.truncated == 1);
	free(in);
	buf_release(&m);
	buf_release(&w);
}

static void test_highlight(void)
{
	struct buf b = BUF_INIT;
	search_highlight_html(&b, "a \x01<b>\x02 & \x01x");
	CHECK_STR(buf_str(&b), "a <mark>&lt;b&gt;</mark> &amp; <mark>x</mark>");
	buf_reset(&b);
	search_highlight_html(&b, "\x02stray\x02 close\nline\x03");
	CHECK_STR(buf_str(&b), "stray close line");
	buf_reset(&b);
	search_highlight_html(&b, "\x01\x01nested\x02\x02");
	CHECK_STR(buf_str(&b), "<mark>nested</mark>");
	buf_release(&b);
}

/* The rarest words are kept, at most 8, and past 4 only while the
 * stories holding them add up to at most STORE_SEARCH_POSTINGS. */
static void test_keep_rarest(void)
{
	int kept[64];
	/* few words: all of them */
	const double few[] = { 380000, 12, 5000 };
	CHECK(store_search_keep(few, 3, kept) == 3 && kept[0] && kept[1] && kept[2]);
	/* 20 distinct words, rare ones among them: the 8 rarest */
	double many[20];
	for (int i = 0; i < 20; i++)
		many[i] = 1000.0 * (20 - i);  /* word 19 is the rarest */
	CHECK(store_search_keep(many, 20, kept) == 8);
	for (int i = 0; i < 20; i++)
		CHECK(kept[i] == (i >= 12));
	/* equals: the first ones */
	double same[10];
	for (int i = 0; i < 10; i++)
		same[i] = 7;
	CHECK(store_search_keep(same, 10, kept) == 8 && kept[0] && kept[7] && !kept[8]);
	/* 8 words each in 85,000 stories: 4, the walk of the rest is too long */
	double common[8];
	for (int i = 0; i < 8; i++)
		common[i] = 85000 + i;
	CHECK(store_search_keep(common, 8, kept) == 4);
	CHECK(kept[0] && kept[3] && !kept[4] && !kept[7]);
	/* 8 very common words: still 4 (each matched word narrows little) */
	double the[8] = { 380000, 379000, 378000, 377000, 376000, 375000, 374000, 373000 };
	CHECK(store_search_keep(the, 8, kept) == STORE_SEARCH_TERMS_MIN);
	CHECK(!kept[0] && kept[7]);
	/* the budget lets 5 words of 70,000 through (350,000), not a 6th */
	double mid[7] = { 70000, 70000, 70000, 70000, 70000, 70000, 70000 };
	CHECK(store_search_keep(mid, 7, kept) == 5);
}

int main(void)
{
	RUN(test_words);
	RUN(test_operators_are_words_or_nothing);
	RUN(test_scripts);
	RUN(test_bytes);
	RUN(test_limits);
	RUN(test_repeats_folded);
	RUN(test_highlight);
	RUN(test_keep_rarest);
	return T_DONE();
}
