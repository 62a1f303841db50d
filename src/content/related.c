/*
 * related: related-story scoring by TF-IDF cosine similarity (see
 * related.h).
 *
 * The design decision that makes it scale: a pair of stories is only ever
 * looked at through a term they share. An inverted index (term -> the
 * stories holding it, with weights) is walked once per story, and only
 * towards stories with a higher index, so each pair's dot product is
 * accumulated exactly once and then offered to both stories' top-k heaps.
 * Stories sharing nothing cost nothing. Terms are interned in one hash
 * table, so everything after tokenising works on integer ids.
 *
 * Determinism: documents, terms and postings are all visited in input
 * order, so every score is summed in the same order on every run, and
 * ties are broken by id.
 */
#include "related.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slug.h"
#include "../util/str.h"

#define TOKEN_MAX 64	 /* longer "words" are URLs or noise: skipped */
#define W_TITLE 3.0
#define W_BODY 1.0
#define W_TAG 4.0
#define W_SECTION 2.0
#define EMPTY UINT32_MAX
#define RELATED_DF_FLOOR 10 /* see term_too_common */
#define STOP_SLOTS 512	     /* a power of two, over twice the stop words */

/* Checked before and after stemming; stems are listed where they differ. */
static const char *const STOP_WORDS[] = {
	"about", "above", "after", "again", "against", "all", "also", "among",
	"and", "another", "any", "are", "around", "because", "been", "before",
	"being", "below", "between", "both", "but", "can", "could", "did",
	"does", "doing", "down", "during", "each", "even", "few", "for",
	"from", "further", "had", "has", "have", "having", "her", "here",
	"hers", "herself", "him", "himself", "his", "how", "however", "into",
	"its", "itself", "just", "last", "least", "less", "like", "made",
	"make", "many", "may", "might", "more", "most", "much", "must", "new",
	"nor", "not", "now", "off", "once", "one", "only", "other", "our",
	"ours", "ourselves", "out", "over", "own", "per", "same", "said",
	"say", "says", "she", "should", "since", "some", "such", "than",
	"that", "the", "their", "theirs", "them", "themselves", "then",
	"there", "these", "they", "this", "those", "though", "through", "thus",
	"told", "too", "two", "under", "until", "upon", "very", "was", "way",
	"were", "what", "when", "where", "whether", "which", "while", "who",
	"whom", "whose", "why", "will", "with", "within", "without", "would",
	"year", "yet", "you", "your", "yours", "yourself", "yourselves",
	"according", "added", "add", "already", "although",
	"became", "become", "come", "came", "get", "got", "going", "know",
	"let", "including", "includ", "next", "still", "take", "took", "use",
	"used", "week", "well", "first",
};

struct term {
	uint32_t off, len, hash;
	uint32_t df;   /* documents holding the term */
	uint32_t mark; /* last document (index + 1) that used it */
	uint32_t pos;  /* its entry in that document's vector */
};

struct entry {
	uint32_t term;
	uint32_t cnt; /* occurrences in the field being read */
	double w;
};

/* Single precision halves the memory the pair phase streams through; a
 * score needs nothing like 15 digits. */
struct posting {
	uint32_t doc;
	float w;
};

struct ctx {
	/* vocabulary: term text in one arena, open-addressing hash of ids */
	char *chars;
	size_t clen, ccap;
	struct term *terms;
	uint32_t nterms, tcap;
	uint32_t *slots;
	size_t nslots;
	/* stop words in a small table of their own: it stays in cache */
	uint16_t stop[STOP_SLOTS]; /* index into STOP_WORDS + 1, 0 empty */
	/* document vectors, entries of doc i at ents[dstart[i] .. dstart[i+1]) */
	struct entry *ents;
	size_t nents, ecap;
	size_t *dstart;
	uint32_t cur; /* document being read */
	int oom;
	/* inverted index, postings of term t at [pstart[t] .. pstart[t+1]) */
	size_t *pstart;
	struct posting *post;
};

