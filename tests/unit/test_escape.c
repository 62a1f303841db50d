/*
 * test_escape: each escaping helper against the characters that matter in
 * its context, plus the string buffer's limit and sticky error.
 */
#include "t.h"
#include "../../src/render/escape.h"
#include "../../src/util/buf.h"
#include "../../src/util/utf8.h"

typedef void (*esc_fn)(struct buf *, const char *);

static const struct {
	const char *name;
	esc_fn fn;
	const char *in, *want;
} cases[] = {
	{ "html_text", html_text, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "html_text", html_text, "Tom & \"Jerry\" 'x'", "Tom &amp; &quot;Jerry&quot; &#39;x&#39;" },
	{ "html_text", html_text, "vis-à-vis ’", "vis-à-vis ’" },
	{ "html_attr", html_attr, "\"><img src=x onerror=alert(1)>",
	  "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
	{ "html_attr", html_attr, "a'b", "a&#39;b" },
	{ "url_path", url_path, "a b/c?d#e", "a%20b%2Fc%3Fd%23e" },
	{ "url_path", url_path, "bakı", "bak%C4%B1" },
	{ "url_path", url_path, "safe-._~", "safe-._~" },
	{ "url_query", url_query, "a b&c=d+e", "a+b%26c%3Dd%2Be" },
	{ "json_string", json_string, "say \"hi\"\n</script>", "\"say \\\"hi\\\"\\n\\u003c/script\\u003e\"" },
	{ "json_string", json_string, "tab\there\x01", "\"tab\\there\\u0001\"" },
	{ "xml_text", xml_text, "<a href='x'>&</a>\x01", "&lt;a href=&apos;x&apos;&gt;&amp;&lt;/a&gt;" },
	/* DEL, C1 (U+0085), U+FDD0, U+FFFE, U+FFFF, U+1FFFE, U+10FFFF go;
	 * tab, newline, U+FDCF, U+FFFD, U+1F600 and Urdu stay */
	{ "xml_text", xml_text,
	  "a\x7f\xc2\x85" "b\xef\xb7\x90" "c\xef\xbf\xbe\xef\xbf\xbf" "d\xf0\x9f\xbf\xbe\xf4\x8f\xbf\xbf" "e",
	  "abcde" },
	{ "xml_text", xml_text, "\t\n\xef\xb7\x8f\xef\xbf\xbd\xf0\x9f\x98\x80 \xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88",
	  "\t\n\xef\xb7\x8f\xef\xbf\xbd\xf0\x9f\x98\x80 \xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88" },
	{ "html_raw", html_raw, "<p>ok</p>", "<p>ok</p>" },
};

static void escaping_per_context(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b;
		buf_init(&b, 0);
		cases[i].fn(&b, cases[i].in);
		if (strcmp(buf_str(&b), cases[i].want) != 0)
			fprintf(stderr, "case %zu (%s)\n", i, cases[i].name);
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

static void null_is_empty(void)
{
	struct buf b;
	buf_init(&b, 0);
	html_text(&b, NULL);
	url_path(&b, NULL);
	CHECK_STR(buf_str(&b), "");
	json_string(&b, NULL);
	CHECK_STR(buf_str(&b), "\"\"");
	buf_release(&b);
}

static void http_urls(void)
{
	static const struct { const char *url; int ok; } u[] = {
		{ "https://example.org/x", 1 }, { "HTTP://Example.org", 1 },
		{ "javascript:alert(1)", 0 },   { " https://example.org", 0 },
		{ "https://", 0 },              { "https:///path", 0 },
		{ "https://ex ample.org", 0 },  { "https://example.org/\"onmouseover=x", 0 },
		{ "data:text/html,x", 0 },      { "//example.org", 0 },
		{ NULL, 0 },
	};
	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
		CHECK(url_is_http(u[i].url) == u[i].ok);
}

static void buf_limit_is_sticky(void)
{
	struct buf b;
	buf_init(&b, 8);
	buf_puts(&b, "12345");
	CHECK(!b.err);
	buf_puts(&b, "6789");      /* would pass 8 bytes: dropped */
	CHECK(b.err);
	buf_puts(&b, "x");         /* still refused after the error */
	CHECK_STR(buf_str(&b), "12345");
	buf_reset(&b);
	buf_printf(&b, "%d-%s", 42, "ok");
	CHECK_STR(buf_str(&b), "42-ok");
	buf_release(&b);
}

static void utf8_validation(void)
{
	static const struct { const char *s; size_t n; int ok; } v[] = {
		{ "plain", 5, 1 },           { "bak\xc4\xb1", 5, 1 },
		{ "\xc3\x28", 2, 0 },        { "\xc0\xaf", 2, 0 },    /* overlong */
		{ "\xed\xa0\x80", 3, 0 },    /* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0 }, /* past U+10FFFF */
		{ "a\0b", 3, 0 },            { "\xe2\x80", 2, 0 },    /* truncated */
		{ "\xf0\x9f\x93\xb0", 4, 1 }, /* newspaper emoji */
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK(utf8_valid(v[i].s, v[i].n) == v[i].ok);
	CHECK(utf8_len("bakı") == 4);
}

int main(void)
{
	RUN(escaping_per_context);
	RUN(null_is_empty);
	RUN(http_urls);
	RUN(buf_limit_is_sticky);
	RUN(utf8_validation);
	return T_DONE();
}
