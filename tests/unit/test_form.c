/*
 * test_form: form and query decoding, cookies, form_validate with the
 * comment form's spec, the validators, and num_parse.
 */
#include <limits.h>
#include <time.h>
#include <stdlib.h>

#include "t.h"
#include "../../src/http/form.h"
#include "../../src/util/num.h"
#include "../../src/util/pool.h"

/* A decoded list flattened to "k=v|k=v" so a table row is one string. */
static const char *flat(struct pool *p, const struct kvlist *l)
{
	const char *s = "";
	for (size_t i = 0; i < l->n; i++)
		s = pool_printf(p, "%s%s%s=%s", s, i ? "|" : "", l->v[i].key,
				l->v[i].val);
	return s;
}

static void test_decode(void)
{
	static const struct {
		const char *in;
		size_t max;
		enum form_err err;
		const char *want;
	} t[] = {
		{ "", 10, FORM_OK, "" },
		{ "a=1", 10, FORM_OK, "a=1" },
		{ "a=1&b=2", 10, FORM_OK, "a=1|b=2" },
		{ "a=hello+world", 10, FORM_OK, "a=hello world" },
		{ "a=hello%20world", 10, FORM_OK, "a=hello world" },
		{ "a=%2B%26%3D", 10, FORM_OK, "a=+&=" },
		{ "na%6De=%c3%a9t%C3%A9", 10, FORM_OK, "name=été" },
		{ "a=%zz", 10, FORM_EMALFORMED, "" },
		{ "a=%2", 10, FORM_EMALFORMED, "" },
		{ "a=%", 10, FORM_EMALFORMED, "" },
		{ "%=1", 10, FORM_EMALFORMED, "" },
		{ "&&a=1&&&b=2&", 10, FORM_OK, "a=1|b=2" },
		{ "&&&", 0, FORM_OK, "" },
		{ "flag", 10, FORM_OK, "flag=" },
		{ "flag&x=", 10, FORM_OK, "flag=|x=" },
		{ "=v", 10, FORM_OK, "=v" },
		{ "a=b=c", 10, FORM_OK, "a=b=c" },
		{ "a=1&a=2", 10, FORM_OK, "a=1|a=2" },
		{ "a=%C3%28", 10, FORM_EBADCHAR, "" },
		{ "%C3%28=a", 10, FORM_EBADCHAR, "" },
		{ "a=%00", 10, FORM_EBADCHAR, "" },
		{ "a=x%00y", 10, FORM_EBADCHAR, "" },
		{ "a=%ED%A0%80", 10, FORM_EBADCHAR, "" }, /* surrogate */
		{ "a=\xff", 10, FORM_EBADCHAR, "" },
		{ "a=1&b=2&c=3", 2, FORM_ETOOMANY, "" },
		{ "a=1&b=2&&", 2, FORM_OK, "a=1|b=2" },
		{ "a=%zz&b&c", 2, FORM_ETOOMANY, "" },
		{ "a", 0, FORM_ETOOMANY, "" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pool *p = pool_new();
		struct kvlist l = { (struct kv *)1, 99 };
		enum form_err e = form_decode(p, t[i].in, strlen(t[i].in),
					      t[i].max, &l);
		if (e != t[i].err)
			fprintf(stderr, "row %zu: %s: got %d\n", i, t[i].in, e);
		CHECK(e == t[i].err);
		CHECK_STR(flat(p, &l), t[i].want);
		if (e != FORM_OK)
			CHECK(l.v == NULL && l.n == 0);
		pool_free(p);
	}
}

static void test_decode_details(void)
{
	struct pool *p = pool_new();
	struct kvlist l;
	/* not NUL-terminated: only the first n bytes count */
	const char body[] = "a=xyz&b=2";
	CHECK(form_decode(p, body, 5, 10, &l) == FORM_OK);
	CHECK_STR(flat(p, &l), "a=xyz");
	CHECK(l.v[0].vlen == 3);
	CHECK(form_decode(p, NULL, 0, 10, &l) == FORM_OK && l.n == 0);
	CHECK(form_decode(p, "q=%E2%82%AC+5", 13, 10, &l) == FORM_OK);
	CHECK_STR(kv_get(&l, "q"), "€ 5");
	CHECK(l.v[0].vlen == 5);
	CHECK(kv_get(&l, "Q") == NULL);
	CHECK(kv_get(NULL, "q") == NULL);
	pool_free(p);

	CHECK_STR(form_strerror(FORM_OK), "ok");
	CHECK_STR(form_strerror(FORM_ETOOMANY), "too many form fields");
	CHECK_STR(form_strerror(FORM_EBADCHAR),
		  "form data is not valid UTF-8 or contains a NUL byte");
	CHECK_STR(form_strerror(FORM_EMALFORMED),
		  "malformed percent-escape in form data");
	CHECK_STR(form_strerror(FORM_ERR__MAX), "unknown form error");
}

static void test_cookies(void)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want;
	} t[] = {
		{ "", 10, "" },
		{ "a=1", 10, "a=1" },
		{ "a=1; b=2", 10, "a=1|b=2" },
		{ "a=1;b=2", 10, "a=1|b=2" },
		{ "  a = 1 ;\tb=2  ;", 10, "a=1|b=2" },
		{ "sid=\"abc\"", 10, "sid=abc" },
		{ "sid=\"\"", 10, "sid=" },
		{ "sid=\"abc", 10, "" },
		{ "e=", 10, "e=" },
		{ "noequals; a=1", 10, "a=1" },
		{ "=1; a=1", 10, "a=1" },
		{ "a b=1; c=2", 10, "c=2" },
		{ "a=x y; c=2", 10, "c=2" },
		{ "a=x,y; c=%41", 10, "c=%41" },
		{ "a=\xc3\xa9; c=2", 10, "c=2" },
		{ ";;;", 10, "" },
		{ "a=1; b=2; c=3", 2, "a=1|b=2" },
		{ "bad; a=1; b=2; c=3", 2, "a=1|b=2" },
		{ "a=1", 0, "" },
		{ "tok=a=b", 10, "tok=a=b" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pool *p = pool_new();
		struct kvlist l;
		cookie_decode(p, t[i].in, t[i].max, &l);
		CHECK_STR(flat(p, &l), t[i].want);
		pool_free(p);
	}
	struct pool *p = pool_new();
	struct kvlist l = { (struct kv *)1, 5 };
	cookie_decode(p, NULL, 10, &l);
	CHECK(l.n == 0);
	cookie_decode(p, "a=1; a=2", 10, &l);
	CHECK_STR(kv_get(&l, "a"), "1");
	CHECK(l.v[1].vlen == 1);
	pool_free(p);
}

