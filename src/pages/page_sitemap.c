/*
 * page_sitemap: /sitemap.xml (a sitemap index), /sitemaps/KIND-N.xml (the
 * paged sitemaps of stories, sections, tags, authors and static pages, at most
 * STORE_SITEMAP_IDS URLs each), /news-sitemap.xml (Google News: the last 48
 * hours, at most 1,000 stories) and /robots.txt naming them.
 *
 * The one decision: pages, not one big file, and a page is a fixed range
 * of ids (STORE_SITEMAP_IDS, store_feeds.h), not the Nth slice of a list:
 * its address and content never shift when an older story is published or
 * one is unpublished, and neither the index nor a page ever walks rows to
 * find where a page starts. The index lists only pages that hold a URL (an
 * empty <urlset> is invalid), from a small table the database keeps; a
 * page reads only its own rows. Memory and time per request are bounded by
 * one page's rows whatever the size of the site.
 */
#include "pages.h"
#include "../content/sitepage.h"
#include "../render/escape.h"
#include "../site/site.h"
#include "../store/store_feeds.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define NEWS_MAX 1000
#define NEWS_SECONDS (48 * 3600)

static const char *const kind_names[SITEMAP__MAX] = { "stories", "sections", "tags", "authors",
							"pages" };
static const char *const kind_prefix[SITEMAP__MAX] = { NULL, "/section/", "/tag/", "/author/",
							NULL };

static const char XML_HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
static const char NS_SITEMAP[] = "http://www.sitemaps.org/schemas/sitemap/0.9";

static void xml_iso(struct buf *b, struct pool *p, long long t)
{
	buf_puts(b, date_iso(p, t, NULL)); /* crawlers: UTC */
}

static void xml_done(struct req *rq, struct resp *rs)
{
	rs->status = 200;
	rs->content_type = "application/xml; charset=utf-8";
	rs->cache_control = HTTP_CACHE_PUBLIC;
}

static void fail(struct req *rq, struct resp *rs)
{
	log_error("%s: %s", rq->uri, store_errmsg(rq->store));
	buf_reset(&rs->body);
	http_error(rq, rs, 500, "Something went wrong", "The sitemap could not be loaded.");
}

static void loc(struct req *rq, struct buf *b, const char *path, long long lastmod)
{
	buf_puts(b, "<url><loc>");
	xml_text(b, rq->site->cfg.base_url);
	xml_text(b, path);
	buf_puts(b, "</loc>");
	if (lastmod > 0) {
		buf_puts(b, "<lastmod>");
		xml_iso(b, rq->pool, lastmod);
		buf_puts(b, "</lastmod>");
	}
	buf_puts(b, "</url>\n");
}

static void index_entry(struct req *rq, struct buf *b, enum sitemap_kind k, long long page,
			long long lastmod)
{
	buf_puts(b, "<sitemap><loc>");
	xml_text(b, rq->site->cfg.base_url);
	buf_printf(b, "/sitemaps/%s-%lld.xml</loc>", kind_names[k], page + 1);
	if (lastmod > 0) {
		buf_puts(b, "<lastmod>");
		xml_iso(b, rq->pool, lastmod);
		buf_puts(b, "</lastmod>");
	}
	buf_puts(b, "</sitemap>\n");
}

void sitemap_index(struct req *rq, struct resp *rs)
{
	struct sitemap_page *v = NULL;
	size_t n = 0;
	if (store_sitemap_pages(rq->store, rq->pool, &v, &n)) {
		fail(rq, rs);
		return;
	}
	struct buf *b = &rs->body;
	buf_reset(b);
	buf_printf(b, "%s<sitemapindex xmlns=\"%s\">\n", XML_HEAD, NS_SITEMAP);
	int home_listed = 0; /* sections-1 always exists: it holds the home page */
	for (size_t i = 0; i < n; i++) {
		if (!home_listed && v[i].kind >= SITEMAP_SECTIONS) {
			home_listed = 1;
			if (v[i].kind != SITEMAP_SECTIONS || v[i].page != 0)
				index_entry(rq, b, SITEMAP_SECTIONS, 0, 0);
		}
		index_entry(rq, b, v[i].kind, v[i].page, v[i].lastmod);
	}
	if (!home_listed)
		index_entry(rq, b, SITEMAP_SECTIONS, 0, 0);
	buf_puts(b, "</sitemapindex>\n");
	xml_done(rq, rs);
}

/* "stories-3.xml" -> kind and page; -1 when it is not a sitemap name. */
static int parse_name(const char *name, enum sitemap_kind *k, unsigned long long *page)
{
	for (int i = 0; i < SITEMAP__MAX; i++) {
		size_t n = strlen(kind_names[i]);
		if (strncmp(name, kind_names[i], n) != 0 || name[n] != '-')
			continue;
		const char *num = name + n + 1, *dot = strchr(num, '.');
		if (!dot || strcmp(dot, ".xml") != 0)
			return -1;
		char digits[24];
		if ((size_t)(dot - num) >= sizeof digits)
			return -1;
		memcpy(digits, num, (size_t)(dot - num));
		digits[dot - num] = '\0';
		if (num_parse_u64(digits, 1000000, page) || *page == 0)
			return -1;
		*k = (enum sitemap_kind)i;
		return 0;
	}
	return -1;
}

