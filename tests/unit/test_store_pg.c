/*
 * Unit tests for store_open on PostgreSQL (issue 16), against a server of
 * its own (tests/unit/with_pg.sh, as test_db_pg.c does). What it proves:
 * store_spec_pg tells a postgresql:// or postgres:// URL from a SQLite
 * path; store_open on a URL applies the migrations (store_schema: the
 * build's version) and a second open finds them done; a write committed
 * on one store is read by another, whose store_data_version moved; a
 * page's read snapshot does not see a write committed after it began, and
 * the next snapshot does; a rolled-back write leaves nothing; the write
 * lock is the advisory lock every node takes (a second connection cannot
 * take it while a write is open); store_time_ns counts PostgreSQL's time;
 * a write a constraint refuses inside a transaction fails alone, and the
 * rest commits (as on SQLite); outside a snapshot (a form's post) the
 * settings cost one read of the change log's head per request, not one
 * per setting, and while the node's listener hears of no commit
 * (store_heard; cache_heard's count moves even for a notification a
 * sync went past, and with a reconnection) none from one request to the
 * next; a page's menus are kept per connection (no statement)
 * until something changed, and another node's new item is then read; e-mail is found whatever its case; a
 * commit that wrote change-log tags notifies the site database's channel
 * with the change log's newest seq (a rolled-back one does not), and
 * store_listen's thread reports it, after "connected" and a first "look";
 * a store whose connection the server ended (a restart) connects again by
 * itself at its next use, its statements prepared again, and a
 * transaction that lost its connection fails whole rather than go on
 * outside it; store_commit_queued sends the queued writes and the COMMIT
 * in one round trip, and a refused one undoes them all.
 */
#include "t.h"
#include "t_pg.h"
#include "t_comment_if.h"
#include "../../src/store/store.h"
#include "../../src/store/store_health.h"
#include "../../src/store/store_duty.h"
#include "../../src/store/store_user.h"
#include "../../src/store/store_listen.h"
#include "../../src/store/store_menu.h"
#include "../../src/store/store_thread.h"
#include "../../src/store/store_stamp.h"
#include "../../src/cli/cli.h"
#include "../../src/comments/comment_queue.h"
#include "../../src/cache/cache.h"
#include "../../src/store/db.h"
#include "../../src/util/pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char url[256];

static void test_spec(void)
{
	CHECK(store_spec_pg("postgresql://u@127.0.0.1:5432/db"));
	CHECK(store_spec_pg("postgres://h/db"));
	CHECK(!store_spec_pg("/srv/site/gazette.db"));
	CHECK(!store_spec_pg("postgresql"));
	CHECK(!store_spec_pg("site/postgresql://x")); /* a relative path, not a URL */
	CHECK(!store_spec_pg(""));
	/* reachable with Internet sockets only (1: from a chroot, too) */
	for (int chrooted = 0; chrooted < 2; chrooted++) {
		CHECK(store_spec_confinable("/srv/site/gazette.db", chrooted));
		CHECK(store_spec_confinable("./gazette.db", chrooted));
		CHECK(store_spec_confinable("postgresql://u:p@127.0.0.1:5432/db", chrooted));
		CHECK(store_spec_confinable("postgresql://u@[::1]/db", chrooted));
		CHECK(store_spec_confinable("postgresql://u@10.0.0.20,10.0.0.21/db", chrooted));
		CHECK(store_spec_confinable("postgresql://u@db.example/db?hostaddr=10.0.0.20", chrooted));
		CHECK(!store_spec_confinable("postgresql:///db", chrooted)); /* the default socket */
		CHECK(!store_spec_confinable("postgresql://u@%2Fvar%2Frun%2Fpostgresql/db", chrooted));
		CHECK(!store_spec_confinable("postgresql://u@/db?host=/var/run/postgresql", chrooted));
		CHECK(!store_spec_confinable("postgresql://u@10.0.0.20:5432/db?nonsense=1", chrooted));
	}
	/* a name needs the resolver's files, outside a chroot */
	CHECK(store_spec_confinable("postgresql://u@db.example:5432/db", 0));
	CHECK(!store_spec_confinable("postgresql://u@db.example:5432/db", 1));
	CHECK(store_spec_confinable("postgresql://u@10.0.0.20,db.example/db", 0));
	CHECK(!store_spec_confinable("postgresql://u@10.0.0.20,db.example/db", 1));
	CHECK(!store_spec_confinable("postgresql://u@10.0.0.20,%2Ftmp/db", 0)); /* one socket */
}

