/*
 * fileio: small helpers for writing files with plain descriptors, and the
 * read-only opens of files a confined server must still reach.
 */
#ifndef GZ_FILEIO_H
#define GZ_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Writes all n bytes of p to fd, retrying short writes and EINTR: 0, or
 * -1 with errno set. */
int fileio_write_all(int fd, const void *p, size_t n);

/* Creates path (never an existing file or a symlink), writes all n bytes
 * of p, fsyncs and closes it: 0, or -1 with errno set and nothing left at
 * path. A temp name to be renamed into place once complete. */
int fileio_create_synced(const char *path, const void *p, size_t n);

/* fsyncs the folder dir, so names just made or renamed in it last. */
void fileio_sync_dir(const char *dir);

/* Copies the folder dir (an absolute path) into memory, so the opens
 * below still reach what lies under it once the process is confined
 * elsewhere (chroot: `serve` started as root keeps the default theme and
 * the zoneinfo for a SIGHUP reload, http/sandbox.c). No descriptor of it
 * is kept: the copy is a snapshot, a file changed on disk afterwards is
 * not seen. Regular files and the folders holding them are copied; a
 * symlink only when it names a regular file inside the folder (anything
 * else is left out); top-level subfolders named in skip (a NULL-ended
 * list, or NULL) are left out. More than FILEIO_KEEP_FILES entries or
 * FILEIO_KEEP_BYTES bytes is refused (logged, EFBIG). Call before any
 * thread opens files through it; at most FILEIO_KEPT_MAX folders. 0, or
 * -1 with errno. */
#define FILEIO_KEPT_MAX 4
#define FILEIO_KEEP_FILES 4000
#define FILEIO_KEEP_BYTES (8 << 20)
int fileio_keep_dir(const char *dir, const char *const *skip);

/* open(2) and fopen(3) for reading: a path under a kept folder is a new
 * memfd holding that file's copy, at offset 0 (ENOENT when the copy has
 * no such file, EACCES for a path climbing out with "..", EISDIR for a
 * folder), any other path is opened as given. */
int fileio_open(const char *path, int flags);
FILE *fileio_fopen(const char *path);

/* What an entry of a listed folder is (a symlink: what it names). */
enum fileio_type { FILEIO_OTHER, FILEIO_FILE, FILEIO_DIR, FILEIO_TYPE__MAX };
/* Called for each entry; a nonzero return stops the listing. */
typedef int (*fileio_entry_fn)(void *ctx, const char *name, enum fileio_type type);
/* Calls fn for each entry of the folder dir ("." and ".." left out, in
 * no set order), from a kept folder's copy or from disk: 0, fn's first
 * nonzero return, or -1 with errno when dir cannot be listed. */
int fileio_list(const char *dir, fileio_entry_fn fn, void *ctx);

#endif
