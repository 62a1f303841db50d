/*
 * wxr: the streaming WXR reader (see wxr.h).
 *
 * The one design decision: a small state machine over xmlTextReader
 * events, with a table of fields per context (channel, author, term, item,
 * comment, meta), so a file of any size is read with the memory of one
 * item. A field is only taken at its context's depth + 1, so a <title>
 * inside <image> never passes for the channel's. Nothing that could make
 * libxml2 fetch or expand anything is enabled, and the prolog is checked
 * for a DOCTYPE before the parser sees a byte.
 */
#include "wxr.h"
#include "../util/buf.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <libxml/xmlreader.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PROLOG_MAX (1u << 20)      /* the prolog must end within the first MB */
#define WXR_TEXT_MAX (64u << 20)   /* one field's text */

enum ctx { C_NONE, C_RSS, C_CHANNEL, C_AUTHOR, C_TERM, C_ITEM, C_COMMENT, C_POSTMETA, C_SKIP };

struct field {
	const char *name;
	size_t off;
};

#define F(s, name, field) { name, offsetof(struct s, field) }

static const struct field channel_fields[] = {
	F(wxr_channel, "title", title), F(wxr_channel, "link", link),
	F(wxr_channel, "description", description),
	F(wxr_channel, "wp:base_site_url", base_site_url),
	F(wxr_channel, "wp:base_blog_url", base_blog_url),
	F(wxr_channel, "wp:wxr_version", wxr_version), { NULL, 0 },
};

static const struct field author_fields[] = {
	F(wxr_author, "wp:author_id", id), F(wxr_author, "wp:author_login", login),
	F(wxr_author, "wp:author_email", email),
	F(wxr_author, "wp:author_display_name", display_name),
	F(wxr_author, "wp:author_first_name", first_name),
	F(wxr_author, "wp:author_last_name", last_name), { NULL, 0 },
};

static const struct field term_fields[] = {
	F(wxr_term, "wp:term_id", id), F(wxr_term, "wp:term_taxonomy", taxonomy),
	F(wxr_term, "wp:category_nicename", slug), F(wxr_term, "wp:tag_slug", slug),
	F(wxr_term, "wp:term_slug", slug), F(wxr_term, "wp:category_parent", parent),
	F(wxr_term, "wp:term_parent", parent), F(wxr_term, "wp:cat_name", name),
	F(wxr_term, "wp:tag_name", name), F(wxr_term, "wp:term_name", name),
	F(wxr_term, "wp:category_description", description),
	F(wxr_term, "wp:tag_description", description),
	F(wxr_term, "wp:term_description", description), { NULL, 0 },
};

static const struct field item_fields[] = {
	F(wxr_item, "title", title), F(wxr_item, "link", link),
	F(wxr_item, "pubDate", pub_date), F(wxr_item, "dc:creator", creator),
	F(wxr_item, "guid", guid), F(wxr_item, "description", description),
	F(wxr_item, "content:encoded", content), F(wxr_item, "excerpt:encoded", excerpt),
	F(wxr_item, "wp:post_id", post_id), F(wxr_item, "wp:post_date", post_date),
	F(wxr_item, "wp:post_date_gmt", post_date_gmt), F(wxr_item, "wp:post_modified", modified),
	F(wxr_item, "wp:post_modified_gmt", modified_gmt),
	F(wxr_item, "wp:comment_status", comment_status),
	F(wxr_item, "wp:ping_status", ping_status), F(wxr_item, "wp:post_name", post_name),
	F(wxr_item, "wp:status", status), F(wxr_item, "wp:post_parent", post_parent),
	F(wxr_item, "wp:menu_order", menu_order), F(wxr_item, "wp:post_type", post_type),
	F(wxr_item, "wp:post_password", password), F(wxr_item, "wp:is_sticky", is_sticky),
	F(wxr_item, "wp:attachment_url", attachment_url), { NULL, 0 },
};

