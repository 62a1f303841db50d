/*
 * file: see file.h. The ETag is the file's modification time and size
 * (nginx's choice): no read of the file, and a file replaced in place
 * gets a new one.
 */
#include "file.h"
#include "http.h"
#include "../util/pool.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A decimal number at *s (digits only), advancing *s: 0, or -1 when there
 * are no digits or it overflows. */
static int number(const char **s, size_t *v)
{
	const char *p = *s;
	size_t n = 0;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (SIZE_MAX - 9) / 10)
			return -1;
		n = n * 10 + (size_t)(*p - '0');
	}
	*s = p;
	*v = n;
	return 0;
}

int http_range(const char *h, size_t size, size_t *off, size_t *len)
{
	size_t first, last;
	if (!h || strncmp(h, "bytes=", 6) != 0)
		return 0;
	const char *s = h + 6;
	while (*s == ' ')
		s++;
	if (strchr(s, ','))
		return 0; /* several ranges: the whole file is a valid answer */
	if (*s == '-') { /* the last N bytes */
		s++;
		if (number(&s, &last) || *s || last == 0 || size == 0)
			return -1;
		*len = last < size ? last : size;
		*off = size - *len;
		return 1;
	}
	if (number(&s, &first) || *s++ != '-')
		return -1;
	if (*s == '\0')
		last = size ? size - 1 : 0;
	else if (number(&s, &last) || *s || last < first)
		return -1;
	if (first >= size)
		return -1;
	if (last >= size)
		last = size - 1;
	*off = first;
	*len = last - first + 1;
	return 1;
}

int http_etag_match(const char *inm, const char *etag)
{
	if (!inm)
		return 0;
	size_t n = strlen(etag);
	for (const char *p = inm; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* The validators and types of every file answer; its ETag. */
static const char *file_headers(struct req *rq, struct resp *rs, const struct stat *sb,
				const char *type, const char *cache_control)
{
	const char *etag = pool_printf(rq->pool, "\"%llx-%llx\"", (unsigned long long)sb->st_mtime,
				       (unsigned long long)sb->st_size);
	rs->content_type = type;
	rs->cache_control = cache_control;
	resp_header(rs, "ETag", etag);
	resp_header(rs, "Accept-Ranges", "bytes");
	return etag;
}

void http_file_ready(struct req *rq, struct resp *rs, const char *path, const struct stat *sb,
		     const char *type, const char *cache_control)
{
	file_headers(rq, rs, sb, type, cache_control);
	rs->file_path = path;
	rs->file_ino = (long long)sb->st_ino;
	rs->file_mtime = (long long)sb->st_mtime;
	rs->file_len = (size_t)sb->st_size;
}

void http_file(struct req *rq, struct resp *rs, int fd, const struct stat *sb, const char *type,
	       const char *cache_control)
{
	size_t size = (size_t)sb->st_size, off = 0, len = size;
	const char *etag = file_headers(rq, rs, sb, type, cache_control);
	if (http_etag_match(rq->if_none_match, etag)) {
		close(fd);
		rs->status = 304;
		return;
	}
	/* If-Range: the range only of this very version, else it all */
	int r = rq->if_range && strcmp(rq->if_range, etag) != 0
			? 0
			: http_range(rq->range, size, &off, &len);
	if (r < 0) {
		close(fd);
		rs->status = 416;
		rs->cache_control = NULL;
		rs->content_type = "text/plain; charset=utf-8";
		resp_header(rs, "Content-Range", pool_printf(rq->pool, "bytes */%zu", size));
		return;
	}
	if (r > 0) {
		rs->status = 206;
		resp_header(rs, "Content-Range",
			    pool_printf(rq->pool, "bytes %zu-%zu/%zu", off, off + len - 1, size));
	}
	rs->file_fd = fd;
	rs->file_off = off;
	rs->file_len = len;
}
