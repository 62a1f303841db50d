/*
 * store_draft: the editor's kept drafts, so no text is lost (issue 11).
 *
 * A STASH is a form posted to the editor after its session ended: kept
 * under a random token that the sign-in redirect carries, with no owner
 * until the next sign-in claims it (store_draft_claim). An AUTOSAVE is
 * what the editor's script posts every 30 seconds for its signed-in user,
 * one row per user and story. Either only ever refills the editor form;
 * neither is a story. Rows older than DRAFT_MAX_AGE are never read and are
 * deleted by the next store_draft_put. Nothing here touches the change
 * log: no reader page shows a draft.
 */
#ifndef GZ_STORE_DRAFT_H
#define GZ_STORE_DRAFT_H

#include "store.h"

#define DRAFT_MAX_AGE 86400 /* seconds */
#define DRAFT_TOKEN_HEX 65  /* 64 hex characters + NUL */

enum draft_kind { DRAFT_STASH = 1, DRAFT_AUTOSAVE = 2 };

struct draft {
	const char *token;
	long long user_id;         /* 0: not claimed yet (a stash) */
	long long story_id;        /* 0: a story not saved yet */
	enum draft_kind kind;
	long long base_version;    /* the story's version the form was opened at */
	long long created_at;
	/* the editor's fields as posted (validated, LF line ends) */
	const char *title, *slug, *excerpt, *body, *section, *tags, *author, *published_at;
	int comments_open;
};

/* Stores d (d->token, made by the caller, is its key). An autosave first
 * replaces the user's previous one of the same story. */
int store_draft_put(struct store *st, const struct draft *d, long long now);
/* Gives the unclaimed, fresh stash stored under `key` to user_id, under
 * `token` from then on. 1 claimed, 0 no such stash (unknown, expired or
 * already someone's), STORE_ERROR. */
int store_draft_claim(struct store *st, const char *key, const char *token, long long user_id,
		      long long now);
/* The fresh draft `token` of user_id for story_id: STORE_OK,
 * STORE_NOTFOUND (also when it is another user's or another story's). */
int store_draft_get(struct store *st, struct pool *p, const char *token, long long user_id,
		    long long story_id, long long now, struct draft *out);
/* The user's fresh autosave of story_id, if any (STORE_NOTFOUND). */
int store_draft_autosave(struct store *st, struct pool *p, long long user_id, long long story_id,
			 long long now, struct draft *out);
/* Drops the user's drafts of story_id (after the story was saved). */
int store_drafts_drop(struct store *st, long long user_id, long long story_id);

#endif
