/*
 * page: what every reader page shares. Values reach templates only through
 * tv_put_str (escaped at render) except Markdown output, so a page module
 * cannot forget to escape.
 */
#include "pages.h"
#include "../content/embed.h"
#include "../media/figure.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../content/sitepage.h"
#include "../content/slot.h"
#include "../http/secure.h"
#include "../store/store_slots.h"
#include "../store/store_menu.h"
#include "../store/store_redirect.h"
#include "../util/locale.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct tv *byline_authors(struct pool *p, const char *and, const struct author *first,
			  const struct author *rest, size_t nrest)
{
	struct tv *authors = tv_list(p);
	size_t na = 1 + nrest;
	for (size_t i = 0; i < na; i++) {
		const struct author *a = i ? &rest[i - 1] : first;
		struct tv *o = tv_obj(p);
		tv_put_str(o, "sep", i == 0 ? "" : i == na - 1 ? and : ", ");
		tv_put_str(o, "name", a->name);
		tv_put_str(o, "url", page_path(p, "/author/", a->slug));
		tv_append(authors, o);
	}
	return authors;
}

const char *page_t(const struct req *rq, const char *key)
{
	const char *v = locale_get(&rq->site->locale, key);
	return v ? v : key;
}

const char *page_t_count(const struct req *rq, const char *key, long long n)
{
	return locale_count(&rq->site->locale, rq->pool, key, n);
}

void page_put_lang(struct tv *o, const char *lang)
{
	tv_put_str(o, "lang", lang ? lang : "");
	tv_put_str(o, "dir", lang && *lang ? page_text_dir(lang) : "");
}

const char *page_title_n(struct req *rq, const char *title, unsigned long long page)
{
	if (page <= 1)
		return title;
	const char *n = pool_printf(rq->pool, "%llu", page);
	return pool_cat(rq->pool, title, " ", locale_fill(rq->pool, page_t(rq, "title_page"), n), NULL);
}

const char *page_and(struct req *rq)
{
	return pool_cat(rq->pool, " ", page_t(rq, "and"), " ", NULL);
}

struct tv *story_summary(struct req *rq, const struct story *s)
{
	struct pool *p = rq->pool;
	const struct tz *z = &rq->site->zone;
	struct tv *o = tv_obj(p);
	tv_put_str(o, "title", s->title);
	tv_put_str(o, "url", story_path(p, s));
	tv_put_str(o, "excerpt", s->excerpt);
	tv_put_str(o, "date_iso", date_iso(p, s->published_at, z));
	tv_put_str(o, "date_human", date_human(p, s->published_at, z));
	if (s->section.id) {
		tv_put_str(o, "section_name", s->section.name);
		tv_put_str(o, "section_url", section_url(p, s->section.path));
	}
	tv_put_str(o, "author_name", s->author.name);
	tv_put_str(o, "author_url", page_path(p, "/author/", s->author.slug));
	size_t nco = s->coauthors ? s->ncoauthors : 0;
	tv_put(o, "authors", byline_authors(p, nco ? page_and(rq) : "", &s->author, s->coauthors, nco));
	tv_put_int(o, "reading_minutes", s->reading_minutes);
	tv_put_int(o, "comment_count", s->comment_count);
	page_put_lang(o, s->lang);
	return o;
}

void story_card_picture(struct pool *p, struct tv *o, const struct story *s, const char *sizes,
			int max_width, unsigned flags)
{
	struct buf b;
	buf_init(&b, 64u << 10);
	if (!s->media || figure_card_html(&b, s->media, NULL, sizes, max_width, flags) < 0) {
		if (s->image.path && *s->image.path)
			figure_card_jpeg_html(&b, s->image.path, s->image.width, s->image.height,
					      NULL, flags);
	}
	if (b.len && !b.err)
		tv_put_html(o, "picture_html", pool_strdup(p, buf_str(&b)));
	buf_release(&b);
}

const char *page_body_html(struct pool *p, const char *html, unsigned enabled)
{
	if (!html || (enabled & EMBED_ALL) == EMBED_ALL || !strstr(html, EMBED_MARK))
		return html;
	struct buf b;
	buf_init(&b, 0);
	embed_html_filter(html, enabled, &b);
	/* out of memory: the facades stay, and the CSP keeps their frames out */
	const char *out = b.err ? html : pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return out;
}

unsigned long long page_number(const struct req *rq)
{
	const char *v = kv_get(&rq->query, "page");
	unsigned long long n;
	if (!v)
		return 1;
	if (num_parse_u64(v, 1000000, &n) || n == 0)
		return 0;
	return n;
}

const char *page_menu_url(struct pool *p, const struct menu_item *x)
{
	if (!x->live)
		return NULL;
	switch (x->kind) {
	case MENU_SECTION:
		return section_url(p, x->target_path);
	case MENU_PAGE:
		return sitepage_url(p, x->target_path);
	case MENU_STORY: {
		struct story s = { .slug = x->target_path, .published_at = x->target_published_at };
		return story_path(p, &s);
	}
	default:
		return x->url;
	}
}

