/*
 * comment_queue: leader/follower group commit (see comment_queue.h).
 *
 * Posts join a queue under one mutex. A poster that finds no batch being
 * written becomes the leader: it takes everything queued, writes it in one
 * transaction on its own connection, and wakes the followers with their
 * results; posts that arrived meanwhile form the next batch. Followers'
 * comment data lives in their request pools, which stay alive because
 * they are blocked waiting.
 */
#include "comment_queue.h"
#include "../util/log.h"

#include <pthread.h>

struct item {
	struct item *next;
	struct comment *c;
	cq_judge_fn judge;
	void *judge_arg;
	long long id;
	enum cq_result result;
	int done;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t written = PTHREAD_COND_INITIALIZER;
static struct item *queue_head, **queue_tail = &queue_head;
static int writing;

/* Inserts one batch in one transaction; every item gets a result. */
static void write_batch(struct store *st, struct item *batch)
{
	int failed = store_begin(st) != STORE_OK;
	for (struct item *it = batch; it && !failed; it = it->next) {
		struct comment *c = it->c;
		int dup = store_comment_is_duplicate(st, c->story_id, c->author, c->email, c->body);
		if (dup < 0) {
			failed = 1;
			break;
		}
		if (dup) {
			it->result = CQ_DUPLICATE;
			continue;
		}
		c->status = it->judge(st, c, it->judge_arg);
		if (store_comment_insert(st, c, &it->id) != STORE_OK)
			failed = 1;
		else
			it->result = CQ_STORED;
	}
	if (!failed && store_commit(st) != STORE_OK)
		failed = 1;
	if (failed) {
		log_error("comment batch: %s", store_errmsg(st));
		store_rollback(st);
		for (struct item *it = batch; it; it = it->next)
			it->result = CQ_ERROR;
	}
}

enum cq_result comment_queue_insert(struct store *st, struct comment *c, cq_judge_fn judge,
				    void *judge_arg, long long *id)
{
	struct item me = { .c = c, .judge = judge, .judge_arg = judge_arg };
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
	if (me.result == CQ_STORED)
		*id = me.id;
	return me.result;
}
