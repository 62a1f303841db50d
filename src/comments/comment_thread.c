/*
 * comment_thread: turns the flat list of a story's comments (oldest first)
 * into the nested template value. Comments are indexed by id once, so
 * threading is O(n log n) however the replies interleave; a reply deeper
 * than the nesting limit is shown under its deepest allowed ancestor, as
 * WordPress does.
 */
#include "comment_form.h"
#include "comment_text.h"
#include "../pages/pages.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../util/pool.h"

#include <stdlib.h>

struct node {
	long long id;
	int depth;
	struct tv *replies;
	struct tv *tv;
};

static int by_id(const void *a, const void *b)
{
	long long x = ((const struct node *)a)->id, y = ((const struct node *)b)->id;
	return (x > y) - (x < y);
}

static struct node *find(struct node *nodes, size_t n, long long id)
{
	struct node key = { .id = id };
	return bsearch(&key, nodes, n, sizeof *nodes, by_id);
}

static struct tv *comment_tv(struct req *rq, const char *story_url, const struct comment *c,
			     int depth, int can_reply, long long held_id)
{
	struct pool *p = rq->pool;
	struct tv *o = tv_obj(p);
	const char *html = c->body_html;
	if (!html || !*html) { /* a row from before HTML was stored */
		struct buf b;
		buf_init(&b, 1 << 20);
		comment_text_html(&b, c->body);
		html = pool_strdup(p, buf_str(&b));
		buf_release(&b);
	}
	tv_put_int(o, "id", c->id);
	const char *id = pool_lld(p, c->id);
	tv_put_str(o, "anchor", pool_cat(p, "comment-", id, NULL));
	tv_put_str(o, "author", c->author);
	/* always set, so a reply never inherits its parent's link */
	tv_put_str(o, "author_url", url_is_http(c->url) ? c->url : "");
	tv_put_str(o, "date_iso", date_iso(p, c->created_at));
	tv_put_str(o, "date_human", date_human(p, c->created_at));
	tv_put_html(o, "body_html", html);
	tv_put_bool(o, "pending", c->id == held_id && c->status != COMMENT_APPROVED);
	tv_put_int(o, "depth", depth);
	tv_put_bool(o, "can_reply", can_reply && c->status == COMMENT_APPROVED);
	tv_put_str(o, "reply_url", pool_cat(p, story_url, "?replytocom=", id, "#respond", NULL));
	return o;
}

struct tv *comment_thread_tv(struct req *rq, const struct story *s, const char *story_url,
			     const struct comment *v, size_t n, long long held_id)
{
	struct pool *p = rq->pool;
	int max_depth = rq->site->cfg.comment_max_depth;
	struct tv *top = tv_list(p);
	struct node *nodes = pool_alloc(p, (n + 1) * sizeof *nodes);
	size_t nn = 0;
	/* A reply may be dated before its parent (imported threads are): it
	 * waits for a later pass, so it still lands under its parent. */
	struct node *all = pool_alloc(p, (n + 1) * sizeof *all);
	char *placed = pool_alloc(p, n + 1);
	for (size_t i = 0; i < n; i++)
		all[i].id = v[i].id;
	qsort(all, n, sizeof *all, by_id);
	for (size_t left = n, before = 0, force = 0; left; force = left == before)
	for (size_t i = (before = left, 0); i < n; i++) {
		if (placed[i])
			continue;
		struct node *parent = v[i].parent_id ? find(nodes, nn, v[i].parent_id) : NULL;
		if (!parent && v[i].parent_id && !force && find(all, n, v[i].parent_id))
			continue; /* a pass that places nothing (a cycle) forces the rest */
		placed[i] = 1;
		left--;
		int depth = parent ? parent->depth + 1 : 1;
		if (depth > max_depth)
			depth = max_depth;
		struct tv *o = comment_tv(rq, story_url, &v[i], depth, depth < max_depth, held_id);
		struct tv *replies = tv_list(p);
		tv_put(o, "replies", replies);
		tv_put_bool(o, "has_replies", 0);
		if (parent)
			tv_put_bool(parent->tv, "has_replies", 1);
		tv_append(parent ? parent->replies : top, o);
		nodes[nn++] = (struct node){ v[i].id, depth, replies, o };
		if (nn > 1 && nodes[nn - 2].id > nodes[nn - 1].id)
			qsort(nodes, nn, sizeof *nodes, by_id);
	}
	(void)s;
	return top;
}
