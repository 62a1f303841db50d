/*
 * media_ref_fuzz: libFuzzer target for library pictures in Markdown
 * (src/content/markdown.c's media: references, written by
 * src/media/figure.c through a fake resolver standing in for the store).
 *
 * The fake library has ids 1..11; some records carry hostile alt, caption
 * and credit text, a hash that is not hex, missing formats or broken
 * variant lists; 9..11 are audio and video (one with a hostile extension),
 * which figure_refs_html writes as players between the pictures' runs.
 * The checks are the two modules' promises: every '<' in
 * the output starts one of our own tags, every attribute value closes
 * where we closed it, no href, src or srcset URL opens with
 * "javascript:" or another unsafe scheme, no "<script" anywhere, <figure>, <picture>, <figcaption> and
 * <div> open and close in pairs and never go below zero, and a <figure>
 * is either ours or an embed facade.
 *
 *   make fuzz-build && ./build-fuzz/media_ref_fuzz fuzz/corpus/media_ref
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/content/markdown.h"
#include "../src/media/figure.h"
#include "../src/store/store_media.h"

static const struct media_record LIBRARY[] = {
	{ .id = 1, .hash = "0123456789abcdef", .width = 3000, .height = 2000, .alt = "Boats",
	  .caption = "At dawn", .credit = "Photo: A", .variants = "320x213 640x427 960x640 1280x853 1920x1280",
	  .formats = "webp jpg avif" },
	{ .id = 2, .hash = "fedcba9876543210", .width = 200, .height = 100, .alt = "",
	  .caption = "", .credit = "", .variants = "200x100", .formats = "jpg" },
	{ .id = 3, .hash = "\"><script>alert(1)</script>", .width = 640, .height = 480,
	  .alt = "\"><script>alert(2)</script>", .caption = "<img src=x onerror=alert(3)>",
	  .credit = "' onmouseover='javascript:alert(4)", .variants = "320x240 640x480",
	  .formats = "webp" },
	{ .id = 4, .hash = "00000000000000aa", .width = 0, .height = 0, .alt = "No size",
	  .caption = NULL, .credit = NULL, .variants = "320x200", .formats = "avif" },
	{ .id = 5, .hash = "00000000000000bb", .width = 800, .height = 600, .alt = "Broken",
	  .caption = "x", .credit = "y", .variants = "320x", .formats = "webp jpg" },
	{ .id = 6, .hash = "00000000000000cc", .width = 800, .height = 600, .alt = "No formats",
	  .caption = "x", .credit = "y", .variants = "320x240", .formats = "gif" },
	{ .id = 7, .hash = NULL, .width = 800, .height = 600, .alt = "No hash",
	  .variants = "320x240", .formats = "jpg" },
	{ .id = 8, .hash = "00000000000000dd", .width = 1, .height = 1, .alt = "javascript:alert(5)",
	  .caption = "</figure></div><script>", .credit = "&amp;", .variants = "1x1",
	  .formats = "webp jpg avif" },
	/* audio and video (issue 14): players, never in a gallery */
	{ .id = 9, .hash = "00000000000000ee", .name = "<b>song</b>.mp3", .mime = "audio/mpeg",
	  .ext = "mp3", .alt = "\" onerror=\"alert(6)", .caption = "<script>", .credit = "\"'",
	  .variants = "", .formats = "" },
	{ .id = 10, .hash = "00000000000000ff", .name = "clip.webm", .mime = "video/webm",
	  .ext = "webm\" autoplay=\"", .alt = "Clip", .variants = "", .formats = "" },
	{ .id = 11, .hash = "0000000000000011", .name = "clip.mp4", .mime = "video/mp4",
	  .ext = "mp4", .alt = "", .caption = "A video", .credit = "Video: B", .variants = "",
	  .formats = "" },
};
#define NLIB ((long long)(sizeof LIBRARY / sizeof LIBRARY[0]))

static void resolve(void *ctx, const struct markdown_media_ref *refs, size_t n, unsigned flags,
		    struct buf *out)
{
	struct media_record ms[MARKDOWN_MEDIA_MAX];
	size_t found = 0;
	(void)ctx;
	if (n == 0 || n > MARKDOWN_MEDIA_MAX || (n > 1 && (flags & MARKDOWN_MEDIA_INLINE)))
		abort(); /* the renderer's promise */
	for (size_t i = 0; i < n; i++) {
		if (refs[i].id < 1 || refs[i].id > NLIB) {
			markdown_media_missing(out, refs[i].alt);
			continue;
		}
		ms[found] = LIBRARY[refs[i].id - 1];
		if (refs[i].alt)
			ms[found].alt = refs[i].alt;
		if (refs[i].title)
			ms[found].caption = refs[i].title;
		found++;
	}
	unsigned f = (flags & MARKDOWN_MEDIA_LEAD ? FIGURE_LEAD : 0) |
		     (flags & MARKDOWN_MEDIA_INLINE ? FIGURE_INLINE : 0);
	figure_refs_html(out, ms, found, f);
}

