/*
 * feed: RSS 2.0, Atom 1.0 and JSON Feed 1.1 writers (see feed.h).
 *
 * The one decision: one entry model, three small writers. Each writer
 * appends elements in the order its specification lists them and passes
 * every value through xml_text or json_string, so HTML content travels as
 * escaped text (RSS content:encoded, Atom type="html", JSON content_html)
 * and no entry can change the structure of the document around it.
 */
#include "feed.h"
#include "../util/date.h"
#include "../util/num.h"
#include "../util/tz.h"
#include "../render/escape.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const segments[FEED__MAX] = { "feed", "feed.atom", "feed.json" };
static const char *const types[FEED__MAX] = { "application/rss+xml; charset=utf-8",
					      "application/atom+xml; charset=utf-8",
					      "application/feed+json; charset=utf-8" };
static const char *const names[FEED__MAX] = { "RSS", "Atom", "JSON Feed" };

int feed_format_parse(const char *segment, enum feed_format *out)
{
	for (int i = 0; i < FEED__MAX; i++)
		if (segment && strcmp(segment, segments[i]) == 0) {
			*out = (enum feed_format)i;
			return 0;
		}
	return -1;
}

const char *feed_segment(enum feed_format f) { return segments[f]; }
const char *feed_content_type(enum feed_format f) { return types[f]; }
const char *feed_format_name(enum feed_format f) { return names[f]; }

