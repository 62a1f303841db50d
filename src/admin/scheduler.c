/*
 * scheduler: the publishing clock (see scheduler.h). The thread sleeps on
 * a condition variable with a timeout, so stopping the server wakes it at
 * once; each run is one transaction, so a story and everything derived
 * from it (related lists, search rows by trigger, the change log that
 * drops cached pages) appear together.
 */
#include "scheduler.h"
#include "../backup/backup.h"
#include "../content/publish.h"
#include "../http/http.h"
#include "../mail/mail.h"
#include "../store/store.h"
#include "../site/site.h"
#include "../stats/metrics.h"
#include "../stats/reads.h"
#include "../store/store_duty.h"
#include "../store/store_moderation.h"
#include "../store/store_reads.h"
#include "../store/store_session.h"
#include "../store/store_story.h"
#include "../store/store_thread.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct scheduler {
	const struct site *site;  /* the one it started with (no server: the only one) */
	/* the generation its connection's hooks (site.on_store) point at */
	const void *gen;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	int poked;   /* scheduler_wake: work is waiting */
	long long backup_after; /* a failed daily backup is tried again from then */
	int backup_said;        /* PostgreSQL: why there is none, logged */
};

/* The process's running scheduler, for scheduler_wake. */
static struct scheduler *running;
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;

static int publish_due(struct store *st, long long now, size_t *published)
{
	struct pool *p = pool_new();
	long long *ids = NULL;
	size_t n = 0;
	int rc = store_stories_due(st, p, now, &ids, &n);
	*published = 0;
	if (rc == STORE_OK && n) {
		rc = store_begin(st);
		for (size_t i = 0; rc == STORE_OK && i < n; i++) {
			int r = store_story_publish_scheduled(st, ids[i], now);
			if (r < 0)
				rc = STORE_ERROR;
			else if (r == 1) {
				(*published)++;
				log_info("scheduler: published story %lld", ids[i]);
			}
		}
		if (rc == STORE_OK && *published)
			rc = store_related_mark_due(st); /* refresh_related, next */
		if (rc == STORE_OK)
			rc = store_commit(st);
		if (rc)
			store_rollback(st);
	}
	pool_free(p);
	return rc;
}

/* 1 when this node does duty d now: on PostgreSQL the first node to ask
 * for it, until its connection ends (store_duty.h); a node taking it over
 * says so. */
static int duty(struct store *st, enum store_duty d)
{
	int taken;
	int r = store_duty_claim(st, d, &taken);
	if (r < 0)
		log_error("scheduler: %s: %s", store_duty_name(d), store_errmsg(st));
	else if (taken)
		log_info("scheduler: this node does %s now", store_duty_name(d));
	return r == 1;
}

int scheduler_run(struct store *st, const struct site *site, long long now, size_t *published)
{
	*published = 0;
	int rc = duty(st, DUTY_PUBLISH) ? publish_due(st, now, published) : STORE_OK;
	size_t purged = 0;
	if (rc == STORE_OK && duty(st, DUTY_PURGE) && store_begin(st) == STORE_OK) {
		int r = store_mod_purge(st, now - SCHEDULER_PURGE_DAYS * 86400LL, &purged);
		if (r == STORE_OK)
			r = store_sessions_purge(st, now - site->cfg.session_idle,
						 now - site->cfg.session_lifetime);
		if (r == STORE_OK)
			r = store_commit(st);
		if (r)
			store_rollback(st);
		else if (purged)
			log_info("scheduler: purged %zu old spam and trash comments", purged);
	}
	return rc;
}

/* Comment threads left stale (written by another program, a changed
 * theme or nesting limit): built a batch per transaction, so a writer
 * waits for one batch at most. Pages render their comments until then. */
