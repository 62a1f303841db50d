/*
 * file: answering a GET for a file on disk the way browsers and media
 * players expect (issue 14): an ETag, 304 when the client has it, byte
 * ranges (206, and 416 for a range outside the file) so audio and video
 * can seek, and the bytes sent from the descriptor (sendfile), never read
 * into memory.
 */
#ifndef GZ_HTTP_FILE_H
#define GZ_HTTP_FILE_H

#include <stddef.h>
#include <sys/stat.h>

struct req;
struct resp;

/* Fills rs to send the open file fd (whose fstat is sb) as type with
 * cache_control, honouring rq's If-None-Match, Range and If-Range. Takes
 * fd: it is sent and closed by the server, or closed here. */
void http_file(struct req *rq, struct resp *rs, int fd, const struct stat *sb, const char *type,
	       const char *cache_control);

/* Fills rs to send the file at path (whose lstat is sb, a regular file)
 * whole as type, to a request with no Range, If-Range or If-None-Match,
 * for a name whose content never changes (a media library variant): the
 * server keeps a ready response per such file (send.c), so a repeated
 * request costs no open, fstat or header building. */
void http_file_ready(struct req *rq, struct resp *rs, const char *path, const struct stat *sb,
		     const char *type, const char *cache_control);

/* A Range header against a file of size bytes: 0 to send it whole (no
 * header, one that is not "bytes=", several ranges), 1 with *off and *len
 * set for one satisfiable range, -1 when the range lies outside the file
 * or is malformed (416). */
int http_range(const char *header, size_t size, size_t *off, size_t *len);

/* 1 when an If-None-Match header names etag ("*", or the tag in its
 * list, weak or strong). */
int http_etag_match(const char *if_none_match, const char *etag);

#endif
