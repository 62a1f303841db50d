/*
 * page_meta: what a page tells machines about itself: feed autodiscovery
 * links, OpenGraph and Twitter card tags, and JSON-LD (NewsArticle and
 * BreadcrumbList) for stories. Values go to head.html as template values
 * (escaped there) except the JSON-LD block.
 *
 * The one decision: JSON-LD is written here with json_string, which
 * escapes < > & as \u003c \u003e \u0026, and handed to the template as
 * trusted HTML. Inside <script> HTML entities are not decoded, so the
 * template's own escaping would corrupt the JSON; json_string's is the
 * escaping for that context, and no value can close the script element.
 */
#include "pages.h"
#include "../feeds/feed.h"
#include "../media/media.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_byline.h"
#include "../store/store_media.h"
#include "../util/locale.h"
#include "../util/pool.h"

#include <string.h>
#include <strings.h>

const char *page_text_dir(const char *lang)
{
	static const char *const rtl[] = { "ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku",
					   "ps", "sd", "ug", "ur", "yi" };
	size_t n = strcspn(lang, "-_");
	for (size_t i = 0; i < sizeof rtl / sizeof rtl[0]; i++)
		if (strlen(rtl[i]) == n && strncasecmp(lang, rtl[i], n) == 0)
			return "rtl";
	return "ltr";
}

static const char *absolute(struct req *rq, const char *path)
{
	return pool_cat(rq->pool, rq->site->cfg.base_url, path, NULL);
}

static void feed_links(struct req *rq, struct tv *list, const char *base, const char *label,
		       const char *query)
{
	for (int f = 0; f < FEED__MAX; f++) {
		struct tv *o = tv_obj(rq->pool);
		const char *type = feed_content_type((enum feed_format)f);
		tv_put_str(o, "type", pool_strndup(rq->pool, type, strcspn(type, ";")));
		tv_put_str(o, "title", pool_cat(rq->pool, label, " (",
						feed_format_name((enum feed_format)f), ")", NULL));
		/* the list ends at a NULL query */
		tv_put_str(o, "url", pool_cat(rq->pool, base, "/", feed_segment((enum feed_format)f),
					      query ? "?" : NULL, query, NULL));
		tv_append(list, o);
	}
}

void page_feeds(struct req *rq, struct tv *ctx, const char *base, const char *label,
		const char *query)
{
	struct tv *list = tv_list(rq->pool);
	if (base)
		feed_links(rq, list, base, label, query);
	feed_links(rq, list, "", rq->site->cfg.site_name, NULL);
	tv_put(ctx, "feeds", list);
}

void page_meta_defaults(struct req *rq, struct tv *ctx, const char *title,
			const char *description, const char *canonical_path)
{
	const struct config *cfg = &rq->site->cfg;
	struct tv *og = tv_obj(rq->pool);
	tv_put_str(og, "type", "website");
	tv_put_str(og, "title", title ? title : cfg->site_name);
	tv_put_str(og, "description", description && *description ? description : cfg->tagline);
	if (canonical_path)
		tv_put_str(og, "url", absolute(rq, canonical_path));
	if (cfg->logo_url[0])
		tv_put_str(og, "image", cfg->logo_url);
	tv_put_str(og, "twitter_card", "summary");
	tv_put(ctx, "og", og);
	page_feeds(rq, ctx, NULL, NULL, NULL);
}

static const char *logo(struct req *rq)
{
	const char *l = rq->site->cfg.logo_url;
	return *l ? l : absolute(rq, "/static/favicon.svg");
}

static void crumb(struct buf *b, int pos, const char *name, const char *url)
{
	char n[2] = { (char)('0' + pos), 0 }; /* 1 to 3 */
	buf_puts(b, pos > 1 ? ",{\"@type\":\"ListItem\",\"position\":" : "{\"@type\":\"ListItem\",\"position\":");
	buf_puts(b, n);
	buf_puts(b, ",\"name\":");
	json_string(b, name);
	buf_puts(b, ",\"item\":");
	json_string(b, url);
	buf_putc(b, '}');
}

static void jkey(struct buf *b, const char *key, const char *val)
{
	buf_puts(b, ",\"");
	buf_puts(b, key);
	buf_puts(b, "\":");
	json_string(b, val);
}

/* The picture a shared link shows (OpenGraph, Twitter, JSON-LD): of the
 * featured library picture, the JPEG variant closest to 1200 px wide and
 * at least that when the original allows; else the story's one served
 * file. 0 and *out, or -1 when the story has no picture. */
static int share_image(struct pool *p, const struct story *s, struct story_image *out)
{
	struct media_made mm;
	const struct media_record *m = s->media;
	if (m && m->hash && media_variants_parse(m->variants, m->formats, &mm) == 0 && mm.nv &&
	    (mm.formats & 1u << MEDIA_JPEG)) {
		const struct media_variant *v = &mm.v[media_pick_atleast(&mm, MEDIA_SHARE_WIDTH)];
		*out = (struct story_image){ pool_cat(p, "/media/",
						      media_variant_name(p, m->hash, v->width,
									 MEDIA_JPEG), NULL),
					     v->width, v->height, 0 };
		return 0;
	}
	if (!s->image.path || !*s->image.path)
		return -1;
	*out = s->image;
	return 0;
}

/* NewsArticle and BreadcrumbList as one JSON-LD graph. */
long long page_story_modified(const struct story *s)
{
	return s->revised_at > s->published_at ? s->revised_at : s->published_at;
}