static void build_threads(struct scheduler *s, struct store *st)
{
	size_t built, total = 0;
	do {
		built = 0;
		if (store_begin(st))
			break;
		if (store_threads_rebuild(st, SCHEDULER_THREAD_BATCH, &built) || store_commit(st)) {
			log_error("scheduler: comment threads: %s", store_errmsg(st));
			store_rollback(st);
			break;
		}
		total += built;
		pthread_mutex_lock(&s->lock);
		if (s->stop)
			built = 0;
		pthread_mutex_unlock(&s->lock);
		/* the next batch only while the duty is still this node's */
	} while (built == SCHEDULER_THREAD_BATCH && store_duty_held(st, DUTY_THREADS));
	if (total)
		log_info("scheduler: rendered %zu comment threads", total);
}

struct flush {
	struct store *st;
	long long hour;
	int rc;
};

static void flush_one(void *arg, const char *slug, unsigned count)
{
	struct flush *f = arg;
	if (!f->rc)
		f->rc = store_reads_add(f->st, slug, f->hour, count);
}

/* the hour the Most read ranking was last made in (the scheduler's
 * thread, and tests calling it in turn) */
static _Atomic long long ranked_hour = -1;

int scheduler_flush_reads(struct store *st, const struct site *site, long long now)
{
	long long hour = now / 3600;
	struct flush f = { st, hour, 0 };
	if (store_begin(st))
		return -1;
	size_t n = reads_take(site->reads, flush_one, &f);
	/* new counts, or the window slid by an hour: rank again, and drop
	 * the pages showing Most read only if its order changed */
	int rank = n || atomic_load(&ranked_hour) != hour, changed = 0;
	if (!f.rc && rank)
		f.rc = store_reads_rank(st, hour - (SCHEDULER_READS_WINDOW - 1), &changed);
	if (!f.rc && changed)
		f.rc = store_reads_touch(st);
	if (!f.rc)
		f.rc = store_reads_purge(st, now / 3600 - SCHEDULER_READS_HOURS);
	if (!f.rc)
		f.rc = store_commit(st);
	if (f.rc) {
		store_rollback(st);
		return -1;
	}
	if (rank)
		atomic_store(&ranked_hour, hour);
	return 0;
}

static long long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Related lists marked due by a save: read every story in one snapshot and
 * compute without holding the write lock (seconds on a big site), then
 * write the lists that changed in a short transaction. A save made
 * meanwhile marks them due again, and the loop comes back. */
int scheduler_refresh_related(struct store *st)
{
	long long seq;
	int rc = store_related_due(st, &seq);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc)
		return -1;
	struct pool *p = pool_new();
	struct related_lists r;
	struct timespec t0, t1, t2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = store_read_begin(st) || publish_compute_related(st, p, &r);
	store_read_end(st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc && !(rc = store_begin(st))) {
		rc = publish_store_related(st, &r) || store_related_done(st, seq) || store_commit(st);
		if (rc)
			store_rollback(st);
	}
	clock_gettime(CLOCK_MONOTONIC, &t2);
	if (!rc)
		log_info("scheduler: related lists of %zu stories: %lld ms computing, %lld ms writing",
			 r.n, ms_between(&t0, &t1), ms_between(&t1, &t2));
	pool_free(p);
	return rc ? -1 : 1;
}

/* The daily backup's own thread: named, and at SCHEDULER_BACKUP_NICE, as
 * `gazette backup` runs, so its reading, summing and writing yield the
 * cores to readers. Only this thread: the scheduler's own duties hold
 * the write lock, and a starved holder would make every writer wait
 * (nice applies to one thread: setpriority(2) on a thread id). */
struct backup_job {
	const struct site *site;
	long long now;
	char *name;
	size_t namelen;
	char *err;
	size_t errlen;
	int rc;
	int nice; /* the priority it ran at, as the kernel reports it */
};

