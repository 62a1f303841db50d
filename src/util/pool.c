/*
 * pool: bump allocator over a chain of blocks; big allocations get a block
 * of their own so a large upload does not waste a whole standard block.
 */
#include "pool.h"
#include "str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_BLOCK 8192
#define POOL_ALIGN 16

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(POOL_ALIGN) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *arg;
};

struct pool {
	struct block *head;
	struct cleanup *cleanups;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("gazette: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct pool *pool_new(void)
{
	struct pool *p = xmalloc(sizeof *p);
	p->head = NULL;
	p->cleanups = NULL;
	return p;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	for (struct cleanup *c = p->cleanups; c; c = c->next)
		c->fn(c->arg);
	struct block *b = p->head;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(p);
}

/* n bytes, not zeroed: for what the caller fills at once (strings). */
static void *pool_take(struct pool *p, size_t n)
{
	n = (n + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
	if (n == 0)
		n = POOL_ALIGN;
	struct block *b = p->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > POOL_BLOCK / 4 ? n : POOL_BLOCK;
		if (size > SIZE_MAX - sizeof *b)
			abort();
		struct block *nb = xmalloc(sizeof *nb + size);
		nb->used = 0;
		nb->size = size;
		if (size == n && b) {
			/* keep the current block as head: it still has room */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			p->head = nb;
		}
		b = nb;
	}
	void *r = b->data + b->used;
	b->used += n;
	return r;
}

void *pool_alloc(struct pool *p, size_t n)
{
	return memset(pool_take(p, n), 0, n);
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *r = pool_take(p, n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

char *pool_strdup(struct pool *p, const char *s)
{
	return s ? pool_strndup(p, s, strlen(s)) : NULL;
}

char *pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *r = pool_take(p, (size_t)n + 1);
	vsnprintf(r, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return r;
}

char *pool_cat(struct pool *p, ...)
{
	va_list ap;
	size_t n = 0;
	va_start(ap, p);
	for (const char *s; (s = va_arg(ap, const char *));)
		n += strlen(s);
	va_end(ap);
	char *r = pool_take(p, n + 1), *o = r;
	va_start(ap, p);
	for (const char *s; (s = va_arg(ap, const char *));) {
		size_t k = strlen(s);
		memcpy(o, s, k);
		o += k;
	}
	va_end(ap);
	*o = '\0';
	return r;
}

char *pool_lld(struct pool *p, long long n)
{
	char tmp[24], *e = tmp + sizeof tmp, *s = e;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	do
		*--s = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--s = '-';
	return pool_strndup(p, s, (size_t)(e - s));
}

void pool_cleanup(struct pool *p, void (*fn)(void *), void *arg)
{
	struct cleanup *c = pool_alloc(p, sizeof *c);
	c->fn = fn;
	c->arg = arg;
	c->next = p->cleanups;
	p->cleanups = c;
}

const char *pool_lower(struct pool *p, const char *s)
{
	char *o = pool_strdup(p, s ? s : "");
	for (char *c = o; *c; c++)
		*c = str_lower_ascii(*c);
	return o;
}
