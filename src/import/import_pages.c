/*
 * import_pages: WordPress pages -> Gazette's static pages (the pages
 * table, store_sitepage.h): undated, never in a list or feed, with their
 * hierarchy and their old addresses answering 301.
 *
 * The one design decision: Gazette's pages nest one level (/about/team),
 * so a WordPress page goes inside its top-level ancestor (a > b > c
 * becomes /a/b and /a/c; /a/b/c/ answers 301 with /a/c). The first pass
 * learns every page's parent, post name and link (im->pages), so the
 * ancestor is known before any page is written; a page met before that
 * ancestor is written at the top level and moved inside it after the
 * second pass (import_pages_finish), where its redirects are written.
 */
#include "import_int.h"
#include "wxr.h"
#include "../content/sitepage.h"
#include "../store/store_import.h"
#include "../store/store_sitepage.h"
#include "../util/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 64 /* a loop of parents in a broken file ends here */

int import_pages_learn(struct imp *im, const struct wxr_item *it)
{
	struct attach *a = import_attach_find(&im->pages, it->post_id, 1);
	if (!a)
		return -1;
	free(a->parent);
	free(a->url);
	free(a->alt);
	a->parent = strdup(it->post_parent);
	a->url = strdup(it->link);
	a->alt = strdup(it->post_name);
	return a->parent && a->url && a->alt ? 0 : -1;
}

static struct attach *parent_of(struct imp *im, const struct attach *a)
{
	if (!a || !a->parent || !*a->parent || strcmp(a->parent, "0") == 0 ||
	    strcmp(a->parent, a->id) == 0)
		return NULL;
	return import_attach_find(&im->pages, a->parent, 0);
}

/* The WordPress id of page id's top-level ancestor; NULL for a page at
 * the top (a parent missing from the file counts as none). */
static const char *top_of(struct imp *im, const char *id)
{
	const char *top = NULL;
	struct attach *a = import_attach_find(&im->pages, id, 0);
	for (int d = 0; (a = parent_of(im, a)) && d < DEPTH_MAX; d++)
		top = a->id;
	return top;
}

/* Page id's WordPress path, its ancestors' names first ("a/b/c"). */
static const char *wp_path(struct imp *im, struct pool *p, const char *id)
{
	struct attach *a = import_attach_find(&im->pages, id, 0);
	const char *path = a && a->alt ? a->alt : "";
	for (int d = 0; *path && (a = parent_of(im, a)) && *a->alt && d < DEPTH_MAX; d++)
		path = pool_printf(p, "%s/%s", a->alt, path);
	return path;
}

/* The old addresses of page wp_id (its link, ?page_id=, its WordPress
 * path, its name alone) answer 301 with path. */
static int page_redirects(struct imp *im, struct pool *p, const char *wp_id, const char *path)
{
	struct attach *a = import_attach_find(&im->pages, wp_id, 0);
	const char *to = sitepage_url(p, path), *wpp = wp_path(im, p, wp_id);
	const char *link = a && a->url ? import_old_path(im, p, a->url) : NULL;
	if (import_redirect(im, p, link, to) ||
	    import_redirect(im, p, pool_printf(p, "/?page_id=%s", wp_id), to))
		return -1;
	if (*wpp && import_redirect(im, p, pool_printf(p, "/%s/", wpp), to))
		return -1;
	if (a && a->alt && *a->alt && import_redirect(im, p, pool_printf(p, "/%s/", a->alt), to))
		return -1;
	return 0;
}

/* Writes x under parent (NULL: top level) with slug base, or base-2,
 * base-3... when the address is another page's. */
static int put_unique(struct imp *im, struct pool *p, struct sitepage *x,
		      const struct sitepage *parent, const char *base, long long *id)
{
	x->parent_id = parent ? parent->id : 0;
	if (!parent && sitepage_slug_refused(p, base))
		base = pool_printf(p, "%s-page", base); /* "search", "2024": a route's */
	for (int k = 1; k < 1000; k++) {
		x->slug = k == 1 ? base : pool_printf(p, "%s-%d", base, k);
		x->path = parent ? pool_printf(p, "%s/%s", parent->path, x->slug) : x->slug;
		int rc = store_sitepage_put(im->st, x, id);
		if (rc != STORE_CONFLICT)
			return rc;
	}
	return STORE_CONFLICT;
}

/* The top-level page that WordPress page wp_top became: STORE_OK with
 * *out, STORE_NOTFOUND when not (yet) imported. */
