/*
 * wxr: a streaming reader of WordPress eXtended RSS (WXR 1.0, 1.1, 1.2)
 * exports. It walks the file once with libxml2's xmlTextReader and hands
 * each author, term and item (with its comments and meta) to a callback,
 * then forgets it: memory holds one item, never the whole file.
 *
 * Elements are matched by their qualified names ("wp:post_id"), as
 * WordPress' own importer does. The parser never touches the network,
 * never loads a DTD and never substitutes entities; a file with a DOCTYPE
 * is refused before parsing starts, so XXE and entity-expansion payloads
 * fail cleanly. Errors name the line and column.
 *
 * Every string handed to a callback is UTF-8, NUL-terminated, never NULL
 * ("" when absent), and lives until the callback returns.
 */
#ifndef GZ_WXR_H
#define GZ_WXR_H

#include <stddef.h>

struct wxr_channel {
	const char *title, *link, *description, *base_site_url, *base_blog_url, *wxr_version;
};

struct wxr_author {
	const char *id, *login, *email, *display_name, *first_name, *last_name;
};

/* A channel-level term: <wp:category> (taxonomy "category"), <wp:tag>
 * ("post_tag") or <wp:term> (its own taxonomy). parent is the parent's
 * slug (categories) or term id (wp:term), "" for none. */
struct wxr_term {
	const char *id, *taxonomy, *slug, *name, *parent, *description;
};

/* A <category domain="..." nicename="...">Name</category> of an item. */
struct wxr_item_term {
	const char *domain, *nicename, *name;
};

struct wxr_meta {
	const char *key, *value;
};

struct wxr_comment {
	const char *id, *author, *email, *url, *ip, *date, *date_gmt, *content, *approved,
		*type, *parent, *user_id;
	size_t nmeta;
	long line;
};

struct wxr_item {
	const char *title, *link, *pub_date, *creator, *guid, *description, *content, *excerpt;
	const char *post_id, *post_date, *post_date_gmt, *modified, *modified_gmt, *comment_status,
		*ping_status, *post_name, *status, *post_parent, *menu_order, *post_type,
		*password, *is_sticky, *attachment_url;
	struct wxr_item_term *terms;
	size_t nterms;
	struct wxr_meta *meta;
	size_t nmeta;
	struct wxr_comment *comments;
	size_t ncomments;
	long line; /* where <item> starts */
};

/* What the reader calls. Any callback may be NULL. channel is called once,
 * before the first author, term or item. A callback returning non-zero
 * stops the reader, which then returns WXR_STOPPED. */
struct wxr_handler {
	void *arg;
	int (*channel)(void *arg, const struct wxr_channel *c);
	int (*author)(void *arg, const struct wxr_author *a);
	int (*term)(void *arg, const struct wxr_term *t);
	int (*item)(void *arg, const struct wxr_item *it);
	/* Called now and then with bytes read so far (progress). */
	void (*progress)(void *arg, unsigned long long bytes);
};

enum { WXR_OK = 0, WXR_ERROR = -1, WXR_STOPPED = -2 };

/* Reads the WXR file at path. WXR_OK, WXR_ERROR with "LINE:COL: message"
 * (or an I/O message) in err, or WXR_STOPPED. */
int wxr_read_file(const char *path, const struct wxr_handler *h, char *err, size_t errlen);
/* The same over a buffer in memory (tests, fuzzing). */
int wxr_read_memory(const char *data, size_t n, const struct wxr_handler *h, char *err,
		    size_t errlen);

#endif
