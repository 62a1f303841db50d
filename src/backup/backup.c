/*
 * backup: making, checking and unpacking a site's archive (see backup.h).
 *
 * libarchive writes and reads the tar: Debian's maintained library for
 * the format (pax headers, long names, every tar dialect's quirks on
 * reading), so no tar code of our own has to be fuzzed and kept.
 */
#include "backup.h"
#include "manifest.h"
#include "../store/store_backup.h"
#include "../util/buf.h"
#include "../util/fileio.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WALK_DEPTH 16

static const char *const folders[] = { "media-originals", "media", "theme" };

static void pause_chunk(void)
{
	struct timespec ts = { 0, BACKUP_PAUSE_US * 1000L };
	nanosleep(&ts, NULL);
}

/* Where members go: the archive, and its file written out steadily. The
 * kernel would otherwise gather a whole archive's worth of dirty pages and
 * write them in bursts (and the final fsync as one), stalling the disk the
 * site's database commits to. So each BACKUP_FLUSH bytes the archive has
 * grown are sent to the disk at once, the window before them is waited
 * for, and those pages are dropped from the page cache, which keeps the
 * pictures and pages readers need. */
struct sink {
	struct archive *a;
	int fd;
	off_t started;   /* written out from here on, not yet waited for */
	off_t synced;    /* on the disk and dropped up to here */
};

static void sink_flow(struct sink *o)
{
	off_t at = lseek(o->fd, 0, SEEK_CUR);
	if (at < 0 || at - o->started < BACKUP_FLUSH)
		return;
	/* errors only lose the smoothing: the final fsync still checks */
	(void)sync_file_range(o->fd, o->started, at - o->started, SYNC_FILE_RANGE_WRITE);
	if (o->started > o->synced) {
		(void)sync_file_range(o->fd, o->synced, o->started - o->synced,
				      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
					      SYNC_FILE_RANGE_WAIT_AFTER);
		(void)posix_fadvise(o->fd, o->synced, o->started - o->synced, POSIX_FADV_DONTNEED);
		o->synced = o->started;
	}
	o->started = at;
}

/* ---------------------------------------------------------------- making */

struct list {
	struct pool *p;
	struct manifest m;
	size_t cap;
	struct stat own[2];   /* the archive and the database copy being made */
	int nown;
};

/* 1 when sb is a file this backup is writing (OUT given inside media/). */
static int own_file(const struct list *l, const struct stat *sb)
{
	for (int i = 0; i < l->nown; i++)
		if (l->own[i].st_dev == sb->st_dev && l->own[i].st_ino == sb->st_ino)
			return 1;
	return 0;
}

static void list_add(struct list *l, const char *path, long long size)
{
	if (l->m.n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		struct manifest_entry *e = pool_alloc(l->p, l->cap * sizeof *e);
		if (l->m.n)
			memcpy(e, l->m.e, l->m.n * sizeof *e);
		l->m.e = e;
	}
	l->m.e[l->m.n++] = (struct manifest_entry){ .size = size, .path = pool_strdup(l->p, path) };
}

/* Every regular file below site_dir/rel (not following links). */
static int walk(struct list *l, const char *site_dir, const char *rel, int depth, char *err,
		size_t errlen)
{
	const char *path = pool_printf(l->p, "%s/%s", site_dir, rel);
	DIR *d = opendir(path);
	if (!d) {
		if (errno == ENOENT && depth == 0)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		const char *sub = pool_printf(l->p, "%s/%s", rel, e->d_name);
		struct stat sb;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW))
			continue; /* gone since readdir */
		if (S_ISDIR(sb.st_mode) && depth < WALK_DEPTH)
			rc = walk(l, site_dir, sub, depth + 1, err, errlen);
		else if (S_ISREG(sb.st_mode) && !own_file(l, &sb)) {
			if (!manifest_path_ok(sub, strlen(sub))) {
				snprintf(err, errlen, "%s/%s: a name a backup cannot hold (a control "
					 "character or backslash): rename it", site_dir, sub);
				rc = -1;
			} else
				list_add(l, sub, (long long)sb.st_size);
		}
	}
	closedir(d);
	return rc;
}

