/*
 * page_story: a story with its byline, body, tags, related stories,
 * threaded comments and the comment form. Everything shown was computed
 * when the story or a comment was written (body HTML, related list,
 * comment count, the comment thread's HTML); serving asks the store for a
 * few rows and renders.
 */
#include "pages.h"
#include "../content/embed.h"
#include "../comments/comment_form.h"
#include "../comments/comment_reply.h"
#include "../comments/comment_rules.h"
#include "../comments/comment_thread.h"
#include "../media/figure.h"
#include "../media/media.h"
#include "../media/media_ref.h"
#include "../store/store_byline.h"
#include "../store/store_media.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <string.h>

static struct tv *tags_tv(struct pool *p, const struct story *s)
{
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < s->ntags; i++) {
		struct tv *t = tv_obj(p);
		tv_put_str(t, "name", s->tags[i].name);
		tv_put_str(t, "url", page_path(p, "/tag/", s->tags[i].slug));
		tv_append(list, t);
	}
	return list;
}

static struct tv *related_tv(struct req *rq, const struct story *s)
{
	struct tv *list = tv_list(rq->pool);
	struct story *v = NULL;
	size_t n = 0;
	if (store_related(rq->store, rq->pool, s->id, &v, &n)) {
		log_error("%s: related: %s", rq->uri, store_errmsg(rq->store));
		return list; /* the story is still worth showing */
	}
	for (size_t i = 0; i < n; i++) { /* docs/theme-contract.md: related */
		struct tv *o = tv_obj(rq->pool);
		tv_put_str(o, "title", v[i].title);
		tv_put_str(o, "url", story_path(rq->pool, &v[i]));
		page_put_lang(o, v[i].lang);
		tv_put_str(o, "date_iso", date_iso(rq->pool, v[i].published_at, &rq->site->zone));
		tv_put_str(o, "date_human", date_human(rq->pool, v[i].published_at, &rq->site->zone));
		story_card_picture(rq->pool, o, &v[i], CARD_SIZES_THUMB, CARD_THUMB_WIDTH, 0);
		tv_append(list, o);
	}
	return list;
}

/* The story's featured library picture as its lead figure: every format
 * and width, fetched first, with the record's caption and credit; its alt
 * text the record's, else the story's title. -1 when the record's
 * variants name no file (the old <img> is shown instead). */
static int lead_figure(struct pool *p, struct tv *so, const struct story *s)
{
	struct media_made mm;
	const struct media_record *m = s->media;
	if (!m->hash || media_variants_parse(m->variants, m->formats, &mm) || !mm.nv)
		return -1;
	struct buf b;
	buf_init(&b, 64u << 10);
	figure_html(&b, m, *m->alt ? m->alt : s->title, NULL, FIGURE_SIZES,
		    FIGURE_LEAD | FIGURE_FEATURED);
	int err = b.err;
	if (!err)
		tv_put_html(so, "image_html", pool_strdup(p, buf_str(&b)));
	buf_release(&b);
	return err ? -1 : 0;
}

/* The byline's authors, "Updated <time>" when an editor marked it so, and
 * the corrections at the story's end (docs/theme-contract.md: story.authors,
 * updated_*, corrections). */
static void put_extra(struct req *rq, struct tv *so, const struct story *s,
		      const struct story_extra *x, const struct tz *z)
{
	struct pool *p = rq->pool;
	if (x->revised_at > s->published_at) {
		tv_put_str(so, "updated_iso", date_iso(p, x->revised_at, z));
		tv_put_str(so, "updated_human", date_human_time(p, x->revised_at, z));
	}
	tv_put(so, "authors", byline_authors(p, page_and(rq), &s->author, x->coauthors, x->ncoauthors));
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < x->ncorrections; i++) {
		struct tv *o = tv_obj(p);
		tv_put_str(o, "date_iso", date_iso(p, x->corrections[i].created_at, z));
		tv_put_str(o, "date_human", date_human_time(p, x->corrections[i].created_at, z));
		tv_put_str(o, "text", x->corrections[i].body);
		tv_append(list, o);
	}
	tv_put(so, "corrections", list);
	tv_put_bool(so, "has_corrections", x->ncorrections > 0);
}

/* 1 when excerpt is the opening of the body's text (an imported post's
 * first paragraph or its <!--more--> summary): white space matches white
 * space, and a closing ellipsis ends a cut one. The page then shows the
 * text once, in the body. */
static int excerpt_opens_body(const char *ex, const char *body)
{
	if (!ex || !*ex || !body)
		return 0;
	while (str_is_space(*body))
		body++;
	while (*ex && strcmp(ex, "…") != 0) {
		if (str_is_space(*ex)) {
			while (str_is_space(*ex))
				ex++;
			if (*ex && !str_is_space(*body))
				return 0;
			while (str_is_space(*body))
				body++;
			continue;
		}
		if (*ex++ != *body++)
			return 0;
	}
	return 1;
}

