/*
 * import: a WordPress export (WXR) moved into a Gazette site, in one store
 * transaction: authors become users (no password: they must set one),
 * categories sections, tags tags, posts and pages stories with their
 * dates, slugs and threaded comments, and every old permalink a redirect.
 *
 * Decisions (docs/import.md has the full mapping):
 *  - statuses: publish -> published, future -> scheduled, draft -> draft,
 *    pending -> pending; private and password-protected posts -> draft with
 *    a warning (they were not public); trash, auto-draft and revisions are
 *    skipped and reported.
 *  - pages become stories without a section (Gazette has no pages yet);
 *    their old /path/ redirects to the story.
 *  - categories are flat sections (the parent chain is kept only in the
 *    old /category/a/b/ redirects); a post's first category other than
 *    "uncategorized" is its section, further categories become tags.
 *  - other taxonomies' terms are kept as tags and reported.
 *  - comments keep status and threading; pingbacks and trackbacks are
 *    skipped and reported. Comment HTML becomes plain text.
 *  - items are matched by WordPress ID within the same source site: an
 *    item already imported is left alone (with --update, replaced when its
 *    content changed); new comments on it are still added.
 */
#ifndef GZ_IMPORT_H
#define GZ_IMPORT_H

#include <signal.h>
#include <stdio.h>

#include "../util/buf.h"

struct store;

struct import_opts {
	const char *uploads;    /* a copy of wp-content/uploads, or NULL */
	const char *media_dir;  /* the site's media folder */
	long av_limit;          /* largest audio or video file taken (media_upload_limit); 0: the default */
	int dry_run;            /* do everything, report, roll back */
	int update;             /* re-import items whose content changed */
	FILE *progress;         /* progress output (NULL: none) */
	int progress_bar;       /* 1: a redrawn bar (a TTY), 0: plain lines */
	volatile sig_atomic_t *interrupted; /* set by a signal handler: stop, roll back */
};

/* Imports the WXR file at path. 0 ok (report appended); -1 with err set
 * ("FILE:LINE:COL: message" for XML errors) and nothing written. */
int import_wordpress(struct store *st, const char *path, const struct import_opts *o,
		     struct buf *report, char *err, size_t errlen);

#endif
