/*
 * escape: output helpers named for where the text lands (after cgit's
 * html.c and kcgi's khtml_*). Every function appends to a buf.
 *
 * Only html_raw writes unescaped, and it is meant for HTML that came out of
 * the Markdown renderer or the sanitizer, never for reader input.
 */
#ifndef GZ_ESCAPE_H
#define GZ_ESCAPE_H

#include "../util/buf.h"

/* Text between tags: & < > " ' escaped. */
void html_text(struct buf *b, const char *s);
void html_textn(struct buf *b, const char *s, size_t n);
/* A quoted attribute value (the caller writes the quotes): same set as
 * html_text, so either quote kind is safe. */
void html_attr(struct buf *b, const char *s);
/* Trusted HTML, unescaped. */
void html_raw(struct buf *b, const char *s);
/* One path segment: everything but unreserved characters percent-encoded. */
void url_path(struct buf *b, const char *s);
/* How many bytes s opens with that url_path leaves as they are. */
size_t url_plain_len(const char *s);
/* A query-string value (application/x-www-form-urlencoded, space as +). */
void url_query(struct buf *b, const char *s);
/* A JSON string including its quotes; < > & escaped too, so the result is
 * safe inside <script type="application/ld+json">. */
void json_string(struct buf *b, const char *s);
/* XML character data or attribute value, without the characters XML
 * forbids or discourages (xml_unfit_len): a feed stays valid whatever
 * was typed. */
void xml_text(struct buf *b, const char *s);
/* Bytes of the character at p that has no place in XML: a control other
 * than tab, LF and CR (C0, DEL, C1), or a non-character (U+FDD0-U+FDEF,
 * U+FFFE and U+FFFF in every plane); 0 for any other character. */
size_t xml_unfit_len(const unsigned char *p);

/* 1 when `url` is an absolute http(s) URL safe to put in an href. */
int url_is_http(const char *url);

#endif
