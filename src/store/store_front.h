/*
 * store_front: the edited front page (issue 15): pinned stories (one
 * lead, up to FRONT_FEATURED_MAX featured ones in the editors' order),
 * the breaking-news banner and the section blocks. Each pin and the
 * banner may carry an expiry (unix seconds UTC, 0: never).
 *
 * The reads take `now` and leave out what expired, and report the tag
 * "front" plus, for pins, the stories' own tags (dep_stories), so an
 * edit to a pinned story drops the home page as a pin change does. The
 * page cache learns of an expiry through the page's cache_ttl (the
 * soonest expiry shown), not the change log: nothing is written when
 * the clock passes it. Writes run in the caller's transaction, purge
 * what expired, and log "front".
 */
#ifndef GZ_STORE_FRONT_H
#define GZ_STORE_FRONT_H

#include "store.h"

#define FRONT_FEATURED_MAX 8   /* featured pins, the lead not counted */
#define FRONT_BLOCK_MAX 12     /* stories in one section block */

struct front_pin {
	struct story story;    /* its summary columns; status as stored */
	int lead;              /* 1: the lead story, else featured */
	long long expires_at;  /* 0: never */
	int place;             /* the editors' order among the featured */
};

struct front_banner {
	const char *text, *url;
	long long expires_at;
};

struct front_block {
	struct section section; /* id, name, path ... (no depth) */
	int count;              /* stories shown, 1..FRONT_BLOCK_MAX */
};

/* The pins not expired at now, the lead first, then the featured ones in
 * order, with any status (the page shows the published ones; the admin
 * lists them all). */
int store_front_pins(struct store *st, struct pool *p, long long now, struct front_pin **out,
		     size_t *n);
/* The banner, STORE_NOTFOUND when none or expired at now. */
int store_front_banner(struct store *st, struct pool *p, long long now, struct front_banner *out);
/* The section blocks, in order. */
int store_front_blocks(struct store *st, struct pool *p, struct front_block **out, size_t *n);

/* Pins story_id (which must be published: else STORE_INVALID) as the lead
 * (the former lead is unpinned) or as the last featured story; pinning a
 * pinned story changes its place only from featured to lead or back, and
 * sets its expiry. STORE_INVALID (message in store_errmsg) when
 * FRONT_FEATURED_MAX featured stories are pinned already; STORE_NOTFOUND
 * when there is no such story. */
int store_front_pin(struct store *st, long long story_id, int lead, long long expires_at,
		    long long now);
/* STORE_NOTFOUND when it was not pinned. */
int store_front_unpin(struct store *st, long long story_id, long long now);
/* A featured story one place earlier (delta -1) or later (+1). */
int store_front_pin_move(struct store *st, long long story_id, int delta, long long now);
/* Sets the banner; text "" removes it. */
int store_front_banner_set(struct store *st, const char *text, const char *url,
			   long long expires_at, long long now);
/* Adds section_id's block at the end, or sets its count when it has one.
 * STORE_NOTFOUND when there is no such section. */
int store_front_block_put(struct store *st, long long section_id, int count);
/* STORE_NOTFOUND when the section had no block. */
int store_front_block_remove(struct store *st, long long section_id);
int store_front_block_move(struct store *st, long long section_id, int delta);

#endif
