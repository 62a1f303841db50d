/* Unit tests for src/import/wpautop.c: cases from WordPress' own
 * tests/phpunit/tests/formatting/wpAutop.php, with their expected output. */
#include "t.h"
#include "../../src/import/wpautop.h"

#include <stdlib.h>

static char *autop(const char *in)
{
	struct buf b;
	buf_init(&b, 0);
	wpautop(in, &b);
	return buf_detach(&b, NULL);
}

static void check(const char *in, const char *want)
{
	char *got = autop(in);
	CHECK_STR(got, want);
	free(got);
}

static void test_paragraphs(void)
{
	check("", "");
	check("  \n\n ", "");
	check("Hello", "<p>Hello</p>\n");
	check("a\n\nb", "<p>a</p>\n<p>b</p>\n");
	check("a\n\n\n\nb\n", "<p>a</p>\n<p>b</p>\n");
	check("a\r\n\r\nb", "<p>a</p>\n<p>b</p>\n");
}

static void test_line_breaks(void)
{
	check("Hello\nworld", "<p>Hello<br />\nworld</p>\n");
	check("one<br>two", "<p>one<br />two</p>\n");
	check("a<br /><br />b", "<p>a</p>\n<p>b</p>\n");
}

static void test_blocks(void)
{
	check("<div>x</div>", "<div>x</div>\n");
	check("<h2>T</h2>\ntext", "<h2>T</h2>\n<p>text</p>\n");
	check("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
	check("<blockquote>q</blockquote>", "<blockquote><p>q</p></blockquote>\n");
	check("text\n<hr />\nmore", "<p>text</p>\n<hr />\n<p>more</p>\n");
	/* an already-paragraphed body comes back unchanged (round trip) */
	check("<p>a</p>\n<p>b <em>c</em></p>\n", "<p>a</p>\n<p>b <em>c</em></p>\n");
}

static void test_pre_untouched(void)
{
	check("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n");
	check("x\n\n<pre>1\n2</pre>\n\ny", "<p>x</p>\n<pre>1\n2</pre>\n<p>y</p>\n");
}

static void test_newline_in_tag(void)
{
	/* a newline inside a tag is not a line break */
	check("<a\nhref=\"x\">l</a>", "<p><a\nhref=\"x\">l</a></p>\n");
}

static void test_inline_wrapped(void)
{
	check("<strong>bold</strong> text", "<p><strong>bold</strong> text</p>\n");
	check("[caption id=\"a\"]<img src=\"x.jpg\"> Cap[/caption]",
	      "<p>[caption id=\"a\"]<img src=\"x.jpg\"> Cap[/caption]</p>\n");
}

static void test_blocks_strip(void)
{
	struct buf b;
	buf_init(&b, 0);
	const char *in = "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n"
			 "<!-- wp:image {\"id\":5} /-->\n<!-- note -->";
	CHECK(wpautop_has_blocks(in));
	CHECK(!wpautop_has_blocks("<p>classic</p>"));
	wpautop_strip_blocks(in, &b);
	CHECK_STR(buf_str(&b), "\n<p>One</p>\n\n\n<!-- note -->");
	buf_release(&b);
}

int main(void)
{
	RUN(test_paragraphs);
	RUN(test_line_breaks);
	RUN(test_blocks);
	RUN(test_pre_untouched);
	RUN(test_newline_in_tag);
	RUN(test_inline_wrapped);
	RUN(test_blocks_strip);
	return T_DONE();
}