/* Our tags: Markdown's, the embed facade's, the figure writer's. */
static const char *const TAGS[] = {
	"p>", "/p>", "em>", "/em>", "strong>", "/strong>", "code>", "/code>",
	"code class=\"", "del>", "/del>", "h2>", "h3>", "h4>", "h5>", "h6>",
	"/h2>", "/h3>", "/h4>", "/h5>", "/h6>", "ul>", "/ul>", "ol>",
	"ol start=\"", "/ol>", "li>", "/li>", "blockquote>", "/blockquote>",
	"hr>", "br>", "pre>", "/pre>", "a href=\"", "/a>", "img src=\"",
	"table>", "/table>", "thead>", "/thead>", "tbody>", "/tbody>", "tr>",
	"/tr>", "th>", "th align=\"", "/th>", "td>", "td align=\"", "/td>",
	"figure class=\"embed embed-", "/figure>", "a class=\"embed-card\" href=\"",
	"span class=\"embed-", "/span>", "figcaption class=\"embed-consent\" hidden>",
	"/figcaption>", "button type=\"button\" class=\"embed-load\">", "/button>",
	/* figure.h */
	"figure class=\"figure\">", "picture>", "/picture>", "source type=\"image/",
	"img class=\"media-inline\" src=\"/media/", "figcaption>", "span class=\"credit\">",
	"span class=\"media-missing\">", "div class=\"gallery\" id=\"gz-gallery-",
	"a class=\"gallery-link\" href=\"#gz-media-", "div class=\"lightbox\" id=\"gz-media-",
	"a class=\"lightbox-close\" href=\"#gz-gallery-", "/div>",
	"figure class=\"audio\">", "figure class=\"video\">", "div class=\"video-box\">",
	"audio controls preload=\"none\" src=\"/media/", "/audio>",
	"video controls preload=\"none\" src=\"/media/", "/video>",
};

static int known_tag(const char *s)
{
	for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++)
		if (strncmp(s, TAGS[i], strlen(TAGS[i])) == 0)
			return 1;
	return 0;
}

/* Every attribute value ends where we ended it (see markdown_fuzz.c). */
static const char *check_attrs(const char *p)
{
	const char *end = strchr(p, '>');
	if (!end)
		abort();
	for (const char *q = p; (q = memchr(q, '"', (size_t)(end - q)));) {
		const char *close = strchr(q + 1, '"');
		if (!close || (close[1] != '>' && close[1] != ' ') ||
		    memchr(q + 1, '<', (size_t)(close - q - 1)))
			abort();
		q = close + 1;
		end = strchr(q, '>');
		if (!end)
			abort();
	}
	return end;
}

/* No URL in a tag opens with an unsafe scheme: ours are /media/... and
 * #gz-..., the rest were checked by the Markdown renderer, which
 * percent-encodes controls and spaces, so a prefix test suffices (as in
 * markdown_fuzz.c). A srcset holds several, each after ", ". */
static void check_url(const char *v)
{
	static const char *const bad[] = { "javascript:", "vbscript:", "data:", "file:" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strncasecmp(v, bad[i], strlen(bad[i])) == 0)
			abort();
}

static void check_tag_urls(const char *p, const char *end)
{
	static const char *const url_attrs[] = { " href=\"", " src=\"", " srcset=\"" };
	for (size_t a = 0; a < sizeof url_attrs / sizeof url_attrs[0]; a++) {
		const char *v = p;
		size_t n = strlen(url_attrs[a]);
		while ((v = memmem(v, (size_t)(end - v), url_attrs[a], n))) {
			v += n;
			const char *close = strchr(v, '"');
			check_url(v);
			for (const char *u = v; a == 2 && u < close; u++)
				if (u[0] == ',' && u[1] == ' ')
					check_url(u + 2);
		}
	}
}

enum { D_FIGURE, D_PICTURE, D_FIGCAPTION, D_DIV, D__MAX };

static void count(const char *p, int depth[D__MAX])
{
	static const char *const open[D__MAX] = { "figure ", "picture>", "figcaption", "div " };
	static const char *const close[D__MAX] = { "/figure>", "/picture>", "/figcaption>", "/div>" };
	for (int i = 0; i < D__MAX; i++) {
		if (strncmp(p, open[i], strlen(open[i])) == 0)
			depth[i]++;
		else if (strncmp(p, close[i], strlen(close[i])) == 0 && --depth[i] < 0)
			abort();
	}
}

static void check_html(const char *h)
{
	int depth[D__MAX] = { 0 };
	if (strcasestr(h, "<script"))
		abort();
	for (const char *p = h; (p = strchr(p, '<')); p++) {
		if (!known_tag(p + 1))
			abort();
		const char *end = check_attrs(p + 1);
		check_tag_urls(p + 1, end);
		count(p + 1, depth);
	}
	for (int i = 0; i < D__MAX; i++)
		if (depth[i] != 0)
			abort();
}

/* as figure.c writes it; in text the quotes would be escaped */
#define LEAD " fetchpriority=\"high\">"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct markdown_opts o = { .media = resolve, .no_lead = size && (data[0] & 1) };
	struct buf b;
	buf_init(&b, 0);
	if (markdown_to_html_opts((const char *)data, size, &b, &o) == 0) {
		if (memchr(buf_str(&b), '\0', b.len))
			abort();
		check_html(buf_str(&b));
		/* the lead is given once at most, and never with no_lead */
		const char *first = strstr(buf_str(&b), LEAD);
		if (first && (o.no_lead || strstr(first + 1, LEAD)))
			abort();
	}
	buf_release(&b);
	return 0;
}
