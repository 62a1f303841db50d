/*
 * shortcodes: WordPress' common shortcodes turned into plain HTML.
 *
 *   [caption]   -> <figure class="wp-caption ..."><img ...><figcaption>
 *   [gallery ids="1,2"] -> <figure class="gallery"> of the attachments'
 *                  images, each a <figure> with its caption
 *   [embed]URL[/embed] -> a link alone in its paragraph, which the
 *                  sanitizer turns into a provider's facade (embed.h)
 *   [audio] [video] -> a player, or a link to the file (sc_ctx.player)
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
	/* Optional writers that replace the default HTML below: each returns 0
	 * when it wrote the element, -1 for the default. caption gets the
	 * <img ...> tag (or NULL) and the caption's HTML; gallery the ids
	 * attribute (NULL: the post's own attachments); player the file's
	 * URL (src=, mp3=... or the positional one). Without player, audio
	 * and video become a link to the file. */
	int (*caption)(void *arg, struct buf *out, const char *img, const char *caption);
	int (*gallery)(void *arg, struct buf *out, const char *ids);
	int (*player)(void *arg, struct buf *out, int video, const char *src);
};

/* Appends html with its shortcodes expanded. 0 ok, -1 when out is full. */
int shortcodes_expand(const char *html, struct buf *out, const struct sc_ctx *ctx);

#endif
