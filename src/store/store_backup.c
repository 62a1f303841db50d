/*
 * store_backup: the online backup of the site database (see store_backup.h).
 */
#include "store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void pause_step(void)
{
	struct timespec ts = { 0, STORE_BACKUP_PAUSE_US * 1000L };
	nanosleep(&ts, NULL);
}

/* Steps the backup to its end, pausing between steps. */
static int copy_pages(sqlite3_backup *b)
{
	int rc;
	while ((rc = sqlite3_backup_step(b, STORE_BACKUP_PAGES)) == SQLITE_OK ||
	       rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		pause_step();
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_backup_copy(const char *src, const char *dest, char *err, size_t errlen)
{
	sqlite3 *from = NULL, *to = NULL;
	/* made here, new, private and not through a link: it holds the
	 * site's secret and password hashes until it is archived */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dest, errno == EEXIST ? "exists already" : strerror(errno));
		return -1;
	}
	close(fd);
	int rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(from, 5000);
	/* the snapshot: one read transaction held over every step */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(from, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL,
				  NULL);
	const char *who = src;
	if (rc == SQLITE_OK) {
		who = dest;
		rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
					   SQLITE_OPEN_NOMUTEX, NULL);
	}
	/* no fsync of the copy: it is read back into the archive and removed,
	 * and the archive's own fsync is the one that counts. A 240 MB copy
	 * synced at once would stall the disk the site commits to. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(to, "PRAGMA synchronous=OFF;", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
		rc = b ? copy_pages(b) : sqlite3_errcode(to);
		if (b && sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_OK)
			rc = sqlite3_errcode(to);
	}
	/* the copy as one file: no WAL beside it */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "%s: %s", who,
			 who == dest && to ? sqlite3_errmsg(to)
					   : from ? sqlite3_errmsg(from) : sqlite3_errstr(rc));
	if (from)
		sqlite3_exec(from, "ROLLBACK;", NULL, NULL, NULL);
	sqlite3_close(from);
	sqlite3_close(to);
	if (rc != SQLITE_OK)
		unlink(dest);
	return rc == SQLITE_OK ? 0 : -1;
}
