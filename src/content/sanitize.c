/*
 * sanitize: the allowlist HTML sanitizer (see sanitize.h).
 *
 * The one design decision: never edit the input text, always re-emit. The
 * fragment is parsed into a tree by libxml2's HTML parser (the same error
 * recovery a browser-like tokenizer applies, so "<scr<script>ipt>" and
 * unclosed attributes mean what they mean to a browser), then the tree is
 * written out by our own serializer, which knows only the elements and
 * attributes in the tables below. Whatever the parser made of the input,
 * nothing outside the tables can come out.
 */
#include "sanitize.h"
#include "embed.h"
#include "../render/escape.h"
#include "../util/str.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SANITIZE_DEPTH_MAX 200
#define SANITIZE_INPUT_MAX (32u << 20)

enum { EL_VOID = 1, EL_BLOCK = 2, EL_URLS = 4 };

struct el {
	const char *name;
	int flags;
	const char *attrs; /* space-separated, between spaces: " href title " */
};

static const struct el allowed[] = {
	{ "a", EL_URLS, " href title rel " },
	{ "abbr", 0, " title " },
	{ "audio", EL_BLOCK | EL_URLS, " controls preload src " }, /* src: a /media/ path only */
	{ "b", 0, "" },
	{ "blockquote", EL_BLOCK | EL_URLS, " cite " },
	{ "br", EL_VOID, "" },
	{ "caption", EL_BLOCK, "" },
	{ "cite", 0, "" },
	{ "code", 0, "" },
	{ "col", EL_VOID, " span " },
	{ "colgroup", 0, " span " },
	{ "dd", EL_BLOCK, "" },
	{ "del", 0, "" },
	{ "details", EL_BLOCK, "" },
	{ "div", EL_BLOCK, "" },
	{ "dl", EL_BLOCK, "" },
	{ "dt", EL_BLOCK, "" },
	{ "em", 0, "" },
	{ "figcaption", EL_BLOCK, "" },
	{ "figure", EL_BLOCK, "" },
	{ "h1", EL_BLOCK, "" },
	{ "h2", EL_BLOCK, "" },
	{ "h3", EL_BLOCK, "" },
	{ "h4", EL_BLOCK, "" },
	{ "h5", EL_BLOCK, "" },
	{ "h6", EL_BLOCK, "" },
	{ "hr", EL_VOID | EL_BLOCK, "" },
	{ "i", 0, "" },
	{ "img", EL_VOID | EL_URLS, " src alt width height title loading " },
	{ "ins", 0, "" },
	{ "kbd", 0, "" },
	{ "li", EL_BLOCK, " value " },
	{ "mark", 0, "" },
	{ "ol", EL_BLOCK, " start reversed " },
	{ "p", EL_BLOCK, "" },
	{ "pre", EL_BLOCK, "" },
	{ "q", EL_URLS, " cite " },
	{ "s", 0, "" },
	{ "samp", 0, "" },
	{ "small", 0, "" },
	{ "source", EL_VOID | EL_URLS, " src type " }, /* src: a /media/ path only */
	{ "span", 0, "" },
	{ "strong", 0, "" },
	{ "sub", 0, "" },
	{ "summary", EL_BLOCK, "" },
	{ "sup", 0, "" },
	{ "table", EL_BLOCK, "" },
	{ "tbody", EL_BLOCK, "" },
	{ "td", EL_BLOCK, " colspan rowspan " },
	{ "tfoot", EL_BLOCK, "" },
	{ "th", EL_BLOCK, " colspan rowspan scope " },
	{ "thead", EL_BLOCK, "" },
	{ "time", 0, " datetime " },
	{ "tr", EL_BLOCK, "" },
	{ "u", 0, "" },
	{ "ul", EL_BLOCK, "" },
	{ "var", 0, "" },
	{ "video", EL_BLOCK | EL_URLS, " controls preload src poster width height " }, /* src, poster: /media/ */
};

