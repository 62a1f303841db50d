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

/* Players keep only the site's own files: a <source> of a /media/ path,
 * nothing else (no src on the player, no other host, no way out). */
static void test_players(void)
{
	keeps("<audio controls=\"\" preload=\"none\"><source src=\"/media/2024/03/a.mp3\" "
	      "type=\"audio/mpeg\"></audio>",
	      "<audio controls=\"\" preload=\"none\"><source src=\"/media/2024/03/a.mp3\" "
	      "type=\"audio/mpeg\"></audio>");
	keeps("<video controls preload=\"none\" poster=\"/media/p.jpg\" width=\"640\" autoplay>"
	      "<source src=\"/media/v.mp4\"></video>",
	      "<video controls=\"\" preload=\"none\" poster=\"/media/p.jpg\" width=\"640\">"
	      "<source src=\"/media/v.mp4\"></video>");
	keeps("<audio src=\"https://old.example/a.mp3\" controls><source src=\"https://old.example/a.mp3\">"
	      "<source src=\"/media/../gazette.db\"><source src=\"/media//evil.example/a\">"
	      "<source src=\"/mediax/a.mp3\"><track src=\"/media/t.vtt\"></audio>",
	      "<audio controls=\"\"></audio>");
	keeps("<video poster=\"https://old.example/p.jpg\"></video>", "<video></video>");
	/* the library's players (media/figure.c) carry src on the element:
	 * kept for a /media/ path, with the same rule as <source> */
	keeps("<figure class=\"audio\"><audio controls preload=\"none\" src=\"/media/0123456789abcdef.mp3\" "
	      "title=\"Sirens\"><a href=\"/media/0123456789abcdef.mp3\">Sirens</a></audio></figure>",
	      "<figure class=\"audio\"><audio controls=\"\" preload=\"none\" "
	      "src=\"/media/0123456789abcdef.mp3\" title=\"Sirens\"><a "
	      "href=\"/media/0123456789abcdef.mp3\">Sirens</a></audio></figure>");
	keeps("<video controls src=\"/media/0123456789abcdef.webm\"></video>",
	      "<video controls=\"\" src=\"/media/0123456789abcdef.webm\"></video>");
	keeps("<video src=\"https://old.example/v.mp4\"></video><video src=\"/media/../gazette.db\">"
	      "</video><audio src=\"javascript:alert(1)\"></audio>",
	      "<video></video><video></video><audio></audio>");
}

static void test_text_survives_escaped(void)
{
	keeps("a < b &amp;&amp; c > d", "a &lt; b &amp;&amp; c &gt; d");
	keeps("<p title='\"><script>'>x</p>", "<p title=\"&quot;&gt;&lt;script&gt;\">x</p>");
}

/* What WordPress embeds becomes the facade (content/embed.h): a player's
 * iframe, [embed] as shortcodes.c writes it, an embed block, a bare URL on
 * its own line, and our own facade coming back. No iframe survives. */
static void test_embeds(void)
{
	static const char *const facades[] = {
		"<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" width=\"560\" onload=\"x\"></iframe>",
		"<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a></p>",
		"<p>\n https://youtu.be/dQw4w9WgXcQ \n</p>",
		"<figure class=\"wp-block-embed is-provider-youtube\"><div class=\"wp-block-embed__wrapper\">\n"
		"https://youtu.be/dQw4w9WgXcQ\n</div></figure>",
		"<figure class=\"embed embed-youtube\" data-embed-url=\"https://youtu.be/dQw4w9WgXcQ\">"
		"<a href=\"https://youtu.be/dQw4w9WgXcQ\">YouTube https://youtu.be/dQw4w9WgXcQ</a>"
		"<figcaption><button>Load</button> Loading it sends data to YouTube.</figcaption></figure>",
	};
	for (size_t i = 0; i < sizeof facades / sizeof facades[0]; i++) {
		char *got = san(facades[i]);
		CHECK_CONTAINS(got, "<figure class=\"embed embed-youtube embed-r16x9\"");
		CHECK_CONTAINS(got, "data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"");
		CHECK_CONTAINS(got, "Load YouTube content</button>");
		CHECK(strstr(got, "<iframe") == NULL && strstr(got, "onload") == NULL);
		CHECK(strstr(got, "</figure>") == strrchr(got, '<')); /* one figure, nothing else */
		free(got);
	}
	/* not a provider, or not alone: links and text as before, never a frame */
	keeps("<iframe src=\"https://evil.example/x\"></iframe>",
	      "<p><a href=\"https://evil.example/x\">https://evil.example/x</a></p>");
	keeps("<iframe src=\"https://www.youtube-nocookie.com/embed/abc\"></iframe>",
	      "<p><a href=\"https://www.youtube-nocookie.com/embed/abc\">"
	      "https://www.youtube-nocookie.com/embed/abc</a></p>");
	keeps("<iframe src=\"javascript:alert(1)\"></iframe>", "");
	/* in a paragraph: a link inline; a facade closes the paragraph first */
	keeps("<p>a<iframe src=\"https://evil.example/x\"></iframe>b</p>",
	      "<p>a<a href=\"https://evil.example/x\">https://evil.example/x</a>b</p>");
	keeps("<p><em>a<iframe src=\"https://youtu.be/dQw4w9WgXcQ\"></iframe></em></p>",
	      "<p><em>a<a href=\"https://youtu.be/dQw4w9WgXcQ\">https://youtu.be/dQw4w9WgXcQ</a></em></p>");
	char *got = san("<p>a<iframe src=\"https://youtu.be/dQw4w9WgXcQ\"></iframe>b</p>");
	static const char facade_first[] = "<p>a</p>\n<figure class=\"embed embed-youtube";
	CHECK(strncmp(got, facade_first, sizeof facade_first - 1) == 0);
	CHECK_CONTAINS(got, "</figure>\n<p>b</p>");
	free(got);
	keeps("<p>See https://youtu.be/dQw4w9WgXcQ</p>", "<p>See https://youtu.be/dQw4w9WgXcQ</p>");
	keeps("<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">a video</a></p>",
	      "<p><a href=\"https://youtu.be/dQw4w9WgXcQ\">a video</a></p>");
	keeps("<p>http://youtu.be/dQw4w9WgXcQ</p>", "<p>http://youtu.be/dQw4w9WgXcQ</p>");
	keeps("<p>https://www.youtube.com.evil.net/watch?v=dQw4w9WgXcQ</p>",
	      "<p>https://www.youtube.com.evil.net/watch?v=dQw4w9WgXcQ</p>");
	keeps("<figure data-embed-url=\"https://evil.example/\">x</figure>", "<figure>x</figure>");
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
	RUN(test_players);
	RUN(test_url_ok);
	RUN(test_text);
	RUN(test_idempotent);
	return T_DONE();
}
