/*
 * test_comment_text: a reader's comment becomes escaped paragraphs, line
 * breaks and nofollow links, and nothing else.
 */
#include <stdlib.h>
#include <time.h>

#include "t.h"
#include "../../src/comments/comment_text.h"

static char *html(const char *text)
{
	struct buf b = BUF_INIT;
	comment_text_html(&b, text);
	CHECK(!b.err);
	return buf_detach(&b, NULL);
}

#define A(u) "<a href=\"" u "\" rel=\"nofollow ugc\">"

static void test_table(void)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "", "" },
		{ " \n\t\r\n  \r ", "" },
		{ "Hello, world.", "<p>Hello, world.</p>\n" },
		{ "First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>\n" },
		{ "One\n \t\n\n  \nTwo", "<p>One</p>\n<p>Two</p>\n" },
		{ "roses\nviolets\nsugar", "<p>roses<br>\nviolets<br>\nsugar</p>\n" },
		{ "a\r\nb\r\n\r\nc", "<p>a<br>\nb</p>\n<p>c</p>\n" },
		{ "a\rb\r\rc", "<p>a<br>\nb</p>\n<p>c</p>\n" },
		{ "a\n\r\nb", "<p>a</p>\n<p>b</p>\n" },
		{ "\n\n\nlead and trail\n\n\n", "<p>lead and trail</p>\n" },
		{ "  indented\n", "<p>  indented</p>\n" },
		{ "<script>alert(1)</script>",
		  "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n" },
		{ "\"><img src=x onerror=alert(1)>",
		  "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>\n" },
		{ "Tom & Jerry's <b>", "<p>Tom &amp; Jerry&#39;s &lt;b&gt;</p>\n" },
		{ "See https://example.org/a/b. Thanks",
		  "<p>See " A("https://example.org/a/b")
		  "https://example.org/a/b</a>. Thanks</p>\n" },
		{ "http://example.org",
		  "<p>" A("http://example.org") "http://example.org</a></p>\n" },
		{ "(see https://example.org/x)",
		  "<p>(see " A("https://example.org/x")
		  "https://example.org/x</a>)</p>\n" },
		{ "(https://en.wikipedia.org/wiki/Baku_(city)).",
		  "<p>(" A("https://en.wikipedia.org/wiki/Baku_(city)")
		  "https://en.wikipedia.org/wiki/Baku_(city)</a>).</p>\n" },
		{ "Go to www.example.org!",
		  "<p>Go to " A("http://www.example.org")
		  "www.example.org</a>!</p>\n" },
		{ "WWW.Example.org/x?y=1,",
		  "<p>" A("http://WWW.Example.org/x?y=1")
		  "WWW.Example.org/x?y=1</a>,</p>\n" },
		{ "wow, www.example and www. and www..",
		  "<p>wow, www.example and www. and www..</p>\n" },
		{ "javascript:alert(1)", "<p>javascript:alert(1)</p>\n" },
		{ "JavaScript:alert('http')", "<p>JavaScript:alert(&#39;http&#39;)</p>\n" },
		{ "data:text/html,<b>x</b>",
		  "<p>data:text/html,&lt;b&gt;x&lt;/b&gt;</p>\n" },
		{ "http:// and https:///x and http://.x",
		  "<p>http:// and https:///x and http://.x</p>\n" },
		{ "https://example.org/?a=1&b='2'",
		  "<p>" A("https://example.org/?a=1&amp;b=&#39;2")
		  "https://example.org/?a=1&amp;b=&#39;2</a>&#39;</p>\n" },
		{ "http://x.org/\"onmouseover=\"alert(1)",
		  "<p>" A("http://x.org/") "http://x.org/</a>"
		  "&quot;onmouseover=&quot;alert(1)</p>\n" },
		{ "http://x.org/<script>",
		  "<p>" A("http://x.org/") "http://x.org/</a>&lt;script&gt;</p>\n" },
		{ "'http://x.org/'",
		  "<p>&#39;" A("http://x.org/") "http://x.org/</a>&#39;</p>\n" },
		{ "[http://x.org/a]?!",
		  "<p>[" A("http://x.org/a") "http://x.org/a</a>]?!</p>\n" },
		{ "mail me@www.example.org or fooHTTP://x.org",
		  "<p>mail me@www.example.org or fooHTTP://x.org</p>\n" },
		{ "two http://a.org\nhttps://b.org/x",
		  "<p>two " A("http://a.org") "http://a.org</a><br>\n"
		  A("https://b.org/x") "https://b.org/x</a></p>\n" },
		{ "http://a.org,http://b.org",
		  "<p>" A("http://a.org,http://b.org")
		  "http://a.org,http://b.org</a></p>\n" },
		{ "Salam! Bakı çox gözəldir.\n\nŞəhər: https://az.wikipedia.org/wiki/Bakı.",
		  "<p>Salam! Bakı çox gözəldir.</p>\n<p>Şəhər: "
		  A("https://az.wikipedia.org/wiki/Bakı")
		  "https://az.wikipedia.org/wiki/Bakı</a>.</p>\n" },
		{ "یہ ایک اچھا مضمون ہے۔\nشکریہ!",
		  "<p>یہ ایک اچھا مضمون ہے۔<br>\nشکریہ!</p>\n" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = html(t[i].in);
		CHECK_STR(got, t[i].want);
		free(got);
	}
	char *got = html(NULL);
	CHECK_STR(got, "");
	free(got);
}

static void test_appends(void)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "<div>");
	comment_text_html(&b, "x");
	buf_puts(&b, "</div>");
	CHECK_STR(buf_str(&b), "<div><p>x</p>\n</div>");
	buf_release(&b);
}

/* Fill n bytes with copies of pat; the result is NUL-terminated. */
static char *repeat(const char *pat, size_t n)
{
	char *s = malloc(n + 1);
	size_t k = strlen(pat);
	for (size_t i = 0; i < n; i++)
		s[i] = pat[i % k];
	s[n] = '\0';
	return s;
}

/* Linear-time bound for 1 MB; sanitizer builds (make asan) run ~5-10x
 * slower, and a quadratic formatter would still blow through 20 s. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT 20.0
#else
#define TIME_LIMIT 2.0
#endif

static double seconds_for(const char *text, size_t *outlen)
{
	struct buf b = BUF_INIT;
	clock_t t0 = clock();
	comment_text_html(&b, text);
	double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(!b.err);
	*outlen = b.len;
	buf_release(&b);
	return dt;
}

static void test_large(void)
{
	const size_t mb = 1024 * 1024;
	size_t len;
	/* 32-byte pattern: 1 MB holds 32768 links, one line each */
	char *s = repeat("see https://example.org/x. ok!\n\n", mb);
	CHECK(seconds_for(s, &len) < TIME_LIMIT);
	const char *one = "<p>see " A("https://example.org/x")
			  "https://example.org/x</a>. ok!</p>\n";
	CHECK(len == strlen(one) * (mb / 32));
	free(s);

	/* one huge line, and inputs built to make a naive linker rescan */
	static const char *const pats[] = { "a", "<&", "http://:", "www.",
					    "http://x.org/)", "(((" };
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		s = repeat(pats[i], mb);
		double dt = seconds_for(s, &len);
		if (dt >= TIME_LIMIT)
			fprintf(stderr, "pattern \"%s\": %.2fs\n", pats[i], dt);
		CHECK(dt < TIME_LIMIT);
		CHECK(len >= mb);
		free(s);
	}
}

int main(void)
{
	RUN(test_table);
	RUN(test_appends);
	RUN(test_large);
	return T_DONE();
}
