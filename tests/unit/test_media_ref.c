/*
 * Unit tests for the Markdown form of library pictures (content/markdown.c
 * with a resolver; media/figure.c writes): a paragraph of one reference is
 * a figure and of several a gallery, a reference in a sentence (or a list,
 * a link) is an inline picture, a missing or malformed id shows its alt
 * text, hostile alt and title are escaped, the lead flag goes to the first
 * picture only (and to none when the story has a featured image), without
 * a resolver every reference shows as missing, and markdown_media_ids.
 */
#include "../../src/content/markdown.h"
#include "../../src/media/figure.h"
#include "../../src/store/store_media.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>

/* A fake library: ids 1..9 exist, anything else does not. */
static int fake_record(long long id, struct media_record *m)
{
	static char hash[10][17];
	if (id < 1 || id > 9)
		return -1;
	snprintf(hash[id], sizeof hash[id], "%016llx", id);
	*m = (struct media_record){ .id = id, .hash = hash[id], .width = 800, .height = 500,
				    .alt = "Library alt", .caption = "Library caption",
				    .credit = "Library credit", .variants = "320x200 640x400 800x500",
				    .formats = "webp jpg" };
	return 0;
}

static int calls;

static void fake(void *ctx, const struct markdown_media_ref *refs, size_t n, unsigned flags,
		 struct buf *out)
{
	struct media_record ms[MARKDOWN_MEDIA_MAX];
	size_t found = 0;
	(void)ctx;
	calls++;
	for (size_t i = 0; i < n; i++) {
		if (fake_record(refs[i].id, &ms[found])) {
			markdown_media_missing(out, refs[i].alt);
			continue;
		}
		if (refs[i].alt)
			ms[found].alt = refs[i].alt;
		if (refs[i].title)
			ms[found].caption = refs[i].title;
		found++;
	}
	unsigned f = (flags & MARKDOWN_MEDIA_LEAD ? FIGURE_LEAD : 0) |
		     (flags & MARKDOWN_MEDIA_INLINE ? FIGURE_INLINE : 0);
	if (found == 1)
		figure_html(out, &ms[0], NULL, NULL, NULL, f);
	else if (found > 1)
		gallery_html(out, ms, found, NULL, f);
}

static struct buf out = BUF_INIT;

static const char *render(const char *md, int no_lead)
{
	struct markdown_opts o = { .media = fake, .no_lead = no_lead };
	buf_reset(&out);
	return markdown_to_html_opts(md, strlen(md), &out, &o) ? NULL : buf_str(&out);
}

