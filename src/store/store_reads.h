/*
 * store_reads: "Most read" (issue 15): how many times each story was read
 * per hour (hour = unix time / 3600), added by the scheduler from the
 * in-memory counts (stats/reads.h). Rows are totals: nothing about a
 * reader is stored.
 */
#ifndef GZ_STORE_READS_H
#define GZ_STORE_READS_H

#include "store.h"

/* Adds count reads in `hour` to the published story with this slug
 * (nothing for a slug that is no published story's). In the caller's
 * transaction; logs nothing (store_reads_touch does, once). */
int store_reads_add(struct store *st, const char *slug, long long hour, long long count);
/* Logs "reads": the Most read list may have changed. */
int store_reads_touch(struct store *st);
/* Deletes the hours before `hour`. */
int store_reads_purge(struct store *st, long long hour);
/* Ranks the published stories read most in the hours from since_hour on
 * (ties: newest first), the first STORE_READS_RANKED of them, for
 * store_reads_top: the scheduler does it at each flush, so no reader's
 * request sums a day of counts. In the caller's transaction. */
#define STORE_READS_RANKED 50
/* *changed: 1 when the order of the ranked stories is not what it was
 * (only then has "Most read" anything new to show). */
int store_reads_rank(struct store *st, long long since_hour, int *changed);
/* The ranked stories still published, most read first, at most limit, as
 * links (row_story_link's fields); reports "reads" and the stories' tags. */
int store_reads_top(struct store *st, struct pool *p, size_t limit, struct story **out, size_t *n);

#endif
