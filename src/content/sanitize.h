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

/*
 * The strict allowlist of the ad and analytics slots (docs/slots.md):
 * it refuses instead of cleaning. Allowed: div, span, p, a[href: http(s)
 * or a path on this site, rel, target=_blank], img[src: a path on this
 * site or http(s) from an image origin; alt, width, height, loading],
 * ins and div with data-* attributes, br, em, strong, small, and
 * <script src> (async, defer, data-*) with src from a script origin and
 * no body; class, title, lang and dir everywhere; HTML comments are
 * left out. script_origins and img_origins are space-separated lists of
 * declared origins ("https://a.example https://b.example:8443"), as
 * sanitize_origin writes them.
 *
 * 0 with the slot's HTML re-emitted from the parsed tree into out; 1
 * when refused, with err naming the first offending element or
 * attribute ("the attribute onclick on <img> is not allowed"); -1 when
 * the parser fails or out is full.
 */
int sanitize_slot(const char *html, size_t n, const char *script_origins, const char *img_origins,
		  struct buf *out, char *err, size_t errlen);

/* The origin of an absolute http(s) URL, "scheme://host[:port]" with
 * scheme and host in lower case, into out: its length, or -1 when url
 * is not one (another scheme, no host, user info, a backslash, a port
 * out of range, a host with characters no DNS name or address has).
 * *rest (when not NULL) points where the origin ends in url: "", or a
 * '/', '?' or '#'. */
int sanitize_origin(const char *url, char *out, size_t cap, const char **rest);

#endif
