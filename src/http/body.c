/*
 * body: request bodies in memory, then in a temporary file (see body.h).
 *
 * The temporary file is made with O_TMPFILE where the file system has it,
 * else with mkstemp and an immediate unlink: either way it has no name
 * while it is written, and it vanishes with its descriptor even if the
 * server is killed. It lives in the site folder because a server confined
 * there (sandbox.c) can write nowhere else.
 */
#include "body.h"
#include "../util/fileio.h"
#include "../util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Bytes reserved by all bodies in flight. */
static _Atomic size_t reserved_total;

void body_init(struct body *b, const char *dir, size_t limit)
{
	memset(b, 0, sizeof *b);
	buf_init(&b->mem, 0);
	b->fd = -1;
	b->limit = limit;
	b->dir = dir;
}

int body_reserve(struct body *b, size_t announced, size_t budget)
{
	size_t want = announced < BODY_SPILL ? announced : BODY_SPILL;
	size_t have = atomic_load(&reserved_total);
	do {
		if (have + want > budget)
			return -1;
	} while (!atomic_compare_exchange_weak(&reserved_total, &have, have + want));
	b->reserved += want;
	return 0;
}

/* A nameless file in b->dir, or -1. */
static int temp_file(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char path[4096];
	if (snprintf(path, sizeof path, "%s/.gazette-body-XXXXXX", dir) >= (int)sizeof path)
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Moves the bytes so far into a temporary file and frees the memory. */
static int spill(struct body *b)
{
	b->fd = temp_file(b->dir);
	if (b->fd < 0) {
		log_error("http: cannot make a temporary file for a request body in %s: %s", b->dir,
			  strerror(errno));
		return -1;
	}
	if (fileio_write_all(b->fd, b->mem.s, b->mem.len))
		return -1;
	buf_release(&b->mem);
	buf_init(&b->mem, 0);
	return 0;
}

void body_add(struct body *b, const void *p, size_t n)
{
	if (b->too_large || b->failed)
		return;
	if (n > b->limit - b->len) {
		b->too_large = 1;
		return;
	}
	/* under BODY_SPILL with its NUL, in one allocation of the share
	 * reserved (the buffer would otherwise double past it) */
	if (b->fd < 0 && b->len + n < BODY_SPILL) {
		if (!b->mem.cap && b->reserved)
			buf_reserve(&b->mem, b->reserved < BODY_SPILL ? b->reserved : BODY_SPILL - 1);
		buf_add(&b->mem, p, n);
		b->failed = b->mem.err;
	} else if ((b->fd < 0 && spill(b)) || fileio_write_all(b->fd, p, n))
		b->failed = 1;
	b->len += n;
}

int body_spilled(const struct body *b) { return b->fd >= 0; }

const char *body_bytes(struct body *b, size_t *len)
{
	*len = b->len;
	if (b->failed || b->mem.err)
		return NULL;
	if (b->fd < 0)
		return buf_str(&b->mem);
	if (!b->map) {
		/* a NUL after the bytes, as in memory */
		if (fileio_write_all(b->fd, "", 1)) {
			b->failed = 1;
			return NULL;
		}
		b->map = mmap(NULL, b->len + 1, PROT_READ, MAP_PRIVATE, b->fd, 0);
		if (b->map == MAP_FAILED) {
			log_error("http: cannot map a request body's temporary file: %s", strerror(errno));
			b->map = NULL;
			b->failed = 1;
			return NULL;
		}
	}
	return b->map;
}

void body_release(struct body *b)
{
	if (b->map)
		munmap(b->map, b->len + 1);
	if (b->fd >= 0)
		close(b->fd);
	buf_release(&b->mem);
	atomic_fetch_sub(&reserved_total, b->reserved);
	b->reserved = 0;
	b->map = NULL;
	b->fd = -1;
}

size_t body_reserved(void)
{
	return atomic_load(&reserved_total);
}
