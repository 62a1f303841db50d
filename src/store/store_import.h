/*
 * store_import: what moving a site in and out needs from the store: the
 * map from WordPress ids to Gazette rows (per source site, with a hash of
 * what was imported), bulk-friendly comment inserts, an in-place story
 * update for --update, and whole-site reads for the exporters.
 *
 * Writers log their changes (store.h's vocabulary) in the caller's
 * transaction: store_import_story_done logs story:ID and "comments" once
 * per story instead of once per comment, and store_import_touch_all logs
 * "site" once, since an import can change any page.
 */
#ifndef GZ_STORE_IMPORT_H
#define GZ_STORE_IMPORT_H

#include "store.h"

/* kind: "user", "section", "tag", "post", "page", "attachment", "comment". */
int store_import_map_get(struct store *st, struct pool *p, const char *source, const char *kind,
			 const char *wp_id, long long *gz_id, const char **hash);
int store_import_map_put(struct store *st, const char *source, const char *kind,
			 const char *wp_id, long long gz_id, const char *hash);

/* A user by e-mail (any role): STORE_OK, STORE_NOTFOUND. */
int store_import_user_by_email(struct store *st, struct pool *p, const char *email,
			       struct author *out);
/* 1 when a user has this slug, 0 when not, STORE_ERROR. */
int store_import_user_slug_taken(struct store *st, const char *slug);
/* 1 when a story (any status, not except_id) has this slug. */
int store_import_story_slug_taken(struct store *st, const char *slug, long long except_id);

/* Inserts a comment without recounting: call store_import_story_done once
 * the story's comments are in. */
int store_import_comment_add(struct store *st, const struct comment *c, long long *id);
int store_import_comment_set_parent(struct store *st, long long id, long long parent_id);
/* Recounts the story's approved comments and logs story:ID and comments. */
int store_import_story_done(struct store *st, long long story_id);
/* Sets a story's featured image fields: a library picture's JPEG variant
 * (path, size, bytes) and the picture's id (see import_pictures.c). */
int store_import_story_image(struct store *st, long long story_id, const char *path, int width,
			     int height, long long bytes, long long media_id);
/* Replaces a story's fields and tags (id from s->id), logging it. */
int store_import_story_update(struct store *st, const struct story *s);
/* What the exporter needs to write a story as its source had it: excerpt_auto
 * 1 when the excerpt was made by the importer (WordPress had none);
 * has_offset 1 with date_offset the source's seconds east of UTC for its
 * wp:post_date, else none (the site's zone). Logs nothing: no page shows
 * either. */
int store_import_story_source(struct store *st, long long id, int excerpt_auto, int has_offset,
			      int date_offset);
/* Sets an account's first and last names when it has neither (an account
 * the newsroom named keeps its names). Logs nothing: no page shows them. */
int store_import_user_names(struct store *st, long long id, const char *first, const char *last);
/* Sets the sections story_id is listed in besides its own (a WordPress
 * post filed in several categories): its section lists, feeds and
 * front-page blocks show it, its address and breadcrumb stay its own
 * section's. Logs section:ID of each. */
int store_import_story_sections(struct store *st, long long story_id, const long long *ids,
				size_t n);
/* Sets a story's co-authors (after its first author), in byline order
 * (co-author plugin terms); logs author:ID of each. */
int store_import_story_coauthors(struct store *st, long long story_id, const long long *ids,
				 size_t n);
/* The oldest tag named name, whatever the case of its ASCII letters:
 * STORE_OK, STORE_NOTFOUND. */
int store_import_tag_by_name(struct store *st, struct pool *p, const char *name, struct tag *out);
/* How many redirects the site has (the import's summary counts those
 * it added). */
int store_import_redirect_count(struct store *st, long long *n);
/* Logs "site": every cached page may have changed. */
int store_import_touch_all(struct store *st);

/* A read transaction (deferred BEGIN): a consistent snapshot for the
 * exporters that does not hold writers off. End it with store_rollback. */
int store_export_begin(struct store *st);

/* Whole-site reads for export, oldest id first. Users carry their role;
 * password hashes are never read. */
struct export_user {
	long long id, created_at;
	const char *name, *slug, *email, *bio, *role;
	const char *photo, *links;  /* "/media/people/..." or ""; URLs a line */
	const char *first_name, *last_name; /* "" when not given */
	int has_password;
};
int store_export_users(struct store *st, struct pool *p, struct export_user **out, size_t *n);
int store_export_tags(struct store *st, struct pool *p, struct tag **out, size_t *n);
/* The sections a story is listed in besides its own (story_sections). */
int store_export_story_sections(struct store *st, struct pool *p, long long story_id,
				struct section **out, size_t *n);
/* Every story (any status), oldest id first, with what store_import_story_source
 * kept of its source. */
struct export_story {
	long long id;
	int excerpt_auto, has_offset, date_offset;
};
int store_export_stories(struct store *st, struct pool *p, struct export_story **out, size_t *n);
/* Every comment of a story, any status, oldest first. */
int store_export_comments(struct store *st, struct pool *p, long long story_id,
			  struct comment **out, size_t *n);
/* Calls fn for each redirect (old path, new path). */
int store_export_redirects(struct store *st, void (*fn)(void *arg, const char *from, const char *to),
			   void *arg);

#endif