void sitemap_page(struct req *rq, struct resp *rs)
{
	enum sitemap_kind k;
	unsigned long long page;
	if (parse_name(rq->params[0], &k, &page)) {
		http_error(rq, rs, 404, "Page not found", "There is no sitemap at this address.");
		return;
	}
	struct sitemap_row *v = NULL;
	size_t n = 0;
	if (store_sitemap_rows(rq->store, rq->pool, k, (long long)page - 1, &v, &n)) {
		fail(rq, rs);
		return;
	}
	if (n == 0 && !(k == SITEMAP_SECTIONS && page == 1)) {
		http_error(rq, rs, 404, "Page not found", "There is no sitemap at this address.");
		return;
	}
	struct buf *b = &rs->body;
	buf_reset(b);
	buf_printf(b, "%s<urlset xmlns=\"%s\">\n", XML_HEAD, NS_SITEMAP);
	if (k == SITEMAP_SECTIONS && page == 1) {
		long long newest = 0;
		for (size_t i = 0; i < n; i++)
			newest = v[i].lastmod > newest ? v[i].lastmod : newest;
		loc(rq, b, "/", newest);
	}
	for (size_t i = 0; i < n; i++) {
		const char *path;
		if (k == SITEMAP_STORIES) {
			struct story s = { .slug = v[i].slug, .published_at = v[i].published_at };
			path = story_path(rq->pool, &s);
		} else if (k == SITEMAP_PAGES)
			path = sitepage_url(rq->pool, v[i].slug);
		else
			path = k == SITEMAP_SECTIONS ? section_url(rq->pool, v[i].slug)
						     : page_path(rq->pool, kind_prefix[k], v[i].slug);
		loc(rq, b, path, v[i].lastmod);
	}
	buf_puts(b, "</urlset>\n");
	xml_done(rq, rs);
}

void sitemap_news(struct req *rq, struct resp *rs)
{
	long long now = (long long)time(NULL);
	struct story *v = NULL;
	size_t n = 0;
	if (store_stories_between(rq->store, rq->pool, now - NEWS_SECONDS, now, NEWS_MAX, &v, &n)) {
		fail(rq, rs);
		return;
	}
	const struct config *cfg = &rq->site->cfg;
	struct buf *b = &rs->body;
	rs->cache_ttl = 60; /* stories age out of the 48 hours with no change to log */
	buf_reset(b);
	buf_printf(b, "%s<urlset xmlns=\"%s\"\n xmlns:news=\"http://www.google.com/schemas/"
		      "sitemap-news/0.9\">\n", XML_HEAD, NS_SITEMAP);
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "<url><loc>");
		xml_text(b, cfg->base_url);
		xml_text(b, story_path(rq->pool, &v[i]));
		buf_puts(b, "</loc><news:news><news:publication><news:name>");
		xml_text(b, cfg->site_name);
		buf_puts(b, "</news:name><news:language>");
		xml_text(b, v[i].lang && *v[i].lang ? v[i].lang : cfg->lang);
		buf_puts(b, "</news:language></news:publication><news:publication_date>");
		xml_iso(b, rq->pool, v[i].published_at);
		buf_puts(b, "</news:publication_date><news:title>");
		xml_text(b, v[i].title);
		buf_puts(b, "</news:title></news:news></url>\n");
	}
	buf_puts(b, "</urlset>\n");
	xml_done(rq, rs);
}

void robots_txt(struct req *rq, struct resp *rs)
{
	const struct config *cfg = &rq->site->cfg;
	struct buf *b = &rs->body;
	buf_reset(b);
	buf_puts(b, "User-agent: *\nDisallow: /search\nAllow: /\n\n");
	/* robots_extra holds lines separated by the two characters \n */
	for (const char *s = cfg->robots_extra; *s;) {
		const char *e = strstr(s, "\\n");
		size_t len = e ? (size_t)(e - s) : strlen(s);
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] >= 0x20)
				buf_putc(b, s[i]);
		buf_putc(b, '\n');
		s += len + (e ? 2 : 0);
	}
	if (cfg->robots_extra[0])
		buf_putc(b, '\n');
	buf_printf(b, "Sitemap: %s/sitemap.xml\nSitemap: %s/news-sitemap.xml\n", cfg->base_url,
		   cfg->base_url);
	rs->status = 200;
	rs->content_type = "text/plain; charset=utf-8";
	rs->cache_control = HTTP_CACHE_PUBLIC;
}