/* ---- vocabulary --------------------------------------------------------- */

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / size || !(q = realloc(*p, c * size)))
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int rehash(struct ctx *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 1024;
	uint32_t *s = malloc(n * sizeof *s);

	if (!s)
		return -1;
	memset(s, 0xFF, n * sizeof *s);
	for (uint32_t id = 0; id < c->nterms; id++) {
		size_t i = c->terms[id].hash & (n - 1);
		while (s[i] != EMPTY)
			i = (i + 1) & (n - 1);
		s[i] = id;
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t vocab_slot(const struct ctx *c, const char *s, size_t n,
			 uint32_t h)
{
	size_t i = h & (c->nslots - 1);

	for (; c->slots[i] != EMPTY; i = (i + 1) & (c->nslots - 1)) {
		const struct term *t = &c->terms[c->slots[i]];
		if (t->hash == h && t->len == n &&
		    memcmp(c->chars + t->off, s, n) == 0)
			break;
	}
	return i;
}

static int vocab_add(struct ctx *c, size_t slot, const char *s, size_t n,
		     uint32_t h)
{
	size_t tcap = c->tcap;

	if (c->nterms == EMPTY - 1 || c->clen + n > UINT32_MAX ||
	    grow((void **)&c->chars, &c->ccap, c->clen + n, 1) ||
	    grow((void **)&c->terms, &tcap, (size_t)c->nterms + 1,
		 sizeof *c->terms))
		return -1;
	c->tcap = (uint32_t)tcap;
	memcpy(c->chars + c->clen, s, n);
	c->terms[c->nterms] = (struct term){ .off = (uint32_t)c->clen,
					     .len = (uint32_t)n, .hash = h };
	c->clen += n;
	c->slots[slot] = c->nterms++;
	if ((size_t)c->nterms * 2 > c->nslots)
		return rehash(c);
	return 0;
}

/* The id of term s[0..n) with hash h, added when new; EMPTY when out of
 * memory. */
static uint32_t vocab_intern(struct ctx *c, const char *s, size_t n,
			     uint32_t h)
{
	size_t slot = vocab_slot(c, s, n, h);
	uint32_t id = c->slots[slot];

	if (id != EMPTY)
		return id;
	id = c->nterms;
	return vocab_add(c, slot, s, n, h) ? EMPTY : id;
}

static int stop_has(const struct ctx *c, const char *s, size_t n, uint32_t h)
{
	for (size_t i = h & (STOP_SLOTS - 1); c->stop[i];
	     i = (i + 1) & (STOP_SLOTS - 1)) {
		const char *w = STOP_WORDS[c->stop[i] - 1];
		if (strncmp(w, s, n) == 0 && w[n] == '\0')
			return 1;
	}
	return 0;
}

static void stop_init(struct ctx *c)
{
	size_t n = sizeof STOP_WORDS / sizeof STOP_WORDS[0];

	static_assert(sizeof STOP_WORDS / sizeof STOP_WORDS[0] < STOP_SLOTS / 2,
		      "STOP_SLOTS too small");
	for (size_t k = 0; k < n; k++) {
		const char *w = STOP_WORDS[k];
		size_t i = hash_bytes(w, strlen(w)) & (STOP_SLOTS - 1);
		while (c->stop[i])
			i = (i + 1) & (STOP_SLOTS - 1);
		c->stop[i] = (uint16_t)(k + 1);
	}
}

/* ---- tokens ------------------------------------------------------------- */

static int ends(const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(w + n - k, suf, k) == 0;
}

static int has_vowel(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("aeiouy", w[i]))
			return 1;
	return 0;
}

/* After cutting -ing/-ed: "planned" -> "plan", "created" -> "create". */
static size_t stem_tidy(char *w, size_t n)
{
	if (ends(w, n, "at") || ends(w, n, "bl") || ends(w, n, "iz")) {
		w[n] = 'e';
		return n + 1;
	}
	if (n >= 4 && w[n - 1] == w[n - 2] && !strchr("lsz", w[n - 1]))
		return n - 1;
	return n;
}

/*
 * A light English stemmer (plurals, -ing, -ed), enough to make "talks"
 * meet "talk" and "energies" meet "energy". w has room for one more byte.
 */
static size_t stem(char *w, size_t n)
{
	if (n > 4 && ends(w, n, "ies")) {
		w[n - 3] = 'y';
		n -= 2;
	} else if (n > 4 && (ends(w, n, "sses") || ends(w, n, "ches") ||
			     ends(w, n, "shes") || ends(w, n, "xes") ||
			     ends(w, n, "zes"))) {
		n -= 2;
	} else if (n > 3 && w[n - 1] == 's' && !strchr("sui", w[n - 2])) {
		n -= 1;
	}
	if (n > 5 && ends(w, n, "ing") && has_vowel(w, n - 3))
		return stem_tidy(w, n - 3);
	if (n > 4 && ends(w, n, "ed") && !ends(w, n, "eed") &&
	    has_vowel(w, n - 2))
		return stem_tidy(w, n - 2);
	return n;
}

/* Count one occurrence of term s[0..n) (hash h) in the current document. */
static void doc_count(struct ctx *c, const char *s, size_t n, uint32_t h)
{
	uint32_t id = vocab_intern(c, s, n, h);
	struct term *t;

	if (id == EMPTY) {
		c->oom = 1;
		return;
	}
	t = &c->terms[id];
	if (t->mark != c->cur + 1) {
		if (grow((void **)&c->ents, &c->ecap, c->nents + 1,
			 sizeof *c->ents)) {
			c->oom = 1;
			return;
		}
		t->mark = c->cur + 1;
		t->pos = (uint32_t)(c->nents - c->dstart[c->cur]);
		c->ents[c->nents++] = (struct entry){ .term = id };
	}
	c->ents[c->dstart[c->cur] + t->pos].cnt++;
}

/* One word as found in the text: filter, stem, count. */
static void doc_word(struct ctx *c, char *w, size_t n)
{
	int ascii = 1, digits = 1;
	size_t chars = 0, m;
	uint32_t h;

	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)w[i];
		ascii &= b < 0x80;
		digits &= b >= '0' && b <= '9';
		chars += (b & 0xC0) != 0x80; /* UTF-8 lead bytes */
	}
	if (digits || chars < 3)
		return;
	h = hash_bytes(w, n);
	if (stop_has(c, w, n, h))
		return;
	if (ascii && (m = stem(w, n)) != n) {
		/* a stem never keeps the length it came with */
		n = m;
		h = hash_bytes(w, n);
		if (n < 3 || stop_has(c, w, n, h))
			return;
	}
	doc_count(c, w, n, h);
}

