/*
 * shortcodes: expansion of [caption], [gallery], [embed], [audio] and
 * [video] (see shortcodes.h).
 *
 * The one design decision: a shortcode is parsed the way WordPress' own
 * regex reads it (name, attributes name="v" / name='v' / name=v / bare
 * values, optional "/]", optional content up to "[/name]", "[[x]]" as an
 * escaped literal), and each known one is a small function from its
 * attributes and content to HTML. Every value written goes through
 * html_attr/html_text; what the HTML may finally contain is the
 * sanitizer's call, not ours.
 */
#include "shortcodes.h"
#include "../render/escape.h"
#include "../util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SC_ATTRS_MAX 16
#define SC_NAME_MAX 40

struct sc {
	char name[SC_NAME_MAX];
	struct { char key[32]; char *val; } attr[SC_ATTRS_MAX];
	int nattr;
	const char *content;  /* not NUL-terminated */
	size_t content_len;
};

static const char *sc_get(const struct sc *s, const char *key)
{
	for (int i = 0; i < s->nattr; i++)
		if (strcmp(s->attr[i].key, key) == 0)
			return s->attr[i].val;
	return NULL;
}

static int name_char(char c)
{
	return str_is_alnum(c) || c == '_' || c == '-';
}

/* Parses the attribute text between the name and ']' (n bytes). Values
 * are malloc'd copies owned by s (sc_release). */
static void parse_attrs(struct sc *s, const char *a, size_t n)
{
	char *tmp = malloc(n + 1);
	if (!tmp)
		return;
	memcpy(tmp, a, n);
	tmp[n] = '\0';
	char *p = tmp;
	while (*p && s->nattr < SC_ATTRS_MAX) {
		while (str_is_xml_space(*p))
			p++;
		if (!*p)
			break;
		char key[32] = "";
		char *k = p;
		while (name_char(*p))
			p++;
		size_t kl = (size_t)(p - k);
		char *val, *end;
		if (kl && *p == '=') {
			snprintf(key, sizeof key, "%.*s", (int)(kl < 31 ? kl : 31), k);
			p++;
		} else
			p = k; /* a bare value */
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			val = p;
			end = strchr(p, q);
			if (!end)
				end = p + strlen(p);
			p = *end ? end + 1 : end;
		} else {
			val = p;
			while (*p && !str_is_xml_space(*p))
				p++;
			end = p;
			if (end == val) { /* a lone quote or '=' (or "key=" at the end): skip it */
				if (*p)
					p++;
				continue;
			}
		}
		for (char *c = key; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		memcpy(s->attr[s->nattr].key, key, sizeof key);
		s->attr[s->nattr].val = strndup(val, (size_t)(end - val));
		if (s->attr[s->nattr].val)
			s->nattr++;
	}
	free(tmp);
}

static void sc_release(struct sc *s)
{
	for (int i = 0; i < s->nattr; i++)
		free(s->attr[i].val);
	s->nattr = 0;
}

/* <img ...> from an attachment, escaped. */
static void img(struct buf *o, const char *src, const char *alt)
{
	buf_puts(o, "<img src=\"");
	html_attr(o, src);
	buf_puts(o, "\" alt=\"");
	html_attr(o, alt ? alt : "");
	buf_puts(o, "\">");
}