/* The comment form, as the comment module will declare it. */
enum cf { CF_COMMENT, CF_AUTHOR, CF_EMAIL, CF_URL, CF_PARENT, CF__MAX };

static const struct field_spec comment_form[CF__MAX] = {
	[CF_COMMENT] = { "comment", 65525, 1, "Please enter your comment!",
			 "Your comment is too long.", NULL, NULL },
	[CF_AUTHOR] = { "author", 245, 1, "Please enter your name here",
			"Your name is too long.", NULL, NULL },
	[CF_EMAIL] = { "email", 100, 1, "Please enter your email address.",
		       "Your email address is too long.", field_email,
		       "Please enter a valid email address." },
	[CF_URL] = { "url", 200, 0, NULL, "Your website address is too long.",
		     field_http_url, "Please enter a valid website address." },
	[CF_PARENT] = { "comment_parent", 20, 0, NULL, "Invalid reply.",
			field_uint, "Invalid reply." },
};

/* Validate a urlencoded body against comment_form; "|"-joined summary of
 * each field as "val" or "!error". */
static const char *validate(struct pool *p, const char *body, size_t *nerr)
{
	struct kvlist l;
	struct field_val v[CF__MAX];
	const char *s = "";

	if (form_decode(p, body, strlen(body), 50, &l) != FORM_OK)
		return "(decode failed)";
	*nerr = form_validate(p, comment_form, CF__MAX, &l, v);
	for (size_t i = 0; i < CF__MAX; i++)
		s = pool_printf(p, "%s%s%s%s", s, i ? "|" : "",
				v[i].error ? "!" : "",
				v[i].error ? v[i].error : v[i].val);
	return s;
}

