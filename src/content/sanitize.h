/*
 * sanitize: HTML from elsewhere (imported posts, comments, feeds) made safe
 * to write with html_raw.
 *
 * The input is parsed by a real HTML parser (libxml2's, network off) and
 * the tree is written back through an allowlist: known formatting, lists,
 * tables, links, images, figures and audio/video keep their allowed
 * attributes; what WordPress would embed (an iframe of a known player, a
 * URL alone in a paragraph or in an embed block) becomes the facade of
 * content/embed.h, any other iframe a link to its src; script, style,
 * forms, objects and other active content are dropped with everything
 * inside them; any other element is unwrapped (its content kept). No
 * event handler, style attribute, id, iframe, or URL outside http, https,
 * mailto and relative ones survives. Players play only the site's own
 * files: <audio controls preload> and <video controls preload width
 * height poster> keep no src of their own; their <source src type> is
 * kept only when src (and a poster) is a /media/ path. Comments are dropped. The output is
 * well-formed: every attribute quoted and escaped, every element closed.
 */
#ifndef GZ_SANITIZE_H
#define GZ_SANITIZE_H

#include <stddef.h>

#include "../util/buf.h"

/* Appends the safe HTML of html[0..n) to out. 0 on success, -1 when the
 * parser fails or out reaches its maximum. Empty input appends nothing. */
int sanitize_html(const char *html, size_t n, struct buf *out);

/* Appends the plain text of html[0..n): tags removed, the content of
 * dropped elements (script, style ...) left out, entities decoded, block
 * elements separated by blank lines and <br> as a newline, leading and
 * trailing white space trimmed. The text is NOT escaped: meant for
 * comments (shown through comment_text), excerpts and search. */
int sanitize_text(const char *html, size_t n, struct buf *out);

/* 1 when url may be written in an href or src: http, https, mailto, or no
 * scheme at all (relative paths, //host, #fragment), judged the way a
 * browser reads it (tabs and newlines ignored, leading spaces trimmed). */
int sanitize_url_ok(const char *url);

#endif
