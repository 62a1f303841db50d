/*
 * embed: the provider table, the URL matcher and the facade (see embed.h).
 *
 * Each provider has rows of URL patterns: the exact hosts it is served
 * from, a path template in which "{c}" is an ID of class c (a charset and
 * length bounds, table `classes`), which characters may start what follows
 * the template (ignored: only IDs are kept), and the src template in which
 * "{1}".."{3}" are the IDs in order. The matcher is a loop over bytes with
 * no allocation; the fuzz target fuzz/embed_fuzz.c holds it to that.
 */
#include "embed.h"
#include "../render/escape.h"

#include <stdio.h>
#include <string.h>

#define SANDBOX_PLAYER "allow-scripts allow-same-origin allow-presentation allow-popups"
#define SANDBOX_POST "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
#define ALLOW_VIDEO "encrypted-media; picture-in-picture; fullscreen"

enum {
	P_YOUTUBE, P_VIMEO, P_TWITTER, P_INSTAGRAM, P_FACEBOOK, P_TIKTOK, P_SOUNDCLOUD,
	P_SPOTIFY, P_DATAWRAPPER, P_FLOURISH, P_GMAPS, P__MAX
};

const struct embed_provider embed_providers[P__MAX] = {
	[P_YOUTUBE] = { "youtube", "YouTube", "https://www.youtube-nocookie.com", "16x9",
			"accelerometer; " ALLOW_VIDEO, SANDBOX_PLAYER },
	[P_VIMEO] = { "vimeo", "Vimeo", "https://player.vimeo.com", "16x9", ALLOW_VIDEO,
		      SANDBOX_PLAYER },
	[P_TWITTER] = { "twitter", "X (Twitter)", "https://platform.twitter.com", "tall", "",
			SANDBOX_POST },
	[P_INSTAGRAM] = { "instagram", "Instagram", "https://www.instagram.com", "tall", "",
			  SANDBOX_POST },
	[P_FACEBOOK] = { "facebook", "Facebook", "https://www.facebook.com", "tall", ALLOW_VIDEO,
			 SANDBOX_POST },
	[P_TIKTOK] = { "tiktok", "TikTok", "https://www.tiktok.com", "9x16", ALLOW_VIDEO,
		       SANDBOX_POST },
	[P_SOUNDCLOUD] = { "soundcloud", "SoundCloud", "https://w.soundcloud.com", "audio",
			   "autoplay", SANDBOX_POST },
	[P_SPOTIFY] = { "spotify", "Spotify", "https://open.spotify.com", "player",
			"autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture",
			SANDBOX_POST },
	[P_DATAWRAPPER] = { "datawrapper", "Datawrapper", "https://datawrapper.dwcdn.net", "4x3",
			    "", SANDBOX_POST },
	[P_FLOURISH] = { "flourish", "Flourish", "https://public.flourish.studio", "4x3", "",
			 SANDBOX_POST },
	[P_GMAPS] = { "googlemaps", "Google Maps", "https://www.google.com", "4x3", "fullscreen",
		      SANDBOX_POST },
};
const size_t embed_count = P__MAX;

/* ID classes: the characters an ID may hold beyond letters and digits (or
 * digits only), and its length bounds. */
struct idclass {
	char key;
	int digits_only;
	const char *extra;
	unsigned min, max;
};

static const struct idclass classes[] = {
	{ 'y', 0, "-_", 11, 11 },    /* YouTube video */
	{ 'n', 1, "", 1, 20 },       /* numeric IDs: Vimeo, tweets, TikTok, Flourish */
	{ 'u', 0, "_", 1, 15 },      /* X user name */
	{ 'i', 0, "-_", 5, 40 },     /* Instagram shortcode */
	{ 'p', 0, ".-", 1, 80 },     /* Facebook page name */
	{ 'f', 0, "", 1, 64 },       /* Facebook post or video ("pfbid..." or digits) */
	{ 't', 0, "._", 1, 32 },     /* TikTok user name */
	{ 's', 0, "-_", 1, 128 },    /* SoundCloud user, track or set slug */
	{ 'S', 0, "", 22, 22 },      /* Spotify base-62 ID */
	{ 'd', 0, "", 5, 10 },       /* Datawrapper chart */
	{ 'v', 1, "", 1, 4 },        /* Datawrapper version */
	{ 'm', 0, "!._~%-", 1, 2000 }, /* Google Maps "pb" */
};