void feed_date_http(char *out, size_t n, long long t)
{
	struct tm tm;
	num_utc(t, &tm);
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday], tm.tm_mday,
		 mons[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* RFC 3339 with the site's offset (UTC: "Z"). */
static void iso(struct buf *b, long long t, const struct tz *z)
{
	char d[26];
	date_iso_into(d, t, z);
	buf_puts(b, d);
}

/* RFC 822 with the site's offset: "Fri, 05 Jul 2024 11:30:00 +0200". */
static void rss_date(char *out, size_t n, long long t, const struct tz *z)
{
	int off = tz_offset(z, t);
	if (off == 0) {
		feed_date_http(out, n, t);
		return;
	}
	struct tm tm;
	date_local(t, z, &tm);
	int a = off < 0 ? -off : off;
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", wdays[tm.tm_wday],
		 tm.tm_mday, mons[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/* <name>text</name> with the text escaped. */
static void el(struct buf *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	xml_text(b, text);
	buf_printf(b, "</%s>\n", name);
}

static void rss_item(struct buf *b, const struct feed_entry *e, const struct tz *z)
{
	char date[40];
	buf_puts(b, "<item>\n");
	el(b, "title", e->title);
	el(b, "link", e->url);
	buf_puts(b, "<guid isPermaLink=\"true\">");
	xml_text(b, e->url);
	buf_puts(b, "</guid>\n");
	rss_date(date, sizeof date, e->published, z);
	el(b, "pubDate", date);
	if (e->author && *e->author)
		el(b, "dc:creator", e->author);
	for (size_t i = 0; i < e->ncategories; i++)
		el(b, "category", e->categories[i]);
	el(b, "description", e->summary);
	if (e->content_html)
		el(b, "content:encoded", e->content_html);
	if (e->image.url) {
		buf_puts(b, "<enclosure url=\"");
		xml_text(b, e->image.url);
		buf_printf(b, "\" length=\"%lld\" type=\"", e->image.length);
		xml_text(b, e->image.type);
		buf_puts(b, "\"/>\n");
	}
	if (e->comments_url)
		el(b, "comments", e->comments_url);
	buf_puts(b, "</item>\n");
}

static void rss(struct buf *b, const struct feed *f)
{
	char date[40];
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
		    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		    " xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
	el(b, "title", f->title);
	el(b, "link", f->home_url);
	el(b, "description", f->description);
	el(b, "language", f->lang);
	rss_date(date, sizeof date, f->updated, f->zone);
	el(b, "lastBuildDate", date);
	el(b, "generator", "Gazette");
	buf_puts(b, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
	xml_text(b, f->self_url);
	buf_puts(b, "\"/>\n");
	for (size_t i = 0; i < f->n; i++)
		rss_item(b, &f->entries[i], f->zone);
	buf_puts(b, "</channel>\n</rss>\n");
}

static void atom_link(struct buf *b, const char *rel, const char *type, const char *href,
		      long long length)
{
	buf_printf(b, "<link rel=\"%s\"", rel);
	if (type) {
		buf_puts(b, " type=\"");
		xml_text(b, type);
		buf_putc(b, '"');
	}
	if (length > 0)
		buf_printf(b, " length=\"%lld\"", length);
	buf_puts(b, " href=\"");
	xml_text(b, href);
	buf_puts(b, "\"/>\n");
}

static void atom_entry(struct buf *b, const struct feed_entry *e, const struct tz *z)
{
	if (e->lang && *e->lang) {
		buf_puts(b, "<entry xml:lang=\"");
		xml_text(b, e->lang);
		buf_puts(b, "\">\n");
	} else
		buf_puts(b, "<entry>\n");
	el(b, "title", e->title);
	el(b, "id", e->url);
	atom_link(b, "alternate", "text/html", e->url, 0);
	buf_puts(b, "<published>");
	iso(b, e->published, z);
	buf_puts(b, "</published>\n<updated>");
	iso(b, e->updated > e->published ? e->updated : e->published, z);
	buf_puts(b, "</updated>\n<author><name>");
	xml_text(b, e->author && *e->author ? e->author : "Anonymous");
	buf_puts(b, "</name></author>\n");
	for (size_t i = 0; i < e->ncategories; i++) {
		buf_puts(b, "<category term=\"");
		xml_text(b, e->categories[i]);
		buf_puts(b, "\"/>\n");
	}
	if (e->summary && *e->summary)
		el(b, "summary", e->summary);
	if (e->content_html) {
		buf_puts(b, "<content type=\"html\">");
		xml_text(b, e->content_html);
		buf_puts(b, "</content>\n");
	}
	if (e->image.url)
		atom_link(b, "enclosure", e->image.type, e->image.url, e->image.length);
	buf_puts(b, "</entry>\n");
}

static void atom(struct buf *b, const struct feed *f)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml_text(b, f->lang);
	buf_puts(b, "\">\n");
	el(b, "title", f->title);
	if (f->description && *f->description)
		el(b, "subtitle", f->description);
	el(b, "id", f->self_url);
	atom_link(b, "self", "application/atom+xml", f->self_url, 0);
	atom_link(b, "alternate", "text/html", f->home_url, 0);
	buf_puts(b, "<updated>");
	iso(b, f->updated, f->zone);
	buf_puts(b, "</updated>\n");
	el(b, "generator", "Gazette");
	if (f->icon_url)
		el(b, "icon", f->icon_url);
	for (size_t i = 0; i < f->n; i++)
		atom_entry(b, &f->entries[i], f->zone);
	buf_puts(b, "</feed>\n");
}

/* ,"key":"value" */
static void jkey(struct buf *b, const char *key, const char *val)
{
	buf_printf(b, ",\"%s\":", key);
	json_string(b, val);
}

static void json_item(struct buf *b, const struct feed_entry *e, const struct tz *z)
{
	buf_puts(b, "{\"id\":");
	json_string(b, e->url);
	jkey(b, "url", e->url);
	jkey(b, "title", e->title);
	if (e->lang && *e->lang)
		jkey(b, "language", e->lang);
	if (e->content_html)
		jkey(b, "content_html", e->content_html);
	else
		jkey(b, "content_text", e->summary);
	if (e->summary && *e->summary)
		jkey(b, "summary", e->summary);
	buf_puts(b, ",\"date_published\":\"");
	iso(b, e->published, z);
	buf_puts(b, "\",\"date_modified\":\"");
	iso(b, e->updated > e->published ? e->updated : e->published, z);
	buf_puts(b, "\"");
	if (e->author && *e->author) {
		buf_puts(b, ",\"authors\":[{\"name\":");
		json_string(b, e->author);
		buf_puts(b, "}]");
	}
	if (e->ncategories) {
		buf_puts(b, ",\"tags\":[");
		for (size_t i = 0; i < e->ncategories; i++) {
			if (i)
				buf_putc(b, ',');
			json_string(b, e->categories[i]);
		}
		buf_putc(b, ']');
	}
	if (e->image.url) {
		jkey(b, "image", e->image.url);
		buf_puts(b, ",\"attachments\":[{\"url\":");
		json_string(b, e->image.url);
		jkey(b, "mime_type", e->image.type);
		if (e->image.length > 0)
			buf_printf(b, ",\"size_in_bytes\":%lld", e->image.length);
		buf_puts(b, "}]");
	}
	buf_putc(b, '}');
}

static void json(struct buf *b, const struct feed *f)
{
	buf_puts(b, "{\"version\":\"https://jsonfeed.org/version/1.1\"");
	jkey(b, "title", f->title);
	jkey(b, "home_page_url", f->home_url);
	jkey(b, "feed_url", f->self_url);
	if (f->description && *f->description)
		jkey(b, "description", f->description);
	if (f->icon_url)
		jkey(b, "favicon", f->icon_url);
	jkey(b, "language", f->lang);
	buf_puts(b, ",\"items\":[");
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			buf_puts(b, ",\n");
		json_item(b, &f->entries[i], f->zone);
	}
	buf_puts(b, "]}\n");
}

void feed_write(struct buf *out, const struct feed *f)
{
	switch (f->format) {
	case FEED_RSS: rss(out, f); break;
	case FEED_ATOM: atom(out, f); break;
	default: json(out, f); break;
	}
}
