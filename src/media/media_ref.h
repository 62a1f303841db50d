/*
 * media_ref: library pictures in story bodies (issue 14). The Markdown
 * renderer (content/markdown.h) knows the form ![alt](media:ID "caption")
 * but not the store nor this module (the module graph forbids the cycle),
 * so the layers that render stories (the editor's save and preview, the
 * demo loader, the command line) give it this module's callback, which
 * looks each record up and writes it with figure.h.
 *
 * A story's stored body HTML holds its figures, so a record whose alt,
 * caption or credit changes must re-render the stories that show it
 * (media_ref_refresh, after store_media_update); the story page also
 * depends on the media:ID tags of its pictures (media_ref_deps), so a
 * change or a deletion drops the cached page.
 */
#ifndef GZ_MEDIA_REF_H
#define GZ_MEDIA_REF_H

#include <stddef.h>

#include "../content/markdown.h"

struct pool;
struct store;
struct story;

/* Options for markdown_to_html_opts / publish_render whose references
 * are looked up in st, with memory from p. Fills and returns &r->opts. */
struct media_ref {
	struct markdown_opts opts;
	struct store *st;
	struct pool *p;
};
const struct markdown_opts *media_ref_opts(struct media_ref *r, struct store *st, struct pool *p,
					   int no_lead);

/* The callback itself (ctx is a struct media_ref). */
void media_ref_write(void *ctx, const struct markdown_media_ref *refs, size_t n, unsigned flags,
		     struct buf *out);

/* Records the media:ID dependency of every picture body_md references, for
 * the page being rendered (a store read per id). */
void media_ref_deps(struct store *st, struct pool *p, const char *body_md);

/* Re-renders the body HTML of every story whose Markdown references
 * media_id, so its figures show the record as it is now: call inside the
 * write transaction of the store_media_update (or delete) itself. *n (may
 * be NULL) the number of stories. 0, or a store error code. */
int media_ref_refresh(struct store *st, struct pool *p, long long media_id, size_t *n);

/* Saves m's alt, caption, credit and focal point (store_media_update) and
 * re-renders the stories that show it, in one transaction (rolled back on
 * failure): what the admin's media page and `gazette media set` do. *n as
 * above. 0, or a store error code (store_errmsg says why). */
struct media_record;
int media_ref_set(struct store *st, struct pool *p, const struct media_record *m, size_t *n);

#endif