static struct store *open_pg(void) { return t_pg_open(url); }

static const char *setting(struct store *st, struct pool *p, const char *key)
{
	const char *v = NULL;
	return store_setting_get(st, p, key, &v) == STORE_OK && v ? v : "(none)";
}

/* 1 when another connection can take the writers' advisory lock now. */
static int write_lock_free(void)
{
	struct pgc *c;
	char err[256];
	if (pg_connect(url, &c, err, sizeof err))
		return -1;
	struct pgq *s;
	int rc = -1;
	/* "GzWrit", store_open.c's key */
	if (pg_prepare(c, "SELECT pg_try_advisory_lock(78590778698100)", &s) == 0) {
		if (pgq_step(s) == DB_ROW)
			rc = (int)pgq_col_int(s, 0);
		pgq_free(s);
	}
	pg_close(c);
	return rc;
}

static void test_open_write_read(void)
{
	struct store *a = open_pg(), *b = open_pg();
	CHECK(a && b);
	if (!a || !b)
		return;
	int have, want;
	CHECK(store_schema(b, &have, &want) == STORE_OK);
	CHECK(have == want && want > 0);

	struct pool *p = pool_new();
	long long v0, v1;
	CHECK(store_data_version(b, &v0) == STORE_OK);
	CHECK(store_read_begin(b) == STORE_OK); /* b's snapshot, before a's write */

	long long t0 = store_time_ns();
	CHECK(store_begin(a) == STORE_OK);
	/* the BEGIN and its lock go with the transaction's first statement */
	CHECK(write_lock_free() == 1);
	CHECK(store_setting_set(a, "site_title", "From A") == STORE_OK);
	CHECK(write_lock_free() == 0); /* a holds every node's write lock */
	CHECK(store_commit(a) == STORE_OK);
	CHECK(write_lock_free() == 1);
	CHECK(store_time_ns() > t0);

	CHECK_STR(setting(b, p, "site_title"), "(none)"); /* the old snapshot */
	store_read_end(b);
	CHECK(store_data_version(b, &v1) == STORE_OK);
	CHECK(v1 != v0);
	CHECK(store_read_begin(b) == STORE_OK);
	CHECK_STR(setting(b, p, "site_title"), "From A");
	store_read_end(b);

	CHECK(store_begin(a) == STORE_OK);
	CHECK(store_setting_set(a, "site_title", "Rolled back") == STORE_OK);
	CHECK(store_rollback(a) == STORE_OK);
	CHECK(write_lock_free() == 1);
	CHECK_STR(setting(b, p, "site_title"), "From A");

	pool_free(p);
	store_close(a);
	store_close(b);
}

/* A write a constraint refuses inside a transaction fails alone, as on
 * SQLite: the transaction goes on and commits the rest. */
static void test_conflict_in_transaction(void)
{
	struct store *st = open_pg();
	CHECK(st != NULL);
	if (!st)
		return;
	struct pool *p = pool_new();
	long long a = 0, b = 0;
	struct user u;
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_user_create(st, "Ann", "ann", "ann@example.org", ROLE_AUTHOR, NULL, &a) == STORE_OK);
	CHECK(store_user_create(st, "Ann Two", "ann", "ann2@example.org", ROLE_AUTHOR, NULL, &b) ==
	      STORE_CONFLICT); /* the slug is taken */
	CHECK(store_user_create(st, "Ann Two", "ann-2", "ann2@example.org", ROLE_AUTHOR, NULL, &b) ==
	      STORE_OK);
	CHECK(store_setting_set(st, "tagline", "After a conflict") == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(store_user_by_email(st, p, "ANN2@example.org", &u) == STORE_OK && u.id == b);
	CHECK_STR(setting(st, p, "tagline"), "After a conflict");
	pool_free(p);
	store_close(st);
}