/* Bytes that end a word: ASCII non-alphanumerics, and the UTF-8 forms of
 * U+0080..U+00BF (NBSP, guillemets) and U+2000..U+203F (curly quotes,
 * dashes), so "Pakistan’s" yields "pakistan". Returns the length. */
static size_t separator_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return !((p[0] >= 'a' && p[0] <= 'z') ||
			 (p[0] >= 'A' && p[0] <= 'Z') ||
			 (p[0] >= '0' && p[0] <= '9'));
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0xBF)
		return 2;
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0xBF)
		return 3;
	return 0;
}

static void doc_words(struct ctx *c, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	char w[TOKEN_MAX + 2];
	size_t n = 0;
	int toolong = 0;

	for (; p && !c->oom; p++) {
		size_t sep = *p ? separator_len(p) : 1;
		if (sep == 0) {
			if (n < TOKEN_MAX)
				w[n++] = str_lower_ascii(*p);
			else
				toolong = 1;
			continue;
		}
		if (n && !toolong)
			doc_word(c, w, n);
		n = 0;
		toolong = 0;
		if (!*p)
			break;
		p += sep - 1;
	}
}

/* "tag:south-asia", "section:world": whole-value tokens. */
static void doc_label(struct ctx *c, const char *prefix, const char *value)
{
	char t[16 + TOKEN_MAX + 1];
	size_t k = strlen(prefix);

	memcpy(t, prefix, k);
	int n = slug_make(value, t + k, sizeof t - k);
	if (n > 0)
		doc_count(c, t, k + (size_t)n, hash_bytes(t, k + (size_t)n));
}

/* Close a field: fold its counts into the weights, sublinearly, so a long
 * body cannot drown the title. */
