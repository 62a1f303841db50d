/*
 * related: "related stories", computed at publish time, never per request.
 *
 * Each story becomes a TF-IDF vector over stemmed words of its title (x3),
 * body (x1), tags (x4, both as a whole token "tag:south-asia" and as words)
 * and section (x2, as "section:world"). English stop words, pure numbers
 * and words shorter than 3 characters are ignored. Weights are
 * (1 + log tf) * (log((N + 1) / (df + 1)) + 1), vectors are L2-normalised,
 * and the score of a pair is their cosine similarity (0..1).
 */
#ifndef GZ_RELATED_H
#define GZ_RELATED_H

#include <stddef.h>

struct related_doc {
	long long id;
	const char *title;  /* plain text; NULL is empty */
	const char *body;   /* plain text (markdown_to_text); NULL is empty */
	const char *section; /* NULL or "" for none */
	const char *const *tags;
	size_t ntags;
};

struct related_hit {
	long long id;
	double score;
};

/*
 * For each docs[i], write its k most similar other documents with a score
 * above min_score to out[i * k ...], best first, equal scores by higher id
 * first, and their number (0..k) to nout[i]. A document is never listed as
 * related to itself (by index: two entries with the same id are still
 * compared). out must hold n * k hits and nout n counts; with k == 0 or
 * n == 0 out is not touched. The result depends only on the input.
 * The caller owns docs, out and nout; nothing is kept after the call.
 * Returns 0, or -1 when memory ran out (out and nout then undefined).
 */
int related_compute(const struct related_doc *docs, size_t n, size_t k,
		    double min_score, struct related_hit *out, size_t *nout);

#endif