static char heard[64];
static int nheard;

static void hear(void *arg, const char *channel, const char *payload)
{
	if (strcmp(channel, "gazette_changes") == 0) {
		snprintf(heard, sizeof heard, "%s", payload);
		nheard++;
	}
}

/* what store_listen's thread reported */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static long long seen[16];
static int nseen, connected;

static void on_seq(void *arg, long long seq)
{
	pthread_mutex_lock(&seen_lock);
	if (nseen < 16)
		seen[nseen++] = seq;
	pthread_mutex_unlock(&seen_lock);
}

static void on_conn(void *arg, int on)
{
	pthread_mutex_lock(&seen_lock);
	connected = on;
	pthread_mutex_unlock(&seen_lock);
}

/* nseen once it reaches n (or 5 s pass) */
static int wait_seen(int n)
{
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&seen_lock);
		int k = nseen;
		pthread_mutex_unlock(&seen_lock);
		if (k >= n)
			return k;
		nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
	}
	return nseen;
}

static void test_notify(void)
{
	struct store *st = open_pg();
	struct pgc *c = NULL;
	char err[256], want[64];
	CHECK(st && pg_connect(url, &c, err, sizeof err) == 0);
	if (!st || !c)
		return;
	CHECK(pg_exec(c, "LISTEN gazette_changes") == 0);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_setting_set(st, "site_title", "Notified") == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	long long head = 0;
	CHECK(store_changes_head(st, &head) == STORE_OK && head > 0);
	snprintf(want, sizeof want, "%lld", head);
	CHECK(pg_wait_notify(c, 2000, hear, NULL) == 0);
	CHECK(nheard == 1);
	CHECK_STR(heard, want);
	/* a rollback tells nobody */
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_setting_set(st, "site_title", "Never") == STORE_OK);
	CHECK(store_rollback(st) == STORE_OK);
	CHECK(pg_wait_notify(c, 300, hear, NULL) == 0);
	CHECK(nheard == 1);
	pg_close(c);

	/* the listener: connected, a first look (0), then each commit's seq */
	CHECK(store_listen_start("/srv/site/gazette.db", on_seq, on_conn, NULL) == NULL);
	struct store_listener *l = store_listen_start(url, on_seq, on_conn, NULL);
	CHECK(l != NULL);
	CHECK(wait_seen(1) == 1 && seen[0] == 0);
	CHECK(connected == 1);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_setting_set(st, "site_title", "Heard") == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(store_changes_head(st, &head) == STORE_OK);
	CHECK(wait_seen(2) == 2 && seen[1] == head);
	store_listen_stop(l);
	CHECK(connected == 0);
	store_close(st);
}

/* Ends every other client connection to the test database, as a server
 * restart would: 0, or -1. */
static int terminate_others(void) { return t_pg_terminate_others(url); }

