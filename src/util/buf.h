/*
 * buf: the one growable string buffer.
 *
 * Data is always NUL-terminated. Every buffer has a hard maximum size; an
 * append that would pass it (or fail to allocate) sets the sticky `err` flag
 * and is dropped, so a long run of appends is checked once at the end, as
 * SQLite's string accumulator does.
 */
#ifndef GZ_BUF_H
#define GZ_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *s;      /* always NUL-terminated once anything was added */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* hard limit on len */
	int err;      /* sticky: set when an append was dropped */
};

#define BUF_MAX_DEFAULT (64u * 1024 * 1024)
#define BUF_INIT { NULL, 0, 0, BUF_MAX_DEFAULT, 0 }

/* Prepare an empty buffer with maximum `max` (0 means BUF_MAX_DEFAULT). */
void buf_init(struct buf *b, size_t max);
/* Room for n more bytes without another allocation; 0 ok, -1 (err set)
 * past max or out of memory. */
int buf_reserve(struct buf *b, size_t n);
/* Free the contents; the struct may be reused after buf_init. */
void buf_release(struct buf *b);
/* Forget the contents but keep the allocation. */
void buf_reset(struct buf *b);
/* Hand the string to the caller (malloc'd, never NULL unless err); b is emptied. */
char *buf_detach(struct buf *b, size_t *len);

/* Appends n bytes; past max or out of memory, nothing and err set. The
 * common case, room already there, is inline: a page is thousands of
 * small appends. */
void buf_add_grow(struct buf *b, const void *p, size_t n);
static inline void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len > n && n <= b->max - b->len && !b->err) {
		memcpy(b->s + b->len, p, n);
		b->len += n;
		b->s[b->len] = '\0';
	} else {
		buf_add_grow(b, p, n);
	}
}
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* n in decimal: what buf_printf(b, "%lld", n) writes, without vsnprintf
 * (a picture's srcset writes a dozen numbers). */
void buf_put_int(struct buf *b, long long n);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string ("" when empty). */
const char *buf_str(const struct buf *b);

#endif
