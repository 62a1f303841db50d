/*
 * multipart: a small, strict multipart/form-data reader (RFC 7578 over
 * RFC 2046's framing), for the editor's featured-image upload.
 *
 * Design decision: accept what browsers send and nothing looser. The body
 * must start with the delimiter (no preamble), lines end in CRLF, every
 * part carries "Content-Disposition: form-data" with a name, headers are
 * few and short, and anything unexpected is refused rather than guessed
 * at. Parts are counted and measured before anything is copied; file
 * bytes are not copied at all but point into the request body, which
 * lives as long as the request.
 */
#include "multipart.h"

#include <string.h>
#include <strings.h>

#include "../util/pool.h"
#include "../util/str.h"
#include "../util/utf8.h"

#define BOUNDARY_MAX 70
#define HEADER_LINE_MAX 1024
#define HEADERS_MAX 8

static const char *const mp_errmsg[MP_ERR__MAX] = {
	[MP_OK] = "ok",
	[MP_EBOUNDARY] = "multipart form without a usable boundary",
	[MP_EMALFORMED] = "malformed multipart form data",
	[MP_EBADCHAR] = "multipart form field is not valid UTF-8 or contains a NUL byte",
	[MP_ETOOMANY] = "too many parts or files in the multipart form",
	[MP_ETOOLARGE] = "a multipart form field or file is too large",
};

const char *multipart_strerror(enum mp_err e)
{
	if ((unsigned)e >= MP_ERR__MAX)
		return "unknown multipart error";
	return mp_errmsg[e];
}

static const char *skip_ows(const char *s, const char *end)
{
	while (s < end && str_is_blank(*s))
		s++;
	return s;
}

int multipart_is(const char *ct)
{
	static const char mt[] = "multipart/form-data";
	if (!ct || strncasecmp(ct, mt, sizeof mt - 1) != 0)
		return 0;
	char c = ct[sizeof mt - 1];
	return c == '\0' || c == ';' || str_is_blank(c);
}

/* RFC 2046 bchars, less the space (which may not end a boundary and no
 * browser uses). */
static int is_bchar(unsigned char c)
{
	return str_is_alnum((char)c) || (c && strchr("'()+_,-./:=?", c));
}

