/*
 * embed: the provider table behind privacy-first embeds (docs/embeds.md).
 *
 * A story's URL alone on a line (Markdown) or an imported embed (sanitizer)
 * is matched against one table of providers: YouTube, Vimeo, X/Twitter,
 * Instagram, Facebook, TikTok, SoundCloud, Spotify, Datawrapper, Flourish
 * and Google Maps. A match becomes a facade: a <figure> holding a link card
 * to the original and a button; no iframe, image or script of the provider
 * is in the page until the reader clicks it, and then the site's own
 * script (themes/default/embed.js) swaps in the iframe whose src the
 * matcher built. The one design decision: the src is never the author's
 * text. It is rebuilt from a template and IDs that passed a charset
 * allowlist with length bounds, so nothing an author types can reach an
 * iframe but an ID.
 *
 * Facades are written for every known provider when a story is rendered;
 * which providers a site allows (`embeds_off` in gazette.conf) is applied
 * when a page is served (embed_html_filter), so switching a provider off
 * needs no re-rendering of stored stories.
 */
#ifndef GZ_EMBED_H
#define GZ_EMBED_H

#include <stddef.h>

#include "../util/buf.h"

/* Longest URL the matcher looks at, and longest src it builds. */
#define EMBED_URL_MAX 2048
#define EMBED_SRC_MAX 2300

struct embed_provider {
	const char *name;       /* "youtube": the setting's word and the CSS class */
	const char *title;      /* "YouTube": what readers read */
	const char *frame_host; /* the iframe's origin, for the CSP's frame-src */
	const char *ratio;      /* CSS class suffix: "16x9", "4x3", "1x1", "9x16", "tall", "audio" */
	const char *allow;      /* the iframe's allow attribute */
	const char *sandbox;    /* its sandbox attribute, or NULL where the player breaks under one */
};

/* Every provider, in table order; an enabled set is a bit mask over them. */
extern const struct embed_provider embed_providers[];
extern const size_t embed_count;
#define EMBED_ALL ((1u << embed_count) - 1u)

struct embed_match {
	const struct embed_provider *provider;
	unsigned index;              /* provider's position (its bit) */
	char src[EMBED_SRC_MAX];     /* the iframe's src */
};

/* Matches url[0..n) (no trailing whitespace): 1 when it is an https URL of
 * a known provider, with m filled; 0 otherwise. Total on any bytes. */
int embed_match(const char *url, size_t n, struct embed_match *m);

/* What every facade holds, and nothing else the renderers write: a page
 * whose HTML lacks it has no facade (and needs no embed.js). */
#define EMBED_MARK " data-embed-src=\""

/* Appends the facade for a match; url is the original (link card). */
void embed_facade(struct buf *out, const struct embed_match *m, const char *url);

/* The position of a provider by name, or -1. */
int embed_index(const char *name, size_t n);

/* Parses a list of provider names separated by spaces or commas into a
 * mask of those named. 0 ok; -1 with the unknown name in err. */
int embed_parse_list(const char *list, unsigned *mask, char *err, size_t errlen);

/* Appends the frame-src directive value for the enabled providers: their
 * hosts, space-separated, each once; "'none'" when none is enabled. */
void embed_frame_src(unsigned enabled, struct buf *out);

/* Appends html with the facade of every provider not in `enabled` turned
 * back into the plain link it was ("<p><a href=URL>URL</a></p>"). With
 * every provider enabled it copies html unchanged. */
void embed_html_filter(const char *html, unsigned enabled, struct buf *out);

#endif