static const struct field comment_fields[] = {
	F(wxr_comment, "wp:comment_id", id), F(wxr_comment, "wp:comment_author", author),
	F(wxr_comment, "wp:comment_author_email", email),
	F(wxr_comment, "wp:comment_author_url", url),
	F(wxr_comment, "wp:comment_author_IP", ip), F(wxr_comment, "wp:comment_date", date),
	F(wxr_comment, "wp:comment_date_gmt", date_gmt),
	F(wxr_comment, "wp:comment_content", content),
	F(wxr_comment, "wp:comment_approved", approved),
	F(wxr_comment, "wp:comment_type", type), F(wxr_comment, "wp:comment_parent", parent),
	F(wxr_comment, "wp:comment_user_id", user_id), { NULL, 0 },
};

static const struct field meta_fields[] = {
	F(wxr_meta, "wp:meta_key", key), F(wxr_meta, "wp:meta_value", value), { NULL, 0 },
};

struct level {
	enum ctx ctx;
	int depth;
	const struct field *fields;
	void *base;
};

struct rd {
	xmlTextReaderPtr r;
	const struct wxr_handler *h;
	struct pool *ip;            /* the current item's (or author's, term's) strings */
	struct buf text;
	const char **target;        /* where the text being collected goes */
	int target_depth;
	struct level lv[8];
	int nlv;
	struct wxr_channel ch;
	int channel_sent, seen_channel;
	struct wxr_author au;
	struct wxr_term tm;
	struct wxr_item it;
	size_t cap_terms, cap_meta, cap_comments;
	char *err;
	size_t errlen;
	int failed, stopped;
	/* file input */
	FILE *f;
	unsigned long long bytes, last_progress;
};

static void set_empty(void *base, const struct field *fs)
{
	for (const struct field *f = fs; f->name; f++)
		*(const char **)((char *)base + f->off) = "";
}

static void failf(struct rd *d, const char *fmt, const char *a, const char *b)
{
	if (d->failed)
		return;
	d->failed = 1;
	int line = xmlTextReaderGetParserLineNumber(d->r);
	int col = xmlTextReaderGetParserColumnNumber(d->r);
	char msg[300];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	snprintf(d->err, d->errlen, "%d:%d: %s", line, col, msg);
}

static void on_xml_error(void *arg, xmlErrorPtr e)
{
	struct rd *d = arg;
	if (!e || e->level < XML_ERR_ERROR || d->failed)
		return;
	d->failed = 1;
	char msg[300];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	snprintf(d->err, d->errlen, "%d:%d: %s", e->line, e->int2, msg);
}

static void *grow(struct pool *p, void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t nc = *cap ? *cap * 2 : 8;
	void *nv = pool_alloc(p, nc * size);
	if (n)
		memcpy(nv, v, n * size);
	*cap = nc;
	return nv;
}

static void push(struct rd *d, enum ctx c, int depth, const struct field *fs, void *base)
{
	if (d->nlv == (int)(sizeof d->lv / sizeof d->lv[0]))
		{ failf(d, "elements nested too deeply", NULL, NULL); return; }
	d->lv[d->nlv++] = (struct level){ c, depth, fs, base };
	if (fs && base)
		set_empty(base, fs);
}

static void send_channel(struct rd *d)
{
	if (d->channel_sent)
		return;
	d->channel_sent = 1;
	if (!d->ch.wxr_version[0])
		{ failf(d, "not a WordPress export: no <wp:wxr_version> before the content",
			     NULL, NULL); return; }
	if (strncmp(d->ch.wxr_version, "1.", 2) != 0)
		{ failf(d, "unsupported WXR version %s", d->ch.wxr_version, NULL); return; }
	if (d->h->channel && d->h->channel(d->h->arg, &d->ch))
		d->stopped = 1;
}

static void fresh_pool(struct rd *d)
{
	pool_free(d->ip);
	d->ip = pool_new();
}

