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
 * A batch is one transaction, or two: its posts whose status is known
 * before it runs go first, each stored only if SQL finds it no duplicate
 * and its stamp unspent (write_quick: one round trip on PostgreSQL);
 * the rest, and those the first refused, in a transaction that asks
 * before it writes and says why (write_checked).
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
#include <sodium.h>
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
	int quick;        /* in the quick transaction (mark_quick) */
	int unless_known; /* quick, but judge would approve it from a known commenter */
	int settled;      /* its transaction committed (a result, an id if stored) */
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

/* Whether the post's status is known before its transaction runs: it is
 * held whoever wrote it, or unless its author is a known commenter
 * (it->unless_known: judge would approve it then), and it subscribes to
 * nothing (a subscription needs the comment's id). Its status is set;
 * mark_quick says whether it goes in the quick transaction. */
static int known_before(struct item *it)
{
	enum comment_status unknown = it->judge(it->c, 0, it->judge_arg);
	if (it->c->notify || unknown == COMMENT_APPROVED)
		return 0;
	it->c->status = unknown;
	it->unless_known = it->judge(it->c, 1, it->judge_arg) != unknown;
	return 1;
}

/* Whether it meets an earlier quick post whose refusal by the quick
 * transaction would come out otherwise written in order: its stamp (a
 * post refused as a duplicate leaves it unspent, and says so only if no
 * later post spent it meanwhile), or, for a known commenter's post
 * (unless_known, then stored, approved, by write_checked), its address. */
static int after_unsettled(const struct item *batch, const struct item *it)
{
	for (const struct item *e = batch; e != it; e = e->next)
		if ((e->unless_known && !strcmp(e->c->email, it->c->email)) ||
		    (e->stamp && it->stamp && !strcmp(e->stamp->key, it->stamp->key)))
			return 1;
	return 0;
}

/* Marks the batch's quick posts: those from its head that the quick
 * transaction can write ahead of all that follows them without changing
 * what becomes of any post (as if the batch were written in its order):
 * up to the first that is not quick, or that meets an earlier one
 * (after_unsettled). How many. */
static int mark_quick(struct item *batch)
{
	int n = 0, on = 1;
	for (struct item *it = batch; it; it = it->next) {
		on = on && known_before(it) && !after_unsettled(batch, it);
		it->quick = on;
		n += on;
	}
	return n;
}

/* A purge of expired stamps in a batch's transaction (purge_before). */
struct purge {
	long long now, before, limit;
	struct db_ans ans;
};

/* Queues the purge when one is due; spending: the most stamps the
 * transaction may spend. */
static void purge_later(struct store *st, const struct item *batch, long spending,
			struct purge *p)
{
	p->now = http_now_ns();
	p->before = purge_before(batch, p->now);
	p->limit = PURGE_MIN + 2 * (spent_since + spending);
	p->ans = (struct db_ans){ .rc = DB_DONE };
	if (p->before)
		store_stamps_purge_later(st, p->before, (int)p->limit, &p->ans);
}

/* After its transaction committed, having spent `spent` stamps. */
static void purge_done(const struct purge *p, long spent)
{
	if (!p->before) {
		spent_since += spent;
		return;
	}
	purged_at = p->now;
	purge_more = p->ans.changes >= p->limit;
	spent_since = 0;
}

/* The quick posts (mark_quick) in one transaction, with the purge if one is
 * due, and on PostgreSQL in one round trip with its COMMIT
 * (store_commit_queued): each post's stamp is spent and its comment
 * inserted only if it is to be stored (store_comment_insert_if_later),
 * so no answer is waited for in between. Those stored are settled; the
 * others (a duplicate, a stamp spent, a known commenter that judge would
 * approve) are left to write_checked, which finds out why. 0, or -1 when
 * it failed (its transaction is then to be rolled back). */
