/*
 * import_int: what the WordPress importer's files share (import.h is the
 * public interface; this header is not for anyone outside src/import/).
 *
 * One import is one `struct imp`, owned by import_wordpress (import.c, the
 * driver that walks the WXR file). The other files take it for what they
 * keep in it: import_media.c the attachments and the staging folder,
 * import_body.c nothing of its own (it reads the attachments and reports
 * unknown shortcodes), import_report.c the counters, warnings and the
 * summary.
 */
#ifndef GZ_IMPORT_INT_H
#define GZ_IMPORT_INT_H

#include "import.h"
#include "../util/buf.h"
#include "../store/store.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct pool;
struct wxr_item;

#define LIST_MAX 20            /* examples listed per report line */
#define NAMES_MAX 64

/* ---- the report's counters (import_report.c) */

enum counter {
	N_USERS, N_USERS_KNOWN, N_SECTIONS, N_TAGS, N_POSTS, N_PAGES, N_ATTACH, N_MEDIA_COPIED,
	N_COMMENTS, N_REDIRECTS, N_UNCHANGED, N_UPDATED, N_CHANGED_KEPT, N_COMMENTS_KNOWN,
	N_SKIP_TRASH, N_SKIP_AUTODRAFT, N_SKIP_TYPE, N_SKIP_PINGS, N_PRIVATE, N_PASSWORD,
	N_STICKY, N_EXTRA_CATS, N_CUSTOM_TERMS, N_ORPHANS, N__MAX
};

struct tally { char name[48]; size_t n; };

struct names {   /* a small counted set of names for the report */
	struct tally v[NAMES_MAX];
	size_t n;
};

/* What a body or story carries that is media, counted as found (in the
 * library or copied), missing (not in --uploads) or not supported (on
 * another host, or a form that cannot be shown). */
enum media_kind {
	MK_FEATURED, MK_BODY, MK_CAPTION, MK_GALLERY, MK_GALLERY_IMG, MK_COVER, MK_AUDIO,
	MK_VIDEO, MK_EMBED, MK__MAX
};
enum { MF_FOUND, MF_MISSING, MF_UNSUPPORTED, MF__MAX };

/* ---- attachments, learnt in pass 1 (import_media.c) */

struct attach {
	char *id, *url, *caption, *alt;
	char *local;   /* /media/... once copied, else NULL */
	char *parent;  /* post_parent ("0" for none) */
	long order;    /* menu_order */
	long long media_id; /* in the pictures table: the library record, -1 refused */
};

struct attach_table {   /* open addressing by WordPress ID, malloc'd */
	struct attach *v;
	size_t cap, n;
};

/* ---- one import */

struct term_info {  /* categories: slug -> parent slug, section id */
	char *slug, *parent;
	long long section_id;
};

struct imp {
	struct store *st;
	const struct import_opts *o;
	struct pool *p;              /* whole-import strings (small) */
	struct attach_table att;
	struct attach_table pics;    /* uploads path -> library record (media_id) */
	struct attach_table pages;   /* pass 1's pages: parent, url its <link>, alt its post_name */
	struct buf pages_later;      /* "ID WP_ID SLUG\n": pages met before their ancestor */
	const char *site_dir;        /* media_dir's parent: media_make writes there */
	const char *post_id;         /* the story whose body is being converted */
	const char *owner;           /* "story: SLUG" or "attachment ID", for the report */
	size_t media[MK__MAX][MF__MAX];
	size_t lib_added, lib_known, nmissing;
	size_t lib_av_added;   /* of lib_added: audio and video files */
	struct buf missing;          /* "  PATH (story: SLUG)" lines */
	struct buf made;             /* hashes made this run, "HASH EXT\n": removed on rollback */
	char nonce[20];              /* placeholder class of this run */
	size_t items_total, items_done;
	const char *source, *base, *blog;
	struct term_info *cats;
	size_t ncats, capcats;
	size_t count[N__MAX];
	struct names post_status, page_status, comment_status, skipped_types, unknown_sc,
		taxonomies, unused_meta;
	struct buf warnings, kept_urls;
	size_t nwarnings, nkept_urls;
	char staging[4096];          /* media/.import-PID, made on first copy */
	struct buf copied;           /* relative paths copied, NUL-separated */
	int changed;                 /* anything written */
	double t_scan, t_write, t_related, t_commit; /* seconds per phase */
	char *err;
	size_t errlen;
	int failed;
	time_t started, last_line;
};

