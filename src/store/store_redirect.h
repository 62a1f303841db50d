/*
 * store_redirect: old paths that answer 301 with a new one: a published
 * story's previous slugs, and a moved site's old permalinks (/?p=ID,
 * /YYYY/MM/DD/slug/, /category/x/ ...). Paths are stored as the router sees
 * them: the raw path, plus "?query" for query-addressed ones (/?p=12).
 */
#ifndef GZ_STORE_REDIRECT_H
#define GZ_STORE_REDIRECT_H

#include "store.h"

/* Adds or replaces old_path -> new_path. An entry whose old path is the
 * new target is removed, and earlier entries pointing at old_path are
 * moved to new_path, so chains never form and a story can get its old
 * slug back. */
int store_redirect_put(struct store *st, const char *old_path, const char *new_path);
/* The target for path: STORE_OK with *to set, or STORE_NOTFOUND. */
int store_redirect_get(struct store *st, struct pool *p, const char *path, const char **to);

#endif
