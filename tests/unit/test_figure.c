/*
 * Unit tests for src/media/figure.c: every attribute of a library
 * picture's figure (sources per format, srcset of every width, sizes,
 * src of a middle JPEG, width/height, alt, decoding, lazy or lead),
 * the figcaption with caption and credit and its absence, hostile alt,
 * caption and credit escaped, missing formats, a picture narrower than
 * 320, the inline form, the gallery and its no-JavaScript full-size view,
 * and a record whose lists are broken; a card's picture (the 3:2 crop's
 * box, descriptors of the visible width, focal classes, lead or lazy)
 * and the old one-JPEG card; audio and video records as
 * <figure class="audio|video"> players that fetch nothing before a click
 * (preload="none"), with the fixed-ratio box, fallback link, escaping,
 * the inline form, and absolute URLs in feeds.
 */
#include "../../src/media/figure.h"
#include "../../src/render/escape.h"
#include "../../src/store/store_media.h"
#include "../../src/util/pool.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

#define HASH "0123456789abcdef"

static struct media_record rec(void)
{
	struct media_record m = { 0 };
	m.id = 42;
	m.hash = HASH;
	m.width = 3000;
	m.height = 2000;
	m.alt = "A harbour at dawn";
	m.caption = "Boats leave before six.";
	m.credit = "Photo: Ana Lima";
	m.variants = "320x213 640x427 960x640 1280x853 1920x1280";
	m.formats = "webp jpg avif";
	return m;
}

static char *fig(const struct media_record *m, const char *alt, const char *caption,
		 const char *sizes, unsigned flags)
{
	struct buf b = BUF_INIT;
	figure_html(&b, m, alt, caption, sizes, flags);
	CHECK(!b.err);
	return buf_detach(&b, NULL);
}

static void test_full_figure(void)
{
	struct media_record m = rec();
	char *h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_STR(h,
		  "<figure class=\"figure\"><picture>"
		  "<source type=\"image/avif\" srcset=\"/media/" HASH "-320.avif 320w, /media/" HASH
		  "-640.avif 640w, /media/" HASH "-960.avif 960w, /media/" HASH
		  "-1280.avif 1280w, /media/" HASH "-1920.avif 1920w\" sizes=\"" FIGURE_SIZES "\">"
		  "<source type=\"image/webp\" srcset=\"/media/" HASH "-320.webp 320w, /media/" HASH
		  "-640.webp 640w, /media/" HASH "-960.webp 960w, /media/" HASH
		  "-1280.webp 1280w, /media/" HASH "-1920.webp 1920w\" sizes=\"" FIGURE_SIZES "\">"
		  "<img src=\"/media/" HASH "-960.jpg\" srcset=\"/media/" HASH "-320.jpg 320w, /media/" HASH
		  "-640.jpg 640w, /media/" HASH "-960.jpg 960w, /media/" HASH
		  "-1280.jpg 1280w, /media/" HASH "-1920.jpg 1920w\" sizes=\"" FIGURE_SIZES "\""
		  " width=\"3000\" height=\"2000\" alt=\"A harbour at dawn\" decoding=\"async\""
		  " loading=\"lazy\"></picture>"
		  "<figcaption>Boats leave before six. <span class=\"credit\">Photo: Ana Lima</span>"
		  "</figcaption></figure>");
	free(h);
}

static void test_lead_and_overrides(void)
{
	struct media_record m = rec();
	char *h = fig(&m, "Given alt", "Given caption", "50vw", FIGURE_LEAD);
	CHECK_CONTAINS(h, "alt=\"Given alt\" decoding=\"async\" fetchpriority=\"high\">");
	CHECK(!strstr(h, "loading="));
	CHECK_CONTAINS(h, "<figcaption>Given caption <span class=\"credit\">");
	CHECK_CONTAINS(h, "sizes=\"50vw\"");
	CHECK(!strstr(h, FIGURE_SIZES));
	free(h);
}

static void test_caption_credit_omitted(void)
{
	struct media_record m = rec();
	m.credit = "";
	char *h = fig(&m, NULL, "", NULL, 0);
	CHECK(!strstr(h, "<figcaption"));
	CHECK_CONTAINS(h, "</picture></figure>");
	free(h);
	m.credit = NULL;
	m.caption = NULL;
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK(!strstr(h, "<figcaption"));
	free(h);
	m.credit = "Only credit";
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_CONTAINS(h, "<figcaption><span class=\"credit\">Only credit</span></figcaption>");
	free(h);
	m.credit = "";
	h = fig(&m, NULL, "Only caption", NULL, 0);
	CHECK_CONTAINS(h, "<figcaption>Only caption</figcaption>");
	free(h);
}

