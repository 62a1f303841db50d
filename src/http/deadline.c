/*
 * deadline: closes connections whose request headers are late, or whose
 * body falls behind the minimum rate (see deadline.h).
 *
 * Connections are kept in one list under one mutex, added and removed by
 * MHD's connection notifications. The sweeper only ever shutdown(2)s a
 * socket, never closes it, and does so holding the mutex; MHD removes a
 * connection from the list (CLOSED) before it closes the socket, so the
 * sweeper can never touch a descriptor that was reused.
 */
#include "deadline.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct entry {
	struct entry *prev, *next;
	struct deadline *dl;
	int fd;
	int armed;             /* waiting for a request's headers */
	int body;              /* receiving a body: `got` bytes since `since` */
	double since;
	size_t got;
};

struct deadline {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	struct entry head;     /* list sentinel */
	double seconds;
	double rate;           /* bytes/s a body must keep up after `seconds`; 0 off */
	int stop;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A body is late when it has taken longer than the grace (the header
 * deadline) plus the time its bytes so far would take at the minimum rate:
 * Apache's mod_reqtimeout "body=N,MinRate=R" rule. */
static int late_body(const struct deadline *dl, const struct entry *e, double t)
{
	return e->body && dl->rate > 0 && t - e->since > dl->seconds + (double)e->got / dl->rate;
}

static void *sweeper(void *arg)
{
	struct deadline *dl = arg;
	pthread_mutex_lock(&dl->lock);
	while (!dl->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&dl->wake, &dl->lock, &until);
		double t = now();
		for (struct entry *e = dl->head.next; e != &dl->head; e = e->next)
			if ((e->armed && t - e->since > dl->seconds) || late_body(dl, e, t)) {
				shutdown(e->fd, SHUT_RDWR);
				e->armed = e->body = 0;
			}
	}
	pthread_mutex_unlock(&dl->lock);
	return NULL;
}

struct deadline *deadline_new(unsigned seconds, unsigned rate)
{
	struct deadline *dl = calloc(1, sizeof *dl);
	if (!dl)
		return NULL;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dl->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&dl->lock, NULL);
	dl->head.next = dl->head.prev = &dl->head;
	dl->seconds = seconds;
	dl->rate = rate;
	if (pthread_create(&dl->thread, NULL, sweeper, dl)) {
		pthread_cond_destroy(&dl->wake);
		pthread_mutex_destroy(&dl->lock);
		free(dl);
		return NULL;
	}
	return dl;
}

void deadline_free(struct deadline *dl)
{
	if (!dl)
		return;
	pthread_mutex_lock(&dl->lock);
	dl->stop = 1;
	pthread_cond_signal(&dl->wake);
	pthread_mutex_unlock(&dl->lock);
	pthread_join(dl->thread, NULL);
	while (dl->head.next != &dl->head) { /* none after MHD_stop_daemon */
		struct entry *e = dl->head.next;
		e->prev->next = e->next;
		e->next->prev = e->prev;
		free(e);
	}
	pthread_cond_destroy(&dl->wake);
	pthread_mutex_destroy(&dl->lock);
	free(dl);
}

void deadline_notify(void *cls, struct MHD_Connection *con, void **socket_context,
		     enum MHD_ConnectionNotificationCode code)
{
	struct deadline *dl = cls;
	if (!dl)
		return;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct entry *e = ci ? calloc(1, sizeof *e) : NULL;
		*socket_context = e;
		if (!e)
			return;
		e->dl = dl;
		e->fd = ci->connect_fd;
		e->armed = 1;
		e->since = now();
		pthread_mutex_lock(&dl->lock);
		e->next = dl->head.next;
		e->prev = &dl->head;
		dl->head.next->prev = e;
		dl->head.next = e;
		pthread_mutex_unlock(&dl->lock);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		struct entry *e = *socket_context;
		pthread_mutex_lock(&dl->lock);
		e->prev->next = e->next;
		e->next->prev = e->prev;
		pthread_mutex_unlock(&dl->lock);
		free(e);
		*socket_context = NULL;
	}
}

static struct entry *entry_of(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Sets the connection's clock: armed for headers, body for a body. */
static void set_clock(struct MHD_Connection *con, int armed, int body)
{
	struct entry *e = entry_of(con);
	if (!e)
		return;
	pthread_mutex_lock(&e->dl->lock);
	e->armed = armed;
	e->body = body;
	e->got = 0;
	e->since = now();
	pthread_mutex_unlock(&e->dl->lock);
}

void deadline_met(struct MHD_Connection *con) { set_clock(con, 0, 0); }
void deadline_restart(struct MHD_Connection *con) { set_clock(con, 1, 0); }
void deadline_body_start(struct MHD_Connection *con) { set_clock(con, 0, 1); }
void deadline_body_done(struct MHD_Connection *con) { set_clock(con, 0, 0); }

void deadline_body_got(struct MHD_Connection *con, size_t n)
{
	struct entry *e = entry_of(con);
	if (!e)
		return;
	pthread_mutex_lock(&e->dl->lock);
	e->got += n;
	pthread_mutex_unlock(&e->dl->lock);
}