/* Dropped together with everything inside them. */
static const char *const dropped[] = {
	"applet", "base", "button", "canvas", "embed", "form", "frame", "frameset", "head", "iframe",
	"input", "link", "math", "meta", "noembed", "noframes", "noscript", "object", "option",
	"param", "plaintext", "script", "select", "style", "svg", "template", "textarea",
	"title", "xmp",
};

/* Attributes every allowed element may keep. */
static const char GLOBAL_ATTRS[] = " class title lang dir ";

static const struct el *find_el(const char *name)
{
	size_t lo = 0, hi = sizeof allowed / sizeof allowed[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, allowed[mid].name);
		if (c == 0)
			return &allowed[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int is_dropped(const char *name)
{
	for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
		if (strcmp(name, dropped[i]) == 0)
			return 1;
	return 0;
}

/* 1 when name appears as a word of list (" a b c "). */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 40)
		return 0;
	for (const char *p = strstr(list, name); p; p = strstr(p + 1, name))
		if (p > list && p[-1] == ' ' && p[n] == ' ')
			return 1;
	return 0;
}

int sanitize_url_ok(const char *url)
{
	if (!url)
		return 0;
	/* browsers drop leading C0 controls and spaces, and tabs and newlines
	 * anywhere: judge the scheme on what they would see */
	char scheme[16];
	size_t k = 0;
	const unsigned char *p = (const unsigned char *)url;
	while (*p && *p <= 0x20)
		p++;
	for (; *p; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == '/' || *p == '?' || *p == '#')
			return 1; /* no scheme: relative */
		if (*p == ':')
			break;
		if (k < sizeof scheme - 1) /* longer than any allowed scheme: refused below */
			scheme[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		else
			k = sizeof scheme; /* marks "too long" */
	}
	if (!*p)
		return 1;
	if (k >= sizeof scheme)
		return 0;
	scheme[k] = '\0';
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	       strcmp(scheme, "mailto") == 0;
}

static int class_ok(const char *v)
{
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		      (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' || *v == ' '))
			return 0;
	return 1;
}

static int number_ok(const char *v)
{
	if (!*v || strlen(v) > 8)
		return 0;
	for (; *v; v++)
		if (!(*v >= '0' && *v <= '9') && *v != '%')
			return 0;
	return 1;
}

/* A file the site serves: "/media/..." without "..", "//", a backslash
 * or a control character. Players load only these (no request leaves for
 * another host when a reader opens the page). */
static int media_path_ok(const char *v)
{
	if (!v || strncmp(v, "/media/", 7) != 0 || strstr(v, "..") || strstr(v, "//") ||
	    strchr(v, '\\') || strlen(v) > 1000)
		return 0;
	for (; *v; v++)
		if ((unsigned char)*v < 0x21 || *v == ':')
			return 0;
	return 1;
}

static int attr_value_ok(const char *name, const char *v)
{
	if (strcmp(name, "href") == 0 || strcmp(name, "src") == 0 || strcmp(name, "cite") == 0 ||
	    strcmp(name, "poster") == 0)
		return sanitize_url_ok(v);
	if (strcmp(name, "class") == 0 || strcmp(name, "rel") == 0)
		return class_ok(v);
	if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0 ||
	    strcmp(name, "colspan") == 0 || strcmp(name, "rowspan") == 0 ||
	    strcmp(name, "start") == 0 || strcmp(name, "span") == 0 ||
	    strcmp(name, "value") == 0)
		return number_ok(v);
	return 1;
}

static const char *attr(xmlNodePtr n, const char *name, xmlChar **hold)
{
	*hold = xmlGetProp(n, BAD_CAST name);
	return (const char *)*hold;
}