void page_story_show(struct req *rq, struct resp *rs, const struct story *s,
		     const struct comment_form_state *form)
{
	struct pool *p = rq->pool;
	const char *path = story_path(p, s);
	media_ref_deps(rq->store, p, s->body_md); /* a picture's new caption drops this page */
	const char *thread = comment_thread_html(rq, s, path, form->held_id);
	if (!thread) {
		http_error(rq, rs, 500, "Something went wrong", "The story could not be loaded.");
		return;
	}
	struct story_extra x;
	if (store_story_extra(rq->store, p, s, &x) != STORE_OK) {
		log_error("%s: story marks: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The story could not be loaded.");
		return;
	}
	struct tv *ctx = page_ctx_story(rq, s, &x, path);
	struct tv *so = story_summary(rq, s);
	if (excerpt_opens_body(s->excerpt, s->body_md))
		tv_put_str(so, "excerpt", ""); /* no standfirst repeating the body */
	tv_put_str(so, "datetime_human", date_human_time(p, s->published_at, &rq->site->zone));
	put_extra(rq, so, s, &x, &rq->site->zone);
	const char *body = page_body_html(p, s->body_html, site_embeds(rq->site));
	tv_put_bool(so, "has_embeds", body && strstr(body, EMBED_MARK) != NULL);
	tv_put_html(so, "body_html", page_in_article(rq, body));
	tv_put(so, "tags", tags_tv(p, s));
	tv_put_str(so, "comment_count_label", page_t_count(rq, "comment_count", s->comment_count));
	tv_put(ctx, "story", so);
	struct tv *related = related_tv(rq, s);
	tv_put(ctx, "related", related);
	tv_put_bool(ctx, "has_related", tv_count(related) > 0);
	tv_put_bool(so, "has_tags", s->ntags > 0);
	/* the library's picture (the story's row reported its media:ID, so
	 * a change to the record drops this page), else the old one file */
	if ((!s->media || lead_figure(p, so, s) < 0) && s->image.path && *s->image.path) {
		struct tv *im = tv_obj(p);
		tv_put_str(im, "url", s->image.path);
		tv_put_int(im, "width", s->image.width);
		tv_put_int(im, "height", s->image.height);
		tv_put(so, "image", im);
	}
	tv_put_html(ctx, "comments_html", thread);
	struct cache_live live = { 0 };
	struct comment_rules rules; /* read once for the form and its closing */
	comment_rules_load(rq->store, rq->pool, &rules);
	struct tv *form_tv = comment_form_tv(rq, s, &rules, form, &live);
	/* a signed-in staff member's view carries a CSRF token: never public */
	int staff = comment_staff_form(rq, s, form_tv);
	tv_put(ctx, "form", form_tv);
	int status = form->general_error ? 422 : 200;
	for (int i = 0; i < CF__MAX; i++) /* the form comes back with the reader's values */
		if (form->error[i])
			status = 422;
	if (status == 200 && !staff && !form->held_id && !form->parent_id) {
		rs->cache_control = HTTP_CACHE_PUBLIC;
		rs->live = live; /* each reader gets the form's stamp anew */
		/* the form closes with age, which no change logs */
		long long closes = comment_rules_closes_in(&rules, s, (long long)time(NULL));
		if (closes > 0)
			rs->cache_ttl = closes < 86400 ? (int)closes + 1 : 86400;
	}
	page_render(rq, rs, status, "story", ctx);
}

/* The date segments must be digits and match the story's own date;
 * otherwise the canonical URL is answered with 301. */
void page_story(struct req *rq, struct resp *rs)
{
	struct story s;
	unsigned long long y, m, d;
	if (num_parse_u64(rq->params[0], 9999, &y) || num_parse_u64(rq->params[1], 12, &m) ||
	    num_parse_u64(rq->params[2], 31, &d)) {
		page_not_found(rq, rs, "There is no story at this address.");
		return;
	}
	int rc = store_story_by_slug(rq->store, rq->pool, rq->params[3], &s);
	if (rc == STORE_NOTFOUND) {
		page_not_found(rq, rs, "There is no story at this address.");
		return;
	}
	if (rc) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The story could not be loaded.");
		return;
	}
	const char *path = story_path(rq->pool, &s);
	if (strncmp(rq->path, path, strlen(path)) != 0) {
		resp_redirect(rs, 301, path);
		rs->cache_control = "public, max-age=3600";
		return;
	}
	struct comment_form_state form = { 0 };
	unsigned long long id;
	const char *reply = kv_get(&rq->query, "replytocom");
	if (reply && num_parse_u64(reply, 1ULL << 62, &id) == 0)
		form.parent_id = (long long)id;
	const char *held = kv_get(&rq->query, "unapproved");
	const char *hash = kv_get(&rq->query, "moderation-hash");
	if (held && hash && num_parse_u64(held, 1ULL << 62, &id) == 0) {
		if (site_sign_ok(rq->site, pool_printf(rq->pool, "moderation:%llu", id), hash, 32))
			form.held_id = (long long)id;
	}
	page_story_show(rq, rs, &s, &form);
}
