/*
 * comment_reply: comments written by the newsroom's own people. A
 * signed-in staff member's comment through the story's public form, or a
 * reply from the moderation queue, is stored approved at once under the
 * account's name and email, with its user id and role, so the thread
 * shows a badge naming the role, or "Author of this story" when the
 * writer is the story's author.
 *
 * The one decision: the public form makes a staff comment only when the
 * post carries the session's CSRF token and our Origin. A post from a
 * signed-in browser without any token field (a page opened before signing
 * in, a theme without the staff form) is a reader's comment, held as
 * usual; one with a wrong token or a foreign Origin is refused with 403.
 * So no other site's form can make a staff-approved comment. The staff
 * view of a story page (token, "Replying as") is never cached: requests
 * with a session cookie bypass the page cache, and the page is sent
 * private.
 */
#ifndef GZ_COMMENT_REPLY_H
#define GZ_COMMENT_REPLY_H

#include "../http/http.h"
#include "../store/store.h"

struct tv;

enum reply_check { REPLY_OK, REPLY_UNAVAILABLE, REPLY_TOO_DEEP };

/* May a comment be written under parent_id (0: a top-level comment) on
 * story_id? Every ancestor must be an approved comment of that story (the
 * parent itself may be held when held_ok: the queue approves it with the
 * reply) and the reply no deeper than max_depth. */
enum reply_check comment_reply_check(struct store *st, struct pool *p, int max_depth,
				     long long story_id, long long parent_id, int held_ok);
/* The reader's message for a check that failed; NULL for REPLY_OK. */
const char *comment_reply_message(enum reply_check r);

/* The thread's badge for a comment written by an account of role
 * role_name ("" for a reader: NULL, no badge), in the words of locale l
 * (badge_editor...; English when l is NULL or lacks the key). */
struct locale;
const char *comment_badge(const struct locale *l, const char *role_name, int story_author);

/* The story page's form for a signed-in staff member: adds form.staff
 * {name, badge, csrf} and returns 1; 0 (nothing added) for anyone else. */
int comment_staff_form(struct req *rq, const struct story *s, struct tv *form);

/* POST /comments from a signed-in staff member (see above), for
 * comment_submit: COMMENT_ANSWERED (303 to the approved comment, 403),
 * COMMENT_SHOW_FORM (the form again with *st's message), or
 * COMMENT_NOT_STAFF when the post is a reader's. */
struct comment_form_state;
int comment_staff_post(struct req *rq, struct resp *rs, const struct story *s,
		       struct comment_form_state *st);

enum staff_reply { STAFF_REPLIED, STAFF_APPROVED_REPLIED, STAFF_UNAVAILABLE, STAFF_TOO_DEEP,
		   STAFF_DUPLICATE, STAFF_ERROR };
/* The moderation queue's Reply: stores body as rq->user's approved reply
 * to comment parent_id, approving a held parent with it (one
 * transaction). *id is the reply's id when stored. */
enum staff_reply comment_staff_reply(struct req *rq, long long parent_id, const char *body,
				     long long *id);

#endif