static void write_attrs(struct buf *out, xmlNodePtr n, const struct el *e)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		if (a->ns || (!in_list(e->attrs, name) && !in_list(GLOBAL_ATTRS, name)))
			continue;
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		const char *val = v ? (const char *)v : "";
		int player = strcmp(e->name, "source") == 0 || strcmp(e->name, "video") == 0 ||
			     strcmp(e->name, "audio") == 0;
		if (player && (strcmp(name, "src") == 0 || strcmp(name, "poster") == 0)
			    ? media_path_ok(val)
			    : attr_value_ok(name, val)) {
			buf_printf(out, " %s=\"", name);
			html_attr(out, val);
			buf_putc(out, '"');
		}
		xmlFree(v);
	}
}

/* 0: drop it and its content; 1: keep the element; 2: keep only its content. */
static int verdict(xmlNodePtr n, const struct el **e)
{
	const char *name = (const char *)n->name;
	if (is_dropped(name))
		return 0;
	*e = find_el(name);
	if (!*e)
		return 2;
	xmlChar *hold;
	int rc = 1;
	if (strcmp(name, "img") == 0)
		rc = sanitize_url_ok(attr(n, "src", &hold)) && hold && *hold ? 1 : 0;
	else if (strcmp(name, "source") == 0)
		rc = media_path_ok(attr(n, "src", &hold)) ? 1 : 0;
	else if (strcmp(name, "a") == 0)
		rc = attr(n, "href", &hold) && sanitize_url_ok((const char *)hold) ? 1 : 2;
	else
		return 1;
	xmlFree(hold);
	return rc;
}

/* ---- embeds: what WordPress would have auto-embedded becomes a facade -- */

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

/* s without the blanks around it, into a malloc'd copy (NULL: none left). */
static char *trimmed(const char *s)
{
	while (*s && strchr(" \t\r\n", *s))
		s++;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	if (n == 0 || n > EMBED_URL_MAX)
		return NULL;
	char *t = malloc(n + 1);
	if (t) {
		memcpy(t, s, n);
		t[n] = '\0';
	}
	return t;
}

/* The one child of n that is not blank text, or NULL when there are more
 * or none. */
static xmlNodePtr only_child(xmlNodePtr n)
{
	xmlNodePtr one = NULL;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE ||
		    ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		     blank((const char *)c->content)))
			continue;
		if (one)
			return NULL;
		one = c;
	}
	return one;
}

/*
 * The URL n stands for when it is nothing but a URL (malloc'd; NULL when
 * not): a text node that is one URL (WordPress' bare URL on its own line,
 * the text of an embed block's wrapper), a link whose text is its
 * destination ([embed]URL[/embed] as shortcodes.c writes it), a p, div or
 * figure around one of those (depth bounded), or a facade of ours coming
 * back (an export imported again) by its data-embed-url.
 */
static char *lone_url(xmlNodePtr n, int depth)
{
	if (!n || depth > 4)
		return NULL;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return n->content ? trimmed((const char *)n->content) : NULL;
	if (n->type != XML_ELEMENT_NODE)
		return NULL;
	const char *name = (const char *)n->name;
	xmlChar *v = NULL;
	char *url = NULL;
	if (strcmp(name, "figure") == 0 && (v = xmlGetProp(n, BAD_CAST "data-embed-url"))) {
		url = trimmed((const char *)v);
	} else if (strcmp(name, "a") == 0) {
		xmlNodePtr c = only_child(n);
		v = xmlGetProp(n, BAD_CAST "href");
		url = c && c->type == XML_TEXT_NODE ? lone_url(c, depth + 1) : NULL;
		if (url && (!v || strcmp(url, (const char *)v) != 0)) {
			free(url);
			url = NULL;
		}
	} else if (strcmp(name, "p") == 0 || strcmp(name, "div") == 0 ||
		   strcmp(name, "figure") == 0) {
		url = lone_url(only_child(n), depth + 1);
	}
	xmlFree(v);
	return url;
}

/* Where an iframe stands: at block level, directly in a <p> (the facade
 * closes and reopens it, as a browser would), or inside other inline
 * markup (only a link fits there). */
