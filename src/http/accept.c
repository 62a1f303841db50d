/*
 * accept: see accept.h.
 *
 * The thread blocks in poll on the listening socket and a stop pipe, so
 * accept_stop needs no signal and no shutdown of a listening socket; the
 * socket is non-blocking, so once nothing waits accept4 says EAGAIN and
 * the loop polls again; a connection's own error (reset before it was
 * taken: ECONNABORTED...) is skipped. Out of descriptors (EMFILE, ENFILE)
 * or memory, the thread waits 100 ms before trying again instead of
 * spinning on a socket that stays readable.
 *
 * The trade-off: connections are dealt by descriptor number, not by how
 * busy each worker is, so while one worker waits on the database (a lock
 * held for seconds), about one new connection in `threads` waits with it;
 * with MHD's own accept a waiting worker took none, but a burst of up to
 * ten went to one worker and queued behind each other.
 */
#include "accept.h"
#include "../util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct acceptor {
	int fd;
	int stop[2]; /* a pipe: written once by accept_stop */
	struct MHD_Daemon *d;
	pthread_t thread;
};

int accept_listen(const struct sockaddr_in *sa, char *err, size_t errlen)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int on = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
	    bind(fd, (const struct sockaddr *)sa, sizeof *sa) || listen(fd, SOMAXCONN)) {
		snprintf(err, errlen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

unsigned accept_port(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	if (getsockname(fd, (struct sockaddr *)&sa, &len))
		return 0;
	return ntohs(sa.sin_port);
}

/* An error of the new connection itself, passed on by accept (accept(2)
 * says to retry as for EAGAIN): the next one may be fine. */
static int its_own(int e)
{
	return e == EINTR || e == ECONNABORTED || e == EPROTO || e == ENETDOWN ||
	       e == ENOPROTOOPT || e == EHOSTDOWN || e == ENONET || e == EHOSTUNREACH ||
	       e == EOPNOTSUPP || e == ENETUNREACH;
}

/* Accepts what is waiting, at most 64 before polling again (the stop pipe
 * is heard under a flood); 1 to wait before the next try (out of
 * descriptors or memory), else 0. */
static int accept_waiting(struct acceptor *a)
{
	for (int n = 0; n < 64; n++) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof peer;
		int c = accept4(a->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c < 0) {
			if (its_own(errno))
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			log_error("accept: %s; waiting 100 ms", strerror(errno));
			return 1;
		}
		/* MHD closes c itself when it refuses it (its limits) */
		(void)MHD_add_connection(a->d, c, (const struct sockaddr *)&peer, len);
	}
	return 0;
}

static void *run(void *arg)
{
	struct acceptor *a = arg;
	pthread_setname_np(pthread_self(), "gz-accept");
	struct pollfd p[2] = { { .fd = a->fd, .events = POLLIN }, { .fd = a->stop[0], .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno != EINTR) { /* ENOMEM: later, never a server that stops accepting */
				log_error("accept: poll: %s; waiting 100 ms", strerror(errno));
				nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
			}
			continue;
		}
		if (p[1].revents)
			break;
		if (p[0].revents && accept_waiting(a))
			poll(p + 1, 1, 100);
	}
	return NULL;
}

struct acceptor *accept_start(int fd, struct MHD_Daemon *d, char *err, size_t errlen)
{
	struct acceptor *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->fd = fd;
	a->d = d;
	if (pipe2(a->stop, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(a);
		return NULL;
	}
	int e = pthread_create(&a->thread, NULL, run, a);
	if (e) {
		snprintf(err, errlen, "accept thread: %s", strerror(e));
		close(a->stop[0]);
		close(a->stop[1]);
		free(a);
		return NULL;
	}
	return a;
}

void accept_stop(struct acceptor *a)
{
	if (!a)
		return;
	char b = 1;
	while (write(a->stop[1], &b, 1) < 0 && errno == EINTR)
		;
	pthread_join(a->thread, NULL);
	close(a->stop[0]);
	close(a->stop[1]);
	close(a->fd);
	free(a);
}
