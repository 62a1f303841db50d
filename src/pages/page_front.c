/*
 * page_front: the edited parts of the home page's first page (issue 15):
 * the breaking-news banner, the pinned lead and featured stories, and the
 * section blocks; page_list.c's page_home puts "Latest" after them.
 *
 * The one decision: an expiry is the page's cache lifetime, not a job.
 * The store leaves out what expired at the time of the request, and the
 * page is kept no longer than until the soonest expiry it shows
 * (rs->cache_ttl), so a pin or banner leaves the cached page at its time
 * with nothing written; every other change (pin, unpin, banner, blocks,
 * an edit to a pinned story, a story published in a block's section)
 * drops the page through the tags its reads report ("front", story:ID,
 * section:ID).
 */
#include "pages.h"
#include "../site/site.h"
#include "../media/figure.h"
#include "../render/template.h"
#include "../store/store_front.h"
#include "../store/store_reads.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <string.h>

#define FRONT_MOST_READ 5 /* stories in the Most read list */
#include <time.h>

/* The soonest of *ttl and the seconds until expires_at (0: never). */
static void ttl_upto(int *ttl, long long expires_at, long long now)
{
	if (!expires_at)
		return;
	long long s = expires_at - now;
	int t = s < 1 ? 1 : s > 86400 ? 86400 : (int)s;
	if (!*ttl || t < *ttl)
		*ttl = t;
}

static struct tv *card(struct req *rq, const struct story *s, int lead)
{
	struct tv *o = story_summary(rq, s);
	story_card_picture(rq->pool, o, s, lead ? CARD_SIZES_LEAD : CARD_SIZES_GRID,
			   lead ? CARD_LEAD_MAX_WIDTH : CARD_MAX_WIDTH, lead ? FIGURE_LEAD : 0);
	return o;
}

static int pins_put(struct req *rq, struct tv *ctx, struct front_view *fv, long long now)
{
	struct pool *p = rq->pool;
	struct front_pin *v = NULL;
	size_t n = 0;
	if (store_front_pins(rq->store, p, now, &v, &n))
		return -1;
	struct tv *featured = tv_list(p);
	fv->shown = pool_alloc(p, (n ? n : 1) * sizeof *fv->shown);
	for (size_t i = 0; i < n; i++) {
		ttl_upto(&fv->ttl, v[i].expires_at, now);
		if (v[i].story.status != STORY_PUBLISHED)
			continue;
		fv->shown[fv->nshown++] = v[i].story.id;
		if (v[i].lead)
			tv_put(ctx, "lead", card(rq, &v[i].story, 1));
		else
			tv_append(featured, card(rq, &v[i].story, 0));
	}
	if (tv_count(featured))
		tv_put(ctx, "featured", featured);
	fv->lead = n && v[0].lead && v[0].story.status == STORY_PUBLISHED;
	return (int)fv->nshown;
}

static int banner_put(struct req *rq, struct tv *ctx, struct front_view *fv, long long now)
{
	struct front_banner b;
	int rc = store_front_banner(rq->store, rq->pool, now, &b);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc)
		return -1;
	struct tv *o = tv_obj(rq->pool);
	tv_put_str(o, "text", b.text);
	tv_put_str(o, "url", b.url);
	tv_put(ctx, "banner", o);
	ttl_upto(&fv->ttl, b.expires_at, now);
	return 1;
}

static int blocks_put(struct req *rq, struct tv *ctx)
{
	struct pool *p = rq->pool;
	struct front_block *v = NULL;
	size_t n = 0;
	if (store_front_blocks(rq->store, p, &v, &n))
		return -1;
	struct tv *blocks = tv_list(p);
	for (size_t i = 0; i < n; i++) {
		struct story_filter f = { .section_id = v[i].section.id, .section_tree = 1 };
		struct story *s = NULL;
		size_t ns = 0;
		if (store_stories_list(rq->store, p, &f, NULL, 0, (size_t)v[i].count, &s, &ns, NULL))
			return -1;
		if (!ns)
			continue;
		struct tv *o = tv_obj(p), *stories = tv_list(p);
		tv_put_int(o, "id", v[i].section.id);
		tv_put_str(o, "name", v[i].section.name);
		tv_put_str(o, "url", section_url(p, v[i].section.path));
		for (size_t j = 0; j < ns; j++) {
			struct tv *c = story_summary(rq, &s[j]);
			story_card_picture(p, c, &s[j], CARD_SIZES_LIST, CARD_MAX_WIDTH, 0);
			tv_append(stories, c);
		}
		tv_put(o, "stories", stories);
		tv_append(blocks, o);
	}
	if (tv_count(blocks))
		tv_put(ctx, "blocks", blocks);
	return (int)tv_count(blocks);
}

/* "Most read": the stories read most in the last 24 hours (this hour and
 * the 23 before), counted without cookies or reader data (stats/reads.h).
 * The page follows new counts through the "reads" tag the scheduler logs,
 * and the window's slide by its lifetime: until the next hour. */
static int most_read_put(struct req *rq, struct tv *ctx, struct front_view *fv, long long now)
{
	struct pool *p = rq->pool;
	struct story *v = NULL;
	size_t n = 0;
	if (store_reads_top(rq->store, p, FRONT_MOST_READ, &v, &n))
		return -1;
	if (!n)
		return 0;
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(p);
		tv_put_str(o, "title", v[i].title);
		tv_put_str(o, "url", story_path(p, &v[i]));
		page_put_lang(o, v[i].lang);
		tv_append(list, o);
	}
	tv_put(ctx, "most_read", list);
	tv_put_bool(ctx, "has_most_read", 1);
	ttl_upto(&fv->ttl, (now / 3600 + 1) * 3600, now);
	return (int)n;
}

int page_front_put(struct req *rq, struct tv *ctx, struct front_view *fv)
{
	long long now = (long long)time(NULL);
	memset(fv, 0, sizeof *fv);
	int pins = pins_put(rq, ctx, fv, now), banner = pins < 0 ? -1 : banner_put(rq, ctx, fv, now),
	    blocks = banner < 0 ? -1 : blocks_put(rq, ctx);
	if (blocks >= 0 && most_read_put(rq, ctx, fv, now) < 0)
		blocks = -1;
	if (blocks < 0) {
		log_error("%s: front page: %s", rq->uri, store_errmsg(rq->store));
		return -1;
	}
	fv->any = pins > 0 || banner > 0 || blocks > 0;
	if (fv->any)
		tv_put_bool(ctx, "front", 1);
	return 0;
}

int page_front_shown(const struct front_view *fv, long long story_id)
{
	for (size_t i = 0; i < fv->nshown; i++)
		if (fv->shown[i] == story_id)
			return 1;
	return 0;
}
