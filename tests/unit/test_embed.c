/*
 * Unit tests for src/content/embed.c: every provider's accepted URL forms
 * and the src each becomes, the refusals (http, look-alike hosts, hostile
 * and overlong IDs, other schemes), the facade's markup, the frame-src
 * list and the filter that turns a disabled provider's facade back into a
 * link.
 */
#include "../../src/content/embed.h"
#include "t.h"

#include <stdlib.h>

struct ok_case {
	const char *url, *provider, *src;
};

static void test_accepts(void)
{
	static const struct ok_case cases[] = {
		{ "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube",
		  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" },
		{ "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "youtube",
		  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" },
		{ "HTTPS://M.YouTube.com/watch?v=dQw4w9WgXcQ", "youtube",
		  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" },
		{ "https://youtu.be/dQw4w9WgXcQ?si=abc", "youtube",
		  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" },
		{ "https://www.youtube.com/shorts/a-b_c1234XY", "youtube",
		  "https://www.youtube-nocookie.com/embed/a-b_c1234XY" },
		{ "https://www.youtube.com/embed/dQw4w9WgXcQ", "youtube",
		  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" },
		{ "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0", "youtube",
		  "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" },
		{ "https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1" },
		{ "https://player.vimeo.com/video/76979871", "vimeo",
		  "https://player.vimeo.com/video/76979871?dnt=1" },
		{ "https://twitter.com/jack/status/20", "twitter",
		  "https://platform.twitter.com/embed/Tweet.html?id=20" },
		{ "https://x.com/NASA/status/1790000000000000000?s=20", "twitter",
		  "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000" },
		{ "https://www.instagram.com/p/CxYz_12-ab/", "instagram",
		  "https://www.instagram.com/p/CxYz_12-ab/embed" },
		{ "https://instagram.com/reel/CxYz_12-ab", "instagram",
		  "https://www.instagram.com/p/CxYz_12-ab/embed" },
		{ "https://www.facebook.com/the.paper/posts/pfbid02abcXYZ", "facebook",
		  "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F"
		  "the.paper%2Fposts%2Fpfbid02abcXYZ" },
		{ "https://www.facebook.com/thepaper/videos/1234567890/", "facebook",
		  "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2F"
		  "thepaper%2Fvideos%2F1234567890" },
		{ "https://www.tiktok.com/@scout2015/video/6718335390845095173", "tiktok",
		  "https://www.tiktok.com/embed/v2/6718335390845095173" },
		{ "https://soundcloud.com/forss/flickermood", "soundcloud",
		  "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood" },
		{ "https://soundcloud.com/forss/sets/soulhack", "soundcloud",
		  "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fsets%2Fsoulhack" },
		{ "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/293&color=ff5500",
		  "soundcloud", "https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F293" },
		{ "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=x", "spotify",
		  "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC" },
		{ "https://open.spotify.com/album/4uLU6hMCjMI75M1A2tKUQC", "spotify",
		  "https://open.spotify.com/embed/album/4uLU6hMCjMI75M1A2tKUQC" },
		{ "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", "spotify",
		  "https://open.spotify.com/embed/playlist/37i9dQZF1DXcBWIGoYBM5M" },
		{ "https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC", "spotify",
		  "https://open.spotify.com/embed/episode/4uLU6hMCjMI75M1A2tKUQC" },
		{ "https://open.spotify.com/show/4uLU6hMCjMI75M1A2tKUQC", "spotify",
		  "https://open.spotify.com/embed/show/4uLU6hMCjMI75M1A2tKUQC" },
		{ "https://datawrapper.dwcdn.net/aBc12/3/", "datawrapper",
		  "https://datawrapper.dwcdn.net/aBc12/3/" },
		{ "https://datawrapper.dwcdn.net/aBc12/", "datawrapper",
		  "https://datawrapper.dwcdn.net/aBc12/" },
		{ "https://public.flourish.studio/visualisation/1234567/", "flourish",
		  "https://public.flourish.studio/visualisation/1234567/embed" },
		{ "https://public.flourish.studio/visualisation/1234567/embed", "flourish",
		  "https://public.flourish.studio/visualisation/1234567/embed" },
		{ "https://public.flourish.studio/story/99/", "flourish",
		  "https://public.flourish.studio/story/99/embed" },
		{ "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3022.2!2d-73.98!3d40.75"
		  "!1s0x0%3A0x0!5e0", "googlemaps",
		  "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3022.2!2d-73.98!3d40.75"
		  "!1s0x0%3A0x0!5e0" },
	};
	struct embed_match *m = malloc(sizeof *m);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *u = cases[i].url;
		memset(m, 0, sizeof *m);
		int ok = embed_match(u, strlen(u), m);
		if (!ok)
			fprintf(stderr, "not matched: %s\n", u);
		CHECK(ok == 1);
		CHECK_STR(ok ? m->provider->name : NULL, cases[i].provider);
		CHECK_STR(ok ? m->src : NULL, cases[i].src);
		CHECK(ok ? &embed_providers[m->index] == m->provider : 1);
	}
	free(m);
}

static void test_refuses(void)
{
	static const char *const cases[] = {
		"", "https://", "https:///watch?v=dQw4w9WgXcQ",
		"http://www.youtube.com/watch?v=dQw4w9WgXcQ",  /* https only */
		"//www.youtube.com/watch?v=dQw4w9WgXcQ",
		"javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ",
		"javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
		"data:text/html,https://youtu.be/dQw4w9WgXcQ",
		"https://www.youtube.com.evil.net/watch?v=dQw4w9WgXcQ", /* look-alikes */
		"https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
		"https://youtube.com.evil.net/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com@evil.net/watch?v=dQw4w9WgXcQ",
		"https://evil.net@www.youtube.com/watch?v=dQw4w9WgXcQ", /* userinfo */
		"https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",    /* port */
		"https://www.youtube.com./watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com/watch?v=dQw4w9WgXc",          /* short ID */
		"https://www.youtube.com/watch?v=dQw4w9WgXcQQ",        /* long ID */
		"https://www.youtube.com/watch?v=dQw4w9Wg\"cQ",         /* quote */
		"https://www.youtube.com/watch?v=dQw4w9Wg<cQ",          /* angle bracket */
		"https://youtu.be/dQw4w9WgX'Q",
		"https://youtu.be/dQw4w9WgXcQ\"onload=alert(1)",
		"https://youtu.be/dQw4w9WgXcQ x",
		"https://youtu.be/dQw4w9W%20Q",
		"https://www.youtube.com/watch?x=1&v=dQw4w9WgXcQ",
		"https://www.youtube.com/WATCH?v=dQw4w9WgXcQ",
		"https://vimeo.com/123456789012345678901",              /* 21 digits */
		"https://vimeo.com/12a",
		"https://twitter.com/aaaaaaaaaaaaaaaa/status/1",        /* 16-character user */
		"https://twitter.com/jack/statuses/20",
		"https://www.instagram.com/p/abc/",                     /* 3-character code */
		"https://www.tiktok.com/scout2015/video/1",
		"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQ",  /* 21 characters */
		"https://open.spotify.com/artist/4uLU6hMCjMI75M1A2tKUQC",
		"https://datawrapper.dwcdn.net/ab/1/",
		"https://public.flourish.studio/visualisation/abc/",
		"https://www.google.com/maps/place/Somewhere",          /* not an embed URL */
		"https://www.google.com/maps/embed?pb=",
		"https://www.google.com/search?q=x",
		"https://example.com/",
	};
	struct embed_match *m = malloc(sizeof *m);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int ok = embed_match(cases[i], strlen(cases[i]), m);
		if (ok)
			fprintf(stderr, "matched but should not: %s -> %s\n", cases[i], m->src);
		CHECK(ok == 0);
	}
	/* a NUL inside, and a URL over the maximum length */
	CHECK(embed_match("https://youtu.be/dQw4w9WgXcQ\0x", 30, m) == 0);
	char *big = malloc(EMBED_URL_MAX + 64);
	strcpy(big, "https://www.google.com/maps/embed?pb=");
	memset(big + strlen(big), 'a', EMBED_URL_MAX);
	big[EMBED_URL_MAX + 10] = '\0';
	CHECK(embed_match(big, strlen(big), m) == 0);
	CHECK(embed_match(NULL, 0, m) == 0);
	free(big);
	free(m);
}

static void test_facade(void)
{
	struct embed_match m;
	struct buf b = BUF_INIT;
	const char *u = "https://youtu.be/dQw4w9WgXcQ?a=1&b=2";
	CHECK(embed_match(u, strlen(u), &m) == 1);
	embed_facade(&b, &m, u);
	const char *h = buf_str(&b);
	CHECK_CONTAINS(h, "<figure class=\"embed embed-youtube embed-r16x9\" data-embed=\"youtube\"");
	CHECK_CONTAINS(h, " data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"");
	CHECK_CONTAINS(h, "<a class=\"embed-card\" href=\"https://youtu.be/dQw4w9WgXcQ?a=1&amp;b=2\">"
			  "<span class=\"embed-provider\">YouTube</span>");
	CHECK_CONTAINS(h, "<button type=\"button\" class=\"embed-load\">Load YouTube content</button>");
	CHECK_CONTAINS(h, "Loading it sends data to YouTube.");
	CHECK(strstr(h, "<iframe") == NULL);
	CHECK(strstr(h, "<script") == NULL);
	CHECK(strstr(h, "style=") == NULL);
	buf_release(&b);
}

static void test_lists(void)
{
	unsigned mask = 99;
	char err[200] = "";
	struct buf b = BUF_INIT;
	CHECK(embed_parse_list("", &mask, err, sizeof err) == 0 && mask == 0);
	CHECK(embed_parse_list(" youtube,vimeo  googlemaps", &mask, err, sizeof err) == 0);
	CHECK(mask == (1u << embed_index("youtube", 7) | 1u << embed_index("vimeo", 5) |
		       1u << embed_index("googlemaps", 10)));
	CHECK(embed_parse_list("youtube myspace", &mask, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "\"myspace\"");
	embed_frame_src(EMBED_ALL, &b);
	CHECK_STR(buf_str(&b), "https://www.youtube-nocookie.com https://player.vimeo.com "
			       "https://platform.twitter.com https://www.instagram.com "
			       "https://www.facebook.com https://www.tiktok.com "
			       "https://w.soundcloud.com https://open.spotify.com "
			       "https://datawrapper.dwcdn.net https://public.flourish.studio "
			       "https://www.google.com");
	buf_reset(&b);
	embed_frame_src(1u << embed_index("vimeo", 5), &b);
	CHECK_STR(buf_str(&b), "https://player.vimeo.com");
	buf_reset(&b);
	embed_frame_src(0, &b);
	CHECK_STR(buf_str(&b), "'none'");
	buf_release(&b);
}

static void test_filter(void)
{
	struct embed_match m;
	struct buf html = BUF_INIT, out = BUF_INIT;
	const char *yt = "https://youtu.be/dQw4w9WgXcQ?a=1&b=2", *vi = "https://vimeo.com/1";
	buf_puts(&html, "<p>before</p>\n");
	CHECK(embed_match(yt, strlen(yt), &m));
	embed_facade(&html, &m, yt);
	CHECK(embed_match(vi, strlen(vi), &m));
	embed_facade(&html, &m, vi);
	buf_puts(&html, "<figure class=\"embed embed-youtube\">imported</figure><p>after</p>\n");

	embed_html_filter(buf_str(&html), EMBED_ALL, &out);
	CHECK_STR(buf_str(&out), buf_str(&html));

	buf_reset(&out);
	embed_html_filter(buf_str(&html), EMBED_ALL & ~(1u << embed_index("youtube", 7)), &out);
	const char *o = buf_str(&out);
	static const char want[] = "<p>before</p>\n<p><a href=\"https://youtu.be/dQw4w9WgXcQ?a=1&amp;"
				   "b=2\">https://youtu.be/dQw4w9WgXcQ?a=1&amp;b=2</a></p>\n"
				   "<figure class=\"embed embed-vimeo";
	CHECK(strncmp(o, want, sizeof want - 1) == 0);
	CHECK(strstr(o, "embed-youtube embed-r16x9") == NULL);
	CHECK_CONTAINS(o, "data-embed-src=\"https://player.vimeo.com/video/1?dnt=1\"");
	CHECK_CONTAINS(o, "<figure class=\"embed embed-youtube\">imported</figure><p>after</p>\n");

	buf_reset(&out);
	embed_html_filter(buf_str(&html), 0, &out);
	CHECK(strstr(buf_str(&out), "data-embed") == NULL);
	CHECK_CONTAINS(buf_str(&out), "<p><a href=\"https://vimeo.com/1\">https://vimeo.com/1</a></p>\n");
	buf_release(&html);
	buf_release(&out);
}

int main(void)
{
	RUN(test_accepts);
	RUN(test_refuses);
	RUN(test_facade);
	RUN(test_lists);
	RUN(test_filter);
	return T_DONE();
}