static void start_item(struct rd *d, int depth)
{
	fresh_pool(d);
	memset(&d->it, 0, sizeof d->it);
	d->cap_terms = d->cap_meta = d->cap_comments = 0;
	push(d, C_ITEM, depth, item_fields, &d->it);
	d->it.line = xmlTextReaderGetParserLineNumber(d->r);
}

static void start_category(struct rd *d)
{
	struct wxr_item *it = &d->it;
	it->terms = grow(d->ip, it->terms, it->nterms, &d->cap_terms, sizeof *it->terms);
	struct wxr_item_term *t = &it->terms[it->nterms++];
	xmlChar *dom = xmlTextReaderGetAttribute(d->r, BAD_CAST "domain");
	xmlChar *nice = xmlTextReaderGetAttribute(d->r, BAD_CAST "nicename");
	t->domain = pool_strdup(d->ip, dom ? (const char *)dom : "");
	t->nicename = pool_strdup(d->ip, nice ? (const char *)nice : "");
	t->name = "";
	xmlFree(dom);
	xmlFree(nice);
	d->target = &t->name;
}

/* A new element in the current context: a child context, a field, or
 * something we skip (with all it holds). */
static void on_start(struct rd *d, const char *name, int depth)
{
	struct level *l = d->nlv ? &d->lv[d->nlv - 1] : NULL;
	if (!l) {
		if (strcmp(name, "rss") != 0)
			{ failf(d, "not a WordPress export: the root element is <%s>, not <rss>",
				     name, NULL); return; }
		{ push(d, C_RSS, depth, NULL, NULL); return; }
	}
	if (depth != l->depth + 1)
		return; /* inside a field or a skipped element */
	d->target = NULL;
	switch (l->ctx) {
	case C_RSS:
		if (strcmp(name, "channel") == 0) {
			d->seen_channel = 1;
			{ push(d, C_CHANNEL, depth, channel_fields, &d->ch); return; }
		}
		{ push(d, C_SKIP, depth, NULL, NULL); return; }
	case C_CHANNEL:
		if (strcmp(name, "wp:author") == 0) {
			send_channel(d);
			fresh_pool(d);
			{ push(d, C_AUTHOR, depth, author_fields, &d->au); return; }
		}
		if (strcmp(name, "wp:category") == 0 || strcmp(name, "wp:tag") == 0 ||
		    strcmp(name, "wp:term") == 0) {
			send_channel(d);
			fresh_pool(d);
			push(d, C_TERM, depth, term_fields, &d->tm);
			d->tm.taxonomy = name[3] == 'c' ? "category" : name[3] == 't' && name[4] == 'a'
									? "post_tag"
									: "";
			return;
		}
		if (strcmp(name, "item") == 0) {
			send_channel(d);
			{ start_item(d, depth); return; }
		}
		break;
	case C_ITEM:
		if (strcmp(name, "wp:comment") == 0) {
			struct wxr_item *it = &d->it;
			it->comments = grow(d->ip, it->comments, it->ncomments, &d->cap_comments,
					    sizeof *it->comments);
			struct wxr_comment *c = &it->comments[it->ncomments++];
			memset(c, 0, sizeof *c);
			push(d, C_COMMENT, depth, comment_fields, c);
			c->line = xmlTextReaderGetParserLineNumber(d->r);
			return;
		}
		if (strcmp(name, "wp:postmeta") == 0) {
			struct wxr_item *it = &d->it;
			it->meta = grow(d->ip, it->meta, it->nmeta, &d->cap_meta, sizeof *it->meta);
			{ push(d, C_POSTMETA, depth, meta_fields, &it->meta[it->nmeta++]); return; }
		}
		if (strcmp(name, "category") == 0) {
			start_category(d);
			d->target_depth = depth;
			buf_reset(&d->text);
			return;
		}
		break;
	case C_COMMENT:
		if (strcmp(name, "wp:commentmeta") == 0) {
			((struct wxr_comment *)l->base)->nmeta++;
			{ push(d, C_SKIP, depth, NULL, NULL); return; }
		}
		break;
	default:
		break;
	}
	for (const struct field *f = l->fields; f && f->name; f++)
		if (strcmp(f->name, name) == 0) {
			d->target = (const char **)((char *)l->base + f->off);
			d->target_depth = depth;
			buf_reset(&d->text);
			return;
		}
}