enum place { AT_BLOCK, IN_P, IN_INLINE };

static enum place place_of(xmlNodePtr n)
{
	xmlNodePtr up = n->parent;
	if (!up || up->type != XML_ELEMENT_NODE || strcmp((const char *)up->name, "body") == 0)
		return AT_BLOCK;
	if (strcmp((const char *)up->name, "p") == 0)
		return IN_P;
	const struct el *e = find_el((const char *)up->name);
	return !e || (e->flags & EL_BLOCK) ? AT_BLOCK : IN_INLINE;
}

/* Writes the facade for what n stands for; 1 when it wrote something. An
 * iframe of a provider's player becomes the facade of its src, so an
 * imported YouTube iframe is no longer blocked by the site's CSP but waits
 * for the reader; any other iframe becomes a link to its http(s) src (no
 * frame ever loads before the reader asks). */
static int emit_embed(struct buf *out, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	char *url = NULL;
	if (strcmp(name, "iframe") == 0) {
		xmlChar *src = xmlGetProp(n, BAD_CAST "src");
		url = src ? trimmed((const char *)src) : NULL;
		xmlFree(src);
	} else if (strcmp(name, "p") == 0 || strcmp(name, "div") == 0 ||
		   strcmp(name, "figure") == 0) {
		url = lone_url(n, 0);
	}
	if (!url)
		return 0;
	struct embed_match *m = malloc(sizeof *m);
	enum place at = place_of(n);
	int ok = m && at != IN_INLINE && embed_match(url, strlen(url), m);
	if (ok) {
		buf_puts(out, at == IN_P ? "</p>\n" : "");
		embed_facade(out, m, url);
		buf_puts(out, at == IN_P ? "<p>" : "");
	} else if (strcmp(name, "iframe") == 0 && url_is_http(url)) {
		buf_puts(out, at == AT_BLOCK ? "<p><a href=\"" : "<a href=\"");
		html_attr(out, url);
		buf_puts(out, "\">");
		html_text(out, url);
		buf_puts(out, at == AT_BLOCK ? "</a></p>" : "</a>");
		ok = 1;
	}
	free(m);
	free(url);
	return ok;
}

static void emit(struct buf *out, xmlNodePtr n, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_text(out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth >= SANITIZE_DEPTH_MAX)
			continue;
		if (emit_embed(out, n))
			continue;
		const struct el *e = NULL;
		int v = verdict(n, &e);
		if (v == 0)
			continue;
		if (v == 2) {
			emit(out, n->children, depth + 1);
			continue;
		}
		buf_printf(out, "<%s", e->name);
		write_attrs(out, n, e);
		buf_putc(out, '>');
		if (e->flags & EL_VOID)
			continue;
		emit(out, n->children, depth + 1);
		buf_printf(out, "</%s>", e->name);
	}
}

/* Separators are added lazily: pending holds how many newlines the text
 * owes before its next visible character. */
struct text_out {
	struct buf *out;
	int pending;
};

static void text_sep(struct text_out *t, int n)
{
	if (t->out->len && n > t->pending)
		t->pending = n;
}

static void text_add(struct text_out *t, const char *s)
{
	for (; *s; s++) {
		if (t->pending && str_is_xml_space(*s))
			continue;
		while (t->pending > 0) {
			buf_putc(t->out, '\n');
			t->pending--;
		}
		if (!t->out->len && str_is_xml_space(*s))
			continue;
		buf_putc(t->out, *s);
	}
}

