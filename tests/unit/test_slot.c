/* Unit tests for the ad and analytics slots: sanitize_slot (what passes,
 * re-emitted; what is refused, and that the refusal names it), origins
 * (sanitize_origin, slot_origin_parse) and where the in-article slot
 * goes (slot_paragraph_end, slot_insert). */
#include "t.h"
#include "../../src/content/sanitize.h"
#include "../../src/content/slot.h"

#include <stdlib.h>

static const char SCRIPTS[] = "https://ads.example.net http://127.0.0.1:8081";
static const char IMAGES[] = "http://pixels.example.org:8080";

/* rc of sanitize_slot; out and err into the caller's buffers. */
static int judge(const char *in, char *out, size_t outlen, char *err)
{
	struct buf b;
	buf_init(&b, 0);
	int rc = sanitize_slot(in, strlen(in), SCRIPTS, IMAGES, &b, err, 300);
	snprintf(out, outlen, "%s", buf_str(&b));
	buf_release(&b);
	return rc;
}

static void passes(const char *in, const char *want)
{
	char out[2000], err[300];
	int rc = judge(in, out, sizeof out, err);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "  refused %s: %s\n", in, err);
	else
		CHECK_STR(out, want);
}

static void refused(const char *in, const char *want_in_err)
{
	char out[2000], err[300];
	int rc = judge(in, out, sizeof out, err);
	CHECK(rc == 1);
	if (rc == 1)
		CHECK_CONTAINS(err, want_in_err);
	else
		fprintf(stderr, "  passed %s as %s\n", in, out);
}

static void test_passes_reemitted(void)
{
	passes("", "");
	passes("<div class=\"ad\"><a href=\"https://shop.example.com/x?a=1&amp;b=2\" "
	       "target=\"_blank\" rel=\"sponsored\">Shop</a></div>",
	       "<div class=\"ad\"><a href=\"https://shop.example.com/x?a=1&amp;b=2\" "
	       "target=\"_blank\" rel=\"sponsored\">Shop</a></div>");
	passes("<ins class=adsbygoogle data-ad-client='ca-pub-1' data-ad-slot=42></ins>",
	       "<ins class=\"adsbygoogle\" data-ad-client=\"ca-pub-1\" data-ad-slot=\"42\"></ins>");
	passes("<script async src=\"https://ads.example.net/tag.js\"></script>",
	       "<script async src=\"https://ads.example.net/tag.js\"></script>");
	passes("<script defer data-domain=\"news.example\" src=\"HTTPS://ADS.example.net/p.js\">\n</script>",
	       "<script defer data-domain=\"news.example\" src=\"HTTPS://ADS.example.net/p.js\"></script>");
	passes("<script src=\"http://127.0.0.1:8081/ad.js\"></script>",
	       "<script src=\"http://127.0.0.1:8081/ad.js\"></script>");
	passes("<p>Pixel <img src=\"http://pixels.example.org:8080/p.gif\" alt=\"\" width=\"1\" "
	       "height=\"1\"><!-- note --></p>",
	       "<p>Pixel <img src=\"http://pixels.example.org:8080/p.gif\" alt=\"\" width=\"1\" "
	       "height=\"1\"></p>");
	passes("<img src=\"/static/house-ad.png\" alt=\"Subscribe\" loading=\"lazy\">",
	       "<img src=\"/static/house-ad.png\" alt=\"Subscribe\" loading=\"lazy\">");
	passes("<span>a &lt;b&gt; &amp; \"c\"</span><br><strong>s</strong>",
	       "<span>a &lt;b&gt; &amp; &quot;c&quot;</span><br><strong>s</strong>");
	passes("<p><a href=\"/subscribe\">Subscribe</a></p>", "<p><a href=\"/subscribe\">Subscribe</a></p>");
}