static int top_page(struct imp *im, struct pool *p, const char *wp_top, struct sitepage *out)
{
	long long id = 0;
	if (!wp_top || store_import_map_get(im->st, p, im->source, "sitepage", wp_top, &id, NULL) ||
	    !id)
		return STORE_NOTFOUND;
	int rc = store_sitepage_get(im->st, p, id, out);
	return rc == STORE_OK && out->parent_id ? STORE_NOTFOUND : rc;
}

int import_page(struct imp *im, struct pool *p, const struct wxr_item *it)
{
	enum story_status status;
	if (import_status(im, it, &status))
		return 0;
	const char *parts[] = { it->title, it->content, it->status, it->post_name, it->post_parent };
	const char *hash = import_hash(p, parts, sizeof parts / sizeof parts[0]), *old_hash = NULL;
	long long id = 0;
	int known = store_import_map_get(im->st, p, im->source, "sitepage", it->post_id, &id,
					 &old_hash) == STORE_OK;
	if (known && strcmp(old_hash, hash) == 0) {
		im->count[N_UNCHANGED]++;
		return 0;
	}
	if (known && !im->o->update) {
		im->count[N_CHANGED_KEPT]++;
		return 0;
	}
	if (it->ncomments)
		import_warn(im, "page %s has %zu comments: pages take none, not imported", it->post_id,
			    it->ncomments);
	struct sitepage x, parent, was;
	memset(&x, 0, sizeof x);
	x.id = known ? id : 0;
	if (known && store_sitepage_get(im->st, p, id, &was))
		return import_store_failed(im, "page");
	x.title = import_title_text(p, it->title);
	if (!*x.title)
		x.title = pool_printf(p, "Untitled %s", it->post_id);
	x.status = status == STORY_PUBLISHED ? SITEPAGE_PUBLISHED : SITEPAGE_DRAFT;
	im->post_id = it->post_id;
	im->owner = pool_printf(p, "page: %s", it->post_name);
	import_body_item(im, p, it, &x.body_html, &x.body_md);
	im->post_id = im->owner = NULL;
	const char *top = top_of(im, it->post_id);
	int have_top = top_page(im, p, top, &parent) == STORE_OK;
	const char *base = import_slug(p, it->post_name, it->title);
	if (!*base)
		base = pool_printf(p, "page-%s", it->post_id);
	int rc = put_unique(im, p, &x, have_top ? &parent : NULL, base, &id);
	if (rc || store_import_map_put(im->st, im->source, "sitepage", it->post_id, id, hash))
		return import_store_failed(im, "page");
	im->changed = 1;
	/* --update gave it a new name or parent: the old addresses follow */
	if (known && strcmp(was.path, x.path) != 0 &&
	    sitepage_redirect_moves(im->st, p, id, was.path, x.path))
		return import_store_failed(im, "page redirects");
	if (known)
		im->count[N_UPDATED]++;
	else {
		im->count[N_PAGES]++;
		import_names_add(&im->page_status, story_status_name(status));
	}
	if (top && !have_top) { /* its ancestor comes later in the file */
		buf_printf(&im->pages_later, "%lld %s %s\n", id, it->post_id, base);
		return 0;
	}
	return x.status == SITEPAGE_PUBLISHED ? page_redirects(im, p, it->post_id, x.path) : 0;
}

/* Moves page id (WordPress wp_id, slug base) inside its top-level
 * ancestor, now imported, and writes its redirects. */
static int page_move_in(struct imp *im, struct pool *p, long long id, const char *wp_id,
			const char *base)
{
	struct sitepage x, parent;
	int rc = store_sitepage_get(im->st, p, id, &x);
	if (rc)
		return rc;
	if (top_page(im, p, top_of(im, wp_id), &parent) != STORE_OK)
		import_warn(im, "page %s: its parent page was not imported; kept at the top level", wp_id);
	else if ((rc = put_unique(im, p, &x, &parent, base, &id)))
		return rc;
	return x.status == SITEPAGE_PUBLISHED && page_redirects(im, p, wp_id, x.path) ? STORE_ERROR
										       : STORE_OK;
}

int import_pages_finish(struct imp *im)
{
	const char *s = buf_str(&im->pages_later);
	while (*s) {
		struct pool *p = pool_new();
		const char *nl = strchr(s, '\n');
		char *line = pool_strndup(p, s, nl ? (size_t)(nl - s) : strlen(s));
		long long id = strtoll(line, NULL, 10);
		char *wp = strchr(line, ' ');
		char *base = wp ? strchr(wp + 1, ' ') : NULL;
		int rc = 0;
		if (base) {
			*wp++ = '\0';
			*base++ = '\0';
			rc = page_move_in(im, p, id, wp, base);
		}
		pool_free(p);
		if (rc)
			return import_store_failed(im, "page parent");
		s = nl ? nl + 1 : s + strlen(s);
	}
	return 0;
}
