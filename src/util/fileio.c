/*
 * fileio: see fileio.h.
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int fileio_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int fileio_create_synced(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	int bad = fileio_write_all(fd, p, n) || fsync(fd);
	int saved = errno;
	bad |= close(fd) != 0;
	if (bad) {
		saved = saved ? saved : errno;
		unlink(path);
		errno = saved;
		return -1;
	}
	return 0;
}

void fileio_sync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

static struct kept {
	char dir[4096];
	size_t len;
	int fd;
} kept[FILEIO_KEPT_MAX];
static size_t nkept;

int fileio_keep_dir(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (dir[0] != '/' || n >= sizeof kept[0].dir || nkept == FILEIO_KEPT_MAX) {
		errno = EINVAL;
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memcpy(kept[nkept].dir, dir, n);
	kept[nkept].dir[n] = '\0';
	kept[nkept].len = n;
	kept[nkept++].fd = fd;
	return 0;
}

/* 1 when rel (a path below a kept folder) has a ".." component. */
static int climbs(const char *rel)
{
	for (const char *p = rel; *p; p += strcspn(p, "/"), p += *p == '/')
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2]))
			return 1;
	return 0;
}

int fileio_open(const char *path, int flags)
{
	for (size_t i = 0; i < nkept; i++) {
		const struct kept *k = &kept[i];
		if (strncmp(path, k->dir, k->len) != 0 || (path[k->len] && path[k->len] != '/'))
			continue;
		const char *rel = path + k->len;
		rel += strspn(rel, "/");
		if (climbs(rel)) {
			errno = EACCES;
			return -1;
		}
		return openat(k->fd, *rel ? rel : ".", flags | O_CLOEXEC);
	}
	return open(path, flags | O_CLOEXEC);
}

FILE *fileio_fopen(const char *path)
{
	int fd = fileio_open(path, O_RDONLY);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (fd >= 0 && !f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

DIR *fileio_opendir(const char *path)
{
	int fd = fileio_open(path, O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (fd >= 0 && !d) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}