static void test_reconnect(void)
{
	struct store *st = open_pg();
	CHECK(st != NULL);
	if (!st)
		return;
	struct pool *p = pool_new();
	long long head = 0, again = 0;
	int taken;
	CHECK(store_changes_head(st, &head) == STORE_OK); /* prepared on this connection */
	unsigned long long out0 = store_outages();
	CHECK(store_duty_claim(st, DUTY_MAIL, &taken) == 1 && taken == 1);
	CHECK(terminate_others() == 0);
	/* a read outside a transaction: connected again, prepared again */
	CHECK(store_changes_head(st, &again) == STORE_OK);
	CHECK(again == head);
	CHECK(store_outages() > out0); /* found broken, then made again */
	/* the duty's lock went with the old connection: taken again */
	CHECK(store_duty_claim(st, DUTY_MAIL, &taken) == 1 && taken == 1);
	/* a page's snapshot begun after a restart */
	CHECK(terminate_others() == 0);
	CHECK(store_read_begin(st) == STORE_OK);
	CHECK_STR(setting(st, p, "site_title"), "Heard");
	store_read_end(st);
	/* lost inside a write: the write fails, its rollback ends it, and the
	 * next one commits on a new connection */
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_setting_set(st, "site_title", "Before the cut") == STORE_OK);
	CHECK(terminate_others() == 0);
	CHECK(store_setting_set(st, "tagline", "Lost") != STORE_OK);
	CHECK(store_outages() > out0 + 1); /* a request failing so is a 503 */
	CHECK(store_commit(st) != STORE_OK);
	store_rollback(st);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_setting_set(st, "tagline", "After the cut") == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(store_read_begin(st) == STORE_OK);
	CHECK_STR(setting(st, p, "site_title"), "Heard"); /* the lost write is not there */
	CHECK_STR(setting(st, p, "tagline"), "After the cut");
	store_read_end(st);
	pool_free(p);
	store_close(st);
}

/* Two stores on the database: 0, or -1 (failed, none left open). */
static int open_two(struct store **a, struct store **b)
{
	*a = open_pg();
	*b = open_pg();
	CHECK(*a && *b);
	if (*a && *b)
		return 0;
	store_close(*a);
	store_close(*b);
	return -1;
}

/* key = val on st in a transaction of its own, committed: STORE_OK. */
static int set_committed(struct store *st, const char *key, const char *val)
{
	if (store_begin(st) != STORE_OK)
		return STORE_ERROR;
	if (store_setting_set(st, key, val) != STORE_OK) {
		store_rollback(st);
		return STORE_ERROR;
	}
	return store_commit(st);
}

/* Menu item x added on st in a transaction of its own, committed. */
static int add_committed(struct store *st, const struct menu_item *x)
{
	long long id;
	if (store_begin(st) != STORE_OK)
		return STORE_ERROR;
	if (store_menu_add(st, x, &id) != STORE_OK) {
		store_rollback(st);
		return STORE_ERROR;
	}
	return store_commit(st);
}

/* Outside a snapshot, the change log's head is read once, kept until the
 * connection's next transaction statement: the server's store_rollback
 * after each request ends a post's. */
static void test_settings_outside_snapshot(void)
{
	struct store *a, *b;
	if (open_two(&a, &b))
		return;
	struct pool *p = pool_new();
	CHECK(set_committed(b, "site_title", "One") == STORE_OK);
	CHECK_STR(setting(a, p, "site_title"), "One");
	long long n0 = pg_round_trips();
	CHECK_STR(setting(a, p, "site_title"), "One");
	CHECK_STR(setting(a, p, "site_title"), "One");
	CHECK(pg_round_trips() == n0); /* no head read for the second and third */
	CHECK(set_committed(b, "site_title", "Two") == STORE_OK);
	CHECK_STR(setting(a, p, "site_title"), "One"); /* the same request */
	store_rollback(a);                             /* its end */
	CHECK_STR(setting(a, p, "site_title"), "Two");
	/* a's own write, committed: seen at once */
	CHECK(set_committed(a, "site_title", "Three") == STORE_OK);
	CHECK_STR(setting(a, p, "site_title"), "Three");
	pool_free(p);
	store_close(a);
	store_close(b);
}

