/*
 * wpautop: WordPress' paragraph algorithm. WordPress stores classic-editor
 * post bodies without <p> tags and adds them when it shows a post; an
 * import must do the same to show the same paragraphs.
 */
#ifndef GZ_WPAUTOP_H
#define GZ_WPAUTOP_H

#include "../util/buf.h"

/* Appends wpautop(text, br = true) to out, step for step as WordPress 6.x
 * does it (wp-includes/formatting.php): blank lines become paragraphs,
 * single newlines <br />, block-level tags are never wrapped in <p>, <pre>
 * is left alone. 0 ok, -1 when out reaches its maximum. */
int wpautop(const char *text, struct buf *out);

/* 1 when content was written by the block editor ("<!-- wp:"), which
 * WordPress does not pass through wpautop. */
int wpautop_has_blocks(const char *content);

/* Appends content without its block-editor delimiters (<!-- wp:... -->,
 * <!-- /wp:... --> and self-closing <!-- wp:... /-->), keeping what they
 * delimit. */
void wpautop_strip_blocks(const char *content, struct buf *out);

#endif
