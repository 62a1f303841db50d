/*
 * diff: line LCS by dynamic programming (see diff.h). O(n*m) time and
 * memory in 16-bit cells, bounded by DIFF_MAX_LINES: a story body is a
 * few hundred lines, and a revision view is rare.
 */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lines { const char **s; size_t *len; size_t n; };

static int split(const char *t, struct lines *l)
{
	size_t n = 1;
	for (const char *c = t; *c; c++)
		n += *c == '\n';
	l->s = malloc(n * sizeof *l->s);
	l->len = malloc(n * sizeof *l->len);
	if (!l->s || !l->len)
		return -1;
	l->n = 0;
	const char *start = t;
	for (const char *c = t;; c++) {
		if (*c == '\n' || *c == '\0') {
			size_t len = (size_t)(c - start);
			if (len && start[len - 1] == '\r')
				len--;
			if (*c || len) {
				l->s[l->n] = start;
				l->len[l->n++] = len;
			}
			if (!*c)
				break;
			start = c + 1;
		}
	}
	return 0;
}

static int eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->s[i], b->s[j], a->len[i]) == 0;
}

int diff_lines(const char *a, const char *b,
	       void (*fn)(void *arg, enum diff_op op, const char *line, size_t len), void *arg)
{
	struct lines la = { 0 }, lb = { 0 };
	int rc = -1;
	uint16_t *t = NULL;
	if (split(a ? a : "", &la) || split(b ? b : "", &lb))
		goto out;
	size_t n = la.n, m = lb.n;
	if (n > DIFF_MAX_LINES || m > DIFF_MAX_LINES) {
		for (size_t i = 0; i < n; i++)
			fn(arg, DIFF_DEL, la.s[i], la.len[i]);
		for (size_t j = 0; j < m; j++)
			fn(arg, DIFF_ADD, lb.s[j], lb.len[j]);
		rc = 0;
		goto out;
	}
	/* t[i][j]: LCS length of a[i..] and b[j..] */
	t = calloc((n + 1) * (m + 1), sizeof *t);
	if (!t)
		goto out;
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			t[i * (m + 1) + j] = eq(&la, i, &lb, j)
						     ? (uint16_t)(t[(i + 1) * (m + 1) + j + 1] + 1)
						     : (t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1]
								? t[(i + 1) * (m + 1) + j]
								: t[i * (m + 1) + j + 1]);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && eq(&la, i, &lb, j)) {
			fn(arg, DIFF_SAME, la.s[i], la.len[i]);
			i++, j++;
		} else if (j < m && (i == n || t[i * (m + 1) + j + 1] >= t[(i + 1) * (m + 1) + j])) {
			fn(arg, DIFF_ADD, lb.s[j], lb.len[j]);
			j++;
		} else {
			fn(arg, DIFF_DEL, la.s[i], la.len[i]);
			i++;
		}
	}
	rc = 0;
out:
	free(t);
	free(la.s);
	free(la.len);
	free(lb.s);
	free(lb.len);
	return rc;
}
