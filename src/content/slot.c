/*
 * slot: slot names, declared origins and the in-article position (see
 * slot.h). The HTML itself is judged by sanitize_slot (sanitize.c), on
 * the same parser as every other HTML from elsewhere.
 */
#include "slot.h"
#include "sanitize.h"
#include "../util/num.h"

#include <string.h>

const char *const slot_names[SLOT__MAX] = { "top", "in-article", "sidebar", "footer" };
const char *const slot_keys[SLOT__MAX] = { "slot_top", "slot_in_article", "slot_sidebar",
					   "slot_footer" };
const char *const slot_tpl_keys[SLOT__MAX] = { "top", "in_article", "sidebar", "footer" };
const char *const slot_use_names[4] = { "script", "image", "connect", "frame" };

int slot_paragraph(const char *setting)
{
	unsigned long long n;
	if (!setting || num_parse_u64(setting, SLOT_PARAGRAPH_MAX, &n) || n == 0)
		return SLOT_PARAGRAPH_DEFAULT;
	return (int)n;
}

int slot_origin_parse(const char *in, char *out, size_t cap, const char **msg)
{
	static const char bad[] = "An origin is a scheme, a host and maybe a port, such as "
				  "https://ads.example.com or http://127.0.0.1:8080: no path, "
				  "query or user name.";
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' || in[n - 1] == '\n'))
		n--;
	if (n && in[n - 1] == '/') /* "https://a.example/" is the same origin */
		n--;
	char typed[SLOT_ORIGIN_MAX + 1];
	const char *rest;
	if (n == 0 || n > SLOT_ORIGIN_MAX) {
		*msg = n ? "The origin is too long: the limit is 255 bytes." : bad;
		return -1;
	}
	memcpy(typed, in, n);
	typed[n] = '\0';
	if (sanitize_origin(typed, out, cap, &rest) < 0 || *rest) {
		*msg = bad;
		return -1;
	}
	if (strchr(out, '[')) { /* a CSP host-source has no form for one */
		*msg = "An IPv6 address cannot be declared (the Content-Security-Policy has no "
		       "way to name one): use a host name.";
		return -1;
	}
	return 0;
}

static int is_void(const char *name, size_t n)
{
	static const char *const v[] = { "area", "base", "br", "col", "embed", "hr", "img",
					 "input", "link", "meta", "source", "track", "wbr" };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (strlen(v[i]) == n && strncmp(v[i], name, n) == 0)
			return 1;
	return 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* The end of the tag whose '<' is at s[i]: just past its '>' (quoted
 * attribute values skipped), or len. */
static size_t tag_end(const char *s, size_t len, size_t i)
{
	char quote = 0;
	for (; i < len; i++) {
		if (quote) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		}
	}
	return len;
}

size_t slot_paragraph_end(const char *s, size_t len, int n)
{
	long depth = 0;
	int seen = 0;
	size_t i = 0;
	while (i < len) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = memmem(s + i + 4, len - i - 4, "-->", 3);
			i = e ? (size_t)(e - s) + 3 : len;
			continue;
		}
		int closing = i + 1 < len && s[i + 1] == '/';
		size_t a = i + 1 + (size_t)closing, b = a;
		while (b < len && name_char(s[b]))
			b++;
		size_t end = tag_end(s, len, i);
		if (b == a) { /* not a tag: "<" that is text, "<!doctype", "<?" */
			i = b > i + 1 ? b : i + 1;
			if (i < len && (s[i] == '!' || s[i] == '?'))
				i = end;
			continue;
		}
		int self_closing = end >= 2 && end - 2 >= i && s[end - 2] == '/';
		if (closing) {
			depth = depth > 0 ? depth - 1 : 0;
			if (depth == 0 && b - a == 1 && (s[a] == 'p' || s[a] == 'P') && ++seen >= n)
				return end;
		} else if (!is_void(s + a, b - a) && !self_closing) {
			depth++;
		}
		i = end;
	}
	return len;
}

void slot_insert(struct buf *out, const char *body, const char *slot, int n)
{
	size_t len = strlen(body), at = slot_paragraph_end(body, len, n);
	buf_add(out, body, at);
	buf_puts(out, "\n<div class=\"slot slot-in-article\">");
	buf_puts(out, slot);
	buf_puts(out, "</div>\n");
	buf_add(out, body + at, len - at);
}
