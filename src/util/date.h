/*
 * date: the dates pages, feeds and threads print, formatted by hand: they
 * are on every page many times, and printf was a fifth of a story page's
 * cost. All in UTC (num_utc).
 */
#ifndef GZ_DATE_H
#define GZ_DATE_H

struct pool;
/* "2024-07-05T09:30:00Z" and "5 July 2024". */
const char *date_iso(struct pool *p, long long t);
const char *date_human(struct pool *p, long long t);
/* "/2024/07/05/" of t into out (12 characters and a NUL). */
void date_path(char out[13], long long t);

#endif
