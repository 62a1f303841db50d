/*
 * store_story: stories as the newsroom edits them: any status, with the
 * version number that makes a stale save fail (STORE_CONFLICT) instead of
 * overwriting, the revision kept by every save, status changes and the
 * scheduler's "publish what is due".
 *
 * Writers log exactly what pages they change (store.h's vocabulary): a
 * story that is or was published touches story:ID, list:home and the
 * section, author and tags it had before and has after the change.
 */
#ifndef GZ_STORE_STORY_H
#define GZ_STORE_STORY_H

#include "store.h"

struct story_edit {
	struct story s;            /* id, fields, section.id, author.id, tags */
	long long version;         /* the version the editor started from */
	long long created_at;
	const char *featured_image; /* "/media/featured/NAME.ext" or "" */
	int featured_width, featured_height; /* pixels, from the file's header */
	long long featured_bytes;
	long long featured_media_id; /* the library item (store_media.h), 0 for none */
	/* the byline after s.author: account ids in order (a save writes
	 * exactly these; none is s.author.id and none repeats) */
	long long *coauthors;
	size_t ncoauthors;
};

/* Authors a byline may name besides the first. */
#define STORY_COAUTHORS_MAX 4

struct story_admin_filter {
	int status;                /* an enum story_status, or -1 for all */
	long long section_id, author_id; /* 0: any */
	const char *title;         /* substring of the title, or NULL / "" */
};

struct revision {
	long long id, story_id, user_id, created_at, version, published_at;
	const char *user_name, *title, *slug, *excerpt, *body_md, *changed;
	enum story_status status;
};

/* Stories for the admin list, most recently changed first. */
int store_admin_stories(struct store *st, struct pool *p, const struct story_admin_filter *f,
			size_t offset, size_t limit, struct story **out, size_t *n, size_t *total);
/* The number of stories in each status. */
int store_story_counts(struct store *st, size_t counts[STORY__MAX]);
/* A story of any status with body, tags, version and featured image. */
int store_story_edit_get(struct store *st, struct pool *p, long long id, struct story_edit *out);
/* Owner and status of a story: what the router needs to apply the roles. */
int store_story_meta(struct store *st, long long id, long long *author_id,
		     enum story_status *status);
/* 1 when another story (not except_id) has this slug; STORE_ERROR on error. */
int store_slug_in_use(struct store *st, const char *slug, long long except_id);

/* Inserts e->s (body_html and reading time already derived) and its
 * first revision. */
int store_story_create(struct store *st, const struct story_edit *e, long long user_id,
		       const char *changed, long long *id);
/* Saves e over story e->s.id if it is still at e->version, bumps the
 * version and keeps a revision (by user_id, `changed` naming the fields
 * that changed). STORE_CONFLICT when someone saved in between. */
int store_story_update(struct store *st, const struct story_edit *e, long long user_id,
		       const char *changed);
/* The current version of a story, and who saved it last and when (for the
 * conflict message). */
int store_story_last_save(struct store *st, struct pool *p, long long id, long long *version,
			  const char **user_name, long long *at);

/* Scheduled stories whose time has come (published_at <= now). */
int store_stories_due(struct store *st, struct pool *p, long long now, long long **ids, size_t *n);
/* Publishes a scheduled story (no-op unless it is still scheduled): 1 when
 * it was published, 0 when not, STORE_ERROR. */
int store_story_publish_scheduled(struct store *st, long long id, long long now);

/* Stories whose Markdown holds the text "media:ID" (a first sieve: the
 * caller checks the exact references, "media:4" is in "media:42"). */
int store_stories_mentioning_media(struct store *st, struct pool *p, long long media_id,
				   long long **ids, size_t *n);
/* Replaces a story's derived body HTML and reading time (a picture it shows
 * changed): no new version, no revision, its pages' tags logged.
 * STORE_NOTFOUND when there is no such story. */
int store_story_set_body_html(struct store *st, long long id, const char *html,
			      int reading_minutes);

/* A story's revisions, newest first (without bodies), and one in full. */
int store_revisions(struct store *st, struct pool *p, long long story_id, struct revision **out,
		    size_t *n);
int store_revision_get(struct store *st, struct pool *p, long long id, struct revision *out);

#endif
