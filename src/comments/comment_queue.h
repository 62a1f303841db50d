/*
 * comment_queue: group commit for reader comments. Every post waits for
 * its own transaction to be on disk before it is answered; when several
 * posts arrive together, the first becomes the leader and writes all that
 * are waiting in one transaction, so one fsync acknowledges them all.
 */
#ifndef GZ_COMMENT_QUEUE_H
#define GZ_COMMENT_QUEUE_H

#include "../store/store.h"

enum cq_result { CQ_STORED, CQ_DUPLICATE, CQ_STAMP_SPENT, CQ_ERROR };

/* The form stamp a reader's comment spends (store_stamp.h): the comment
 * is stored only if key was not spent, and spends it in the same
 * transaction. The batch also purges stamps shown before purge_before. */
struct cq_stamp {
	const char *key;
	long long shown_at, purge_before; /* seconds */
};

/* Decides approved/pending for one comment, known when its name and
 * email have an approved comment; returns its status. The batch's leader
 * asks it, for both answers before the transaction that finds out which
 * holds (it may have become known moments ago) or once that transaction
 * has, so it must be cheap and do nothing else. */
typedef enum comment_status (*cq_judge_fn)(const struct comment *c, int known, void *arg);

/* Stores c (with c->status set by judge) durably, using st if this thread
 * leads the batch. *id is set when CQ_STORED. Duplicates (same story,
 * email and text, also within one batch) are refused, then a comment
 * whose stamp (NULL: none) was spent (CQ_STAMP_SPENT, also by an earlier
 * post of the same batch); a refused comment spends nothing. */
enum cq_result comment_queue_insert(struct store *st, struct comment *c,
				    const struct cq_stamp *stamp, cq_judge_fn judge,
				    void *judge_arg, long long *id);

/* Posts waiting for, or in, a group commit now (for /metrics). */
long comment_queue_depth(void);

#endif
