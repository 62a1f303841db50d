/*
 * shortcodes: WordPress' common shortcodes turned into plain HTML.
 *
 *   [caption]   -> <figure class="wp-caption ..."><img ...><figcaption>
 *   [gallery ids="1,2"] -> <figure class="gallery"> of the attachments'
 *                  images, each a <figure> with its caption
 *   [embed]URL[/embed] -> a link alone in its paragraph, which the
 *                  sanitizer turns into a provider's facade (embed.h)
 *   [audio] [video] -> <audio controls> / <video controls>
 *
 * A shortcode alone in a paragraph loses the <p> around it, as WordPress'
 * shortcode_unautop does. Unknown shortcodes are kept as text and reported.
 * The output is meant for the sanitizer, which still checks every URL.
 */
#ifndef GZ_SHORTCODES_H
#define GZ_SHORTCODES_H

#include "../util/buf.h"

struct sc_attachment {
	const char *url, *caption, *alt;
};

struct sc_ctx {
	void *arg;
	/* Fills out for the attachment with this WordPress ID; 0 if known. */
	int (*attachment)(void *arg, const char *id, struct sc_attachment *out);
	/* Called once per unknown shortcode occurrence (name without [ ]). */
	void (*unknown)(void *arg, const char *name);
};

/* Appends html with its shortcodes expanded. 0 ok, -1 when out is full. */
int shortcodes_expand(const char *html, struct buf *out, const struct sc_ctx *ctx);

#endif
