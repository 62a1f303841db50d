/*
 * tz: the site's time zone, read from the system's compiled zoneinfo
 * (TZif files, RFC 8536) rather than through setenv("TZ") and localtime_r:
 * those share one process-wide zone behind glibc's lock, which shows in
 * profiles of the serving path. A loaded zone is an owned, read-only table
 * of transitions plus the file's POSIX rule for times after its last one,
 * so any thread may ask it for an offset without a lock.
 */
#ifndef GZ_TZ_H
#define GZ_TZ_H

#include <stddef.h>

struct tz_rule {          /* one end of daylight time: month m, week w, weekday d */
	int m, w, d;      /* w 5 = the last such weekday of the month */
	int secs;         /* local time of day of the change, may be < 0 or > 86400 */
};

struct tz {
	char name[64];    /* the IANA name, e.g. "Europe/Berlin"; "UTC" when none */
	long long *at;    /* n transition times (UTC), ascending */
	int *off;         /* offset east of UTC in seconds from at[i] on */
	size_t n;
	int off0;         /* offset before the first transition (or always) */
	int has_rule;     /* after at[n-1]: std_off, or dst_off between start and end */
	int std_off, dst_off;
	struct tz_rule start, end;
	/* the month names dates shown in this zone are written with: the
	 * site's locale (util/locale.h), set by site_open; NULL is English.
	 * Kept here because every date shown to people already takes the
	 * site's zone (date.h), so no caller has to pass a second value. */
	const char *const *months;
};

/* The zone directory tz_load reads by default. */
#define TZ_DIR "/usr/share/zoneinfo"

/* 1 when name has the shape of an IANA zone name ("Area/City", letters,
 * digits, '_', '-', '+', '/', no "..", no leading '/'); says nothing of
 * whether the zone exists. */
int tz_name_ok(const char *name);
/* Loads zone name from dir (NULL: TZ_DIR) into z; "UTC" needs no file.
 * 0 ok; -1 with a message in err (z then holds UTC). Free with tz_release. */
int tz_load(struct tz *z, const char *name, const char *dir, char *err, size_t errlen);
void tz_release(struct tz *z);
/* Seconds east of UTC at Unix time t; z NULL means UTC. */
int tz_offset(const struct tz *z, long long t);
/* The UTC time whose local time in z is the wall-clock time local (seconds
 * since 1970 counted as if UTC): the earlier instant when clocks go back
 * and the time repeats; a time in a gap when they go forward is read with
 * the offset before it (02:30 in a gap 02:00-03:00 becomes 03:30). */
long long tz_from_local(const struct tz *z, long long local);

#endif
