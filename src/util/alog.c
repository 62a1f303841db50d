/*
 * alog: the access log's buffer and its writer thread (alog.h). The
 * workers' side is alog_line: a lock, a memcpy, an unlock, and a signal
 * only when a block fills. Everything slow (writev, close, the drop
 * report) is the writer's.
 */
#include "alog.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

struct block {
	struct block *next;
	size_t n;
	unsigned long lines;
	char data[ALOG_BLOCK];
};

#define BLOCKS_MAX (ALOG_CAP / ALOG_BLOCK)
#define SPARE_KEEP 16   /* blocks kept for reuse after a burst; the rest freed */
#define IOV_BLOCKS 16   /* blocks a writev takes: 1 MB, so progress shows */

/* Everything behind mu. `before` holds the lines given before a switch
 * of destination the writer has not made yet; head..tail the lines
 * after it (tail is the block being filled). */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake, moved;
	struct block *head, *tail, *before, *spare;
	size_t blocks;            /* blocks that exist: waiting, being written, spare */
	int switch_asked, next_fd;
	unsigned long long switches_asked, switches_done;
	unsigned long long exited; /* 1 once the writer has returned */
	int stopping;
	pthread_t thread;
} A = { .mu = PTHREAD_MUTEX_INITIALIZER };

static _Atomic int running;
static _Atomic int out_fd = -1;                   /* -1: standard output */
static _Atomic unsigned long long dropped, progress;

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd < 0 ? 1 : fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* A block for more lines, under mu: a spare one, a new one, or NULL at
 * the cap. */
static struct block *block_get(void)
{
	struct block *b = A.spare;
	if (b)
		A.spare = b->next;
	else if (A.blocks < BLOCKS_MAX && (b = malloc(sizeof *b)))
		A.blocks++;
	if (b) {
		b->next = NULL;
		b->n = 0;
		b->lines = 0;
	}
	return b;
}

void alog_line(const char *s, size_t n)
{
	if (!atomic_load_explicit(&running, memory_order_acquire)) {
		write_all(atomic_load(&out_fd), s, n);
		return;
	}
	int full = 0;
	pthread_mutex_lock(&A.mu);
	struct block *b = A.tail;
	if (!b || ALOG_BLOCK - b->n < n) {
		struct block *fresh = block_get();
		if (!fresh) {
			pthread_mutex_unlock(&A.mu);
			atomic_fetch_add_explicit(&dropped, 1, memory_order_relaxed);
			return;
		}
		if (b) {
			b->next = fresh;
			full = 1;
		} else
			A.head = fresh;
		A.tail = b = fresh;
	}
	memcpy(b->data + b->n, s, n);
	b->n += n;
	b->lines++;
	pthread_mutex_unlock(&A.mu);
	if (full)
		pthread_cond_signal(&A.wake);
}

static unsigned long lines_in(const struct block *b)
{
	unsigned long n = 0;
	for (; b; b = b->next)
		n += b->lines;
	return n;
}

/* The writer's errno of its last failed write (0: none since reported). */
static int write_errno;

/* Writes a list of blocks, IOV_BLOCKS at a time. On a failed write the
 * lines of the blocks not wholly written are counted as dropped. */
static void write_blocks(int fd, struct block *b)
{
	while (b) {
		struct iovec iov[IOV_BLOCKS];
		struct block *first = b;
		int n = 0;
		for (; b && n < IOV_BLOCKS; b = b->next)
			iov[n++] = (struct iovec){ b->data, b->n };
		struct block *blk = first;
		int i = 0;
		while (i < n) {
			ssize_t w = writev(fd < 0 ? 1 : fd, iov + i, n - i);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				write_errno = w < 0 ? errno : EIO;
				for (; i < n; i++, blk = blk->next)
					atomic_fetch_add(&dropped, blk->lines);
				break;
			}
			atomic_fetch_add(&progress, 1);
			size_t left = (size_t)w;
			for (; i < n && left >= iov[i].iov_len; i++, blk = blk->next)
				left -= iov[i].iov_len;
			if (left) { /* a short write: the rest of that block next */
				iov[i].iov_base = (char *)iov[i].iov_base + left;
				iov[i].iov_len -= left;
			}
		}
	}
}

/* Gives written blocks back, under mu: SPARE_KEEP kept, the rest freed. */
static void give_back(struct block *b)
{
	size_t spare = 0;
	for (struct block *s = A.spare; s; s = s->next)
		spare++;
	while (b) {
		struct block *next = b->next;
		if (spare < SPARE_KEEP) {
			b->next = A.spare;
			A.spare = b;
			spare++;
		} else {
			free(b);
			A.blocks--;
		}
		b = next;
	}
}

static long long mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* One error line for the lines dropped since the last, at most every
 * ALOG_REPORT_S seconds (and at the end). */
static void report(int last)
{
	static unsigned long long reported;
	static long long when = LLONG_MIN / 2;
	unsigned long long d = atomic_load(&dropped);
	if (d == reported || (!last && mono_s() - when < ALOG_REPORT_S))
		return;
	if (write_errno)
		log_error("access log: %llu lines dropped (%llu since the start): write: %s",
			  d - reported, d, strerror(write_errno));
	else
		log_error("access log: %llu lines dropped (%llu since the start): the buffer was full, "
			  "the log's disk or reader did not keep up", d - reported, d);
	reported = d;
	when = mono_s();
	write_errno = 0;
}

