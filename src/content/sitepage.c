/*
 * sitepage: the rules of static pages (see sitepage.h). The one decision:
 * the names a top-level page may not take are listed here, beside the
 * rule, from the route table's fixed rows (src/app/routes.c) and the old
 * WordPress addresses the site answers; the page rows come after every
 * fixed row, so a page could never take a route's address anyway, but an
 * editor is told at once rather than left with a page nobody can reach.
 */
#include "sitepage.h"
#include "section.h"
#include "slug.h"
#include "../store/store_redirect.h"
#include "../store/store_sitepage.h"
#include "../util/buf.h"
#include "../util/pool.h"

#include <string.h>

/* First path segments of the site's own addresses. */
static const char *const taken[] = {
	"admin", "feed", "feed.atom", "feed.json", "search", "section", "tag", "author", "media",
	"comments", "static", "sitemap.xml", "sitemaps", "news-sitemap.xml", "robots.txt",
	"favicon.ico", "corrections", "category", "page", "wp-admin", "wp-content", "wp-login.php",
	"metrics", "healthz", "readyz",
};

const char *sitepage_slug_refused(struct pool *p, const char *slug)
{
	for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
		if (strcmp(slug, taken[i]) == 0)
			return pool_printf(p, "\"%s\" is the address of a part of the site (/%s): "
					      "choose another address name.", slug, slug);
	size_t n = strspn(slug, "0123456789");
	if (n && !slug[n])
		return pool_printf(p, "An address name of digits only (\"%s\") would be taken for "
				      "a year of stories: choose one with a letter.", slug);
	return NULL;
}

const char *sitepage_url(struct pool *p, const char *path)
{
	return path_url(p, "", path);
}

/* Checks in; fills *slug (made from the title when empty). */
static const char *check(struct pool *p, const struct sitepage_input *in, const char **slug)
{
	char made[SLUG_MAX + 1];
	const char *given = in->slug && *in->slug ? in->slug : NULL, *why;
	if (!in->title || !*in->title)
		return "Please give the page a title.";
	if (strlen(in->title) > SITEPAGE_TITLE_MAX)
		return "The title is too long: the limit is 300 bytes.";
	if (in->body_md && strlen(in->body_md) > SITEPAGE_BODY_MAX)
		return "The text is too long: the limit is 256 KB.";
	if (!in->parent_id && given && (why = sitepage_slug_refused(p, given)))
		return why; /* before the spelling: "sitemap.xml" is refused by name */
	if (!slug_make(given ? given : in->title, made, sizeof made))
		return "The address name needs at least one letter or digit.";
	if (given && strcmp(made, given) != 0)
		return "The address name may hold only lowercase letters, digits and hyphens "
		       "(without a hyphen at either end).";
	if (!in->parent_id && (why = sitepage_slug_refused(p, made)))
		return why;
	*slug = pool_strdup(p, made);
	return NULL;
}

/* Into *path the path of parent_id, which page id (0: a new one) may go
 * inside; else a store code with *msg. */
static int parent_path(struct store *st, struct pool *p, long long id, long long parent_id,
		       const char **path, const char **msg)
{
	struct sitepage parent;
	int rc = store_sitepage_get(st, p, parent_id, &parent);
	if (rc) {
		*msg = rc == STORE_NOTFOUND ? "Choose the page this one goes inside from the list."
					    : "The page could not be saved.";
		return rc == STORE_NOTFOUND ? STORE_INVALID : rc;
	}
	if (parent.id == id || parent.parent_id) {
		*msg = "A page can go inside a top-level page only (one level: /about/team).";
		return STORE_INVALID;
	}
	struct sitepage *all = NULL;
	size_t n = 0;
	if (id && (rc = store_sitepages(st, p, &all, &n)) == STORE_OK)
		for (size_t i = 0; i < n; i++)
			if (all[i].id == id && all[i].children) {
				*msg = "This page has pages inside it, so it stays at the top level.";
				return STORE_INVALID;
			}
	*path = parent.path;
	return rc;
}

int sitepage_redirect_moves(struct store *st, struct pool *p, long long id, const char *from,
			    const char *to)
{
	struct sitepage *v = NULL;
	size_t n = 0;
	int rc = store_redirect_put(st, sitepage_url(p, from), sitepage_url(p, to));
	if (rc == STORE_OK)
		rc = store_sitepages(st, p, &v, &n);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		if (v[i].parent_id == id)
			rc = store_redirect_put(st, sitepage_url(p, pool_printf(p, "%s/%s", from, v[i].slug)),
						sitepage_url(p, v[i].path));
	return rc;
}

static int finish(struct store *st, struct pool *p, int rc, const char **msg)
{
	return content_finish(st, p, rc, "page", msg);
}

int sitepage_save(struct store *st, struct pool *p, long long id, const struct sitepage_input *in,
		  const struct markdown_opts *opts, long long *out_id, const char **msg)
{
	const char *slug = NULL, *parent = NULL, *md = in->body_md ? in->body_md : "";
	*msg = check(p, in, &slug);
	if (*msg)
		return STORE_INVALID;
	struct buf html;
	buf_init(&html, 0);
	int bad = markdown_to_html_opts(md, strlen(md), &html, opts) || html.err;
	const char *body_html = bad ? NULL : pool_strdup(p, buf_str(&html));
	buf_release(&html);
	if (bad) {
		*msg = "The text could not be read as Markdown.";
		return STORE_INVALID;
	}
	int rc = store_begin(st);
	if (rc)
		return finish(st, p, rc, msg);
	struct sitepage cur;
	if (id && (rc = store_sitepage_get(st, p, id, &cur)))
		return finish(st, p, rc, msg);
	if (in->parent_id && (rc = parent_path(st, p, id, in->parent_id, &parent, msg))) {
		store_rollback(st); /* *msg says why */
		return rc;
	}
	struct sitepage x = { .id = id, .parent_id = in->parent_id, .slug = slug,
			      .path = parent ? pool_printf(p, "%s/%s", parent, slug) : slug,
			      .title = in->title, .body_md = md, .body_html = body_html,
			      .status = in->published ? SITEPAGE_PUBLISHED : SITEPAGE_DRAFT };
	rc = store_sitepage_put(st, &x, out_id);
	if (rc == STORE_OK && id && strcmp(cur.path, x.path) != 0)
		rc = sitepage_redirect_moves(st, p, id, cur.path, x.path);
	return finish(st, p, rc, msg);
}

int sitepage_remove(struct store *st, struct pool *p, long long id, const char **msg)
{
	int rc = store_begin(st);
	if (!rc)
		rc = store_sitepage_delete(st, id);
	return finish(st, p, rc, msg);
}
