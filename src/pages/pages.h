/*
 * pages: one file per reader page (home, story, lists, static files,
 * errors) and the few helpers they share (page.c): the context every
 * template gets, story URLs and summaries, dates and pagination.
 */
#ifndef GZ_PAGES_H
#define GZ_PAGES_H

#include "../http/http.h"
#include "../site/url.h"
#include "../util/date.h"
#include "../store/store.h"
#include "../content/section.h" /* section_url */

struct tv;
struct tz;
struct comment_form_state;

/* Route handlers (see the route table in src/app/routes.c). */
void page_home(struct req *rq, struct resp *rs);
void page_story(struct req *rq, struct resp *rs);
void page_section(struct req *rq, struct resp *rs);
void page_tag(struct req *rq, struct resp *rs);
void page_author(struct req *rq, struct resp *rs);
void page_static(struct req *rq, struct resp *rs);
void page_media(struct req *rq, struct resp *rs);
/* A date archive (page_list.c): /YYYY, /YYYY/MM or /YYYY/MM/DD, the
 * stories published then in the site's time zone, newest first. */
void page_archive(struct req *rq, struct resp *rs);
/* WordPress's own list addresses on an imported site (page_wp.c):
 * page_home hands it its request first; 1 when answered (a 301 to the
 * search, a page of the list or a date archive; a 404 for an id no
 * redirect names). /page/:n answers 301 with the home page's page n. */
int page_wp_home_query(struct req *rq, struct resp *rs);
void page_wp_paged(struct req *rq, struct resp *rs);
/* A static page: /:slug or /:parent/:slug (page_sitepage.c). */
void page_sitepage(struct req *rq, struct resp *rs);
/* The operators' endpoints (page_ops.c): /metrics in the Prometheus
 * text format for addresses in metrics_allow (404 for others), /healthz
 * (the process answers: 200 "ok") and /readyz (200 "ready", or 503 naming
 * the failed check: database, migrations, disk). */
void page_metrics(struct req *rq, struct resp *rs);
void page_healthz(struct req *rq, struct resp *rs);
void page_readyz(struct req *rq, struct resp *rs);
/* Search, feeds and sitemaps (page_search.c, page_feed.c, page_sitemap.c). */
void page_search(struct req *rq, struct resp *rs);
void feed_site(struct req *rq, struct resp *rs);
/* A section's feed in format `feed` ("feed", "feed.atom", "feed.json"):
 * page_section hands it /section/PATH/FEED. */
void feed_section(struct req *rq, struct resp *rs, const struct section *sec, const char *feed);
void feed_tag(struct req *rq, struct resp *rs);
void feed_author(struct req *rq, struct resp *rs);
void feed_search(struct req *rq, struct resp *rs);
void feed_comments(struct req *rq, struct resp *rs);
void feed_story_comments(struct req *rq, struct resp *rs);
void sitemap_index(struct req *rq, struct resp *rs);
void sitemap_page(struct req *rq, struct resp *rs);
void sitemap_news(struct req *rq, struct resp *rs);
void robots_txt(struct req *rq, struct resp *rs);
/* A signed link from an e-mail (page_mail.c): GET shows its button, POST
 * acts (approve, spam, confirm, unsubscribe). */
void page_mail_form(struct req *rq, struct resp *rs);
void page_mail_post(struct req *rq, struct resp *rs);

/* The story page with the comment form in the given state; used by the
 * GET handler and by the comment handler to re-show a form with errors. */
/* The theme's error page with status, title and message: what
 * http_error shows (app_gazette.error). */
void page_error(struct req *rq, struct resp *rs, int status, const char *title,
		const char *message);
/* POST /comments: comment_submit, and the story page when the form comes
 * back (page_comment.c). */
void page_comment_post(struct req *rq, struct resp *rs);
void page_story_show(struct req *rq, struct resp *rs, const struct story *s,
		     const struct comment_form_state *form);

/* The top-level template context: site, nav, css_url, page title... */
struct tv *page_ctx(struct req *rq, const char *title, const char *description,
		    const char *canonical_path);
/* The same for a story's page at path, with page_meta_story's metadata
 * (x: its "Updated" mark and corrections, store_byline.h). */
struct story_extra;
struct tv *page_ctx_story(struct req *rq, const struct story *s, const struct story_extra *x,
			  const char *path);
/* Metadata for machines (page_meta.c). page_ctx calls page_meta_defaults
 * (OpenGraph website card, the site's feed links); pages add their own
 * feeds (base "/section/world", label, optional query "q=...") or a
 * story's article metadata and JSON-LD. */
