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

/* The current time formatted with strftime's fmt (in UTC, or local time
 * when local), at most once a second per memo: each caller keeps a
 * _Thread_local memo, since strftime and localtime take a lock that shows
 * in profiles of the serving path. */
struct date_memo {
	long long at;
	char text[40];
};
const char *date_now(struct date_memo *m, const char *fmt, int local);

#endif
