/*
 * comment_thread: a story's comments as the threaded HTML of its page,
 * each comment rendered by the theme's "comment" template, replies nested
 * up to the configured depth.
 *
 * The public thread (approved comments only) is rendered when comments
 * change and stored (store_thread.h): comment_thread_attach registers the
 * builder on a connection. A story page takes the stored HTML, and renders
 * the comments itself only for a reader's own held comment or a thread
 * not yet built.
 */
#ifndef GZ_COMMENT_THREAD_H
#define GZ_COMMENT_THREAD_H

#include "../http/http.h"
#include "../store/store.h"
#include "../util/buf.h"

struct site;

/* Appends the thread of comments v (oldest first; approved ones plus the
 * held one, if any) to out. 0 ok; -1 when a render failed. */
int comment_thread_render(const struct site *site, struct pool *p, const char *story_url,
			  const struct comment *v, size_t n, long long held_id, struct buf *out);
/* What, besides the comments, decides the thread's HTML: the comment
 * template's text and the nesting limit, hashed. */
unsigned long long comment_thread_variant(const struct site *site);
/* Registers the thread builder on a connection of this site. */
void comment_thread_attach(const struct site *site, struct store *st);
/* The story page's thread: stored, or rendered now (held_id set, or none
 * stored yet). NULL when the comments could not be read. */
const char *comment_thread_html(struct req *rq, const struct story *s, const char *story_url,
				long long held_id);

#endif
