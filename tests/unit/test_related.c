/*
 * Unit tests for src/content/related.c: a small hand-made corpus with three
 * topic clusters plus a loner, and the edge cases of the API.
 *
 * Set RELATED_BENCH=1 to also time 2,000 synthetic stories of 800 words.
 */
#include "../../src/content/related.h"
#include "t.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

static const char *const tags_pk_az[] = { "Pakistan", "Azerbaijan" };
static const char *const tags_energy[] = { "Azerbaijan", "Energy" };
static const char *const tags_football[] = { "Football" };
static const char *const tags_tech[] = { "Technology", "Smartphones" };
static const char *const tags_food[] = { "Food" };

enum { DIPLO = 101, TRADE = 102, ENERGY = 103, DERBY = 201, LEAGUE = 202,
       PHONE = 301, CHIPS = 302, FOOD = 401 };

static const struct related_doc CORPUS[] = {
	{ DIPLO, "Pakistan-Azerbaijan Ties: Strengthening Bonds for Development",
	  "Pakistan and Azerbaijan signed agreements in Baku on diplomacy, "
	  "trade and energy cooperation. The foreign ministers praised the "
	  "strategic partnership and brotherly ties between Islamabad and Baku.",
	  "World", tags_pk_az, 2 },
	{ TRADE, "Islamabad and Baku Expand Trade Corridor",
	  "Trade between Pakistan and Azerbaijan is growing. A new transport "
	  "corridor links Karachi port with Baku by road and rail, and the "
	  "ministers agreed to cut tariffs on textiles and agriculture.",
	  "World", tags_pk_az, 2 },
	{ ENERGY, "Azerbaijani Gas Pipeline Talks With Pakistan",
	  "Energy officials from Azerbaijan and Pakistan held talks on "
	  "liquefied gas supplies. SOCAR offered long-term energy contracts "
	  "and a pipeline study; Islamabad welcomed the cooperation.",
	  "Business", tags_energy, 2 },
	{ DERBY, "Late Goal Settles the City Derby",
	  "A late goal from the striker settled the football derby. The "
	  "goalkeeper made three saves and the coach praised the defence "
	  "after the match in front of a full stadium.",
	  "Sport", tags_football, 1 },
	{ LEAGUE, "League Leaders Win Again",
	  "The league leaders won their football match with two goals in the "
	  "second half. The coach said the striker and the goalkeeper were "
	  "outstanding; the stadium celebrated the title race.",
	  "Sport", tags_football, 1 },
	{ PHONE, "New Smartphone Camera Review",
	  "The smartphone has a larger battery, a faster processor and a "
	  "better camera. Apps open quickly and the display is bright; the "
	  "technology inside the phone is impressive.",
	  "Technology", tags_tech, 2 },
	{ CHIPS, "Chipmakers Race to Build Faster Processors",
	  "Processor makers promise smartphones with longer battery life. The "
	  "new chips power camera apps and artificial intelligence; "
	  "technology analysts expect faster phones next year.",
	  "Technology", tags_tech, 2 },
	{ FOOD, "Street Food Festival Returns",
	  "The street food festival returns with kebabs, biryani and sweets. "
	  "Chefs from many cities cooked for families who came to taste the "
	  "dishes and enjoy the music.",
	  "Lifestyle", tags_food, 1 },
};
#define NCORPUS (sizeof CORPUS / sizeof CORPUS[0])
#define K 3

static struct related_hit out[NCORPUS * K];
static size_t nout[NCORPUS];

static size_t index_of(long long id)
{
	for (size_t i = 0; i < NCORPUS; i++)
		if (CORPUS[i].id == id)
			return i;
	return (size_t)-1;
}

static int listed(size_t i, long long id)
{
	for (size_t j = 0; j < nout[i]; j++)
		if (out[i * K + j].id == id)
			return 1;
	return 0;
}

static void dump(void)
{
	if (!getenv("RELATED_DUMP"))
		return;
	for (size_t i = 0; i < NCORPUS; i++) {
		printf("# %lld:", CORPUS[i].id);
		for (size_t j = 0; j < nout[i]; j++)
			printf(" %lld (%.3f)", out[i * K + j].id, out[i * K + j].score);
		printf("\n");
	}
}

