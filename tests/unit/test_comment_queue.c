/*
 * Unit tests for the comment group commit (src/comments/comment_queue.c)
 * on SQLite: posts that meet in one batch become what they would become
 * written one by one in the batch's order, whichever of its two
 * transactions (quick, checked) writes them. A batch is made by holding
 * its leader in judge (which the leader asks) while the next posts queue
 * behind it: they form the batch after.
 */
#include "t.h"
#include "t_store.h"
#include "../../src/store/store.h"
#include "../../src/store/store_user.h"
#include "../../src/comments/comment_queue.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

static char path[128];
static long long story;

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int gate_in, gate_open;

/* The first batch's judge: waits until the test opens the gate. */
static enum comment_status gate(const struct comment *c, int known, void *arg)
{
	pthread_mutex_lock(&m);
	gate_in = 1;
	pthread_cond_broadcast(&cv);
	while (!gate_open)
		pthread_cond_wait(&cv, &m);
	pthread_mutex_unlock(&m);
	return COMMENT_PENDING;
}

/* comment_form.c's, with known commenters approved at once (the default) */
static enum comment_status judge(const struct comment *c, int known, void *arg)
{
	return known ? COMMENT_APPROVED : COMMENT_PENDING;
}

struct post {
	struct comment c;
	struct cq_stamp stamp;
	cq_judge_fn fn;
	enum cq_result r;
	long long id;
	pthread_t t;
};

/* One post on a connection of its own, as a server worker's. */
static void *run(void *arg)
{
	struct post *p = arg;
	struct store *own;
	char err[256];
	p->r = CQ_ERROR;
	if (store_open(&own, path, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	p->r = comment_queue_insert(own, &p->c, &p->stamp, p->fn, NULL, &p->id);
	store_rollback(own);
	store_close(own);
	return NULL;
}

static struct post post(const char *author, const char *body, const char *stamp, int notify)
{
	return (struct post){ .c = { .story_id = story, .author = author, .email = author,
				     .url = "", .body = body, .body_html = body, .ip = "127.0.0.1",
				     .user_agent = "", .user_role = "", .notify = notify },
			      .stamp = { stamp, 100, 0 },
			      .fn = judge };
}

static void wait_depth(long n)
{
	while (comment_queue_depth() < n)
		nanosleep(&(struct timespec){ 0, 1000000L }, NULL);
}

/* v[0..n) posted in that order, in one batch. */
static void one_batch(struct post *v, int n)
{
	static int round;
	static char key[16][32];
	snprintf(key[round % 16], sizeof key[0], "gate-%d", round);
	struct post g = post("gate@example.org", key[round % 16], key[round % 16], 0);
	round++;
	g.fn = gate;
	gate_in = gate_open = 0;
	pthread_create(&g.t, NULL, run, &g);
	pthread_mutex_lock(&m);
	while (!gate_in)
		pthread_cond_wait(&cv, &m);
	pthread_mutex_unlock(&m);
	for (int i = 0; i < n; i++) {
		pthread_create(&v[i].t, NULL, run, &v[i]);
		wait_depth(i + 2);
	}
	pthread_mutex_lock(&m);
	gate_open = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&m);
	pthread_join(g.t, NULL);
	CHECK(g.r == CQ_STORED);
	for (int i = 0; i < n; i++)
		pthread_join(v[i].t, NULL);
}

/* New commenters, held: all stored in the quick transaction, each with
 * its own id, a form sent twice stored once. */
static void test_held_together(void)
{
	struct post v[] = { post("ann@example.org", "One.", "held-1", 0),
			    post("bob@example.org", "Two.", "held-2", 0),
			    post("bob@example.org", "Two again.", "held-2", 0),
			    post("cy@example.org", "Two.", "held-3", 0) };
	one_batch(v, 4);
	CHECK(v[0].r == CQ_STORED && v[1].r == CQ_STORED && v[3].r == CQ_STORED);
	CHECK(v[2].r == CQ_STAMP_SPENT);
	CHECK(v[0].c.status == COMMENT_PENDING && v[3].c.status == COMMENT_PENDING);
	CHECK(v[0].id > 0 && v[1].id > v[0].id && v[3].id > v[1].id);
}

/* A known commenter's post (approved: written by the checked
 * transaction), then the same text from the same address under another
 * name (held: quick): the first is stored, approved; the second is its
 * duplicate. */
static void test_known_first(void)
{
	struct post v[] = { post("kim@example.org", "Hello again.", "tab-1", 0),
			    post("kim@example.org", "Hello again.", "tab-2", 0) };
	v[1].c.author = "Kim B.";
	one_batch(v, 2);
	CHECK(v[0].r == CQ_STORED && v[0].c.status == COMMENT_APPROVED);
	CHECK(v[1].r == CQ_DUPLICATE);
}

/* One form sent twice, the first asking for replies by mail (written by
 * the checked transaction, for its subscription): the first is stored,
 * the second refused for its spent stamp. */
static void test_notify_first(void)
{
	struct post v[] = { post("lee@example.org", "Reply to me.", "form-1", 1),
			    post("lee@example.org", "Reply to me!", "form-1", 0) };
	one_batch(v, 2);
	CHECK(v[0].r == CQ_STORED);
	CHECK(v[1].r == CQ_STAMP_SPENT);
}

/* Held posts whose judge says the same of a known commenter (the rules
 * hold them, or known commenters are not approved at once): a duplicate,
 * then another post with the duplicate's stamp. Written in order, the
 * duplicate is refused as one (its stamp unspent), and the later post is
 * stored, spending it. */
static enum comment_status hold(const struct comment *c, int known, void *arg)
{
	return COMMENT_PENDING;
}

static void test_dup_then_same_stamp(void)
{
	struct post v[] = { post("dee@example.org", "Same.", "dup-a", 0),
			    post("dee@example.org", "Same.", "dup-b", 0),
			    post("eve@example.org", "Other.", "dup-b", 0) };
	for (int i = 0; i < 3; i++)
		v[i].fn = hold;
	one_batch(v, 3);
	CHECK(v[0].r == CQ_STORED);
	CHECK(v[1].r == CQ_DUPLICATE);
	CHECK(v[2].r == CQ_STORED);
}

int main(void)
{
	struct store *st = t_store_open("comment-queue");
	if (!st)
		return 1;
	snprintf(path, sizeof path, "%s/gazette.db", t_store_dir);
	long long author = 0, id = 0;
	struct story s = { .slug = "s", .title = "s", .excerpt = "", .body_md = "x",
			   .body_html = "<p>x</p>", .status = STORY_PUBLISHED, .lang = "" };
	struct comment known = { .story_id = 0, .author = "kim@example.org",
				 .email = "kim@example.org", .url = "", .body = "Approved before.",
				 .body_html = "", .ip = "", .user_agent = "", .user_role = "",
				 .status = COMMENT_APPROVED };
	if (store_user_create(st, "Ann", "ann", "ann@example.org", ROLE_EDITOR, "", &author) ||
	    (s.author.id = author, store_story_insert(st, &s, &story)) ||
	    (known.story_id = story, store_comment_insert(st, &known, &id))) {
		fprintf(stderr, "%s\n", store_errmsg(st));
		return t_store_close(st, 1);
	}
	RUN(test_held_together);
	RUN(test_known_first);
	RUN(test_notify_first);
	RUN(test_dup_then_same_stamp);
	return t_store_close(st, T_DONE());
}