struct pattern {
	unsigned provider;
	const char *hosts; /* " a b ": exact, lower case */
	const char *path;  /* template */
	const char *tail;  /* characters that may start the rest */
	const char *src;   /* iframe src template */
};

#define YT_HOSTS " youtube.com www.youtube.com m.youtube.com "
#define TW_HOSTS " twitter.com www.twitter.com mobile.twitter.com x.com www.x.com "
#define IG_HOSTS " instagram.com www.instagram.com "
#define FB_HOSTS " facebook.com www.facebook.com m.facebook.com "
#define SC_HOSTS " soundcloud.com www.soundcloud.com m.soundcloud.com "
#define SC_PLAYER "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2F{1}%2F"
#define SC_API "https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F"
#define FB_PLUGIN "https://www.facebook.com/plugins/"
#define FB_HREF "?href=https%3A%2F%2Fwww.facebook.com%2F{1}%2F"
#define SPOTIFY(kind) \
	{ P_SPOTIFY, " open.spotify.com ", "/" kind "/{S}", "?#/", \
	  "https://open.spotify.com/embed/" kind "/{1}" }, \
	{ P_SPOTIFY, " open.spotify.com ", "/embed/" kind "/{S}", "?#/", \
	  "https://open.spotify.com/embed/" kind "/{1}" }

static const struct pattern patterns[] = {
	{ P_YOUTUBE, YT_HOSTS, "/watch?v={y}", "&#", "https://www.youtube-nocookie.com/embed/{1}" },
	{ P_YOUTUBE, YT_HOSTS, "/shorts/{y}", "?#/", "https://www.youtube-nocookie.com/embed/{1}" },
	{ P_YOUTUBE, YT_HOSTS, "/embed/{y}", "?#", "https://www.youtube-nocookie.com/embed/{1}" },
	{ P_YOUTUBE, " youtu.be ", "/{y}", "?#", "https://www.youtube-nocookie.com/embed/{1}" },
	{ P_YOUTUBE, " www.youtube-nocookie.com youtube-nocookie.com ", "/embed/{y}", "?#",
	  "https://www.youtube-nocookie.com/embed/{1}" },
	{ P_VIMEO, " vimeo.com www.vimeo.com ", "/{n}", "/?#",
	  "https://player.vimeo.com/video/{1}?dnt=1" },
	{ P_VIMEO, " player.vimeo.com ", "/video/{n}", "?#",
	  "https://player.vimeo.com/video/{1}?dnt=1" },
	{ P_TWITTER, TW_HOSTS, "/{u}/status/{n}", "/?#",
	  "https://platform.twitter.com/embed/Tweet.html?id={2}" },
	{ P_INSTAGRAM, IG_HOSTS, "/p/{i}", "/?#", "https://www.instagram.com/p/{1}/embed" },
	{ P_INSTAGRAM, IG_HOSTS, "/reel/{i}", "/?#", "https://www.instagram.com/p/{1}/embed" },
	{ P_FACEBOOK, FB_HOSTS, "/{p}/posts/{f}", "/?#", FB_PLUGIN "post.php" FB_HREF "posts%2F{2}" },
	{ P_FACEBOOK, FB_HOSTS, "/{p}/videos/{f}", "/?#", FB_PLUGIN "video.php" FB_HREF "videos%2F{2}" },
	{ P_TIKTOK, " tiktok.com www.tiktok.com ", "/@{t}/video/{n}", "/?#",
	  "https://www.tiktok.com/embed/v2/{2}" },
	{ P_TIKTOK, " www.tiktok.com ", "/embed/v2/{n}", "?#", "https://www.tiktok.com/embed/v2/{1}" },
	{ P_SOUNDCLOUD, SC_HOSTS, "/{s}/sets/{s}", "/?#", SC_PLAYER "sets%2F{2}" },
	{ P_SOUNDCLOUD, SC_HOSTS, "/{s}/{s}", "/?#", SC_PLAYER "{2}" },
	{ P_SOUNDCLOUD, " w.soundcloud.com ", "/player/?url=https%3A//api.soundcloud.com/tracks/{n}", "&#",
	  SC_API "{1}" },
	{ P_SOUNDCLOUD, " w.soundcloud.com ", "/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F{n}",
	  "&#", SC_API "{1}" },
	SPOTIFY("track"), SPOTIFY("album"), SPOTIFY("playlist"), SPOTIFY("episode"), SPOTIFY("show"),
	{ P_DATAWRAPPER, " datawrapper.dwcdn.net ", "/{d}/{v}", "/?#",
	  "https://datawrapper.dwcdn.net/{1}/{2}/" },
	{ P_DATAWRAPPER, " datawrapper.dwcdn.net ", "/{d}", "/?#",
	  "https://datawrapper.dwcdn.net/{1}/" },
	{ P_FLOURISH, " public.flourish.studio ", "/visualisation/{n}", "/?#",
	  "https://public.flourish.studio/visualisation/{1}/embed" },
	{ P_FLOURISH, " public.flourish.studio ", "/story/{n}", "/?#",
	  "https://public.flourish.studio/story/{1}/embed" },
	{ P_GMAPS, " www.google.com google.com ", "/maps/embed?pb={m}", "&#",
	  "https://www.google.com/maps/embed?pb={1}" },
};