static void test_clusters(void)
{
	CHECK(related_compute(CORPUS, NCORPUS, K, 0.0, out, nout) == 0);
	size_t d = index_of(DIPLO);
	/* the diplomacy story's best two are exactly the two other region
	 * stories; anything after them is a distant third */
	CHECK(nout[d] >= 2);
	CHECK(out[d * K].id == TRADE || out[d * K].id == ENERGY);
	CHECK(out[d * K + 1].id == TRADE || out[d * K + 1].id == ENERGY);
	CHECK(out[d * K].id != out[d * K + 1].id);
	if (nout[d] == 3)
		CHECK(out[d * K + 2].score < out[d * K + 1].score / 3);
	/* each cluster finds its partner first */
	CHECK(nout[index_of(DERBY)] >= 1 && out[index_of(DERBY) * K].id == LEAGUE);
	CHECK(nout[index_of(LEAGUE)] >= 1 && out[index_of(LEAGUE) * K].id == DERBY);
	CHECK(nout[index_of(PHONE)] >= 1 && out[index_of(PHONE) * K].id == CHIPS);
	CHECK(nout[index_of(CHIPS)] >= 1 && out[index_of(CHIPS) * K].id == PHONE);
	size_t t = index_of(TRADE);
	CHECK(nout[t] >= 2 && (out[t * K].id == DIPLO || out[t * K].id == ENERGY));
	CHECK(nout[t] >= 2 && (out[t * K + 1].id == DIPLO || out[t * K + 1].id == ENERGY));
	dump();
}

static void test_invariants(void)
{
	CHECK(related_compute(CORPUS, NCORPUS, K, 0.0, out, nout) == 0);
	for (size_t i = 0; i < NCORPUS; i++) {
		CHECK(nout[i] <= K);
		CHECK(!listed(i, CORPUS[i].id)); /* never itself */
		for (size_t j = 0; j < nout[i]; j++) {
			const struct related_hit *h = &out[i * K + j];
			CHECK(h->score > 0.0 && h->score <= 1.0 + 1e-9);
			if (j > 0) /* best first */
				CHECK(h[-1].score >= h->score);
		}
	}
	/* the food story shares nothing that matters with the rest */
	size_t f = index_of(FOOD);
	for (size_t j = 0; j < nout[f]; j++)
		CHECK(out[f * K + j].score < 0.1);
}

static void test_symmetric_scores(void)
{
	CHECK(related_compute(CORPUS, NCORPUS, K, 0.0, out, nout) == 0);
	size_t a = index_of(DIPLO), b = index_of(TRADE);
	double ab = -1, ba = -2;
	for (size_t j = 0; j < nout[a]; j++)
		if (out[a * K + j].id == TRADE)
			ab = out[a * K + j].score;
	for (size_t j = 0; j < nout[b]; j++)
		if (out[b * K + j].id == DIPLO)
			ba = out[b * K + j].score;
	CHECK(ab == ba);
}

static void test_k_limits(void)
{
	struct related_hit one[NCORPUS];
	size_t n1[NCORPUS];

	CHECK(related_compute(CORPUS, NCORPUS, 1, 0.0, one, n1) == 0);
	for (size_t i = 0; i < NCORPUS; i++)
		CHECK(n1[i] <= 1);
	/* k = 1 keeps the best of the k = 3 list */
	CHECK(related_compute(CORPUS, NCORPUS, K, 0.0, out, nout) == 0);
	for (size_t i = 0; i < NCORPUS; i++)
		if (nout[i])
			CHECK(n1[i] == 1 && one[i].id == out[i * K].id);
	CHECK(related_compute(CORPUS, NCORPUS, 0, 0.0, NULL, n1) == 0);
	for (size_t i = 0; i < NCORPUS; i++)
		CHECK(n1[i] == 0);
}

static void test_min_score(void)
{
	CHECK(related_compute(CORPUS, NCORPUS, K, 0.99, out, nout) == 0);
	for (size_t i = 0; i < NCORPUS; i++)
		CHECK(nout[i] == 0);
}

static void test_empty_and_single(void)
{
	size_t n1 = 99;
	struct related_hit h[K];

	CHECK(related_compute(NULL, 0, K, 0.0, NULL, NULL) == 0);
	CHECK(related_compute(CORPUS, 1, K, 0.0, h, &n1) == 0);
	CHECK(n1 == 0);
}

static void test_empty_fields(void)
{
	const struct related_doc docs[] = {
		{ 1, NULL, NULL, NULL, NULL, 0 },
		{ 2, "", "", "", NULL, 0 },
		{ 3, "the and of", "12 345 to be", NULL, NULL, 0 },
	};
	size_t n[3];
	struct related_hit h[3 * 2];

	CHECK(related_compute(docs, 3, 2, 0.0, h, n) == 0);
	CHECK(n[0] == 0 && n[1] == 0 && n[2] == 0);
}

