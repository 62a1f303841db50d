/*
 * Unit tests for src/util/str.c (and num_hex_digit, which took the place of
 * the hex decoders): each character class over every byte, trimming with
 * each class, lowercasing, digit strings.
 */
#include "../../src/util/num.h"
#include "../../src/util/str.h"
#include "t.h"

/* Every byte value: in the class exactly when it is one of `members`. */
static int class_is(int (*is)(char), const char *members, size_t nmembers)
{
	for (int b = 0; b < 256; b++) {
		int want = b != 0 && memchr(members, b, nmembers) != NULL;
		if (is((char)b) != want) {
			fprintf(stderr, "  byte 0x%02x: got %d, want %d\n", b, is((char)b), want);
			return 0;
		}
	}
	return 1;
}

static void test_classes(void)
{
	CHECK(class_is(str_is_space, " \t\n\v\f\r", 6));
	CHECK(class_is(str_is_xml_space, " \t\n\r", 4));
	CHECK(class_is(str_is_blank, " \t", 2));
	CHECK(class_is(str_is_digit, "0123456789", 10));
	static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	CHECK(class_is(str_is_alnum, alnum, sizeof alnum - 1));
}

struct trim_case {
	int (*is)(char);
	const char *in, *want;
};

static void test_trim(void)
{
	static const struct trim_case cases[] = {
		{ str_is_space, "  a b \t\n", "a b" },
		{ str_is_space, "\v\fword\f\v", "word" },
		{ str_is_space, " \t\r\n ", "" },
		{ str_is_space, "", "" },
		{ str_is_space, "x", "x" },
		{ str_is_xml_space, "\r\n text \r\n", "text" },
		{ str_is_xml_space, "\fkept\v", "\fkept\v" },     /* FF, VT are not XML space */
		{ str_is_xml_space, " a\tb ", "a\tb" },           /* the inside is left alone */
		{ str_is_blank, " \tname=value\t ", "name=value" },
		{ str_is_blank, "\r\nline\r\n", "\r\nline\r\n" }, /* line ends are not blank */
		{ str_is_blank, " caf\xc3\xa9 ", "caf\xc3\xa9" },  /* UTF-8 is never space */
		{ str_is_space, "\xc2\xa0nbsp\xc2\xa0", "\xc2\xa0nbsp\xc2\xa0" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *s = cases[i].in;
		size_t n = strlen(s);
		str_trim(&s, &n, cases[i].is);
		char got[64];
		snprintf(got, sizeof got, "%.*s", (int)n, s);
		CHECK_STR(got, cases[i].want);
		char copy[64];
		snprintf(copy, sizeof copy, "%s", cases[i].in);
		CHECK_STR(str_trim_nul(copy, cases[i].is), cases[i].want);
	}
	/* a span is trimmed within its length, never past it */
	const char *s = "  ab  cd";
	size_t n = 6;
	str_trim(&s, &n, str_is_blank);
	CHECK(n == 2 && strncmp(s, "ab", 2) == 0);
}

static void test_lower(void)
{
	CHECK(str_lower_ascii('A') == 'a' && str_lower_ascii('Z') == 'z');
	CHECK(str_lower_ascii('@') == '@' && str_lower_ascii('[') == '[');
	for (int b = 0x80; b < 256; b++)
		CHECK(str_lower_ascii((char)b) == (char)b);
	char out[8];
	CHECK(str_lower_into(out, sizeof out, "Ed@Ex.ORG") == 7);
	CHECK_STR(out, "ed@ex.o"); /* cut to fit, NUL-terminated */
	CHECK(str_lower_into(out, sizeof out, "\xc3\x89T\xc3\x89") == 5);
	CHECK_STR(out, "\xc3\x89t\xc3\x89"); /* only ASCII letters change */
	CHECK(str_lower_into(out, sizeof out, NULL) == 0);
	CHECK_STR(out, "");
	out[0] = 'x';
	CHECK(str_lower_into(out, 1, "ABC") == 0 && out[0] == '\0');
	CHECK(str_lower_into(out, 0, "ABC") == 0);
}

static void test_digits(void)
{
	CHECK(str_is_digits("0") && str_is_digits("007") && str_is_digits("12345678901234567890123"));
	CHECK(!str_is_digits("") && !str_is_digits(NULL));
	CHECK(!str_is_digits("-1") && !str_is_digits("+1") && !str_is_digits(" 1"));
	CHECK(!str_is_digits("1 ") && !str_is_digits("1a") && !str_is_digits("\xd9\xa1")); /* Arabic-Indic one */
	unsigned long long v = 0;
	CHECK(num_parse_u64("18446744073709551615", ~0ull, &v) == 0 && v == ~0ull);
	CHECK(num_parse_u64("18446744073709551616", ~0ull, &v) == -1);
	CHECK(num_parse_u64("1x", 100, &v) == -1 && num_parse_u64("", 100, &v) == -1);
}

static void test_hex_digit(void)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	for (int b = 0; b < 256; b++) {
		const char *at = b ? memchr(hex, b, sizeof hex - 1) : NULL;
		int want = !at ? -1 : at - hex < 16 ? (int)(at - hex) : (int)(at - hex) - 6;
		CHECK(num_hex_digit((char)b) == want);
	}
}

int main(void)
{
	RUN(test_classes);
	RUN(test_trim);
	RUN(test_lower);
	RUN(test_digits);
	RUN(test_hex_digit);
	return T_DONE();
}
