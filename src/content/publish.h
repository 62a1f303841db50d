/*
 * publish: what happens to a story on the writing path, so the reading
 * path has nothing left to compute: its Markdown rendered to HTML, its
 * reading time counted, and the related-article lists of every published
 * story recomputed (a new story may enter other stories' lists).
 */
#ifndef GZ_PUBLISH_H
#define GZ_PUBLISH_H

#include <stddef.h>

struct pool;
struct store;
struct story;

#define RELATED_MAX 4

/* Fills s->body_html and s->reading_minutes from s->body_md. 0 ok. */
int publish_render(struct pool *p, struct story *s);
/* Recomputes and stores every published story's related list. Call inside
 * the transaction that changed the stories. 0 ok, else the store error. */
int publish_refresh_related(struct store *st, struct pool *p);

#endif
