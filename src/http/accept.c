/*
 * accept: see accept.h.
 *
 * The thread blocks in poll on the listening socket and a stop pipe, so
 * accept_stop needs no signal and no shutdown of a listening socket; the
 * socket is non-blocking, so a connection another accept already took (or
 * that the client reset) leaves accept4 with EAGAIN or ECONNABORTED and
 * the loop polls again. Out of descriptors (EMFILE, ENFILE) or memory,
 * the thread waits 100 ms before trying again instead of spinning on a
 * socket that stays readable.
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

/* Accepts what is waiting; 1 to wait before the next try (no descriptors
 * or memory), else 0. */
static int accept_waiting(struct acceptor *a)
{
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof peer;
		int c = accept4(a->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				log_error("accept: %s; waiting 100 ms", strerror(errno));
				return 1;
			}
			log_error("accept: %s", strerror(errno));
			return 1;
		}
		/* MHD closes c itself when it refuses it (its limits) */
		(void)MHD_add_connection(a->d, c, (const struct sockaddr *)&peer, len);
	}
}

static void *run(void *arg)
{
	struct acceptor *a = arg;
	pthread_setname_np(pthread_self(), "gz-accept");
	struct pollfd p[2] = { { .fd = a->fd, .events = POLLIN }, { .fd = a->stop[0], .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("accept: poll: %s", strerror(errno));
			break;
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
