/*
 * restore: an archive made by backup_make checked, then unpacked (see
 * backup.h). Both passes are one walk over the archive (check_members):
 * the first only checks, the second checks again while it writes, so an
 * archive changed between the two cannot slip anything past.
 */
#include "backup.h"
#include "manifest.h"
#include "../util/fileio.h"
#include "../util/pool.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A member's name: UTF-8 from a pax header whatever the locale, else
 * the header's bytes (ustar, or hdrcharset=BINARY); "" for none. */
static const char *member_name(struct archive_entry *ae)
{
	const char *s = archive_entry_pathname_utf8(ae);
	if (!s)
		s = archive_entry_pathname(ae);
	return s ? s : "";
}

/* The printable form of a name from an archive, for a message. */
static const char *shown(struct pool *p, const char *s)
{
	char *c = pool_strndup(p, s, strnlen(s, 300));
	for (char *q = c; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	return c;
}

static struct archive *open_archive(const char *path, char *err, size_t errlen)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, BACKUP_CHUNK) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s: %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* The first member, MANIFEST, read and parsed. */
static int read_manifest(struct archive *a, struct pool *p, struct manifest *m, char *err,
			 size_t errlen)
{
	struct archive_entry *ae;
	int r = archive_read_next_header(a, &ae);
	if (r != ARCHIVE_OK || strcmp(member_name(ae), MANIFEST_NAME) ||
	    archive_entry_filetype(ae) != AE_IFREG || !archive_entry_size_is_set(ae) ||
	    archive_entry_size(ae) <= 0 || archive_entry_size(ae) > MANIFEST_MAX_BYTES) {
		snprintf(err, errlen, MANIFEST_NAME ": %s",
			 r != ARCHIVE_OK ? archive_error_string(a) ? archive_error_string(a)
								 : "no members"
					 : "the first member is not the manifest (not a Gazette backup)");
		return -1;
	}
	size_t len = (size_t)archive_entry_size(ae), got = 0;
	char *text = pool_alloc(p, len);
	while (got < len) {
		la_ssize_t n = archive_read_data(a, text + got, len - got);
		if (n <= 0) {
			snprintf(err, errlen, MANIFEST_NAME ": truncated");
			return -1;
		}
		got += (size_t)n;
	}
	char why[400];
	if (manifest_parse(p, text, len, m, why, sizeof why)) {
		snprintf(err, errlen, MANIFEST_NAME ": %s", why);
		return -1;
	}
	return 0;
}

/* Makes the folders of rel below root. */
static int make_parents(struct pool *p, const char *root, const char *rel)
{
	char *path = pool_printf(p, "%s/%s", root, rel);
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		int rc = mkdir(path, 0755);
		*s = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return 0;
}

/* A member's file, with the permissions it had (never set-id or sticky;
 * always readable and writable by its owner). */
