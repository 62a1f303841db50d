/*
 * tz: see tz.h. The one decision: a TZif file is read whole once at start
 * (its 64-bit part when it has one) and kept as two arrays, so an offset
 * is a binary search; times past the last transition follow the file's
 * POSIX footer ("CET-1CEST,M3.5.0,M10.5.0/3"), of which the Mm.w.d form
 * every current zone uses is understood.
 */
#include "tz.h"
#include "fileio.h"
#include "num.h"
#include "str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TZ_FILE_MAX (1u << 20)
#define TZ_TRANS_MAX 4096

int tz_name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= sizeof ((struct tz *)0)->name || name[0] == '/' ||
	    name[len - 1] == '/' || strstr(name, "..") || strstr(name, "//"))
		return 0;
	for (const char *c = name; *c; c++)
		if (!str_is_alnum(*c) && !strchr("_-+/", *c))
			return 0;
	return 1;
}

static void set_utc(struct tz *z)
{
	memset(z, 0, sizeof *z);
	memcpy(z->name, "UTC", 4);
}

void tz_release(struct tz *z)
{
	free(z->at);
	free(z->off);
	set_utc(z);
}

static long long be(const unsigned char *p, int n)
{
	unsigned long long v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (long long)(int)(unsigned)v;
	return (long long)v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(long long y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return n[m - 1] + (m == 2 && leap);
}

/* The UTC time of rule r in year y, its time of day read at offset off. */
static long long rule_at(const struct tz_rule *r, long long y, int off)
{
	long long first = days_from_civil(y, r->m, 1);
	int wday1 = (int)(((first % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	int day = 1 + (r->d - wday1 + 7) % 7 + (r->w - 1) * 7;
	while (day > month_days(y, r->m))
		day -= 7;
	return (first + day - 1) * 86400 + r->secs - off;
}

/* [+-]hh[:mm[:ss]] into *secs; the POSIX sign is kept as written. */
static const char *parse_hms(const char *s, int *secs)
{
	int sign = 1, part[3] = { 0, 0, 0 };
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		if (!str_is_digit(*s))
			return i ? s : NULL;
		while (str_is_digit(*s))
			part[i] = part[i] * 10 + (*s++ - '0');
		if (i < 2 && s[0] == ':' && str_is_digit(s[1]))
			s++;
		else
			break;
	}
	*secs = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return s;
}

static const char *parse_abbr(const char *s)
{
	if (*s == '<') {
		const char *e = strchr(s, '>');
		return e ? e + 1 : NULL;
	}
	const char *b = s;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	return s - b >= 3 ? s : NULL;
}

static const char *parse_rule(const char *s, struct tz_rule *r)
{
	if (*s != 'M' || sscanf(s, "M%d.%d.%d", &r->m, &r->w, &r->d) != 3 || r->m < 1 ||
	    r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6)
		return NULL;
	s += strcspn(s, ",/");
	r->secs = 7200;
	if (*s == '/' && !(s = parse_hms(s + 1, &r->secs)))
		return NULL;
	return s;
}

/* The footer: 1 fixed offset, 2 with daylight time, 0 not understood. */
static int parse_footer(struct tz *z, const char *s)
{
	int std, dst;
	if (!(s = parse_abbr(s)) || !(s = parse_hms(s, &std)))
		return 0;
	z->std_off = -std;
	if (!*s)
		return 1;
	if (!(s = parse_abbr(s)))
		return 0;
	dst = std - 3600;
	if (*s != ',' && !(s = parse_hms(s, &dst)))
		return 0;
	z->dst_off = -dst;
	if (*s != ',' || !(s = parse_rule(s + 1, &z->start)) || *s != ',' ||
	    !(s = parse_rule(s + 1, &z->end)) || *s)
		return 0;
	return 2;
}

static int bad(struct tz *z, char *err, size_t errlen, const char *name, const char *why)
{
	tz_release(z);
	snprintf(err, errlen, "time zone \"%s\": %s", name, why);
	return -1;
}

/* Parses one data block of a TZif file (version 1 times are 4 bytes, later
 * ones 8); returns the bytes it took, or 0 when the block is short. */
static size_t parse_block(struct tz *z, const unsigned char *d, size_t len, int tsize)
{
	if (len < 44 || memcmp(d, "TZif", 4) != 0)
		return 0;
	size_t isut = (size_t)be(d + 20, 4), isstd = (size_t)be(d + 24, 4),
	       leap = (size_t)be(d + 28, 4), timecnt = (size_t)be(d + 32, 4),
	       typecnt = (size_t)be(d + 36, 4), chars = (size_t)be(d + 40, 4);
	if (timecnt > TZ_TRANS_MAX || typecnt == 0 || typecnt > 256 || leap > TZ_TRANS_MAX ||
	    chars > 4096 || isut > 256 || isstd > 256)
		return 0;
	size_t need = 44 + timecnt * (size_t)tsize + timecnt + typecnt * 6 + chars +
		      leap * (size_t)(tsize + 4) + isstd + isut;
	if (need > len)
		return 0;
	const unsigned char *times = d + 44, *idx = times + timecnt * (size_t)tsize,
			    *types = idx + timecnt;
	free(z->at);
	free(z->off);
	z->at = calloc(timecnt ? timecnt : 1, sizeof *z->at);
	z->off = calloc(timecnt ? timecnt : 1, sizeof *z->off);
	if (!z->at || !z->off)
		return 0;
	for (size_t i = 0; i < timecnt; i++) {
		if (idx[i] >= typecnt)
			return 0;
		z->at[i] = be(times + i * (size_t)tsize, tsize);
		z->off[i] = (int)be(types + idx[i] * 6, 4);
		if (i && z->at[i] <= z->at[i - 1])
			return 0;
	}
	z->n = timecnt;
	/* before the first transition: local time type 0 (RFC 8536 3.2) */
	z->off0 = (int)be(types, 4);
	return need;
}

static int parse_tzif(struct tz *z, const unsigned char *d, size_t len)
{
	size_t used = parse_block(z, d, len, 4);
	if (!used)
		return -1;
	if (d[4] < '2')
		return 0;
	size_t used2 = parse_block(z, d + used, len - used, 8);
	if (!used2)
		return -1;
	const char *foot = (const char *)d + used + used2;
	size_t flen = len - used - used2;
	char rule[128];
	if (flen >= 2 && foot[0] == '\n' && flen - 2 < sizeof rule && foot[flen - 1] == '\n') {
		memcpy(rule, foot + 1, flen - 2);
		rule[flen - 2] = '\0';
		z->has_rule = parse_footer(z, rule);
	}
	return 0;
}

int tz_load(struct tz *z, const char *name, const char *dir, char *err, size_t errlen)
{
	set_utc(z);
	if (strcmp(name, "UTC") == 0)
		return 0;
	if (!tz_name_ok(name))
		return bad(z, err, errlen, name, "not a zone name (like Europe/Berlin or UTC)");
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir ? dir : TZ_DIR, name);
	FILE *f = fileio_fopen(path);
	if (!f)
		return bad(z, err, errlen, name,
			   errno == ENOENT ? "no such zone in the system's zoneinfo (" TZ_DIR ")"
					   : strerror(errno));
	unsigned char *d = malloc(TZ_FILE_MAX);
	size_t len = d ? fread(d, 1, TZ_FILE_MAX, f) : 0;
	fclose(f);
	int rc = d && len < TZ_FILE_MAX ? parse_tzif(z, d, len) : -1;
	free(d);
	if (rc)
		return bad(z, err, errlen, name, "not a compiled zoneinfo (TZif) file");
	size_t nlen = strlen(name);
	memcpy(z->name, name, nlen + 1);
	return 0;
}

static int rule_offset(const struct tz *z, long long t)
{
	if (z->has_rule == 1)
		return z->std_off;
	struct tm tm;
	num_utc(t + z->std_off, &tm);
	long long y = tm.tm_year + 1900;
	long long s = rule_at(&z->start, y, z->std_off), e = rule_at(&z->end, y, z->dst_off);
	int dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
	return dst ? z->dst_off : z->std_off;
}

int tz_offset(const struct tz *z, long long t)
{
	if (!z || (z->n == 0 && !z->has_rule))
		return z ? z->off0 : 0;
	if (z->n == 0 || t < z->at[0])
		return z->n == 0 ? rule_offset(z, t) : z->off0;
	if (t >= z->at[z->n - 1] && z->has_rule)
		return rule_offset(z, t);
	size_t lo = 0, hi = z->n; /* the last at[i] <= t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[lo];
}

long long tz_from_local(const struct tz *z, long long local)
{
	int before = tz_offset(z, local - 86400), after = tz_offset(z, local + 86400);
	long long a = local - before, b = local - after;
	int a_ok = tz_offset(z, a) == before, b_ok = tz_offset(z, b) == after;
	if (a_ok && b_ok)
		return a < b ? a : b;
	if (b_ok)
		return b;
	return a;
}