#define CAPTURES 3

struct span {
	const char *s;
	size_t n;
};

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static const struct idclass *class_of(char key)
{
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (classes[i].key == key)
			return &classes[i];
	return NULL;
}

static int in_class(const struct idclass *c, char ch)
{
	if (c->digits_only)
		return ch >= '0' && ch <= '9';
	return is_alnum(ch) || (ch && strchr(c->extra, ch));
}

/* Bytes a URL may hold at all: printable ASCII without quotes, angle
 * brackets, backslash and the other characters RFC 3986 leaves out. */
static int url_byte_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7F && !strchr("\"'<>\\^`{|}", c);
}

/* 1 when host[0..n) is one of the words of list. */
static int host_in(const char *list, const char *host, size_t n)
{
	char low[64];
	if (n == 0 || n >= sizeof low - 2)
		return 0;
	low[0] = ' ';
	for (size_t i = 0; i < n; i++)
		low[i + 1] = (char)(host[i] >= 'A' && host[i] <= 'Z' ? host[i] + 32 : host[i]);
	low[n + 1] = ' ';
	low[n + 2] = '\0';
	return strstr(list, low) != NULL;
}

/* Matches path[0..n) against a template; the IDs go to cap. */
static int path_match(const struct pattern *pt, const char *path, size_t n, struct span *cap)
{
	size_t i = 0, ncap = 0;
	for (const char *t = pt->path; *t; t++) {
		if (*t != '{') {
			if (i >= n || path[i] != *t)
				return 0;
			i++;
			continue;
		}
		const struct idclass *c = class_of(t[1]);
		if (!c || t[2] != '}' || ncap >= CAPTURES)
			return 0;
		size_t start = i;
		while (i < n && i - start <= c->max && in_class(c, path[i]))
			i++;
		if (i - start < c->min || i - start > c->max)
			return 0;
		cap[ncap++] = (struct span){ path + start, i - start };
		t += 2;
	}
	return i == n || strchr(pt->tail, path[i]) != NULL;
}

static void build_src(const char *tpl, const struct span *cap, char *out)
{
	size_t k = 0;
	for (const char *t = tpl; *t && k < EMBED_SRC_MAX - 1; t++) {
		if (t[0] == '{' && t[1] >= '1' && t[1] <= '0' + CAPTURES && t[2] == '}') {
			const struct span *c = &cap[t[1] - '1'];
			for (size_t j = 0; j < c->n && k < EMBED_SRC_MAX - 1; j++)
				out[k++] = c->s[j];
			t += 2;
		} else {
			out[k++] = *t;
		}
	}
	out[k] = '\0';
}

int embed_match(const char *url, size_t n, struct embed_match *m)
{
	static const char https[] = "https://";
	if (!url || n <= sizeof https - 1 || n > EMBED_URL_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!url_byte_ok((unsigned char)url[i]) ||
		    (i < sizeof https - 1 && (url[i] | 0x20) != https[i] && url[i] != https[i]))
			return 0;
	const char *host = url + sizeof https - 1, *end = url + n, *path = host;
	while (path < end && *path != '/' && *path != '?' && *path != '#')
		path++;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		const struct pattern *pt = &patterns[i];
		struct span cap[CAPTURES] = { 0 };
		if (!host_in(pt->hosts, host, (size_t)(path - host)) ||
		    !path_match(pt, path, (size_t)(end - path), cap))
			continue;
		m->provider = &embed_providers[pt->provider];
		m->index = pt->provider;
		build_src(pt->src, cap, m->src);
		return 1;
	}
	return 0;
}

static void attr(struct buf *out, const char *name, const char *value)
{
	buf_printf(out, " %s=\"", name);
	html_attr(out, value);
	buf_putc(out, '"');
}

