/*
 * markdown: md4c parses, this file renders (see markdown.h).
 *
 * The one design decision: we do not use md4c-html. It has no hook for link
 * destinations, so filtering "javascript:" would mean re-parsing its output.
 * Instead two small SAX renderers (HTML and plain text) sit on md_parse.
 * Every destination is entity-decoded *before* its scheme is checked (so
 * "&#106;avascript:" is caught), and everything written goes through
 * escape.h, which means the browser sees exactly the string that was checked.
 */
#include "markdown.h"

#include <limits.h>
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embed.h"
#include "../render/escape.h"
#include "../util/num.h"
#include "../util/str.h"

#define MD_FLAGS (MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | \
		  MD_FLAG_PERMISSIVEAUTOLINKS)

/* Links never nest in CommonMark; the stack is only there to pair each
 * leave with its enter even on odd input. Deeper links are rendered dead. */
#define SPAN_STACK 64

/* md4c 0.4.8 (Debian 12) can read a byte or so past the end of its input
 * (found by fuzz/markdown_fuzz.c). It therefore parses a private copy that
 * always ends in '\n' and is followed by this many NUL bytes, and text
 * ranges are clamped to the document. */
#define MD_PAD 16

/* Pending separators in text mode, weakest first: the strongest asked for
 * since the last text wins. */
enum brk { BRK_NONE, BRK_SPACE, BRK_LINE, BRK_PARA };

/* A top-level paragraph that may be a URL alone on its line (an embed):
 * nothing yet, inside its one link, after it; anything else ends it. */
enum para { PARA_NO, PARA_START, PARA_LINK, PARA_AFTER };

/* A library reference met in the current paragraph: its alt text and
 * title are NUL-terminated strings at these offsets of render.mtext. */
struct mref {
	long long id;
	size_t alt_at, title_at;
	int has_title;
};

struct render {
	struct buf *out;
	const char *in_end; /* end of the document md4c was given */
	struct buf tmp;     /* scratch: decoded entities and attributes */
	size_t start;       /* where our output began in out */
	unsigned img_depth; /* >0 inside an image: text goes to alt */
	int img_drop;       /* the outermost image was unsafe: drop its text */
	unsigned nspan;     /* inline elements open outside images */
	unsigned char span[SPAN_STACK]; /* their MD_SPANTYPE | SPAN_LIVE */
	enum brk brk;       /* text mode only */
	unsigned char hlevel[7]; /* HTML mode: Markdown heading level -> <hN> */
	unsigned depth;     /* HTML mode: blocks open, the document included */
	enum para para;     /* HTML mode: is this paragraph one URL alone? */
	size_t para_at;     /* where its <p> was written in out */
	struct buf para_url, para_text; /* its link's destination and text */
	const struct markdown_opts *opts; /* HTML mode; never NULL */
	int img_media;      /* the outermost image is a media: reference */
	long long img_id;   /* its id (0: not a number) */
	int lead_left;      /* the lead flag is still to be given */
	int mpara;          /* this top-level paragraph is only references so far */
	int mpara_lead;     /* lead_left when it began */
	size_t nmref;
	struct mref mref[MARKDOWN_MEDIA_MAX];
	struct buf mtext;   /* their alt texts and titles */
};

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/*
 * Append s[0..n), HTML-escaped when `escape`, with every NUL byte turned
 * into U+FFFD. md4c reports NULs as MD_TEXT_NULLCHAR on most paths but not
 * all (fuzz/corpus/markdown/nul-in-alt.md); no NUL may reach a page.
 */
static void put_text(struct buf *b, const char *s, size_t n, int escape)
{
	const char *nul;

	while ((nul = memchr(s, '\0', n)) != NULL) {
		size_t k = (size_t)(nul - s);
		if (escape)
			html_textn(b, s, k);
		else
			buf_add(b, s, k);
		buf_puts(b, REPLACEMENT);
		s += k + 1;
		n -= k + 1;
	}
	if (escape)
		html_textn(b, s, n);
	else
		buf_add(b, s, n);
}

/* ---- entities ----------------------------------------------------------- */

/* md4c hands entities over verbatim and knows no names; these are the ones
 * editors actually type. An unknown name stays literal text, which is what
 * a browser shows for it too. */