static int open_out(struct pool *p, const char *root, const char *rel, mode_t perm)
{
	if (make_parents(p, root, rel))
		return -1;
	int fd = open(pool_printf(p, "%s/%s", root, rel),
		      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && fchmod(fd, (perm & 0755) | 0600)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One member's data: summed, written to fd when fd >= 0. */
static const char *read_member(struct archive *a, const struct manifest_entry *e, int fd,
			       unsigned char *chunk)
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	long long size = 0;
	la_ssize_t n;
	while ((n = archive_read_data(a, chunk, BACKUP_CHUNK)) > 0) {
		crypto_hash_sha256_update(&h, chunk, (size_t)n);
		if (fd >= 0 && fileio_write_all(fd, chunk, (size_t)n))
			return strerror(errno);
		size += n;
	}
	if (n < 0 || size != e->size)
		return "truncated (the archive ends inside it)";
	unsigned char sum[MANIFEST_SUM_BYTES];
	crypto_hash_sha256_final(&h, sum);
	if (memcmp(sum, e->sum, sizeof sum))
		return "its SHA-256 sum differs from the manifest's (altered)";
	if (fd >= 0 && fsync(fd))
		return strerror(errno);
	return NULL;
}

/* Every member after the manifest, in the manifest's order, checked; and
 * written below into when it is not NULL. */
static int check_members(struct archive *a, const struct manifest *m, const char *into,
			 struct pool *p, char *err, size_t errlen)
{
	unsigned char *chunk = pool_alloc(p, BACKUP_CHUNK);
	for (size_t i = 0;; i++) {
		struct archive_entry *ae;
		int r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF && i == m->n)
			return 0;
		if (r == ARCHIVE_EOF || (r != ARCHIVE_OK && r != ARCHIVE_WARN)) {
			snprintf(err, errlen, "%s: missing (the archive is truncated%s%s)",
				 i < m->n ? shown(p, m->e[i].path) : "end of archive",
				 r == ARCHIVE_EOF ? "" : ": ",
				 r == ARCHIVE_EOF ? "" : archive_error_string(a));
			return -1;
		}
		const char *name = member_name(ae);
		const struct manifest_entry *e = i < m->n ? &m->e[i] : NULL;
		const char *why = NULL;
		if (!e || strcmp(name, e->path))
			why = e ? pool_printf(p, "not the member the manifest names next (%s)",
					      shown(p, e->path))
				: "not in the manifest";
		else if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae) ||
			 archive_entry_symlink(ae))
			why = "not a regular file (links and devices are refused)";
		else if (!archive_entry_size_is_set(ae) || archive_entry_size(ae) != e->size)
			why = "its size differs from the manifest's";
		int fd = -1;
		if (!why && into && (fd = open_out(p, into, e->path, archive_entry_perm(ae))) < 0)
			why = strerror(errno);
		if (!why)
			why = read_member(a, e, fd, chunk);
		if (fd >= 0)
			close(fd);
		if (why) {
			snprintf(err, errlen, "%s: %s", shown(p, name), why);
			return -1;
		}
	}
}

/* The whole archive checked (into NULL) or unpacked. */
static int pass(const char *archive, const char *into, struct pool *p, struct manifest *m,
		char *err, size_t errlen)
{
	struct archive *a = open_archive(archive, err, errlen);
	if (!a)
		return -1;
	int rc = read_manifest(a, p, m, err, errlen);
	if (rc == 0)
		rc = check_members(a, m, into, p, err, errlen);
	archive_read_free(a);
	return rc;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path) && errno != ENOENT ? -1 : 0;
}

/* newdir must not exist, or be an empty folder. */
static int target_ok(const char *newdir, char *err, size_t errlen)
{
	struct stat sb;
	if (lstat(newdir, &sb)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", newdir, strerror(errno));
		return -1;
	}
	DIR *d = S_ISDIR(sb.st_mode) ? opendir(newdir) : NULL;
	struct dirent *e;
	int empty = d != NULL;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	if (!empty) {
		snprintf(err, errlen, "%s exists and is not an empty folder: nothing was written",
			 newdir);
		return -1;
	}
	return 0;
}

int backup_restore(const char *archive, const char *newdir, struct backup_stats *stats,
		   char *err, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium did not start");
		return -1;
	}
	if (target_ok(newdir, err, errlen))
		return -1;
	struct pool *p = pool_new();
	struct manifest m;
	int rc = pass(archive, NULL, p, &m, err, errlen);
	/* the temporary sibling: same file system, so the rename is atomic */
	char *parent = pool_strdup(p, newdir);
	while (strlen(parent) > 1 && parent[strlen(parent) - 1] == '/')
		parent[strlen(parent) - 1] = '\0';
	char *slash = strrchr(parent, '/');
	const char *base = slash ? slash + 1 : parent;
	const char *tmp = pool_printf(p, "%.*s.%s.restore-%ld", slash ? (int)(slash - parent + 1) : 0,
				      parent, base, (long)getpid());
	if (rc == 0 && mkdir(tmp, 0755)) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = -1;
	} else if (rc == 0) {
		rc = pass(archive, tmp, p, &m, err, errlen);
		if (rc == 0 && rename(tmp, newdir)) {
			snprintf(err, errlen, "%s: %s", newdir, strerror(errno));
			rc = -1;
		}
		if (rc)
			nftw(tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		else
			fileio_sync_dir(slash ? (slash == parent ? "/" : pool_strndup(p, parent, (size_t)(slash - parent))) : ".");
	}
	if (rc == 0 && stats) {
		stats->files = m.n;
		stats->bytes = 0;
		for (size_t i = 0; i < m.n; i++)
			stats->bytes += m.e[i].size;
	}
	pool_free(p);
	return rc;
}
