/*
 * sanitize_fuzz: libFuzzer target for src/content/sanitize.c.
 *
 * Beyond "no crash": the output must keep the sanitizer's promises. Every
 * tag it writes is one of the allowlist, no attribute is an event handler
 * or a style, no href/src/cite/poster holds a scheme other than http,
 * https or mailto, no iframe is written (an embed becomes a facade whose
 * player is https), a player's files (its src, a <source src>, a poster)
 * are only the site's own /media/ paths, and sanitizing the output again
 * changes nothing that matters (still no forbidden tag).
 *
 *   make build-fuzz/sanitize_fuzz && ./build-fuzz/sanitize_fuzz fuzz/corpus/sanitize \
 *     -dict=fuzz/sanitize.dict
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/content/sanitize.h"
#include "tags.h"

static const char *const OK_TAGS[] = {
	"a", "abbr", "audio", "b", "blockquote", "br", "caption", "cite", "code", "col",
	"colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
	"h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
	"mark", "ol", "p", "pre", "q", "s", "samp", "small", "source", "span", "strong", "sub",
	"summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
	"u", "ul", "var", "video",
	"button", /* an embed facade's (content/embed.h): no iframe is ever written */
	NULL,
};

/* Walks the output's tags (ours are regular: <name attr="v" ...> or </name>). */
static void check(const char *s)
{
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
		const char *q = p + 1 + (p[1] == '/');
		size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!tag_in(OK_TAGS, q, n))
			abort(); /* a '<' in text is always escaped, so this is a tag */
		const char *end = strchr(q, '>');
		if (!end)
			abort();
		const char *a = q + n, *name;
		while ((name = attr_next(&a, &end))) {
			if (strncasecmp(name, "on", 2) == 0 || strncasecmp(name, "style", 5) == 0 ||
			    strncasecmp(name, "id=", 3) == 0)
				abort();
			int url = !strncmp(name, "href=\"", 6) || !strncmp(name, "src=\"", 5) ||
				  !strncmp(name, "cite=\"", 6) || !strncmp(name, "poster=\"", 8) ||
				  !strncmp(name, "data-embed-src=\"", 16);
			if (!strncmp(name, "data-embed-src=\"", 16) &&
			    strncmp(name + 16, "https://", 8) != 0)
				abort(); /* a facade's player is only ever https */
			int player = (n == 6 && (!memcmp(q, "source", 6))) ||
				     (n == 5 && (!memcmp(q, "video", 5) || !memcmp(q, "audio", 5)));
			if (player && p[1] != '/' && (!strncmp(name, "src=\"", 5) || !strncmp(name, "poster=\"", 8))) {
				const char *v = strchr(name, '"') + 1; /* its own src or a source's */
				if (strncmp(v, "/media/", 7) != 0 || strstr(v, "..") == v + 7)
					abort();
				const char *ve = strchr(v, '"');
				for (const char *c = v; c < ve; c++)
					if (*c == ':' || (c[0] == '/' && c[1] == '/') || (c[0] == '.' && c[1] == '.'))
						abort(); /* no scheme, no other host, no way out */
			}
			if (url) {
				const char *v = strchr(name, '"') + 1;
				const char *ve = strchr(v, '"');
				char buf[4096];
				size_t vl = (size_t)(ve - v) < sizeof buf - 1 ? (size_t)(ve - v) : sizeof buf - 1;
				memcpy(buf, v, vl);
				buf[vl] = '\0';
				if (!sanitize_url_ok(buf) || strcasestr(buf, "javascript:") == buf)
					abort();
			}
		}
		p = end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	struct buf out, again, text;
	buf_init(&out, 1 << 22);
	buf_init(&again, 1 << 22);
	buf_init(&text, 1 << 22);
	if (sanitize_html((const char *)data, size, &out) == 0) {
		check(buf_str(&out));
		if (sanitize_html(buf_str(&out), out.len, &again) == 0)
			check(buf_str(&again));
	}
	sanitize_text((const char *)data, size, &text);
	buf_release(&out);
	buf_release(&again);
	buf_release(&text);
	return 0;
}
