/* Unit tests for src/content/sanitize.c: what survives, what never does. */
#include "t.h"
#include "../../src/content/sanitize.h"

#include <stdlib.h>
#include <strings.h>

static char *san(const char *in)
{
	struct buf b;
	buf_init(&b, 0);
	CHECK(sanitize_html(in, strlen(in), &b) == 0);
	return buf_detach(&b, NULL);
}

static void keeps(const char *in, const char *want)
{
	char *got = san(in);
	CHECK_STR(got, want);
	free(got);
}

/* None of the needles may appear (case-insensitive) in the output. */
static void never(const char *in, const char *const *needles)
{
	char *got = san(in);
	for (const char *const *n = needles; *n; n++)
		if (strcasestr(got, *n)) {
			t_cur_failed = 1;
			fprintf(stderr, "input %s\n  output %s\n  contains %s\n", in, got, *n);
		}
	free(got);
}

static void test_keeps_formatting(void)
{
	keeps("<p>Hello <strong>bold</strong> &amp; <em>it</em></p>",
	      "<p>Hello <strong>bold</strong> &amp; <em>it</em></p>");
	keeps("plain text", "plain text");
	keeps("<h2>T</h2>\n<ul><li>a</li></ul>", "<h2>T</h2>\n<ul><li>a</li></ul>");
	keeps("<a href=\"https://example.com/x?a=1&amp;b=2\" title=\"t\">l</a>",
	      "<a href=\"https://example.com/x?a=1&amp;b=2\" title=\"t\">l</a>");
	keeps("<img src=\"/media/a.jpg\" alt=\"A\" width=\"300\">",
	      "<img src=\"/media/a.jpg\" alt=\"A\" width=\"300\">");
	keeps("<figure class=\"wp-caption\"><img src=\"a.jpg\" alt=\"\"><figcaption>C</figcaption></figure>",
	      "<figure class=\"wp-caption\"><img src=\"a.jpg\" alt=\"\"><figcaption>C</figcaption></figure>");
	keeps("<p>a<br>b</p>", "<p>a<br>b</p>");
}

static void test_drops_active_content(void)
{
	static const char *const bad[] = { "<script", "alert(1)<", "onerror", "onload", "onclick",
					   "javascript:", "<style", "style=", "<iframe", "<object",
					   "<embed", "<form", "data:", "vbscript", "<svg", "<math",
					   "<meta", "<base", "<link", "expression(", NULL };
	never("<script>alert(1)</script>ok", bad);
	never("<img src=x onerror=alert(1)>", bad);
	never("<a href=\"javascript:alert(1)\">x</a>", bad);
	never("<a href=\"JaVaScRiPt:alert(1)\">x</a>", bad);
	never("<a href=\"java\nscript:alert(1)\">x</a>", bad);
	never("<a href=\" &#106;avascript:alert(1)\">x</a>", bad);
	never("<a href=\"&#x6A;&#x61;vascript&colon;alert(1)\">x</a>", bad);
	never("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", bad);
	never("<p style=\"background:url(javascript:alert(1))\">x</p>", bad);
	never("<style>body{x:expression(alert(1))}</style>", bad);
	never("<iframe src=\"https://evil.example/\"></iframe>", bad);
	never("<object data=\"x.swf\"></object><embed src=\"x.swf\">", bad);
	never("<form action=\"/x\"><input name=a></form>", bad);
	never("<svg><script>alert(1)</script></svg>", bad);
	never("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", bad);
	never("<scr<script>ipt>alert(1)</script>", bad);
	never("<<script>script>alert(1)<</script>/script>", bad);
	never("<body onload=alert(1)>", bad);
	never("<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\"><base href=x>", bad);
	never("<div onmouseover=\"alert(1)\" style=\"x\">t</div>", bad);
	never("<!--<script>alert(1)</script>-->", bad);
	never("<img src=\"x\" alt=\"\\\" onerror=alert(1)\">", bad);
	never("<video poster=\"javascript:alert(1)\"><source src=\"vbscript:x\"></video>", bad);
	never("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", bad);
}

static void test_text_survives_escaped(void)
{
	keeps("a < b &amp;&amp; c > d", "a &lt; b &amp;&amp; c &gt; d");
	keeps("<p title='\"><script>'>x</p>", "<p title=\"&quot;&gt;&lt;script&gt;\">x</p>");
}

static void test_embeds(void)
{
	char *got = san("<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" width=\"560\""
			" onload=\"x\"></iframe>");
	CHECK_CONTAINS(got, "<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" width=\"560\"");
	CHECK_CONTAINS(got, "sandbox=");
	CHECK(!strstr(got, "onload"));
	free(got);
	CHECK(sanitize_embed_ok("https://player.vimeo.com/video/1"));
	CHECK(!sanitize_embed_ok("https://player.vimeo.com.evil/video/1"));
	CHECK(!sanitize_embed_ok("http://www.youtube.com/embed/x"));
}

static void test_url_ok(void)
{
	CHECK(sanitize_url_ok("https://x"));
	CHECK(sanitize_url_ok("/media/a.jpg"));
	CHECK(sanitize_url_ok("#top"));
	CHECK(sanitize_url_ok("mailto:a@b"));
	CHECK(sanitize_url_ok("page.html"));
	CHECK(sanitize_url_ok("a-very-long-relative-file-name.jpg"));
	CHECK(!sanitize_url_ok("averyveryverylongscheme:x"));
	CHECK(!sanitize_url_ok("javascript:x"));
	CHECK(!sanitize_url_ok(" \tjavascript:x"));
	CHECK(!sanitize_url_ok("jav\tascript:x"));
	CHECK(!sanitize_url_ok("data:text/html,x"));
	CHECK(!sanitize_url_ok(NULL));
}

static void test_text(void)
{
	struct buf b;
	buf_init(&b, 0);
	const char *in = "<p>One &amp; <b>two</b></p><script>alert(1)</script><p>Three<br>four</p>";
	CHECK(sanitize_text(in, strlen(in), &b) == 0);
	CHECK_STR(buf_str(&b), "One & two\n\nThree\nfour");
	buf_reset(&b);
	const char *c = "Plain comment\n\nsecond paragraph";
	sanitize_text(c, strlen(c), &b);
	CHECK_STR(buf_str(&b), "Plain comment\n\nsecond paragraph");
	buf_release(&b);
}

static void test_idempotent(void)
{
	const char *in = "<p>x <a href=\"/y\">y</a></p><figure><img src=\"a.jpg\" alt=\"\"></figure>"
			 "<p>it's \"q\"</p>";
	char *once = san(in), *twice = san(once);
	CHECK_STR(twice, once);
	free(once);
	free(twice);
}

int main(void)
{
	RUN(test_keeps_formatting);
	RUN(test_drops_active_content);
	RUN(test_text_survives_escaped);
	RUN(test_embeds);
	RUN(test_url_ok);
	RUN(test_text);
	RUN(test_idempotent);
	return T_DONE();
}