static void end_item(struct rd *d)
{
	struct wxr_item *it = &d->it;
	if (!str_is_digits(it->post_id)) {
		d->failed = 1;
		snprintf(d->err, d->errlen, "%ld: <item> without a numeric <wp:post_id>", it->line);
		return;
	}
	for (size_t i = 0; i < it->ncomments; i++)
		if (!str_is_digits(it->comments[i].id)) {
			d->failed = 1;
			snprintf(d->err, d->errlen, "%ld: <wp:comment> without a numeric <wp:comment_id>",
				 it->comments[i].line);
			return;
		}
	if (d->h->item && d->h->item(d->h->arg, it))
		d->stopped = 1;
}

static void on_end(struct rd *d, int depth)
{
	if (d->target && depth == d->target_depth) {
		*d->target = pool_strndup(d->ip, buf_str(&d->text), d->text.len);
		d->target = NULL;
		if (d->text.err)
			failf(d, "an element's text is too long", NULL, NULL);
		return;
	}
	if (!d->nlv || d->lv[d->nlv - 1].depth != depth)
		return;
	enum ctx c = d->lv[--d->nlv].ctx;
	switch (c) {
	case C_CHANNEL: send_channel(d); break;
	case C_AUTHOR:
		if (d->h->author && d->h->author(d->h->arg, &d->au))
			d->stopped = 1;
		break;
	case C_TERM:
		if (d->h->term && d->h->term(d->h->arg, &d->tm))
			d->stopped = 1;
		break;
	case C_ITEM: end_item(d); break;
	default: break;
	}
}

static void on_text(struct rd *d)
{
	if (!d->target)
		return;
	const xmlChar *v = xmlTextReaderConstValue(d->r);
	if (v)
		buf_puts(&d->text, (const char *)v);
}

static void walk(struct rd *d)
{
	int rc;
	while (!d->failed && !d->stopped && (rc = xmlTextReaderRead(d->r)) == 1) {
		int type = xmlTextReaderNodeType(d->r);
		int depth = xmlTextReaderDepth(d->r);
		const char *name = (const char *)xmlTextReaderConstName(d->r);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			on_start(d, name ? name : "", depth);
			if (xmlTextReaderIsEmptyElement(d->r))
				on_end(d, depth);
			break;
		case XML_READER_TYPE_END_ELEMENT: on_end(d, depth); break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: on_text(d); break;
		case XML_READER_TYPE_DOCUMENT_TYPE:
			failf(d, "a DOCTYPE is not allowed in a WordPress export", NULL, NULL);
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			failf(d, "entity reference &%s; is not allowed", name, NULL);
			break;
		default: break;
		}
		if (d->f && d->h->progress && d->bytes - d->last_progress >= (1u << 20)) {
			d->last_progress = d->bytes;
			d->h->progress(d->h->arg, d->bytes);
		}
	}
	if (d->failed || d->stopped)
		return;
	if (rc < 0) {
		failf(d, "the file is not well-formed XML", NULL, NULL);
		return;
	}
	if (!d->seen_channel) {
		d->failed = 1;
		snprintf(d->err, d->errlen, "not a WordPress export: no <rss><channel>");
	} else if (d->nlv) {
		failf(d, "the file ends early (truncated?)", NULL, NULL);
	}
}

/* 0 when the prolog (before the root element) holds only the XML
 * declaration, comments, processing instructions and white space. A
 * DOCTYPE is refused here, before libxml2 could read its internal subset. */
