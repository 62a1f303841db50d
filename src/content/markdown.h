/*
 * markdown: story bodies (editor-written Markdown) to HTML or plain text.
 *
 * Dialect: CommonMark plus tables, strikethrough and autolinks (bare URLs,
 * www. and e-mail addresses). Raw HTML in the source is never passed
 * through: it comes out as escaped text. Link and image destinations are
 * checked against an allow-list (http, https, mailto, or no scheme at all:
 * relative paths and #fragments); a link with any other destination keeps
 * its text but loses its <a>, such an image is dropped. Headings are mapped
 * so the outline has no gaps under the page's <h1> (the title): the
 * shallowest level a body uses becomes <h2>, each deeper level used the
 * next (a body of "##" and "####" gives h2 and h3), never past <h6>.
 */
#ifndef GZ_MARKDOWN_H
#define GZ_MARKDOWN_H

#include <stddef.h>

#include "../util/buf.h"

/* Render md[0..n) as an HTML fragment and append it to out. The result is
 * safe to write with html_raw. 0 on success, -1 when the input is too large
 * for the parser, the parser fails, or out hit its maximum. */
int markdown_to_html(const char *md, size_t n, struct buf *out);

/* Append the plain text of md[0..n) to out: no markup, entities decoded,
 * blocks (paragraphs, headings, code blocks, tables) separated by "\n\n",
 * list items and table rows by "\n", soft line breaks as spaces, image alt
 * text kept. Meant for excerpts, search and similarity, never for raw HTML
 * output: the text is not escaped. 0 on success, -1 as above. */
int markdown_to_text(const char *md, size_t n, struct buf *out);

#endif