static void *backup_thread(void *arg)
{
	struct backup_job *j = arg;
	/* the priority first, then the name: a thread seen as gz-backup
	 * already runs at its nice (backup.test.js counts on it) */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), SCHEDULER_BACKUP_NICE))
		log_error("scheduler: backup: cannot lower its priority: %s", strerror(errno));
	pthread_setname_np(pthread_self(), "gz-backup");
	errno = 0;
	j->nice = getpriority(PRIO_PROCESS, (id_t)gettid());
	j->rc = backup_daily(j->site->dir, j->site->db_path, j->site->cfg.backup_dir,
			     j->site->cfg.backup_keep, j->now, j->name, j->namelen, j->err, j->errlen);
	return NULL;
}

/* The day's backup once its UTC date has none (backup.h), on a thread of
 * its own (backup_thread) that this one waits for: a large site's backup
 * delays the other duties, never a reader.
 * One that failed (a full disk) is tried again an hour later, not at
 * every run. */
static void daily_backup(struct scheduler *s, const struct site *site)
{
	char name[600], err[1024];
	long long now = (long long)time(NULL);
	if (!site->cfg.backup_dir[0] || now < s->backup_after)
		return;
	if (store_spec_pg(site->db_path)) { /* said once, not every run */
		if (!s->backup_said)
			log_info("scheduler: no daily backup: the site's database is PostgreSQL's, "
				 "with no file to copy; back it up with pg_dump (docs/deploy.md)");
		s->backup_said = 1;
		return;
	}
	struct backup_job j = { site, now, name, sizeof name, err, sizeof err, 0, 0 };
	pthread_t t;
	if (pthread_create(&t, NULL, backup_thread, &j) == 0)
		pthread_join(t, NULL);
	else
		backup_thread(&j); /* no thread to spare: here, at this thread's priority */
	int rc = j.rc;
	if (rc < 0) {
		log_error("scheduler: backup: %s (trying again in an hour)", err);
		s->backup_after = now + SCHEDULER_BACKUP_RETRY;
	} else if (rc > 0)
		log_info("scheduler: backup %s written (at nice %d)", name, j.nice);
}

static long long mono_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec;
}

/* The site generation current now, held for one run (as a request holds
 * it, so a reload's settings reach the scheduler at its next run and the
 * one it uses is never retired under it), with the connection's hooks
 * pointed at it; *ref goes to http_site_release. Without a server, the
 * site it started with. */
static const struct site *site_hold(struct scheduler *s, struct store *st, const void **ref)
{
	const struct site *site = http_site_hold(ref);
	if (!site)
		return s->site;
	if (*ref != s->gen) { /* its connection was opened with s->site */
		char err[256];
		if (site_secret_load(site, st, err, sizeof err)) /* its mail's links are signed */
			log_error("scheduler: %s", err);
		if ((s->gen || site != s->site) && site->tpl && site->on_store)
			site->on_store(site, st);
		s->gen = *ref;
	}
	return site;
}

/* One run of the newsroom's clock (every schedule_interval, or woken). */
static void work(struct scheduler *s, struct store *st, const struct site *site)
{
	size_t n;
	if (scheduler_run(st, site, (long long)time(NULL), &n))
		log_error("scheduler: %s", store_errmsg(st));
	if (scheduler_flush_reads(st, site, (long long)time(NULL)))
		log_error("scheduler: story reads: %s", store_errmsg(st));
	if (duty(st, DUTY_THREADS))
		build_threads(s, st);
	int r = 0;
	/* between runs, the duty still held on the connection that took it */
	for (int runs = 0; runs < 8; runs++) {
		int mine = runs ? store_duty_held(st, DUTY_RELATED) : duty(st, DUTY_RELATED);
		if (!mine || (r = scheduler_refresh_related(st)) != 1)
			break;
	}
	if (r < 0)
		log_error("scheduler: related lists: %s", store_errmsg(st));
	daily_backup(s, site);
	metrics_count(METRIC_SCHEDULER_RUNS);
}

/* Waits up to seconds, or until stopped: 1 when stopped. */
static int nap(struct scheduler *s, long long seconds)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&s->lock);
	while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
		;
	int stop = s->stop;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

