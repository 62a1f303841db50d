/*
 * test_alog: the access log's buffer and writer thread (util/alog.h).
 * Lines from several threads reach the file each exactly once, within a
 * flush interval and at the stop; a switch of file puts every line given
 * before it in the old file and every one after in the new; a failing
 * write counts its lines dropped and says so once in the error log; and
 * a pipe nobody reads never holds up the threads that log: past the cap
 * lines are dropped and counted, and the stop gives the writer up.
 */
#include "t.h"
#include "../../src/util/alog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define PER_THREAD 20000

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int temp_file(char *path)
{
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	return fd;
}

/* The whole file, NUL-terminated (malloc'd). */
static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t n = lseek(fd, 0, SEEK_END);
	char *s = malloc((size_t)n + 1);
	ssize_t got = pread(fd, s, (size_t)n, 0);
	s[got > 0 ? got : 0] = '\0';
	close(fd);
	return s;
}

static void *log_lines(void *arg)
{
	int t = (int)(long)arg;
	char line[64];
	for (int i = 0; i < PER_THREAD; i++) {
		int n = snprintf(line, sizeof line, "thread %d line %d padding-padding-padding\n", t, i);
		alog_line(line, (size_t)n);
		/* a request's work between lines, roughly: four threads doing
		 * nothing but log could keep the mutex from the writer (glibc's
		 * is not fair) past the 8 MB cap, under a sanitizer's slowness */
		if (i % 256 == 255)
			sched_yield();
	}
	return NULL;
}

/* seen[t][i]: how often line i of thread t is in the text */
static int count_each(const char *s, unsigned char seen[THREADS][PER_THREAD])
{
	int bad = 0;
	for (const char *p = s; *p;) {
		int t, i, used = 0;
		if (sscanf(p, "thread %d line %d padding-padding-padding\n%n", &t, &i, &used) != 2 || !used ||
		    t < 0 || t >= THREADS || i < 0 || i >= PER_THREAD) {
			bad++;
			break;
		}
		seen[t][i]++;
		p += used;
	}
	return bad;
}

static int lines_not_once(unsigned char seen[THREADS][PER_THREAD])
{
	int wrong = 0;
	for (int t = 0; t < THREADS; t++)
		for (int i = 0; i < PER_THREAD; i++)
			wrong += seen[t][i] != 1;
	return wrong;
}

static void run_threads(void)
{
	pthread_t th[THREADS];
	for (long t = 0; t < THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, log_lines, (void *)t) == 0);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
}

static void every_line_once_in_time_and_at_stop(void)
{
	static unsigned char seen[THREADS][PER_THREAD];
	char path[] = "/tmp/gz-alog-XXXXXX";
	alog_set_fd(temp_file(path));
	unsigned long long dropped = alog_dropped();
	CHECK(alog_start() == 0);
	run_threads();
	/* by the flushes (every ALOG_FLUSH_MS), without a stop; the bound is
	 * wide for a sanitizer build on a loaded machine */
	double t0 = now_s();
	size_t want = (size_t)THREADS * PER_THREAD;
	char *s = NULL;
	size_t lines = 0;
	while (now_s() - t0 < 30) {
		free(s);
		s = slurp(path);
		/* a plain loop: ASan's strict_string_checks (CI's) makes every
		 * strchr measure the whole rest of the string, and counting 3.6 MB
		 * that way took 40 s, past the bound, on one early snapshot */
		lines = 0;
		for (const char *p = s; *p; p++)
			lines += *p == '\n';
		if (lines == want)
			break;
		usleep(20000);
	}
	if (lines != want)
		fprintf(stderr, "flushed without a stop: %zu lines of %zu after %.1f s\n", lines, want,
			now_s() - t0);
	CHECK(lines == want); /* written by the flushes, before any stop */
	CHECK(alog_dropped() == dropped);
	free(s);
	alog_line("last\n", 5);
	alog_stop();
	s = slurp(path);
	memset(seen, 0, sizeof seen);
	size_t n = strlen(s);
	CHECK(n > 5 && strcmp(s + n - 5, "last\n") == 0); /* written by the stop */
	s[n - 5] = '\0';
	CHECK(count_each(s, seen) == 0);
	CHECK(lines_not_once(seen) == 0);
	CHECK(alog_dropped() == dropped);
	free(s);
	unlink(path);
}