const char *page_menu_label(const struct menu_item *x)
{
	return *x->label || !x->target_name ? x->label : x->target_name;
}

/* A menu item to show: {name, url, current}; NULL when it shows nothing. */
static struct tv *menu_link(struct pool *p, const struct menu_item *x, const char *canonical_path)
{
	const char *url = page_menu_url(p, x);
	if (!url)
		return NULL;
	struct tv *o = tv_obj(p);
	tv_put_str(o, "name", page_menu_label(x));
	tv_put_str(o, "url", url);
	tv_put_bool(o, "current", canonical_path && strcmp(canonical_path, url) == 0);
	return o;
}

/* Menu m as a list of links, a header item's own under "submenu" (with
 * has_submenu); NULL when the menu has no item to show. */
static struct tv *menu_tv(struct req *rq, enum menu_name m, const char *canonical_path)
{
	struct pool *p = rq->pool;
	struct menu_item *v = NULL;
	size_t n = 0;
	struct tv *list = tv_list(p), *top = NULL, *sub = NULL;
	long long top_id = 0;
	if (!rq->store || store_menu(rq->store, p, m, &v, &n) != STORE_OK)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct tv *o = menu_link(p, &v[i], canonical_path);
		if (!o)
			continue;
		if (!v[i].parent_id) {
			top = o;
			top_id = v[i].id;
			sub = NULL;
			tv_append(list, o);
		} else if (top && v[i].parent_id == top_id) {
			if (!sub) {
				sub = tv_list(p);
				tv_put(top, "submenu", sub);
				tv_put_bool(top, "has_submenu", 1);
			}
			tv_append(sub, o);
		} /* inside an item not shown: not shown */
	}
	return tv_count(list) ? list : NULL;
}

/* The slots every public page shows ("slots": top, sidebar, footer; kept
 * as sanitize_slot re-emitted them): an empty one is absent, so the theme
 * writes no markup for it. None on the admin's pages. */
static void slots_put(struct req *rq, struct tv *ctx)
{
	struct tv *o = tv_obj(rq->pool);
	const char *html;
	for (int i = 0; rq->store && !secure_is_admin(rq->path) && i < SLOT__MAX; i++)
		if (i != SLOT_IN_ARTICLE &&
		    store_slot_html(rq->store, rq->pool, slot_keys[i], &html) == STORE_OK && *html)
			tv_put_html(o, slot_tpl_keys[i], html);
	tv_put(ctx, "slots", o);
}

const char *page_in_article(struct req *rq, const char *body)
{
	const char *html = NULL, *para = NULL;
	if (!body || !rq->store || secure_is_admin(rq->path) ||
	    store_slot_html(rq->store, rq->pool, slot_keys[SLOT_IN_ARTICLE], &html) != STORE_OK ||
	    !*html)
		return body;
	if (store_setting_get(rq->store, rq->pool, SLOT_PARAGRAPH_KEY, &para) != STORE_OK)
		para = NULL;
	struct buf b;
	buf_init(&b, 0);
	slot_insert(&b, body, html, slot_paragraph(para));
	const char *out = b.err ? body : pool_strdup(rq->pool, buf_str(&b));
	buf_release(&b);
	return out;
}

static struct tv *ctx_common(struct req *rq, const char *title, const char *description,
			     const char *canonical_path)
{
	struct pool *p = rq->pool;
	const struct config *cfg = &rq->site->cfg;
	struct tv *ctx = tv_obj(p), *site = tv_obj(p), *nav = tv_list(p);
	tv_put_str(site, "name", cfg->site_name);
	tv_put_str(site, "tagline", cfg->tagline);
	tv_put_str(site, "lang", cfg->lang);
	tv_put_str(site, "dir", page_text_dir(cfg->lang));
	tv_put(ctx, "site", site);
	struct section *secs = NULL;
	size_t n = 0;
	struct tv *kids = NULL, *header = menu_tv(rq, MENU_HEADER, canonical_path),
		  *footer = menu_tv(rq, MENU_FOOTER, canonical_path);
	if (footer) {
		tv_put(ctx, "footer_menu", footer);
		tv_put_bool(ctx, "has_footer_menu", 1);
	}
	if (header) { /* the editors' menu replaces the list of sections */
		nav = header;
		tv_put_bool(ctx, "nav_menu", 1);
	}
	/* the masthead: top-level sections, each with its children (the
	 * default theme shows the top level only); read with a menu too, for
	 * the "site" change every page follows */
	if (rq->store && store_sections(rq->store, p, &secs, &n) == STORE_OK && !header)
		for (size_t i = 0; i < n; i++) {
			if (secs[i].depth > 1)
				continue;
			struct tv *o = tv_obj(p);
			const char *url = section_url(p, secs[i].path);
			tv_put_str(o, "name", secs[i].name);
			tv_put_str(o, "url", url);
			tv_put_bool(o, "current", canonical_path && strcmp(canonical_path, url) == 0);
			if (secs[i].depth == 0) {
				kids = tv_list(p);
				tv_put(o, "children", kids);
				tv_append(nav, o);
			} else if (kids) {
				tv_append(kids, o);
			}
		}
	tv_put(ctx, "nav", nav);
	slots_put(rq, ctx);
	tv_put_str(ctx, "css_url", rq->site->css_url);
	tv_put_str(ctx, "page_title",
		   title ? pool_cat(p, title, " – ", cfg->site_name, NULL) : cfg->site_name);
	tv_put_str(ctx, "meta_description", description ? description : cfg->tagline);
	if (canonical_path)
		tv_put_str(ctx, "canonical_url", pool_cat(p, cfg->base_url, canonical_path, NULL));
	struct tm tm;
	date_local((long long)time(NULL), &rq->site->zone, &tm); /* the site's year */
	tv_put_int(ctx, "year", tm.tm_year + 1900);
	return ctx;
}

