/*
 * store_stamp: comment-form stamps already spent (issue 12). A stamp is
 * good for one comment per client: readers who load a cached page in the
 * same 100 ms share one stamp, so what is kept is a keyed hash of the
 * stamp and the client (comment_form.c makes it; no address is stored),
 * with the time the form was shown. A row is needed only while its stamp
 * could still be accepted, so rows older than comment_form_max_age are
 * purged, a bounded number at a time, by the comment queue's batches.
 * Nothing here touches the change log: no page shows a stamp's use.
 */
#ifndef GZ_STORE_STAMP_H
#define GZ_STORE_STAMP_H

#include "store.h"

/* 1 when key is spent, 0 when not, STORE_ERROR. */
int store_stamp_spent(struct store *st, const char *key);
/* Marks key spent by a form shown at shown_at (seconds), inside the
 * caller's transaction: 1 marked now, 0 already spent, STORE_ERROR. */
int store_stamp_spend(struct store *st, const char *key, long long shown_at);
/* Deletes at most limit stamps shown before `before` (seconds); returns
 * how many went, or STORE_ERROR. */
int store_stamps_purge(struct store *st, long long before, int limit);

#endif