static const struct {
	const char *name;
	uint32_t cp;
} ENTITIES[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xA0 }, { "copy", 0xA9 },
	{ "reg", 0xAE }, { "trade", 0x2122 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "hellip", 0x2026 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "laquo", 0xAB }, { "raquo", 0xBB }, { "bull", 0x2022 },
	{ "middot", 0xB7 }, { "deg", 0xB0 }, { "euro", 0x20AC },
	{ "pound", 0xA3 }, { "yen", 0xA5 }, { "cent", 0xA2 },
	{ "sect", 0xA7 }, { "para", 0xB6 }, { "times", 0xD7 },
	{ "divide", 0xF7 }, { "plusmn", 0xB1 }, { "frac12", 0xBD },
	{ "frac14", 0xBC }, { "frac34", 0xBE }, { "shy", 0xAD },
	{ "thinsp", 0x2009 }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "eacute", 0xE9 }, { "egrave", 0xE8 }, { "aacute", 0xE1 },
	{ "agrave", 0xE0 }, { "auml", 0xE4 }, { "ouml", 0xF6 },
	{ "uuml", 0xFC }, { "ccedil", 0xE7 }, { "ntilde", 0xF1 },
	{ "szlig", 0xDF }, { "iexcl", 0xA1 }, { "iquest", 0xBF },
};

static void put_utf8(struct buf *b, uint32_t cp)
{
	char t[4];
	size_t n;

	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | cp >> 6);
		t[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | cp >> 12);
		t[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (char)(0xF0 | cp >> 18);
		t[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		t[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, t, n);
}

/* Code points no document should carry: NUL, surrogates, out of range, and
 * control characters other than tab and newlines. */
static int cp_bad(uint32_t cp)
{
	return cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	       (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	       (cp >= 0x7F && cp < 0xA0);
}

/* "&#...;", "&#x...;" as md4c guarantees them (at most 8 digits). */
static uint32_t numeric_entity(const char *s, size_t n)
{
	int hex = n > 3 && (s[2] == 'x' || s[2] == 'X');
	uint32_t cp = 0;

	for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
		unsigned c = (unsigned char)s[i];
		unsigned d = (unsigned)num_hex_digit((char)c); /* decimal digits too */
		if (cp > 0x10FFFF)
			break; /* already bad; stop before overflow */
		cp = cp * (hex ? 16 : 10) + d;
	}
	return cp;
}

/* Append the decoded form of the entity s[0..n) (including & and ;). */
static void entity_decode(struct buf *b, const char *s, size_t n)
{
	if (n < 3 || s[0] != '&' || s[n - 1] != ';') {
		buf_add(b, s, n);
		return;
	}
	if (s[1] == '#') {
		uint32_t cp = numeric_entity(s, n);
		if (cp_bad(cp))
			buf_puts(b, REPLACEMENT);
		else
			put_utf8(b, cp);
		return;
	}
	for (size_t i = 0; i < sizeof ENTITIES / sizeof ENTITIES[0]; i++) {
		const char *name = ENTITIES[i].name;
		if (strlen(name) == n - 2 && memcmp(name, s + 1, n - 2) == 0) {
			put_utf8(b, ENTITIES[i].cp);
			return;
		}
	}
	buf_add(b, s, n);
}

/* Append an md4c attribute (link destination, title, code language) with
 * its entities decoded. */
static void attr_decode(struct buf *b, const MD_ATTRIBUTE *a)
{
	for (size_t i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		switch (a->substr_types[i]) {
		case MD_TEXT_ENTITY: entity_decode(b, s, n); break;
		case MD_TEXT_NULLCHAR: buf_puts(b, REPLACEMENT); break;
		default: put_text(b, s, n, 0);
		}
	}
}

/* ---- URLs --------------------------------------------------------------- */

static int scheme_char(unsigned char c)
{
	return str_is_alnum((char)c) || c == '+' || c == '-' || c == '.';
}

/*
 * 1 when a decoded destination may become live. Browsers drop whitespace
 * and control characters inside a scheme ("java\tscript:"), so we skip them
 * too. Any run of scheme characters ended by ':' is a scheme and must be
 * http, https or mailto; anything else before the first ':' (such as '/',
 * '?', '#') means there is no scheme at all: a relative reference.
 */
static int url_allowed(const char *u, size_t n)
{
	char sch[8];
	size_t k = 0, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c <= 0x20 || c == 0x7F)
			continue;
		if (c == ':')
			break;
		if (!scheme_char(c))
			return 1;
		if (k < sizeof sch)
			sch[k] = str_lower_ascii((char)c);
		k++;
	}
	if (i == n)
		return 1; /* no ':' at all */
	return (k == 4 && memcmp(sch, "http", 4) == 0) ||
	       (k == 5 && memcmp(sch, "https", 5) == 0) ||
	       (k == 6 && memcmp(sch, "mailto", 6) == 0);
}