/* Reads fd to its end, summing it and handing each chunk to the sink o
 * (when not NULL); *size gets the bytes read. 0 ok; -1 with err. */
static int stream(int fd, unsigned char *chunk, struct sink *o, unsigned char sum[32],
		  long long *size, char *err, size_t errlen)
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	*size = 0;
	for (;;) {
		ssize_t n = read(fd, chunk, BACKUP_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s", strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&h, chunk, (size_t)n);
		if (o && archive_write_data(o->a, chunk, (size_t)n) != n) {
			snprintf(err, errlen, "%s", archive_error_string(o->a));
			return -1;
		}
		if (o)
			sink_flow(o);
		*size += n;
		pause_chunk();
	}
	crypto_hash_sha256_final(&h, sum);
	return 0;
}

static const char *source(struct pool *p, const char *site_dir, const char *db_copy,
			  const char *path)
{
	return strcmp(path, "gazette.db") ? pool_printf(p, "%s/%s", site_dir, path) : db_copy;
}

/* Sizes and sums of every entry. */
static int sum_all(struct list *l, const char *site_dir, const char *db_copy,
		   unsigned char *chunk, char *err, size_t errlen)
{
	for (size_t i = 0; i < l->m.n; i++) {
		struct manifest_entry *e = &l->m.e[i];
		const char *src = source(l->p, site_dir, db_copy, e->path);
		int fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		char why[256] = "";
		if (fd < 0 || stream(fd, chunk, NULL, e->sum, &e->size, why, sizeof why)) {
			snprintf(err, errlen, "%s: %s", src, fd < 0 ? strerror(errno) : why);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static struct archive_entry *file_entry(const char *path, long long size, time_t mtime,
				       mode_t perm)
{
	struct archive_entry *ae = archive_entry_new();
	archive_entry_set_pathname(ae, path);
	archive_entry_set_size(ae, size);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, perm & 0777);
	archive_entry_set_mtime(ae, mtime, 0);
	return ae;
}

/* One member: its header, then the file streamed and checked against
 * what the manifest says (a file that changed since fails the backup). */
static int write_member(struct sink *o, const struct manifest_entry *e, const char *src,
			unsigned char *chunk, char *err, size_t errlen)
{
	int fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s (removed during the backup? run it again)", src,
			 strerror(errno));
		return -1;
	}
	struct stat sb;
	int known = fstat(fd, &sb) == 0;
	struct archive_entry *ae = file_entry(e->path, e->size, known ? sb.st_mtime : time(NULL),
					      known ? sb.st_mode : 0644);
	int rc = archive_write_header(o->a, ae) == ARCHIVE_OK ? 0 : -1;
	archive_entry_free(ae);
	unsigned char sum[32];
	long long size;
	char why[256] = "";
	if (rc)
		snprintf(why, sizeof why, "%s", archive_error_string(o->a));
	else if ((rc = stream(fd, chunk, o, sum, &size, why, sizeof why)) == 0 &&
		 (size != e->size || memcmp(sum, e->sum, sizeof sum))) {
		snprintf(why, sizeof why, "changed during the backup (run it again)");
		rc = -1;
	}
	close(fd);
	if (rc)
		snprintf(err, errlen, "%s: %s", src, why);
	return rc;
}

