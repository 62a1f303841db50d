/*
 * wpautop: a port of WordPress' wpautop() (see wpautop.h).
 *
 * The one design decision: follow the PHP function step by step, one small
 * C function per preg_replace, each a scan of the whole text into a second
 * buffer, instead of inventing a "better" paragraph finder. Odd results of
 * the original (a <br /> after a comment, a <p> closed inside a <div>) are
 * what the site's readers saw, so they are reproduced, not fixed. Each
 * step names the regular expression it stands for.
 */
#include "wpautop.h"
#include "../util/str.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WPAUTOP_MAX (64u << 20)

static const char *const allblocks[] = {
	"table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th",
	"div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area",
	"blockquote", "address", "math", "style", "p", "h1", "h2", "h3", "h4", "h5",
	"h6", "hr", "fieldset", "legend", "section", "article", "aside", "hgroup", "header",
	"footer", "nav", "figure", "figcaption", "details", "menu", "summary", NULL,
};

static const char *const brblocks[] = {
	"p", "li", "div", "dl", "dd", "dt", "th", "pre", "td", "ul", "ol", NULL,
};

static size_t skip_ws(const char *s, size_t i)
{
	while (s[i] && str_is_space(s[i]))
		i++;
	return i;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "<" ALLBLOCKS "[\s/>]" at s (s at '<'). */
static int block_open_at(const char *s)
{
	if (s[0] != '<')
		return 0;
	for (int i = 0; allblocks[i]; i++) {
		size_t n = strlen(allblocks[i]);
		if (strncmp(s + 1, allblocks[i], n) == 0 &&
		    (str_is_space(s[1 + n]) || s[1 + n] == '/' || s[1 + n] == '>'))
			return 1;
	}
	return 0;
}

/* "</" ALLBLOCKS ">" at s: its length, else 0. */
static size_t block_close_at(const char *s)
{
	if (s[0] != '<' || s[1] != '/')
		return 0;
	for (int i = 0; allblocks[i]; i++) {
		size_t n = strlen(allblocks[i]);
		if (strncmp(s + 2, allblocks[i], n) == 0 && s[2 + n] == '>')
			return n + 3;
	}
	return 0;
}

/* "</?" NAMES "[^>]*>" at s (names matched as prefixes, as the regex
 * does): the tag's length, else 0. */
static size_t tag_at(const char *s, const char *const *names)
{
	if (s[0] != '<')
		return 0;
	size_t i = s[1] == '/' ? 2 : 1;
	int hit = 0;
	for (int k = 0; names[k] && !hit; k++)
		hit = starts(s + i, names[k]);
	if (!hit)
		return 0;
	const char *gt = strchr(s + i, '>');
	return gt ? (size_t)(gt - s) + 1 : 0;
}

/* "<br\s*\/?>" at s: its length, else 0. */
static size_t br_at(const char *s)
{
	if (!starts(s, "<br"))
		return 0;
	size_t i = skip_ws(s, 3);
	if (s[i] == '/')
		i++;
	return s[i] == '>' ? i + 1 : 0;
}

/* |<br\s*\/?>\s*<br\s*\/?>| -> "\n\n" */
static void step_double_br(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		size_t a = br_at(s + i);
		if (a) {
			size_t j = skip_ws(s, i + a);
			size_t b = br_at(s + j);
			if (b) {
				buf_puts(o, "\n\n");
				i = j + b;
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* !(<ALLBLOCKS[\s/>])! -> "\n\n$1", !(</ALLBLOCKS>)! -> "$1\n\n",
 * !(<hr\s*?\/?>)! -> "$1\n\n" */
static void step_block_breaks(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (block_open_at(s + i))
			buf_puts(o, "\n\n");
		size_t n = block_close_at(s + i);
		if (n) {
			buf_add(o, s + i, n);
			buf_puts(o, "\n\n");
			i += n;
			continue;
		}
		buf_putc(o, s[i++]);
	}
}

static void step_hr(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<hr")) {
			size_t j = skip_ws(s, i + 3);
			if (s[j] == '/')
				j++;
			if (s[j] == '>') {
				buf_add(o, s + i, j + 1 - i);
				buf_puts(o, "\n\n");
				i = j + 1;
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* str_replace(["\r\n", "\r"], "\n") */
static void step_newlines(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\r') {
			buf_putc(o, '\n');
			if (s[i + 1] == '\n')
				i++;
		} else
			buf_putc(o, s[i]);
	}
}

/* wp_replace_in_html_tags($text, ["\n" => " <!-- wpnl --> "]): newlines
 * inside tags, comments and CDATA (as wp_html_split cuts them) are kept
 * out of the paragraph logic. */
static void step_tag_newlines(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (s[i] != '<') {
			buf_putc(o, s[i++]);
			continue;
		}
		const char *end;
		if (starts(s + i, "<!--")) {
			end = strstr(s + i + 4, "-->");
			end = end ? end + 3 : s + strlen(s);
		} else if (starts(s + i, "<![CDATA[")) {
			end = strstr(s + i + 9, "]]>");
			end = end ? end + 3 : s + strlen(s);
		} else {
			end = strchr(s + i + 1, '>');
			end = end ? end + 1 : s + strlen(s);
		}
		for (; s + i < end; i++) {
			if (s[i] == '\n')
				buf_puts(o, " <!-- wpnl --> ");
			else
				buf_putc(o, s[i]);
		}
	}
}

/* The collapses around <option>, <object>, <source>/<track> and
 * <figcaption>: white space next to these tags is removed so it does not
 * become paragraphs. mode says which side(s). */
enum { WS_BEFORE = 1, WS_AFTER = 2 };

static void collapse_around(const char *s, struct buf *o, const char *tag, int mode)
{
	size_t tl = strlen(tag);
	for (size_t i = 0; s[i];) {
		size_t j = mode & WS_BEFORE ? skip_ws(s, i) : i;
		if (strncmp(s + j, tag, tl) == 0) {
			const char *gt = tag[tl - 1] == '>' ? s + j + tl - 1 : strchr(s + j + tl, '>');
			if (gt) {
				buf_add(o, s + j, (size_t)(gt + 1 - (s + j)));
				i = (size_t)(gt + 1 - s);
				if (mode & WS_AFTER)
					i = skip_ws(s, i);
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

static void swap(struct buf *a, struct buf *b)
{
	struct buf t = *a;
	*a = *b;
	*b = t;
	buf_reset(b);
}

#define STEP(fn) \
	do { \
		fn(a->s ? a->s : "", b); \
		swap(a, b); \
	} while (0)
#define AROUND(tag, mode) \
	do { \
		collapse_around(a->s ? a->s : "", b, tag, mode); \
		swap(a, b); \
	} while (0)

static void collapse_special(struct buf *a, struct buf *b)
{
	if (strstr(a->s, "<option")) {
		AROUND("<option", WS_BEFORE);
		AROUND("</option>", WS_AFTER);
	}
	if (strstr(a->s, "</object>")) {
		AROUND("<object", WS_AFTER);
		AROUND("</object>", WS_BEFORE);
		AROUND("<param", WS_BEFORE | WS_AFTER);
		AROUND("<embed", WS_BEFORE | WS_AFTER);
		AROUND("</embed>", WS_BEFORE | WS_AFTER);
	}
	if (strstr(a->s, "<source") || strstr(a->s, "<track")) {
		AROUND("<audio", WS_AFTER);
		AROUND("<video", WS_AFTER);
		AROUND("[audio", WS_AFTER);
		AROUND("[video", WS_AFTER);
		AROUND("</audio>", WS_BEFORE);
		AROUND("</video>", WS_BEFORE);
		AROUND("<source", WS_BEFORE | WS_AFTER);
		AROUND("<track", WS_BEFORE | WS_AFTER);
	}
	if (strstr(a->s, "<figcaption")) {
		AROUND("<figcaption", WS_BEFORE);
		AROUND("</figcaption>", WS_AFTER);
	}
}

/* /\n\n+/ -> "\n\n", then preg_split('/\n\s*\n/', NO_EMPTY) and each
 * piece becomes "<p>" . trim(piece, "\n") . "</p>\n". */
static void step_paragraphs(const char *s, struct buf *o)
{
	size_t i = 0, n = strlen(s);
	while (i < n) {
		/* the next separator: \n \s* \n, as early as possible */
		size_t end = n, next = n;
		for (size_t k = i; k < n; k++) {
			if (s[k] != '\n')
				continue;
			size_t j = k + 1;
			size_t lastnl = 0;
			for (size_t m = j; m < n && str_is_space(s[m]); m++)
				if (s[m] == '\n')
					lastnl = m;
			if (lastnl) {
				end = k;
				next = lastnl + 1;
				break;
			}
		}
		size_t a = i, b = end;
		if (b > a) {
			while (a < b && s[a] == '\n')
				a++;
			while (b > a && s[b - 1] == '\n')
				b--;
			buf_puts(o, "<p>");
			buf_add(o, s + a, b - a);
			buf_puts(o, "</p>\n");
		}
		i = next;
	}
}

/* |<p>\s*</p>| -> "" */
static void step_empty_p(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<p>")) {
			size_t j = skip_ws(s, i + 3);
			if (starts(s + j, "</p>")) {
				i = j + 4;
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* !<p>([^<]+)</(div|address|form)>! -> "<p>$1</p></$2>" */
static void step_close_p_in_div(const char *s, struct buf *o)
{
	static const char *const ends[] = { "</div>", "</address>", "</form>" };
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<p>") && s[i + 3] && s[i + 3] != '<') {
			size_t j = i + 3;
			while (s[j] && s[j] != '<')
				j++;
			for (int k = 0; k < 3; k++)
				if (starts(s + j, ends[k])) {
					buf_add(o, s + i, j - i);
					buf_puts(o, "</p>");
					buf_puts(o, ends[k]);
					i = j + strlen(ends[k]);
					goto next;
				}
		}
		buf_putc(o, s[i++]);
	next:;
	}
}

/* !<p>\s*(</?ALLBLOCKS[^>]*>)\s*</p>! -> "$1" */
static void step_unwrap_block(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<p>")) {
			size_t j = skip_ws(s, i + 3);
			size_t t = tag_at(s + j, allblocks);
			if (t) {
				size_t k = skip_ws(s, j + t);
				if (starts(s + k, "</p>")) {
					buf_add(o, s + j, t);
					i = k + 4;
					continue;
				}
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* |<p>(<li.+?)</p>| -> "$1" */
static void step_li(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<p><li")) {
			size_t j = i + 6;
			if (s[j] && s[j] != '\n') {
				const char *e = strstr(s + j + 1, "</p>");
				const char *nl = strchr(s + j, '\n');
				if (e && (!nl || nl > e)) {
					buf_add(o, s + i + 3, (size_t)(e - (s + i + 3)));
					i = (size_t)(e - s) + 4;
					continue;
				}
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* |<p><blockquote([^>]*)>|i -> "<blockquote$1><p>", and
 * "</blockquote></p>" -> "</p></blockquote>" */
static void step_blockquote(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (strncasecmp(s + i, "<p><blockquote", 14) == 0) {
			const char *gt = strchr(s + i + 14, '>');
			if (gt) {
				buf_puts(o, "<blockquote");
				buf_add(o, s + i + 14, (size_t)(gt - (s + i + 14)));
				buf_puts(o, "><p>");
				i = (size_t)(gt - s) + 1;
				continue;
			}
		}
		if (starts(s + i, "</blockquote></p>")) {
			buf_puts(o, "</p></blockquote>");
			i += 17;
			continue;
		}
		buf_putc(o, s[i++]);
	}
}

/* !<p>\s*(</?ALLBLOCKS[^>]*>)! -> "$1" */
static void step_p_before_block(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<p>")) {
			size_t j = skip_ws(s, i + 3);
			size_t t = tag_at(s + j, allblocks);
			if (t) {
				buf_add(o, s + j, t);
				i = j + t;
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* !(</?ALLBLOCKS[^>]*>)\s*</p>! -> "$1", and with after = "<br />":
 * !(</?ALLBLOCKS[^>]*>)\s*<br />! -> "$1" */
static void drop_after_block(const char *s, struct buf *o, const char *after)
{
	size_t al = strlen(after);
	for (size_t i = 0; s[i];) {
		size_t t = tag_at(s + i, allblocks);
		if (t) {
			size_t k = skip_ws(s, i + t);
			buf_add(o, s + i, t);
			i += t;
			if (strncmp(s + k, after, al) == 0)
				i = k + al;
			continue;
		}
		buf_putc(o, s[i++]);
	}
}

static void step_p_after_block(const char *s, struct buf *o) { drop_after_block(s, o, "</p>"); }
static void step_br_after_block(const char *s, struct buf *o) { drop_after_block(s, o, "<br />"); }

/* /<(script|style|svg|math).*?<\/\1>/s: newlines inside become
 * <WPPreserveNewline />; then <br> and <br/> become <br /> */
static void step_preserve(const char *s, struct buf *o)
{
	static const char *const raw[] = { "script", "style", "svg", "math" };
	for (size_t i = 0; s[i];) {
		if (s[i] == '<') {
			for (int k = 0; k < 4; k++) {
				size_t n = strlen(raw[k]);
				if (strncmp(s + i + 1, raw[k], n) != 0)
					continue;
				char close[16];
				snprintf(close, sizeof close, "</%s>", raw[k]);
				const char *e = strstr(s + i + 1 + n, close);
				if (!e)
					continue;
				e += strlen(close);
				for (; s + i < e; i++) {
					if (s[i] == '\n')
						buf_puts(o, "<WPPreserveNewline />");
					else
						buf_putc(o, s[i]);
				}
				goto next;
			}
		}
		if (starts(s + i, "<br>")) {
			buf_puts(o, "<br />");
			i += 4;
			continue;
		}
		if (starts(s + i, "<br/>")) {
			buf_puts(o, "<br />");
			i += 5;
			continue;
		}
		buf_putc(o, s[i++]);
	next:;
	}
}

/* |(?<!<br />)\s*\n| -> "<br />\n" (the lookbehind reads the input) */
static void step_br(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (str_is_space(s[i]) && !(i >= 6 && strncmp(s + i - 6, "<br />", 6) == 0)) {
			size_t j = i, last = 0;
			int found = 0;
			while (s[j] && str_is_space(s[j])) {
				if (s[j] == '\n')
					last = j, found = 1;
				j++;
			}
			if (found) {
				buf_puts(o, "<br />\n");
				i = last + 1;
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* !<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)! -> "$1" */
static void step_br_before_block(const char *s, struct buf *o)
{
	for (size_t i = 0; s[i];) {
		if (starts(s + i, "<br />")) {
			size_t j = skip_ws(s, i + 6);
			if (tag_at(s + j, brblocks)) {
				i += 6;
				continue;
			}
		}
		buf_putc(o, s[i++]);
	}
}

/* Replaces every occurrence of from with to. */
static void replace_all(const char *s, struct buf *o, const char *from, const char *to)
{
	size_t fl = strlen(from);
	for (const char *p; (p = strstr(s, from)); s = p + fl) {
		buf_add(o, s, (size_t)(p - s));
		buf_puts(o, to);
	}
	buf_puts(o, s);
}

#define REPLACE(from, to) \
	do { \
		replace_all(a->s ? a->s : "", b, from, to); \
		swap(a, b); \
	} while (0)

/* The <pre> blocks, cut out before and put back after. */
struct pres {
	struct buf saved[64];
	int n;
};

/* explode('</pre>') and placeholders, as wpautop does */
static void cut_pre(struct buf *a, struct buf *b, struct pres *pr)
{
	const char *s = a->s;
	for (const char *e; (e = strstr(s, "</pre>"));) {
		const char *start = strstr(s, "<pre");
		if (!start || start > e || pr->n == 64) {
			buf_add(b, s, (size_t)(e + 6 - s));
			s = e + 6;
			continue;
		}
		buf_add(b, s, (size_t)(start - s));
		buf_printf(b, "<pre wp-pre-tag-%d></pre>", pr->n);
		buf_init(&pr->saved[pr->n], WPAUTOP_MAX);
		buf_add(&pr->saved[pr->n], start, (size_t)(e + 6 - start));
		pr->n++;
		s = e + 6;
	}
	buf_puts(b, s);
	swap(a, b);
}

static void put_pre(struct buf *a, struct buf *b, struct pres *pr)
{
	for (int i = 0; i < pr->n; i++) {
		char key[40];
		snprintf(key, sizeof key, "<pre wp-pre-tag-%d></pre>", i);
		REPLACE(key, buf_str(&pr->saved[i]));
		buf_release(&pr->saved[i]);
	}
}

int wpautop(const char *text, struct buf *out)
{
	const char *t = text ? text : "";
	size_t k = 0;
	while (t[k] && (str_is_space(t[k]) || t[k] == '\0'))
		k++;
	if (!t[k])
		return 0;
	struct buf A, B, *a = &A, *b = &B;
	buf_init(a, WPAUTOP_MAX);
	buf_init(b, WPAUTOP_MAX);
	buf_puts(a, t);
	buf_putc(a, '\n');
	struct pres pr = { .n = 0 };
	if (strstr(a->s, "<pre"))
		cut_pre(a, b, &pr);
	STEP(step_double_br);
	STEP(step_block_breaks);
	STEP(step_hr);
	STEP(step_newlines);
	STEP(step_tag_newlines);
	collapse_special(a, b);
	STEP(step_paragraphs);
	STEP(step_empty_p);
	STEP(step_close_p_in_div);
	STEP(step_unwrap_block);
	STEP(step_li);
	STEP(step_blockquote);
	STEP(step_p_before_block);
	STEP(step_p_after_block);
	STEP(step_preserve);
	STEP(step_br);
	REPLACE("<WPPreserveNewline />", "\n");
	STEP(step_br_after_block);
	STEP(step_br_before_block);
	if (a->len >= 5 && strcmp(a->s + a->len - 5, "\n</p>") == 0) {
		a->s[a->len - 5] = '\0';
		a->len -= 5;
		buf_puts(a, "</p>");
	} else if (a->len >= 6 && strcmp(a->s + a->len - 6, "\n</p>\n") == 0) {
		a->len -= 6;
		a->s[a->len] = '\0';
		buf_puts(a, "</p>\n");
	}
	put_pre(a, b, &pr);
	REPLACE(" <!-- wpnl --> ", "\n");
	REPLACE("<!-- wpnl -->", "\n");
	int err = a->err || b->err;
	buf_add(out, buf_str(a), a->len);
	buf_release(a);
	buf_release(b);
	return err || out->err ? -1 : 0;
}

int wpautop_has_blocks(const char *content)
{
	return content && strstr(content, "<!-- wp:") != NULL;
}

void wpautop_strip_blocks(const char *s, struct buf *out)
{
	while (*s) {
		const char *c = strstr(s, "<!-- ");
		if (!c) {
			buf_puts(out, s);
			return;
		}
		const char *name = c + 5 + (c[5] == '/');
		const char *e = strstr(c, "-->");
		if (!starts(name, "wp:") || !e) {
			buf_add(out, s, (size_t)(c + 5 - s));
			s = c + 5;
			continue;
		}
		buf_add(out, s, (size_t)(c - s));
		s = e + 3;
	}
}