static int write_quick(struct store *st, struct item *batch)
{
	if (store_begin_queued(st) != STORE_OK)
		return -1;
	long stamps = 0;
	for (struct item *it = batch; it; it = it->next) {
		if (!it->quick)
			continue;
		unsigned long long r;
		randombytes_buf(&r, sizeof r);
		store_comment_insert_if_later(st, it->c, it->stamp ? it->stamp->key : NULL,
					      it->stamp ? it->stamp->shown_at : 0,
					      (long long)(r >> 1 | 1), it->unless_known, &it->spend,
					      &it->insert);
		stamps += it->stamp != NULL;
	}
	struct purge purge;
	purge_later(st, batch, stamps, &purge);
	if (store_commit_queued(st) != STORE_OK)
		return -1;
	long spent = 0;
	for (struct item *it = batch; it; it = it->next)
		if (it->quick && it->insert.rc == DB_ROW) {
			it->settled = 1;
			it->result = CQ_STORED;
			it->id = it->insert.value;
			spent += it->stamp != NULL;
		}
	purge_done(&purge, spent);
	return 0;
}

/* The batch's posts not settled by write_quick, in one transaction that
 * asks before it writes. On PostgreSQL its statements go in two round
 * trips whatever their number (store_flush): the transaction's BEGIN and
 * each post's checks (duplicate, stamp, known commenter); then the stamps
 * of those to be stored, the purge and their inserts, with the COMMIT
 * when no comment is approved or subscribed (store_commit_queued).
 * Otherwise the COMMIT follows each approved comment's recount and its
 * thread's rendering, and each subscription. A stamp's spend is refused
 * if it was spent (a writer without the writers' lock, under which
 * decide() saw it unspent): the transaction is then undone with it. 0, or
 * -1 when it failed. */
static int write_checked(struct store *st, struct item *batch)
{
	int failed = store_begin_queued(st) != STORE_OK;
	for (struct item *it = batch; it && !failed; it = it->next)
		if (!it->settled)
			store_comment_checks_later(st, it->c, it->stamp ? it->stamp->key : NULL,
						   &it->checks);
	failed = failed || store_flush(st) != STORE_OK;
	int plain = 1; /* nothing to run between the queue and the COMMIT */
	long spent = 0; /* stamps this transaction spends */
	for (struct item *it = batch; it && !failed; it = it->next) {
		if (it->settled)
			continue;
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
	if (failed)
		return -1;
	struct purge purge;
	purge_later(st, batch, spent, &purge);
	if (plain)
		failed = store_commit_queued(st) != STORE_OK;
	else {
		store_threads_mark_end_later(st); /* after the batch's last marking write */
		failed = store_flush(st) != STORE_OK || finish(st, batch) || store_commit(st) != STORE_OK;
	}
	if (failed)
		return -1;
	for (struct item *it = batch; it; it = it->next)
		if (!it->settled) {
			it->settled = 1;
			it->id = it->insert.value;
		}
	purge_done(&purge, spent);
	return 0;
}

/* Inserts one batch; every item gets a result. Its quick posts go first
 * (write_quick, mark_quick), the others and the quick ones not stored
 * after (write_checked), each transaction with its own COMMIT: a post is
 * answered only once its own is durable. */
static void write_batch(struct store *st, struct item *batch)
{
	unsigned long long outages = store_outages();
	/* the leader's own request may have had a read cancelled (a lock
	 * waited out): that fails no one else's comment */
	store_settle_cancel(st);
	int left = 0, failed = mark_quick(batch) && write_quick(st, batch);
	for (struct item *it = batch; it; it = it->next)
		left += !it->settled;
	failed = failed || (left && write_checked(st, batch));
	if (failed) {
		log_error("comment batch: %s", store_errmsg(st));
		store_rollback(st);
		for (struct item *it = batch; it; it = it->next)
			if (!it->settled) {
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
	pthread_mutex_lock(&lock);
	*queue_tail = &me;
	queue_tail = &me.next;
	depth++; /* once queued: a test that waits for it finds it there */
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
