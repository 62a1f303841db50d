/*
 * featured: image files outside the media library. Featured images and
 * byline photos go through the library (admin_media.c) since issue 14;
 * stories and accounts saved before keep their media/featured/ or
 * media/people/ file, which featured_remove and image_upload_remove
 * delete when replaced. A featured image chosen before a preview waits
 * here (featured_pending_*) until its save.
 */
#ifndef GZ_FEATURED_H
#define GZ_FEATURED_H

#include <stddef.h>

struct pool;
struct site;
struct upload;

struct featured {
	const char *path;      /* "/media/HASH-W.jpg" (or an older /media/featured/HEX.ext) */
	int width, height;
	long long bytes;
};

/* Deletes a stored featured image by its path (only paths under
 * /media/featured/ that this module once wrote; others are left). */
void featured_remove(const struct site *site, struct pool *p, const char *path);

/* Deletes a file under media/FOLDER/ that this module could have named
 * (media/people/HEX.ext, media/featured/HEX.ext): older byline photos and
 * featured images, replaced or removed; other paths are left alone. */
void image_upload_remove(const struct site *site, struct pool *p, const char *folder,
			 const char *path);

/* Keeps a checked upload chosen before a preview in the site's
 * pending-images/ folder and sets *token ("NAME.SIG", for a hidden form
 * field) to name it for user_id only. 0 ok, -1 (logged) on an I/O error. */
int featured_pending_put(const struct site *site, struct pool *p, const struct upload *up,
			 long long user_id, const char **token);
/* Reads the waiting image a token names, if the token is genuine and was
 * made for user_id, into out (bytes from p), to be checked and written as
 * if just uploaded. 0 ok; -1 for a forged, foreign or expired token. */
int featured_pending_get(const struct site *site, struct pool *p, const char *token,
			 long long user_id, struct upload *out);
/* Deletes the waiting image a token names (after its story was saved). */
void featured_pending_drop(const struct site *site, struct pool *p, const char *token,
			   long long user_id);

#endif
