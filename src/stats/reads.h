/*
 * reads: how often each story is read, counted in memory on the serving
 * path (a cached hit too) and handed to the database by the scheduler
 * (admin/scheduler.c) as per-hour totals (store_reads.h). Nothing about
 * the reader is kept: no cookie, no address, no User-Agent; a request
 * whose User-Agent names a robot (or that has none) is not counted.
 *
 * The one decision: a count costs a hash and one uncontended lock (each
 * serving thread counts in its own of READS_STRIPES stripes), no
 * allocation and no system call, so the cached hit it rides on stays as
 * cheap, even when every reader reads the same story. The table is bounded (slugs it
 * has no room for are dropped until the next flush), so made-up
 * addresses cannot grow it; they are dropped at the flush too, since
 * only a published story's slug finds a row.
 */
#ifndef GZ_READS_H
#define GZ_READS_H

#include <stddef.h>

#define READS_STRIPES 16
#define READS_SLOTS 1024     /* per stripe: each thread counts 768 stories between two flushes */
#define READS_SLUG_MAX 200   /* a longer slug is not a story's (content/slug.h) */

struct reads;

struct reads *reads_new(void);
void reads_free(struct reads *r);

/* 1 when the User-Agent is missing or names a robot, crawler, previewer,
 * monitor, headless browser or command-line client. */
int reads_is_bot(const char *user_agent);

/* Counts one read of the story whose slug is slug[0..len). */
void reads_count(struct reads *r, const char *slug, size_t len);

/* Story pages are /YYYY/MM/DD/SLUG: the slug of such a path (its length
 * in *len), or NULL. */
const char *reads_story_slug(const char *path, size_t *len);

/* Takes every count out of the table: fn(arg, slug, count) for each.
 * Returns the number of slugs handed. */
size_t reads_take(struct reads *r, void (*fn)(void *arg, const char *slug, unsigned count),
		  void *arg);

#endif
