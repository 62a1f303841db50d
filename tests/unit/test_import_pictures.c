/*
 * test_import_pictures: the importer's media scanners (src/import/
 * import_pictures.c) through import_body_convert, without --uploads (no
 * file is read, no store is touched): what each form becomes and how it
 * is counted; and the placeholders filled after the sanitizer.
 * tests/integration/import-media.test.js covers the library path.
 */
#include "t.h"
#include "../../src/import/import_int.h"
#include "../../src/util/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct import_opts opts;
static struct imp im;

static void reset(void)
{
	memset(&opts, 0, sizeof opts);
	memset(&im, 0, sizeof im);
	im.o = &opts;
	im.p = pool_new();
	im.base = im.blog = "https://old.example";
	memcpy(im.nonce, "n1", 3);
	buf_init(&im.warnings, 0);
	buf_init(&im.kept_urls, 0);
	buf_init(&im.missing, 0);
}

static void release(void)
{
	buf_release(&im.warnings);
	buf_release(&im.kept_urls);
	buf_release(&im.missing);
	pool_free(im.p);
}

/* Converts content; the result in a static buffer. */
static const char *convert(const char *content)
{
	static char out[8192];
	struct buf b;
	buf_init(&b, 0);
	CHECK(import_body_convert(&im, content, &b) == 0);
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static void test_without_uploads_nothing_is_lost(void)
{
	reset();
	const char *h = convert("<!-- wp:image {\"id\":3} --><figure class=\"wp-block-image\"><img "
				"src=\"https://old.example/wp-content/uploads/a.jpg\" alt=\"A\"/>"
				"<figcaption>Cap</figcaption></figure><!-- /wp:image -->");
	CHECK(strstr(h, "<img src=\"https://old.example/wp-content/uploads/a.jpg\" alt=\"A\">") != NULL);
	CHECK(strstr(h, "<figcaption>Cap</figcaption>") != NULL);
	CHECK(im.media[MK_BODY][MF_MISSING] == 1);
	CHECK(strstr(buf_str(&im.kept_urls), "uploads/a.jpg") != NULL);
	CHECK(im.nmissing == 0); /* listed by name only when --uploads was given */
	release();
}

static void test_players_link_where_not_copied(void)
{
	reset();
	const char *h = convert("[audio https://old.example/wp-content/uploads/a.mp3]\n\n"
				"[video mp4=\"https://cdn.example/v.mp4\"][/video]");
	CHECK(strstr(h, "<a href=\"https://old.example/wp-content/uploads/a.mp3\">") != NULL);
	CHECK(strstr(h, "<a href=\"https://cdn.example/v.mp4\">") != NULL);
	CHECK(strstr(h, "<audio") == NULL && strstr(h, "<video") == NULL);
	CHECK(im.media[MK_AUDIO][MF_MISSING] == 1);
	CHECK(im.media[MK_VIDEO][MF_UNSUPPORTED] == 1);
	release();
}

static void test_foreign_image_and_embeds_counted(void)
{
	reset();
	const char *h = convert("<img src=\"https://elsewhere.example/x.jpg\" alt=\"X\">\n\n"
				"https://youtu.be/dQw4w9WgXcQ\n\n"
				"[embed]https://example.com/page[/embed]\n\n"
				"<iframe src=\"https://evil.example/frame\"></iframe>");
	CHECK(strstr(h, "<img src=\"https://elsewhere.example/x.jpg\" alt=\"X\">") != NULL);
	CHECK(im.media[MK_BODY][MF_UNSUPPORTED] == 1);
	CHECK(im.media[MK_EMBED][MF_FOUND] == 1);
	CHECK(im.media[MK_EMBED][MF_UNSUPPORTED] == 2);
	release();
}

static void test_cover_keeps_its_text(void)
{
	reset();
	const char *h = convert("<!-- wp:cover {\"url\":\"https:\\/\\/old.example\\/wp-content\\/uploads\\/c.jpg\"} -->"
				"<div class=\"wp-block-cover\"><img class=\"wp-block-cover__image-background\" "
				"src=\"https://old.example/wp-content/uploads/c.jpg\"/><div "
				"class=\"wp-block-cover__inner-container\"><p>Over &amp; out</p></div></div>"
				"<!-- /wp:cover -->");
	CHECK_STR(h, "<p>Over &amp; out</p>");
	CHECK(im.media[MK_COVER][MF_MISSING] == 1);
	CHECK(im.media[MK_BODY][MF_MISSING] == 0); /* the background is the cover's */
	CHECK(strstr(buf_str(&im.kept_urls), "uploads/c.jpg") != NULL);
	release();
}

static void test_unclosed_blocks_and_tags(void)
{
	reset();
	const char *h = convert("<!-- wp:image --><img src=\"/wp-content/uploads/x.jpg\" alt=\"Y\">"
				"<!-- wp:gallery --><audio src=\"https://old.example/wp-content/uploads/a.mp3\">");
	CHECK(strstr(h, "alt=\"Y\"") != NULL);
	CHECK(im.media[MK_BODY][MF_MISSING] == 1);
	release();
}

static void test_fill(void)
{
	reset();
	struct placed pl = { NULL, 0, 0 };
	struct buf in, out, fig;
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&fig, 0);
	buf_puts(&fig, "<figure>F</figure>");
	pl.html = calloc(1, sizeof *pl.html);
	pl.html[0] = strdup(buf_str(&fig));
	pl.n = pl.cap = 1;
	import_pictures_fill(&im, &pl,
			     "<p>a</p><div class=\"gzm-n1-0\"></div><div class=\"gzm-n1-7\"></div>"
			     "<div class=\"gzm-zz-0\"></div>",
			     &out);
	CHECK_STR(buf_str(&out), "<p>a</p><figure>F</figure><div class=\"gzm-n1-7\"></div>"
				 "<div class=\"gzm-zz-0\"></div>");
	CHECK(pl.n == 0 && pl.html == NULL);
	buf_release(&in);
	buf_release(&out);
	buf_release(&fig);
	release();
}

int main(void)
{
	RUN(test_without_uploads_nothing_is_lost);
	RUN(test_players_link_where_not_copied);
	RUN(test_foreign_image_and_embeds_counted);
	RUN(test_cover_keeps_its_text);
	RUN(test_unclosed_blocks_and_tags);
	RUN(test_fill);
	return T_DONE();
}