static void test_validate(void)
{
	static const struct {
		const char *body;
		size_t nerr;
		const char *want;
	} t[] = {
		{ "", 3,
		  "!Please enter your comment!|!Please enter your name here|"
		  "!Please enter your email address.||" },
		{ "comment=Hi&author=Ay%C5%9Fe&email=a%40b.az", 0,
		  "Hi|Ayşe|a@b.az||" },
		{ "comment=+++%0D%0A&author=%09&email=+", 3,
		  "!Please enter your comment!|!Please enter your name here|"
		  "!Please enter your email address.||" },
		{ "comment=+Nice+post.%0A+&author=++Bob+&email=+bob%40example.org+"
		  "&url=+https%3A%2F%2Fbob.example%2F+&comment_parent=+42+", 0,
		  "Nice post.|Bob|bob@example.org|https://bob.example/|42" },
		{ "comment=x&author=y&email=not-an-email", 1,
		  "x|y|!Please enter a valid email address.||" },
		{ "comment=x&author=y&email=a%40b.c&url=javascript:alert(1)", 1,
		  "x|y|a@b.c|!Please enter a valid website address.|" },
		{ "comment=x&author=y&email=a%40b.c&url=example.org%2Fx", 1,
		  "x|y|a@b.c|!Please enter a valid website address.|" },
		{ "comment=x&author=y&email=a%40b.c&comment_parent=-1", 1,
		  "x|y|a@b.c||!Invalid reply." },
		{ "comment=x&author=y&email=a%40b.c&comment_parent=9223372036854775808",
		  1, "x|y|a@b.c||!Invalid reply." },
		{ "comment=x&author=y&email=a%40b.c&comment_parent=123456789012345678901",
		  1, "x|y|a@b.c||!Invalid reply." },
		{ "comment=x&author=y&email=a%40b.c&comment_parent=9223372036854775807",
		  0, "x|y|a@b.c||9223372036854775807" },
		/* extra fields are ignored; the first of a repeated one wins */
		{ "comment=x&author=y&email=a%40b.c&submit=Post&_wpnonce=1&author=z",
		  0, "x|y|a@b.c||" },
		/* optional and blank: no error, even with a validator */
		{ "comment=x&author=y&email=a%40b.c&url=++&comment_parent=", 0,
		  "x|y|a@b.c||" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pool *p = pool_new();
		size_t nerr = 99;
		CHECK_STR(validate(p, t[i].body, &nerr), t[i].want);
		if (nerr != t[i].nerr)
			fprintf(stderr, "row %zu: nerr %zu\n", i, nerr);
		CHECK(nerr == t[i].nerr);
		pool_free(p);
	}
}

static void test_validate_lengths(void)
{
	struct pool *p = pool_new();
	size_t nerr;
	/* author: 245 bytes passes, 246 fails; the limit is on the raw value,
	 * so a 245-byte name plus a trailing space is too long */
	char name[300];
	memset(name, 'n', 246);
	name[246] = '\0';
	const char *body = pool_printf(p, "comment=x&email=a%%40b.c&author=%s",
				       name);
	CHECK_STR(validate(p, body, &nerr),
		  "x|!Your name is too long.|a@b.c||");
	CHECK(nerr == 1);
	name[245] = '\0';
	body = pool_printf(p, "comment=x&email=a%%40b.c&author=%s", name);
	CHECK_STR(validate(p, body, &nerr),
		  pool_printf(p, "x|%s|a@b.c||", name));
	CHECK(nerr == 0);
	body = pool_printf(p, "comment=x&email=a%%40b.c&author=%s+", name);
	CHECK_STR(validate(p, body, &nerr),
		  "x|!Your name is too long.|a@b.c||");

	/* comment: 65525 bytes is the limit; the too-long check wins over
	 * the blank check */
	char *big = malloc(65527);
	memset(big, ' ', 65526);
	big[65526] = '\0';
	big[0] = 'a';
	body = pool_printf(p, "author=y&email=a%%40b.c&comment=%s", big);
	CHECK_STR(validate(p, body, &nerr),
		  "!Your comment is too long.|y|a@b.c||");
	big[65525] = '\0';
	body = pool_printf(p, "author=y&email=a%%40b.c&comment=%s", big);
	CHECK_STR(validate(p, body, &nerr), "a|y|a@b.c||");
	memset(big, '+', 65526);
	body = pool_printf(p, "author=y&email=a%%40b.c&comment=%s", big);
	CHECK_STR(validate(p, body, &nerr),
		  "!Your comment is too long.|y|a@b.c||");
	free(big);

	/* url and email limits */
	char longurl[260] = "https://example.org/";
	memset(longurl + 20, 'x', 181);
	longurl[201] = '\0';
	body = pool_printf(p, "comment=x&author=y&email=a%%40b.c&url=%s",
			   longurl);
	CHECK_STR(validate(p, body, &nerr),
		  "x|y|a@b.c|!Your website address is too long.|");
	longurl[200] = '\0';
	body = pool_printf(p, "comment=x&author=y&email=a%%40b.c&url=%s",
			   longurl);
	CHECK_STR(validate(p, body, &nerr),
		  pool_printf(p, "x|y|a@b.c|%s|", longurl));
	char longmail[120];
	memset(longmail, 'm', 96);
	strcpy(longmail + 96, "%40b.az");
	body = pool_printf(p, "comment=x&author=y&email=%s", longmail);
	CHECK_STR(validate(p, body, &nerr),
		  "x|y|!Your email address is too long.||");
	pool_free(p);
}

static void test_validate_no_messages(void)
{
	/* a spec without messages still reports the failure */
	static const struct field_spec spec[] = {
		{ "a", 3, 1, NULL, NULL, NULL, NULL },
		{ "b", 3, 0, NULL, NULL, NULL, NULL },
		{ "c", 10, 0, NULL, NULL, field_uint, NULL },
	};
	struct kv kvs[] = { { "b", "toolong", 7 }, { "c", "x1", 2 } };
	struct kvlist l = { kvs, 2 };
	struct field_val v[3];
	struct pool *p = pool_new();
	CHECK(form_validate(p, spec, 3, &l, v) == 3);
	CHECK_STR(v[0].error, "This field is required.");
	CHECK_STR(v[0].val, "");
	CHECK_STR(v[1].error, "This field is too long.");
	CHECK_STR(v[1].val, "toolong");
	CHECK_STR(v[2].error, "This value is not valid.");
	/* the caller's strings are not modified by trimming */
	struct kv kv2[] = { { "a", " a\t", 3 } };
	struct kvlist l2 = { kv2, 1 };
	CHECK(form_validate(p, spec, 1, &l2, v) == 0);
	CHECK_STR(v[0].val, "a");
	CHECK(v[0].error == NULL);
	CHECK_STR(kv2[0].val, " a\t");
	pool_free(p);
}

static void test_email(void)
{
	static const struct {
		const char *s;
		int ok;
	} t[] = {
		{ "a@b.az", 1 },
		{ "first.last+tag@mail.example.org", 1 },
		{ "o'brien@example.ie", 1 },
		{ "x_y-z@sub-domain.example.com", 1 },
		{ "A@B.CO", 1 },
		{ "", 0 },
		{ "plain", 0 },
		{ "@example.org", 0 },
		{ "a@", 0 },
		{ "a@b", 0 },
		{ "a@@b.org", 0 },
		{ "a@b@c.org", 0 },
		{ "a b@c.org", 0 },
		{ "a@b c.org", 0 },
		{ " a@b.org", 0 },
		{ ".a@b.org", 0 },
		{ "a.@b.org", 0 },
		{ "a..b@c.org", 0 },
		{ "a@.b.org", 0 },
		{ "a@b.org.", 0 },
		{ "a@b..org", 0 },
		{ "a@-b.org", 0 },
		{ "a@b-.org", 0 },
		{ "a@b.-org", 0 },
		{ "a@b_c.org", 0 },
		{ "a\"b@c.org", 0 },
		{ "a<b>@c.org", 0 },
		{ "\xc3\xa9@b.org", 0 },
		{ "a@\xc3\xa9.org", 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (field_email(t[i].s) != t[i].ok)
			fprintf(stderr, "email \"%s\" want %d\n", t[i].s, t[i].ok);
		CHECK(field_email(t[i].s) == t[i].ok);
	}
	/* lengths: local part <= 64, label <= 63, total <= 254 */
	char s[400];
	memset(s, 'l', 64);
	strcpy(s + 64, "@b.org");
	CHECK(field_email(s) == 1);
	memset(s, 'l', 65);
	strcpy(s + 65, "@b.org");
	CHECK(field_email(s) == 0);
	strcpy(s, "a@");
	memset(s + 2, 'd', 63);
	strcpy(s + 65, ".org");
	CHECK(field_email(s) == 1);
	strcpy(s, "a@");
	memset(s + 2, 'd', 64);
	strcpy(s + 66, ".org");
	CHECK(field_email(s) == 0);
	/* 2 + 4 * 62 + 4 = 254 bytes: ok; one more label byte: not */
	strcpy(s, "a@");
	for (int k = 0; k < 4; k++) {
		memset(s + 2 + 62 * k, 'd', 61);
		s[2 + 62 * k + 61] = '.';
	}
	strcpy(s + 2 + 4 * 62, "abcd");
	CHECK(strlen(s) == 254);
	CHECK(field_email(s) == 1);
	strcat(s, "e");
	CHECK(field_email(s) == 0);
}

static void test_http_url(void)
{
	static const struct {
		const char *s;
		int ok;
	} t[] = {
		{ "http://example.org", 1 },
		{ "https://example.org/a?b=c#d", 1 },
		{ "HTTPS://Example.org/", 1 },
		{ "http://localhost:8080/x", 1 },
		{ "", 0 },
		{ "example.org/x", 0 },
		{ "www.example.org", 0 },
		{ "//example.org", 0 },
		{ "ftp://example.org", 0 },
		{ "javascript:alert(1)", 0 },
		{ "http://", 0 },
		{ "http:///x", 0 },
		{ "http://?x", 0 },
		{ "http://#x", 0 },
		{ "http://exa mple.org", 0 },
		{ "http://example.org/\"onmouseover=", 0 },
		{ "http://example.org/<x>", 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (field_http_url(t[i].s) != t[i].ok)
			fprintf(stderr, "url \"%s\" want %d\n", t[i].s, t[i].ok);
		CHECK(field_http_url(t[i].s) == t[i].ok);
	}
}

/* Textarea lines arrive as CRLF; the editor stores LF, and a lone CR (old
 * Mac line ends) is a line break too. Untouched values keep their string. */
static void test_kv_lf(void)
{
	struct pool *p = pool_new();
	struct kvlist l = { 0 };
	const char body[] = "a=x%0D%0Ay%0D%0A%0D%0Az&b=one%0Dtwo%0D&c=plain%0Aline";
	CHECK(form_decode(p, body, sizeof body - 1, 10, &l) == FORM_OK);
	const char *plain = kv_get(&l, "c");
	kv_lf(p, &l);
	CHECK_STR(kv_get(&l, "a"), "x\ny\n\nz");
	CHECK(l.v[0].vlen == strlen("x\ny\n\nz"));
	CHECK_STR(kv_get(&l, "b"), "one\ntwo\n");
	CHECK(kv_get(&l, "c") == plain);
	pool_free(p);
}

static void test_uint(void)
{
	CHECK(field_uint("0") == 1);
	CHECK(field_uint("42") == 1);
	CHECK(field_uint("9223372036854775807") == 1);
	CHECK(field_uint("9223372036854775808") == 0);
	CHECK(field_uint("") == 0);
	CHECK(field_uint("-1") == 0);
	CHECK(field_uint("+1") == 0);
	CHECK(field_uint(" 1") == 0);
	CHECK(field_uint("1 ") == 0);
	CHECK(field_uint("1e3") == 0);
	CHECK(field_uint("0x10") == 0);
}

static void test_num_u64(void)
{
	static const struct {
		const char *s;
		unsigned long long max;
		int rc;
		unsigned long long want;
	} t[] = {
		{ "0", 10, 0, 0 },
		{ "10", 10, 0, 10 },
		{ "007", 10, 0, 7 },
		{ "11", 10, -1, 0 },
		{ "", ULLONG_MAX, -1, 0 },
		{ "+1", ULLONG_MAX, -1, 0 },
		{ "-1", ULLONG_MAX, -1, 0 },
		{ "-0", ULLONG_MAX, -1, 0 },
		{ " 1", ULLONG_MAX, -1, 0 },
		{ "1 ", ULLONG_MAX, -1, 0 },
		{ "\t1", ULLONG_MAX, -1, 0 },
		{ "1a", ULLONG_MAX, -1, 0 },
		{ "0x1", ULLONG_MAX, -1, 0 },
		{ "18446744073709551615", ULLONG_MAX, 0, ULLONG_MAX },
		{ "18446744073709551616", ULLONG_MAX, -1, 0 },
		{ "18446744073709551620", ULLONG_MAX, -1, 0 },
		{ "99999999999999999999999", ULLONG_MAX, -1, 0 },
		{ "00000000000000000000000000042", ULLONG_MAX, 0, 42 },
		{ "4294967296", 4294967295ULL, -1, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned long long v = 12345;
		int rc = num_parse_u64(t[i].s, t[i].max, &v);
		CHECK(rc == t[i].rc);
		CHECK(v == (rc == 0 ? t[i].want : 12345));
	}
	unsigned long long v;
	CHECK(num_parse_u64(NULL, 10, &v) == -1);
}

static void test_num_i64(void)
{
	static const struct {
		const char *s;
		long long min, max;
		int rc;
		long long want;
	} t[] = {
		{ "0", -5, 5, 0, 0 },
		{ "-5", -5, 5, 0, -5 },
		{ "-6", -5, 5, -1, 0 },
		{ "6", -5, 5, -1, 0 },
		{ "-0", -5, 5, 0, 0 },
		{ "-", -5, 5, -1, 0 },
		{ "", -5, 5, -1, 0 },
		{ "+1", -5, 5, -1, 0 },
		{ "--1", -5, 5, -1, 0 },
		{ "-+1", -5, 5, -1, 0 },
		{ " -1", -5, 5, -1, 0 },
		{ "- 1", -5, 5, -1, 0 },
		{ "1", 2, 1, -1, 0 },
		{ "9223372036854775807", LLONG_MIN, LLONG_MAX, 0, LLONG_MAX },
		{ "9223372036854775808", LLONG_MIN, LLONG_MAX, -1, 0 },
		{ "-9223372036854775808", LLONG_MIN, LLONG_MAX, 0, LLONG_MIN },
		{ "-9223372036854775809", LLONG_MIN, LLONG_MAX, -1, 0 },
		{ "-18446744073709551616", LLONG_MIN, LLONG_MAX, -1, 0 },
		{ "-9223372036854775808", LLONG_MIN + 1, LLONG_MAX, -1, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		long long v = 12345;
		int rc = num_parse_i64(t[i].s, t[i].min, t[i].max, &v);
		if (rc != t[i].rc)
			fprintf(stderr, "i64 \"%s\" rc %d\n", t[i].s, rc);
		CHECK(rc == t[i].rc);
		CHECK(v == (rc == 0 ? t[i].want : 12345));
	}
	long long v;
	CHECK(num_parse_i64(NULL, 0, 10, &v) == -1);
}

/* num_utc agrees with gmtime_r field by field, from 1900 to 2200 and
 * around the leap days and century years where such code goes wrong. */
static void test_num_utc(void)
{
	long long fixed[] = { 0, -1, 86399, 86400, 951782400 /* 2000-02-29 */,
			      951868800, 4107456000LL /* 2100-02-28 */, 4107542400LL,
			      -2208988800LL /* 1900-01-01 */, 1720137600, 7258118399LL };
	int bad = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] + 200000; i++) {
		long long t = i < sizeof fixed / sizeof fixed[0]
				      ? fixed[i]
				      : -2208988800LL + (long long)(i * 47339LL % 9467280000LL) +
						(long long)(i * 7919 % 86400);
		time_t tt = (time_t)t;
		struct tm want, got;
		gmtime_r(&tt, &want);
		num_utc(t, &got);
		if (got.tm_year != want.tm_year || got.tm_mon != want.tm_mon ||
		    got.tm_mday != want.tm_mday || got.tm_hour != want.tm_hour ||
		    got.tm_min != want.tm_min || got.tm_sec != want.tm_sec ||
		    got.tm_wday != want.tm_wday) {
			if (bad++ < 5)
				fprintf(stderr, "num_utc(%lld) differs from gmtime_r\n", t);
		}
	}
	CHECK(bad == 0);
}

int main(void)
{
	RUN(test_decode);
	RUN(test_decode_details);
	RUN(test_cookies);
	RUN(test_validate);
	RUN(test_validate_lengths);
	RUN(test_validate_no_messages);
	RUN(test_email);
	RUN(test_http_url);
	RUN(test_kv_lf);
	RUN(test_uint);
	RUN(test_num_u64);
	RUN(test_num_i64);
	RUN(test_num_utc);
	return T_DONE();
}
