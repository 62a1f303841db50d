/*
 * export_wxr: the site as a WXR 1.2 file (see export.h).
 *
 * The one design decision: write what WordPress' own exporter writes, in
 * its order and with its CDATA quoting (a "]]>" inside text is split
 * across two sections), and write it so that what WordPress shows after
 * its importer (the WordPress Importer plugin) is what Gazette showed:
 * - quotes in HTML text are the characters themselves, not &quot; or
 *   &#39;, so wptexturize curls them as it did on the source site;
 * - wp:post_date and wp:comment_date are local times: the source's
 *   offset for an imported story (stories.date_offset), else the site's
 *   zone (`timezone`); the *_gmt fields are UTC;
 * - an excerpt the importer made by itself (excerpt_auto) is left out;
 * - a reply's wp:comment_id is above its parent's, since the importer
 *   inserts a post's comments sorted by id and links a reply only to a
 *   parent already inserted (see comment_ids).
 * Comment text, plain in Gazette, is written with & < > escaped, since
 * WordPress reads comment_content as HTML. Characters XML 1.0 forbids are
 * dropped.
 */
#include "export.h"
#include "../render/escape.h"
#include "../site/url.h"
#include "../store/store.h"
#include "../store/store_front.h"
#include "../store/store_import.h"
#include "../store/store_menu.h"
#include "../store/store_sitepage.h"
#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* WordPress shares post ids between posts, pages and menu items, and term
 * ids between all taxonomies: pages, menu items, tags and menus get ids of
 * their own range. */
#define PAGE_ID_BASE 1000000LL
#define MENU_ITEM_ID_BASE 2000000LL
#define TAG_ID_BASE 1000000LL
#define MENU_TERM_BASE 2000000LL

static const char *const menu_slugs[MENU__MAX] = { "header", "footer" };
static const char *const menu_names[MENU__MAX] = { "Header", "Footer" };
/* Comment ids are moved up by this (above any row id) until a reply's is
 * above its parent's. */
#define COMMENT_ID_STEP 1000000000000LL

struct wxr {
	struct store *st;
	const struct export_site *site;
	struct buf *b;
	long long *sticky;          /* ids of the stories pinned on the front page */
	size_t nsticky;
	struct menu_item *menu[MENU__MAX]; /* the header's and footer's items */
	size_t nmenu[MENU__MAX];
};

/* Text without the characters XML has no place for (escape.h). */
static void xml_clean(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = xml_unfit_len(p);
		if (n)
			p += n;
		else
			buf_putc(b, (char)*p++);
	}
}

static void cdata(struct buf *b, const char *s)
{
	struct buf c;
	buf_init(&c, 0);
	xml_clean(&c, s);
	buf_puts(b, "<![CDATA[");
	const char *p = buf_str(&c);
	for (const char *e; (e = strstr(p, "]]>")); p = e + 3) {
		buf_add(b, p, (size_t)(e - p));
		buf_puts(b, "]]]]><![CDATA[>");
	}
	buf_puts(b, p);
	buf_puts(b, "]]>");
	buf_release(&c);
}

static void text(struct buf *b, const char *s)
{
	struct buf c;
	buf_init(&c, 0);
	xml_clean(&c, s);
	xml_text(b, buf_str(&c));
	buf_release(&c);
}

static void tag_cdata(struct buf *b, const char *tag, const char *v)
{
	buf_printf(b, "<%s>", tag);
	cdata(b, v);
	buf_printf(b, "</%s>", tag);
}


/* HTML with the quote entities of its text written as the characters
 * (inside CDATA they need no escaping); a tag's attribute values keep
 * theirs, where a quote would end the value. */
static void html_quotes(struct buf *b, const char *html)
{
	static const struct { const char *ent; char c; } q[] = {
		{ "&quot;", '"' }, { "&#34;", '"' }, { "&#x22;", '"' },
		{ "&#39;", '\'' }, { "&#x27;", '\'' }, { "&apos;", '\'' },
	};
	int in_tag = 0;
	for (const char *p = html; *p;) {
		size_t k = 0, n = sizeof q / sizeof q[0];
		if (!in_tag && *p == '&')
			while (k < n && strncmp(p, q[k].ent, strlen(q[k].ent)) != 0)
				k++;
		if (!in_tag && *p == '&' && k < n) {
			buf_putc(b, q[k].c);
			p += strlen(q[k].ent);
			continue;
		}
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>')
			in_tag = 0;
		buf_putc(b, *p++);
	}
}

