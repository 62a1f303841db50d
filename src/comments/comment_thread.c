/*
 * comment_thread: threads a story's flat list of comments (oldest first)
 * and renders it (see comment_thread.h). Comments are indexed by id once,
 * so threading is O(n log n) however the replies interleave; a reply
 * deeper than the nesting limit is shown under its deepest allowed
 * ancestor, as WordPress does.
 */
#include "comment_thread.h"
#include "comment_reply.h"
#include "comment_text.h"
#include "../site/url.h"
#include "../util/date.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_thread.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <stdlib.h>

#define THREAD_MAX_BYTES (64u << 20)

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

static struct tv *comment_tv(struct pool *p, const struct site *site, const char *story_url,
			     const struct comment *c, int depth, int can_reply, long long held_id)
{
	const struct tz *z = &site->zone;
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
	tv_put_str(o, "date_iso", date_iso(p, c->created_at, z));
	tv_put_str(o, "date_human", date_human(p, c->created_at, z));
	tv_put_html(o, "body_html", html);
	tv_put_bool(o, "pending", c->id == held_id && c->status != COMMENT_APPROVED);
	tv_put_int(o, "depth", depth);
	tv_put_bool(o, "can_reply", can_reply && c->status == COMMENT_APPROVED);
	tv_put_str(o, "reply_url", pool_cat(p, story_url, "?replytocom=", id, "#respond", NULL));
	/* a staff member's comment (comment_reply.h); "" keeps a reply from
	 * finding its parent's badge */
	const char *badge = comment_badge(&site->locale, c->user_role, c->by_story_author);
	tv_put_str(o, "badge", badge ? badge : "");
	tv_put_bool(o, "by_user", c->user_id != 0);
	tv_put_bool(o, "by_story_author", c->by_story_author);
	return o;
}

/* The top-level comment nodes, each holding its replies. */
static struct tv *thread_tv(const struct site *site, struct pool *p, const char *story_url,
			    const struct comment *v, size_t n, long long held_id)
{
	int max_depth = site->cfg.comment_max_depth;
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
		struct tv *o = comment_tv(p, site, story_url, &v[i], depth,
					  depth < max_depth, held_id);
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
	return top;
}

int comment_thread_render(const struct site *site, struct pool *p, const char *story_url,
			  const struct comment *v, size_t n, long long held_id, struct buf *out)
{
	struct tv *top = thread_tv(site, p, story_url, v, n, held_id);
	/* the top-level list rendered as a theme's {{#comments}}{{>comment}}
	 * would: every node carries every key comment.html reads */
	struct tv *ctx = tv_obj(p);
	tv_put(ctx, "comments", top);
	return tpl_has(site->tpl, "comments") ? tpl_render(site->tpl, "comments", ctx, out)
					      : -1;
}

/* Bump when this file's output changes for the same comments and theme
 * (a new key for comment.html, another date format...): stored threads of
 * the old format are then rendered again, as after a theme change. */
#define THREAD_FORMAT 3

unsigned long long comment_thread_variant(const struct site *site)
{
	unsigned long long h = tpl_reach_hash(site->tpl, "comments");
	h ^= (unsigned long long)site->cfg.comment_max_depth * 0x9E3779B97F4A7C15ULL;
	h ^= (unsigned long long)THREAD_FORMAT * 0xC2B2AE3D27D4EB4FULL;
	for (const char *c = site->zone.name; *c; c++) /* dates are shown in the zone */
		h = (h ^ (unsigned char)*c) * 0x100000001B3ULL;
	return h >> 1; /* stored as a positive SQLite integer */
}

static int build(void *arg, struct store *st, long long story_id)
{
	const struct site *site = arg;
	struct pool *p = pool_new();
	struct story s;
	struct comment *v = NULL;
	size_t n = 0;
	struct buf b;
	buf_init(&b, THREAD_MAX_BYTES);
	int rc = store_story_by_id(st, p, story_id, &s);
	if (rc == STORE_NOTFOUND) {
		rc = STORE_OK; /* deleted: nothing to build */
	} else if (rc == STORE_OK &&
		   (rc = store_comments_for_story(st, p, story_id, 0, &v, &n)) == STORE_OK) {
		if (comment_thread_render(site, p, story_path(p, &s), v, n, 0, &b) || b.err) {
			log_error("story %lld: the comment thread did not render", story_id);
			rc = STORE_ERROR;
		} else {
			rc = store_thread_put(st, story_id, comment_thread_variant(site), buf_str(&b));
		}
	}
	buf_release(&b);
	pool_free(p);
	return rc;
}

void comment_thread_attach(const struct site *site, struct store *st)
{
	store_set_thread_builder(st, build, (void *)site, comment_thread_variant(site));
}

const char *comment_thread_html(struct req *rq, const struct story *s, const char *story_url,
				long long held_id)
{
	const char *html;
	if (!held_id && store_thread_get(rq->store, rq->pool, s->id,
					 comment_thread_variant(rq->site), &html) == STORE_OK)
		return html;
	struct comment *v = NULL;
	size_t n = 0;
	if (store_comments_for_story(rq->store, rq->pool, s->id, held_id, &v, &n)) {
		log_error("%s: comments: %s", rq->uri, store_errmsg(rq->store));
		return NULL;
	}
	struct buf b;
	buf_init(&b, THREAD_MAX_BYTES);
	const char *out = NULL;
	if (comment_thread_render(rq->site, rq->pool, story_url, v, n, held_id, &b) == 0 && !b.err)
		out = pool_strdup(rq->pool, buf_str(&b));
	else
		log_error("%s: the comment thread did not render", rq->uri);
	buf_release(&b);
	return out;
}
