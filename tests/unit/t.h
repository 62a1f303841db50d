/*
 * t.h: the unit-test harness. A test is a function; RUN counts it passed
 * when none of its CHECKs failed. T_DONE prints "N passed, N failed" and
 * gives main's exit status.
 */
#ifndef GZ_T_H
#define GZ_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail, t_cur_failed;

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			t_cur_failed = 1;                                     \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #c);                                \
		}                                                             \
	} while (0)

#define CHECK_STR(got, want)                                                  \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		if (!g_ || strcmp(g_, w_) != 0) {                             \
			t_cur_failed = 1;                                     \
			fprintf(stderr, "%s:%d: %s\n  got:  \"%s\"\n  want: \"%s\"\n", \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_); \
		}                                                             \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                           \
	do {                                                                  \
		const char *h_ = (hay), *n_ = (needle);                       \
		if (!h_ || !strstr(h_, n_)) {                                 \
			t_cur_failed = 1;                                     \
			fprintf(stderr, "%s:%d: \"%s\" not found in:\n%s\n",  \
				__FILE__, __LINE__, n_, h_ ? h_ : "(null)");  \
		}                                                             \
	} while (0)

#define RUN(fn)                                                               \
	do {                                                                  \
		t_cur_failed = 0;                                             \
		fn();                                                         \
		if (t_cur_failed) {                                           \
			t_fail++;                                             \
			printf("not ok - %s\n", #fn);                         \
		} else {                                                      \
			t_pass++;                                             \
			printf("ok - %s\n", #fn);                             \
		}                                                             \
	} while (0)

#define T_DONE() (printf("%d passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)

#endif
