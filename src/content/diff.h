/*
 * diff: what changed between two texts, line by line (a longest common
 * subsequence), for the revision view. Texts longer than DIFF_MAX_LINES
 * lines are shown as all removed then all added rather than compared.
 */
#ifndef GZ_DIFF_H
#define GZ_DIFF_H

#include <stddef.h>

#define DIFF_MAX_LINES 3000

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_ADD };

/* Calls fn(arg, op, line, len) for each line of the edit script from a to
 * b, in order. Lines are not NUL-terminated. Returns 0, or -1 when out of
 * memory (nothing was reported). */
int diff_lines(const char *a, const char *b,
	       void (*fn)(void *arg, enum diff_op op, const char *line, size_t len), void *arg);

#endif