/* FNV-1a over s, continuing from h (start with 1469598103934665603). */
static inline uint64_t import_fnv(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* ---- import.c (the driver) */

/* The path of an absolute URL on the old site (query kept, fragment
 * dropped), allocated from p; NULL when the URL is elsewhere. */
const char *import_old_path(struct imp *im, struct pool *p, const char *url);

/* Notes the store's error for the summary (the first one wins); -1. */
int import_store_failed(struct imp *im, const char *what);

/* A Gazette slug from a WordPress slug (percent-encoded or not), else
 * from fallback (a title; may be NULL); "" when nothing is usable. */
const char *import_slug(struct pool *p, const char *wp_slug, const char *fallback);

/* Adds the redirect from -> to (and from without or with its trailing
 * slash), unless from is to or a form the router already serves; counts
 * it. 0, or -1 on a store error. */
int import_redirect(struct imp *im, struct pool *p, const char *from, const char *to);

/* A hash of parts (an imported item's content, for --update). */
const char *import_hash(struct pool *p, const char *const *parts, size_t n);

/* The story status of an item's wp:status; -1 when the item is skipped
 * (trash, auto-draft), counted. Private and password-protected items are
 * drafts, with a warning. */
int import_status(struct imp *im, const struct wxr_item *it, enum story_status *out);

/* ---- import_pages.c: WordPress pages -> static pages */

/* Pass 1: notes a page's parent, post name and link. -1: out of memory. */
int import_pages_learn(struct imp *im, const struct wxr_item *it);
/* Pass 2: writes the page (its redirects too, once its place is known). */
int import_page(struct imp *im, struct pool *p, const struct wxr_item *it);
/* After pass 2: moves the pages met before their ancestor inside it. */
int import_pages_finish(struct imp *im);

/* ---- import_media.c: files from --uploads, staged inside media/ */

/* The attachment with WordPress ID id; with add, made (ID copied, other
 * fields NULL) when missing. NULL when absent, or out of memory. */
struct attach *import_attach_find(struct attach_table *t, const char *id, int add);
void import_attach_free(struct attach_table *t);

/* 1 when rel is a safe path inside uploads: no "..", no leading '/', no
 * backslash or control character, at most 1000 bytes. */
int import_media_rel_ok(const char *rel);

/* Copies uploads/rel into the staging folder (once; with --dry-run only
 * notes it). 0 when the file is, or after the commit will be, media/rel;
 * -1 when it is not in uploads or could not be copied. */
int import_media_stage(struct imp *im, const char *rel);

/* Notes a media URL left pointing at the old site for the report. */
void import_media_keep_url(struct imp *im, const char *url);

/* Appends html to out with the old site's uploads URLs turned into
 * /media/ addresses for the files found in --uploads; the rest are kept
 * and noted. */
void import_media_rewrite(struct imp *im, const char *html, struct buf *out);

/* After the commit: moves the staged files into media/ and removes the
 * staging folder. 0, or -1 when some file could not be moved. */
int import_media_publish(struct imp *im);

/* Removes the staging folder and what it holds (a failed or dry run). */
void import_media_discard(struct imp *im);

/* Removes staging folders in media left by imports that died (their
 * process is gone). */
void import_media_clean_stale(const char *media);

/* ---- import_pictures.c: WordPress media into the library and the body */

struct wxr_item;

/* A placeholder for HTML written after the sanitizer: each body keeps
 * its figures here until import_pictures_fill. */
struct placed {
	char **html;
	size_t n, cap;
};

/* Pictures, galleries, covers and players of a body: blocks (before
 * their delimiters are stripped), then the remaining <img>, <audio> and
 * <video> tags; found pictures become placeholders filled after the
 * sanitizer (figure.h), players are written as the sanitizer keeps them.
 * Appends to out. */
void import_pictures_blocks(struct imp *im, struct placed *pl, const char *html, struct buf *out);
void import_pictures_tags(struct imp *im, struct placed *pl, const char *html, struct buf *out);
/* The shortcodes' hooks (shortcodes.h): 0 when written, -1 for the
 * shortcode's default HTML. */
int import_pictures_caption(struct imp *im, struct placed *pl, struct buf *out, const char *img,
			    const char *caption);
int import_pictures_gallery(struct imp *im, struct placed *pl, struct buf *out, const char *ids);
int import_pictures_player(struct imp *im, struct buf *out, int video, const char *src);
/* 1 when a file name or URL ends like a picture the library takes. */
int import_is_picture(const char *name);
/* 1 when it ends like an audio or video file the library takes (av.h). */
int import_is_player_file(const char *name);
/* Puts uploads/rel (a picture, or an audio or video file) into the
 * library: 0 with *id its record, -1 when missing or refused (counted in
 * the report either way). */
int import_attach_library(struct imp *im, struct pool *p, const char *rel, long long *id);
/* Replaces the placeholders in html by their HTML; frees pl's entries. */
void import_pictures_fill(struct imp *im, struct placed *pl, const char *html, struct buf *out);
/* Counts the embeds of a body: in is the content, out the sanitized HTML. */
void import_pictures_embeds(struct imp *im, const char *in, const char *out);

/* The featured image (_thumbnail_id) of a story just written: through
 * the library onto the story. 0, or -1 on a store error. */
int import_pictures_featured(struct imp *im, struct pool *p, const struct wxr_item *it,
			     long long story_id);

/* After a failed or dry run: removes the variants this run made. */
void import_pictures_discard(struct imp *im);

/* ---- import_body.c: WordPress content -> stored HTML and text */

/* The stored HTML of a post's content: blocks or wpautop, shortcodes,
 * uploads URLs, the sanitizer, white space as wpautop leaves it. Appends
 * to html; -1 when a step failed. */
int import_body_convert(struct imp *im, const char *content, struct buf *html);

/* The stored HTML and the plain text of item it's content (allocated
 * from p); a body that cannot be converted is imported empty, with a
 * warning, and -1. Set im->post_id and im->owner first. */
int import_body_item(struct imp *im, struct pool *p, const struct wxr_item *it, const char **html,
		     const char **text);

/* A title as plain text: WordPress titles may hold HTML (<em>,
 * <strong>, entities); Gazette's titles are text, escaped where shown. */
const char *import_title_text(struct pool *p, const char *title);

/* Plain text of a WordPress text field (comment, excerpt): markup removed
 * by the sanitizer when there is any, white space trimmed. -1 on error. */
int import_body_text(const char *s, struct buf *out);

/* The summary WordPress's <!--more--> marks: the plain text of content
 * before it; NULL when content has none (or nothing before it). */
const char *import_body_teaser(struct pool *p, const char *content);

/* An excerpt for a story without one: the first paragraph of text, cut
 * at a word past 240 bytes with an ellipsis. Allocated from p. */
const char *import_body_excerpt(struct pool *p, const char *text);

/* ---- import_report.c: counters, warnings, progress and the summary */

/* Counts name in s (the first NAMES_MAX distinct names are kept). */
void import_names_add(struct names *s, const char *name);

/* A warning line for the report (the first 200 kept, all counted). */
void import_warn(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Progress on im->o->progress: a bar redrawn in place or a line every 5 s;
 * final ends it. */
void import_progress(struct imp *im, int final);

/* Monotonic seconds, for the report's timings. */
double import_now(void);

/* Appends the summary of the import of path to r. */
void import_report_write(struct imp *im, struct buf *r, const char *path);

#endif
