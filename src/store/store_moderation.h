/*
 * store_moderation: comments as moderators see them: every status, with
 * their story, filtered to one story author's stories for authors, counts
 * per status for the admin menu, status changes that remember when (spam
 * and trash are purged 30 days later), edits and deletion.
 *
 * Changing which comments are approved touches story:ID and "comments"
 * (store.h), and keeps the story's comment_count exact, in the caller's
 * transaction.
 */
#ifndef GZ_STORE_MODERATION_H
#define GZ_STORE_MODERATION_H

#include "store.h"

struct mod_comment {
	struct comment c;
	const char *story_title, *story_slug;
	long long story_published_at, story_author_id;
	enum story_status story_status;
};

struct mod_filter {
	int status;            /* an enum comment_status, or -1 for all */
	long long owner_id;    /* only comments on this user's stories; 0: all */
};

int store_mod_comments(struct store *st, struct pool *p, const struct mod_filter *f,
		       size_t offset, size_t limit, struct mod_comment **out, size_t *n,
		       size_t *total);
/* Comments in each status, on owner_id's stories (0: all). */
int store_mod_counts(struct store *st, long long owner_id, size_t counts[COMMENT__MAX]);
/* The author of the story a comment belongs to (for the router's check). */
int store_comment_owner(struct store *st, long long comment_id, long long *owner_id);
int store_mod_get(struct store *st, struct pool *p, long long id, struct mod_comment *out);
/* Moves a comment to status s, remembering when: STORE_NOTFOUND if absent. */
int store_mod_set_status(struct store *st, long long id, enum comment_status s, long long now);
/* Deletes a comment for good (its replies move up to its parent). */
int store_mod_delete(struct store *st, long long id);
/* body_html: the body as the page shows it (comment_text_html_str). */
int store_mod_edit(struct store *st, long long id, const char *author, const char *email,
		   const char *url, const char *body, const char *body_html);
/* Deletes spam and trash whose status was set before `before`; *n deleted. */
int store_mod_purge(struct store *st, long long before, size_t *n);
/* Sets admin-edited settings (keys[i] = vals[i]) and logs "site": they
 * can change every page (comment forms open or closed). */
int store_settings_put(struct store *st, const char *const *keys, const char *const *vals,
		       size_t n);

#endif
