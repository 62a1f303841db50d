/*
 * escape: context-named escaping. One table-free switch per context keeps
 * each rule readable; all of them append to a buf and never fail silently
 * (the buf's sticky error covers allocation).
 */
#include "escape.h"
#include "../util/str.h"

#include <string.h>
#include <strings.h>

void html_textn(struct buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

/* The same for a C string, found with strcspn (which compares 16 bytes at a
 * time): most text has nothing to escape. */
void html_text(struct buf *b, const char *s)
{
	while (s && *s) {
		size_t k = strcspn(s, "&<>\"'");
		buf_add(b, s, k);
		if (!s[k])
			break;
		html_textn(b, s + k, 1);
		s += k + 1;
	}
}

void html_attr(struct buf *b, const char *s)
{
	html_text(b, s);
}

void html_raw(struct buf *b, const char *s)
{
	if (s)
		buf_puts(b, s);
}

static int unreserved(unsigned char c)
{
	return str_is_alnum((char)c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void pct(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[3] = { '%', hex[c >> 4], hex[c & 15] };
	buf_add(b, t, 3);
}

size_t url_plain_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p && unreserved(*p))
		p++;
	return s ? (size_t)((const char *)p - s) : 0;
}

void url_path(struct buf *b, const char *s)
{
	while (s && *s) { /* runs of unreserved bytes copied at once */
		size_t n = url_plain_len(s);
		buf_add(b, s, n);
		if (!s[n])
			break;
		pct(b, (unsigned char)s[n]);
		s += n + 1;
	}
}

void url_query(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (unreserved(*p))
			buf_putc(b, (char)*p);
		else if (*p == ' ')
			buf_putc(b, '+');
		else
			pct(b, *p);
	}
}

void json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	/* 1 for the bytes that need an escape: controls, " \\ < > & */
	static const unsigned char special[256] = {
		[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1,
	};
	buf_putc(b, '"');
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (; p && *p; p++) {
		if (!special[*p])
			continue; /* part of the run copied as it is */
		const char *rep;
		switch (*p) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		case '<': rep = "\\u003c"; break;
		case '>': rep = "\\u003e"; break;
		case '&': rep = "\\u0026"; break;
		default: rep = NULL;
		}
		buf_add(b, run, (size_t)(p - run));
		if (rep) {
			buf_puts(b, rep);
		} else {
			char u[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
			buf_puts(b, u);
		}
		run = p + 1;
	}
	if (run)
		buf_add(b, run, (size_t)(p - run));
	buf_putc(b, '"');
}

size_t xml_unfit_len(const unsigned char *p)
{
	if (*p < 0x20)
		return *p == '\n' || *p == '\r' || *p == '\t' ? 0 : 1;
	if (*p < 0x7f)
		return 0;
	if (*p == 0x7f)
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1 */
		return 2;
	if (p[0] == 0xef && p[1] == 0xb7 && p[2] >= 0x90 && p[2] <= 0xaf) /* U+FDD0-FDEF */
		return 3;
	if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) /* U+FFFE, FFFF */
		return 3;
	if (p[0] >= 0xf0 && p[0] <= 0xf4 && p[1] && (p[1] & 0x0f) == 0x0f && p[2] == 0xbf &&
	    (p[3] == 0xbe || p[3] == 0xbf)) /* U+nFFFE, U+nFFFF */
		return 4;
	return 0;
}

void xml_text(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		default: {
			size_t n = *p < 0x20 || *p >= 0x7f ? xml_unfit_len(p) : 0;
			if (n) {
				p += n - 1;
				continue;
			}
			buf_putc(b, (char)*p);
		}
		}
	}
}

int url_is_http(const char *url)
{
	if (!url)
		return 0;
	size_t skip = 0;
	if (strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else
		return 0;
	const char *host = url + skip;
	if (!*host || *host == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>' ||
		    *p == '"' || *p == '\'' || *p == '`' || *p == '\\')
			return 0;
	return 1;
}
