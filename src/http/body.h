/*
 * body: where a request body waits until its request is dispatched.
 *
 * A body is kept in memory while it is under BODY_SPILL bytes (one
 * allocation of at most BODY_SPILL); from there on it goes on
 * to an unlinked temporary file in the site folder, which is mapped
 * read-only at dispatch, so handlers still see the body as bytes. Every
 * body reserves, from its head on, the memory it may hold (its announced
 * length, at most BODY_SPILL) from one server-wide budget: when that is
 * spent, a new body is refused at once (the server answers 503) instead
 * of letting slow uploads pile up in memory.
 */
#ifndef GZ_BODY_H
#define GZ_BODY_H

#include "../util/buf.h"

#include <stddef.h>

#define BODY_SPILL (64u * 1024) /* bytes kept in memory before a temporary file */
#define BODY_UNKNOWN ((size_t)-1)

struct body {
	struct buf mem;       /* the bytes until spilled */
	int fd;               /* the temporary file, or -1 */
	size_t len;           /* bytes received */
	size_t limit;         /* most bytes accepted: past it, too_large */
	size_t reserved;      /* bytes of the server-wide budget held */
	int too_large;        /* more than limit came: the rest was dropped */
	int failed;           /* the temporary file could not be written */
	void *map;            /* the file mapped at body_bytes(), or NULL */
	const char *dir;      /* where temporary files go (the site folder) */
};

/* An empty body of at most limit bytes, spilling into dir. */
void body_init(struct body *b, const char *dir, size_t limit);
/* Reserves the memory a body of `announced` bytes (BODY_UNKNOWN when
 * chunked) may hold against the server-wide bound of budget bytes: 0, or
 * -1 when the bound would be passed (nothing reserved). */
int body_reserve(struct body *b, size_t announced, size_t budget);
/* Appends n bytes (dropped, too_large set, past the limit). */
void body_add(struct body *b, const void *p, size_t n);
/* The whole body, NUL-terminated, and its length: memory or the mapped
 * file. NULL when a temporary file failed (failed set). Valid until
 * body_release. */
const char *body_bytes(struct body *b, size_t *len);
/* 1 when the body went to a temporary file. */
int body_spilled(const struct body *b);
/* Frees the memory, the file and the reservation. */
void body_release(struct body *b);
/* Bytes all bodies in flight have reserved now (against body_memory). */
size_t body_reserved(void);

#endif
