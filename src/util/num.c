/*
 * num: strict decimal parsing with a caller-given range.
 *
 * strtoull() was left out on purpose: it skips spaces, takes a sign (and
 * silently negates "-1" into a huge value) and needs errno dances to see
 * overflow. A digit loop that checks for overflow before each multiply is
 * shorter than the checks strtoull would need.
 */
#include "num.h"

#include <limits.h>

/* The magnitude of a digit string; -1 on anything but digits or overflow. */
static int digits(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
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