void page_meta_defaults(struct req *rq, struct tv *ctx, const char *title,
			const char *description, const char *canonical_path);
void page_feeds(struct req *rq, struct tv *ctx, const char *base, const char *label,
		const char *query);
void page_meta_story(struct req *rq, struct tv *ctx, const struct story *s,
		     const struct story_extra *x);
/* When a story was last changed for readers: its "Updated" mark, else its
 * publication. */
long long page_story_modified(const struct story *s);
/* The /corrections page (page_corrections.c). */
void page_corrections(struct req *rq, struct resp *rs);
/* The site's word for key (its locale, util/locale.h: what templates
 * show as {{t.key}}); the key itself when no locale has it. page_t_count
 * is locale_count: key_zero/_one/_other with {n} replaced. */
const char *page_t(const struct req *rq, const char *key);
const char *page_t_count(const struct req *rq, const char *key, long long n);
/* title, and on page 2 on "title (page 2)" in the site's words. */
const char *page_title_n(struct req *rq, const char *title, unsigned long long page);
/* A story's own language into o as "lang" and "dir" ("" both when it has
 * none: always put, so a card inside a page never finds an outer one). */
void page_put_lang(struct tv *o, const char *lang);
/* "rtl" for right-to-left languages (ar, fa, he, ur, ...), else "ltr". */
const char *page_text_dir(const char *lang);
/* Renders template `name` with ctx into rs (500 page if rendering fails). */
void page_render(struct req *rq, struct resp *rs, int status, const char *name, struct tv *ctx);
/* 404, unless the path is an old address with a stored redirect (301). */
void page_not_found(struct req *rq, struct resp *rs, const char *message);
/* For an old address (a path, or a WordPress query address, or one below
 * a page such as a story's comment feeds): when old_path has a stored
 * redirect, answers 301 with its target followed by suffix and returns 1;
 * 0 otherwise (and for anything but GET and HEAD). */
int page_moved(struct req *rq, struct resp *rs, const char *old_path, const char *suffix);

/* The byline's authors, "A", "A and B", "A, B and C", each linked: a list
 * of {sep, name, url} (story.authors, a summary's authors). */
struct tv *byline_authors(struct pool *p, const char *and, const struct author *first,
			  const struct author *rest, size_t nrest);
/* " and " in the site's language, as byline_authors takes it. */
const char *page_and(struct req *rq);
struct tv *story_summary(struct req *rq, const struct story *s);
/* A menu item's address (NULL when its target is gone or not public) and
 * the text it shows: its label, or its target's own name. */
struct menu_item;
const char *page_menu_url(struct pool *p, const struct menu_item *x);
const char *page_menu_label(const struct menu_item *x);
/* page_front.c: the edited front page's parts on the home page's first
 * page: "banner", "lead" (a pinned lead's card), "featured" (cards),
 * "blocks" ({id, name, url, stories}) and "front" (any of them) into ctx.
 * fv gets the ids of the pinned stories shown (Latest leaves them out),
 * whether a lead was pinned, and the seconds until the soonest expiry
 * shown (0: none). 0, or -1 when the store failed (logged). */
struct front_view {
	long long *shown;
	size_t nshown;
	int lead, any, ttl;
};
int page_front_put(struct req *rq, struct tv *ctx, struct front_view *fv);
/* 1 when story_id is among fv's pinned stories. */
int page_front_shown(const struct front_view *fv, long long story_id);

/* Puts a card's picture of s's featured image into its summary o as
 * "picture_html" (figure_card_html: cropped by focal point, the variants
 * up to max_width, sizes as the theme's card is wide; flags FIGURE_LEAD
 * for the page's first picture, else lazy), or the one old JPEG; nothing
 * when s has no picture. */
void story_card_picture(struct pool *p, struct tv *o, const struct story *s, const char *sizes,
			int max_width, unsigned flags);
/* A story's stored HTML as served: facades of providers not in `enabled`
 * (embed.h; the site's `embeds`, or 0 for a feed) become their links. */
const char *page_body_html(struct pool *p, const char *html, unsigned enabled);
/* A story's body with the in-article slot (content/slot.h) after the
 * paragraph the admin chose, or at its end; the body itself when the slot
 * is empty or the page is the admin's (a preview). */
const char *page_in_article(struct req *rq, const char *body);
/* ?page=N from the query: 1 when absent, 0 when not a page number. */
unsigned long long page_number(const struct req *rq);

#endif
