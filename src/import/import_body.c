/*
 * import_body: WordPress content as Gazette stores it (see import_int.h).
 * A post's content is rendered as WordPress shows it (block delimiters
 * dropped, or wpautop for classic content; then shortcodes, with the
 * attachments learnt in the first pass), its uploads URLs pointed at
 * media/, sanitized, and its white space normalized; comments and
 * excerpts become plain text.
 *
 * The one design decision: the stored HTML is a fixed point of wpautop
 * (one newline after a block-level tag, no white space before one), so a
 * story exported to WXR and imported again comes back byte for byte.
 */
#include "import_int.h"
#include "shortcodes.h"
#include "wpautop.h"
#include "wxr.h"
#include "../content/sanitize.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <string.h>

#define EXCERPT_CHARS 240

/* What the shortcodes' hooks need: the import and the body's figures. */
struct body_ctx {
	struct imp *im;
	struct placed *pl;
};

static int sc_attachment(void *arg, const char *id, struct sc_attachment *out)
{
	struct imp *im = ((struct body_ctx *)arg)->im;
	struct attach *a = import_attach_find(&im->att, id, 0);
	if (!a || !a->url)
		return -1;
	out->url = a->url;
	out->caption = a->caption;
	out->alt = a->alt;
	return 0;
}

static void sc_unknown(void *arg, const char *name)
{
	import_names_add(&((struct body_ctx *)arg)->im->unknown_sc, name);
}

static int sc_caption(void *arg, struct buf *out, const char *img, const char *caption)
{
	struct body_ctx *b = arg;
	return import_pictures_caption(b->im, b->pl, out, img, caption);
}

static int sc_gallery(void *arg, struct buf *out, const char *ids)
{
	struct body_ctx *b = arg;
	return import_pictures_gallery(b->im, b->pl, out, ids);
}

static int sc_player(void *arg, struct buf *out, int video, const char *src)
{
	return import_pictures_player(((struct body_ctx *)arg)->im, out, video, src);
}

/* wpautop's block-level tags (its $allblocks), and whether t opens or
 * closes one; with_br counts <br> too. */
static int block_tag(const char *t, int with_br)
{
	static const char *const names[] = { "table", "thead", "tfoot", "caption", "col",
		"colgroup", "tbody", "tr", "td", "th", "div", "dl", "dd", "dt", "ul", "ol", "li",
		"pre", "form", "map", "area", "blockquote", "address", "math", "style", "p", "h1",
		"h2", "h3", "h4", "h5", "h6", "hr", "fieldset", "legend", "section", "article",
		"aside", "hgroup", "header", "footer", "nav", "figure", "figcaption", "details",
		"menu", "summary", NULL };
	t += t[1] == '/' ? 2 : 1;
	if (with_br && strncmp(t, "br", 2) == 0 && (t[2] == '>' || t[2] == ' ' || t[2] == '/'))
		return 1;
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		if (strncmp(t, names[i], n) == 0 && (t[n] == '>' || t[n] == ' ' || t[n] == '/'))
			return 1;
	}
	return 0;
}

/* The stored form of a body, a fixed point of wpautop so that an export
 * re-imports to the same bytes: one newline after each block-level tag
 * (wpautop's list) that another tag follows, no white space before a
 * block-level tag, a line break inside text as a space (as HTML reads it),
 * none at the ends; <pre> is left alone. */
static void tidy_whitespace(const char *s, struct buf *o)
{
	while (str_is_xml_space(*s))
		s++;
	const char *last_tag = NULL; /* the tag that ends right here, if any */
	while (*s) {
		if (strncmp(s, "<pre", 4) == 0 && (s[4] == '>' || s[4] == ' ')) {
			if (last_tag && block_tag(last_tag, 0))
				buf_putc(o, '\n');
			const char *e = strstr(s, "</pre>");
			size_t n = e ? (size_t)(e + 6 - s) : strlen(s);
			buf_add(o, s, n);
			s += n;
			last_tag = e ? e : NULL;
			continue;
		}
		if (*s == '<') {
			if (last_tag && block_tag(last_tag, 0))
				buf_putc(o, '\n');
			const char *gt = strchr(s, '>');
			size_t n = gt ? (size_t)(gt + 1 - s) : strlen(s);
			buf_add(o, s, n);
			last_tag = s;
			s += n;
			continue;
		}
		if (str_is_xml_space(*s)) {
			const char *e = s;
			int nl = 0;
			while (str_is_xml_space(*e))
				nl |= *e == '\n' || *e == '\r', e++;
			if (!*e)
				break;
			if (*e == '<' && last_tag && block_tag(last_tag, 1)) {
				if (!block_tag(last_tag, 0))
					buf_putc(o, '\n'); /* after <br> */
			} else if (*e == '<' && block_tag(e, 0)) {
				/* nothing before a block-level tag */
			} else if (nl)
				buf_putc(o, ' ');
			else
				buf_add(o, s, (size_t)(e - s));
			if (!(*e == '<' && last_tag))
				last_tag = NULL;
			s = e;
			continue;
		}
		last_tag = NULL;
		buf_putc(o, *s++);
	}
}

/* WordPress' rendering of post_content: blocks lose their delimiters
 * (image, gallery and cover blocks first become figures), classic content
 * gets wpautop, then shortcodes, the remaining pictures and players,
 * uploads URLs, the sanitizer, and the figures put in their places. */
