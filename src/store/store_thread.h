/*
 * store_thread: each story's comment thread as HTML, rendered when its
 * comments change rather than when a reader asks (comment_thread.h renders
 * it). A story page then reads one row instead of every comment.
 *
 * Triggers (schema.h) drop a story's thread row and mark it stale in the
 * very transaction that changes what the thread shows: an approved
 * comment written, edited, moved or taken away, the story's address
 * changed. So a reader never gets an out-of-date thread; at worst none,
 * and the page renders the comments itself.
 *
 * Stale threads are rebuilt by the builder registered on the connection:
 * store_commit runs it before COMMIT on the stories its own transaction
 * marked (up to STORE_THREADS_PER_COMMIT, newer than the newest mark when
 * store_begin ran), so a new comment's thread lands with the comment.
 * Anything older (rows written by another program, a changed theme, a
 * thread that failed to build) is left to store_threads_rebuild, which the
 * server's scheduler thread calls in batches.
 *
 * A thread is stored with a variant: a hash of what else decides its HTML
 * (the comment template, the nesting limit). A row of another variant is
 * treated as missing.
 */
#ifndef GZ_STORE_THREAD_H
#define GZ_STORE_THREAD_H

#include "store.h"

#define STORE_THREADS_PER_COMMIT 32

/* Renders story_id's thread and stores it with store_thread_put (or, for
 * a story that is gone, does nothing). Runs inside the writer's
 * transaction. 0 ok; non-zero leaves the story stale. */
typedef int (*store_thread_builder)(void *arg, struct store *st, long long story_id);
void store_set_thread_builder(struct store *st, store_thread_builder fn, void *arg,
			      unsigned long long variant);

/* The stored thread: STORE_OK with *html set ("" for no comments), or
 * STORE_NOTFOUND when none of this variant is stored. */
int store_thread_get(struct store *st, struct pool *p, long long story_id,
		     unsigned long long variant, const char **html);
/* Stores a thread and clears its stale mark. */
int store_thread_put(struct store *st, long long story_id, unsigned long long variant,
		     const char *html);
/* Marks stale every stored thread of another variant than the builder's
 * (after a theme or nesting-limit change). */
int store_threads_restale(struct store *st);
/* Rebuilds up to limit stale threads, newest marks first, in the open
 * transaction; *built says how many were built (a story that failed is
 * moved behind the others). The scheduler calls it with a transaction per
 * batch. */
int store_threads_rebuild(struct store *st, size_t limit, size_t *built);
/* For store_begin and store_commit: remember the newest mark (read now,
 * or with queued, sent with the transaction's first store_flush), then
 * rebuild the marks made since (errors leave them stale). */
int store_threads_mark_start(struct store *st, int queued);
int store_threads_rebuild_own(struct store *st);
/* A writer that queued the last write of its transaction that can mark
 * a thread (a comment's insert or change) may queue this after it: when
 * no mark is newer than at store_begin, store_commit then skips the
 * round trip that looks for threads to build. */
void store_threads_mark_end_later(struct store *st);
/* Stale threads waiting (for tests and the scheduler's loop). */
int store_threads_stale_count(struct store *st, long long *n);

#endif
