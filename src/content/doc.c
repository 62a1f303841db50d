/*
 * doc: header-and-body text files (see doc.h).
 */
#include "doc.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *trimmed(struct pool *p, const char *s, size_t n)
{
	str_trim(&s, &n, str_is_xml_space);
	return pool_strndup(p, s, n);
}

int doc_parse(struct pool *p, const char *text, struct doc *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *line = text;
	for (int lineno = 1; *line; lineno++) {
		const char *nl = strchrnul(line, '\n');
		size_t len = (size_t)(nl - line);
		if (len && line[len - 1] == '\r')
			len--;
		if (len == 3 && memcmp(line, "---", 3) == 0) {
			out->body = pool_strdup(p, *nl ? nl + 1 : nl);
			return 0;
		}
		const char *colon = memchr(line, ':', len);
		if (!colon || colon == line) {
			snprintf(err, errlen, "line %d: expected \"key: value\" or ---", lineno);
			return -1;
		}
		const char *key = trimmed(p, line, (size_t)(colon - line));
		if (doc_get(out, key) || out->n == DOC_MAX_KEYS) {
			snprintf(err, errlen, "line %d: repeated or too many keys (%s)", lineno, key);
			return -1;
		}
		out->key[out->n] = key;
		out->val[out->n++] = trimmed(p, colon + 1, len - (size_t)(colon + 1 - line));
		line = *nl ? nl + 1 : nl;
	}
	snprintf(err, errlen, "no --- line before the body");
	return -1;
}

const char *doc_get(const struct doc *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->key[i], key) == 0)
			return d->val[i];
	return NULL;
}

long long doc_time(const char *iso)
{
	struct tm tm = { 0 };
	const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || *end)
		return -1;
	return (long long)timegm(&tm);
}