/* WordPress's <!--nextpage--> split a post into pages; Gazette shows
 * one page, with a thematic break where a page ended. Appends content
 * with each marker so replaced. */
static void page_breaks(const char *content, struct buf *out)
{
	static const char mark[] = "<!--nextpage-->";
	for (const char *m; (m = strstr(content, mark)); content = m + sizeof mark - 1) {
		buf_add(out, content, (size_t)(m - content));
		buf_puts(out, "\n\n<hr>\n\n");
	}
	buf_puts(out, content);
}

int import_body_convert(struct imp *im, const char *content, struct buf *html)
{
	struct buf a, b, paged;
	buf_init(&a, 0);
	buf_init(&b, 0);
	buf_init(&paged, 0);
	if (strstr(content, "<!--nextpage-->")) {
		page_breaks(content, &paged);
		content = buf_str(&paged);
	}
	struct placed pl = { NULL, 0, 0 };
	if (wpautop_has_blocks(content)) {
		import_pictures_blocks(im, &pl, content, &b);
		wpautop_strip_blocks(buf_str(&b), &a);
		buf_reset(&b);
	} else
		wpautop(content, &a);
	/* each stage's output is checked before the next: a body that outgrew
	 * a buffer fails the post rather than being stored cut short */
	int rc = a.err || b.err;
	struct body_ctx bc = { im, &pl };
	struct sc_ctx ctx = { &bc, sc_attachment, sc_unknown, sc_caption, sc_gallery, sc_player };
	shortcodes_expand(buf_str(&a), &b, &ctx);
	rc = rc || b.err;
	buf_reset(&a);
	import_pictures_tags(im, &pl, buf_str(&b), &a);
	rc = rc || a.err;
	buf_reset(&b);
	import_media_rewrite(im, buf_str(&a), &b);
	buf_reset(&a);
	rc = rc || b.err || sanitize_html(buf_str(&b), b.len, &a);
	import_pictures_embeds(im, content, buf_str(&a));
	buf_reset(&b);
	import_pictures_fill(im, &pl, buf_str(&a), &b);
	rc = rc || a.err || b.err;
	buf_reset(&a);
	tidy_whitespace(buf_str(&b), &a);
	/* paragraphs left empty by the sanitizer go, as wpautop drops them */
	const char *t = buf_str(&a);
	for (const char *e; (e = strstr(t, "<p>")); ) {
		const char *q = e + 3;
		while (str_is_xml_space(*q))
			q++;
		size_t keep = (size_t)(e - t);
		if (strncmp(q, "</p>", 4) != 0) {
			buf_add(html, t, keep + 3);
			t = e + 3;
			continue;
		}
		while (keep && str_is_xml_space(t[keep - 1]))
			keep--;
		buf_add(html, t, keep);
		t = q + 4;
	}
	buf_puts(html, t);
	rc = rc || b.err || html->err || paged.err;
	buf_release(&a);
	buf_release(&b);
	buf_release(&paged);
	return rc ? -1 : 0;
}

int import_body_item(struct imp *im, struct pool *p, const struct wxr_item *it, const char **html,
		     const char **text)
{
	struct buf h, t;
	buf_init(&h, 0);
	buf_init(&t, 0);
	int rc = import_body_convert(im, it->content, &h) || sanitize_text(buf_str(&h), h.len, &t);
	if (rc)
		import_warn(im, "%s %s: the body could not be converted; imported empty",
			    *it->post_type ? it->post_type : "post",
			    it->post_id);
	*html = rc ? "" : pool_strdup(p, buf_str(&h));
	*text = rc ? "" : pool_strdup(p, buf_str(&t));
	buf_release(&h);
	buf_release(&t);
	return rc ? -1 : 0;
}

/* sanitize_text, without the parser for text that has no markup. */
int import_body_text(const char *s, struct buf *out)
{
	if (strpbrk(s, "<&"))
		return sanitize_text(s, strlen(s), out);
	size_t n = strlen(s);
	str_trim(&s, &n, str_is_xml_space);
	buf_add(out, s, n);
	return out->err ? -1 : 0;
}

const char *import_title_text(struct pool *p, const char *title)
{
	struct buf t;
	buf_init(&t, 0);
	const char *out = import_body_text(title, &t) ? title : pool_strdup(p, buf_str(&t));
	buf_release(&t);
	return out;
}

const char *import_body_teaser(struct pool *p, const char *content)
{
	const char *more = strstr(content, "<!--more");
	if (!more)
		return NULL;
	struct buf t;
	buf_init(&t, 0);
	const char *out = NULL;
	char *head = pool_strndup(p, content, (size_t)(more - content));
	if (import_body_text(head, &t) == 0 && t.len)
		out = pool_strdup(p, buf_str(&t));
	buf_release(&t);
	return out;
}

/* The first EXCERPT_CHARS of text, cut at a word, with an ellipsis. */
const char *import_body_excerpt(struct pool *p, const char *text)
{
	const char *nl = strstr(text, "\n\n");
	size_t n = nl ? (size_t)(nl - text) : strlen(text);
	if (n <= EXCERPT_CHARS)
		return pool_strndup(p, text, n);
	size_t cut = EXCERPT_CHARS;
	while (cut > 0 && text[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = EXCERPT_CHARS;
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	return pool_printf(p, "%.*s…", (int)cut, text);
}
