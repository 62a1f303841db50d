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

/* Whether a key is spent: store_comment_checks_later (store.h). */
/* Marks key spent by a form shown at shown_at (seconds), inside the
 * caller's transaction, as a later call (store_flush): a->rc is
 * DB_CONSTRAINT when it was spent already (on PostgreSQL the transaction
 * is then fit only for its ROLLBACK). */
void store_stamp_spend_later(struct store *st, const char *key, long long shown_at,
			     struct db_ans *a);
/* Deletes at most limit stamps shown before `before` (seconds), later:
 * a->changes says how many went. */
void store_stamps_purge_later(struct store *st, long long before, int limit, struct db_ans *a);

#endif
