/*
 * num: strict decimal parsing with a caller-given range.
 *
 * strtoull() was left out on purpose: it skips spaces, takes a sign (and
 * silently negates "-1" into a huge value) and needs errno dances to see
 * overflow. A digit loop that checks for overflow before each multiply is
 * shorter than the checks strtoull would need.
 */
#include "num.h"
#include "str.h"

#include <string.h>
#include <time.h>

#include <limits.h>

/* The magnitude of a digit string; -1 on anything but digits or overflow. */
static int digits(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!str_is_digits(s))
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int num_parse_u64(const char *s, unsigned long long max,
		  unsigned long long *out)
{
	unsigned long long v;

	if (digits(s, &v) != 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int num_parse_i64(const char *s, long long min, long long max, long long *out)
{
	unsigned long long mag;
	long long v;

	if (!s || min > max)
		return -1;
	if (*s == '-') {
		/* LLONG_MIN's magnitude is one more than LLONG_MAX */
		if (digits(s + 1, &mag) != 0 ||
		    mag > (unsigned long long)LLONG_MAX + 1)
			return -1;
		v = mag == (unsigned long long)LLONG_MAX + 1 ?
			LLONG_MIN : -(long long)mag;
	} else {
		if (digits(s, &mag) != 0 || mag > (unsigned long long)LLONG_MAX)
			return -1;
		v = (long long)mag;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Days to civil date: H. Hinnant's algorithm ("chrono-compatible low-level
 * date algorithms"), exact for the proleptic Gregorian calendar. */
void num_utc(long long t, struct tm *out)
{
	long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	long long secs = t - days * 86400;
	memset(out, 0, sizeof *out);
	out->tm_hour = (int)(secs / 3600);
	out->tm_min = (int)(secs / 60 % 60);
	out->tm_sec = (int)(secs % 60);
	out->tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	long long z = days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	long long d = doy - (153 * mp + 2) / 5 + 1;
	long long m = mp < 10 ? mp + 3 : mp - 9;
	long long y = yoe + era * 400 + (m <= 2);
	out->tm_year = (int)(y - 1900);
	out->tm_mon = (int)(m - 1);
	out->tm_mday = (int)d;
}

int num_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