static int url_keep(unsigned char c)
{
	return str_is_alnum((char)c) || strchr("-_.~:/?#[]@!$&'()*+,;=%", c);
}

/* A checked URL as an attribute value: bytes outside the URL set are
 * percent-encoded (which can only add '%', never create a scheme), then
 * & and ' are escaped for the attribute. */
static void put_url(struct buf *b, const char *u, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c == '&')
			buf_puts(b, "&amp;");
		else if (c == '\'')
			buf_puts(b, "&#39;");
		else if (c && url_keep(c))
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* Decode a destination into r->tmp; 1 when it may be used. */
static int dest_decode(struct render *r, const MD_ATTRIBUTE *a)
{
	buf_reset(&r->tmp);
	attr_decode(&r->tmp, a);
	return url_allowed(r->tmp.s ? r->tmp.s : "", r->tmp.len);
}

/* ` title="..."` when there is a title. */
static void put_title(struct render *r, const MD_ATTRIBUTE *a)
{
	if (a->size == 0)
		return;
	buf_reset(&r->tmp);
	attr_decode(&r->tmp, a);
	buf_puts(r->out, " title=\"");
	html_attr(r->out, buf_str(&r->tmp));
	buf_putc(r->out, '"');
}

/* ---- library pictures (media:ID) --------------------------------------- */

void markdown_media_missing(struct buf *out, const char *alt)
{
	buf_puts(out, "<span class=\"media-missing\">");
	html_text(out, alt && *alt ? alt : "(missing picture)");
	buf_puts(out, "</span>");
}

#define MEDIA_ID_MAX (1LL << 53)

/* 1 when the decoded destination u is "media:..." (any case); *id its
 * number, 0 when what follows is not one. */
static int media_id(const char *u, long long *id)
{
	unsigned long long v;
	*id = 0;
	if (strncasecmp(u, "media:", 6) != 0)
		return 0;
	if (str_is_digits(u + 6) && num_parse_u64(u + 6, MEDIA_ID_MAX, &v) == 0 && v > 0)
		*id = (long long)v;
	return 1;
}

static void media_begin(struct render *r)
{
	if (r->nmref == MARKDOWN_MEDIA_MAX)
		r->mpara = 0; /* too many for one gallery: each stays inline */
	r->mref[r->nmref < MARKDOWN_MEDIA_MAX ? r->nmref : 0] =
		(struct mref){ .id = r->img_id, .alt_at = r->mtext.len };
}

/* The alt text of a reference, decoded (the callback escapes it). */
static void media_alt_text(struct render *r, MD_TEXTTYPE type, const char *s, size_t n)
{
	switch (type) {
	case MD_TEXT_NULLCHAR: buf_puts(&r->mtext, REPLACEMENT); break;
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR: buf_putc(&r->mtext, ' '); break;
	case MD_TEXT_ENTITY: entity_decode(&r->mtext, s, n); break;
	default: put_text(&r->mtext, s, n, 0);
	}
}

/* Text between references: blanks and line breaks only, or the paragraph
 * is a sentence. */
static void mpara_text(struct render *r, MD_TEXTTYPE type, const char *s, size_t n)
{
	if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR)
		return;
	for (size_t i = 0; type == MD_TEXT_NORMAL && i < n; i++)
		if (!str_is_space(s[i]))
			goto sentence;
	if (type == MD_TEXT_NORMAL)
		return;
sentence:
	r->mpara = 0;
}

static struct markdown_media_ref media_ref_of(const struct render *r, const struct mref *m)
{
	const char *alt = r->mtext.s ? r->mtext.s + m->alt_at : "";
	return (struct markdown_media_ref){
		.id = m->id,
		.alt = *alt ? alt : NULL,
		.title = m->has_title ? r->mtext.s + m->title_at : NULL,
	};
}

