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

/* The MIME type for a stored image's extension ("png" -> "image/png"), or
 * NULL when it is not one of the four. */
const char *image_type_of_ext(const char *ext);

#endif
