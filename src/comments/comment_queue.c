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
 * stamp without its comment; a batch a second (or the next, while
 * expired ones wait) purges a bounded number of expired stamps, always
 * more than were spent since the last purge, so the table cannot grow
 * beyond the stamps of one comment_form_max_age.
 */
#include "comment_queue.h"
#include "../http/http.h"
#include "../store/store_health.h"
#include "../store/store_mail.h"
#include "../store/store_stamp.h"
#include "../store/store_thread.h"
#include "../util/log.h"

#include <pthread.h>
#include <string.h>
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
	struct db_ans checks, spend, insert; /* its statements' answers */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t written = PTHREAD_COND_INITIALIZER;
static struct item *queue_head, **queue_tail = &queue_head;
static int writing;
static _Atomic long depth; /* posts queued or being written (comment_queue_depth) */

/* Expired stamps: a batch purges when a second has passed since the last
 * purge, or when that one met its limit (more are waiting). Its limit is
 * PURGE_MIN plus twice the stamps spent since, so the table never grows
 * by more than it sheds. Between purges no batch pays for the look (the
 * query scans the whole table until PostgreSQL has counted its rows). */
#define PURGE_MIN 64
#define PURGE_EVERY_NS 1000000000LL
static long long purged_at; /* when (http_now_ns); 0: due */
static int purge_more;      /* the last purge deleted its whole limit */
static long spent_since;    /* stamps spent by batches since */

static int same_text(const struct comment *a, const struct comment *b)
{
	return a->story_id == b->story_id && !strcmp(a->email, b->email) &&
	       !strcmp(a->body, b->body);
}

/* What becomes of it, decided in the batch's order, as if each post
 * before it were already written (their duplicate and stamp queries went
 * before any of them was; the writers' lock makes those answers final):
 * a stamp spent before or by an earlier post being stored (a form sent
 * twice comes back, as for any spent stamp), then a duplicate of a
 * stored comment or of an earlier post being stored. */
static enum cq_result decide(const struct item *batch, const struct item *it)
{
	int dup = (it->checks.value & STORE_CHECK_DUPLICATE) != 0,
	    spent = it->stamp && (it->checks.value & STORE_CHECK_SPENT) != 0;
	for (const struct item *e = batch; e != it; e = e->next) {
		if (e->result != CQ_STORED)
			continue;
		dup = dup || same_text(e->c, it->c);
		spent = spent || (it->stamp && e->stamp && !strcmp(e->stamp->key, it->stamp->key));
	}
	return spent ? CQ_STAMP_SPENT : dup ? CQ_DUPLICATE : CQ_STORED;
}

/* The expired stamps to purge now: those of the batch's first stamped
 * post's purge_before (every post reads the same setting); 0 for none. */
static long long purge_before(const struct item *batch, long long now)
{
	if (!purge_more && purged_at && now - purged_at < PURGE_EVERY_NS)
		return 0;
	for (const struct item *it = batch; it; it = it->next)
		if (it->stamp)
			return it->stamp->purge_before;
	return 0;
}

/* A stored comment's reply subscription, with it (its trigger queues the
 * confirmation mail, mail/mail.h); none for spam, or the site would mail
 * whatever address a spammer typed. */
static int subscribes(const struct comment *c)
{
	return c->notify && c->status != COMMENT_SPAM;
}

/* The statements a batch runs one by one between its queue and its
 * COMMIT: each approved comment's recount, each subscription. 0, or -1
 * when one failed. */
static int finish(struct store *st, struct item *batch)
{
	for (struct item *it = batch; it; it = it->next) {
		if (it->result != CQ_STORED)
			continue;
		if (store_comment_insert_done(st, it->c) != STORE_OK ||
		    (subscribes(it->c) &&
		     store_mail_subscribe(st, it->insert.value, it->c->email, it->c->created_at) != STORE_OK))
			return -1;
	}
	return 0;
}

/* Inserts one batch in one transaction; every item gets a result. On
 * PostgreSQL its statements go in two round trips whatever the batch's
 * size (store_flush): the transaction's BEGIN and each post's checks
 * (duplicate, stamp, known commenter); then the stamps of those to be
 * stored, the purge and their inserts, with the COMMIT when no comment
 * is approved or subscribed (store_commit_queued). Otherwise the COMMIT
 * follows each approved comment's recount and its thread's rendering,
 * and each subscription. A stamp's spend is refused if it was spent (a
 * writer without the writers' lock, under which decide() saw it
 * unspent): the batch is then undone with it. */
static void write_batch(struct store *st, struct item *batch)
{
	unsigned long long outages = store_outages();
	/* the leader's own request may have had a read cancelled (a lock
	 * waited out): that fails no one else's comment */
	store_settle_cancel(st);
	int failed = store_begin_queued(st) != STORE_OK;
	for (struct item *it = batch; it && !failed; it = it->next)
		store_comment_checks_later(st, it->c, it->stamp ? it->stamp->key : NULL, &it->checks);
	failed = failed || store_flush(st) != STORE_OK;
	int plain = 1; /* nothing to run between the queue and the COMMIT */
	long spent = 0; /* stamps this batch spends */
	for (struct item *it = batch; it && !failed; it = it->next) {
		if (it->checks.rc != DB_ROW) {
			failed = 1;
			break;
		}
		/* a refused comment spends nothing */
		it->result = decide(batch, it);
		if (it->result != CQ_STORED)
			continue;
		it->c->status = it->judge(it->c, (it->checks.value & STORE_CHECK_KNOWN) != 0,
					  it->judge_arg);
		plain = plain && it->c->status != COMMENT_APPROVED && !subscribes(it->c);
		if (it->stamp) {
			store_stamp_spend_later(st, it->stamp->key, it->stamp->shown_at, &it->spend);
			spent++;
		}
		store_comment_insert_later(st, it->c, &it->insert);
	}
	struct db_ans purged = { .rc = DB_DONE };
	long long now = http_now_ns(), before = purge_before(batch, now);
	long long limit = PURGE_MIN + 2 * (spent_since + spent);
	if (!failed && before)
		store_stamps_purge_later(st, before, (int)limit, &purged);
	if (!failed && plain)
		failed = store_commit_queued(st) != STORE_OK;
	else if (!failed) {
		store_threads_mark_end_later(st); /* after the batch's last marking write */
		failed = store_flush(st) != STORE_OK || finish(st, batch) || store_commit(st) != STORE_OK;
	}
	for (struct item *it = batch; it && !failed; it = it->next)
		it->id = it->insert.value;
	if (!failed && before) {
		purged_at = now;
		purge_more = purged.changes >= limit;
		spent_since = 0;
	} else if (!failed) {
		spent_since += spent;
	}
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
