/*
 * daily: the scheduler's backup (see backup_daily in backup.h). An archive
 * is named by its UTC date, so "one a day" needs no state: today's name
 * is there or not, and the newest names sort last.
 */
#include "backup.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAILY_PREFIX "gazette-"
#define DAILY_SUFFIX ".tar"
#define DAILY_NAME_LEN (sizeof DAILY_PREFIX - 1 + 10 + sizeof DAILY_SUFFIX - 1)

/* 1 when name is gazette-YYYY-MM-DD.tar */
static int daily_name(const char *name)
{
	static const char shape[] = DAILY_PREFIX "0000-00-00" DAILY_SUFFIX;
	if (strlen(name) != DAILY_NAME_LEN)
		return 0;
	for (size_t i = 0; i < DAILY_NAME_LEN; i++)
		if (shape[i] == '0' ? name[i] < '0' || name[i] > '9' : name[i] != shape[i])
			return 0;
	return 1;
}

static int newest_first(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Removes the daily archives of dir past the newest keep. */
static int prune(struct pool *p, const char *dir, int keep, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	size_t n = 0, cap = 16;
	char **names = pool_alloc(p, cap * sizeof *names);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!daily_name(e->d_name))
			continue;
		if (n == cap) {
			char **more = pool_alloc(p, 2 * cap * sizeof *more);
			memcpy(more, names, n * sizeof *names);
			names = more;
			cap *= 2;
		}
		names[n++] = pool_strdup(p, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, newest_first);
	int rc = 0;
	for (size_t i = (size_t)keep; i < n; i++)
		if (unlink(pool_printf(p, "%s/%s", dir, names[i])) && errno != ENOENT) {
			snprintf(err, errlen, "%s/%s: %s", dir, names[i], strerror(errno));
			rc = -1;
		}
	return rc;
}

int backup_daily(const char *site_dir, const char *db_path, const char *dir, int keep,
		 long long now, char *name, size_t namelen, char *err, size_t errlen)
{
	struct pool *p = pool_new();
	const char *folder = dir[0] == '/' ? dir : pool_printf(p, "%s/%s", site_dir, dir);
	struct tm tm;
	num_utc(now, &tm);
	snprintf(name, namelen, "%s/" DAILY_PREFIX "%04d-%02d-%02d" DAILY_SUFFIX, folder,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	int rc = 0;
	if (mkdir(folder, 0750) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", folder, strerror(errno));
		rc = -1;
	} else if (access(name, F_OK) != 0) {
		/* a server killed while writing today's left these */
		unlink(pool_printf(p, "%s.tmp", name));
		unlink(pool_printf(p, "%s.tmp.db", name));
		rc = backup_make(site_dir, db_path, name, NULL, err, errlen) ? -1 : 1;
	}
	if (rc >= 0 && prune(p, folder, keep, err, errlen))
		rc = -1;
	pool_free(p);
	return rc;
}
