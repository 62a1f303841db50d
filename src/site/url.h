/*
 * url: the site's addresses, built in one place so pages, feeds, comment
 * threads and redirects agree on them.
 */
#ifndef GZ_URL_H
#define GZ_URL_H

struct pool;
struct story;
/* "/2024/07/05/slug": the one URL of a story. */
const char *story_path(struct pool *p, const struct story *s);
/* prefix followed by the slug, percent-encoded: "/tag/energy". */
const char *page_path(struct pool *p, const char *prefix, const char *slug);

#endif
