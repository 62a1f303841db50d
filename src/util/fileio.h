/*
 * fileio: small helpers for writing files with plain descriptors.
 */
#ifndef GZ_FILEIO_H
#define GZ_FILEIO_H

#include <stddef.h>

/* Writes all n bytes of p to fd, retrying short writes and EINTR: 0, or
 * -1 with errno set. */
int fileio_write_all(int fd, const void *p, size_t n);

/* Creates path (never an existing file or a symlink), writes all n bytes
 * of p, fsyncs and closes it: 0, or -1 with errno set and nothing left at
 * path. A temp name to be renamed into place once complete. */
int fileio_create_synced(const char *path, const void *p, size_t n);

/* fsyncs the folder dir, so names just made or renamed in it last. */
void fileio_sync_dir(const char *dir);

#endif
