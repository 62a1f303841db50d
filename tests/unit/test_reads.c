/*
 * test_reads: the in-memory read counter (stats/reads.h): robots by
 * User-Agent, story paths, counts summed per slug and handed over once,
 * a bounded table; and the hourly totals in the store (store_reads.h):
 * only published stories, the window of hours, most read first, the
 * purge, the "reads" tag on the list.
 */
#include "t.h"
#include "../../src/stats/reads.h"
#include "../../src/store/store.h"
#include "../../src/store/store_reads.h"
#include "../../src/util/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void robots(void)
{
	static const struct { const char *ua; int bot; } cases[] = {
		{ NULL, 1 },
		{ "", 1 },
		{ "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", 0 },
		{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1", 0 },
		{ "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 1 },
		{ "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0)", 1 },
		{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36", 1 },
		{ "curl/8.5.0", 1 },
		{ "python-requests/2.31", 1 },
		{ "facebookexternalhit/1.1", 1 },
		{ "Mozilla/5.0 (compatible; YandexSpider/3.0)", 1 },
		{ "Slackbot-LinkExpanding 1.0", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (reads_is_bot(cases[i].ua) != cases[i].bot) {
			fprintf(stderr, "%s: want %d\n", cases[i].ua ? cases[i].ua : "(none)", cases[i].bot);
			CHECK(0);
		}
}

static void story_paths(void)
{
	size_t n = 0;
	const char *s = reads_story_slug("/2024/07/05/some-story", &n);
	CHECK(s && n == 10 && strncmp(s, "some-story", n) == 0);
	CHECK(reads_story_slug("/2024/07/05/", &n) == NULL);
	CHECK(reads_story_slug("/2024/07/05/a/comments/feed", &n) == NULL);
	CHECK(reads_story_slug("/section/world", &n) == NULL);
	CHECK(reads_story_slug("/20x4/07/05/a", &n) == NULL);
	CHECK(reads_story_slug("/", &n) == NULL);
}

struct got {
	char slug[8][32];
	unsigned count[8];
	int n;
};

static void take(void *arg, const char *slug, unsigned count)
{
	struct got *g = arg;
	if (g->n < 8) {
		snprintf(g->slug[g->n], sizeof g->slug[0], "%s", slug);
		g->count[g->n++] = count;
	}
}

static unsigned count_of(const struct got *g, const char *slug)
{
	for (int i = 0; i < g->n; i++)
		if (strcmp(g->slug[i], slug) == 0)
			return g->count[i];
	return 0;
}

static void counting(void)
{
	struct reads *r = reads_new();
	CHECK(r != NULL);
	for (int i = 0; i < 5; i++)
		reads_count(r, "alpha-and-more", 5); /* "alpha" */
	reads_count(r, "beta", 4);
	struct got g = { .n = 0 };
	CHECK(reads_take(r, take, &g) == 2);
	CHECK(count_of(&g, "alpha") == 5 && count_of(&g, "beta") == 1);
	struct got again = { .n = 0 };
	CHECK(reads_take(r, take, &again) == 0); /* handed over once */
	/* bounded: 20,000 made-up slugs keep at most the table */
	char slug[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(slug, sizeof slug, "made-up-%d", i);
		reads_count(r, slug, strlen(slug));
	}
	struct got many = { .n = 0 };
	size_t kept = reads_take(r, take, &many);
	/* one thread counts in one stripe, at most 3/4 full */
	CHECK(kept >= READS_SLOTS / 2 && kept <= READS_SLOTS * 3 / 4);
	reads_free(r);
}

struct hammer {
	struct reads *r;
	int n;
};

static void *hammer(void *arg)
{
	struct hammer *h = arg;
	for (int i = 0; i < h->n; i++)
		reads_count(h->r, "everyone-reads-this", 19);
	return NULL;
}

static void sum_of(void *arg, const char *slug, unsigned count)
{
	if (strcmp(slug, "everyone-reads-this") == 0)
		*(unsigned long *)arg += count;
}

/* threads reading one story at once: each counts in its own stripe, and
 * the flush adds them all up, none lost */
static void threads(void)
{
	struct reads *r = reads_new();
	CHECK(r != NULL);
	pthread_t t[6];
	struct hammer h = { r, 20000 };
	for (int i = 0; i < 6; i++)
		CHECK(pthread_create(&t[i], NULL, hammer, &h) == 0);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	unsigned long total = 0;
	size_t rows = reads_take(r, sum_of, &total);
	CHECK(total == 6ul * 20000);
	CHECK(rows >= 1 && rows <= 6);
	reads_free(r);
}

struct seen {
	int reads;
};

static void record(void *arg, const char *tag)
{
	struct seen *s = arg;
	if (strcmp(tag, "reads") == 0)
		s->reads = 1;
}

static long long story(struct store *st, long long author, const char *slug, enum story_status status,
		       long long at)
{
	struct story s = { .slug = slug, .title = slug, .excerpt = "", .body_md = "x", .body_html = "<p>x</p>",
			   .status = status, .published_at = at, .updated_at = at };
	s.author.id = author;
	long long id = 0;
	CHECK(store_story_insert(st, &s, &id) == STORE_OK);
	return id;
}

static int changed;

static int rank(struct store *st, long long since)
{
	if (store_begin(st) || store_reads_rank(st, since, &changed))
		return STORE_ERROR;
	return store_commit(st);
}

static void stored(void)
{
	char dir[] = "/tmp/gz-reads-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	struct pool *p = pool_new();
	long long author, h = 500000;
	CHECK(store_user_add(st, "Ann", "ann", "ann@example.test", "", "editor", &author) == 0);
	long long a = story(st, author, "old-one", STORY_PUBLISHED, 1000);
	long long b = story(st, author, "new-one", STORY_PUBLISHED, 2000);
	story(st, author, "a-draft", STORY_DRAFT, 3000);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_reads_add(st, "old-one", h, 3) == STORE_OK);
	CHECK(store_reads_add(st, "old-one", h, 2) == STORE_OK); /* summed */
	CHECK(store_reads_add(st, "new-one", h - 1, 4) == STORE_OK);
	CHECK(store_reads_add(st, "new-one", h - 30, 100) == STORE_OK); /* out of the window */
	CHECK(store_reads_add(st, "a-draft", h, 50) == STORE_OK);    /* not published: nothing */
	CHECK(store_reads_add(st, "no-such-story", h, 50) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	struct story *v;
	size_t n;
	struct seen s = { 0 };
	CHECK(store_reads_top(st, p, 5, &v, &n) == STORE_OK && n == 0); /* not ranked yet */
	CHECK(rank(st, h - 23) == STORE_OK && changed);
	CHECK(rank(st, h - 23) == STORE_OK && !changed); /* the same order: nothing new */
	store_set_recorder(st, record, &s);
	CHECK(store_reads_top(st, p, 5, &v, &n) == STORE_OK);
	store_set_recorder(st, NULL, NULL);
	CHECK(s.reads);
	CHECK(n == 2 && v[0].id == a && v[1].id == b);
	/* links: what a story's address and title need */
	CHECK(strcmp(v[0].slug, "old-one") == 0 && strcmp(v[1].slug, "new-one") == 0);
	CHECK(*v[0].title && v[0].published_at == 1000 && v[0].status == STORY_PUBLISHED);
	/* with the old hour, the newer story leads; the purge drops it */
	CHECK(rank(st, h - 40) == STORE_OK);
	CHECK(store_reads_top(st, p, 5, &v, &n) == STORE_OK);
	CHECK(n == 2 && v[0].id == b);
	CHECK(store_reads_purge(st, h - 23) == STORE_OK);
	CHECK(rank(st, h - 40) == STORE_OK);
	CHECK(store_reads_top(st, p, 5, &v, &n) == STORE_OK);
	CHECK(n == 2 && v[0].id == a);
	CHECK(store_reads_top(st, p, 1, &v, &n) == STORE_OK && n == 1);
	pool_free(p);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

int main(void)
{
	RUN(robots);
	RUN(story_paths);
	RUN(counting);
	RUN(threads);
	RUN(stored);
	return T_DONE();
}
