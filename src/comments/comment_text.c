/*
 * comment_text: turns a reader's plain-text comment into a few safe HTML
 * elements: paragraphs, line breaks and links.
 *
 * Design decision: no markup language at all. Readers' comments are not run
 * through Markdown or a sanitizer; the only tags in the output are the ones
 * this file writes itself (<p>, <br>, <a>), and every byte of the reader's
 * text goes through html_textn or html_attr. Work is done line by line in a
 * single pass, so a megabyte-sized comment costs linear time.
 */
#include "comment_text.h"
#include "../util/pool.h"

#include <string.h>
#include <strings.h>

#include "../render/escape.h"
#include "../util/str.h"

static int is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Where a URL stops outright: whitespace, controls and HTML syntax. */
static int ends_url(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"';
}

static int is_trailing_punct(char c)
{
	return c && strchr(".,;:!?)]'", c) != NULL;
}

/* Length of the scheme or "www." prefix starting at s[0..n); 0 if none.
 * *www is set when the href needs "http://" in front. */
static size_t url_prefix(const char *s, size_t n, int *www)
{
	*www = 0;
	if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		return 7;
	if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		return 8;
	if (n >= 4 && strncasecmp(s, "www.", 4) == 0) {
		*www = 1;
		return 4;
	}
	return 0;
}

/* Drop trailing punctuation from s[0..n), keeping a ')' that closes a '('
 * inside the URL (Wikipedia's "Foo_(bar)"). */
static size_t trim_trailing(const char *s, size_t n)
{
	size_t open = 0, close = 0;

	for (size_t i = 0; i < n; i++) {
		open += s[i] == '(';
		close += s[i] == ')';
	}
	while (n > 0 && is_trailing_punct(s[n - 1])) {
		if (s[n - 1] == ')') {
			if (close <= open)
				break;
			close--;
		}
		n--;
	}
	return n;
}

/* The host must start with a letter or digit; after "www." it must also
 * have a further dot, so "www.example" alone is left as text. */
static int host_ok(const char *h, size_t n, int www)
{
	size_t hlen = 0;

	while (hlen < n && h[hlen] != '/' && h[hlen] != '?' && h[hlen] != '#')
		hlen++;
	if (hlen == 0 || !str_is_alnum(h[0]))
		return 0;
	if (!www)
		return 1;
	const char *dot = memchr(h, '.', hlen);
	return dot && dot + 1 < h + hlen && str_is_alnum(dot[1]);
}

/* Length of the link starting at s[i] of a line s[0..n), 0 if none. A link
 * may not start inside a word, a domain or an address ("user@www.x.org").
 * *skip is where scanning may go on: past the whole token when it looked
 * like a URL but was refused, so "http://:http://:..." stays linear. */
static size_t url_at(const char *s, size_t n, size_t i, int *www,
		     size_t *skip)
{
	size_t pre, end;

	*skip = i + 1;
	if (i > 0 && (str_is_alnum(s[i - 1]) ||
		      strchr("@.-_/", s[i - 1])))
		return 0;
	pre = url_prefix(s + i, n - i, www);
	if (pre == 0)
		return 0;
	end = i + pre;
	while (end < n && !ends_url((unsigned char)s[end]))
		end++;
	*skip = end;
	end = i + trim_trailing(s + i, end - i);
	if (end <= i + pre || !host_ok(s + i + pre, end - i - pre, *www))
		return 0;
	return end - i;
}

static void emit_link(struct buf *out, struct buf *href, const char *s,
		      size_t n, int www)
{
	buf_reset(href);
	if (www)
		buf_puts(href, "http://");
	buf_add(href, s, n);
	buf_puts(out, "<a href=\"");
	html_attr(out, buf_str(href));
	buf_puts(out, "\" rel=\"nofollow ugc\">");
	html_textn(out, s, n);
	buf_puts(out, "</a>");
}

/* One line's text, escaped, with its URLs linked. */
static void emit_line(struct buf *out, struct buf *href, const char *s,
		      size_t n)
{
	size_t plain = 0, i = 0;

	while (i < n) {
		int www;
		size_t skip;
		size_t len = url_at(s, n, i, &www, &skip);
		if (len == 0) {
			i = skip;
			continue;
		}
		html_textn(out, s + plain, i - plain);
		emit_link(out, href, s + i, len, www);
		i += len;
		plain = i;
	}
	html_textn(out, s + plain, n - plain);
}

static int line_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_blank_char(s[i]))
			return 0;
	return 1;
}

/* Start of the line after the one ending at s[e] (CRLF, CR or LF). */
static size_t next_line(const char *s, size_t e)
{
	if (s[e] == '\r' && s[e + 1] == '\n')
		return e + 2;
	return s[e] ? e + 1 : e;
}

void comment_text_html(struct buf *out, const char *text)
{
	struct buf href;
	int in_para = 0;
	size_t i = 0;

	if (!text)
		return;
	buf_init(&href, 0);
	while (text[i]) {
		size_t n = strcspn(text + i, "\r\n");
		if (line_is_blank(text + i, n)) {
			if (in_para)
				buf_puts(out, "</p>\n");
			in_para = 0;
		} else {
			buf_puts(out, in_para ? "<br>\n" : "<p>");
			in_para = 1;
			emit_line(out, &href, text + i, n);
		}
		i = next_line(text, i + n);
	}
	if (in_para)
		buf_puts(out, "</p>\n");
	buf_release(&href);
}

const char *comment_text_html_str(struct pool *p, const char *text)
{
	struct buf b;
	buf_init(&b, 0);
	comment_text_html(&b, text);
	const char *html = b.err ? NULL : pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return html;
}
