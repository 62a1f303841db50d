/*
 * gen_stories: fills a site database with N generated stories, fast, for
 * the search and sitemap benchmarks and the tests that need many stories.
 *
 *   cc -O2 -o bench/gen_stories bench/gen_stories.c -lsqlite3
 *   bench/gen_stories SITE/gazette.db 100000 [SEED]
 *
 * The one decision: the words follow a Zipf law over a fixed vocabulary
 * (a few hundred real English news words, then made-up ones), so a search
 * for a common word matches tens of thousands of stories and a rare one a
 * handful, as in a real archive. Stories go in through plain INSERTs in
 * one transaction, so the full-text triggers index them exactly as they
 * index a story saved by the newsroom. About 1 in 20 is a draft (never
 * found). Dates spread over ten years before now; tags come from 400 names.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const common[] = {
	"the", "of", "and", "to", "in", "said", "on", "for", "with", "as", "at", "by",
	"government", "minister", "year", "people", "new", "country", "trade", "energy",
	"market", "police", "city", "officials", "report", "court", "president", "election",
	"economy", "prices", "bank", "company", "water", "health", "school", "children",
	"workers", "budget", "tax", "border", "talks", "agreement", "oil", "gas", "power",
	"climate", "rain", "flood", "storm", "farmers", "crops", "wheat", "rice", "exports",
	"imports", "investment", "airline", "flights", "railway", "road", "port", "shipping",
	"football", "cricket", "tennis", "match", "final", "season", "coach", "players",
	"film", "festival", "music", "museum", "exhibition", "artists", "theatre", "book",
	"technology", "phone", "chip", "software", "internet", "data", "security", "privacy",
	"hospital", "doctors", "vaccine", "disease", "research", "university", "students",
	"protest", "strike", "union", "wages", "jobs", "housing", "rent", "inflation",
	"interest", "rates", "currency", "debt", "loan", "fund", "solar", "wind", "nuclear",
	"coal", "pipeline", "refinery", "drought", "heat", "forest", "fire", "earthquake",
	"parliament", "senate", "vote", "party", "leader", "opposition", "campaign", "poll",
	"baku", "islamabad", "lahore", "karachi", "tashkent", "almaty", "tbilisi", "ankara",
	"pakistan", "azerbaijan", "turkey", "georgia", "iran", "china", "india", "russia",
	"summit", "treaty", "sanctions", "embassy", "diplomats", "visit", "cooperation",
	"connectivity", "corridor", "logistics", "tourism", "hotel", "visa", "airport",
};
#define NCOMMON (sizeof common / sizeof common[0])
#define VOCAB 40000
#define NTAGS 400
#define NSECTIONS 8
#define NAUTHORS 12

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static double uniform(void) { return (double)(next() >> 11) / 9007199254740992.0; }

static char *words[VOCAB];
static double cdf[VOCAB];

static void vocab_init(void)
{
	static const char syl[][4] = { "ka", "ro", "mi", "tel", "an", "vo", "sur", "den",
				       "li", "pa", "gor", "esh", "un", "zi", "bar", "ton" };
	double total = 0;
	for (size_t i = 0; i < VOCAB; i++) {
		if (i < NCOMMON) {
			words[i] = strdup(common[i]);
		} else {
			char w[32] = "";
			size_t v = i;
			do {
				strncat(w, syl[v % 16], sizeof w - strlen(w) - 1);
				v /= 16;
			} while (v);
			words[i] = strdup(w);
		}
		total += 1.0 / pow((double)i + 2.7, 1.07);
		cdf[i] = total;
	}
	for (size_t i = 0; i < VOCAB; i++)
		cdf[i] /= total;
}

static const char *word(void)
{
	double u = uniform();
	size_t lo = 0, hi = VOCAB - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return words[lo];
}

static void sentence(char *out, size_t cap, size_t nwords)
{
	size_t o = strlen(out);
	for (size_t i = 0; i < nwords && o + 40 < cap; i++) {
		const char *w = word();
		if (i)
			o += (size_t)snprintf(out + o, cap - o, " %s", w);
		else
			o += (size_t)snprintf(out + o, cap - o, "%c%s", w[0] - 32, w + 1);
	}
	if (o + 3 < cap)
		memcpy(out + o, ". ", 3);
}

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "gen_stories: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(db, sql);
	return s;
}

static void step(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die(db, "insert");
	sqlite3_reset(s);
}

static long long one_id(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = prep(db, sql);
	long long v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return v;
}

/* Sections, authors and tags the stories use (added when missing). */
static void ensure_names(sqlite3 *db, long long *sec, long long *auth, long long *tags)
{
	char sql[256];
	long long now = (long long)time(NULL);
	for (int i = 0; i < NSECTIONS; i++) {
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO sections(name, slug, position, path)"
			 " VALUES('Gen section %d', 'gen-section-%d', %d, 'gen-section-%d')", i, i, 100 + i, i);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		snprintf(sql, sizeof sql, "SELECT id FROM sections WHERE slug = 'gen-section-%d'", i);
		sec[i] = one_id(db, sql);
	}
	for (int i = 0; i < NAUTHORS; i++) {
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO users(name, slug, email, created_at)"
			 " VALUES('Writer %d', 'gen-writer-%d', 'gen%d@example.org', %lld)", i, i, i, now);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		snprintf(sql, sizeof sql, "SELECT id FROM users WHERE slug = 'gen-writer-%d'", i);
		auth[i] = one_id(db, sql);
	}
	for (int i = 0; i < NTAGS; i++) {
		const char *w = words[i % NCOMMON];
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO tags(name, slug)"
			 " VALUES('%s %d', 'gen-%s-%d')", w, i, w, i);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		snprintf(sql, sizeof sql, "SELECT id FROM tags WHERE slug = 'gen-%s-%d'", w, i);
		tags[i] = one_id(db, sql);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: gen_stories DATABASE N [SEED]\n");
		return 2;
	}
	long n = atol(argv[2]);
	if (argc > 3)
		rng ^= (unsigned long long)atoll(argv[3]) * 0x9E3779B97F4A7C15ULL;
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die(db, "open");
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
		     " PRAGMA cache_size=-200000;", NULL, NULL, NULL);
	vocab_init();
	long long sec[NSECTIONS], auth[NAUTHORS], tags[NTAGS];
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "begin");
	ensure_names(db, sec, auth, tags);
	long long base = one_id(db, "SELECT COALESCE(max(id), 0) FROM stories");
	sqlite3_stmt *ins = prep(db,
		"INSERT INTO stories(slug, title, excerpt, body_md, body_html, section_id, author_id,"
		" status, published_at, created_at, updated_at, reading_minutes, id)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)");
	sqlite3_stmt *tag = prep(db, "INSERT OR IGNORE INTO story_tags(story_id, tag_id, position)"
				     " VALUES(?1, ?2, ?3)");
	long long now = (long long)time(NULL), span = 10LL * 365 * 86400;
	static char title[512], excerpt[1024], body[16384], html[20000], slug[64];
	clock_t t0 = clock();
	for (long i = 0; i < n; i++) {
		title[0] = excerpt[0] = body[0] = '\0';
		sentence(title, sizeof title, 5 + next() % 6);
		title[strlen(title) - 2] = '\0';
		sentence(excerpt, sizeof excerpt, 18 + next() % 12);
		size_t paras = 3 + next() % 5;
		for (size_t p = 0; p < paras; p++) {
			for (int s = 0; s < 3; s++)
				sentence(body, sizeof body, 12 + next() % 14);
			size_t bl = strlen(body);
			if (bl + 3 < sizeof body)
				memcpy(body + bl, "\n\n", 3);
		}
		snprintf(html, sizeof html, "<p>%s</p>\n", body);
		snprintf(slug, sizeof slug, "gen-%lld", base + i + 1);
		long long pub = now - (long long)(uniform() * (double)span);
		sqlite3_bind_text(ins, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, excerpt, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, body, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, html, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 6, sec[next() % NSECTIONS]);
		sqlite3_bind_int64(ins, 7, auth[next() % NAUTHORS]);
		sqlite3_bind_int(ins, 8, next() % 20 == 0 ? 0 : 3);
		sqlite3_bind_int64(ins, 9, pub);
		sqlite3_bind_int64(ins, 10, pub + (long long)(next() % 86400));
		sqlite3_bind_int(ins, 11, 1 + (int)(strlen(body) / 1200));
		long long id = base + i + 1;
		sqlite3_bind_int64(ins, 12, id);
		/* tags first (foreign keys are off on this connection): the story's
		 * insert trigger then indexes it once, tags included */
		int nt = 1 + (int)(next() % 3);
		for (int t = 0; t < nt; t++) {
			/* tags are Zipf too: a few big ones, many small */
			size_t k = (size_t)(pow(uniform(), 2.5) * NTAGS);
			sqlite3_bind_int64(tag, 1, id);
			sqlite3_bind_int64(tag, 2, tags[k < NTAGS ? k : NTAGS - 1]);
			sqlite3_bind_int(tag, 3, t);
			step(db, tag);
		}
		step(db, ins);
		if ((i + 1) % 10000 == 0)
			fprintf(stderr, "gen_stories: %ld stories (%.1f s)\n", i + 1,
				(double)(clock() - t0) / CLOCKS_PER_SEC);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(tag);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "commit");
	sqlite3_exec(db, "INSERT INTO story_fts(story_fts) VALUES('optimize')", NULL, NULL, NULL);
	sqlite3_close(db);
	fprintf(stderr, "gen_stories: %ld stories in %.1f s\n", n,
		(double)(clock() - t0) / CLOCKS_PER_SEC);
	return 0;
}
