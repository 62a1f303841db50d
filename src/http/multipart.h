/*
 * multipart: decoding a multipart/form-data body (RFC 7578) into the same
 * text fields form_decode gives, plus a list of file parts kept as bytes.
 *
 * Text fields are valid UTF-8 without NUL, exactly as form_decode's.
 * A file part's filename and Content-Type are what the client claimed:
 * kept for logs only, never to be trusted (see content/image.h for
 * deciding what a file is). All memory comes from the caller's pool.
 */
#ifndef GZ_MULTIPART_H
#define GZ_MULTIPART_H

#include <stddef.h>

#include "form.h"

struct pool;

struct upload {
	const char *name;            /* the form field's name (UTF-8) */
	const char *filename;        /* client's file name (UTF-8, "" when none) */
	const char *type;            /* client's Content-Type, or "" */
	const unsigned char *data;   /* the bytes (inside the request body) */
	size_t len;
};

struct uploadlist {
	struct upload *v;
	size_t n;
};

struct mp_limits {
	size_t max_parts;        /* text fields and files together */
	size_t max_files;        /* 0: any file part is refused */
	size_t max_field_bytes;  /* one text field's value */
	size_t max_file_bytes;   /* one file's bytes */
};

enum mp_err {
	MP_OK = 0,
	MP_EBOUNDARY,     /* no usable boundary in the Content-Type */
	MP_EMALFORMED,    /* framing or part headers not as RFC 7578 says */
	MP_EBADCHAR,      /* a name or text value not UTF-8, or holds NUL */
	MP_ETOOMANY,      /* more parts or files than allowed */
	MP_ETOOLARGE,     /* a field or file larger than allowed */
	MP_ERR__MAX
};

const char *multipart_strerror(enum mp_err e);

/* 1 when content_type names multipart/form-data (any parameters). */
int multipart_is(const char *content_type);

/* Decodes body[0..n) sent with content_type. Text parts (no filename
 * parameter) go to *fields, file parts to *files; a file part with an
 * empty filename and no bytes (a file input left empty) is dropped. On
 * error both lists are left empty. */
enum mp_err multipart_decode(struct pool *p, const char *content_type, const char *body,
			     size_t n, const struct mp_limits *lim, struct kvlist *fields,
			     struct uploadlist *files);

/* The first file part named `name`, or NULL. */
const struct upload *upload_get(const struct uploadlist *l, const char *name);

#endif