static void test_refused_named(void)
{
	refused("<div onclick=\"x()\">a</div>", "the attribute onclick on <div> is not allowed");
	refused("<img src=\"/a.png\" OnError=\"x()\">", "the attribute onerror on <img>");
	refused("<p style=\"color:red\">a</p>", "the attribute style on <p> is not allowed");
	refused("<a href=\"javascript:alert(1)\">a</a>", "the href of <a> must be an http or https");
	refused("<a href=\" javascript:alert(1)\">a</a>", "the href of <a>");
	refused("<a href=\"//evil.example/\">a</a>", "the href of <a>");
	refused("<a href=\"data:text/html,x\">a</a>", "the href of <a>");
	refused("<a href=\"/x\" target=\"_top\">a</a>", "the target of <a> may only be _blank");
	refused("<script>alert(1)</script>", "inline script is not allowed");
	refused("<script src=\"https://ads.example.net/a.js\">alert(1)</script>",
		"inline script is not allowed");
	refused("<script src=\"https://ads.example.net/a.js\" onload=\"x()\"></script>",
		"the attribute onload on <script>");
	refused("<script src=\"https://evil.example/a.js\"></script>",
		"declare https://evil.example for scripts first");
	refused("<script src=\"https://ads.example.net.evil.example/a.js\"></script>",
		"declare https://ads.example.net.evil.example");
	refused("<script src=\"https://ads.example.net@evil.example/a.js\"></script>",
		"the src of <script> must be an http or https address");
	refused("<script src=\"https://ads.example.net\\@evil.example/a.js\"></script>",
		"the src of <script> must be an http or https address");
	refused("<script src=\"/static/own.js\"></script>", "the src of <script> must be an http");
	refused("<script async></script>", "<script> needs a src");
	refused("<script type=\"module\" src=\"https://ads.example.net/a.js\"></script>",
		"the attribute type on <script> is not allowed");
	refused("<img src=\"https://ads.example.net/p.gif\">", "declared image origin"); /* script only */
	refused("<img src=\"//pixels.example.org:8080/p.gif\">", "the src of <img>");
	refused("<img alt=\"x\">", "<img> needs a src");
	refused("<iframe src=\"https://ads.example.net/\"></iframe>", "the element <iframe> is not allowed");
	refused("<svg><script>alert(1)</script></svg>", "the element <svg> is not allowed");
	refused("<object data=\"x\"></object>", "the element <object>");
	refused("<style>p{}</style>", "the element <style>");
	refused("<link rel=\"stylesheet\" href=\"https://ads.example.net/a.css\">", "the element <link>");
	refused("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">", "the element <meta>");
	refused("<base href=\"https://evil.example/\">", "the element <base>");
	refused("<form action=\"https://evil.example\"><input></form>", "the element <form>");
	refused("<ins id=\"x\"></ins>", "the attribute id on <ins>");
	refused("<span data-x=\"1\">a</span>", "the attribute data-x on <span>");
	refused("<img src=\"/a.png\" width=\"100px;x\">", "the value of width on <img>");
	refused("<p>ok</p><noscript><img src=\"/p.gif\"></noscript>", "the element <noscript>");
	/* "<scr<script>ipt>": what the parser makes of it, never a script that runs */
	refused("<scr<script>ipt>alert(1)</script>", "is not allowed");
}

static void test_origins(void)
{
	char o[300];
	const char *rest, *msg;
	CHECK(sanitize_origin("HTTPS://Ads.Example.NET:8443/x?y#z", o, sizeof o, &rest) == 28);
	CHECK_STR(o, "https://ads.example.net:8443");
	CHECK_STR(rest, "/x?y#z");
	CHECK(sanitize_origin("http://[::1]:8080/", o, sizeof o, NULL) > 0);
	CHECK_STR(o, "http://[::1]:8080");
	static const char *const bad[] = { "ftp://a.example", "https://", "https://a.example:0",
		"https://a.example:65536", "https://a.example:123456", "https://u@a.example",
		"https://a.example\\b", "https://.a.example", "https://a example", "javascript:x",
		"//a.example", "https:a.example", "https://[::1", NULL };
	for (const char *const *b = bad; *b; b++) {
		int rc = sanitize_origin(*b, o, sizeof o, NULL);
		CHECK(rc < 0);
		if (rc >= 0)
			fprintf(stderr, "  took %s as %s\n", *b, o);
	}
	CHECK(slot_origin_parse("  https://Ads.Example.net/  ", o, sizeof o, &msg) == 0);
	CHECK_STR(o, "https://ads.example.net");
	CHECK(slot_origin_parse("https://ads.example.net/path", o, sizeof o, &msg) == -1);
	CHECK_CONTAINS(msg, "no path");
	CHECK(slot_origin_parse("https://ads.example.net?q", o, sizeof o, &msg) == -1);
	CHECK(slot_origin_parse("", o, sizeof o, &msg) == -1);
	CHECK(slot_origin_parse("http://[::1]:8080", o, sizeof o, &msg) == -1);
	CHECK_CONTAINS(msg, "IPv6");
	CHECK(slot_origin_parse("http://127.0.0.1:8080", o, sizeof o, &msg) == 0);
	CHECK_STR(o, "http://127.0.0.1:8080");
	CHECK(slot_paragraph(NULL) == SLOT_PARAGRAPH_DEFAULT);
	CHECK(slot_paragraph("0") == SLOT_PARAGRAPH_DEFAULT);
	CHECK(slot_paragraph("51") == SLOT_PARAGRAPH_DEFAULT);
	CHECK(slot_paragraph("x") == SLOT_PARAGRAPH_DEFAULT);
	CHECK(slot_paragraph("7") == 7);
}

/* Where the slot goes: the text of html before slot_paragraph_end. */
static void ends_after(const char *html, int n, const char *want_before)
{
	size_t at = slot_paragraph_end(html, strlen(html), n);
	CHECK(at <= strlen(html));
	CHECK(at == strlen(want_before) && strncmp(html, want_before, at) == 0);
	if (at != strlen(want_before) || strncmp(html, want_before, at) != 0)
		fprintf(stderr, "  n=%d: before is \"%.*s\"\n", n, (int)at, html);
}

static void test_paragraph_end(void)
{
	const char *h = "<p>One.</p>\n<blockquote>\n<p>Q1.</p>\n<p>Q2.</p>\n</blockquote>\n"
			"<p>Two <img src=\"/a.jpg\" alt=\"a > b\"><br/>x</p>\n<ul><li><p>L.</p></li></ul>\n"
			"<!-- <p>c</p> -->\n<figure><img src=\"/b.jpg\"></figure>\n<p>Three.</p>\n<p>Four.</p>\n";
	ends_after(h, 1, "<p>One.</p>");
	ends_after(h, 2, "<p>One.</p>\n<blockquote>\n<p>Q1.</p>\n<p>Q2.</p>\n</blockquote>\n"
			 "<p>Two <img src=\"/a.jpg\" alt=\"a > b\"><br/>x</p>");
	ends_after(h, 3, "<p>One.</p>\n<blockquote>\n<p>Q1.</p>\n<p>Q2.</p>\n</blockquote>\n"
			 "<p>Two <img src=\"/a.jpg\" alt=\"a > b\"><br/>x</p>\n<ul><li><p>L.</p></li></ul>\n"
			 "<!-- <p>c</p> -->\n<figure><img src=\"/b.jpg\"></figure>\n<p>Three.</p>");
	ends_after(h, 5, h); /* fewer paragraphs: the end */
	ends_after("", 3, "");
	ends_after("<P>A</P><p>B</p>", 1, "<P>A</P>");
	/* broken HTML still gives an offset inside it */
	const char *broken[] = { "</p></p></p>", "<p", "<p>a</", "<!--", "<p a=\"x>", "<<<>>>",
				 "</p><p>x</p>", NULL };
	for (const char **b = broken; *b; b++)
		CHECK(slot_paragraph_end(*b, strlen(*b), 2) <= strlen(*b));

	struct buf out;
	buf_init(&out, 0);
	slot_insert(&out, "<p>A</p>\n<p>B</p>\n", "<ins></ins>", 1);
	CHECK_STR(buf_str(&out), "<p>A</p>\n<div class=\"slot slot-in-article\"><ins></ins></div>\n\n<p>B</p>\n");
	buf_release(&out);
}

int main(void)
{
	RUN(test_passes_reemitted);
	RUN(test_refused_named);
	RUN(test_origins);
	RUN(test_paragraph_end);
	return T_DONE();
}
