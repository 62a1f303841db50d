/*
 * page_comment: POST /comments, the HTTP side of the comment form. The
 * comment domain (comments/comment_form.c) judges and stores; when the
 * form must come back with what the reader typed and why (a 422), the
 * story page is shown here, so comments/ never renders a page.
 */
#include "pages.h"
#include "../comments/comment_form.h"

void page_comment_post(struct req *rq, struct resp *rs)
{
	struct story s;
	struct comment_form_state st;
	if (comment_submit(rq, rs, &s, &st) == COMMENT_SHOW_FORM)
		page_story_show(rq, rs, &s, &st);
}