/* The scheduler's connection, tried until it is made (a database down
 * at start, or coming back): after 1 s, then doubling to
 * SCHEDULER_RETRY_MAX; said once per outage, and again when the reason
 * changes (down, then refusing). NULL when stopped first. */
static struct store *connect_retrying(struct scheduler *s)
{
	struct store *st = NULL;
	char err[256];
	long long wait = 1;
	int said = 0, rc;
	while ((rc = site_store_open(s->site, &st, err, sizeof err))) {
		if (said != rc)
			log_error("scheduler: %s (trying again, every %d s at most)", err,
				  SCHEDULER_RETRY_MAX);
		said = rc;
		st = NULL;
		if (nap(s, wait))
			return NULL;
		wait = wait * 2 < SCHEDULER_RETRY_MAX ? wait * 2 : SCHEDULER_RETRY_MAX;
	}
	if (said)
		log_info("scheduler: connected to the database: running");
	return st;
}

static void *loop(void *arg)
{
	struct scheduler *s = arg;
	pthread_setname_np(pthread_self(), "gz-scheduler"); /* for top -H, ps -L */
	struct store *st = connect_retrying(s);
	if (!st)
		return NULL;
	/* threads of another theme or nesting limit wait to be rebuilt */
	if (store_begin(st) || store_threads_restale(st) || store_commit(st)) {
		log_error("scheduler: %s", store_errmsg(st));
		store_rollback(st);
	}
	pthread_mutex_lock(&s->lock);
	long long mail_at = 0, work_at = 0; /* monotonic seconds of the next runs */
	int woken = 0;
	while (!s->stop) {
		pthread_mutex_unlock(&s->lock);
		long long mono = mono_seconds();
		const void *ref;
		const struct site *site = site_hold(s, st, &ref);
		if (mono >= work_at || woken) {
			work(s, st, site);
			work_at = mono + site->cfg.schedule_interval;
		}
		/* mail on its own clock (mail_interval): made and sent here,
		 * never by a request, so a dead relay delays only mail */
		if (mono >= mail_at) {
			/* never a link signed without the site's secret */
			if (atomic_load(&site->secret_ready) && duty(st, DUTY_MAIL))
				mail_run(st, site, (long long)time(NULL));
			mail_at = mono_seconds() + site->cfg.mail_interval;
		}
		http_site_release(ref);
		long long next = work_at < mail_at ? work_at : mail_at;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += next > mono_seconds() ? next - mono_seconds() : 0;
		pthread_mutex_lock(&s->lock);
		while (!s->stop && !s->poked &&
		       pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
			;
		woken = s->poked;
		s->poked = 0;
	}
	pthread_mutex_unlock(&s->lock);
	/* the reads counted since the last run, kept across a restart (every
	 * generation shares the first one's counts) */
	const void *ref;
	const struct site *site = site_hold(s, st, &ref);
	if (scheduler_flush_reads(st, site, (long long)time(NULL)))
		log_error("scheduler: story reads: %s", store_errmsg(st));
	http_site_release(ref);
	store_close(st);
	return NULL;
}

struct scheduler *scheduler_start(const struct site *site)
{
	struct scheduler *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->site = site;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->thread, NULL, loop, s) != 0) {
		log_error("scheduler: cannot start its thread");
		free(s);
		return NULL;
	}
	pthread_mutex_lock(&running_lock);
	running = s;
	pthread_mutex_unlock(&running_lock);
	return s;
}

void scheduler_stop(struct scheduler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&running_lock);
	if (running == s)
		running = NULL;
	pthread_mutex_unlock(&running_lock);
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void scheduler_wake(void)
{
	pthread_mutex_lock(&running_lock);
	struct scheduler *s = running;
	if (s) {
		pthread_mutex_lock(&s->lock);
		s->poked = 1;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&running_lock);
}
