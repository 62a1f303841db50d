/*
 * sitepage: the newsroom's rules for static pages (About, Contact,
 * Imprint, Privacy; store_sitepage.h): a title, an address name that
 * shadows no route of the site, at most one level of nesting
 * (/about/team), the body's Markdown rendered once, at save. Each change
 * is one transaction.
 */
#ifndef GZ_SITEPAGE_H
#define GZ_SITEPAGE_H

#include "markdown.h"
#include "../store/store.h"

#define SITEPAGE_TITLE_MAX 300
#define SITEPAGE_BODY_MAX (256u << 10)

/* What an editor gives: slug "" makes one from the title. */
struct sitepage_input {
	const char *title, *slug, *body_md;
	long long parent_id;   /* 0: top level */
	int published;
};

/* Saves page id (0: a new one, *id set) from in, its body rendered with
 * opts (may be NULL). STORE_OK or STORE_INVALID (a rule broken: a route's
 * name, a bad parent), STORE_CONFLICT (address taken), STORE_NOTFOUND,
 * STORE_ERROR, with *msg a sentence for the editor. Nothing is changed on
 * error. */
int sitepage_save(struct store *st, struct pool *p, long long id, const struct sitepage_input *in,
		  const struct markdown_opts *opts, long long *out_id, const char **msg);
/* Deletes page id (refused while pages are inside it). */
int sitepage_remove(struct store *st, struct pool *p, long long id, const char **msg);

/* NULL when a top-level page may be called slug, else why not: the first
 * segment of a route (admin, feed, search, sitemap.xml, ...) or a year. */
const char *sitepage_slug_refused(struct pool *p, const char *slug);

/* Page id moved from path `from` to `to` (in the caller's transaction):
 * its old address and its children's answer 301 with the new ones. */
int sitepage_redirect_moves(struct store *st, struct pool *p, long long id, const char *from,
			    const char *to);

/* "/about/team" for path "about/team", each segment encoded. */
const char *sitepage_url(struct pool *p, const char *path);

#endif