static void media_write(struct render *r, const struct markdown_media_ref *refs, size_t n,
			unsigned flags)
{
	if (r->lead_left) {
		flags |= MARKDOWN_MEDIA_LEAD;
		r->lead_left = 0;
	}
	if (n == 1 && refs[0].id == 0) {
		markdown_media_missing(r->out, refs[0].alt);
		return;
	}
	if (r->opts->media) {
		r->opts->media(r->opts->media_ctx, refs, n, flags, r->out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		markdown_media_missing(r->out, refs[i].alt);
}

/* The reference just closed: its title kept, and written inline for now;
 * the paragraph's end may replace it by a figure (media_block). */
static void media_end(struct render *r, const MD_ATTRIBUTE *title)
{
	struct mref *m = &r->mref[r->nmref < MARKDOWN_MEDIA_MAX ? r->nmref : 0];
	buf_putc(&r->mtext, '\0');
	if (title && title->size) {
		m->title_at = r->mtext.len;
		m->has_title = 1;
		attr_decode(&r->mtext, title);
		buf_putc(&r->mtext, '\0');
	}
	r->img_media = 0;
	if (r->mtext.err)
		r->mpara = 0;
	struct markdown_media_ref ref = media_ref_of(r, m);
	media_write(r, &ref, 1, MARKDOWN_MEDIA_INLINE);
	if (r->nmref < MARKDOWN_MEDIA_MAX)
		r->nmref++;
}

/* The top-level paragraph just written held only references: it becomes
 * one figure or one gallery instead of a <p>. */
static void media_block(struct render *r)
{
	struct markdown_media_ref refs[MARKDOWN_MEDIA_MAX];
	for (size_t i = 0; i < r->nmref; i++)
		refs[i] = media_ref_of(r, &r->mref[i]);
	r->out->len = r->para_at;
	if (r->out->s)
		r->out->s[r->out->len] = '\0';
	r->lead_left = r->mpara_lead;
	media_write(r, refs, r->nmref, 0);
	buf_putc(r->out, '\n');
}

size_t markdown_media_ids(const char *md, long long *ids, size_t max)
{
	size_t n = 0;
	for (const char *s = md; n < max && (s = strchr(s, ':')) != NULL; s++) {
		long long v = 0;
		if (s - md < 5 || strncasecmp(s - 5, "media", 5) != 0 || !str_is_digit(s[1]))
			continue;
		for (const char *d = s + 1; str_is_digit(*d) && v < MEDIA_ID_MAX; d++)
			v = v * 10 + (*d - '0');
		int seen = v <= 0 || v >= MEDIA_ID_MAX;
		for (size_t i = 0; i < n && !seen; i++)
			seen = ids[i] == v;
		if (!seen)
			ids[n++] = v;
	}
	return n;
}

/* ---- HTML renderer ------------------------------------------------------ */

static int status(struct render *r)
{
	return r->out->err || r->tmp.err ? -1 : 0;
}

static void html_heading(struct render *r, const MD_BLOCK_H_DETAIL *d, int enter)
{
	unsigned level = r->hlevel[d->level <= 6 ? d->level : 6];
	buf_printf(r->out, enter ? "<h%u>" : "</h%u>\n", level);
}

static void html_code_open(struct render *r, const MD_BLOCK_CODE_DETAIL *d)
{
	buf_puts(r->out, "<pre><code");
	if (d->lang.size) {
		buf_reset(&r->tmp);
		attr_decode(&r->tmp, &d->lang);
		buf_puts(r->out, " class=\"language-");
		html_attr(r->out, buf_str(&r->tmp));
		buf_putc(r->out, '"');
	}
	buf_putc(r->out, '>');
}

static void html_cell(struct render *r, const char *tag,
		      const MD_BLOCK_TD_DETAIL *d)
{
	static const char *const align[] = { "", " align=\"left\"",
					     " align=\"center\"",
					     " align=\"right\"" };
	unsigned a = d->align <= MD_ALIGN_RIGHT ? d->align : 0;
	buf_printf(r->out, "<%s%s>", tag, align[a]);
}

/*
 * Inline elements. md4c 0.4.8 does not always pair its span callbacks:
 * some inputs with images nested in links enter an image it never leaves
 * (fuzz/corpus/markdown/unpaired-image.md). So the renderer keeps its own
 * stack of what it opened, ignores a leave that does not match the top,
 * and closes whatever is still open at every block boundary. Whatever md4c
 * reports, each block's tags nest and every attribute is closed.
 */
#define SPAN_LIVE 0x80 /* the element got a tag (a link may not: bad href) */

static const char *span_tag(MD_SPANTYPE type)
{
	switch (type) {
	case MD_SPAN_EM: return "em";
	case MD_SPAN_STRONG: return "strong";
	case MD_SPAN_CODE: return "code";
	case MD_SPAN_DEL: return "del";
	case MD_SPAN_A: return "a";
	default: return NULL;
	}
}

/* Open `type`; past SPAN_STACK deep it is counted but gets no tag. */
static void span_open(struct render *r, MD_SPANTYPE type, const void *detail)
{
	const MD_SPAN_A_DETAIL *a = detail;
	int live = r->nspan < SPAN_STACK;

	if (live && type == MD_SPAN_A)
		live = dest_decode(r, &a->href);
	if (r->para == PARA_START && live && type == MD_SPAN_A && r->nspan == 0) {
		r->para = PARA_LINK;
		buf_reset(&r->para_url);
		buf_add(&r->para_url, buf_str(&r->tmp), r->tmp.len);
	} else {
		r->para = PARA_NO;
	}
	if (live && type == MD_SPAN_A) {
		buf_puts(r->out, "<a href=\"");
		put_url(r->out, buf_str(&r->tmp), r->tmp.len);
		buf_putc(r->out, '"');
		put_title(r, &a->title);
		buf_putc(r->out, '>');
	} else if (live) {
		buf_printf(r->out, "<%s>", span_tag(type));
	}
	if (r->nspan < SPAN_STACK)
		r->span[r->nspan] = (unsigned char)(type | (live ? SPAN_LIVE : 0));
	r->nspan++;
}

static void span_pop(struct render *r)
{
	unsigned char top = r->span[--r->nspan];
	if (top & SPAN_LIVE)
		buf_printf(r->out, "</%s>", span_tag(top & ~SPAN_LIVE));
}

static void span_close(struct render *r, MD_SPANTYPE type)
{
	if (r->nspan > SPAN_STACK)
		r->nspan--;
	else if (r->nspan > 0 && (r->span[r->nspan - 1] & ~SPAN_LIVE) == type)
		span_pop(r);
	if (r->para == PARA_LINK && r->nspan == 0)
		r->para = PARA_AFTER;
}

/* Only the outermost image makes a tag; nested ones add to its alt text. */
static void html_img_enter(struct render *r, const MD_SPAN_IMG_DETAIL *d)
{
	r->para = PARA_NO;
	if (r->img_depth++ > 0)
		return;
	r->img_drop = !dest_decode(r, &d->src);
	r->img_media = media_id(buf_str(&r->tmp), &r->img_id);
	if (r->img_media) {
		r->img_drop = 0;
		media_begin(r);
		return;
	}
	r->mpara = 0;
	if (r->img_drop)
		return;
	buf_puts(r->out, "<img src=\"");
	put_url(r->out, buf_str(&r->tmp), r->tmp.len);
	buf_puts(r->out, "\" alt=\"");
}

static void html_img_end(struct render *r, const MD_ATTRIBUTE *title)
{
	r->img_depth = 0;
	if (r->img_media) {
		media_end(r, title);
		return;
	}
	if (r->img_drop)
		return;
	buf_putc(r->out, '"');
	if (title)
		put_title(r, title);
	buf_putc(r->out, '>');
}

static void html_img_leave(struct render *r, const MD_SPAN_IMG_DETAIL *d)
{
	if (r->img_depth == 1)
		html_img_end(r, &d->title);
	else if (r->img_depth > 1)
		r->img_depth--;
}

/* A block boundary: end an image and close every element still open. */
static void spans_end(struct render *r)
{
	if (r->img_depth > 0)
		html_img_end(r, NULL);
	if (r->nspan > SPAN_STACK)
		r->nspan = SPAN_STACK;
	while (r->nspan > 0)
		span_pop(r);
}

static int html_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render *r = ud;

	if (type == MD_SPAN_IMG)
		html_img_enter(r, detail);
	else if (r->img_depth == 0 && span_tag(type))
		span_open(r, type, detail);
	if (type != MD_SPAN_IMG && r->img_depth == 0)
		r->mpara = 0;
	/* inside an image, alt text is plain */
	return status(r);
}

static int html_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	struct render *r = ud;

	if (type == MD_SPAN_IMG)
		html_img_leave(r, detail);
	else if (r->img_depth == 0 && span_tag(type))
		span_close(r, type);
	return status(r);
}