/* Plain text as HTML text: & < > escaped, quotes as they are. */
static void html_plain(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		default: buf_putc(b, *s);
		}
	}
}

static void tag_html(struct buf *b, const char *tag, const char *html, int plain)
{
	struct buf h;
	buf_init(&h, 0);
	if (plain)
		html_plain(&h, html);
	else
		html_quotes(&h, html);
	tag_cdata(b, tag, buf_str(&h));
	buf_release(&h);
}

/* t (UTC seconds, shifted by the caller to local time when it is one) as
 * WordPress' "YYYY-MM-DD HH:MM:SS". */
static void date(struct buf *b, const char *tag, long long t)
{
	char s[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S", &tm);
	buf_printf(b, "\t\t<%s><![CDATA[%s]]></%s>\n", tag, s, tag);
}

/* A time's local and UTC fields: the source's offset when the story kept
 * one, else the site's zone at that time. */
static void dates(struct wxr *w, const char *tag, const char *tag_gmt, long long t,
		  const struct export_story *x)
{
	int off = x && x->has_offset ? x->date_offset : tz_offset(w->site->zone, t);
	date(w->b, tag, t + off);
	date(w->b, tag_gmt, t);
}

static void rfc822(struct buf *b, long long t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		   mons[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char *wp_status(enum story_status s)
{
	switch (s) {
	case STORY_PUBLISHED: return "publish";
	case STORY_SCHEDULED: return "future";
	case STORY_PENDING: return "pending";
	default: return "draft";
	}
}

static const char *wp_approved(enum comment_status s)
{
	switch (s) {
	case COMMENT_APPROVED: return "1";
	case COMMENT_SPAM: return "spam";
	case COMMENT_TRASH: return "trash";
	default: return "0";
	}
}

static int flush(struct buf *b, FILE *out)
{
	int rc = b->err || fwrite(b->s ? b->s : "", 1, b->len, out) != b->len ? -1 : 0;
	buf_reset(b);
	return rc;
}

static void head(struct buf *b, const struct export_site *site)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
		    "<!-- This is a WordPress eXtended RSS file generated by Gazette. -->\n"
		    "<!-- generator=\"Gazette\" -->\n"
		    "<rss version=\"2.0\"\n"
		    "\txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
		    "\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
		    "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
		    "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		    "\txmlns:wp=\"http://wordpress.org/export/1.2/\"\n>\n\n<channel>\n\t<title>");
	text(b, site->name);
	buf_puts(b, "</title>\n\t<link>");
	text(b, site->base_url);
	buf_puts(b, "</link>\n\t<description>");
	text(b, site->description);
	buf_puts(b, "</description>\n\t<pubDate>");
	rfc822(b, (long long)time(NULL));
	buf_puts(b, "</pubDate>\n\t<language>");
	text(b, site->lang);
	buf_puts(b, "</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n\t<wp:base_site_url>");
	text(b, site->base_url);
	buf_puts(b, "</wp:base_site_url>\n\t<wp:base_blog_url>");
	text(b, site->base_url);
	buf_puts(b, "</wp:base_blog_url>\n\n");
}

static int taxonomy(struct wxr *w, struct pool *p)
{
	struct store *st = w->st;
	struct buf *b = w->b;
	struct export_user *u;
	size_t nu;
	if (store_export_users(st, p, &u, &nu))
		return -1;
	for (size_t i = 0; i < nu; i++) {
		buf_printf(b, "\t<wp:author><wp:author_id>%lld</wp:author_id>", u[i].id);
		tag_cdata(b, "wp:author_login", u[i].slug);
		tag_cdata(b, "wp:author_email", u[i].email);
		tag_cdata(b, "wp:author_display_name", u[i].name);
		tag_cdata(b, "wp:author_first_name", u[i].first_name);
		tag_cdata(b, "wp:author_last_name", u[i].last_name);
		buf_puts(b, "</wp:author>\n");
	}
	struct section *sec;
	size_t ns;
	if (store_sections(st, p, &sec, &ns))
		return -1;
	/* in tree order: a parent is written before its children, as
	 * WordPress wants them */
	for (size_t i = 0; i < ns; i++) {
		const char *parent = "";
		for (size_t k = 0; k < i; k++)
			if (sec[k].id == sec[i].parent_id)
				parent = sec[k].slug;
		buf_printf(b, "\t<wp:category>\n\t\t<wp:term_id>%lld</wp:term_id>\n\t\t", sec[i].id);
		tag_cdata(b, "wp:category_nicename", sec[i].slug);
		buf_puts(b, "\n\t\t");
		tag_cdata(b, "wp:category_parent", parent);
		buf_puts(b, "\n\t\t");
		tag_cdata(b, "wp:cat_name", sec[i].name);
		buf_puts(b, "\n\t</wp:category>\n");
	}
	struct tag *t;
	size_t nt;
	if (store_export_tags(st, p, &t, &nt))
		return -1;
	for (size_t i = 0; i < nt; i++) {
		buf_printf(b, "\t<wp:tag>\n\t\t<wp:term_id>%lld</wp:term_id>\n\t\t", TAG_ID_BASE + t[i].id);
		tag_cdata(b, "wp:tag_slug", t[i].slug);
		buf_puts(b, "\n\t\t");
		tag_cdata(b, "wp:tag_name", t[i].name);
		buf_puts(b, "\n\t</wp:tag>\n");
	}
	for (int m = 0; m < MENU__MAX; m++) {
		if (store_menu(st, p, (enum menu_name)m, &w->menu[m], &w->nmenu[m]))
			return -1;
		if (!w->nmenu[m])
			continue;
		buf_printf(b, "\t<wp:term>\n\t\t<wp:term_id>%lld</wp:term_id>\n\t\t", MENU_TERM_BASE + m + 1);
		tag_cdata(b, "wp:term_taxonomy", "nav_menu");
		buf_puts(b, "\n\t\t");
		tag_cdata(b, "wp:term_slug", menu_slugs[m]);
		buf_puts(b, "\n\t\t");
		tag_cdata(b, "wp:term_name", menu_names[m]);
		buf_puts(b, "\n\t</wp:term>\n");
	}
	buf_puts(b, "\n\t<generator>Gazette</generator>\n\n");
	return 0;
}

static void comment(struct wxr *w, const struct comment *c, long long id, long long parent,
		    const struct export_story *x)
{
	struct buf *b = w->b;
	buf_printf(b, "\t\t<wp:comment>\n\t\t\t<wp:comment_id>%lld</wp:comment_id>\n\t\t\t", id);
	tag_cdata(b, "wp:comment_author", c->author);
	buf_puts(b, "\n\t\t\t");
	tag_cdata(b, "wp:comment_author_email", c->email);
	buf_puts(b, "\n\t\t\t<wp:comment_author_url>");
	text(b, c->url);
	buf_puts(b, "</wp:comment_author_url>\n\t\t\t");
	tag_cdata(b, "wp:comment_author_IP", c->ip);
	buf_puts(b, "\n");
	dates(w, "wp:comment_date", "wp:comment_date_gmt", c->created_at, x);
	buf_puts(b, "\t\t\t");
	tag_html(b, "wp:comment_content", c->body, 1);
	buf_puts(b, "\n\t\t\t");
	tag_cdata(b, "wp:comment_approved", wp_approved(c->status));
	buf_puts(b, "\n\t\t\t");
	tag_cdata(b, "wp:comment_type", "comment");
	buf_printf(b, "\n\t\t\t<wp:comment_parent>%lld</wp:comment_parent>\n"
		      "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n",
		   parent);
}

struct cref { long long id; size_t i; };

static int cref_cmp(const void *a, const void *b)
{
	long long x = ((const struct cref *)a)->id, y = ((const struct cref *)b)->id;
	return x < y ? -1 : x > y;
}

/* Index in c of comment id, or n when it is not among them. */
static size_t comment_find(const struct cref *by_id, size_t n, long long id)
{
	struct cref key = { id, 0 };
	const struct cref *f = id ? bsearch(&key, by_id, n, sizeof *by_id, cref_cmp) : NULL;
	return f ? f->i : n;
}

/* A story's comments, each after its parent (then oldest first), with
 * ids that WordPress' importer reads in that order: a comment keeps its
 * own id unless its parent's is not below it; then it is moved up by
 * COMMENT_ID_STEP until it is. Ids stay unique (a comment's id and its
 * number of steps give it back) and stable from one export to the next. */
static void comments_write(struct wxr *w, struct pool *p, const struct comment *c, size_t n,
			   const struct export_story *x)
{
	struct cref *by_id = pool_alloc(p, (n + 1) * sizeof *by_id);
	long long *wid = pool_alloc(p, (n + 1) * sizeof *wid);
	size_t *up = pool_alloc(p, (n + 1) * sizeof *up);
	for (size_t i = 0; i < n; i++)
		by_id[i] = (struct cref){ c[i].id, i }, wid[i] = 0;
	qsort(by_id, n, sizeof *by_id, cref_cmp);
	for (size_t i = 0; i < n; i++) {
		/* the chain of ancestors not written yet, nearest first (a
		 * cycle, which the store should never hold, ends it) */
		size_t depth = 0;
		for (size_t k = i; k < n && !wid[k]; k = comment_find(by_id, n, c[k].parent_id)) {
			wid[k] = -1;
			up[depth++] = k;
		}
		while (depth--) {
			size_t k = up[depth], pk = comment_find(by_id, n, c[k].parent_id);
			long long parent = pk < n && wid[pk] > 0 ? wid[pk] : 0;
			long long id = c[k].id;
			while (id <= parent)
				id += COMMENT_ID_STEP;
			wid[k] = id;
			comment(w, &c[k], id, parent, x);
		}
	}
}

static int is_sticky(const struct wxr *w, long long id)
{
	for (size_t i = 0; i < w->nsticky; i++)
		if (w->sticky[i] == id)
			return 1;
	return 0;
}

/* The fields every item has, from <title> to wp:post_id. */
static void item_head(struct wxr *w, const char *title, const char *path, long long date,
		      const char *creator, long long id, const char *html, const char *excerpt)
{
	struct buf *b = w->b;
	buf_puts(b, "\t<item>\n\t\t<title>");
	cdata(b, title);
	buf_puts(b, "</title>\n\t\t<link>");
	text(b, w->site->base_url);
	text(b, path);
	buf_puts(b, "</link>\n\t\t<pubDate>");
	rfc822(b, date);
	buf_puts(b, "</pubDate>\n\t\t");
	tag_cdata(b, "dc:creator", creator);
	buf_puts(b, "\n\t\t<guid isPermaLink=\"false\">");
	text(b, w->site->base_url);
	buf_printf(b, "/?p=%lld</guid>\n\t\t<description></description>\n\t\t", id);
	tag_html(b, "content:encoded", html, 0);
	buf_puts(b, "\n\t\t");
	tag_cdata(b, "excerpt:encoded", excerpt);
	buf_printf(b, "\n\t\t<wp:post_id>%lld</wp:post_id>\n", id);
}

/* The fields from wp:comment_status to wp:is_sticky. */
static void item_status(struct buf *b, int open, const char *slug, const char *status,
			long long parent, int order, const char *type, int sticky)
{
	buf_puts(b, "\t\t");
	tag_cdata(b, "wp:comment_status", open ? "open" : "closed");
	buf_puts(b, "\n\t\t");
	tag_cdata(b, "wp:ping_status", "closed");
	buf_puts(b, "\n\t\t");
	tag_cdata(b, "wp:post_name", slug);
	buf_puts(b, "\n\t\t");
	tag_cdata(b, "wp:status", status);
	buf_printf(b, "\n\t\t<wp:post_parent>%lld</wp:post_parent>\n\t\t<wp:menu_order>%d</wp:menu_order>\n\t\t",
		   parent, order);
	tag_cdata(b, "wp:post_type", type);
	buf_puts(b, "\n\t\t");
	tag_cdata(b, "wp:post_password", "");
	buf_printf(b, "\n\t\t<wp:is_sticky>%d</wp:is_sticky>\n", sticky);
}

static void term(struct buf *b, const char *domain, const char *nicename, const char *name)
{
	buf_printf(b, "\t\t<category domain=\"%s\" nicename=\"", domain);
	text(b, nicename);
	buf_puts(b, "\">");
	cdata(b, name);
	buf_puts(b, "</category>\n");
}

/* The byline as the Co-Authors Plus plugin files it: one `author` term
 * per author, in byline order, named by login (our slug), nicename
 * "cap-" and the login. */
static void byline_term(struct pool *p, struct buf *b, const char *slug)
{
	term(b, "author", pool_printf(p, "cap-%s", slug), slug);
}

static int item(struct wxr *w, struct pool *p, const struct export_story *x)
{
	struct buf *b = w->b;
	struct story s;
	if (store_story_by_id(w->st, p, x->id, &s)) /* co-authors come with it */
		return -1;
	item_head(w, s.title, story_path(p, &s), s.published_at, s.author.slug, s.id, s.body_html,
		  x->excerpt_auto ? "" : s.excerpt);
	dates(w, "wp:post_date", "wp:post_date_gmt", s.published_at, x);
	dates(w, "wp:post_modified", "wp:post_modified_gmt", s.updated_at, x);
	item_status(b, s.comments_open, s.slug, wp_status(s.status), 0, 0, "post",
		    s.status == STORY_PUBLISHED && is_sticky(w, s.id));
	if (s.section.id)
		term(b, "category", s.section.slug, s.section.name);
	/* the other categories it was filed in: listed in those sections too */
	struct section *more;
	size_t nmore;
	if (store_export_story_sections(w->st, p, s.id, &more, &nmore))
		return -1;
	for (size_t i = 0; i < nmore; i++)
		term(b, "category", more[i].slug, more[i].name);
	for (size_t i = 0; i < s.ntags; i++)
		term(b, "post_tag", s.tags[i].slug, s.tags[i].name);
	if (s.ncoauthors) {
		byline_term(p, b, s.author.slug);
		for (size_t i = 0; i < s.ncoauthors; i++)
			byline_term(p, b, s.coauthors[i].slug);
	}
	struct comment *c;
	size_t nc;
	if (store_export_comments(w->st, p, x->id, &c, &nc))
		return -1;
	comments_write(w, p, c, nc, x);
	buf_puts(b, "\t</item>\n");
	return 0;
}

/* A static page: post_type page, its parent's id, its place among its
 * siblings (pages are listed by path: store_sitepages) as menu_order,
 * dated when it was made, by the site's first account. */
static void page_item(struct wxr *w, struct pool *p, const struct sitepage *pg, int order,
		      const char *creator)
{
	item_head(w, pg->title, pool_printf(p, "/%s/", pg->path), pg->created_at, creator,
		  PAGE_ID_BASE + pg->id, pg->body_html, "");
	dates(w, "wp:post_date", "wp:post_date_gmt", pg->created_at, NULL);
	dates(w, "wp:post_modified", "wp:post_modified_gmt", pg->updated_at, NULL);
	item_status(w->b, 0, pg->slug, pg->status == SITEPAGE_PUBLISHED ? "publish" : "draft",
		    pg->parent_id ? PAGE_ID_BASE + pg->parent_id : 0, order, "page", 0);
	buf_puts(w->b, "\t</item>\n");
}

static int pages(struct wxr *w, struct pool *p, const char *creator, FILE *out)
{
	struct sitepage *pg;
	size_t n;
	if (store_sitepages(w->st, p, &pg, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		int order = 0;
		for (size_t k = 0; k < i; k++)
			order += pg[k].parent_id == pg[i].parent_id;
		page_item(w, p, &pg[i], order, creator);
		if (flush(w->b, out))
			return -1;
	}
	return 0;
}

static void postmeta(struct buf *b, const char *key, const char *value)
{
	buf_puts(b, "\t\t<wp:postmeta>\n\t\t\t");
	tag_cdata(b, "wp:meta_key", key);
	buf_puts(b, "\n\t\t\t");
	tag_cdata(b, "wp:meta_value", value);
	buf_puts(b, "\n\t\t</wp:postmeta>\n");
}

/* A menu's items as WordPress' nav_menu_item posts, in order, each after
 * the item holding it: the menu as a nav_menu term, the target by the id
 * it has in this file (a section's term id, a page's or story's post id)
 * with its kind (_menu_item_type, _menu_item_object), a link's URL. An
 * item whose target is gone or not public is left out, with its own. */
static int menu_items(struct wxr *w, struct pool *p, enum menu_name m, const char *creator,
		      FILE *out)
{
	static const char *const type[MENU_KIND__MAX] = { "custom", "taxonomy", "post_type",
							  "post_type" };
	static const char *const object[MENU_KIND__MAX] = { "custom", "category", "page", "post" };
	const struct menu_item *v = w->menu[m];
	size_t n = w->nmenu[m];
	long long now = (long long)time(NULL);
	for (size_t i = 0, order = 0; i < n; i++) {
		int skip = !v[i].live;
		for (size_t k = 0; k < i && !skip; k++)
			skip = v[k].id == v[i].parent_id && !v[k].live;
		if (skip)
			continue;
		long long id = MENU_ITEM_ID_BASE + v[i].id, target = v[i].target_id;
		if (v[i].kind == MENU_LINK)
			target = id;
		else if (v[i].kind == MENU_PAGE)
			target += PAGE_ID_BASE;
		item_head(w, v[i].label, pool_printf(p, "/?p=%lld", id), now, creator, id, "", "");
		dates(w, "wp:post_date", "wp:post_date_gmt", now, NULL);
		dates(w, "wp:post_modified", "wp:post_modified_gmt", now, NULL);
		item_status(w->b, 0, pool_printf(p, "%s-%lld", menu_slugs[m], v[i].id), "publish", 0,
			    (int)++order, "nav_menu_item", 0);
		term(w->b, "nav_menu", menu_slugs[m], menu_names[m]);
		postmeta(w->b, "_menu_item_type", type[v[i].kind]);
		postmeta(w->b, "_menu_item_menu_item_parent",
			 pool_printf(p, "%lld", v[i].parent_id ? MENU_ITEM_ID_BASE + v[i].parent_id : 0));
		postmeta(w->b, "_menu_item_object_id", pool_printf(p, "%lld", target));
		postmeta(w->b, "_menu_item_object", object[v[i].kind]);
		postmeta(w->b, "_menu_item_target", "");
		postmeta(w->b, "_menu_item_classes", "a:1:{i:0;s:0:\"\";}");
		postmeta(w->b, "_menu_item_xfn", "");
		postmeta(w->b, "_menu_item_url", v[i].kind == MENU_LINK ? v[i].url : "");
		buf_puts(w->b, "\t</item>\n");
		if (flush(w->b, out))
			return -1;
	}
	return 0;
}

int export_wxr(struct store *st, const struct export_site *site, FILE *out, char *err,
	       size_t errlen)
{
	struct pool *p = pool_new();
	struct buf b;
	buf_init(&b, 0);
	struct wxr w = { .st = st, .site = site, .b = &b };
	head(&b, site);
	struct export_story *ids;
	struct export_user *u;
	struct front_pin *pins;
	size_t n, nu, npins;
	int rc = taxonomy(&w, p) || store_export_stories(st, p, &ids, &n) ||
			 store_export_users(st, p, &u, &nu) ||
			 store_front_pins(st, p, (long long)time(NULL), &pins, &npins)
		 ? -1
		 : 0;
	if (rc == 0) {
		w.sticky = pool_alloc(p, (npins + 1) * sizeof *w.sticky);
		for (size_t i = 0; i < npins; i++)
			w.sticky[w.nsticky++] = pins[i].story.id;
		rc = flush(&b, out);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct pool *ip = pool_new();
		rc = item(&w, ip, &ids[i]) ? -1 : flush(&b, out);
		pool_free(ip);
	}
	if (rc == 0)
		rc = pages(&w, p, nu ? u[0].slug : "", out);
	for (int m = 0; rc == 0 && m < MENU__MAX; m++)
		rc = menu_items(&w, p, (enum menu_name)m, nu ? u[0].slug : "", out);
	if (rc == 0) {
		buf_puts(&b, "</channel>\n</rss>\n");
		rc = flush(&b, out);
	}
	if (rc)
		snprintf(err, errlen, "%s", store_errmsg(st)[0] ? store_errmsg(st) : "write error");
	buf_release(&b);
	pool_free(p);
	return rc;
}
