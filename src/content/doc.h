/*
 * doc: the plain-text format of demo stories and comments: "key: value"
 * header lines, a line "---", then the body. Values are trimmed; a key may
 * appear once. Errors name the line.
 */
#ifndef GZ_DOC_H
#define GZ_DOC_H

#include <stddef.h>

struct pool;

#define DOC_MAX_KEYS 16

struct doc {
	const char *key[DOC_MAX_KEYS], *val[DOC_MAX_KEYS];
	size_t n;
	const char *body;
};

/* 0 ok; -1 with "line N: message" in err. */
int doc_parse(struct pool *p, const char *text, struct doc *out, char *err, size_t errlen);
/* The value of key, or NULL. */
const char *doc_get(const struct doc *d, const char *key);
/* "2024-07-05T09:30:00Z" -> unix seconds; -1 when malformed. */
long long doc_time(const char *iso);

#endif