static int html_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render *r = ud;
	const MD_BLOCK_OL_DETAIL *ol = detail;

	spans_end(r);
	r->para = ++r->depth == 2 && type == MD_BLOCK_P ? PARA_START : PARA_NO;
	r->para_at = r->out->len;
	buf_reset(&r->para_text);
	r->mpara = r->para == PARA_START;
	r->mpara_lead = r->lead_left;
	r->nmref = 0;
	buf_reset(&r->mtext);
	switch (type) {
	case MD_BLOCK_QUOTE: buf_puts(r->out, "<blockquote>\n"); break;
	case MD_BLOCK_UL: buf_puts(r->out, "<ul>\n"); break;
	case MD_BLOCK_OL:
		if (ol->start == 1)
			buf_puts(r->out, "<ol>\n");
		else
			buf_printf(r->out, "<ol start=\"%u\">\n", ol->start);
		break;
	case MD_BLOCK_LI: buf_puts(r->out, "<li>"); break;
	case MD_BLOCK_HR: buf_puts(r->out, "<hr>\n"); break;
	case MD_BLOCK_H: html_heading(r, detail, 1); break;
	case MD_BLOCK_CODE: html_code_open(r, detail); break;
	case MD_BLOCK_P: buf_puts(r->out, "<p>"); break;
	case MD_BLOCK_TABLE: buf_puts(r->out, "<table>\n"); break;
	case MD_BLOCK_THEAD: buf_puts(r->out, "<thead>\n"); break;
	case MD_BLOCK_TBODY: buf_puts(r->out, "<tbody>\n"); break;
	case MD_BLOCK_TR: buf_puts(r->out, "<tr>\n"); break;
	case MD_BLOCK_TH: html_cell(r, "th", detail); break;
	case MD_BLOCK_TD: html_cell(r, "td", detail); break;
	default: break; /* DOC; HTML never comes with MD_FLAG_NOHTML */
	}
	return status(r);
}

