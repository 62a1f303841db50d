/*
 * backup: a whole site in one tar archive, taken while it serves, and put
 * back. The archive (POSIX pax, written and read with libarchive) holds,
 * in this order:
 *   MANIFEST        size, SHA-256 and path of every other member (manifest.h)
 *   gazette.db      the database at one moment (store_backup.h)
 *   gazette.conf    the settings, when the site has the file
 *   media-originals/..., media/..., theme/...   every regular file of those
 *                   folders (names starting with '.' left out: staging
 *                   folders of imports and uploads in progress)
 * sorted by path. The database is copied first and the folders read after
 * it: a file is written before the record naming it (media.h), so every
 * file the copy names is there.
 *
 * The one design decision: a restore writes nothing until the whole
 * archive has been read once and every member matched the manifest (name,
 * order, size, sum, a regular file, a path inside the site); then it reads
 * it again into a temporary sibling of the new folder, checking again,
 * and renames that into place. A bad archive leaves no trace.
 */
#ifndef GZ_BACKUP_H
#define GZ_BACKUP_H

#include <stddef.h>

#define BACKUP_CHUNK (256 * 1024)   /* bytes read at a time */
#define BACKUP_PAUSE_US 500         /* pause after each chunk: readers come first */
#define BACKUP_BLOCK (64 * 1024)    /* bytes the archive is written in at a time */
#define BACKUP_FLUSH (8 << 20)      /* archive bytes sent to the disk at a time (backup.c) */

struct backup_stats {
	size_t files;       /* members besides MANIFEST */
	long long bytes;    /* their bytes */
};

/* Writes the site in site_dir (database db_path) to the new archive out,
 * through out.tmp renamed into place: an existing out is never replaced,
 * and a failure leaves neither file. 0 ok; -1 with err. */
int backup_make(const char *site_dir, const char *db_path, const char *out,
		struct backup_stats *stats, char *err, size_t errlen);

/* Checks archive against its manifest, then unpacks it into newdir, which
 * must not exist or be an empty folder. 0 ok; -1 with err naming the first
 * bad member, newdir as it was. */
int backup_restore(const char *archive, const char *newdir, struct backup_stats *stats,
		   char *err, size_t errlen);

/* The daily backup: when dir (relative paths are below site_dir) has no
 * gazette-YYYY-MM-DD.tar of now's UTC date, makes it (the folder too) and
 * then removes the oldest such archives beyond keep. 1 made, 0 there was
 * one already (pruned all the same), -1 with err. *name gets the
 * archive's path. */
int backup_daily(const char *site_dir, const char *db_path, const char *dir, int keep,
		 long long now, char *name, size_t namelen, char *err, size_t errlen);

#endif
