/*
 * publish: what happens to a story on the writing path, so the reading
 * path has nothing left to compute: its Markdown rendered to HTML, its
 * reading time counted, and the related-article lists of every published
 * story recomputed (a new story may enter other stories' lists; on a
 * newsroom's save that happens just after, in the scheduler's thread).
 */
#ifndef GZ_PUBLISH_H
#define GZ_PUBLISH_H

#include <stddef.h>

struct markdown_opts;
struct pool;
struct store;
struct story;

#define RELATED_MAX 4

/* Fills s->body_html and s->reading_minutes from s->body_md. opts gives
 * the library pictures' callback (media/media_ref.h: media_ref_opts);
 * NULL renders every media: reference as missing. 0 ok. */
int publish_render(struct pool *p, struct story *s, const struct markdown_opts *opts);
/* Every published story's related list, computed from what st reads (no
 * write), all memory from p: lists[i * RELATED_MAX ...] holds counts[i]
 * ids and scores for story_ids[i]. */
struct related_lists {
	long long *story_ids, *ids;
	double *scores;
	size_t *counts;
	size_t n;
};
int publish_compute_related(struct store *st, struct pool *p, struct related_lists *out);
/* Writes the lists that changed. Call inside a write transaction. */
int publish_store_related(struct store *st, const struct related_lists *r);
/* Both, in the caller's transaction: for batch writers (import, demo). A
 * newsroom's saves mark the lists due instead (store_related_mark_due),
 * and the scheduler recomputes them outside the writer's lock. 0 ok, else
 * the store error. */
int publish_refresh_related(struct store *st, struct pool *p);

#endif
