/*
 * fileio: see fileio.h.
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
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