static int prolog_ok(const char *s, size_t n, char *err, size_t errlen)
{
	size_t i = 0;
	long line = 1;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;) {
		while (i < n && str_is_xml_space(s[i]))
			line += s[i++] == '\n';
		if (i >= n)
			return 0; /* empty or all prolog: the parser reports it */
		const char *end = NULL;
		if (n - i >= 2 && memcmp(s + i, "<?", 2) == 0)
			end = memmem(s + i, n - i, "?>", 2);
		else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
			end = memmem(s + i + 4, n - i - 4, "-->", 3);
		else if (n - i >= 2 && memcmp(s + i, "<!", 2) == 0) {
			snprintf(err, errlen,
				 "%ld: a DOCTYPE is not allowed in a WordPress export (entity"
				 " declarations are refused)",
				 line);
			return -1;
		} else
			return 0; /* the root element, or text the parser will refuse */
		if (!end) {
			if (n == PROLOG_MAX) {
				snprintf(err, errlen, "%ld: the prolog is longer than 1 MB", line);
				return -1;
			}
			return 0;
		}
		for (const char *p = s + i; p < end; p++)
			line += *p == '\n';
		i = (size_t)(end - s) + 2;
	}
}

#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

static int run(struct rd *d, const struct wxr_handler *h, char *err, size_t errlen)
{
	d->h = h;
	d->err = err;
	d->errlen = errlen;
	d->ip = pool_new();
	buf_init(&d->text, WXR_TEXT_MAX);
	memset(&d->ch, 0, sizeof d->ch);
	set_empty(&d->ch, channel_fields);
	xmlTextReaderSetStructuredErrorHandler(d->r, on_xml_error, d);
	walk(d);
	xmlFreeTextReader(d->r);
	buf_release(&d->text);
	pool_free(d->ip);
	if (d->failed)
		return WXR_ERROR;
	return d->stopped ? WXR_STOPPED : WXR_OK;
}

int wxr_read_memory(const char *data, size_t n, const struct wxr_handler *h, char *err,
		    size_t errlen)
{
	if (prolog_ok(data, n < PROLOG_MAX ? n : PROLOG_MAX, err, errlen))
		return WXR_ERROR;
	if (n > 0x7fffffff) {
		snprintf(err, errlen, "file too large for an in-memory read");
		return WXR_ERROR;
	}
	struct rd d;
	memset(&d, 0, sizeof d);
	d.r = xmlReaderForMemory(data, (int)n, NULL, "UTF-8", READER_OPTIONS);
	if (!d.r) {
		snprintf(err, errlen, "cannot start the XML reader");
		return WXR_ERROR;
	}
	return run(&d, h, err, errlen);
}

static int read_cb(void *ctx, char *buffer, int len)
{
	struct rd *d = ctx;
	size_t n = fread(buffer, 1, (size_t)len, d->f);
	if (n == 0 && ferror(d->f))
		return -1;
	d->bytes += n;
	return (int)n;
}

static int close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

int wxr_read_file(const char *path, const struct wxr_handler *h, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return WXR_ERROR;
	}
	char *head = malloc(PROLOG_MAX);
	size_t n = head ? fread(head, 1, PROLOG_MAX, f) : 0;
	int bad = !head || prolog_ok(head, n, err, errlen);
	if (!head)
		snprintf(err, errlen, "out of memory");
	free(head);
	if (bad || fseek(f, 0, SEEK_SET) != 0) {
		if (!bad)
			snprintf(err, errlen, "%s: cannot rewind", path);
		fclose(f);
		return WXR_ERROR;
	}
	struct rd d;
	memset(&d, 0, sizeof d);
	d.f = f;
	d.r = xmlReaderForIO(read_cb, close_cb, &d, NULL, NULL, READER_OPTIONS);
	if (!d.r) {
		fclose(f);
		snprintf(err, errlen, "cannot start the XML reader");
		return WXR_ERROR;
	}
	int rc = run(&d, h, err, errlen);
	fclose(f);
	return rc;
}