static int is_token(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/*
 * One "; name=value" parameter at *s (before end). Fills name/value spans
 * (a quoted value is unquoted into pool memory, a backslash escaping the
 * next byte); advances *s. 0 ok, -1 malformed.
 */
static int next_param(struct pool *p, const char **s, const char *end, const char **name,
		      size_t *nlen, const char **val, size_t *vlen)
{
	const char *c = skip_ows(*s, end);
	if (c == end || *c != ';')
		return -1;
	c = skip_ows(c + 1, end);
	const char *n0 = c;
	while (c < end && is_token((unsigned char)*c))
		c++;
	if (c == n0 || c == end || *c != '=')
		return -1;
	*name = n0;
	*nlen = (size_t)(c - n0);
	c++;
	if (c < end && *c == '"') {
		char *out = pool_alloc(p, (size_t)(end - c) + 1);
		size_t o = 0;
		for (c++; c < end && *c != '"'; c++) {
			if (*c == '\\' && c + 1 < end)
				c++;
			out[o++] = *c;
		}
		if (c == end)
			return -1;
		out[o] = '\0';
		*val = out;
		*vlen = o;
		c++;
	} else {
		const char *v0 = c;
		while (c < end && is_token((unsigned char)*c))
			c++;
		if (c == v0)
			return -1;
		*val = v0;
		*vlen = (size_t)(c - v0);
	}
	*s = c;
	return 0;
}

static enum mp_err boundary_of(struct pool *p, const char *ct, const char **b, size_t *blen)
{
	if (!multipart_is(ct))
		return MP_EBOUNDARY;
	const char *s = ct + strlen("multipart/form-data"), *end = ct + strlen(ct);
	*b = NULL;
	while (skip_ows(s, end) < end) {
		const char *name, *val;
		size_t nlen, vlen;
		if (next_param(p, &s, end, &name, &nlen, &val, &vlen))
			return MP_EBOUNDARY;
		if (nlen == 8 && strncasecmp(name, "boundary", 8) == 0) {
			if (*b) /* twice: which one would the sender mean? */
				return MP_EBOUNDARY;
			*b = val;
			*blen = vlen;
		}
	}
	if (!*b || *blen == 0 || *blen > BOUNDARY_MAX)
		return MP_EBOUNDARY;
	for (size_t i = 0; i < *blen; i++)
		if (!is_bchar((unsigned char)(*b)[i]))
			return MP_EBOUNDARY;
	return MP_OK;
}

/* What a part's headers said. */
struct part_head {
	const char *name, *filename, *type;
	int has_filename;
};

static const char *str_utf8(struct pool *p, const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return NULL;
	return pool_strndup(p, s, n);
}

static enum mp_err disposition(struct pool *p, const char *v, const char *end,
			       struct part_head *h)
{
	static const char fd[] = "form-data";
	v = skip_ows(v, end);
	if ((size_t)(end - v) < sizeof fd - 1 || strncasecmp(v, fd, sizeof fd - 1) != 0)
		return MP_EMALFORMED;
	const char *s = v + sizeof fd - 1;
	while (skip_ows(s, end) < end) {
		const char *name, *val;
		size_t nlen, vlen;
		if (next_param(p, &s, end, &name, &nlen, &val, &vlen))
			return MP_EMALFORMED;
		const char **slot = NULL;
		if (nlen == 4 && strncasecmp(name, "name", 4) == 0)
			slot = &h->name;
		else if (nlen == 8 && strncasecmp(name, "filename", 8) == 0) {
			slot = &h->filename;
			h->has_filename = 1;
		}
		if (!slot)
			continue; /* filename* and the like: not needed */
		if (*slot)
			return MP_EMALFORMED;
		if (!(*slot = str_utf8(p, val, vlen)))
			return MP_EBADCHAR;
	}
	return h->name && *h->name ? MP_OK : MP_EMALFORMED;
}

/* Reads the part headers at body[*at..n) up to and including the blank
 * line. */
static enum mp_err part_headers(struct pool *p, const char *body, size_t n, size_t *at,
				struct part_head *h)
{
	int seen_cd = 0;
	memset(h, 0, sizeof *h);
	for (int k = 0;; k++) {
		const char *line = body + *at;
		size_t left = n - *at;
		size_t lim = left < HEADER_LINE_MAX + 2 ? left : HEADER_LINE_MAX + 2;
		const char *crlf = memmem(line, lim, "\r\n", 2);
		if (!crlf)
			return MP_EMALFORMED;
		size_t len = (size_t)(crlf - line);
		*at += len + 2;
		if (len == 0)
			return seen_cd ? MP_OK : MP_EMALFORMED;
		if (k >= HEADERS_MAX || memchr(line, '\0', len))
			return MP_EMALFORMED;
		const char *colon = memchr(line, ':', len), *end = line + len;
		if (!colon || colon == line)
			return MP_EMALFORMED;
		for (const char *c = line; c < colon; c++)
			if (!is_token((unsigned char)*c))
				return MP_EMALFORMED;
		size_t nlen = (size_t)(colon - line);
		if (nlen == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
			if (seen_cd++)
				return MP_EMALFORMED;
			enum mp_err e = disposition(p, colon + 1, end, h);
			if (e)
				return e;
		} else if (nlen == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
			const char *v = skip_ows(colon + 1, end);
			if (h->type || !(h->type = str_utf8(p, v, (size_t)(end - v))))
				return MP_EMALFORMED;
		}
		/* other headers (Content-Transfer-Encoding...) are ignored */
	}
}

/* One pass: parse and, when v/files are given, store. Counts go to
 * *nfields, *nfiles. */
static enum mp_err parse(struct pool *p, const char *body, size_t n, const char *b,
			 size_t blen, const struct mp_limits *lim, struct kv *fv,
			 struct upload *uv, size_t *nfields, size_t *nfiles)
{
	char *delim = pool_alloc(p, blen + 5);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, b, blen);
	size_t dlen = blen + 4;
	*nfields = *nfiles = 0;
	/* the first delimiter has no CRLF before it */
	if (n < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0)
		return MP_EMALFORMED;
	size_t at = dlen - 2;
	for (;;) {
		if (n - at >= 2 && memcmp(body + at, "--", 2) == 0)
			return *nfields + *nfiles ? MP_OK : MP_EMALFORMED; /* the close */
		if (n - at < 2 || memcmp(body + at, "\r\n", 2) != 0)
			return MP_EMALFORMED;
		at += 2;
		if (*nfields + *nfiles >= lim->max_parts)
			return MP_ETOOMANY;
		struct part_head h;
		enum mp_err e = part_headers(p, body, n, &at, &h);
		if (e)
			return e;
		const char *end = memmem(body + at, n - at, delim, dlen);
		if (!end)
			return MP_EMALFORMED;
		size_t len = (size_t)(end - (body + at));
		if (h.has_filename) {
			int empty = len == 0 && !*h.filename;
			if (!empty) {
				if (*nfiles >= lim->max_files)
					return MP_ETOOMANY;
				if (len > lim->max_file_bytes)
					return MP_ETOOLARGE;
				if (uv)
					uv[*nfiles] = (struct upload){
						h.name, h.filename, h.type ? h.type : "",
						(const unsigned char *)body + at, len };
				++*nfiles;
			}
		} else {
			if (len > lim->max_field_bytes)
				return MP_ETOOLARGE;
			if (!utf8_valid(body + at, len))
				return MP_EBADCHAR;
			if (fv)
				fv[*nfields] = (struct kv){ h.name, pool_strndup(p, body + at, len), len };
			++*nfields;
		}
		at += len + dlen;
	}
}

enum mp_err multipart_decode(struct pool *p, const char *content_type, const char *body,
			     size_t n, const struct mp_limits *lim, struct kvlist *fields,
			     struct uploadlist *files)
{
	const char *b;
	size_t blen = 0, nf = 0, nu = 0;
	fields->v = NULL;
	fields->n = 0;
	files->v = NULL;
	files->n = 0;
	enum mp_err e = boundary_of(p, content_type, &b, &blen);
	if (e)
		return e;
	if (!body)
		return MP_EMALFORMED;
	/* count and check first, then fill arrays of the right size */
	e = parse(p, body, n, b, blen, lim, NULL, NULL, &nf, &nu);
	if (e)
		return e;
	struct kv *fv = pool_alloc(p, (nf + 1) * sizeof *fv);
	struct upload *uv = pool_alloc(p, (nu + 1) * sizeof *uv);
	e = parse(p, body, n, b, blen, lim, fv, uv, &nf, &nu);
	if (e)
		return e;
	fields->v = nf ? fv : NULL;
	fields->n = nf;
	files->v = nu ? uv : NULL;
	files->n = nu;
	return MP_OK;
}

const struct upload *upload_get(const struct uploadlist *l, const char *name)
{
	if (!l || !name)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}