static size_t count(const char *h, const char *needle)
{
	size_t n = 0;
	for (const char *s = h; s && (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

static void test_one_ref_is_figure(void)
{
	const char *h = render("![A boat](media:3 \"At dawn\")", 0);
	CHECK(!strncmp(h, "<figure class=\"figure\"><picture><source type=\"image/webp\"", 57));
	CHECK(!strstr(h, "<p>"));
	CHECK_CONTAINS(h, "srcset=\"/media/0000000000000003-320.webp 320w, "
			  "/media/0000000000000003-640.webp 640w, /media/0000000000000003-800.webp 800w\"");
	CHECK_CONTAINS(h, "alt=\"A boat\" decoding=\"async\" fetchpriority=\"high\">");
	CHECK_CONTAINS(h, "<figcaption>At dawn <span class=\"credit\">Library credit</span>");
	CHECK_CONTAINS(h, "</figure>\n");
	/* no alt, no title: the record's */
	h = render("Intro.\n\n![](media:4)\n", 0);
	CHECK_CONTAINS(h, "<p>Intro.</p>\n<figure class=\"figure\">");
	CHECK_CONTAINS(h, "alt=\"Library alt\"");
	CHECK_CONTAINS(h, "<figcaption>Library caption <span");
	/* any case of the scheme, blanks around */
	CHECK_CONTAINS(render("  ![x](MEDIA:5)  ", 0), "<figure class=\"figure\">");
}

static void test_two_refs_are_gallery(void)
{
	const char *h = render("![a](media:1)\n![b](media:2 \"Two\")\n\n![c](media:3) ![d](media:4)", 0);
	CHECK(count(h, "<div class=\"gallery\"") == 2);
	CHECK(!strstr(h, "<p>"));
	CHECK_CONTAINS(h, "<div class=\"gallery\" id=\"gz-gallery-1\"><figure class=\"figure\">"
			  "<a class=\"gallery-link\" href=\"#gz-media-1\">");
	CHECK_CONTAINS(h, "<figcaption>Two <span");
	CHECK_CONTAINS(h, "<div class=\"gallery\" id=\"gz-gallery-3\">");
	CHECK(count(h, "class=\"lightbox\"") == 4);
	CHECK(count(h, "fetchpriority=\"high\"") == 1);
	/* one found of two: a figure and the missing one's alt */
	h = render("![here](media:1)\n![gone](media:77)", 0);
	CHECK_CONTAINS(h, "<span class=\"media-missing\">gone</span><figure class=\"figure\">");
	CHECK(!strstr(h, "gallery"));
}

static void test_inline_ref(void)
{
	const char *h = render("See ![the map](media:2) here.", 0);
	CHECK_CONTAINS(h, "<p>See <img class=\"media-inline\" src=\"/media/0000000000000002-640.jpg\""
			  " srcset=\"/media/0000000000000002-320.jpg 320w, /media/0000000000000002-640.jpg"
			  " 640w\" sizes=\"" INLINE_SIZES "\" width=\"800\" height=\"500\" alt=\"the map\"");
	CHECK_CONTAINS(h, " here.</p>\n");
	CHECK(!strstr(h, "<figure"));
	/* a picture and words on the next line: a sentence */
	h = render("![a](media:1)\nwords", 0);
	CHECK_CONTAINS(h, "<p><img class=\"media-inline\"");
	CHECK_CONTAINS(h, "words</p>");
	/* in a list, a quote and a link: inline */
	h = render("- ![a](media:1)\n\n> ![b](media:2)\n\n[![c](media:3)](https://example.com/)", 0);
	CHECK(!strstr(h, "<figure"));
	CHECK(count(h, "class=\"media-inline\"") == 3);
	CHECK_CONTAINS(h, "<a href=\"https://example.com/\"><img class=\"media-inline\"");
	/* emphasis around a reference makes it inline too */
	CHECK_CONTAINS(render("*![a](media:1)*", 0), "<p><em><img class=\"media-inline\"");
}

static void test_missing(void)
{
	CHECK_STR(render("![The harbour](media:404)", 0),
		  "<span class=\"media-missing\">The harbour</span>\n");
	CHECK_STR(render("![Bad id](media:x1)", 0), "<span class=\"media-missing\">Bad id</span>\n");
	CHECK_STR(render("![](media:0)", 0), "<span class=\"media-missing\">(missing picture)</span>\n");
	CHECK_STR(render("![huge](media:99999999999999999999999)", 0),
		  "<span class=\"media-missing\">huge</span>\n");
	CHECK_CONTAINS(render("a ![lost](media:55) b", 0),
		       "<p>a <span class=\"media-missing\">lost</span> b</p>");
	/* no resolver: nothing disappears either */
	buf_reset(&out);
	CHECK(markdown_to_html("![Alt one](media:1)\n![Alt two](media:2)", 39, &out) == 0);
	CHECK_STR(buf_str(&out), "<span class=\"media-missing\">Alt one</span>"
				 "<span class=\"media-missing\">Alt two</span>\n");
}

static void test_hostile(void)
{
	const char *h = render("![\"><script>alert(1)</script>](media:1 \"<img src=x onerror=alert(1)>\")",
			       0);
	CHECK(!strstr(h, "<script"));
	CHECK(!strstr(h, "<img src=x"));
	CHECK_CONTAINS(h, "alt=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
	CHECK_CONTAINS(h, "<figcaption>&lt;img src=x onerror=alert(1)&gt; <span");
	/* entities are decoded once, then escaped */
	h = render("![&lt;b&gt; &amp; &#34;](media:1 \"&quot;q&quot;\")", 0);
	CHECK_CONTAINS(h, "alt=\"&lt;b&gt; &amp; &quot;\"");
	CHECK_CONTAINS(h, "<figcaption>&quot;q&quot; <span");
	h = render("![<x>](media:404 \"t\")", 0);
	CHECK_CONTAINS(h, "<span class=\"media-missing\">&lt;x&gt;</span>");
	/* a javascript: image stays dropped, and a media: link is not a picture */
	h = render("![x](javascript:alert(1)) [y](media:1)", 0);
	CHECK(!strstr(h, "javascript"));
	CHECK(!strstr(h, "<img") && !strstr(h, "<figure"));
}

static void test_lead_first_only(void)
{
	const char *h = render("![a](media:1)\n\nText.\n\n![b](media:2)\n\nMore ![c](media:3).", 0);
	CHECK(count(h, "fetchpriority=\"high\"") == 1);
	CHECK(count(h, "loading=\"lazy\"") == 2);
	const char *lead = strstr(h, "fetchpriority");
	CHECK(lead && lead < strstr(h, "Text."));
	/* an inline picture first takes it */
	h = render("Look ![a](media:1).\n\n![b](media:2)", 0);
	CHECK(count(h, "fetchpriority=\"high\"") == 1);
	CHECK(strstr(h, "fetchpriority") < strstr(h, "<figure"));
	/* the story leads with its featured image: none */
	h = render("![a](media:1)\n\n![b](media:2)", 1);
	CHECK(count(h, "fetchpriority") == 0);
	CHECK(count(h, "loading=\"lazy\"") == 2);
	/* a missing first picture takes the lead with it; the next stays lazy */
	h = render("![a](media:404)\n\n![b](media:2)", 0);
	CHECK(count(h, "fetchpriority") == 0);
}

static void test_many_refs(void)
{
	struct buf md = BUF_INIT;
	for (int i = 0; i < MARKDOWN_MEDIA_MAX + 1; i++)
		buf_printf(&md, "![p%d](media:%d)\n", i, i % 9 + 1);
	const char *h = render(buf_str(&md), 0);
	CHECK(!strstr(h, "gallery"));
	CHECK(count(h, "class=\"media-inline\"") == MARKDOWN_MEDIA_MAX + 1);
	buf_reset(&md);
	for (int i = 0; i < MARKDOWN_MEDIA_MAX; i++)
		buf_printf(&md, "![p%d](media:%d)\n", i, i % 9 + 1);
	h = render(buf_str(&md), 0);
	CHECK(count(h, "<div class=\"gallery\"") == 1);
	buf_release(&md);
}

static void test_text_keeps_alt(void)
{
	buf_reset(&out);
	CHECK(markdown_to_text("![A boat](media:3 \"t\") sails.", 29, &out) == 0);
	CHECK_STR(buf_str(&out), "A boat sails.");
}

static void test_ids(void)
{
	long long ids[4];
	size_t n = markdown_media_ids("![a](media:42) ![b](Media:7 \"x\") media:42 media: mediax:9 "
				      "media:0 ![c](media:420)",
				      ids, 4);
	CHECK(n == 3);
	CHECK(ids[0] == 42 && ids[1] == 7 && ids[2] == 420);
	CHECK(markdown_media_ids("media:1 media:2 media:3", ids, 2) == 2);
	CHECK(markdown_media_ids("", ids, 4) == 0);
}

int main(void)
{
	RUN(test_one_ref_is_figure);
	RUN(test_two_refs_are_gallery);
	RUN(test_inline_ref);
	RUN(test_missing);
	RUN(test_hostile);
	RUN(test_lead_first_only);
	RUN(test_many_refs);
	RUN(test_text_keeps_alt);
	RUN(test_ids);
	buf_release(&out);
	printf("resolver called %d times\n", calls);
	return T_DONE();
}
