/*
 * app: Gazette as the server sees it. The route table and what decides a
 * request before its handler runs (routes.c) live here, above http/
 * (which serves and matches, knowing no page) and above pages/, admin/,
 * comments/ and auth/ (whose handlers the table names).
 */
#ifndef GZ_APP_H
#define GZ_APP_H

#include "../http/http.h"

/* The news site: cli/cmd_serve.c hands it to http_serve. */
extern const struct http_app app_gazette;

#endif