static void test_menus_kept(void)
{
	struct store *a, *b;
	if (open_two(&a, &b))
		return;
	struct pool *p = pool_new();
	struct menu_item x = { .menu = MENU_HEADER, .kind = MENU_LINK, .label = "One",
			       .url = "https://example.org/one" };
	CHECK(add_committed(b, &x) == STORE_OK);
	struct menu_item *v;
	size_t n, before;
	CHECK(store_read_begin(a) == STORE_OK);
	CHECK(store_menu(a, p, MENU_HEADER, &v, &before) == STORE_OK);
	CHECK(before >= 1 && !strcmp(v[before - 1].label, "One"));
	store_read_end(a);
	CHECK(store_read_begin(a) == STORE_OK);
	long long n0 = pg_round_trips();
	CHECK(store_menu(a, p, MENU_HEADER, &v, &n) == STORE_OK && n == before);
	CHECK(store_menu(a, p, MENU_FOOTER, &v, &n) == STORE_OK && n == 0);
	CHECK(pg_round_trips() == n0); /* kept: no statement */
	store_read_end(a);
	x.label = "Two";
	CHECK(add_committed(b, &x) == STORE_OK);
	CHECK(store_read_begin(a) == STORE_OK);
	CHECK(store_menu(a, p, MENU_HEADER, &v, &n) == STORE_OK && n == before + 1);
	CHECK(n == before + 1 && !strcmp(v[n - 1].label, "Two"));
	store_read_end(a);
	pool_free(p);
	store_close(a);
	store_close(b);
}

static int builds;
static long long built_story;

static int note_build(void *arg, struct store *st, long long story_id)
{
	builds++;
	built_story = story_id;
	return store_thread_put(st, story_id, *(unsigned long long *)arg, "built");
}

/* A writer's commit builds the threads its own statements marked stale:
 * statements run one by one after store_begin (the mark is read at the
 * BEGIN, before them), and statements queued after store_begin_queued
 * (the mark goes with the first flush, before them). */
static void test_thread_built_at_commit(void)
{
	struct store *a = open_pg();
	CHECK(a != NULL);
	if (!a)
		return;
	char dir[] = "/tmp/gz-thread-pg-XXXXXX", err[256];
	CHECK(mkdtemp(dir) != NULL);
	CHECK(demo_load(a, "demo", dir, 0, err, sizeof err) == 0);
	struct pool *p = pool_new();
	struct story seed;
	if (store_story_by_slug(a, p, "pakistan-azerbaijan-ties-strengthening-bonds-for-development",
				&seed) != STORE_OK) {
		CHECK(!"the demo's seed story");
		pool_free(p);
		store_close(a);
		return;
	}
	unsigned long long variant = 3;
	store_set_thread_builder(a, note_build, &variant, variant);
	size_t built = 0;
	long long stale = -1;
	CHECK(store_begin(a) == STORE_OK);
	CHECK(store_threads_rebuild(a, 1000, &built) == STORE_OK);
	CHECK(store_commit(a) == STORE_OK);
	CHECK(store_threads_stale_count(a, &stale) == STORE_OK && stale == 0);

	struct comment c = { .story_id = seed.id, .author = "Reader", .email = "r@example.com",
			     .url = "", .body = "One by one.", .body_html = "<p>One by one.</p>\n",
			     .ip = "127.0.0.1", .status = COMMENT_APPROVED, .created_at = 1720300000 };
	long long id = 0;
	builds = 0;
	CHECK(store_begin(a) == STORE_OK);
	CHECK(store_comment_insert(a, &c, &id) == STORE_OK);
	CHECK(store_commit(a) == STORE_OK);
	CHECK(builds == 1 && built_story == seed.id);
	CHECK(store_threads_stale_count(a, &stale) == STORE_OK && stale == 0);

	builds = 0;
	c.body = "Queued.";
	c.body_html = "<p>Queued.</p>\n";
	struct db_ans ins;
	CHECK(store_begin_queued(a) == STORE_OK);
	store_comment_insert_later(a, &c, &ins);
	store_threads_mark_end_later(a);
	CHECK(store_flush(a) == STORE_OK && ins.rc == DB_ROW && ins.value > id);
	CHECK(store_comment_insert_done(a, &c) == STORE_OK);
	CHECK(store_commit(a) == STORE_OK);
	CHECK(builds == 1 && built_story == seed.id);
	CHECK(store_threads_stale_count(a, &stale) == STORE_OK && stale == 0);

	/* a held comment marks nothing: nothing is built */
	builds = 0;
	c.body = "Held.";
	c.status = COMMENT_PENDING;
	CHECK(store_begin_queued(a) == STORE_OK);
	store_comment_insert_later(a, &c, &ins);
	store_threads_mark_end_later(a);
	CHECK(store_flush(a) == STORE_OK && ins.rc == DB_ROW);
	CHECK(store_commit(a) == STORE_OK);
	CHECK(builds == 0);

	pool_free(p);
	store_close(a);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* Runs sql on a connection of its own (another node, in effect: no store
 * of this process), then reads the change log's newest seq: it, or -1. */
static long long other_node(const char *sql)
{
	char err[256];
	struct pgc *c = NULL;
	struct pgq *q = NULL;
	long long seq = -1;
	if (pg_connect(url, &c, err, sizeof err) == 0 && pg_exec(c, sql) == 0 &&
	    pg_prepare(c, "SELECT max(seq) FROM changes", &q) == 0 && pgq_step(q) == DB_ROW)
		seq = pgq_col_int(q, 0);
	if (q)
		pgq_free(q);
	pg_close(c);
	return seq;
}

/* Another node sets the site's title and logs it: the change log's
 * newest seq, or -1. */
static long long other_node_title(const char *title)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE settings SET value = '%s' WHERE key = 'site_title';"
		 "INSERT INTO changes(tag, at) VALUES('site', 0)",
		 title);
	return other_node(sql);
}