/*
 * The paragraph just written is one link whose text is its destination: a
 * URL alone on its line. When a provider knows it, the paragraph is
 * replaced by the provider's facade (embed.h).
 */
static void html_embed(struct render *r)
{
	struct embed_match *m = malloc(sizeof *m);
	const char *url = buf_str(&r->para_url);

	if (m && !r->para_url.err && !r->para_text.err && r->para_url.len == r->para_text.len &&
	    memcmp(url, buf_str(&r->para_text), r->para_url.len) == 0 &&
	    embed_match(url, r->para_url.len, m)) {
		r->out->len = r->para_at;
		if (r->out->s)
			r->out->s[r->out->len] = '\0';
		embed_facade(r->out, m, url);
	}
	free(m);
}

/* Text seen while a paragraph may still be a URL alone: the link's text is
 * kept, blanks around it allowed, anything else ends the chance. */
static void para_text(struct render *r, MD_TEXTTYPE type, const char *s, size_t n)
{
	if (r->para == PARA_LINK && type == MD_TEXT_NORMAL) {
		buf_add(&r->para_text, s, n);
		return;
	}
	if (type == MD_TEXT_NORMAL || type == MD_TEXT_SOFTBR)
		while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
			s++, n--;
	if (n || (type != MD_TEXT_NORMAL && type != MD_TEXT_SOFTBR))
		r->para = PARA_NO;
}

static int html_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render *r = ud;

	spans_end(r);
	switch (type) {
	case MD_BLOCK_QUOTE: buf_puts(r->out, "</blockquote>\n"); break;
	case MD_BLOCK_UL: buf_puts(r->out, "</ul>\n"); break;
	case MD_BLOCK_OL: buf_puts(r->out, "</ol>\n"); break;
	case MD_BLOCK_LI: buf_puts(r->out, "</li>\n"); break;
	case MD_BLOCK_H: html_heading(r, detail, 0); break;
	case MD_BLOCK_CODE: buf_puts(r->out, "</code></pre>\n"); break;
	case MD_BLOCK_P: buf_puts(r->out, "</p>\n"); break;
	case MD_BLOCK_TABLE: buf_puts(r->out, "</table>\n"); break;
	case MD_BLOCK_THEAD: buf_puts(r->out, "</thead>\n"); break;
	case MD_BLOCK_TBODY: buf_puts(r->out, "</tbody>\n"); break;
	case MD_BLOCK_TR: buf_puts(r->out, "</tr>\n"); break;
	case MD_BLOCK_TH: buf_puts(r->out, "</th>\n"); break;
	case MD_BLOCK_TD: buf_puts(r->out, "</td>\n"); break;
	default: break;
	}
	if (type == MD_BLOCK_P && r->para == PARA_AFTER)
		html_embed(r);
	else if (type == MD_BLOCK_P && r->mpara && r->nmref > 0)
		media_block(r);
	r->para = PARA_NO;
	r->mpara = 0;
	r->depth--;
	return status(r);
}