static void do_caption(struct buf *o, const struct sc *s, const struct sc_ctx *ctx)
{
	/* the image (maybe inside a link) first, the caption text after it */
	struct buf c;
	buf_init(&c, 0);
	buf_add(&c, s->content, s->content_len);
	const char *body = buf_str(&c), *cap = sc_get(s, "caption");
	const char *split = body;
	const char *im = strstr(body, "<img ");
	if (im) {
		const char *gt = strchr(im, '>');
		split = gt ? gt + 1 : body + strlen(body);
		const char *ws = split;
		while (str_is_xml_space(*ws))
			ws++;
		if (strncmp(ws, "</a>", 4) == 0)
			split = ws + 4;
	}
	const char *text = cap ? cap : split;
	if (ctx && ctx->caption) {
		struct buf tag;
		buf_init(&tag, 0);
		const char *gt = im ? strchr(im, '>') : NULL;
		if (gt)
			buf_add(&tag, im, (size_t)(gt + 1 - im));
		int done = ctx->caption(ctx->arg, o, gt ? buf_str(&tag) : NULL, text) == 0;
		buf_release(&tag);
		if (done) {
			buf_release(&c);
			return;
		}
	}
	const char *align = sc_get(s, "align");
	buf_puts(o, "<figure class=\"wp-caption");
	if (align) {
		buf_putc(o, ' ');
		html_attr(o, align);
	}
	buf_puts(o, "\">");
	buf_add(o, body, (size_t)(split - body));
	size_t tl = strlen(text);
	str_trim(&text, &tl, str_is_xml_space);
	if (tl) {
		buf_puts(o, "<figcaption class=\"wp-caption-text\">");
		buf_add(o, text, tl); /* HTML allowed, as in WordPress; sanitized later */
		buf_puts(o, "</figcaption>");
	}
	buf_puts(o, "</figure>");
	buf_release(&c);
}

static void do_gallery(struct buf *o, const struct sc *s, const struct sc_ctx *ctx)
{
	const char *ids = sc_get(s, "ids");
	if (!ids)
		ids = sc_get(s, "include");
	if (ctx && ctx->gallery && ctx->gallery(ctx->arg, o, ids) == 0)
		return;
	buf_puts(o, "<figure class=\"gallery\">");
	char id[24];
	for (const char *p = ids ? ids : ""; *p;) {
		size_t n = 0;
		while (*p && *p != ',' && n < sizeof id - 1) {
			if (*p != ' ')
				id[n++] = *p;
			p++;
		}
		id[n] = '\0';
		if (*p == ',')
			p++;
		struct sc_attachment a = { NULL, NULL, NULL };
		if (!n || !ctx || !ctx->attachment || ctx->attachment(ctx->arg, id, &a) || !a.url)
			continue;
		buf_puts(o, "<figure class=\"gallery-item\">");
		img(o, a.url, a.alt);
		if (a.caption && *a.caption) {
			buf_puts(o, "<figcaption>");
			html_text(o, a.caption);
			buf_puts(o, "</figcaption>");
		}
		buf_puts(o, "</figure>");
	}
	buf_puts(o, "</figure>");
}

/* The URL as a link alone in its paragraph: the sanitizer makes that a
 * known provider's facade (content/embed.h) and leaves any other a link. */
static void do_embed(struct buf *o, const struct sc *s)
{
	char url[2048];
	size_t n = s->content_len < sizeof url - 1 ? s->content_len : sizeof url - 1;
	const char *c = s->content;
	str_trim(&c, &n, str_is_xml_space);
	memcpy(url, c, n);
	url[n] = '\0';
	buf_puts(o, "<p><a href=\"");
	html_attr(o, url);
	buf_puts(o, "\">");
	html_text(o, url);
	buf_puts(o, "</a></p>");
}

/* [audio]/[video]: the file from src=, a format key (mp3=, mp4=...) or
 * the positional URL ([audio https://.../a.mp3]). */
