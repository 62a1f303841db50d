/*
 * featured: uploaded image files: checked (type by content, size limit,
 * readable dimensions) and written under a folder of the site's media/
 * with a generated name: a byline's photo (media/people/, admin_profile.c).
 * Featured images go through the media library (admin_media.c) since
 * issue 14; stories saved before keep their media/featured/ file, which
 * featured_remove deletes when it is replaced. A featured image chosen
 * before a preview waits here (featured_pending_*) until its save.
 */
#ifndef GZ_FEATURED_H
#define GZ_FEATURED_H

#include <stddef.h>

struct pool;
struct site;
struct upload;

struct featured {
	const char *path;      /* "/media/people/HEX.ext", "/media/HASH-W.jpg": as /media/ serves it */
	int width, height;
	long long bytes;
};

/* Deletes a stored featured image by its path (only paths under
 * /media/featured/ that featured_write could have made; others are left). */
void featured_remove(const struct site *site, struct pool *p, const char *path);

/* The same for any folder under media/ ("people"): what names the image
 * in the error message ("The photo must be ..."). */
int image_upload_check(const struct site *site, struct pool *p, const struct upload *up,
		       const char *folder, const char *what, struct featured *out,
		       const char **err);
int image_upload_write(const struct site *site, struct pool *p, const struct upload *up,
		       const char *folder, struct featured *out);
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
