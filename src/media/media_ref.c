/*
 * media_ref: the Markdown renderer's picture callback, and keeping stored
 * bodies in step with the library (see media_ref.h).
 *
 * A reference the store cannot give (no such id, the record deleted, its
 * lists broken) is its alt text in the missing marker: the editor's
 * preview shows it, and a reader sees words rather than a hole.
 */
#include "media_ref.h"
#include "figure.h"
#include "../content/publish.h"
#include "../store/store_media.h"
#include "../store/store_story.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <string.h>

#define DEPS_MAX 64 /* pictures a story page depends on; past that, no more */

const struct markdown_opts *media_ref_opts(struct media_ref *r, struct store *st, struct pool *p,
					   int no_lead)
{
	*r = (struct media_ref){
		.opts = { .media = media_ref_write, .media_ctx = r, .no_lead = no_lead },
		.st = st,
		.p = p,
	};
	return &r->opts;
}

/* The record of ref, with the reference's alt and title over its own.
 * 0, or -1 when there is none (the marker is written). */
static int lookup(struct media_ref *r, const struct markdown_media_ref *ref,
		  struct media_record *m, struct buf *out)
{
	int rc = ref->id > 0 ? store_media_get(r->st, r->p, ref->id, m) : STORE_NOTFOUND;
	if (rc == STORE_OK) {
		if (ref->alt)
			m->alt = ref->alt;
		if (ref->title)
			m->caption = ref->title;
		return 0;
	}
	if (rc != STORE_NOTFOUND)
		log_error("media %lld: %s", ref->id, store_errmsg(r->st));
	markdown_media_missing(out, ref->alt);
	return -1;
}

static unsigned figure_flags(unsigned md_flags)
{
	return (md_flags & MARKDOWN_MEDIA_LEAD ? FIGURE_LEAD : 0) |
	       (md_flags & MARKDOWN_MEDIA_INLINE ? FIGURE_INLINE : 0);
}

void media_ref_write(void *ctx, const struct markdown_media_ref *refs, size_t n, unsigned flags,
		     struct buf *out)
{
	struct media_ref *r = ctx;
	struct media_record *ms = pool_alloc(r->p, (n + 1) * sizeof *ms);
	size_t found = 0;
	for (size_t i = 0; i < n; i++)
		if (lookup(r, &refs[i], &ms[found], out) == 0)
			found++;
	figure_refs_html(out, ms, found, figure_flags(flags));
}

void media_ref_deps(struct store *st, struct pool *p, const char *body_md)
{
	long long ids[DEPS_MAX];
	size_t n = markdown_media_ids(body_md ? body_md : "", ids, DEPS_MAX);
	for (size_t i = 0; i < n; i++) {
		struct media_record m;
		store_media_get(st, p, ids[i], &m); /* the read records media:ID */
	}
}

/* 1 when md references id (not only a longer number that starts with it). */
static int references(const char *md, long long id)
{
	long long ids[256];
	size_t n = markdown_media_ids(md, ids, sizeof ids / sizeof ids[0]);
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int refresh_one(struct store *st, struct pool *p, long long story_id, long long media_id,
		       size_t *n)
{
	struct story_edit e;
	int rc = store_story_edit_get(st, p, story_id, &e);
	if (rc || !references(e.s.body_md, media_id))
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	struct media_ref r;
	int no_lead = e.featured_image && *e.featured_image;
	if (publish_render(p, &e.s, media_ref_opts(&r, st, p, no_lead))) {
		log_error("story %lld: could not be rendered again", story_id);
		return STORE_OK; /* its stored HTML stays as it was */
	}
	rc = store_story_set_body_html(st, story_id, e.s.body_html, e.s.reading_minutes);
	if (rc == STORE_OK)
		(*n)++;
	return rc;
}

int media_ref_refresh(struct store *st, struct pool *p, long long media_id, size_t *n)
{
	size_t count = 0, nids = 0;
	long long *ids = NULL;
	int rc = store_stories_mentioning_media(st, p, media_id, &ids, &nids);
	for (size_t i = 0; rc == STORE_OK && i < nids; i++)
		rc = refresh_one(st, p, ids[i], media_id, &count);
	if (n)
		*n = count;
	return rc;
}

int media_ref_set(struct store *st, struct pool *p, const struct media_record *m, size_t *n)
{
	int rc = store_begin(st);
	if (rc == STORE_OK)
		rc = store_media_update(st, m->id, m->alt, m->caption, m->credit, m->focal_x,
					m->focal_y);
	if (rc == STORE_OK)
		rc = media_ref_refresh(st, p, m->id, n);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}