static void emit_text(struct text_out *t, xmlNodePtr n, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				text_add(t, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth >= SANITIZE_DEPTH_MAX)
			continue;
		const char *name = (const char *)n->name;
		if (is_dropped(name) || strcmp(name, "iframe") == 0)
			continue;
		if (strcmp(name, "br") == 0) {
			text_sep(t, 1);
			continue;
		}
		const struct el *e = find_el(name);
		int block = e && (e->flags & EL_BLOCK);
		if (block)
			text_sep(t, strcmp(name, "li") == 0 || strcmp(name, "tr") == 0 ? 1 : 2);
		if (strcmp(name, "img") == 0) {
			xmlChar *alt = xmlGetProp(n, BAD_CAST "alt");
			if (alt)
				text_add(t, (const char *)alt);
			xmlFree(alt);
		}
		emit_text(t, n->children, depth + 1);
		if (block)
			text_sep(t, strcmp(name, "li") == 0 || strcmp(name, "tr") == 0 ? 1 : 2);
	}
}

static xmlNodePtr body_of(xmlDocPtr doc)
{
	for (xmlNodePtr n = xmlDocGetRootElement(doc); n; n = n->children) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "body") == 0)
			return n;
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "html") != 0)
			return NULL;
		for (xmlNodePtr c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "body") == 0)
				return c;
		return NULL;
	}
	return NULL;
}

/* Parses the fragment inside an explicit <body>, so that text at the start
 * is not wrapped in an implied <p>. NULL doc with rc 0: nothing to parse. */
