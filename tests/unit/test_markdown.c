/*
 * Unit tests for src/content/markdown.c (HTML and plain text) and
 * src/content/readtime.c (which reads markdown_to_text's output).
 */
#include "../../src/content/embed.h"
#include "../../src/content/markdown.h"
#include "../../src/content/readtime.h"
#include "t.h"

#include <stdlib.h>

struct md_case {
	const char *in;
	const char *want;
};

/* The last rendering; freed by main. */
static struct buf out = BUF_INIT;

static const char *html(const char *md)
{
	buf_reset(&out);
	return markdown_to_html(md, strlen(md), &out) ? NULL : buf_str(&out);
}

static const char *text(const char *md)
{
	buf_reset(&out);
	return markdown_to_text(md, strlen(md), &out) ? NULL : buf_str(&out);
}

static void test_html_basic(void)
{
	static const struct md_case cases[] = {
		{ "", "" },
		{ "Hello *world* and **bold** ~~gone~~ `x<y`",
		  "<p>Hello <em>world</em> and <strong>bold</strong> "
		  "<del>gone</del> <code>x&lt;y</code></p>\n" },
		{ "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n" },
		{ "3. x\n4. y", "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n" },
		{ "> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>\n" },
		{ "a  \nb\nc", "<p>a<br>\nb\nc</p>\n" },
		{ "---", "<hr>\n" },
		{ "```js\nif (a < b) {}\n```",
		  "<pre><code class=\"language-js\">if (a &lt; b) {}\n</code></pre>\n" },
		{ "```\" onclick=x\nq\n```",
		  "<pre><code class=\"language-&quot;\">q\n</code></pre>\n" },
		{ "| a | b |\n|:--|--:|\n| 1 | 2 |",
		  "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n"
		  "<th align=\"right\">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
		  "<td align=\"left\">1</td>\n<td align=\"right\">2</td>\n</tr>\n"
		  "</tbody>\n</table>\n" },
		{ "AT&T &amp; &copy; &#65; &#x263A; &bogus; &#0;",
		  "<p>AT&amp;T &amp; \xC2\xA9 A \xE2\x98\xBA &amp;bogus; "
		  "\xEF\xBF\xBD</p>\n" },
		{ "&lt;script&gt;", "<p>&lt;script&gt;</p>\n" },
		{ "it's \"quoted\"", "<p>it&#39;s &quot;quoted&quot;</p>\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(html(cases[i].in), cases[i].want);
}

/* The shallowest heading level a body uses is <h2> (the page's <h1> is
 * the title) and each deeper level used is the next: no gaps, never past
 * <h6>. A heading inside a code block is no heading. */
static void test_html_headings(void)
{
	static const struct md_case cases[] = {
		{ "## A\n\n#### B", "<h2>A</h2>\n<h3>B</h3>\n" },
		{ "# A\n## B\n### C", "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n" },
		{ "# Title\n## Sub\n###### Six", "<h2>Title</h2>\n<h3>Sub</h3>\n<h4>Six</h4>\n" },
		{ "### Only", "<h2>Only</h2>\n" },
		{ "###### Deep\n\n#### Less", "<h3>Deep</h3>\n<h2>Less</h2>\n" },
		{ "# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6",
		  "<h2>1</h2>\n<h3>2</h3>\n<h4>3</h4>\n<h5>4</h5>\n<h6>5</h6>\n<h6>6</h6>\n" },
		{ "Setext\n======\n\n### Three",
		  "<h2>Setext</h2>\n<h3>Three</h3>\n" },
		{ "```\n# not a heading\n```\n\n### Real",
		  "<pre><code># not a heading\n</code></pre>\n<h2>Real</h2>\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(html(cases[i].in), cases[i].want);
}

static void test_html_no_raw_html(void)
{
	static const struct md_case cases[] = {
		{ "<script>alert(1)</script>",
		  "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n" },
		{ "hi <img src=x onerror=alert(1)> there",
		  "<p>hi &lt;img src=x onerror=alert(1)&gt; there</p>\n" },
		{ "<div>\nblock\n</div>", "<p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>\n" },
		{ "<!-- c -->", "<p>&lt;!-- c --&gt;</p>\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(html(cases[i].in), cases[i].want);
}

static void test_html_links(void)
{
	static const struct md_case cases[] = {
		{ "[a](https://example.com/x?y=1&z=2 \"T'\")",
		  "<p><a href=\"https://example.com/x?y=1&amp;z=2\" "
		  "title=\"T&#39;\">a</a></p>\n" },
		{ "[a](/relative/path)", "<p><a href=\"/relative/path\">a</a></p>\n" },
		{ "[a](#frag)", "<p><a href=\"#frag\">a</a></p>\n" },
		{ "[a](other-story)", "<p><a href=\"other-story\">a</a></p>\n" },
		{ "[a](MAILTO:ed@example.com)",
		  "<p><a href=\"MAILTO:ed@example.com\">a</a></p>\n" },
		{ "[a](<https://e.com/a b>)",
		  "<p><a href=\"https://e.com/a%20b\">a</a></p>\n" },
		{ "[a](https://e.com/\xC3\xA9\")",
		  "<p><a href=\"https://e.com/%C3%A9%22\">a</a></p>\n" },
		{ "see https://example.com/x now",
		  "<p>see <a href=\"https://example.com/x\">https://example.com/x</a>"
		  " now</p>\n" },
		{ "www.example.com",
		  "<p><a href=\"http://www.example.com\">www.example.com</a></p>\n" },
		{ "<ed@example.com>",
		  "<p><a href=\"mailto:ed@example.com\">ed@example.com</a></p>\n" },
		{ "![a *b*](/i.png \"t\")",
		  "<p><img src=\"/i.png\" alt=\"a b\" title=\"t\"></p>\n" },
		{ "![x\" onerror=\"y](/i.png)",
		  "<p><img src=\"/i.png\" alt=\"x&quot; onerror=&quot;y\"></p>\n" },
		{ "[![i](/i.png)](/s)",
		  "<p><a href=\"/s\"><img src=\"/i.png\" alt=\"i\"></a></p>\n" },
		/* md4c 0.4.8 enters two images here and leaves one: the
		 * block's end still closes the tag */
		{ "![![](![]()]())", "<p><img src=\"\" alt=\"\"></p>\n" },
		{ "*a [b ![c](/d)](/e) f*\n\ng",
		  "<p><em>a <a href=\"/e\">b <img src=\"/d\" alt=\"c\"></a> f</em></p>\n"
		  "<p>g</p>\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(html(cases[i].in), cases[i].want);
}

/* Unsafe destinations: the link text stays, the <a> goes; images go. */
static void test_html_unsafe_urls(void)
{
	static const struct md_case cases[] = {
		{ "[x](javascript:alert(1))", "<p>x</p>\n" },
		{ "[x](JaVaScRiPt:alert(1))", "<p>x</p>\n" },
		{ "[x](<  JaVa\tscript:alert(1)>)", "<p>x</p>\n" },
		{ "[x](<java\nscript:x>)", "<p>[x](&lt;java\nscript:x&gt;)</p>\n" },
		{ "[x](java&#9;script:x)", "<p>x</p>\n" },
		{ "[x](&#106;avascript:x)", "<p>x</p>\n" },
		{ "[x](&#x6A;avascript&colon;x)", "<p><a href=\"javascript&amp;colon;x\">x</a></p>\n" },
		{ "[x](vbscript:x)", "<p>x</p>\n" },
		{ "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>\n" },
		{ "[x](file:///etc/passwd)", "<p>x</p>\n" },
		{ "[x](:nothing)", "<p>x</p>\n" },
		{ "[*x*](javascript:y) after", "<p><em>x</em> after</p>\n" },
		{ "![i](javascript:x) after", "<p> after</p>\n" },
		{ "![i](DATA:image/svg+xml,x)", "<p></p>\n" },
		{ "[r]\n\n[r]: javascript:x", "<p>r</p>\n" },
		{ "<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(html(cases[i].in), cases[i].want);
}

static void test_html_appends(void)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "<article>");
	CHECK(markdown_to_html("*x*", 3, &b) == 0);
	CHECK_STR(buf_str(&b), "<article><p><em>x</em></p>\n");
	buf_release(&b);

	/* a length that stops short of the NUL is honoured */
	buf_init(&b, 0);
	CHECK(markdown_to_html("abcdef", 3, &b) == 0);
	CHECK_STR(buf_str(&b), "<p>abc</p>\n");
	buf_release(&b);

	/* the buf's maximum turns into an error, not a truncated page */
	buf_init(&b, 8);
	CHECK(markdown_to_html("a long paragraph of text", 24, &b) == -1);
	buf_release(&b);
}

static void test_text(void)
{
	static const struct md_case cases[] = {
		{ "", "" },
		{ "# Title\n\nFirst *para*\ncontinues.\n\nSecond [link](http://x) "
		  "and ![alt](/i.png).",
		  "Title\n\nFirst para continues.\n\nSecond link and alt." },
		{ "- one\n- two\n\nafter", "one\ntwo\n\nafter" },
		{ "a  \nb", "a\nb" },
		{ "<b>raw</b> &amp; &lt;x&gt; &#233;",
		  "<b>raw</b> & <x> \xC3\xA9" },
		{ "```\ncode line\n\n```\n\nnext", "code line\n\nnext" },
		{ "| a | b |\n|---|---|\n| 1 | 2 |", "a b\n1 2" },
		{ "> quote\n\n---\n\nend", "quote\n\nend" },
		{ "many    spaces", "many spaces" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(text(cases[i].in), cases[i].want);
}

static void test_readtime(void)
{
	static const struct {
		size_t words;
		int want;
	} cases[] = { { 0, 1 }, { 1, 1 }, { 230, 1 }, { 231, 2 },
		      { 460, 2 }, { 461, 3 }, { 2300, 10 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = malloc(cases[i].words * 6 + 8), *p = s;
		p += sprintf(p, "  ");
		for (size_t w = 0; w < cases[i].words; w++)
			p += sprintf(p, w % 2 ? "ab\n\t" : "word ");
		CHECK(reading_minutes(s) == cases[i].want);
		free(s);
	}
	CHECK(reading_minutes(NULL) == 1);
	CHECK(reading_minutes("\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD") == 1);
}

/* A URL alone on its line becomes its provider's facade (embed.h); in a
 * sentence, in a list or quote, or with other text, it stays a link. */
static void test_html_embeds(void)
{
	const char *h = html("Intro.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAfter.");
	CHECK_CONTAINS(h, "<p>Intro.</p>\n<figure class=\"embed embed-youtube embed-r16x9\"");
	CHECK_CONTAINS(h, "data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"");
	CHECK_CONTAINS(h, "<a class=\"embed-card\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">");
	CHECK_CONTAINS(h, "Load YouTube content</button>");
	CHECK_CONTAINS(h, "</figure>\n<p>After.</p>\n");
	CHECK(strstr(h, "<iframe") == NULL);
	/* the same in angle brackets, with blanks around it */
	CHECK_CONTAINS(html("  <https://vimeo.com/76979871>  "), "<figure class=\"embed embed-vimeo");
	/* an ampersand in the URL is escaped in every attribute and in the text */
	h = html("https://youtu.be/dQw4w9WgXcQ?t=1&x=<b>");
	CHECK(h && strstr(h, "<figure") == NULL); /* '<' is no URL character: a link */
	h = html("https://youtu.be/dQw4w9WgXcQ?t=1&x=2");
	CHECK_CONTAINS(h, "data-embed-url=\"https://youtu.be/dQw4w9WgXcQ?t=1&amp;x=2\"");
	CHECK_CONTAINS(h, "<span class=\"embed-link\">https://youtu.be/dQw4w9WgXcQ?t=1&amp;x=2</span>");
	CHECK(strstr(h, "&x") == NULL);
	static const struct md_case links[] = {
		{ "See https://youtu.be/dQw4w9WgXcQ now",
		  "<p>See <a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a> now</p>\n" },
		{ "https://youtu.be/dQw4w9WgXcQ\nmore",
		  "<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a>\nmore</p>\n" },
		{ "[watch](https://youtu.be/dQw4w9WgXcQ)",
		  "<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">watch</a></p>\n" },
		{ "- https://youtu.be/dQw4w9WgXcQ",
		  "<ul>\n<li><a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a></li>\n</ul>\n" },
		{ "> https://youtu.be/dQw4w9WgXcQ",
		  "<blockquote>\n<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a></p>\n</blockquote>\n" },
		{ "http://youtu.be/dQw4w9WgXcQ",
		  "<p><a href=\"http://youtu.be/dQw4w9WgXcQ\">http://youtu.be/dQw4w9WgXcQ</a></p>\n" },
		{ "https://www.youtube.com.evil.net/watch?v=dQw4w9WgXcQ",
		  "<p><a href=\"https://www.youtube.com.evil.net/watch?v=dQw4w9WgXcQ\">"
		  "https://www.youtube.com.evil.net/watch?v=dQw4w9WgXcQ</a></p>\n" },
		{ "**https://youtu.be/dQw4w9WgXcQ**",
		  "<p><strong><a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a></strong></p>\n" },
		{ "https://youtu.be/dQw4w9WgXcQ https://vimeo.com/1",
		  "<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a> "
		  "<a href=\"https://vimeo.com/1\">https://vimeo.com/1</a></p>\n" },
	};
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		CHECK_STR(html(links[i].in), links[i].want);
	/* the plain text keeps the URL */
	CHECK_STR(text("https://youtu.be/dQw4w9WgXcQ"), "https://youtu.be/dQw4w9WgXcQ");
}

/* A provider switched off: the stored facade is served as the link it was
 * (embed_html_filter), byte for byte what Markdown makes of the URL. */
static void test_html_embed_disabled(void)
{
	const char *md = "https://youtu.be/dQw4w9WgXcQ?t=1&x=2";
	struct buf filtered = BUF_INIT;
	int yt = embed_index("youtube", 7);
	const char *h = html(md);
	CHECK_CONTAINS(h, "<figure class=\"embed embed-youtube");
	embed_html_filter(h, EMBED_ALL, &filtered);
	CHECK_STR(buf_str(&filtered), h);
	buf_reset(&filtered);
	embed_html_filter(h, EMBED_ALL & ~(1u << yt), &filtered);
	CHECK_STR(buf_str(&filtered), "<p><a href=\"https://youtu.be/dQw4w9WgXcQ?t=1&amp;x=2\">"
				      "https://youtu.be/dQw4w9WgXcQ?t=1&amp;x=2</a></p>\n");
	buf_release(&filtered);
}

int main(void)
{
	RUN(test_html_basic);
	RUN(test_html_headings);
	RUN(test_html_no_raw_html);
	RUN(test_html_links);
	RUN(test_html_unsafe_urls);
	RUN(test_html_appends);
	RUN(test_text);
	RUN(test_readtime);
	RUN(test_html_embeds);
	RUN(test_html_embed_disabled);
	buf_release(&out);
	return T_DONE();
}
