/*
 * feed: writes a list of entries as RSS 2.0, Atom 1.0 or JSON Feed 1.1.
 * The caller gathers the entries (stories or comments) and absolute URLs;
 * this module only knows the three formats and escapes every value for
 * its context (xml_text, json_string). Feeds are never built with theme
 * templates: a theme cannot break a feed reader.
 */
#ifndef GZ_FEED_H
#define GZ_FEED_H

#include <stddef.h>

#include "../util/buf.h"

struct tz;

enum feed_format { FEED_RSS, FEED_ATOM, FEED_JSON, FEED__MAX };

struct feed_image {
	const char *url;        /* absolute */
	const char *type;       /* e.g. image/jpeg */
	long long length;       /* bytes, 0 unknown */
};

struct feed_entry {
	const char *url;        /* absolute link; also the id/guid */
	const char *title;
	const char *summary;    /* plain text, may be "" */
	const char *content_html; /* trusted HTML (renderer output), or NULL */
	const char *author;
	long long published, updated; /* unix seconds */
	const char *const *categories;
	size_t ncategories;
	struct feed_image image;  /* url NULL: none */
	const char *comments_url; /* absolute, or NULL */
	const char *lang;         /* its own language (BCP 47); NULL or "": the feed's */
};

struct feed {
	enum feed_format format;
	const char *title, *description, *lang;
	const char *home_url;   /* absolute: the HTML page the feed follows */
	const char *self_url;   /* absolute: this feed */
	const char *icon_url;   /* absolute, or NULL */
	long long updated;      /* newest change, unix seconds */
	const struct feed_entry *entries;
	size_t n;
	const struct tz *zone;  /* dates carry its offset; NULL: UTC ("Z", GMT) */
};

/* "feed" -> RSS, "feed.atom" -> Atom, "feed.json" -> JSON Feed; the last
 * path segment of every feed URL. 0 ok, -1 for anything else. */
int feed_format_parse(const char *segment, enum feed_format *out);
/* The segment for a format ("feed", "feed.atom", "feed.json"). */
const char *feed_segment(enum feed_format f);
const char *feed_content_type(enum feed_format f);
/* A short name for autodiscovery titles: "RSS", "Atom", "JSON Feed". */
const char *feed_format_name(enum feed_format f);

/* Appends the whole document to out. */
void feed_write(struct buf *out, const struct feed *f);

/* "Fri, 05 Jul 2024 09:30:00 GMT" (RFC 822 / RFC 7231 date) into out
 * (at least 30 bytes), whatever the locale. */
void feed_date_http(char *out, size_t n, long long t);

#endif
