/*
 * pool: an arena per request (after nginx's ngx_pool_t).
 *
 * Everything a request handler allocates comes from its pool and is freed at
 * once by pool_free; handlers never call free(). Cleanup hooks run (last
 * registered first) before the memory goes, to finalize statements or close
 * files. Allocation failure aborts: a server that cannot allocate a few
 * kilobytes has no useful way on.
 */
#ifndef GZ_POOL_H
#define GZ_POOL_H

#include <stdarg.h>
#include <stddef.h>

struct pool;

struct pool *pool_new(void);
void pool_free(struct pool *p);

/* Zeroed memory, aligned for any type. */
void *pool_alloc(struct pool *p, size_t n);
char *pool_strdup(struct pool *p, const char *s);
/* A copy of s (NULL: "") with ASCII letters in lower case: e-mail addresses. */
const char *pool_lower(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
char *pool_printf(struct pool *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The strings joined, up to a NULL: the serving path's cheap printf. */
char *pool_cat(struct pool *p, ...);
/* Decimal text of n in the pool. */
char *pool_lld(struct pool *p, long long n);
/* Run fn(arg) when the pool is freed. */
void pool_cleanup(struct pool *p, void (*fn)(void *), void *arg);

#endif