static void doc_field_end(struct ctx *c, double weight)
{
	for (size_t i = c->dstart[c->cur]; i < c->nents; i++) {
		struct entry *e = &c->ents[i];
		if (e->cnt) {
			e->w += weight * (1.0 + log((double)e->cnt));
			e->cnt = 0;
		}
	}
}

static void doc_read(struct ctx *c, const struct related_doc *d)
{
	doc_words(c, d->title);
	doc_field_end(c, W_TITLE);
	doc_words(c, d->body);
	doc_field_end(c, W_BODY);
	for (size_t i = 0; i < d->ntags; i++) {
		if (!d->tags[i])
			continue;
		doc_label(c, "tag:", d->tags[i]);
		doc_words(c, d->tags[i]);
	}
	doc_field_end(c, W_TAG);
	if (d->section && *d->section) {
		doc_label(c, "section:", d->section);
		doc_field_end(c, W_SECTION);
	}
	for (size_t i = c->dstart[c->cur]; i < c->nents; i++)
		c->terms[c->ents[i].term].df++;
}

/* ---- vectors and index -------------------------------------------------- */

/*
 * Terms found in more than half of a sizeable corpus are corpus stop words
 * ("government" on a politics site): their idf is near the floor, so they
 * barely move a score, yet each costs df^2 pair updates. Dropping them is
 * what keeps the pair phase near linear. Small sites keep every term.
 */
static int term_too_common(uint32_t df, size_t n)
{
	return df > RELATED_DF_FLOOR && (size_t)df * 2 > n;
}

/* Drop too-common terms from every vector, keeping entries in order. */
static void vectors_prune(struct ctx *c, size_t n)
{
	size_t to = 0;

	for (uint32_t t = 0; t < c->nterms; t++)
		if (term_too_common(c->terms[t].df, n))
			c->terms[t].df = 0;
	for (size_t d = 0; d < n; d++) {
		size_t from = c->dstart[d];
		c->dstart[d] = to;
		for (; from < c->dstart[d + 1]; from++)
			if (c->terms[c->ents[from].term].df)
				c->ents[to++] = c->ents[from];
	}
	c->dstart[n] = to;
	c->nents = to;
}

static void vectors_weigh(struct ctx *c, size_t n)
{
	for (size_t d = 0; d < n; d++) {
		double norm = 0;
		for (size_t i = c->dstart[d]; i < c->dstart[d + 1]; i++) {
			struct entry *e = &c->ents[i];
			double df = c->terms[e->term].df;
			e->w *= log((double)(n + 1) / (df + 1)) + 1.0;
			norm += e->w * e->w;
		}
		norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
		for (size_t i = c->dstart[d]; i < c->dstart[d + 1]; i++)
			c->ents[i].w *= norm;
	}
}

/* Postings in document order, because documents are visited in order. */
static int index_build(struct ctx *c, size_t n)
{
	size_t *fill;

	c->pstart = calloc((size_t)c->nterms + 1, sizeof *c->pstart);
	c->post = malloc((c->nents ? c->nents : 1) * sizeof *c->post);
	fill = malloc(((size_t)c->nterms + 1) * sizeof *fill);
	if (!c->pstart || !c->post || !fill) {
		free(fill);
		return -1;
	}
	for (uint32_t t = 0; t < c->nterms; t++)
		c->pstart[t + 1] = c->pstart[t] + c->terms[t].df;
	memcpy(fill, c->pstart, ((size_t)c->nterms + 1) * sizeof *fill);
	for (size_t d = 0; d < n; d++) {
		for (size_t i = c->dstart[d]; i < c->dstart[d + 1]; i++) {
			size_t p = fill[c->ents[i].term]++;
			c->post[p].doc = (uint32_t)d;
			c->post[p].w = (float)c->ents[i].w;
		}
	}
	free(fill);
	return 0;
}

/* ---- top-k -------------------------------------------------------------- */

static int hit_worse(const struct related_hit *a, const struct related_hit *b)
{
	return a->score < b->score || (a->score == b->score && a->id < b->id);
}

/* h[0..*cnt) is a heap with the worst hit on top; keep the best k. */
static void topk_offer(struct related_hit *h, size_t *cnt, size_t k,
		       struct related_hit hit)
{
	size_t i;

