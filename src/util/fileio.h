/*
 * fileio: small helpers for writing files with plain descriptors.
 */
#ifndef GZ_FILEIO_H
#define GZ_FILEIO_H

#include <stddef.h>

/* Writes all n bytes of p to fd, retrying short writes and EINTR: 0, or
 * -1 with errno set. */
int fileio_write_all(int fd, const void *p, size_t n);

#endif
