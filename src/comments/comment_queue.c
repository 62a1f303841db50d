/*
 * comment_queue: leader/follower group commit (see comment_queue.h).
 *
 * Posts join a queue under one mutex. A poster that finds no batch being
 * written becomes the leader: it takes everything queued, writes it in one
 * transaction on its own connection, and wakes the followers with their
 * results; posts that arrived meanwhile form the next batch. Followers'
 * comment data lives in their request pools, which stay alive because
 * they are blocked waiting.
 *
 * A comment's form stamp is spent in the transaction that stores it, so a
 * crash never leaves a stored comment with its stamp unspent or a spent
 * stamp without its comment; each batch purges a bounded number of
 * expired stamps, always more than it spends, so the table cannot grow
 * beyond the stamps of one comment_form_max_age.
 */
#include "comment_queue.h"
#include "../store/store_health.h"
#include "../store/store_mail.h"
#include "../store/store_stamp.h"
#include "../util/log.h"

#include <pthread.h>
#include <stdatomic.h>

struct item {
	struct item *next;
	struct comment *c;
	const struct cq_stamp *stamp;
	cq_judge_fn judge;
	void *judge_arg;
	long long id;
	enum cq_result result;
	unsigned long long outages; /* the leader's connection lost meanwhile */
	int done;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t written = PTHREAD_COND_INITIALIZER;
static struct item *queue_head, **queue_tail = &queue_head;
static int writing;
static _Atomic long depth; /* posts queued or being written (comment_queue_depth) */

#define PURGE_MIN 64 /* expired stamps a batch may delete, plus 2 per post */

/* CQ_STORED when it may be inserted (its stamp then spent), another
 * result when refused, or -1 on a store error. */
static int admit(struct store *st, const struct item *it)
{
	const struct comment *c = it->c;
	int dup = store_comment_is_duplicate(st, c->story_id, c->author, c->email, c->body);
	if (dup)
		return dup < 0 ? -1 : CQ_DUPLICATE;
	if (!it->stamp)
		return CQ_STORED;
	int fresh = store_stamp_spend(st, it->stamp->key, it->stamp->shown_at);
	if (fresh <= 0)
		return fresh < 0 ? -1 : CQ_STAMP_SPENT;
	return CQ_STORED;
}

/* Deletes expired stamps, a bounded number: those of the batch's first
 * stamped post's purge_before (every post reads the same setting). */
static int purge_stamps(struct store *st, const struct item *batch)
{
	long long before = 0;
	int n = 0;
	for (const struct item *it = batch; it; it = it->next, n++)
		if (it->stamp && !before)
			before = it->stamp->purge_before;
	return before && store_stamps_purge(st, before, PURGE_MIN + 2 * n) < 0;
}

/* Inserts one batch in one transaction; every item gets a result. */
static void write_batch(struct store *st, struct item *batch)
{
	unsigned long long outages = store_outages();
	int failed = store_begin(st) != STORE_OK;
	for (struct item *it = batch; it && !failed; it = it->next) {
		int r = admit(st, it);
		if (r < 0) {
			failed = 1;
			break;
		}
		it->result = (enum cq_result)r;
		if (r != CQ_STORED)
			continue;
		it->c->status = it->judge(st, it->c, it->judge_arg);
		if (store_comment_insert(st, it->c, &it->id) != STORE_OK)
			failed = 1;
		/* the reply subscription with its comment (its trigger queues
		 * the confirmation mail, mail/mail.h); none for spam, or the
		 * site would mail whatever address a spammer typed */
		else if (it->c->notify && it->c->status != COMMENT_SPAM &&
			 store_mail_subscribe(st, it->id, it->c->email, it->c->created_at) != STORE_OK)
			failed = 1;
	}
	if (!failed && purge_stamps(st, batch))
		failed = 1;
	if (!failed && store_commit(st) != STORE_OK)
		failed = 1;
	if (failed) {
		log_error("comment batch: %s", store_errmsg(st));
		store_rollback(st);
		for (struct item *it = batch; it; it = it->next) {
			it->result = CQ_ERROR;
			it->outages = store_outages() - outages;
		}
	}
}

enum cq_result comment_queue_insert(struct store *st, struct comment *c,
				    const struct cq_stamp *stamp, cq_judge_fn judge,
				    void *judge_arg, long long *id)
{
	struct item me = { .c = c, .stamp = stamp, .judge = judge, .judge_arg = judge_arg };
	depth++;
	pthread_mutex_lock(&lock);
	*queue_tail = &me;
	queue_tail = &me.next;
	while (!me.done) {
		if (writing) {
			pthread_cond_wait(&written, &lock);
			continue;
		}
		struct item *batch = queue_head;
		queue_head = NULL;
		queue_tail = &queue_head;
		writing = 1;
		pthread_mutex_unlock(&lock);
		write_batch(st, batch);
		pthread_mutex_lock(&lock);
		for (struct item *it = batch, *next; it; it = next) {
			next = it->next; /* a follower may leave as soon as done is set */
			it->done = 1;
		}
		writing = 0;
		pthread_cond_broadcast(&written);
	}
	pthread_mutex_unlock(&lock);
	depth--;
	/* a follower's post failed with the leader's connection: this
	 * request's outage too (a 503, not a 500) */
	if (me.result == CQ_ERROR && me.outages) /* (the leader's own count moved already) */
		store_outages_add(me.outages);
	if (me.result == CQ_STORED)
		*id = me.id;
	return me.result;
}

long comment_queue_depth(void)
{
	return depth;
}
