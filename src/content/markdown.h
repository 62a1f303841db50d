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

/*
 * Library pictures (docs/figures.md): an image whose destination is
 * "media:ID" is a reference to media record ID, written by a callback the
 * layer above supplies (content/ cannot know the store or media/; the
 * module graph forbids the cycle). A top-level paragraph made only of
 * references (and blanks or line breaks between them) is replaced by one
 * figure (one reference) or one gallery (two or more, at most
 * MARKDOWN_MEDIA_MAX); a reference anywhere else (in a sentence, a list, a
 * link, a quote) is an inline picture. The first reference written gets
 * MARKDOWN_MEDIA_LEAD unless opts->no_lead. Without a callback, and for a
 * destination "media:" without a valid id (given as id 0), the reference
 * is its alt text in <span class="media-missing">.
 */
#define MARKDOWN_MEDIA_MAX 32

struct markdown_media_ref {
	long long id;      /* > 0; 0 when the destination's id is not a number */
	const char *alt;   /* decoded, unescaped; NULL when empty (the record's) */
	const char *title; /* decoded, unescaped; NULL when absent (the record's caption) */
};

enum markdown_media_flag {
	MARKDOWN_MEDIA_LEAD = 1,   /* the first picture of the body: load it first */
	MARKDOWN_MEDIA_INLINE = 2, /* n is 1 and the picture sits inside text */
};

/* Appends refs[0..n) to out, escaped: n == 1 a figure (or an inline
 * picture), n > 1 a gallery. An id it cannot find must still show its alt
 * text (markdown_media_missing): nothing silently disappears. */
typedef void markdown_media_fn(void *ctx, const struct markdown_media_ref *refs, size_t n,
			       unsigned flags, struct buf *out);

struct markdown_opts {
	markdown_media_fn *media; /* NULL: every reference shows as missing */
	void *media_ctx;
	int no_lead;              /* the story leads with its featured image */
};

/* Render md[0..n) as an HTML fragment and append it to out. The result is
 * safe to write with html_raw. 0 on success, -1 when the input is too large
 * for the parser, the parser fails, or out hit its maximum.
 * markdown_to_html is markdown_to_html_opts with no options. */
int markdown_to_html(const char *md, size_t n, struct buf *out);
int markdown_to_html_opts(const char *md, size_t n, struct buf *out,
			  const struct markdown_opts *opts);

/* The alt text of a picture that cannot be shown, escaped, in
 * <span class="media-missing"> ("(missing picture)" when alt is empty). */
void markdown_media_missing(struct buf *out, const char *alt);

/* The ids of md's "media:ID" references, in order, duplicates kept out,
 * at most max of them: for the stories that show a picture. The scan is
 * textual (a "media:7" in a code block counts too), which only ever errs
 * towards one more dependency. Returns how many were written to ids. */
size_t markdown_media_ids(const char *md, long long *ids, size_t max);

/* Append the plain text of md[0..n) to out: no markup, entities decoded,
 * blocks (paragraphs, headings, code blocks, tables) separated by "\n\n",
 * list items and table rows by "\n", soft line breaks as spaces, image alt
 * text kept. Meant for excerpts, search and similarity, never for raw HTML
 * output: the text is not escaped. 0 on success, -1 as above. */
int markdown_to_text(const char *md, size_t n, struct buf *out);

#endif
