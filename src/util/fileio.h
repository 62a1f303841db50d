/*
 * fileio: small helpers for writing files with plain descriptors, and the
 * read-only opens of files a confined server must still reach.
 */
#ifndef GZ_FILEIO_H
#define GZ_FILEIO_H

#include <stddef.h>
#include <stdio.h>
#include <dirent.h>

/* Writes all n bytes of p to fd, retrying short writes and EINTR: 0, or
 * -1 with errno set. */
int fileio_write_all(int fd, const void *p, size_t n);

/* Creates path (never an existing file or a symlink), writes all n bytes
 * of p, fsyncs and closes it: 0, or -1 with errno set and nothing left at
 * path. A temp name to be renamed into place once complete. */
int fileio_create_synced(const char *path, const void *p, size_t n);

/* fsyncs the folder dir, so names just made or renamed in it last. */
void fileio_sync_dir(const char *dir);

/* Keeps the folder dir (an absolute path) open, so the opens below still
 * reach what lies under it once the process is confined elsewhere
 * (chroot: `serve` started as root keeps the default theme and the
 * zoneinfo for a SIGHUP reload, http/sandbox.c). Call before any thread
 * opens files through it; at most FILEIO_KEPT_MAX folders. 0, or -1 with
 * errno. */
#define FILEIO_KEPT_MAX 4
int fileio_keep_dir(const char *dir);
/* open(2), fopen(3) and opendir(3) for reading: a path under a kept
 * folder is opened relative to its descriptor (a path climbing out of it
 * with ".." is refused, EACCES), any other as given. */
int fileio_open(const char *path, int flags);
FILE *fileio_fopen(const char *path);
DIR *fileio_opendir(const char *path);

#endif
