/*
 * media: pictures made fit to serve. The only room that touches libvips.
 *
 * An image file is taken in two steps so a caller can look in the store
 * between them (the same picture twice is one library entry):
 *   media_read     reads the file, decides its type from its bytes and
 *                  refuses, before any pixel is decoded, what is not one
 *                  whole JPEG, PNG, GIF or WebP image within the limits;
 *                  gives its content hash.
 *   media_make     decodes it once, applies its EXIF orientation, converts
 *                  it to sRGB, strips every metadata field, and writes its
 *                  variants to the site's media/ (served, named
 *                  HASH-WIDTH.EXT, never changed once written) and the
 *                  original to media-originals/ (never served).
 * On any failure nothing new is left in either folder.
 *
 * Audio and video (media_check_any, media_read_any) are recognised by
 * their container (av.h) and kept as they came, once, as media/HASH.EXT:
 * no variants, no original elsewhere, no transcoding. A record tells the
 * kinds apart by its MIME type (media_kind_of).
 *
 * Errors are a code and a message for the person who gave the file.
 */
#ifndef GZ_MEDIA_H
#define GZ_MEDIA_H

#include <stddef.h>

struct pool;

#define MEDIA_MAX_PIXELS 40000000LL  /* width x height x frames: 40 megapixels */
#define MEDIA_MAX_FRAMES 100         /* frames of an animated GIF or WebP */
#define MEDIA_MAX_BYTES (64L << 20)  /* an original file */
#define MEDIA_MAX_WIDTHS 5
#define MEDIA_HASH_HEX 16
#define MEDIA_ORIGINALS "media-originals" /* in the site folder, beside media/ */

/* The default of media_upload_limit (gazette.conf): one audio or video file. */
#define MEDIA_AV_LIMIT_DEFAULT (200L << 20)

enum media_class { MEDIA_KIND_PICTURE, MEDIA_KIND_AUDIO, MEDIA_KIND_VIDEO, MEDIA_KIND__MAX };

/* The kind of a record of MIME type mime: audio/..., video/..., else a picture. */
enum media_class media_kind_of(const char *mime);
/* "picture", "audio", "video" */
const char *media_kind_name(enum media_class k);

/* The widths made, narrowest first: those no wider than the picture, or
 * its own width alone when it is narrower than the first. */
extern const int media_widths[MEDIA_MAX_WIDTHS];

enum media_err {
	MEDIA_OK,
	MEDIA_NOT_IMAGE,     /* not a raster image we take (PDF, SVG, HTML, ...) */
	MEDIA_TOO_LARGE,     /* over MEDIA_MAX_PIXELS or MEDIA_MAX_BYTES */
	MEDIA_TOO_MANY_FRAMES,
	MEDIA_CORRUPT,       /* truncated, or does not decode as its type */
	MEDIA_POLYGLOT,      /* another file after the image */
	MEDIA_IO,            /* reading or writing failed (logged) */
	MEDIA__MAX
};

/* The formats variants are written in; MEDIA_AVIF only when this libvips
 * encodes AV1 (media_formats). */
enum media_format { MEDIA_WEBP, MEDIA_JPEG, MEDIA_AVIF, MEDIA_FORMAT__MAX };

/* A file read and checked by media_read: its bytes live in the pool. */
struct media_input {
	const unsigned char *data;
	size_t len;
	const char *name;           /* the file's name, sanitized: for people, never a path */
	const char *mime, *ext;     /* of the original: "image/jpeg", "jpg" */
	enum media_class kind;
	int width, height;          /* as stored, before the orientation */
	int frames;
	int turned;                 /* its EXIF orientation turns it a quarter */
	char hash[MEDIA_HASH_HEX + 1];
};

struct media_variant { int width, height; };

/* What media_make wrote. */
struct media_made {
	int width, height;          /* upright (orientation applied) */
	struct media_variant v[MEDIA_MAX_WIDTHS];
	size_t nv;
	unsigned formats;           /* 1u << enum media_format */
};

/* Starts libvips once per process (idempotent, thread-safe) and allows
 * only the four loaders media reads. Call before a chroot: libvips loads
 * its modules (AVIF) here. 0, or -1 with err. */