/* Clamp a text range that runs into the padding (see MD_PAD). */
static MD_SIZE clamp(const struct render *r, const MD_CHAR *s, MD_SIZE n)
{
	if (s >= r->in_end && s < r->in_end + MD_PAD)
		return 0;
	if (s < r->in_end && n > (size_t)(r->in_end - s))
		return (MD_SIZE)(r->in_end - s);
	return n;
}

static int html_text_cb(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct render *r = ud;
	int alt = r->img_depth > 0;

	n = clamp(r, s, n);
	if (r->para != PARA_NO)
		para_text(r, type, s, n);
	if (alt && r->img_media) {
		media_alt_text(r, type, s, n);
		return status(r);
	}
	if (r->mpara && !alt)
		mpara_text(r, type, s, n);
	if (alt && r->img_drop)
		return 0;
	switch (type) {
	case MD_TEXT_NULLCHAR: buf_puts(r->out, REPLACEMENT); break;
	case MD_TEXT_BR: buf_puts(r->out, alt ? " " : "<br>\n"); break;
	case MD_TEXT_SOFTBR: buf_puts(r->out, alt ? " " : "\n"); break;
	case MD_TEXT_ENTITY:
		buf_reset(&r->tmp);
		entity_decode(&r->tmp, s, n);
		html_textn(r->out, buf_str(&r->tmp), r->tmp.len);
		break;
	default: /* normal, code, and (never expected) raw HTML: escaped */
		put_text(r->out, s, n, 1);
	}
	return status(r);
}

/* ---- plain-text renderer ------------------------------------------------ */

/* Drop trailing blanks written since `start`, so separators never pile up. */
static void trim_from(struct buf *b, size_t start)
{
	while (b->len > start && strchr(" \t\n", b->s[b->len - 1]))
		b->s[--b->len] = '\0';
}

static void text_break(struct render *r, enum brk brk)
{
	if (brk > r->brk)
		r->brk = brk;
}

/* Write s, preceded by the pending separator unless nothing came before. */
static void text_put(struct render *r, const char *s, size_t n)
{
	static const char *const sep[] = { "", " ", "\n", "\n\n" };

	if (r->brk != BRK_NONE) {
		trim_from(r->out, r->start);
		if (r->out->len > r->start)
			buf_puts(r->out, sep[r->brk]);
		r->brk = BRK_NONE;
	}
	put_text(r->out, s, n, 0);
}

static enum brk text_block_break(MD_BLOCKTYPE type)
{
	switch (type) {
	case MD_BLOCK_DOC:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY: return BRK_NONE;
	case MD_BLOCK_LI:
	case MD_BLOCK_TR: return BRK_LINE;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: return BRK_SPACE;
	default: return BRK_PARA;
	}
}

static int text_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	struct render *r = ud;
	(void)detail;
	text_break(r, text_block_break(type));
	return status(r);
}

static int text_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	return text_enter_block(type, detail, ud);
}

static int text_span(MD_SPANTYPE type, void *detail, void *ud)
{
	(void)type, (void)detail, (void)ud; /* spans are markup only */
	return 0;
}

static int text_text_cb(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	struct render *r = ud;

	n = clamp(r, s, n);
	switch (type) {
	case MD_TEXT_NULLCHAR: text_put(r, REPLACEMENT, 3); break;
	case MD_TEXT_BR: text_break(r, BRK_LINE); break;
	case MD_TEXT_SOFTBR: text_put(r, " ", 1); break;
	case MD_TEXT_ENTITY:
		buf_reset(&r->tmp);
		entity_decode(&r->tmp, s, n);
		text_put(r, buf_str(&r->tmp), r->tmp.len);
		break;
	default: text_put(r, s, n);
	}
	return status(r);
}