struct tv *page_ctx(struct req *rq, const char *title, const char *description,
		    const char *canonical_path)
{
	struct tv *ctx = ctx_common(rq, title, description, canonical_path);
	page_meta_defaults(rq, ctx, title, description, canonical_path);
	return ctx;
}

struct tv *page_ctx_story(struct req *rq, const struct story *s, const struct story_extra *x,
			  const char *path)
{
	struct tv *ctx = ctx_common(rq, s->title, s->excerpt, path);
	page_meta_story(rq, ctx, s, x);
	return ctx;
}

/* Most pages fit: one allocation instead of eight doublings from 256. */
#define PAGE_RESERVE (64u << 10)

void page_render(struct req *rq, struct resp *rs, int status, const char *name, struct tv *ctx)
{
	buf_reset(&rs->body);
	rs->status = status;
	(void)buf_reserve(&rs->body, PAGE_RESERVE);
	if (tpl_render(rq->site->tpl, name, ctx, &rs->body) != 0 || rs->body.err) {
		log_error("%s: rendering template %s failed", rq->uri, name);
		buf_reset(&rs->body);
		rs->status = 500;
		rs->content_type = "text/plain; charset=utf-8";
		buf_puts(&rs->body, "Internal error. It has been logged.\n");
	}
}

void page_error(struct req *rq, struct resp *rs, int status, const char *title,
		const char *message)
{
	/* in another language: its words for the status, when it has them
	 * (the English callers' messages are more precise than a locale's) */
	if (rq->site->locale.file_lang[0]) {
		const char *k = pool_printf(rq->pool, "error_%d_", status);
		const char *t = locale_get(&rq->site->locale, pool_cat(rq->pool, k, "title", NULL)),
			   *m = locale_get(&rq->site->locale, pool_cat(rq->pool, k, "message", NULL));
		if (t && m)
			title = t, message = m;
	}
	struct tv *ctx = page_ctx(rq, title, NULL, NULL);
	struct tv *e = tv_obj(rq->pool);
	tv_put_int(e, "status", status);
	tv_put_str(e, "title", title);
	tv_put_str(e, "message", message);
	tv_put(ctx, "error", e);
	rs->cache_control = "private, no-store";
	page_render(rq, rs, status, "error", ctx);
}

/* path with the hex digits of its %XX escapes in upper (up) or lower
 * case; NULL when it has none that differ. */
static const char *hex_case(struct pool *p, const char *path, int up)
{
	char *out = pool_strdup(p, path);
	int changed = 0;
	for (char *c = out; *c; c++) {
		if (*c != '%' || num_hex_digit(c[1]) < 0 || num_hex_digit(c[2]) < 0)
			continue;
		for (int k = 1; k <= 2; k++) {
			char x = c[k];
			if (up && x >= 'a' && x <= 'f')
				x = (char)(x - 32);
			else if (!up && x >= 'A' && x <= 'F')
				x = (char)(x + 32);
			changed |= x != c[k];
			c[k] = x;
		}
		c += 2;
	}
	return changed ? out : NULL;
}

/* The stored redirect of path, its %XX escapes matched whatever the case
 * of their hex digits (WordPress writes them in lower case, browsers and
 * other sites in either). */
static int redirect_find(struct req *rq, const char *path, const char **to)
{
	int rc = store_redirect_get(rq->store, rq->pool, path, to);
	for (int up = 0; rc == STORE_NOTFOUND && up < 2; up++) {
		const char *other = strchr(path, '%') ? hex_case(rq->pool, path, up) : NULL;
		if (other)
			rc = store_redirect_get(rq->store, rq->pool, other, to);
	}
	return rc;
}

int page_moved(struct req *rq, struct resp *rs, const char *old_path, const char *suffix)
{
	const char *to;
	if (rq->method != HTTP_GET && rq->method != HTTP_HEAD)
		return 0;
	if (redirect_find(rq, old_path, &to) != STORE_OK)
		return 0;
	resp_redirect(rs, 301, *suffix ? pool_printf(rq->pool, "%s%s", to, suffix) : to);
	rs->cache_control = "public, max-age=3600";
	return 1;
}

void page_not_found(struct req *rq, struct resp *rs, const char *message)
{
	if (!page_moved(rq, rs, rq->path, ""))
		http_error(rq, rs, 404, "Page not found", message);
}
