/*
 * date: the dates pages, feeds and threads print, formatted by hand: they
 * are on every page many times, and printf was a fifth of a story page's
 * cost. Shown in the site's time zone (a struct tz, NULL for UTC); stored
 * times stay UTC.
 */
#ifndef GZ_DATE_H
#define GZ_DATE_H

struct pool;
struct tz;
/* "2024-07-05T09:30:00Z" in UTC, "2024-07-05T11:30:00+02:00" in a zone
 * then two hours ahead; "5 July 2024"; "5 July 2024, 11:30" (local), with
 * the month names of z->months (the site's language) when set. */
const char *date_iso(struct pool *p, long long t, const struct tz *z);
/* date_iso into out (at most 25 characters and a NUL). */
void date_iso_into(char out[26], long long t, const struct tz *z);
const char *date_human(struct pool *p, long long t, const struct tz *z);
const char *date_human_time(struct pool *p, long long t, const struct tz *z);
/* The calendar fields of t in zone z (struct tm as num_utc fills it). */
struct tm;
void date_local(long long t, const struct tz *z, struct tm *out);
/* "/2024/07/05/" of t (UTC: addresses never move with the zone) into out
 * (12 characters and a NUL). */
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