/* With the node's listener connected (store_heard), the change log's head
 * read in one request serves the next ones, until the listener hears of
 * a commit (its count moves) or this process commits a change. */
static void test_head_kept_while_heard(void)
{
	struct store *a, *b;
	if (open_two(&a, &b))
		return;
	struct pool *p = pool_new();
	CHECK(set_committed(b, "site_title", "One") == STORE_OK);
	store_heard(a, 7);
	CHECK_STR(setting(a, p, "site_title"), "One");
	store_rollback(a); /* the request's end */
	long long n0 = pg_round_trips();
	CHECK_STR(setting(a, p, "site_title"), "One");
	CHECK(pg_round_trips() == n0); /* the next request reads no head */
	store_rollback(a);
	/* another node's commit (no store of this process), not heard of yet */
	CHECK(other_node_title("Two") > 0);
	CHECK_STR(setting(a, p, "site_title"), "One");
	store_rollback(a);
	store_heard(a, 8); /* heard of now */
	CHECK_STR(setting(a, p, "site_title"), "Two");
	store_rollback(a);
	/* this process's own commit, on another connection: at once */
	CHECK(set_committed(b, "site_title", "Three") == STORE_OK);
	CHECK_STR(setting(a, p, "site_title"), "Three");
	store_rollback(a);
	/* not listening (0): read once per request, as before */
	store_heard(a, 0);
	n0 = pg_round_trips();
	CHECK_STR(setting(a, p, "site_title"), "Three");
	CHECK(pg_round_trips() == n0 + 1);
	pool_free(p);
	store_close(a);
	store_close(b);
}

/* The same through the page cache's count: a notification the page
 * cache skips (another worker's sync read past it already) still moves
 * what store_heard is told, and so does the listener's reconnection. */
