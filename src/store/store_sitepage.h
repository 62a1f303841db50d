/*
 * store_sitepage: static pages (About, Contact, Imprint, Privacy). They
 * live in a table of their own (pages), so no list, feed, search or news
 * sitemap query ever meets one; only /sitemap.xml reads them
 * (store_feeds.h, kind SITEMAP_PAGES).
 *
 * Writers run inside the caller's transaction (store_begin) and log
 * "sitepage:ID" for each page whose address or content changed and
 * "sitepages" for the set (an address that now answers, the sitemap).
 * Readers report "sitepage:ID" for a page found and "sitepages" when a
 * path holds none, so a cached 404 goes when the page is made.
 */
#ifndef GZ_STORE_SITEPAGE_H
#define GZ_STORE_SITEPAGE_H

#include "store.h"

#define SITEPAGE_DRAFT 0
#define SITEPAGE_PUBLISHED 1

struct sitepage {
	long long id;
	long long parent_id;    /* 0: top level */
	const char *slug;
	const char *path;       /* "about/team": the address without its '/' */
	const char *title;
	const char *body_md, *body_html;
	int status;             /* SITEPAGE_DRAFT or SITEPAGE_PUBLISHED */
	long long created_at, updated_at;
	int children;           /* pages whose parent this is (store_sitepages only) */
	/* store_sitepage_by_path only: the parent's, NULL at the top level */
	const char *parent_title, *parent_path;
};

/* The published page at path, with its parent's title and path (whose
 * change it reports as a dependency too): STORE_OK, STORE_NOTFOUND or
 * STORE_ERROR. */
int store_sitepage_by_path(struct store *st, struct pool *p, const char *path,
			   struct sitepage *out);
/* Any page by id (drafts too, for the newsroom). */
int store_sitepage_get(struct store *st, struct pool *p, long long id, struct sitepage *out);
/* Every page, by path (parents before their children), with `children`. */
int store_sitepages(struct store *st, struct pool *p, struct sitepage **out, size_t *n);
/* Writes x (slug, path, parent_id, title, body_md, body_html, status):
 * a new row when x->id is 0 (*id set), else row x->id, whose children's
 * paths follow its own. STORE_CONFLICT when the path is taken. */
int store_sitepage_put(struct store *st, const struct sitepage *x, long long *id);
/* Deletes page id; STORE_CONFLICT while it has children. */
int store_sitepage_delete(struct store *st, long long id);

#endif
