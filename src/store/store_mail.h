/*
 * store_mail: the mail tables (docs/mail.md). Triggers write mail_events
 * in the transaction of whatever calls for mail; the scheduler reads them
 * (store_mail_events), turns each into queued messages or digest lines
 * and deletes it, all in one transaction, then sends what is due from
 * mail_queue. Nothing here writes to the change log: no page shows mail.
 */
#ifndef GZ_STORE_MAIL_H
#define GZ_STORE_MAIL_H

#include "store.h"

struct mail_event {
	long long id;
	const char *kind;  /* "review", "held", "reply" */
	long long ref_id;  /* a story, a comment, a comment */
};

struct mail_item {
	long long id;
	const char *recipient, *headers, *body;
	int attempts;
};

/* A staff account mail may go to: enabled, with its digest choice. */
struct mail_person {
	long long id;
	const char *name, *email;
	enum role role;
	int digest;            /* 1: a daily digest instead of a mail per event */
	long long digest_at;   /* when its last digest was made */
};

/* A reader's subscription to the replies to one comment. */
struct mail_sub {
	long long id, comment_id;
	const char *email;
	long long confirmed_at, stopped_at; /* 0: not (yet) */
};

/* The oldest events, at most limit. */
int store_mail_events(struct store *st, struct pool *p, size_t limit, struct mail_event **out,
		      size_t *n);
int store_mail_event_done(struct store *st, long long id);
/* Queues a message (headers: CRLF-separated lines; body: its encoded
 * text), due now. */
int store_mail_enqueue(struct store *st, const char *recipient, const char *headers,
		       const char *body, long long now);
/* Unsent messages due at now, oldest first, at most limit. */
int store_mail_due(struct store *st, struct pool *p, long long now, size_t limit,
		   struct mail_item **out, size_t *n);
/* Makes message id this node's to send, until `until` (then, unsent, it
 * is due again: a node that died sending it): STORE_OK when this call
 * changed it, STORE_CONFLICT when it was sent or claimed meanwhile (by
 * another node that read it due as well), so no two nodes send it. */
int store_mail_claim(struct store *st, long long id, long long now, long long until);
int store_mail_sent(struct store *st, long long id, long long now);
/* One more failed attempt: tried again at next_at, err remembered. */
int store_mail_failed(struct store *st, long long id, long long next_at, const char *err);
/* Deletes messages sent before `before` (given-up ones stay, with their
 * last error, for the operator to see). */
int store_mail_purge(struct store *st, long long before);
/* Unsent messages (the queue's depth). */
int store_mail_unsent(struct store *st, long long *n);

/* Enabled staff accounts (every role), by id. */
int store_mail_staff(struct store *st, struct pool *p, struct mail_person **out, size_t *n);
int store_mail_digest_set(struct store *st, long long user_id, int digest);
/* user_id's choice: 1 daily digest, 0 a mail per event. */
int store_mail_digest_of(struct store *st, long long user_id, int *digest);
int store_mail_digest_add(struct store *st, long long user_id, const char *line, long long now);
/* The digest lines of user_id, oldest first (then deleted by
 * store_mail_digest_taken with the time it was made). */
int store_mail_digest_lines(struct store *st, struct pool *p, long long user_id,
			    const char ***out, size_t *n);
int store_mail_digest_taken(struct store *st, long long user_id, long long now);

/* A story's title and author. */
int store_mail_story(struct store *st, struct pool *p, long long id, const char **title,
		     long long *author_id);

/* Asks for replies to comment_id at email (its confirmation is mailed
 * by the scheduler: store_mail_confirm_due); a second ask changes nothing. */
int store_mail_subscribe(struct store *st, long long comment_id, const char *email, long long now);
int store_mail_sub_get(struct store *st, struct pool *p, long long id, struct mail_sub *out);
/* The subscription on comment_id: STORE_NOTFOUND when none. */
int store_mail_sub_of(struct store *st, struct pool *p, long long comment_id, struct mail_sub *out);
/* Addresses (one spelling each) with a subscription asked for since
 * asked_since and not confirmed, stopped or mailed yet, no confirmation
 * mailed to them since mailed_since and fewer than day_max mailed since
 * day_since: at most limit. */
int store_mail_confirm_due(struct store *st, struct pool *p, long long mailed_since,
			   long long asked_since, long long day_since, int day_max, size_t limit,
			   const char ***out, size_t *n);
/* The newest limit of those subscriptions at email (any case), oldest
 * first. */
int store_mail_sub_waiting(struct store *st, struct pool *p, const char *email, size_t limit,
			   struct mail_sub **out, size_t *n);
/* Every unmailed subscription at email (any case) counts as mailed at now. */
int store_mail_sub_mailed(struct store *st, const char *email, long long now);
int store_mail_sub_confirm(struct store *st, long long id, long long now);
int store_mail_sub_stop(struct store *st, long long id, long long now);

/* The key a held comment's approve and spam links name (made the first
 * time): never another comment's, and gone with the comment. */
int store_mail_comment_key(struct store *st, long long comment_id, long long *key);
/* The comment a key names: STORE_NOTFOUND when it is gone. */
int store_mail_comment_of(struct store *st, long long key, long long *comment_id);
/* Notes that comment_id's reply notice is made: STORE_OK the first time,
 * STORE_CONFLICT after (a re-approved reply mails nobody again). */
int store_mail_replied(struct store *st, long long comment_id, long long now);

/* Spends a one-time link's key: STORE_OK the first time, STORE_CONFLICT
 * after. */
int store_mail_link_use(struct store *st, const char *key, long long now);

#endif
