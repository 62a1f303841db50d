/*
 * store_byline: what a story's byline and foot carry beyond its row: the
 * time an editor marked it updated, and its corrections (dated notes
 * appended, never edited), with the /corrections list of every published
 * story's, newest first.
 *
 * Writers log what they change: a mark or a correction touches story:ID
 * (its page) and a correction list:corrections. The list's read reports
 * list:corrections, story:ID of each story it names and list:home (which
 * every publish and unpublish touches), so a story that goes or comes back
 * leaves no stale list.
 */
#ifndef GZ_STORE_BYLINE_H
#define GZ_STORE_BYLINE_H

#include "store.h"

struct correction {
	long long id, story_id, created_at;
	const char *body;          /* plain text, as the editor wrote it */
	/* the story's, for the /corrections list (store_corrections) */
	const char *story_slug, *story_title;
	long long story_published_at;
};

struct story_extra {
	long long revised_at;        /* 0: never marked updated */
	struct correction *corrections; /* oldest first */
	size_t ncorrections;
	const struct author *coauthors; /* the byline after the story's author, in order */
	size_t ncoauthors;
};

/* The story's mark, corrections and co-authors (any status): from its row
 * (struct story's revised_at, has_corrections, ncoauthors), querying only
 * for corrections and co-authors it has. */
int store_story_extra(struct store *st, struct pool *p, const struct story *story,
		      struct story_extra *out);
/* Marks story id updated at `at` (seconds, UTC). */
int store_story_mark_updated(struct store *st, long long id, long long at);
/* Appends a correction to story id (by user_id) dated at. */
int store_correction_add(struct store *st, long long story_id, const char *body,
			 long long user_id, long long at, long long *id);
/* Corrections of published stories, newest first, from offset; each with
 * its story's slug, title and publication time. */
int store_corrections(struct store *st, struct pool *p, size_t offset, size_t limit,
		      struct correction **out, size_t *n);

#endif