/* ---- entry points ------------------------------------------------------- */

/* The first pass: which heading levels the document uses (bit N for
 * level N), so the second can close the gaps between them. */
static int levels_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	if (type == MD_BLOCK_H) {
		unsigned l = ((const MD_BLOCK_H_DETAIL *)detail)->level;
		*(unsigned *)ud |= 1u << (l <= 6 ? l : 6);
	}
	return 0;
}

static int levels_span(MD_SPANTYPE t, void *d, void *ud)
{
	(void)t, (void)d, (void)ud;
	return 0;
}

static int levels_text(MD_TEXTTYPE t, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	(void)t, (void)s, (void)n, (void)ud;
	return 0;
}

/* The shallowest level used becomes <h2> (the page's <h1> is the title)
 * and each deeper level used the next, never past <h6>: "##" and "####"
 * give h2 and h3, so the outline has no gaps. */
static void heading_map(unsigned used, unsigned char map[7])
{
	unsigned out = 1;
	for (unsigned l = 1; l <= 6; l++) {
		if (used & (1u << l) && out < 6)
			out++;
		map[l] = (unsigned char)(out < 2 ? 2 : out);
	}
}

static int render(const char *md, size_t n, struct buf *out,
		  const MD_PARSER *parser, int headings, const struct markdown_opts *opts)
{
	static const struct markdown_opts none;
	struct render r = { .out = out, .start = out->len, .opts = opts ? opts : &none };
	r.lead_left = !r.opts->no_lead;
	size_t len = n;
	char *copy;
	int rc;

	if (n > UINT_MAX - MD_PAD - 1 || (n && !md))
		return -1;
	if (!(copy = malloc(n + 1 + MD_PAD)))
		return -1;
	if (n)
		memcpy(copy, md, n);
	if (n == 0 || md[n - 1] != '\n')
		copy[len++] = '\n'; /* changes nothing in CommonMark */
	memset(copy + len, 0, n + 1 + MD_PAD - len);
	r.in_end = copy + len;
	if (headings) {
		static const MD_PARSER scan = {
			.flags = MD_FLAGS,
			.enter_block = levels_block,
			.leave_block = levels_block, /* the same bit again */
			.enter_span = levels_span,
			.leave_span = levels_span,
			.text = levels_text,
		};
		unsigned used = 0;
		if (md_parse(copy, (MD_SIZE)len, &scan, &used)) {
			free(copy);
			return -1;
		}
		heading_map(used, r.hlevel);
	}
	buf_init(&r.tmp, 0);
	buf_init(&r.para_url, EMBED_URL_MAX + 1);
	buf_init(&r.para_text, EMBED_URL_MAX + 1);
	buf_init(&r.mtext, 0);
	rc = md_parse(copy, (MD_SIZE)len, parser, &r);
	buf_release(&r.mtext);
	buf_release(&r.tmp);
	buf_release(&r.para_url);
	buf_release(&r.para_text);
	free(copy);
	return rc || out->err ? -1 : 0;
}

int markdown_to_html(const char *md, size_t n, struct buf *out)
{
	return markdown_to_html_opts(md, n, out, NULL);
}

int markdown_to_html_opts(const char *md, size_t n, struct buf *out,
			  const struct markdown_opts *opts)
{
	static const MD_PARSER parser = {
		.flags = MD_FLAGS,
		.enter_block = html_enter_block,
		.leave_block = html_leave_block,
		.enter_span = html_enter_span,
		.leave_span = html_leave_span,
		.text = html_text_cb,
	};
	return render(md, n, out, &parser, 1, opts);
}

int markdown_to_text(const char *md, size_t n, struct buf *out)
{
	static const MD_PARSER parser = {
		.flags = MD_FLAGS | MD_FLAG_COLLAPSEWHITESPACE,
		.enter_block = text_enter_block,
		.leave_block = text_leave_block,
		.enter_span = text_span,
		.leave_span = text_span,
		.text = text_text_cb,
	};
	size_t start = out->len;
	int rc = render(md, n, out, &parser, 0, NULL);

	if (rc == 0) /* a final code block ends in '\n' */
		trim_from(out, start);
	return rc;
}