static void deadline_in(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* The writer's switch to a new destination, the old one's lines written. */
static void switch_to(int fd)
{
	int old = atomic_exchange(&out_fd, fd);
	if (old >= 0 && old != fd)
		close(old);
}

static void *writer(void *unused)
{
	pthread_mutex_lock(&A.mu);
	for (;;) {
		if (!A.stopping && !A.switch_asked && !(A.head && A.head != A.tail)) {
			struct timespec t;
			deadline_in(&t, ALOG_FLUSH_MS);
			pthread_cond_timedwait(&A.wake, &A.mu, &t);
		}
		struct block *before = A.before, *lines = A.head;
		int asked = A.switch_asked, next = A.next_fd, stop = A.stopping;
		unsigned long long gen = A.switches_asked;
		A.before = A.head = A.tail = NULL;
		A.switch_asked = 0;
		pthread_mutex_unlock(&A.mu);
		write_blocks(atomic_load(&out_fd), before);
		if (asked)
			switch_to(next);
		write_blocks(atomic_load(&out_fd), lines);
		report(stop);
		atomic_fetch_add(&progress, 1);
		pthread_mutex_lock(&A.mu);
		give_back(before);
		give_back(lines);
		if (asked)
			A.switches_done = gen;
		pthread_cond_broadcast(&A.moved);
		if (stop && !A.head && !A.switch_asked)
			break;
	}
	A.exited = 1;
	pthread_cond_broadcast(&A.moved);
	pthread_mutex_unlock(&A.mu);
	return NULL;
}

/* Under mu: waits for *v to reach target while the writer makes progress.
 * 0, or -1 once ALOG_STALL_MS passed without any. */
static int wait_until(const unsigned long long *v, unsigned long long target)
{
	unsigned long long seen = atomic_load(&progress);
	while (*v < target) {
		struct timespec t;
		deadline_in(&t, ALOG_STALL_MS);
		if (pthread_cond_timedwait(&A.moved, &A.mu, &t) == ETIMEDOUT && *v < target) {
			unsigned long long now = atomic_load(&progress);
			if (now == seen)
				return -1;
			seen = now;
		}
	}
	return 0;
}

/* Without the writer: the new descriptor dup'd over the old one's
 * number, so a write in flight lands in one file or the other, never in
 * a descriptor closed under it. */
static void set_fd_now(int fd)
{
	int old = atomic_load(&out_fd);
	if (old >= 0 && fd >= 0 && dup3(fd, old, O_CLOEXEC) == old) {
		close(fd);
		return;
	}
	switch_to(fd);
}

void alog_set_fd(int fd)
{
	if (!atomic_load(&running)) {
		set_fd_now(fd);
		return;
	}
	pthread_mutex_lock(&A.mu);
	if (A.switch_asked) { /* the last switch is not made: its file gets nothing */
		if (A.next_fd >= 0)
			close(A.next_fd);
		struct block **end = &A.before;
		while (*end)
			end = &(*end)->next;
		*end = A.head;
	} else
		A.before = A.head;
	A.head = A.tail = NULL;
	A.next_fd = fd;
	A.switch_asked = 1;
	unsigned long long gen = ++A.switches_asked;
	pthread_cond_signal(&A.wake);
	int stalled = wait_until(&A.switches_done, gen);
	pthread_mutex_unlock(&A.mu);
	if (stalled)
		log_error("access log: reopened, but the writer is stuck writing the old file: "
			  "it switches once that write returns");
}

int alog_start(void)
{
	if (atomic_load(&running))
		return 0;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&A.wake, &ca);
	pthread_cond_init(&A.moved, &ca);
	pthread_condattr_destroy(&ca);
	A.stopping = 0;
	A.exited = 0;
	/* signals are the main thread's (sigwait): none for the writer */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&A.thread, NULL, writer, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		errno = rc;
		return -1;
	}
	atomic_store_explicit(&running, 1, memory_order_release);
	return 0;
}

void alog_stop(void)
{
	if (!atomic_load(&running))
		return;
	pthread_mutex_lock(&A.mu);
	A.stopping = 1;
	pthread_cond_signal(&A.wake);
	int stalled = wait_until(&A.exited, 1);
	unsigned long waiting = lines_in(A.before) + lines_in(A.head);
	pthread_mutex_unlock(&A.mu);
	if (stalled) {
		log_error("access log: its writer made no progress for %d ms: %lu lines waiting and the "
			  "block being written are not logged; %llu lines dropped since the start",
			  ALOG_STALL_MS, waiting, alog_dropped());
		return;
	}
	pthread_join(A.thread, NULL);
	atomic_store(&running, 0);
	pthread_mutex_lock(&A.mu);
	while (A.spare) {
		struct block *b = A.spare;
		A.spare = b->next;
		free(b);
		A.blocks--;
	}
	pthread_mutex_unlock(&A.mu);
	pthread_cond_destroy(&A.wake);
	pthread_cond_destroy(&A.moved);
}

unsigned long long alog_dropped(void)
{
	return atomic_load_explicit(&dropped, memory_order_relaxed);
}