int media_init(char *err, size_t errlen);

/* The formats this build writes (1u << enum media_format), after media_init. */
unsigned media_formats(void);
/* "webp", "jpg", "avif"; and the MIME type "image/webp" ... */
const char *media_format_ext(enum media_format f);
const char *media_format_mime(enum media_format f);

/* Reads and checks path (see above). MEDIA_OK, or the code with a message. */
enum media_err media_read(struct pool *p, const char *path, struct media_input *in, char *err,
			  size_t errlen);
/* The same for bytes already in memory (an upload), named name. */
enum media_err media_check(struct pool *p, const unsigned char *data, size_t len,
			   const char *name, struct media_input *in, char *err, size_t errlen);

/* The same, also taking an audio or video file (av.h) of at most
 * av_limit bytes; its width, height and frames stay 0. */
enum media_err media_check_any(struct pool *p, const unsigned char *data, size_t len,
			       const char *name, long av_limit, struct media_input *in, char *err,
			       size_t errlen);
enum media_err media_read_any(struct pool *p, const char *path, long av_limit,
			      struct media_input *in, char *err, size_t errlen);

/* Makes the variants and keeps the original under site_dir (see above);
 * an audio or video file is written as media/HASH.EXT alone (out: no
 * variants, no formats). */
enum media_err media_make(struct pool *p, const char *site_dir, const struct media_input *in,
			  struct media_made *out, char *err, size_t errlen);

/* Deletes what media_make wrote for hash (variants listed in m, and the
 * original of extension ext; with no variants in m, media/HASH.EXT, an
 * audio or video file): for a library entry deleted. */
void media_remove(struct pool *p, const char *site_dir, const char *hash, const char *ext,
		  const struct media_made *m);

/* A variant's file name, "HASH-WIDTH.EXT", as served under /media/. */
const char *media_variant_name(struct pool *p, const char *hash, int width, enum media_format f);
/* An audio or video file's name, "HASH.EXT", as served under /media/. */
const char *media_av_name(struct pool *p, const char *hash, const char *ext);
/* 1 when name (a path below /media/) is a variant's or an audio or video
 * file's that media wrote: never changes. */
int media_is_variant(const char *name);

/* The file name a person gave, fit to show and to search: its last path
 * segment, control characters and invalid UTF-8 dropped, at most 200
 * bytes; "image" when nothing is left. */
const char *media_clean_name(struct pool *p, const char *name);

/* "width x height" strings and format lists as the store keeps them:
 * "320x213 640x427", "webp jpg avif"; and back (0, or -1 when malformed). */
const char *media_variants_text(struct pool *p, const struct media_made *m);
const char *media_formats_text(struct pool *p, unsigned formats);
int media_variants_parse(const char *variants, const char *formats, struct media_made *m);

/* The widest variant of m no wider than max (the narrowest when every
 * one is wider): an index into m->v. */
size_t media_pick(const struct media_made *m, int max);
/* The narrowest variant of m at least min wide (the widest when none is):
 * an index into m->v. OpenGraph's picture asks for 1200 px or more. */
size_t media_pick_atleast(const struct media_made *m, int min);
#define MEDIA_SHARE_WIDTH 1200

/* A library item's JPEG variant widest up to max_width (media_pick), for
 * the fields that name one file (a featured image, a byline photo): its
 * URL path "/media/HASH-W.jpg", size and bytes on disk. hash, variants and
 * fmts are the record's; media_dir the folder holding the variants.
 * -1 when the item has no JPEG or the file is missing. */
#define MEDIA_FEATURED_WIDTH 1280 /* a featured image: OpenGraph asks for 1200 or more */
struct media_file {
	const char *path;
	int width, height;
	long long bytes;
};
int media_jpeg_upto(struct pool *p, const char *media_dir, const char *hash, const char *variants,
		    const char *fmts, int max_width, struct media_file *out);

/* ![ALT](media:ID "CAPTION") (no title part when caption is empty): the
 * Markdown that places library item id in a story, with [] and " escaped. */
const char *media_markdown(struct pool *p, long long id, const char *alt, const char *caption);

const char *media_err_name(enum media_err e);

#endif