/* Ties: identical stories score the same, higher id comes first. */
static void test_ties(void)
{
	static const char *const tg[] = { "Energy" };
	const struct related_doc docs[] = {
		{ 5, "Gas pipeline deal", "pipeline gas energy", NULL, tg, 1 },
		{ 7, "Gas pipeline deal", "pipeline gas energy", NULL, tg, 1 },
		{ 9, "Gas pipeline deal", "pipeline gas energy", NULL, tg, 1 },
	};
	size_t n[3];
	struct related_hit h[3 * 2];

	CHECK(related_compute(docs, 3, 2, 0.0, h, n) == 0);
	CHECK(n[0] == 2 && h[0].id == 9 && h[1].id == 7);
	CHECK(n[1] == 2 && h[2].id == 9 && h[3].id == 5);
	CHECK(n[2] == 2 && h[4].id == 7 && h[5].id == 5);
	CHECK(h[0].score == h[1].score);
}

/* Stemming and stop words: "energies"/"talks" meet "energy"/"talk";
 * stop words alone relate nothing. */
static void test_tokens(void)
{
	const struct related_doc docs[] = {
		{ 1, NULL, "energies talks pipelines", NULL, NULL, 0 },
		{ 2, NULL, "energy talk pipeline", NULL, NULL, 0 },
		{ 3, NULL, "which their said also were been have", NULL, NULL, 0 },
		{ 4, NULL, "which their said also were been have", NULL, NULL, 0 },
	};
	size_t n[4];
	struct related_hit h[4];

	CHECK(related_compute(docs, 4, 1, 0.0, h, n) == 0);
	CHECK(n[0] == 1 && h[0].id == 2);
	CHECK(n[0] == 1 && h[0].score > 0.999);
	CHECK(n[2] == 0 && n[3] == 0);
}

static void test_deterministic(void)
{
	struct related_hit a[NCORPUS * K], b[NCORPUS * K];
	size_t na[NCORPUS], nb[NCORPUS];

	CHECK(related_compute(CORPUS, NCORPUS, K, 0.0, a, na) == 0);
	CHECK(related_compute(CORPUS, NCORPUS, K, 0.0, b, nb) == 0);
	CHECK(memcmp(na, nb, sizeof na) == 0);
	for (size_t i = 0; i < NCORPUS; i++)
		for (size_t j = 0; j < na[i]; j++) {
			CHECK(a[i * K + j].id == b[i * K + j].id);
			CHECK(a[i * K + j].score == b[i * K + j].score);
		}
}

/* ---- benchmark (RELATED_BENCH=1) ---------------------------------------- */

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Zipf-distributed pseudo-words over a 20,000-word vocabulary. */
static char *synthetic_body(size_t words)
{
	static const char *syl[] = { "ka", "lo", "mi", "ren", "tas", "vor",
				     "pel", "dun", "sir", "gam", "nob", "ter",
				     "qua", "zil", "fen", "hor" };
	char *b = malloc(words * 24 + 1), *p = b;
	for (size_t w = 0; w < words; w++) {
		double u = (double)(next() % 1000000) / 1000000.0;
		size_t x = (size_t)(exp(u * log(20000.0))) + 300;
		do {
			p += sprintf(p, "%s", syl[x % 16]);
			x /= 16;
		} while (x);
		*p++ = ' ';
	}
	*p = '\0';
	return b;
}

static void bench(void)
{
	enum { N = 2000, WORDS = 800, BK = 5 };
	static const char *const tg[] = { "Pakistan", "Energy", "Football" };
	struct related_doc *docs = calloc(N, sizeof *docs);
	struct related_hit *h = malloc(N * BK * sizeof *h);
	size_t *n = malloc(N * sizeof *n);
	struct timespec t0, t1, c0, c1;

	for (size_t i = 0; i < N; i++)
		docs[i] = (struct related_doc){ (long long)i, "Title words here",
						synthetic_body(WORDS), "World",
						tg + i % 3, 1 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	CHECK(related_compute(docs, N, BK, 0.0, h, n) == 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# related_compute: %d docs x %d words: %.3f s wall, %.3f s cpu\n",
	       N, WORDS,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)(c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9);
	for (size_t i = 0; i < N; i++)
		free((char *)docs[i].body);
	free(docs);
	free(h);
	free(n);
}

int main(void)
{
	RUN(test_clusters);
	RUN(test_invariants);
	RUN(test_symmetric_scores);
	RUN(test_k_limits);
	RUN(test_min_score);
	RUN(test_empty_and_single);
	RUN(test_empty_fields);
	RUN(test_ties);
	RUN(test_tokens);
	RUN(test_deterministic);
	if (getenv("RELATED_BENCH"))
		RUN(bench);
	return T_DONE();
}
