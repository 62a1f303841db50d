/*
 * image: what an uploaded file is, decided by its first bytes and never
 * by its name or the type the client claimed, and its pixel size read
 * from the header (for og:image:width/height).
 */
#ifndef GZ_IMAGE_H
#define GZ_IMAGE_H

#include <stddef.h>

struct image_info {
	const char *type;   /* "image/png", "image/jpeg", "image/gif", "image/webp" */
	const char *ext;    /* "png", "jpg", "gif", "webp" */
	unsigned width, height;
};

/* 0 when d[0..n) starts as a JPEG, PNG, GIF or WebP file whose header
 * gives a nonzero width and height; -1 for anything else. */
int image_sniff(const unsigned char *d, size_t n, struct image_info *out);

/* Where the image that image_sniff found ends: *end is the offset just
 * past its last structure (JPEG EOI, PNG IEND chunk, GIF trailer, WebP
 * RIFF size), walked segment by segment within d[0..n). -1 when the
 * structure is broken or ends before it should (a truncated file). */
int image_end(const unsigned char *d, size_t n, const struct image_info *info, size_t *end);

/* 1 when d[0..n) holds more than one image: bytes after image_end that
 * are not zero padding (a ZIP, a script or HTML appended: a polyglot).
 * A JPEG followed by further JPEGs (a camera's multi-picture file) is one
 * image. -1 when the structure itself is broken (as image_end). */
int image_trailing(const unsigned char *d, size_t n, const struct image_info *info);

/* What a file that is not one of the four raster formats seems to be, for
 * a message ("a PDF document", "an SVG drawing", "an HTML page", "a ZIP
 * archive", "a HEIC image", "a TIFF image"), or NULL when unknown. */
const char *image_other_kind(const unsigned char *d, size_t n);

/* The MIME type for a stored image's extension ("png" -> "image/png"), or
 * NULL when it is not one of the four. */
const char *image_type_of_ext(const char *ext);

#endif
