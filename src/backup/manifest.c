/*
 * manifest: parsing and writing a backup's MANIFEST (see manifest.h).
 * A line-by-line parser with no state beyond the previous path: each
 * line is checked whole before it is kept.
 */
#include "manifest.h"
#include "../util/buf.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tops[] = { "theme/", "media/", "media-originals/" };

static int component_ok(const char *s, size_t n)
{
	return n > 0 && s[0] != '.';
}

int manifest_path_ok(const char *path, size_t len)
{
	if (len == 0 || len > MANIFEST_PATH_MAX || !utf8_valid(path, len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			return 0;
	}
	if ((len == 10 && !memcmp(path, "gazette.db", 10)) ||
	    (len == 12 && !memcmp(path, "gazette.conf", 12)))
		return 1;
	size_t top = 0;
	for (size_t i = 0; i < sizeof tops / sizeof tops[0] && !top; i++) {
		size_t n = strlen(tops[i]);
		if (len > n && !memcmp(path, tops[i], n))
			top = n;
	}
	if (!top)
		return 0;
	for (size_t at = top; at <= len;) {
		const char *slash = memchr(path + at, '/', len - at);
		size_t end = slash ? (size_t)(slash - path) : len;
		if (!component_ok(path + at, end - at))
			return 0;
		at = end + 1;
	}
	return 1;
}

/* "SIZE SUM PATH" (without the newline) into e. */
static int parse_line(struct pool *p, const char *s, size_t n, struct manifest_entry *e,
		      const char **why)
{
	const char *sp = memchr(s, ' ', n);
	if (!sp || sp == s || sp - s > 16) {
		*why = "expected SIZE SHA256 PATH";
		return -1;
	}
	char num[17];
	memcpy(num, s, (size_t)(sp - s));
	num[sp - s] = '\0';
	if ((num[0] == '0' && num[1]) || num_parse_i64(num, 0, MANIFEST_SIZE_MAX, &e->size)) {
		*why = "bad size";
		return -1;
	}
	const char *h = sp + 1;
	size_t rest = n - (size_t)(h - s);
	if (rest < 2 * MANIFEST_SUM_BYTES + 2 || h[2 * MANIFEST_SUM_BYTES] != ' ') {
		*why = "expected a SHA-256 sum of 64 hex digits";
		return -1;
	}
	for (int i = 0; i < MANIFEST_SUM_BYTES; i++) {
		int hi = num_hex_digit(h[2 * i]), lo = num_hex_digit(h[2 * i + 1]);
		if (hi < 0 || lo < 0 || (h[2 * i] >= 'A' && h[2 * i] <= 'F') ||
		    (h[2 * i + 1] >= 'A' && h[2 * i + 1] <= 'F')) {
			*why = "expected a SHA-256 sum of 64 lower-case hex digits";
			return -1;
		}
		e->sum[i] = (unsigned char)(hi << 4 | lo);
	}
	const char *path = h + 2 * MANIFEST_SUM_BYTES + 1;
	size_t plen = n - (size_t)(path - s);
	if (!manifest_path_ok(path, plen)) {
		/* the name, printable, for the message */
		char *shown = pool_strndup(p, path, plen < 200 ? plen : 200);
		for (char *c = shown; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		*why = pool_printf(p, "%s: not a path inside the site's folders", shown);
		return -1;
	}
	e->path = pool_strndup(p, path, plen);
	return 0;
}

int manifest_parse(struct pool *p, const char *text, size_t len, struct manifest *out,
		   char *err, size_t errlen)
{
	out->e = NULL;
	out->n = 0;
	size_t hl = strlen(MANIFEST_HEADER);
	if (len < hl + 1 || memcmp(text, MANIFEST_HEADER, hl) || text[hl] != '\n') {
		snprintf(err, errlen, "line 1: not a Gazette backup manifest (\"" MANIFEST_HEADER "\")");
		return -1;
	}
	if (text[len - 1] != '\n') {
		snprintf(err, errlen, "the last line is cut short");
		return -1;
	}
	size_t lines = 0;
	for (size_t i = hl + 1; i < len; i++)
		lines += text[i] == '\n';
	out->e = pool_alloc(p, (lines ? lines : 1) * sizeof *out->e);
	int has_db = 0;
	size_t lineno = 1;
	for (size_t at = hl + 1; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (size_t)(nl - (text + at));
		struct manifest_entry *e = &out->e[out->n];
		const char *why = NULL;
		lineno++;
		if (parse_line(p, text + at, n, e, &why) == 0 && out->n > 0 &&
		    strcmp(out->e[out->n - 1].path, e->path) >= 0)
			why = "paths out of order or repeated";
		if (why) {
			snprintf(err, errlen, "line %zu: %s", lineno, why);
			return -1;
		}
		has_db |= !strcmp(e->path, "gazette.db");
		out->n++;
		at += n + 1;
	}
	if (!has_db) {
		snprintf(err, errlen, "no gazette.db in the manifest");
		return -1;
	}
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path,
		      ((const struct manifest_entry *)b)->path);
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *path)
{
	struct manifest_entry key = { .path = path };
	return m->n ? bsearch(&key, m->e, m->n, sizeof *m->e, by_path) : NULL;
}

void manifest_sort(struct manifest *m)
{
	if (m->n)
		qsort(m->e, m->n, sizeof *m->e, by_path);
}

void manifest_write(const struct manifest *m, struct buf *b)
{
	static const char hex[] = "0123456789abcdef";
	buf_puts(b, MANIFEST_HEADER "\n");
	for (size_t i = 0; i < m->n; i++) {
		char sum[2 * MANIFEST_SUM_BYTES + 1];
		for (int j = 0; j < MANIFEST_SUM_BYTES; j++) {
			sum[2 * j] = hex[m->e[i].sum[j] >> 4];
			sum[2 * j + 1] = hex[m->e[i].sum[j] & 15];
		}
		sum[2 * MANIFEST_SUM_BYTES] = '\0';
		buf_printf(b, "%lld %s %s\n", m->e[i].size, sum, m->e[i].path);
	}
}
