/*
 * page_comment: POST /comments, the HTTP side of the comment form. The
 * comment domain (comments/comment_form.c) judges and stores; when the
 * form must come back with what the reader typed and why (a 422), the
 * story page is shown here, so comments/ never renders a page.
 */
#include "pages.h"
#include "../comments/comment_form.h"
#include "../util/log.h"

void page_comment_post(struct req *rq, struct resp *rs)
{
	struct story s;
	struct comment_form_state st;
	if (comment_submit(rq, rs, &s, &st) != COMMENT_SHOW_FORM)
		return;
	/* the post read the story's summary; its page needs all of it */
	int rc = store_story_by_id(rq->store, rq->pool, s.id, &s);
	if (rc == STORE_OK && s.status != STORY_PUBLISHED) /* taken down meanwhile */
		rc = STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) /* or deleted */
		http_error(rq, rs, 404, "Story not found", "The story you tried to comment on does not exist.");
	else if (rc) {
		log_error("comment form: %s", store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The story could not be loaded.");
	} else
		page_story_show(rq, rs, &s, &st);
}
