/*
 * slot: the theme's ad and analytics slots (docs/slots.md). Four named
 * places (top, in-article, sidebar, footer) that an admin fills with
 * HTML passing sanitize_slot, plus <script src> from origins she
 * declares; each declared origin says what it is for (script, image,
 * connect, frame), and the public pages' CSP gets it in exactly those
 * directives (never the admin's). The one decision: a slot's HTML is
 * judged and re-emitted when it is saved, and stored as re-emitted, so
 * serving it is a copy.
 */
#ifndef GZ_SLOT_H
#define GZ_SLOT_H

#include <stddef.h>

#include "../util/buf.h"

enum slot_name { SLOT_TOP, SLOT_IN_ARTICLE, SLOT_SIDEBAR, SLOT_FOOTER, SLOT__MAX };

/* What each slot is called: "top", "in-article"...; its settings key
 * ("slot_top", "slot_in_article"...) and its template key under "slots"
 * ("top", "in_article"...). */
extern const char *const slot_names[SLOT__MAX];
extern const char *const slot_keys[SLOT__MAX];
extern const char *const slot_tpl_keys[SLOT__MAX];

#define SLOT_HTML_MAX 20000        /* bytes of one slot as typed */
#define SLOT_PARAGRAPH_KEY "slot_paragraph"
#define SLOT_PARAGRAPH_DEFAULT 3
#define SLOT_PARAGRAPH_MAX 50
#define SLOT_ORIGIN_MAX 255       /* bytes of one declared origin */

/* The in-article slot's paragraph from its setting's text (NULL: none):
 * 1..SLOT_PARAGRAPH_MAX, SLOT_PARAGRAPH_DEFAULT when absent or bad. */
int slot_paragraph(const char *setting);

/* What a declared origin is for: bits, stored as they are. */
enum { SLOT_USE_SCRIPT = 1, SLOT_USE_IMG = 2, SLOT_USE_CONNECT = 4, SLOT_USE_FRAME = 8,
       SLOT_USE_ALL = 15 };
/* "script", "image", "connect", "frame": the bit i's name (i < 4). */
extern const char *const slot_use_names[4];

/* An origin as typed ("HTTPS://Ads.Example:8443/", blanks around it
 * allowed) into its canonical form "https://ads.example:8443": 0, or -1
 * with *msg when it is not scheme://host[:port] (a path, query or user
 * info, another scheme), or names an IPv6 address (a CSP source cannot). */
int slot_origin_parse(const char *in, char *out, size_t cap, const char **msg);

/* Where the in-article slot goes in a story's HTML: the offset just
 * after the n-th top-level paragraph's </p> (n >= 1), or the end of the
 * HTML when it has fewer (a short story gets the slot at its end). The
 * HTML is our renderer's or the sanitizer's (well formed, '<' escaped in
 * text and attributes); anything else still gives an offset in [0, len]. */
size_t slot_paragraph_end(const char *html, size_t len, int n);

/* body with slot's HTML inserted at slot_paragraph_end, wrapped in
 * <div class="slot slot-in-article">, into out. */
void slot_insert(struct buf *out, const char *body, const char *slot, int n);

#endif
