/*
 * publish: derived data computed at write time (see publish.h). Related
 * lists are recomputed for the whole site in one pass: with an inverted
 * index this costs milliseconds for thousands of stories, and it keeps
 * the lists exact, since one story's arrival changes IDF weights for all.
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

int publish_render(struct pool *p, struct story *s)
{
	struct buf html, text;
	buf_init(&html, 0);
	buf_init(&text, 0);
	int rc = markdown_to_html(s->body_md, strlen(s->body_md), &html) ||
		 markdown_to_text(s->body_md, strlen(s->body_md), &text) || html.err || text.err;
	if (!rc) {
		s->body_html = pool_strdup(p, buf_str(&html));
		s->reading_minutes = reading_minutes(buf_str(&text));
	}
	buf_release(&html);
	buf_release(&text);
	return rc ? -1 : 0;
}

int publish_refresh_related(struct store *st, struct pool *p)
{
	struct story *v;
	size_t n;
	if (store_stories_for_related(st, p, &v, &n))
		return STORE_ERROR;
	struct related_doc *docs = pool_alloc(p, (n + 1) * sizeof *docs);
	long long *story_ids = pool_alloc(p, (n + 1) * sizeof *story_ids);
	for (size_t i = 0; i < n; i++) {
		struct buf text;
		buf_init(&text, 0);
		markdown_to_text(v[i].body_md, strlen(v[i].body_md), &text);
		const char **tags = pool_alloc(p, (v[i].ntags + 1) * sizeof *tags);
		for (size_t t = 0; t < v[i].ntags; t++)
			tags[t] = v[i].tags[t].name;
		docs[i] = (struct related_doc){ v[i].id, v[i].title, pool_strdup(p, buf_str(&text)),
						v[i].section.name, tags, v[i].ntags };
		story_ids[i] = v[i].id;
		buf_release(&text);
	}
	struct related_hit *hits = calloc((n + 1) * RELATED_MAX, sizeof *hits);
	size_t *counts = malloc((n + 1) * sizeof *counts);
	long long *ids = malloc((n + 1) * RELATED_MAX * sizeof *ids);
	double *scores = malloc((n + 1) * RELATED_MAX * sizeof *scores);
	int rc = STORE_ERROR;
	if (hits && counts && ids && scores &&
	    related_compute(docs, n, RELATED_MAX, RELATED_MIN_SCORE, hits, counts) == 0) {
		for (size_t i = 0; i < n * RELATED_MAX; i++) {
			ids[i] = hits[i].id;
			scores[i] = hits[i].score;
		}
		rc = store_related_replace(st, story_ids, n, RELATED_MAX, ids, scores, counts);
	}
	free(hits);
	free(counts);
	free(ids);
	free(scores);
	return rc;
}
