/*
 * Unit tests for src/util/tz.c and the zone-aware dates of src/util/date.c:
 * offsets of several zones (northern and southern daylight time, half-hour
 * and 45-minute offsets, a zone without daylight time) checked against
 * glibc's localtime_r over 1900-2100, past the files' last transitions
 * where the POSIX footer rule decides; local wall-clock times read back
 * (repeated and skipped hours); names refused; dates printed with offsets.
 */
#include "../../src/util/date.h"
#include "../../src/util/pool.h"
#include "../../src/util/tz.h"
#include "t.h"

#include <stdlib.h>
#include <time.h>

static const char *const zones[] = { "Europe/Berlin",    "America/New_York",
				     "Australia/Sydney", "Asia/Kolkata",
				     "Australia/Lord_Howe", "Asia/Kathmandu",
				     "America/Sao_Paulo", "Africa/Casablanca",
				     "Pacific/Chatham", "Asia/Tokyo" };

static int glibc_offset(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return (int)tm.tm_gmtoff;
}

static void test_against_glibc(void)
{
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		struct tz z;
		char err[200];
		CHECK(tz_load(&z, zones[i], NULL, err, sizeof err) == 0);
		CHECK_STR(z.name, zones[i]);
		setenv("TZ", zones[i], 1);
		tzset();
		int bad = 0;
		/* every 3 h 7 min from 1900 to 2100: lands near every transition */
		for (long long t = -2208988800LL; t < 4102444800LL && bad < 3; t += 11220)
			if (tz_offset(&z, t) != glibc_offset(t)) {
				fprintf(stderr, "  %s at %lld: %d, glibc %d\n", zones[i], t,
					tz_offset(&z, t), glibc_offset(t));
				bad++;
			}
		CHECK(bad == 0);
		tz_release(&z);
	}
	unsetenv("TZ");
	tzset();
}

static void test_exact_transitions(void)
{
	struct tz z;
	char err[200];
	CHECK(tz_load(&z, "Europe/Berlin", NULL, err, sizeof err) == 0);
	/* 2024-03-31 01:00:00Z the clocks went to 03:00 CEST */
	CHECK(tz_offset(&z, 1711846799) == 3600);
	CHECK(tz_offset(&z, 1711846800) == 7200);
	/* 2090-10-29 01:00Z (the footer rule, past the file's table) */
	CHECK(tz_offset(&z, 3812921999LL) == 7200);
	CHECK(tz_offset(&z, 3812922000LL) == 3600);
	/* wall-clock 2024-10-27 02:30 happened twice: the first (CEST) one */
	CHECK(tz_from_local(&z, 1729996200) == 1729996200 - 7200);
	/* 2024-03-31 02:30 never happened: read as 03:30 CEST */
	CHECK(tz_from_local(&z, 1711852200) == 1711852200 - 3600);
	CHECK(tz_from_local(&z, 1720171800) == 1720171800 - 7200); /* 2024-07-05 09:30 */
	tz_release(&z);
	CHECK(tz_offset(NULL, 1720171800) == 0);
}

static void test_names(void)
{
	struct tz z;
	char err[200];
	static const char *const bad[] = { "", "Mars/Olympus", "../../etc/passwd", "/etc/localtime",
					   "Europe//Berlin", "Europe/Berlin/", "Europe/Ber lin",
					   "Europe" /* a folder */ };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		CHECK(tz_load(&z, bad[i], NULL, err, sizeof err) == -1);
		CHECK_CONTAINS(err, "time zone");
		CHECK_STR(z.name, "UTC");
		CHECK(tz_offset(&z, 1720171800) == 0);
	}
	CHECK(tz_load(&z, "Mars/Olympus", NULL, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "no such zone");
	CHECK(tz_load(&z, "UTC", NULL, err, sizeof err) == 0);
	CHECK(tz_load(&z, "Etc/GMT-3", NULL, err, sizeof err) == 0);
	CHECK(tz_offset(&z, 1720171800) == 3 * 3600);
	tz_release(&z);
}

static void test_dates(void)
{
	struct pool *p = pool_new();
	struct tz z;
	char err[200];
	long long t = 1720171800; /* 2024-07-05T09:30:00Z */
	CHECK_STR(date_iso(p, t, NULL), "2024-07-05T09:30:00Z");
	CHECK_STR(date_human(p, t, NULL), "5 July 2024");
	CHECK_STR(date_human_time(p, t, NULL), "5 July 2024, 09:30");
	CHECK(tz_load(&z, "America/New_York", NULL, err, sizeof err) == 0);
	CHECK_STR(date_iso(p, t, &z), "2024-07-05T05:30:00-04:00");
	CHECK_STR(date_human_time(p, t, &z), "5 July 2024, 05:30");
	CHECK_STR(date_human(p, 1720150000, &z), "4 July 2024"); /* 03:26Z is the 4th there */
	tz_release(&z);
	CHECK(tz_load(&z, "Asia/Kolkata", NULL, err, sizeof err) == 0);
	CHECK_STR(date_iso(p, t, &z), "2024-07-05T15:00:00+05:30");
	CHECK_STR(date_human_time(p, t, &z), "5 July 2024, 15:00");
	tz_release(&z);
	pool_free(p);
}

int main(void)
{
	RUN(test_against_glibc);
	RUN(test_exact_transitions);
	RUN(test_names);
	RUN(test_dates);
	return T_DONE();
}
