/*
 * comment_text: a reader's comment, shown as text and never as HTML.
 */
#ifndef GZ_COMMENT_TEXT_H
#define GZ_COMMENT_TEXT_H

#include "../util/buf.h"

/* Append the HTML for comment `text` (a NUL-terminated string; NULL is
 * treated as ""). CRLF and CR count as LF. Runs of non-blank lines become
 * "<p>...</p>\n", split on lines holding only spaces or tabs; a single
 * newline inside a paragraph becomes "<br>\n". Every character is escaped
 * with html_textn. http://, https:// and "www." URLs become
 *   <a href="URL" rel="nofollow ugc">URL</a>
 * (www. links get an http:// href). A URL ends at whitespace, '<', '>' or
 * '"'; trailing . , ; : ! ? ) ] ' stay outside it, except a ')' that closes
 * a '(' inside the URL. All-blank text appends nothing. */
void comment_text_html(struct buf *out, const char *text);
/* The same as a string of pool p: what the store keeps as body_html. */
struct pool;
const char *comment_text_html_str(struct pool *p, const char *text);

#endif
