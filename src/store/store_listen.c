/*
 * store_listen: the listening side of the change notifications (see
 * store_listen.h); store_commit (store_open.c) sends them.
 */
#include "store_listen.h"
#include "store_int.h"
#include "db_pg.h"
#include "../util/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char SQL_LISTEN[] = "LISTEN " STORE_CHANGES_CHANNEL;
/* asked when the connection has been quiet a while (a half-open link
 * passes no notification and says nothing) */
static const char SQL_PING[] = "SELECT 1";

struct store_listener {
	pthread_t thread;
	char *spec;
	void (*fn)(void *arg, long long seq);
	void (*on)(void *arg, int connected);
	void *arg;
	_Atomic int stop;
	int idle_ms, answer_ms;  /* the ping: after idle_ms quiet, answered in answer_ms */
	long long heard;         /* the last notification or answer (ms) */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void notified(void *arg, const char *channel, const char *payload)
{
	struct store_listener *l = arg;
	l->heard = now_ms();
	if (strcmp(channel, STORE_CHANGES_CHANNEL) != 0)
		return;
	char *end;
	long long seq = strtoll(payload ? payload : "", &end, 10);
	l->fn(l->arg, end != payload && seq > 0 ? seq : 0);
}

static void *loop(void *arg)
{
	struct store_listener *l = arg;
	int said_down = 0;
	while (!atomic_load(&l->stop)) {
		struct pgc *c = NULL;
		char err[512];
		if (pg_connect(l->spec, &c, err, sizeof err) || pg_exec(c, SQL_LISTEN)) {
			if (!said_down) /* once per outage, not every retry */
				log_error("listen: %s: retrying every %d ms", c ? pg_errmsg(c) : err,
					  STORE_LISTEN_RETRY_MS);
			said_down = 1;
			if (c)
				pg_close(c);
			pause_ms(STORE_LISTEN_RETRY_MS);
			continue;
		}
		if (said_down)
			log_info("listen: connected again; the cache catches up from the change log");
		said_down = 0;
		l->on(l->arg, 1);
		l->fn(l->arg, 0); /* what changed while nobody listened */
		l->heard = now_ms();
		while (!atomic_load(&l->stop) && pg_wait_notify(c, 200, notified, l) == 0) {
			if (now_ms() - l->heard < l->idle_ms)
				continue;
			if (pg_exec_within(c, SQL_PING, l->answer_ms))
				break; /* lost: connected again, caught up from the log */
			l->heard = now_ms();
		}
		l->on(l->arg, 0);
		if (!atomic_load(&l->stop)) {
			log_error("listen: connection lost: %s", pg_errmsg(c));
			said_down = 1;
		}
		pg_close(c);
	}
	return NULL;
}

struct store_listener *store_listen_start(const char *spec, void (*fn)(void *arg, long long seq),
					  void (*on)(void *arg, int connected), void *arg)
{
	if (!spec || !store_spec_pg(spec))
		return NULL;
	struct store_listener *l = calloc(1, sizeof *l);
	if (!l || !(l->spec = strdup(spec))) {
		free(l);
		log_error("listen: out of memory");
		return NULL;
	}
	/* GAZETTE_PG_PING_MS="IDLE,ANSWER" for tests (hidden) */
	const char *ping = getenv("GAZETTE_PG_PING_MS");
	l->idle_ms = STORE_LISTEN_IDLE_MS;
	l->answer_ms = STORE_LISTEN_ANSWER_MS;
	if (ping && sscanf(ping, "%d,%d", &l->idle_ms, &l->answer_ms) != 2) {
		l->idle_ms = STORE_LISTEN_IDLE_MS;
		l->answer_ms = STORE_LISTEN_ANSWER_MS;
	}
	l->fn = fn;
	l->on = on;
	l->arg = arg;
	if (pthread_create(&l->thread, NULL, loop, l) != 0) {
		log_error("listen: cannot start its thread");
		free(l->spec);
		free(l);
		return NULL;
	}
	return l;
}

void store_listen_stop(struct store_listener *l)
{
	if (!l)
		return;
	atomic_store(&l->stop, 1);
	pthread_join(l->thread, NULL);
	free(l->spec);
	free(l);
}
