/*
 * date: see date.h. The one decision: digits are written into fixed
 * places rather than through printf (a fifth of a story page's cost).
 */
#include "date.h"
#include "num.h"
#include "pool.h"
#include "tz.h"

#include <time.h>

static const char *const months[] = { "January", "February", "March",     "April",
				      "May",     "June",     "July",      "August",
				      "September", "October", "November", "December" };

static char *put_digits(char *o, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
	return o + width;
}

void date_local(long long t, const struct tz *z, struct tm *out)
{
	num_utc(t + tz_offset(z, t), out);
}

const char *date_iso(struct pool *p, long long t, const struct tz *z)
{
	char *r = pool_alloc(p, 26);
	date_iso_into(r, t, z);
	return r;
}

void date_iso_into(char out[26], long long t, const struct tz *z)
{
	struct tm tm;
	int off = tz_offset(z, t);
	num_utc(t + off, &tm);
	char *o = out;
	o = put_digits(o, (tm.tm_year + 1900) % 10000, 4), *o++ = '-';
	o = put_digits(o, tm.tm_mon + 1, 2), *o++ = '-';
	o = put_digits(o, tm.tm_mday, 2), *o++ = 'T';
	o = put_digits(o, tm.tm_hour, 2), *o++ = ':';
	o = put_digits(o, tm.tm_min, 2), *o++ = ':';
	o = put_digits(o, tm.tm_sec, 2);
	if (off == 0) {
		*o++ = 'Z';
	} else {
		*o++ = off < 0 ? '-' : '+';
		off = off < 0 ? -off : off;
		o = put_digits(o, off / 3600, 2), *o++ = ':';
		o = put_digits(o, off / 60 % 60, 2);
	}
	*o = '\0';
}

static const char *human(struct pool *p, long long t, const struct tz *z, int with_time)
{
	struct tm tm;
	char day[3] = { 0 }, year[5] = { 0 }, hm[6] = { 0 };
	const char *const *mon = z && z->months ? z->months : months;
	date_local(t, z, &tm);
	put_digits(day, tm.tm_mday, tm.tm_mday < 10 ? 1 : 2);
	put_digits(year, (tm.tm_year + 1900) % 10000, 4);
	if (!with_time)
		return pool_cat(p, day, " ", mon[tm.tm_mon], " ", year, NULL);
	put_digits(hm, tm.tm_hour, 2), hm[2] = ':', put_digits(hm + 3, tm.tm_min, 2);
	return pool_cat(p, day, " ", mon[tm.tm_mon], " ", year, ", ", hm, NULL);
}

const char *date_human(struct pool *p, long long t, const struct tz *z)
{
	return human(p, t, z, 0);
}

const char *date_human_time(struct pool *p, long long t, const struct tz *z)
{
	return human(p, t, z, 1);
}

void date_path(char out[13], long long t)
{
	struct tm tm;
	num_utc(t, &tm);
	out[0] = out[5] = out[8] = out[11] = '/';
	put_digits(out + 1, (tm.tm_year + 1900) % 10000, 4);
	put_digits(out + 6, tm.tm_mon + 1, 2);
	put_digits(out + 9, tm.tm_mday, 2);
	out[12] = '\0';
}

const char *date_now(struct date_memo *m, const char *fmt, int local)
{
	time_t now = time(NULL);
	if ((long long)now != m->at || !m->text[0]) {
		struct tm tm;
		if (local)
			localtime_r(&now, &tm);
		else
			gmtime_r(&now, &tm);
		strftime(m->text, sizeof m->text, fmt, &tm);
		m->at = (long long)now;
	}
	return m->text;
}
