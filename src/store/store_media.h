/*
 * store_media: the media library's records (issue 14). A record names a
 * picture whose files src/media/ wrote: the variants under media/ are
 * HASH-WIDTH.EXT for each width in `variants` and each format in
 * `formats`, the original media-originals/HASH.EXT. The store keeps what
 * it is given: the caller made the files and the text of both lists
 * (media_variants_text, media_formats_text).
 *
 * Writes log the change-log tag media:ID (the record's text or focal
 * point changed, or it is gone), for pages that show it.
 */
#ifndef GZ_STORE_MEDIA_H
#define GZ_STORE_MEDIA_H

#include "store.h"

struct media_record {
	long long id;
	const char *hash;      /* 16 hex digits: the original's content hash */
	const char *name;      /* the file name given, sanitized: shown, never a path */
	const char *mime;      /* the original's type, "image/jpeg" */
	const char *ext;       /* the original's extension, "jpg" */
	int width, height;     /* upright, in pixels */
	long long bytes;       /* the original's size */
	const char *alt, *caption, *credit;
	double focal_x, focal_y; /* the point crops keep, 0..1 from the top left */
	long long uploaded_by; /* a user id, 0 for none (the command line) */
	long long created_at;  /* unix seconds */
	const char *variants;  /* "320x213 640x427 ..." */
	const char *formats;   /* "webp jpg avif" */
};

/* Adds r (id and created_at are set here: r->id the new record's), *added
 * 1. When a record has the same hash already (another upload, import or
 * command of the same bytes got in first: both made the same files), r
 * becomes that record and *added 0: the caller keeps the files. */
int store_media_add(struct store *st, struct pool *p, struct media_record *r, int *added);
int store_media_get(struct store *st, struct pool *p, long long id, struct media_record *out);
/* The record of a content hash, STORE_NOTFOUND when none. */
int store_media_by_hash(struct store *st, struct pool *p, const char *hash,
			struct media_record *out);
/* Newest first, at most limit after skipping offset; query (NULL or ""
 * for all) is matched as plain text, case-insensitively for ASCII, within
 * alt, caption, credit and file name. */
int store_media_list(struct store *st, struct pool *p, const char *query, size_t offset,
		     size_t limit, struct media_record **out, size_t *n);
/* Sets alt, caption, credit and the focal point (each 0..1: STORE_INVALID
 * otherwise). STORE_NOTFOUND when there is no such record. */
int store_media_update(struct store *st, long long id, const char *alt, const char *caption,
		       const char *credit, double focal_x, double focal_y);
/* Where a library item is used. */
enum media_use_kind {
	MEDIA_USE_TEXT,        /* a story's Markdown names media:ID */
	MEDIA_USE_FEATURED,    /* a story's featured image */
	MEDIA_USE_BYLINE,      /* an account's byline photo (users.photo) */
};
struct media_use {
	enum media_use_kind kind;
	long long id;          /* the story's, or the account's for a byline */
	const char *title;     /* the story's title, or the account's name */
	enum story_status status; /* a story's */
};

/* What uses item m: accounts whose byline photo is one of its variants
 * (/media/HASH-...), stories whose featured image it is
 * (featured_media_id, or a featured_image path that is a variant), and
 * stories whose Markdown names media:ID (followed by anything but a
 * digit) or whose HTML names one of its files (/media/HASH- or
 * /media/HASH.: an imported figure or player, a link to the file); in that order (enum media_use_kind, last first), newest first
 * within each. Reads every story's body: for the admin. */
int store_media_uses(struct store *st, struct pool *p, const struct media_record *m,
		     struct media_use **out, size_t *n);
/* Deletes the record (the caller deletes its files after the commit).
 * STORE_NOTFOUND when there is none. */
int store_media_delete(struct store *st, long long id);

#endif