static void test_head_heard_through_cache(void)
{
	struct store *x, *w;
	if (open_two(&x, &w))
		return;
	struct cache *c = cache_new(1 << 20);
	struct pool *p = pool_new();
	unsigned long long gx = 0, gw = 0;
	cache_listening(c, 1);
	long long one = other_node_title("One");
	CHECK(one > 0);
	cache_announce(c, one);
	if (cache_stale(c, &gx))
		CHECK(cache_sync(c, x) == 0);
	store_heard(x, cache_heard(c));
	CHECK_STR(setting(x, p, "site_title"), "One");
	store_rollback(x);
	long long two = other_node_title("Two");
	CHECK(two > one);
	if (cache_stale(c, &gw)) /* worker w's request, before the notification */
		CHECK(cache_sync(c, w) == 0);
	cache_announce(c, two); /* skipped by cache_stale's count */
	CHECK(!cache_stale(c, &gx));
	store_heard(x, cache_heard(c));
	CHECK_STR(setting(x, p, "site_title"), "Two");
	store_rollback(x);
	/* lost and listening again, nothing announced yet: read again */
	long long three = other_node_title("Three");
	CHECK(three > two);
	cache_listening(c, 0);
	CHECK(cache_heard(c) == 0);
	cache_listening(c, 1);
	store_heard(x, cache_heard(c));
	CHECK_STR(setting(x, p, "site_title"), "Three");
	store_rollback(x);
	pool_free(p);
	cache_free(c);
	store_close(x);
	store_close(w);
}

/* key's stamp as st sees it: 1 spent, 0 not, -1 failed. */
static int stamp_spent(struct store *st, const char *key)
{
	return t_stamp_spent(st, 1, key);
}

/* store_commit_queued: the queued writes and the COMMIT in one round trip;
 * a write that fails undoes them all and leaves the transaction for its
 * ROLLBACK, after which the connection serves again. */
static void test_commit_queued(void)
{
	struct store *a, *b;
	if (open_two(&a, &b))
		return;
	struct db_ans one, two;
	CHECK(store_begin(a) == STORE_OK);
	store_stamp_spend_later(a, "queued-one", 100, &one);
	store_stamp_spend_later(a, "queued-two", 100, &two);
	long long n0 = pg_round_trips();
	CHECK(store_commit_queued(a) == STORE_OK);
	CHECK(pg_round_trips() == n0 + 1);
	CHECK(db_ans_ok(&one) && db_ans_ok(&two) && one.changes == 1 && two.changes == 1);
	CHECK(stamp_spent(b, "queued-one") == 1 && stamp_spent(b, "queued-two") == 1);

	/* spent again: refused, and the write before it undone */
	CHECK(store_begin(a) == STORE_OK);
	store_stamp_spend_later(a, "queued-three", 100, &one);
	store_stamp_spend_later(a, "queued-one", 100, &two);
	CHECK(store_commit_queued(a) == STORE_ERROR);
	CHECK(two.rc == DB_CONSTRAINT);
	CHECK(store_rollback(a) == STORE_OK);
	CHECK(write_lock_free() == 1); /* the transaction ended with it */
	CHECK(stamp_spent(b, "queued-three") == 0);
	/* b writes */
	CHECK(store_begin(b) == STORE_OK);
	store_stamp_spend_later(b, "queued-four", 100, &one);
	CHECK(store_commit_queued(b) == STORE_OK);
	CHECK(stamp_spent(a, "queued-four") == 1);
	store_close(a);
	store_close(b);
}

/* A store, and the demo's seed story's id in *story (the demo loaded by
 * test_thread_built_at_commit); NULL when either is missing. */
static struct store *open_on_seed(long long *story)
{
	struct store *st = open_pg();
	struct pool *p = pool_new();
	struct story seed;
	*story = st && store_story_by_slug(st, p, "pakistan-azerbaijan-ties-strengthening-bonds-for-development",
					   &seed) == STORE_OK
			 ? seed.id
			 : 0;
	pool_free(p);
	CHECK(*story > 0);
	if (*story > 0) {
		store_rollback(st);
		return st;
	}
	store_close(st);
	return NULL;
}

/* The comment batch's quick transaction: its conditions (t_comment_if.h),
 * and every post's spend and insert with the COMMIT in one round trip. */
