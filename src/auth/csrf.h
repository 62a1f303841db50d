/*
 * csrf: the token every state-changing admin form carries (field gz_csrf)
 * and the Origin check. The token is an HMAC of the session id under the
 * site secret: nothing more to store, and it changes with the session.
 * The router checks both for every route flagged ROUTE_CSRF, before the
 * handler runs; a failure is a 403 with nothing changed.
 */
#ifndef GZ_CSRF_H
#define GZ_CSRF_H

#include "../http/http.h"

#define CSRF_FIELD "gz_csrf"
#define CSRF_TOKEN_HEX 65

struct site;

void csrf_token(const struct site *site, const char *session_id, char out[CSRF_TOKEN_HEX]);
/* 1 when the request has no Origin header, or one naming this site (its
 * Host over the scheme it came on, or the configured base_url). */
int csrf_origin_ok(const struct req *rq);
/* 1 when the form's gz_csrf matches the session's token and the origin is ok. */
int csrf_ok(const struct req *rq);

#endif
