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
	FIGURE_FEATURED = 4, /* a story's featured picture: <figure class="figure featured"> */
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

/* A story's card in a list (home, section, tag, author, search, related
 * links) shows its featured picture cropped to CARD_RATIO_W:CARD_RATIO_H
 * around its focal point. The sizes match the theme's card widths
 * (themes/default/style.css, "Summaries"): the home page's lead card
 * (full width on phones, 3/5 of the page beside its text from 64rem),
 * the home grid (1, 2 or 3 columns), a list's thumbnail (12rem beside
 * the text from 40rem) and a related link's (6rem). */
#define CARD_RATIO_W 3
#define CARD_RATIO_H 2
#define CARD_SIZES_LEAD "(min-width: 72rem) 41rem, (min-width: 64rem) calc((100vw - 4rem) * .6), calc(100vw - 2rem)"
#define CARD_SIZES_GRID                                                                       \
	"(min-width: 72rem) 22rem, (min-width: 64rem) calc((100vw - 6rem) / 3),"               \
	" (min-width: 40rem) calc((100vw - 4rem) / 2), calc(100vw - 2rem)"
#define CARD_SIZES_LIST "(min-width: 40rem) 12rem, calc(100vw - 2rem)"
#define CARD_SIZES_THUMB "6rem"
/* The widest variant a card lists: a card is small (the lead card lists all). */
#define CARD_MAX_WIDTH 960
#define CARD_LEAD_MAX_WIDTH 1920
#define CARD_THUMB_WIDTH 320
/* Focal points are quantized to tenths: classes fx-0 .. fx-10 and fy-0 ..
 * fy-10 on the <img>, which the theme turns into object-position (no
 * inline style: the CSP forbids it). */
#define CARD_FOCAL_STEPS 10

/* Appends m as a card's <picture class="card-pic">: a <source> per
 * format and a JPEG <img class="card-img fx-X fy-Y"> whose width and
 * height are the crop's box (the largest CARD_RATIO box inside the
 * picture), whose srcset lists the variants up to max_width with width
 * descriptors of the crop's width in each (the part a reader sees), and
 * which is lazy unless flags has FIGURE_LEAD (then fetchpriority="high").
 * alt NULL means the record's. Writes nothing when the record's variants
 * cannot be parsed; returns 0 when it wrote the picture, -1 when not. */
int figure_card_html(struct buf *out, const struct media_record *m, const char *alt,
		     const char *sizes, int max_width, unsigned flags);
/* The same for a story that has only its one served JPEG (older and
 * imported stories): <img class="card-img"> of url with its own width and
 * height (left out when unknown), centred in the card's box. */
void figure_card_jpeg_html(struct buf *out, const char *url, int width, int height,
			   const char *alt, unsigned flags);

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