static int write_archive(int fd, const struct manifest *m, const char *site_dir,
			 const char *db_copy, struct pool *p, unsigned char *chunk, char *err,
			 size_t errlen)
{
	struct buf text = BUF_INIT;
	manifest_write(m, &text);
	struct archive *a = archive_write_new();
	struct sink o = { .a = a, .fd = fd };
	/* Names are UTF-8 (manifest_path_ok) and libarchive converts them
	 * through the thread's locale, "C" in the server: this thread reads
	 * them as UTF-8 while it writes. Where C.UTF-8 cannot be loaded (a
	 * server confined to its folder), they go in as raw bytes marked
	 * hdrcharset=BINARY (GNU tar lists them, with a warning). */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t was = utf8 ? uselocale(utf8) : (locale_t)0;
	/* 64 kB writes (libarchive's default is 10 kB), the last block not
	 * padded beyond the tar format's own 512-byte records */
	int rc = text.err || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
		 archive_write_set_bytes_per_block(a, BACKUP_BLOCK) != ARCHIVE_OK ||
		 archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
			 (!utf8 && archive_write_set_format_option(a, "pax", "hdrcharset",
								   "BINARY") != ARCHIVE_OK) ||
			 archive_write_open_fd(a, fd) != ARCHIVE_OK
		     ? -1 : 0;
	if (rc == 0) {
		struct archive_entry *ae = file_entry(MANIFEST_NAME, (long long)text.len, time(NULL), 0644);
		rc = archive_write_header(a, ae) != ARCHIVE_OK ||
				     archive_write_data(a, text.s, text.len) != (la_ssize_t)text.len
			     ? -1 : 0;
		archive_entry_free(ae);
	}
	if (rc)
		snprintf(err, errlen, "writing the archive: %s",
			 text.err ? "manifest too long" : archive_error_string(a));
	for (size_t i = 0; rc == 0 && i < m->n; i++)
		rc = write_member(&o, &m->e[i], source(p, site_dir, db_copy, m->e[i].path), chunk, err,
				  errlen);
	if (rc == 0 && archive_write_close(a) != ARCHIVE_OK) {
		snprintf(err, errlen, "writing the archive: %s", archive_error_string(a));
		rc = -1;
	}
	archive_write_free(a);
	if (utf8) {
		uselocale(was);
		freelocale(utf8);
	}
	buf_release(&text);
	return rc;
}

/* The snapshot and the list of what goes in, summed. */
static int gather(struct list *l, const char *site_dir, const char *db_path,
		  const char *db_copy, unsigned char *chunk, char *err, size_t errlen)
{
	if (store_backup_copy(db_path, db_copy, err, errlen))
		return -1;
	if (stat(db_copy, &l->own[l->nown]) == 0)
		l->nown++;
	list_add(l, "gazette.db", 0);
	struct stat sb;
	const char *conf = pool_printf(l->p, "%s/gazette.conf", site_dir);
	if (lstat(conf, &sb) == 0 && S_ISREG(sb.st_mode))
		list_add(l, "gazette.conf", sb.st_size);
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
		if (walk(l, site_dir, folders[i], 0, err, errlen))
			return -1;
	manifest_sort(&l->m);
	return sum_all(l, site_dir, db_copy, chunk, err, errlen);
}

int backup_make(const char *site_dir, const char *db_path, const char *out,
		struct backup_stats *stats, char *err, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium did not start");
		return -1;
	}
	if (access(out, F_OK) == 0) {
		snprintf(err, errlen, "%s exists already: not replaced (give a new name)", out);
		return -1;
	}
	struct list l = { .p = pool_new() };
	const char *tmp = pool_printf(l.p, "%s.tmp", out);
	const char *db_copy = pool_printf(l.p, "%s.tmp.db", out);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s%s", tmp, strerror(errno),
			 errno == EEXIST ? " (another backup is writing it, or one was killed: "
					   "remove it)" : "");
		pool_free(l.p);
		return -1;
	}
	if (fstat(fd, &l.own[0]) == 0)
		l.nown = 1;
	unsigned char *chunk = pool_alloc(l.p, BACKUP_CHUNK);
	int rc = gather(&l, site_dir, db_path, db_copy, chunk, err, errlen);
	if (rc == 0)
		rc = write_archive(fd, &l.m, site_dir, db_copy, l.p, chunk, err, errlen);
	if (rc == 0 && fsync(fd)) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = -1;
	}
	close(fd);
	unlink(db_copy);
	if (rc == 0 && renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_NOREPLACE)) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		rc = -1;
	}
	if (rc)
		unlink(tmp);
	else {
		char *dir = pool_strdup(l.p, out), *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		fileio_sync_dir(slash ? (*dir ? dir : "/") : ".");
	}
	if (rc == 0 && stats) {
		stats->files = l.m.n;
		stats->bytes = 0;
		for (size_t i = 0; i < l.m.n; i++)
			stats->bytes += l.m.e[i].size;
	}
	pool_free(l.p);
	return rc;
}
