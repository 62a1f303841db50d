/*
 * Unit tests for src/content/slug.c.
 */
#include "../../src/content/slug.h"
#include "t.h"

#include "../../src/util/utf8.h"

struct slug_case {
	const char *in;
	const char *want;
};

static void test_ascii(void)
{
	static const struct slug_case cases[] = {
		{ "Pakistan-Azerbaijan Ties: Strengthening Bonds for Development",
		  "pakistan-azerbaijan-ties-strengthening-bonds-for-development" },
		{ "Hello, World!", "hello-world" },
		{ "  --Leading and trailing--  ", "leading-and-trailing" },
		{ "Pakistan's PM", "pakistan-s-pm" },
		{ "COVID-19: 2024 update", "covid-19-2024-update" },
		{ "a_b.c/d\\e", "a-b-c-d-e" },
		{ "", "" },
		{ "!!! ??? ...", "" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = slug_make(cases[i].in, out, sizeof out);
		CHECK_STR(out, cases[i].want);
		CHECK(n == (int)strlen(cases[i].want));
	}
}

static void test_latin(void)
{
	static const struct slug_case cases[] = {
		{ "Café au lait à Bakı", "cafe-au-lait-a-baki" },
		{ "Élysée Ñandú Ærø Œuvre", "elysee-nandu-aero-oeuvre" },
		{ "Straße Þór Đorđe ðú", "strasse-thor-dorde-du" },
		{ "Əliyev və Ərdoğan", "eliyev-ve-erdogan" },
		{ "ĞÜŞİÖÇ ğüşıöç", "gusioc-gusioc" },
		{ "Łódź Kraków Žižkov Šťastný", "lodz-krakow-zizkov-stastny" },
		{ "ÁÀÂÄÅÃ ÓÒÔÖÕØ ÚÙÛÜ ÍÌÎÏ ÝŸ ŹŻ ĆČ ŃŚ",
		  "aaaaaa-oooooo-uuuu-iiii-yy-zz-cc-ns" },
		{ "e\xCC\x81te\xCC\x81", "ete" }, /* decomposed accents */
		{ "Ｆｕｌｌ２０２４", "full2024" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		slug_make(cases[i].in, out, sizeof out);
		CHECK_STR(out, cases[i].want);
	}
}

static void test_other_scripts(void)
{
	static const struct slug_case cases[] = {
		{ "Путин и Алиев", "путин-и-алиев" },
		{ "Ёлка ЎЗБЕК Әліппе Ҳаёт", "ёлка-ўзбек-әліппе-ҳаёт" },
		{ "Ελλάδα ΑΘΗΝΑ", "ελλάδα-αθηνα" },
		{ "پاکستان اور آذربائیجان۔ تعلقات",
		  "پاکستان-اور-آذربائیجان-تعلقات" },
		{ "العلاقات، الثنائية؟", "العلاقات-الثنائية" },
		{ "日本語のニュース、東京", "日本語のニュース-東京" },
		{ "Emoji 🎉 party 👍🏽!", "emoji-party" },
		{ "zero\xE2\x80\x8Bwidth", "zerowidth" },
		{ "a\xC2\xA0" "b\xE2\x80\x94" "c\xE2\x80\x99s", "a-b-c-s" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		slug_make(cases[i].in, out, sizeof out);
		CHECK_STR(out, cases[i].want);
	}
}

static void test_invalid_utf8(void)
{
	static const struct slug_case cases[] = {
		{ "ab\xFF" "cd", "abcd" },
		{ "ab\xC0\x80" "cd", "abcd" },		/* overlong NUL */
		{ "ab\xED\xA0\x80" "cd", "abcd" },	/* surrogate */
		{ "ab\xF4\x90\x80\x80" "cd", "abcd" },	/* past U+10FFFF */
		{ "ab\xE2\x82", "ab" },			/* truncated */
		{ "\x80\x80 x", "x" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		slug_make(cases[i].in, out, sizeof out);
		CHECK_STR(out, cases[i].want);
	}
}

static void test_limits(void)
{
	static const struct {
		const char *in;
		size_t size;
		const char *want;
	} cases[] = {
		{ "hello wonderful world", 12, "hello" },   /* cut at a '-' */
		{ "hello wonderful world", 16, "hello-wonderful" },
		{ "helloworld", 5, "hell" },                /* one word: hard cut */
		{ "ab ßc", 5, "ab" },                       /* "ss" is whole */
		{ "путин", 6, "пу" },                       /* never half a letter */
		{ "путин", 5, "пу" },
		{ "abc", 1, "" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = slug_make(cases[i].in, out, cases[i].size);
		CHECK_STR(out, cases[i].want);
		CHECK(n == (int)strlen(cases[i].want));
	}
	out[0] = 'x';
	CHECK(slug_make("abc", out, 0) == 0 && out[0] == 'x');
	CHECK(slug_make(NULL, out, sizeof out) == 0 && out[0] == '\0');
}

/* Long titles stop at SLUG_MAX bytes, valid UTF-8, no trailing '-'. */
static void test_max(void)
{
	char title[2000], out[1000];
	size_t p = 0;

	for (int i = 0; i < 150; i++)
		p += (size_t)sprintf(title + p, "Ăbc-Жд ");
	int n = slug_make(title, out, sizeof out);
	CHECK(n > 180 && n <= SLUG_MAX);
	CHECK((size_t)n == strlen(out));
	CHECK(utf8_valid(out, (size_t)n));
	CHECK(out[n - 1] != '-' && out[0] != '-');
	CHECK(strstr(out, "--") == NULL);

	memset(title, 'a', 500);
	title[500] = '\0';
	CHECK(slug_make(title, out, sizeof out) == SLUG_MAX);
}

int main(void)
{
	RUN(test_ascii);
	RUN(test_latin);
	RUN(test_other_scripts);
	RUN(test_invalid_utf8);
	RUN(test_limits);
	RUN(test_max);
	return T_DONE();
}
