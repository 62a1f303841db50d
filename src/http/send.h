/*
 * send: answers leave here (send.c). Internal to http/: the server calls
 * it once per request with what the handler built or what the cache held.
 */
#ifndef GZ_HTTP_SEND_H
#define GZ_HTTP_SEND_H

#include "http.h"

#include <microhttpd.h>

struct cache_hit;

static inline const char *http_header(struct MHD_Connection *con, const char *name)
{
	return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

/* Queues the handler's answer, with security headers; a public 200 gets
 * validators, a 304 when the client has it, and gzip when accepted. */
enum MHD_Result send_resp(struct MHD_Connection *con, const char *method, struct req *rq,
			  struct resp *rs);
/* Queues a cached page (or 304), and releases the hit. */
enum MHD_Result send_hit(struct MHD_Connection *con, const char *method, struct req *rq,
			 struct cache_hit *hit);
/* 1 when the answer may be kept in the page cache: a public 200, or a
 * public 404 (a page past a list's end), whose body was built whole. */
int send_keepable(const struct resp *rs);
/* Frees what send_hit kept in a cache entry's wire slot (cache_set_wire_free). */
void send_free_wire(void *wire);

#endif