static void do_media(struct buf *o, const struct sc *s, int video, const struct sc_ctx *ctx)
{
	static const char *const akeys[] = { "src", "mp3", "m4a", "ogg", "wav", "wma", "flac", "", NULL };
	static const char *const vkeys[] = { "src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "", NULL };
	const char *src = NULL;
	for (const char *const *k = video ? vkeys : akeys; *k && !src; k++)
		src = sc_get(s, *k);
	if (!src || !*src)
		return;
	if (ctx && ctx->player && ctx->player(ctx->arg, o, video, src) == 0)
		return;
	buf_puts(o, "<p><a href=\"");
	html_attr(o, src);
	buf_puts(o, "\">");
	html_text(o, src);
	buf_puts(o, "</a></p>");
}

static const char *const known[] = { "caption", "wp_caption", "gallery", "embed", "audio", "video", NULL };

static int is_known(const char *name)
{
	for (int i = 0; known[i]; i++)
		if (strcmp(known[i], name) == 0)
			return 1;
	return 0;
}

/* Parses a shortcode at s ('['): its total length, or 0 when none. */
static size_t parse(const char *s, struct sc *sc)
{
	size_t i = 1, n = 0;
	while (name_char(s[i]) && n < SC_NAME_MAX - 1)
		sc->name[n++] = s[i++];
	sc->name[n] = '\0';
	if (!n || name_char(s[i]) || !(s[i] == ']' || s[i] == '/' || str_is_xml_space(s[i])))
		return 0;
	const char *close = strchr(s + i, ']');
	const char *open = strchr(s + i, '[');
	if (!close || (open && open < close))
		return 0;
	size_t alen = (size_t)(close - (s + i));
	int selfclose = alen && s[i + alen - 1] == '/';
	parse_attrs(sc, s + i, selfclose ? alen - 1 : alen);
	size_t end = (size_t)(close - s) + 1;
	sc->content = s + end;
	sc->content_len = 0;
	if (!selfclose) {
		char endtag[SC_NAME_MAX + 4];
		snprintf(endtag, sizeof endtag, "[/%s]", sc->name);
		const char *e = strstr(s + end, endtag);
		if (e) {
			sc->content_len = (size_t)(e - (s + end));
			end = (size_t)(e - s) + strlen(endtag);
		}
	}
	return end;
}

/* shortcode_unautop: a shortcode alone in its paragraph loses the <p>. */
static int unwrap_p(struct buf *out, const char *rest)
{
	size_t k = out->len;
	while (k && str_is_xml_space(out->s[k - 1]))
		k--;
	if (k < 3 || memcmp(out->s + k - 3, "<p>", 3) != 0)
		return 0;
	const char *r = rest;
	while (str_is_xml_space(*r))
		r++;
	if (strncmp(r, "<br />", 6) == 0)
		r += 6;
	while (str_is_xml_space(*r))
		r++;
	if (strncmp(r, "</p>", 4) != 0)
		return 0;
	out->len = k - 3;
	out->s[out->len] = '\0';
	return (int)(r + 4 - rest);
}

int shortcodes_expand(const char *html, struct buf *out, const struct sc_ctx *ctx)
{
	const char *s = html ? html : "";
	while (*s) {
		const char *b = strchr(s, '[');
		if (!b) {
			buf_puts(out, s);
			break;
		}
		buf_add(out, s, (size_t)(b - s));
		s = b;
		if (s[1] == '[') { /* [[name]] is the literal [name] */
			const char *e = strstr(s, "]]");
			struct sc t;
			memset(&t, 0, sizeof t);
			size_t n = e ? parse(s + 1, &t) : 0;
			int lit = n && is_known(t.name) && s + 1 + n == e + 1;
			sc_release(&t);
			if (lit) {
				buf_add(out, s + 1, n);
				s = e + 2;
				continue;
			}
			buf_putc(out, *s++);
			continue;
		}
		struct sc sc;
		memset(&sc, 0, sizeof sc);
		size_t n = parse(s, &sc);
		if (!n || !is_known(sc.name)) {
			if (n && ctx && ctx->unknown && ((sc.name[0] >= 'a' && sc.name[0] <= 'z') ||
							(sc.name[0] >= 'A' && sc.name[0] <= 'Z')))
				ctx->unknown(ctx->arg, sc.name);
			sc_release(&sc);
			buf_putc(out, *s++);
			continue;
		}
		int skip = unwrap_p(out, s + n);
		if (strcmp(sc.name, "caption") == 0 || strcmp(sc.name, "wp_caption") == 0)
			do_caption(out, &sc, ctx);
		else if (strcmp(sc.name, "gallery") == 0)
			do_gallery(out, &sc, ctx);
		else if (strcmp(sc.name, "embed") == 0)
			do_embed(out, &sc);
		else
			do_media(out, &sc, strcmp(sc.name, "video") == 0, ctx);
		sc_release(&sc);
		s += n + (size_t)skip;
	}
	return out->err ? -1 : 0;
}
