/*
 * comment_form: the reader's comment form, as WordPress commenters know it
 * (fields comment, author, email, url, comment_parent), and everything
 * between its POST and the 303: validation from one field table, the
 * anti-abuse checks (honeypot, minimum time, per-address rate limit,
 * duplicates), the moderation decision and the durable insert.
 */
#ifndef GZ_COMMENT_FORM_H
#define GZ_COMMENT_FORM_H

#include "../http/http.h"
#include "../store/store.h"

enum comment_field { CF_COMMENT, CF_AUTHOR, CF_EMAIL, CF_URL, CF_PARENT, CF__MAX };

/* What the form shows: the reader's values and errors when it comes back,
 * and which comment it replies to. Zeroed means a fresh, empty form. */
struct comment_form_state {
	const char *value[CF__MAX];
	const char *error[CF__MAX];
	const char *general_error;   /* not tied to one field */
	long long parent_id;
	long long held_id;           /* the reader's own held comment to show */
	long long stamp_after;       /* the new stamp is later than this one (ms) */
	int notify;                  /* "E-mail me replies" ticked */
};

/* What a submitted form came to (comment_submit, comment_staff_post). */
enum comment_outcome {
	COMMENT_NOT_STAFF,  /* comment_staff_post: a reader's post, go on */
	COMMENT_ANSWERED,   /* rs holds the answer: 303 to the comment, or an error */
	COMMENT_SHOW_FORM,  /* show the story with the form in *st (a 422) */
};
/* A POST /comments (a signed-in staff member's post: comment_reply.h):
 * finds the story (*s, its summary: no body or tags, see
 * store_story_summary_by_id) and judges the form; the HTTP handler
 * (pages/page_comment.c) reads the whole story and shows its page when
 * the form must come back with what was typed. */
int comment_submit(struct req *rq, struct resp *rs, struct story *s,
		   struct comment_form_state *st);
/* 409 for a duplicate, else 503 with Retry-After: a comment not stored. */
void comment_not_saved(struct req *rq, struct resp *rs, int duplicate);
/* The form's field table row for field f (the staff form checks two). */
const struct field_spec *comment_form_field(enum comment_field f);

/* The form's template values. live (may be NULL) receives the form's
 * stamp as the page cache's live field: a cached page then gets a new
 * stamp each time it is sent. */
struct comment_rules;
struct tv *comment_form_tv(struct req *rq, const struct story *s, const struct comment_rules *r,
			   const struct comment_form_state *st, struct cache_live *live);
/* The form's stamp for story_id shown at ms (a cache_live_fn; site is
 * the struct site): fixed length, signed with the site's secret. */
void comment_form_stamp(const void *site, long long story_id, long long ms, char *out,
			size_t outlen);
/* Signature proving a held comment's id came from our own redirect. */
void comment_moderation_hash(const struct req *rq, long long id, char out[33]);

#endif
