/*
 * store_slots: the ad and analytics slots' declared origins and the
 * audit log (content/slot.h for what they mean). The slots' HTML is kept
 * in settings (store_settings_put logs "site": every page shows a slot);
 * store_slot_html reads one and reports "site".
 *
 * Origin writes log "site" too: a cached page's prebuilt response carries
 * the CSP it was made with, so every page is made again under the new
 * policy. Writers run inside the caller's transaction.
 */
#ifndef GZ_STORE_SLOTS_H
#define GZ_STORE_SLOTS_H

#include "store.h"

struct slot_origin {
	const char *origin; /* "https://ads.example:8443" */
	unsigned uses;      /* bits: 1 script, 2 image, 4 connect, 8 frame */
	long long added_at;
};

struct audit_entry {
	long long id, at, user_id; /* user_id 0: the account is gone */
	const char *user_name;     /* "" when gone */
	const char *action, *detail;
};

/* A slot's stored HTML (settings key `key`): "" when none. Reports "site". */
int store_slot_html(struct store *st, struct pool *p, const char *key, const char **html);

/* Every declared origin, in order of the origin text. */
int store_slot_origins(struct store *st, struct pool *p, struct slot_origin **out, size_t *n);
/* STORE_CONFLICT when the origin is declared already. */
int store_slot_origin_add(struct store *st, const char *origin, unsigned uses);
/* STORE_NOTFOUND when it is not declared. */
int store_slot_origin_delete(struct store *st, const char *origin);

/* Appends a row to the audit log: now, by user_id, action and detail. */
int store_audit_add(struct store *st, long long user_id, const char *action, const char *detail);
/* The newest `limit` rows, newest first. */
int store_audit_list(struct store *st, struct pool *p, size_t limit, struct audit_entry **out,
		     size_t *n);

#endif
