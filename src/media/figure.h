/*
 * figure: the one HTML writer for library pictures (issue 14). Every place
 * that shows a media record in a page (story bodies through the Markdown
 * renderer's media callback, the WordPress import) writes it here, so a
 * picture is always a <figure> with a <picture> of every variant the
 * record has, width and height (no layout shift), lazy loading except for
 * the lead picture, and its caption and credit.
 *
 * Every text of the record is escaped here (html_attr / html_text): the
 * result is safe to write with html_raw. No inline style or script: the
 * look is classes in themes/default/style.css (the site's CSP forbids
 * both).
 */
#ifndef GZ_FIGURE_H
#define GZ_FIGURE_H

#include <stddef.h>

#include "../util/buf.h"

struct media_record;
struct pool;

enum figure_flag {
	FIGURE_LEAD = 1,   /* the first picture a reader sees: fetchpriority="high", never lazy */
	FIGURE_INLINE = 2, /* inside a sentence: a bare <img> of the small variants, no figure */
};

/* The sizes attribute when the caller gives none: the story column (38em
 * of a 17px font, about 40rem) on wide screens, the screen on phones. */
#define FIGURE_SIZES "(min-width: 42rem) 40rem, 100vw"
/* A gallery's pictures: 3 columns of the column on wide screens, 2 on phones. */
#define GALLERY_SIZES "(min-width: 42rem) 13rem, 50vw"
/* A gallery picture's full-size view: the window. */
#define LIGHTBOX_SIZES "100vw"
/* An inline picture: at most the first variant's width. */
#define INLINE_SIZES "20rem"

/* Appends m as a <figure class="figure"> (FIGURE_INLINE: a bare <img
 * class="media-inline">). An audio or video record (figure_is_player) is
 * a <figure class="audio"> holding <audio controls preload="none"
 * src="/media/HASH.EXT">, or a <figure class="video"> holding a <div
 * class="video-box"> (the fixed 16:9 box style.css gives it, so nothing
 * moves when the video loads) and <video controls preload="none" ...>;
 * each player holds a link to the file (browsers without the player show
 * it), alt is its title and the link's text, and the figcaption
 * holds caption and credit; FIGURE_INLINE writes the player alone. alt and caption NULL mean the record's; "" is
 * taken as given (no caption, or a decorative picture). sizes NULL means
 * FIGURE_SIZES. A record whose variants cannot be parsed writes its alt
 * text in <span class="media-missing"> instead. */
void figure_html(struct buf *out, const struct media_record *m, const char *alt, const char *caption,
		 const char *sizes, unsigned flags);

/* 1 when m is audio or video (figure_html writes a player; a gallery
 * takes pictures only). */
int figure_is_player(const struct media_record *m);

/* Appends ms[0..n) as one <div class="gallery">: a grid of figures, each
 * picture a link to its full-size view. The view works without JavaScript:
 * a CSS :target overlay (.lightbox, id "gz-media-ID") holding the
 * picture again with sizes LIGHTBOX_SIZES, lazy, with a link back to the
 * gallery ("gz-gallery-ID" of the first picture). sizes NULL means GALLERY_SIZES;
 * FIGURE_LEAD applies to the first picture only. Each record's own alt and
 * caption are used (set them in ms before the call to override). */
void gallery_html(struct buf *out, const struct media_record *ms, size_t n, const char *sizes,
		  unsigned flags);

/* Appends the records of one Markdown reference group (media_ref):
 * each run of pictures as figure_html (one) or gallery_html (several),
 * each audio or video record alone as its player; FIGURE_LEAD applies to
 * the first record only, FIGURE_INLINE to all (n is 1 then). */
void figure_refs_html(struct buf *out, const struct media_record *ms, size_t n, unsigned flags);

/* Stored body HTML made fit for a feed reader, which has neither the
 * site's address nor its style sheet: every "/media/..." URL inside a tag
 * (src, srcset) made absolute with base_url ("https://example.org"), and
 * the galleries' full-size views (.lightbox, which only CSS hides) left
 * out. html itself when there is nothing to change; otherwise memory from
 * p (html, unchanged, if that fails). */
const char *figure_feed_html(struct pool *p, const char *html, const char *base_url);

/* The alt text of a picture that cannot be shown (unknown id, record gone)
 * in <span class="media-missing">, so nothing silently disappears. */
void figure_missing_html(struct buf *out, const char *alt);

#endif