static void test_comments_if_one_trip(void)
{
	long long story;
	struct store *a = open_on_seed(&story);
	if (!a)
		return;
	t_comments_if(a, story);
	struct comment c[3] = { t_comment(story, "one@example.org", "One trip."),
				t_comment(story, "two@example.org", "One trip."),
				t_comment(story, "three@example.org", "One trip.") };
	struct db_ans spend[3], insert[3];
	const char *stamp[3] = { "trip-1", "trip-2", NULL };
	long long n0 = pg_round_trips();
	CHECK(store_begin_queued(a) == STORE_OK);
	for (int i = 0; i < 3; i++)
		store_comment_insert_if_later(a, &c[i], stamp[i], 100, 7, 1, &spend[i], &insert[i]);
	CHECK(store_commit_queued(a) == STORE_OK);
	CHECK(pg_round_trips() == n0 + 1);
	CHECK(insert[0].rc == DB_ROW && insert[1].rc == DB_ROW && insert[2].rc == DB_ROW);
	CHECK(spend[0].changes == 1 && spend[1].changes == 1);
	CHECK(write_lock_free() == 1);
	store_close(a);
}

/* A form's post reads its story's summary from the connection's cache,
 * kept as the settings are (test_head_kept_while_heard): no round trip
 * while the listener heard nothing, another node's change once heard. */
static void test_summary_kept_while_heard(void)
{
	long long story;
	struct store *a = open_on_seed(&story);
	if (!a)
		return;
	struct pool *p = pool_new();
	struct story got;
	store_heard(a, 17);
	CHECK(store_story_summary_by_id(a, p, story, &got) == STORE_OK);
	long long was = got.revised_at;
	store_rollback(a);
	long long n0 = pg_round_trips();
	CHECK(store_story_summary_by_id(a, p, story, &got) == STORE_OK && got.id == story);
	CHECK(pg_round_trips() == n0);
	store_rollback(a);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE stories SET revised_at = %lld WHERE id = %lld;"
		 "INSERT INTO changes(tag, at) VALUES('story:%lld', 0)",
		 was + 1000, story, story);
	CHECK(other_node(sql) > 0);
	CHECK(store_story_summary_by_id(a, p, story, &got) == STORE_OK && got.revised_at == was);
	store_rollback(a);
	store_heard(a, 18);
	CHECK(store_story_summary_by_id(a, p, story, &got) == STORE_OK);
	CHECK(got.revised_at == was + 1000);
	store_rollback(a);
	pool_free(p);
	store_close(a);
}

static enum comment_status held(const struct comment *c, int known, void *arg)
{
	return COMMENT_PENDING;
}

/* A comment batch on a connection the server closed while it was idle (a
 * restart, an idle timeout): the batch, sent whole with its COMMIT, goes
 * on a new connection, found lost before it was sent (read_idle). */
static void test_batch_after_lost_connection(void)
{
	long long story, id = 0;
	struct store *a = open_on_seed(&story);
	if (!a)
		return;
	struct comment c = t_comment(story, "bea@example.org", "Before the cut.");
	struct cq_stamp k1 = { "lost-1", 100, 0 }, k2 = { "lost-2", 100, 0 };
	CHECK(comment_queue_insert(a, &c, &k1, held, NULL, &id) == CQ_STORED);
	store_rollback(a);
	CHECK(terminate_others() == 0);
	c.body = "After the cut.";
	CHECK(comment_queue_insert(a, &c, &k2, held, NULL, &id) == CQ_STORED && id > 0);
	store_rollback(a);
	store_close(a);
}

int main(int argc, char **argv)
{
	if (t_pg_url(argv[0], url, sizeof url))
		return 2;
	RUN(test_spec);
	RUN(test_open_write_read);
	RUN(test_conflict_in_transaction);
	RUN(test_settings_outside_snapshot);
	RUN(test_menus_kept);
	RUN(test_notify);
	RUN(test_reconnect);
	RUN(test_thread_built_at_commit);
	RUN(test_head_kept_while_heard);
	RUN(test_head_heard_through_cache);
	RUN(test_commit_queued);
	RUN(test_comments_if_one_trip);
	RUN(test_summary_kept_while_heard);
	RUN(test_batch_after_lost_connection);
	return T_DONE();
}