/* schema.org's correction: a CorrectionComment per note, oldest first. */
static void jsonld_corrections(struct buf *b, struct req *rq, const struct story_extra *x)
{
	if (!x->ncorrections)
		return;
	buf_puts(b, ",\"correction\":[");
	for (size_t i = 0; i < x->ncorrections; i++) {
		buf_puts(b, i ? ",{" : "{");
		buf_puts(b, "\"@type\":\"CorrectionComment\",\"text\":");
		json_string(b, x->corrections[i].body);
		jkey(b, "datePublished",
		     date_iso(rq->pool, x->corrections[i].created_at, &rq->site->zone));
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static const char *story_jsonld(struct req *rq, const struct story *s, const struct story_extra *x,
				const char *url)
{
	struct pool *p = rq->pool;
	const struct config *cfg = &rq->site->cfg;
	struct buf b;
	buf_init(&b, 1024 * 1024);
	(void)buf_reserve(&b, 4096);
	buf_puts(&b, "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"NewsArticle\"");
	jkey(&b, "headline", s->title);
	jkey(&b, "description", s->excerpt);
	jkey(&b, "url", url);
	buf_puts(&b, ",\"mainEntityOfPage\":{\"@type\":\"WebPage\",\"@id\":");
	json_string(&b, url);
	buf_puts(&b, "},\"image\":[");
	struct story_image im;
	if (share_image(p, s, &im) == 0) { /* the featured image, with its size */
		buf_puts(&b, "{\"@type\":\"ImageObject\",\"url\":");
		json_string(&b, absolute(rq, im.path));
		buf_puts(&b, ",\"width\":");
		buf_puts(&b, pool_lld(p, im.width));
		buf_puts(&b, ",\"height\":");
		buf_puts(&b, pool_lld(p, im.height));
		buf_putc(&b, '}');
	} else
		json_string(&b, logo(rq));
	buf_putc(&b, ']');
	jkey(&b, "datePublished", date_iso(p, s->published_at, &rq->site->zone));
	jkey(&b, "dateModified", date_iso(p, page_story_modified(s), &rq->site->zone));
	jsonld_corrections(&b, rq, x);
	jkey(&b, "inLanguage", s->lang && *s->lang ? s->lang : cfg->lang);
	buf_puts(&b, ",\"author\":[");
	for (size_t i = 0; i <= x->ncoauthors; i++) { /* the whole byline, in order */
		const struct author *a = i ? &x->coauthors[i - 1] : &s->author;
		buf_puts(&b, i ? ",{\"@type\":\"Person\",\"name\":" : "{\"@type\":\"Person\",\"name\":");
		json_string(&b, a->name);
		jkey(&b, "url", absolute(rq, page_path(p, "/author/", a->slug)));
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"publisher\":{\"@type\":\"Organization\",\"name\":");
	json_string(&b, cfg->site_name);
	jkey(&b, "url", absolute(rq, "/"));
	buf_puts(&b, ",\"logo\":{\"@type\":\"ImageObject\",\"url\":");
	json_string(&b, logo(rq));
	buf_puts(&b, "}}");
	if (s->section.id)
		jkey(&b, "articleSection", s->section.name);
	if (s->ntags) {
		buf_puts(&b, ",\"keywords\":[");
		for (size_t i = 0; i < s->ntags; i++) {
			if (i)
				buf_putc(&b, ',');
			json_string(&b, s->tags[i].name);
		}
		buf_putc(&b, ']');
	}
	buf_puts(&b, "},{\"@type\":\"BreadcrumbList\",\"itemListElement\":[");
	int pos = 1;
	crumb(&b, pos++, cfg->site_name, absolute(rq, "/"));
	if (s->section.id)
		crumb(&b, pos++, s->section.name,
		      absolute(rq, section_url(p, s->section.path)));
	crumb(&b, pos, s->title, url);
	buf_puts(&b, "]}]}");
	const char *r = b.err ? NULL : pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

void page_meta_story(struct req *rq, struct tv *ctx, const struct story *s,
		     const struct story_extra *x)
{
	struct pool *p = rq->pool;
	const char *path = story_path(p, s);
	const char *url = absolute(rq, path);
	struct tv *og = tv_obj(p);
	tv_put_str(og, "type", "article");
	tv_put_str(og, "title", s->title);
	tv_put_str(og, "description", s->excerpt && *s->excerpt ? s->excerpt
								: rq->site->cfg.tagline);
	tv_put_str(og, "url", url);
	tv_put_str(og, "image", logo(rq));
	struct story_image im;
	int featured = share_image(p, s, &im) == 0;
	if (featured) {
		tv_put_str(og, "image", absolute(rq, im.path));
		tv_put_int(og, "image_width", im.width);
		tv_put_int(og, "image_height", im.height);
		if (s->media && *s->media->alt) /* for readers who cannot see it */
			tv_put_str(og, "image_alt", s->media->alt);
	}
	tv_put_str(og, "published_time", date_iso(p, s->published_at, &rq->site->zone));
	tv_put_str(og, "modified_time", date_iso(p, page_story_modified(s), &rq->site->zone));
	if (s->section.id)
		tv_put_str(og, "section", s->section.name);
	struct tv *tags = tv_list(p);
	for (size_t i = 0; i < s->ntags; i++)
		tv_append(tags, tv_str(p, s->tags[i].name));
	tv_put(og, "tags", tags);
	tv_put_str(og, "author", s->author.name);
	tv_put_str(og, "twitter_card", featured ? "summary_large_image" : "summary");
	tv_put(ctx, "og", og);
	const char *ld = story_jsonld(rq, s, x, url);
	if (ld)
		tv_put_html(ctx, "jsonld", ld); /* json_string output: see the top */
	page_feeds(rq, ctx, pool_cat(p, path, "/comments", NULL),
		   locale_fill(p, page_t(rq, "feed_comments_on"), s->title), NULL);
}