static void test_hostile_text_escaped(void)
{
	struct media_record m = rec();
	m.alt = "\"><script>alert(1)</script>";
	m.caption = "<img src=x onerror=alert(2)>";
	m.credit = "' onmouseover='x' & <b>";
	char *h = fig(&m, NULL, NULL, "100vw\" onload=\"x", 0);
	CHECK(!strstr(h, "<script"));
	CHECK(!strstr(h, "<img src=x"));
	CHECK(!strstr(h, "<b>"));
	CHECK(!strstr(h, "\" onload=\""));
	CHECK_CONTAINS(h, "alt=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
	CHECK_CONTAINS(h, "<figcaption>&lt;img src=x onerror=alert(2)&gt; <span class=\"credit\">"
			  "&#39; onmouseover=&#39;x&#39; &amp; &lt;b&gt;</span>");
	free(h);
	m.hash = "\"><script>";
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK(!strstr(h, "<script"));
	free(h);
}

static void test_formats_missing(void)
{
	struct media_record m = rec();
	m.formats = "webp jpg";
	char *h = fig(&m, NULL, NULL, NULL, 0);
	CHECK(!strstr(h, "avif"));
	CHECK_CONTAINS(h, "<picture><source type=\"image/webp\"");
	free(h);
	m.formats = "jpg";
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK(!strstr(h, "<source"));
	CHECK_CONTAINS(h, "<picture><img src=\"/media/" HASH "-960.jpg\"");
	free(h);
	m.formats = "webp";
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK(!strstr(h, "<source"));
	CHECK(!strstr(h, ".jpg"));
	CHECK_CONTAINS(h, "<img src=\"/media/" HASH "-960.webp\" srcset=\"/media/" HASH
			  "-320.webp 320w,");
	free(h);
}

static void test_narrow_picture(void)
{
	struct media_record m = rec();
	m.width = 200;
	m.height = 150;
	m.variants = "200x150";
	char *h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_CONTAINS(h, "<source type=\"image/avif\" srcset=\"/media/" HASH "-200.avif 200w\"");
	CHECK_CONTAINS(h, "<img src=\"/media/" HASH "-200.jpg\" srcset=\"/media/" HASH
			  "-200.jpg 200w\"");
	CHECK_CONTAINS(h, "width=\"200\" height=\"150\"");
	CHECK(!strstr(h, "-320."));
	free(h);
}

static void test_two_variants_middle(void)
{
	struct media_record m = rec();
	m.width = 700;
	m.height = 700;
	m.variants = "320x320 640x640";
	char *h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_CONTAINS(h, "<img src=\"/media/" HASH "-640.jpg\"");
	free(h);
}

static void test_broken_record(void)
{
	struct media_record m = rec();
	m.variants = "garbage";
	char *h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_STR(h, "<span class=\"media-missing\">A harbour at dawn</span>");
	free(h);
	m = rec();
	m.formats = "";
	h = fig(&m, "<x>", NULL, NULL, 0);
	CHECK_STR(h, "<span class=\"media-missing\">&lt;x&gt;</span>");
	free(h);
}

static void test_inline(void)
{
	struct media_record m = rec();
	char *h = fig(&m, NULL, NULL, NULL, FIGURE_INLINE);
	CHECK_STR(h, "<img class=\"media-inline\" src=\"/media/" HASH "-640.jpg\" srcset=\"/media/" HASH
		     "-320.jpg 320w, /media/" HASH "-640.jpg 640w\" sizes=\"" INLINE_SIZES "\""
		     " width=\"3000\" height=\"2000\" alt=\"A harbour at dawn\" decoding=\"async\""
		     " loading=\"lazy\">");
	free(h);
}

static void test_gallery(void)
{
	struct media_record ms[3] = { rec(), rec(), rec() };
	ms[1].id = 43;
	ms[1].hash = "fedcba9876543210";
	ms[1].caption = "Second";
	ms[1].credit = "";
	ms[2].id = 44;
	ms[2].variants = "bad";
	struct buf b = BUF_INIT;
	gallery_html(&b, ms, 3, NULL, FIGURE_LEAD);
	const char *h = buf_str(&b);
	CHECK(!strncmp(h, "<div class=\"gallery\" id=\"gz-gallery-42\"><figure class=\"figure\">"
			  "<a class=\"gallery-link\" href=\"#gz-media-42\"><picture>",
		       strlen("<div class=\"gallery\" id=\"gz-gallery-42\"><figure class=\"figure\">"
			      "<a class=\"gallery-link\" href=\"#gz-media-42\"><picture>")));
	CHECK_CONTAINS(h, "sizes=\"" GALLERY_SIZES "\"");
	CHECK_CONTAINS(h, "</picture></a><figcaption>Boats leave before six.");
	CHECK_CONTAINS(h, "href=\"#gz-media-43\"");
	CHECK_CONTAINS(h, "<figcaption>Second</figcaption>");
	/* the lead only on the first picture */
	const char *second = strstr(h, "href=\"#gz-media-43\"");
	CHECK(second && strstr(h, "fetchpriority=\"high\"") < second);
	CHECK(second && !strstr(second, "fetchpriority"));
	/* the broken one is its alt, not a hole */
	CHECK_CONTAINS(h, "<span class=\"media-missing\">A harbour at dawn</span>");
	CHECK(!strstr(h, "gz-media-44"));
	/* the full-size views: the picture for the whole window, lazy, and a way back */
	CHECK_CONTAINS(h, "<div class=\"lightbox\" id=\"gz-media-42\"><a class=\"lightbox-close\""
			  " href=\"#gz-gallery-42\">Close</a><picture><source type=\"image/avif\" srcset=\"/media/"
			  HASH "-320.avif 320w,");
	CHECK_CONTAINS(h, "-1920.avif 1920w\" sizes=\"100vw\">");
	CHECK_CONTAINS(h, "-1920.jpg 1920w\" sizes=\"100vw\" width=\"3000\" height=\"2000\""
			  " alt=\"A harbour at dawn\" decoding=\"async\" loading=\"lazy\"></picture></div>");
	CHECK_CONTAINS(h, "<div class=\"lightbox\" id=\"gz-media-43\">");
	CHECK(!strstr(h, "style="));
	CHECK(h[strlen(h) - 1] == '>' && !strcmp(h + strlen(h) - 6, "</div>"));
	buf_release(&b);
}

static void test_feed(void)
{
	struct media_record ms[2] = { rec(), rec() };
	ms[1].id = 43;
	struct buf b = BUF_INIT;
	html_raw(&b, "<p>");
	html_text(&b, "Text about /media/ and \"/media/x\", /media/y.");
	html_raw(&b, "</p>\n");
	figure_html(&b, &ms[0], NULL, NULL, NULL, FIGURE_LEAD);
	gallery_html(&b, ms, 2, NULL, 0);
	struct pool *p = pool_new();
	const char *f = figure_feed_html(p, buf_str(&b), "https://news.example");
	/* text is left as it was; every URL in a tag is absolute */
	CHECK_CONTAINS(f, "<p>Text about /media/ and &quot;/media/x&quot;, /media/y.</p>");
	CHECK_CONTAINS(f, "<img src=\"https://news.example/media/" HASH "-960.jpg\" srcset=\""
			  "https://news.example/media/" HASH "-320.jpg 320w, https://news.example/media/" HASH
			  "-640.jpg 640w,");
	CHECK_CONTAINS(f, "<source type=\"image/avif\" srcset=\"https://news.example/media/" HASH
			  "-320.avif 320w, https://news.example/media/");
	CHECK(!strstr(f, "=\"/media/"));
	CHECK(!strstr(f, "w, /media/"));
	/* the full-size views only CSS hides are gone, the gallery stays whole */
	CHECK(!strstr(f, "lightbox"));
	CHECK_CONTAINS(f, "<div class=\"gallery\" id=\"gz-gallery-42\">");
	CHECK_CONTAINS(f, "</figure></div>");
	/* nothing to change: the same string */
	const char *plain = "<p>No pictures.</p>";
	CHECK(figure_feed_html(p, plain, "https://x") == plain);
	pool_free(p);
	buf_release(&b);
}

static char *card(const struct media_record *m, const char *sizes, int max, unsigned flags)
{
	struct buf b = BUF_INIT;
	int rc = figure_card_html(&b, m, NULL, sizes, max, flags);
	CHECK(!b.err);
	if (rc < 0)
		CHECK(b.len == 0);
	return buf_detach(&b, NULL);
}

/* A 3:2 picture: the whole of it is the card's box; the widths up to
 * max, descriptors as they are; focal point in tenths. */
static void test_card(void)
{
	struct media_record m = rec();
	m.focal_x = 0.25;
	m.focal_y = 0.74;
	char *h = card(&m, "12rem", 960, 0);
	CHECK_STR(h,
		  "<picture class=\"card-pic\">"
		  "<source type=\"image/avif\" srcset=\"/media/" HASH "-320.avif 320w, /media/" HASH
		  "-640.avif 640w, /media/" HASH "-960.avif 960w\" sizes=\"12rem\">"
		  "<source type=\"image/webp\" srcset=\"/media/" HASH "-320.webp 320w, /media/" HASH
		  "-640.webp 640w, /media/" HASH "-960.webp 960w\" sizes=\"12rem\">"
		  "<img class=\"card-img fx-3 fy-7\" src=\"/media/" HASH "-640.jpg\" srcset=\"/media/" HASH
		  "-320.jpg 320w, /media/" HASH "-640.jpg 640w, /media/" HASH "-960.jpg 960w\""
		  " sizes=\"12rem\" width=\"3000\" height=\"2000\" alt=\"A harbour at dawn\""
		  " decoding=\"async\" loading=\"lazy\"></picture>");
	free(h);
	h = card(&m, CARD_SIZES_LEAD, CARD_LEAD_MAX_WIDTH, FIGURE_LEAD);
	CHECK(strstr(h, "-1920.jpg 1920w\"") != NULL);
	CHECK(strstr(h, " fetchpriority=\"high\">") != NULL);
	CHECK(strstr(h, "loading=") == NULL);
	CHECK(strstr(h, "style=") == NULL);
	free(h);
}

/* A panorama's box is the largest 3:2 one, half its width; each
 * descriptor is the visible part. A tall picture loses top
 * and bottom, its descriptors unchanged. Focal points clamp to 0..10. */
static void test_card_crops(void)
{
	struct media_record m = rec();
	m.width = 2400;
	m.height = 800;
	m.variants = "320x107 640x213 960x320";
	m.focal_x = 1;
	m.focal_y = 0;
	char *h = card(&m, "6rem", 960, 0);
	CHECK(strstr(h, "srcset=\"/media/" HASH "-320.jpg 160w, /media/" HASH "-640.jpg 320w, /media/" HASH
			"-960.jpg 480w\"") != NULL);
	CHECK(strstr(h, " width=\"1200\" height=\"800\"") != NULL);
	CHECK(strstr(h, "class=\"card-img fx-10 fy-0\"") != NULL);
	free(h);
	m.width = 600;
	m.height = 900;
	m.variants = "320x480";
	h = card(&m, "6rem", 320, 0);
	CHECK(strstr(h, "srcset=\"/media/" HASH "-320.jpg 320w\"") != NULL);
	CHECK(strstr(h, " width=\"600\" height=\"400\"") != NULL);
	free(h);
	m.variants = "garbage";
	h = card(&m, "6rem", 320, 0);
	CHECK_STR(h, "");
	free(h);
	/* the one old JPEG: its own size, centred, lazy */
	struct buf b = BUF_INIT;
	figure_card_jpeg_html(&b, "/media/featured/a\"b.jpg", 800, 600, NULL, 0);
	CHECK_STR(buf_str(&b), "<img class=\"card-img\" src=\"/media/featured/a&quot;b.jpg\" width=\"800\""
			       " height=\"600\" alt=\"\" decoding=\"async\" loading=\"lazy\">");
	buf_release(&b);
}

static struct media_record av_rec(const char *mime, const char *ext)
{
	struct media_record m = { 0 };
	m.id = 7;
	m.hash = HASH;
	m.name = "interview.mp3";
	m.mime = mime;
	m.ext = ext;
	m.alt = "Interview with the mayor";
	m.caption = "Recorded on Monday.";
	m.credit = "Audio: Radio Harbour";
	m.variants = "";
	m.formats = "";
	return m;
}

static void test_audio(void)
{
	struct media_record m = av_rec("audio/mpeg", "mp3");
	CHECK(figure_is_player(&m));
	char *h = fig(&m, NULL, NULL, NULL, FIGURE_LEAD);
	CHECK_STR(h, "<figure class=\"audio\"><audio controls preload=\"none\" src=\"/media/" HASH
		     ".mp3\" title=\"Interview with the mayor\"><a href=\"/media/" HASH ".mp3\">"
		     "Interview with the mayor</a></audio><figcaption>Recorded on Monday. <span "
		     "class=\"credit\">Audio: Radio Harbour</span></figcaption></figure>");
	free(h);
	/* no title: the file name is the link's text; hostile text escaped */
	m.alt = "";
	m.caption = "<script>x</script>";
	m.credit = "";
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_CONTAINS(h, ".mp3\"><a href=\"/media/" HASH ".mp3\">interview.mp3</a></audio>");
	CHECK_CONTAINS(h, "<figcaption>&lt;script&gt;x&lt;/script&gt;</figcaption>");
	CHECK(!strstr(h, " title="));
	free(h);
	/* inside a sentence: the player alone */
	h = fig(&m, "Hear it", "", NULL, FIGURE_INLINE);
	CHECK_STR(h, "<audio controls preload=\"none\" src=\"/media/" HASH ".mp3\" title=\"Hear "
		     "it\"><a href=\"/media/" HASH ".mp3\">Hear it</a></audio>");
	free(h);
	/* a record whose extension is not a plain word is not written into a URL */
	m.ext = "mp3\" onerror=\"x";
	h = fig(&m, NULL, NULL, NULL, 0);
	CHECK_CONTAINS(h, "media-missing");
	CHECK(!strstr(h, "<audio"));
	free(h);
}

static void test_video(void)
{
	struct media_record m = av_rec("video/webm", "webm");
	char *h = fig(&m, "Flood \"footage\"", NULL, NULL, 0);
	CHECK_STR(h, "<figure class=\"video\"><div class=\"video-box\"><video controls "
		     "preload=\"none\" src=\"/media/" HASH ".webm\" title=\"Flood &quot;footage&quot;\">"
		     "<a href=\"/media/" HASH ".webm\">Flood &quot;footage&quot;</a></video></div>"
		     "<figcaption>Recorded on Monday. <span class=\"credit\">Audio: Radio "
		     "Harbour</span></figcaption></figure>");
	CHECK(!strstr(h, "autoplay"));
	struct pool *p = pool_new();
	const char *f = figure_feed_html(p, h, "https://news.example");
	CHECK_CONTAINS(f, "src=\"https://news.example/media/" HASH ".webm\"");
	CHECK_CONTAINS(f, "<a href=\"https://news.example/media/" HASH ".webm\">");
	CHECK(!strstr(f, "\"/media/"));
	pool_free(p);
	free(h);
}

/* A group of references: picture, picture, audio, picture -> a gallery of
 * two, the player alone, a figure; the lead only on the first. */
static void test_refs_runs(void)
{
	struct media_record ms[4] = { rec(), rec(), av_rec("audio/mpeg", "mp3"), rec() };
	ms[1].id = 43;
	ms[3].id = 44;
	struct buf b = BUF_INIT;
	figure_refs_html(&b, ms, 4, FIGURE_LEAD);
	const char *h = buf_str(&b);
	const char *g = strstr(h, "<div class=\"gallery\" id=\"gz-gallery-42\">");
	const char *a = strstr(h, "<figure class=\"audio\">");
	const char *f = strstr(h, "</div><figure class=\"figure\">");
	CHECK(g == h);
	CHECK(a && g && a > g);
	CHECK(f == NULL); /* the player comes between the gallery and the last figure */
	CHECK_CONTAINS(h, "</figure><figure class=\"figure\"><picture>");
	CHECK(strstr(h, "gz-media-44") == NULL); /* the last picture is no gallery's */
	size_t leads = 0;
	for (const char *s = h; (s = strstr(s, "fetchpriority")); s++)
		leads++;
	CHECK(leads == 1);
	buf_release(&b);
}

int main(void)
{
	RUN(test_full_figure);
	RUN(test_lead_and_overrides);
	RUN(test_caption_credit_omitted);
	RUN(test_hostile_text_escaped);
	RUN(test_formats_missing);
	RUN(test_narrow_picture);
	RUN(test_two_variants_middle);
	RUN(test_broken_record);
	RUN(test_inline);
	RUN(test_gallery);
	RUN(test_feed);
	RUN(test_card);
	RUN(test_card_crops);
	RUN(test_audio);
	RUN(test_video);
	RUN(test_refs_runs);
	return T_DONE();
}
