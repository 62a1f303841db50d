/*
 * resp: what a handler says of its answer (extra headers, a redirect).
 * A leaf: it knows the struct resp of http.h and nothing of MHD, so
 * handlers answer without reaching into the server.
 */
#include "http.h"

void resp_header(struct resp *rs, const char *name, const char *value)
{
	if (rs->nheaders < HTTP_MAX_HEADERS) {
		rs->headers[rs->nheaders].name = name;
		rs->headers[rs->nheaders].value = value;
		rs->nheaders++;
	}
}

void resp_redirect(struct resp *rs, int status, const char *location)
{
	rs->status = status;
	rs->location = location;
	buf_reset(&rs->body);
}