/* A reopen (logrotate's rename, then SIGHUP) while threads log. */
static void a_switch_splits_the_lines_exactly(void)
{
	static unsigned char seen[THREADS][PER_THREAD];
	char old_path[] = "/tmp/gz-alog-XXXXXX", new_path[] = "/tmp/gz-alog-XXXXXX";
	alog_set_fd(temp_file(old_path));
	int new_fd = temp_file(new_path);
	CHECK(alog_start() == 0);
	alog_line("before\n", 7);
	pthread_t th[THREADS];
	for (long t = 0; t < THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, log_lines, (void *)t) == 0);
	usleep(5000);
	alog_line("just before\n", 12);
	alog_set_fd(new_fd);
	alog_line("just after\n", 11);
	/* the old file is complete when the switch returns */
	char *old_now = slurp(old_path);
	CHECK_CONTAINS(old_now, "just before\n");
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	alog_stop();
	char *old = slurp(old_path), *now = slurp(new_path);
	CHECK(strcmp(old, old_now) == 0); /* nothing reached it after the switch */
	CHECK(strncmp(old, "before\n", 7) == 0);
	CHECK(strstr(old, "just after") == NULL && strstr(now, "just before") == NULL);
	CHECK_CONTAINS(now, "just after\n");
	/* the threads' lines: each in one file once */
	memset(seen, 0, sizeof seen);
	char *cut = strstr(old, "just before\n");
	memmove(cut, cut + 12, strlen(cut + 12) + 1);
	CHECK(count_each(old + 7, seen) == 0);
	cut = strstr(now, "just after\n");
	memmove(cut, cut + 11, strlen(cut + 11) + 1);
	CHECK(count_each(now, seen) == 0);
	CHECK(lines_not_once(seen) == 0);
	free(old_now);
	free(old);
	free(now);
	unlink(old_path);
	unlink(new_path);
}

/* A write that fails (EPIPE): its lines counted, and one error line
 * (standard error, captured) says how many and why. */
static void a_failed_write_is_counted_and_reported(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	close(p[0]); /* every write fails: EPIPE */
	char err_path[] = "/tmp/gz-alog-XXXXXX";
	int err_fd = temp_file(err_path), saved = dup(2);
	dup2(err_fd, 2);
	alog_set_fd(p[1]);
	unsigned long long before = alog_dropped();
	CHECK(alog_start() == 0);
	for (int i = 0; i < 10; i++)
		alog_line("lost\n", 5);
	alog_stop();
	dup2(saved, 2);
	close(saved);
	CHECK(alog_dropped() == before + 10);
	char *e = slurp(err_path);
	CHECK_CONTAINS(e, "access log: 10 lines dropped (");
	CHECK_CONTAINS(e, "write: Broken pipe");
	const char *first = strstr(e, "dropped");
	CHECK(first && !strstr(first + 1, "dropped")); /* one line */
	free(e);
	close(err_fd);
	unlink(err_path);
}

/* Last: it leaves the writer stuck in a write to a full pipe. */
static void a_stuck_reader_never_blocks_a_logger(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	alog_set_fd(p[1]); /* p[0] stays open, never read */
	unsigned long long before = alog_dropped();
	CHECK(alog_start() == 0);
	char line[200];
	memset(line, 'x', sizeof line);
	line[sizeof line - 1] = '\n';
	double t0 = now_s(), worst = 0;
	int total = 100000; /* 20 MB: the pipe's 64 kB, then the cap's 8 MB */
	for (int i = 0; i < total; i++) {
		double a = now_s();
		alog_line(line, sizeof line);
		double d = now_s() - a;
		worst = d > worst ? d : worst;
	}
	double took = now_s() - t0;
	unsigned long long dropped = alog_dropped() - before;
	/* the writer is stuck for good: a call that waited for it would
	 * never return; the bounds leave room for a sanitizer on a busy
	 * machine (a build's writeback, a preemption), not for a wait */
	CHECK(took < 5.0);
	CHECK(worst < 0.5); /* no call waited for the writer */
	CHECK(dropped > (unsigned long long)total / 2 && dropped < (unsigned long long)total);
	double s0 = now_s();
	alog_stop(); /* given up after ALOG_STALL_MS without progress */
	double stop = now_s() - s0;
	CHECK(stop >= ALOG_STALL_MS / 1000.0 - 0.1 && stop < ALOG_STALL_MS / 1000.0 + 1.5);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(every_line_once_in_time_and_at_stop);
	RUN(a_switch_splits_the_lines_exactly);
	RUN(a_failed_write_is_counted_and_reported);
	RUN(a_stuck_reader_never_blocks_a_logger);
	return T_DONE();
}