void embed_facade(struct buf *out, const struct embed_match *m, const char *url)
{
	const struct embed_provider *p = m->provider;
	char title[96];
	snprintf(title, sizeof title, "%s content", p->title);
	buf_printf(out, "<figure class=\"embed embed-%s embed-r%s\"", p->name, p->ratio);
	attr(out, "data-embed", p->name);
	attr(out, "data-embed-src", m->src);
	attr(out, "data-embed-title", title);
	attr(out, "data-embed-allow", p->allow);
	if (p->sandbox)
		attr(out, "data-embed-sandbox", p->sandbox);
	attr(out, "data-embed-url", url);
	buf_puts(out, ">\n<a class=\"embed-card\"");
	attr(out, "href", url);
	buf_puts(out, "><span class=\"embed-provider\">");
	html_text(out, p->title);
	buf_puts(out, "</span> <span class=\"embed-link\">");
	html_text(out, url);
	buf_puts(out, "</span></a>\n<figcaption class=\"embed-consent\" hidden>"
		      "<button type=\"button\" class=\"embed-load\">Load ");
	html_text(out, p->title);
	buf_puts(out, " content</button> <span class=\"embed-note\">Loading it sends data to ");
	html_text(out, p->title);
	buf_puts(out, ".</span></figcaption>\n</figure>\n");
}

int embed_index(const char *name, size_t n)
{
	for (size_t i = 0; i < embed_count; i++)
		if (strlen(embed_providers[i].name) == n && strncmp(embed_providers[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

int embed_parse_list(const char *list, unsigned *mask, char *err, size_t errlen)
{
	*mask = 0;
	for (const char *s = list; *s;) {
		size_t n = strcspn(s, " ,\t");
		if (n) {
			int i = embed_index(s, n);
			if (i < 0) {
				snprintf(err, errlen, "unknown embed provider \"%.*s\" (known: youtube vimeo "
					 "twitter instagram facebook tiktok soundcloud spotify datawrapper "
					 "flourish googlemaps)", (int)(n > 40 ? 40 : n), s);
				return -1;
			}
			*mask |= 1u << i;
		}
		s += n;
		s += strspn(s, " ,\t");
	}
	return 0;
}

void embed_frame_src(unsigned enabled, struct buf *out)
{
	size_t start = out->len;
	for (size_t i = 0; i < embed_count; i++) {
		const char *h = embed_providers[i].frame_host;
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= (enabled >> j & 1u) && strcmp(embed_providers[j].frame_host, h) == 0;
		if (!(enabled >> i & 1u) || seen)
			continue;
		if (out->len > start)
			buf_putc(out, ' ');
		buf_puts(out, h);
	}
	if (out->len == start)
		buf_puts(out, "'none'");
}

#define FACADE_OPEN "<figure class=\"embed embed-"
#define URL_ATTR " data-embed-url=\""

/* At f (a facade we wrote): its provider's index and the URL attribute's
 * value (already escaped) and the end of the figure; -1 when f is not one. */
static int facade_at(const char *f, struct span *url, const char **end)
{
	const char *name = f + sizeof FACADE_OPEN - 1;
	size_t n = strcspn(name, " \"");
	int i = embed_index(name, n);
	const char *tag_end = strchr(name, '>');
	const char *u = strstr(name, URL_ATTR);
	if (i < 0 || !tag_end || !u || u > tag_end)
		return -1;
	url->s = u + sizeof URL_ATTR - 1;
	url->n = strcspn(url->s, "\"");
	const char *close = strstr(tag_end, "</figure>");
	if (!close)
		return -1;
	*end = close + sizeof "</figure>" - 1;
	if (**end == '\n')
		(*end)++;
	return i;
}

void embed_html_filter(const char *html, unsigned enabled, struct buf *out)
{
	const char *s = html;
	for (const char *f; (enabled & EMBED_ALL) != EMBED_ALL && (f = strstr(s, FACADE_OPEN));) {
		struct span url;
		const char *end;
		int i = facade_at(f, &url, &end);
		if (i < 0 || (enabled >> i & 1u)) {
			buf_add(out, s, (size_t)(f - s) + 1);
			s = f + 1;
			continue;
		}
		buf_add(out, s, (size_t)(f - s));
		buf_puts(out, "<p><a href=\"");
		buf_add(out, url.s, url.n);
		buf_puts(out, "\">");
		buf_add(out, url.s, url.n);
		buf_puts(out, "</a></p>\n");
		s = end;
	}
	buf_puts(out, s);
}