static int parse(const char *html, size_t n, xmlDocPtr *doc)
{
	*doc = NULL;
	if (n == 0)
		return 0;
	if (n > SANITIZE_INPUT_MAX)
		return -1;
	struct buf in;
	buf_init(&in, SANITIZE_INPUT_MAX + 64);
	buf_puts(&in, "<!DOCTYPE html><html><head></head><body>");
	buf_add(&in, html, n);
	if (in.err) {
		buf_release(&in);
		return -1;
	}
	*doc = htmlReadMemory(in.s, (int)in.len, NULL, "UTF-8",
			      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	buf_release(&in);
	return *doc ? 0 : -1;
}

int sanitize_html(const char *html, size_t n, struct buf *out)
{
	xmlDocPtr doc;
	if (parse(html, n, &doc))
		return -1;
	if (!doc)
		return 0;
	xmlNodePtr body = body_of(doc);
	if (body)
		emit(out, body->children, 0);
	xmlFreeDoc(doc);
	return out->err ? -1 : 0;
}

int sanitize_text(const char *html, size_t n, struct buf *out)
{
	xmlDocPtr doc;
	if (parse(html, n, &doc))
		return -1;
	if (!doc)
		return 0;
	xmlNodePtr body = body_of(doc);
	struct buf t;
	buf_init(&t, out->max);
	struct text_out to = { &t, 0 };
	if (body)
		emit_text(&to, body->children, 0);
	while (t.len && str_is_xml_space(t.s[t.len - 1]))
		t.s[--t.len] = '\0';
	buf_add(out, buf_str(&t), t.len);
	int err = t.err;
	buf_release(&t);
	xmlFreeDoc(doc);
	return err || out->err ? -1 : 0;
}

/* ---- slots: the strict allowlist (see sanitize.h) ---------------------
 *
 * The same parse as above, but a refusal instead of a cleaning: what an
 * admin pastes into an ad or analytics slot either passes whole or is
 * sent back naming what failed, so nothing she typed is silently lost
 * and nothing she did not mean runs. */

enum { SL_DATA = 8 }; /* data-* attributes allowed (ad tags carry them) */

static const struct el slot_allowed[] = {
	{ "a", 0, " href rel target " },
	{ "br", EL_VOID, "" },
	{ "div", SL_DATA, "" },
	{ "em", 0, "" },
	{ "img", EL_VOID, " src alt width height loading " },
	{ "ins", SL_DATA, "" },
	{ "p", 0, "" },
	{ "script", SL_DATA, " src async defer " },
	{ "small", 0, "" },
	{ "span", 0, "" },
	{ "strong", 0, "" },
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

int sanitize_origin(const char *url, char *out, size_t cap, const char **rest)
{
	size_t k = strncasecmp(url, "https://", 8) == 0 ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	if (!k)
		return -1;
	const char *host = url + k, *p = host;
	if (*p == '[') { /* an IPv6 address */
		for (p++; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			  (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.'; p++)
			;
		if (*p++ != ']')
			return -1;
	} else {
		while (host_char(*p))
			p++;
		if (p == host || *host == '.' || *host == '-')
			return -1;
	}
	if (*p == ':') {
		const char *d = ++p;
		long port = 0;
		while (*p >= '0' && *p <= '9' && p - d < 5)
			port = port * 10 + (*p++ - '0');
		if (p == d || port < 1 || port > 65535)
			return -1;
	}
	if (*p && *p != '/' && *p != '?' && *p != '#')
		return -1;
	size_t n = (size_t)(p - url);
	if (n + 1 > cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = lower(url[i]);
	out[n] = '\0';
	if (rest)
		*rest = p;
	return (int)n;
}

/* 1 when origin is one of the words of the space-separated list. */
static int origin_listed(const char *list, const char *origin)
{
	size_t n = strlen(origin);
	for (const char *w = list; w && *w;) {
		size_t k = strcspn(w, " ");
		if (k == n && memcmp(w, origin, n) == 0)
			return 1;
		w += k;
		w += strspn(w, " ");
	}
	return 0;
}

/* A path on this site: "/..." but not "//host", nothing a browser would
 * strip or read as a backslash. */
static int site_path_ok(const char *v)
{
	if (v[0] != '/' || v[1] == '/' || v[1] == '\\')
		return 0;
	for (; *v; v++)
		if ((unsigned char)*v < 0x21 || *v == '\\' || *v == 0x7f)
			return 0;
	return 1;
}

struct slot_walk {
	const char *scripts, *images;
	struct buf *out;
	char *err;
	size_t errlen;
};

static int refuse(struct slot_walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct slot_walk *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return 1;
}

static const struct el *slot_el(const char *name)
{
	for (size_t i = 0; i < sizeof slot_allowed / sizeof slot_allowed[0]; i++)
		if (strcmp(name, slot_allowed[i].name) == 0)
			return &slot_allowed[i];
	return NULL;
}

static int data_name_ok(const char *name)
{
	if (strncmp(name, "data-", 5) != 0 || !name[5] || strlen(name) > 60)
		return 0;
	for (const char *c = name + 5; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		      *c == '.'))
			return 0;
	return 1;
}

/* 0 when attribute name=v may stand on element e (written to out), else
 * the refusal. */
static int slot_attr(struct slot_walk *w, const struct el *e, const char *name, const char *v)
{
	const char *el = e->name;
	char origin[320];
	if ((name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N'))
		return refuse(w, "the attribute %s on <%s> is not allowed: no event handlers", name, el);
	if (strcmp(name, "style") == 0)
		return refuse(w, "the attribute style on <%s> is not allowed: the site's policy "
				 "forbids inline styles (use a class)", el);
	int data = (e->flags & SL_DATA) && data_name_ok(name);
	if (!data && !in_list(e->attrs, name) && !in_list(GLOBAL_ATTRS, name))
		return refuse(w, "the attribute %s on <%s> is not allowed", name, el);
	if (strcmp(el, "script") == 0 && strcmp(name, "src") == 0) {
		if (sanitize_origin(v, origin, sizeof origin, NULL) < 0)
			return refuse(w, "the src of <script> must be an http or https address: %s", v);
		if (!origin_listed(w->scripts, origin))
			return refuse(w, "the src of <script> is not from a declared script origin: "
					 "declare %s for scripts first", origin);
	} else if (strcmp(el, "img") == 0 && strcmp(name, "src") == 0) {
		if (!site_path_ok(v) && (sanitize_origin(v, origin, sizeof origin, NULL) < 0 ||
					 !origin_listed(w->images, origin)))
			return refuse(w, "the src of <img> must be a path on this site or an address "
					 "from a declared image origin: %s", v);
	} else if (strcmp(name, "href") == 0) {
		if (!site_path_ok(v) && sanitize_origin(v, origin, sizeof origin, NULL) < 0)
			return refuse(w, "the href of <a> must be an http or https address or a path "
					 "on this site: %s", v);
	} else if (strcmp(name, "target") == 0 && strcmp(v, "_blank") != 0) {
		return refuse(w, "the target of <a> may only be _blank");
	} else if (strcmp(name, "loading") == 0 && strcmp(v, "lazy") != 0 && strcmp(v, "eager") != 0) {
		return refuse(w, "the loading of <img> must be lazy or eager");
	} else if (!attr_value_ok(name, v)) {
		return refuse(w, "the value of %s on <%s> is not allowed: %s", name, el, v);
	}
	if (strcmp(name, "async") == 0 || strcmp(name, "defer") == 0) {
		buf_printf(w->out, " %s", name);
		return 0;
	}
	buf_printf(w->out, " %s=\"", name);
	html_attr(w->out, v);
	buf_putc(w->out, '"');
	return 0;
}

static int slot_attrs(struct slot_walk *w, xmlNodePtr n, const struct el *e)
{
	int rc = 0, src = 0;
	for (xmlAttrPtr a = n->properties; a && !rc; a = a->next) {
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		src |= strcmp((const char *)a->name, "src") == 0;
		rc = a->ns ? refuse(w, "the attribute %s:%s on <%s> is not allowed", a->ns->prefix ?
				    (const char *)a->ns->prefix : "", (const char *)a->name, e->name)
			   : slot_attr(w, e, (const char *)a->name, v ? (const char *)v : "");
		xmlFree(v);
	}
	if (!rc && !src && (strcmp(e->name, "script") == 0 || strcmp(e->name, "img") == 0))
		return refuse(w, "<%s> needs a src", e->name);
	return rc;
}

/* A script's content must be nothing but blanks: no inline code. */
static int script_empty(xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type != XML_COMMENT_NODE &&
		    ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) ||
		     !blank((const char *)c->content)))
			return 0;
	return 1;
}

static int slot_emit(struct slot_walk *w, xmlNodePtr n, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_text(w->out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue; /* comments, processing instructions: left out */
		if (depth >= SANITIZE_DEPTH_MAX)
			return refuse(w, "the HTML is nested too deeply");
		const char *name = (const char *)n->name;
		const struct el *e = slot_el(name);
		if (!e)
			return refuse(w, "the element <%s> is not allowed", name);
		int script = strcmp(name, "script") == 0;
		if (script && !script_empty(n))
			return refuse(w, "inline script is not allowed: a <script> takes a src from a "
					 "declared origin and nothing between its tags");
		buf_printf(w->out, "<%s", name);
		if (slot_attrs(w, n, e))
			return 1;
		buf_putc(w->out, '>');
		if (e->flags & EL_VOID)
			continue;
		if (!script && slot_emit(w, n->children, depth + 1))
			return 1;
		buf_printf(w->out, "</%s>", name);
	}
	return 0;
}

int sanitize_slot(const char *html, size_t n, const char *script_origins, const char *img_origins,
		  struct buf *out, char *err, size_t errlen)
{
	xmlDocPtr doc;
	struct slot_walk w = { script_origins, img_origins, out, err, errlen };
	if (errlen)
		err[0] = '\0';
	if (parse(html, n, &doc))
		return -1;
	if (!doc)
		return 0;
	/* what the parser moved into <head> comes first, judged the same way */
	int rc = 0;
	xmlNodePtr root = xmlDocGetRootElement(doc), body = body_of(doc);
	for (xmlNodePtr c = root ? root->children : NULL; !rc && c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "head") == 0)
			rc = slot_emit(&w, c->children, 0);
	if (!rc && body)
		rc = slot_emit(&w, body->children, 0);
	xmlFreeDoc(doc);
	return rc ? 1 : out->err ? -1 : 0;
}
