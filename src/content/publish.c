/*
 * publish: derived data computed at write time (see publish.h). Related
 * lists are recomputed for the whole site in one pass: with an inverted
 * index this costs milliseconds for thousands of stories, and it keeps
 * the lists exact, since one story's arrival changes IDF weights for all.
 * It grows with the site (reading every story's text), which is why a
 * newsroom's save leaves it to the scheduler, outside the writer's lock.
 */
#include "publish.h"
#include "markdown.h"
#include "readtime.h"
#include "related.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/pool.h"

#include <stdlib.h>
#include <string.h>

#define RELATED_MIN_SCORE 0.05

int publish_render(struct pool *p, struct story *s, const struct markdown_opts *opts)
{
	struct buf html, text;
	buf_init(&html, 0);
	buf_init(&text, 0);
	int rc = markdown_to_html_opts(s->body_md, strlen(s->body_md), &html, opts) ||
		 markdown_to_text(s->body_md, strlen(s->body_md), &text) || html.err || text.err;
	if (!rc) {
		s->body_html = pool_strdup(p, buf_str(&html));
		s->reading_minutes = reading_minutes(buf_str(&text));
	}
	buf_release(&html);
	buf_release(&text);
	return rc ? -1 : 0;
}

int publish_compute_related(struct store *st, struct pool *p, struct related_lists *out)
{
	struct story *v;
	size_t n;
	if (store_stories_for_related(st, p, &v, &n))
		return STORE_ERROR;
	struct related_doc *docs = pool_alloc(p, (n + 1) * sizeof *docs);
	*out = (struct related_lists){
		.story_ids = pool_alloc(p, (n + 1) * sizeof *out->story_ids),
		.ids = pool_alloc(p, (n + 1) * RELATED_MAX * sizeof *out->ids),
		.scores = pool_alloc(p, (n + 1) * RELATED_MAX * sizeof *out->scores),
		.counts = pool_alloc(p, (n + 1) * sizeof *out->counts),
		.n = n,
	};
	for (size_t i = 0; i < n; i++) {
		struct buf text;
		buf_init(&text, 0);
		markdown_to_text(v[i].body_md, strlen(v[i].body_md), &text);
		const char **tags = pool_alloc(p, (v[i].ntags + 1) * sizeof *tags);
		for (size_t t = 0; t < v[i].ntags; t++)
			tags[t] = v[i].tags[t].name;
		docs[i] = (struct related_doc){ v[i].id, v[i].title, pool_strdup(p, buf_str(&text)),
						v[i].section.name, tags, v[i].ntags };
		out->story_ids[i] = v[i].id;
		buf_release(&text);
	}
	struct related_hit *hits = calloc((n + 1) * RELATED_MAX, sizeof *hits);
	int rc = STORE_ERROR;
	if (hits && related_compute(docs, n, RELATED_MAX, RELATED_MIN_SCORE, hits, out->counts) == 0) {
		for (size_t i = 0; i < n * RELATED_MAX; i++) {
			out->ids[i] = hits[i].id;
			out->scores[i] = hits[i].score;
		}
		rc = STORE_OK;
	}
	free(hits);
	return rc;
}

int publish_store_related(struct store *st, const struct related_lists *r)
{
	return store_related_replace(st, r->story_ids, r->n, RELATED_MAX, r->ids, r->scores,
				     r->counts);
}

int publish_refresh_related(struct store *st, struct pool *p)
{
	struct related_lists r;
	return publish_compute_related(st, p, &r) || publish_store_related(st, &r) ? STORE_ERROR
										    : STORE_OK;
}