	if (*cnt < k) {
		for (i = (*cnt)++; i > 0 && hit_worse(&hit, &h[(i - 1) / 2]);
		     i = (i - 1) / 2)
			h[i] = h[(i - 1) / 2];
		h[i] = hit;
		return;
	}
	if (!hit_worse(&h[0], &hit))
		return;
	for (i = 0;;) {
		size_t m = 2 * i + 1;
		if (m >= k)
			break;
		if (m + 1 < k && hit_worse(&h[m + 1], &h[m]))
			m++;
		if (!hit_worse(&h[m], &hit))
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = hit;
}

static int hit_cmp(const void *a, const void *b)
{
	return hit_worse(b, a) ? -1 : hit_worse(a, b) ? 1 : 0;
}

/* Accumulate the dot products of doc d with every later doc sharing a term
 * into acc, listing each such doc once in touched; returns how many. All
 * weights are positive, so acc[j] == 0 means "not touched yet"; the caller
 * zeroes what was touched. */
static size_t pairs_collect(const struct ctx *c, uint32_t d, double *acc,
			    uint32_t *touched)
{
	size_t nt = 0;

	for (size_t i = c->dstart[d]; i < c->dstart[d + 1]; i++) {
		const struct entry *e = &c->ents[i];
		const struct posting *lo = c->post + c->pstart[e->term];
		const struct posting *p = c->post + c->pstart[e->term + 1];
		while (p-- > lo && p->doc > d) {
			if (acc[p->doc] == 0)
				touched[nt++] = p->doc;
			acc[p->doc] += e->w * p->w;
		}
	}
	return nt;
}

static int pairs_score(const struct ctx *c, const struct related_doc *docs,
		       size_t n, size_t k, double min_score,
		       struct related_hit *out, size_t *nout)
{
	double *acc = calloc(n, sizeof *acc);
	uint32_t *touched = malloc(n * sizeof *touched);
	int rc = acc && touched ? 0 : -1;

	for (uint32_t d = 0; rc == 0 && d < n; d++) {
		size_t nt = pairs_collect(c, d, acc, touched);
		for (size_t t = 0; t < nt; t++) {
			uint32_t j = touched[t];
			double score = acc[j];
			acc[j] = 0;
			if (!(score > min_score))
				continue;
			topk_offer(out + d * k, &nout[d], k,
				   (struct related_hit){ docs[j].id, score });
			topk_offer(out + (size_t)j * k, &nout[j], k,
				   (struct related_hit){ docs[d].id, score });
		}
	}
	free(acc);
	free(touched);
	return rc;
}

/* ---- entry point -------------------------------------------------------- */

static void ctx_free(struct ctx *c)
{
	free(c->chars);
	free(c->terms);
	free(c->slots);
	free(c->ents);
	free(c->dstart);
	free(c->pstart);
	free(c->post);
}

static int vectors_build(struct ctx *c, const struct related_doc *docs,
			 size_t n)
{
	if (!(c->dstart = malloc((n + 1) * sizeof *c->dstart)) || rehash(c))
		return -1;
	stop_init(c);
	for (size_t d = 0; d < n && !c->oom; d++) {
		c->cur = (uint32_t)d;
		c->dstart[d] = c->nents;
		doc_read(c, &docs[d]);
		c->dstart[d + 1] = c->nents;
	}
	if (c->oom)
		return -1;
	vectors_prune(c, n);
	vectors_weigh(c, n);
	return index_build(c, n);
}

int related_compute(const struct related_doc *docs, size_t n, size_t k,
		    double min_score, struct related_hit *out, size_t *nout)
{
	struct ctx c = { 0 };
	int rc;

	if (n == 0)
		return 0;
	memset(nout, 0, n * sizeof *nout);
	if (k == 0)
		return 0;
	if (n >= EMPTY - 1 || n > SIZE_MAX / k)
		return -1;
	rc = vectors_build(&c, docs, n);
	if (rc == 0)
		rc = pairs_score(&c, docs, n, k, min_score, out, nout);
	for (size_t d = 0; rc == 0 && d < n; d++)
		qsort(out + d * k, nout[d], sizeof *out, hit_cmp);
	ctx_free(&c);
	return rc;
}
