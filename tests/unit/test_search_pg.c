/*
 * Unit tests for store_search on PostgreSQL (store_search_pg.c, the
 * story_fts of schema_pg.h), each case run on a SQLite store too with the
 * same stories, asserting the same ids in the same order (and the same
 * marks) on both, so the engines cannot drift. Run without GAZETTE_TEST_PG,
 * the test runs itself again under tests/unit/with_pg.sh, which starts a
 * server of its own (C locale: the case of non-ASCII words is folded by
 * the index, not the database).
 *
 * What it proves: hits and order for one and several words (title over
 * tags over body, the newer of equals first), stemming (election finds
 * Elections), accents (café/cafe, CAFÉ) and case in any script
 * (Azərbaycan/AZƏRBAYCAN, ə kept apart from e), Urdu and CJK words as
 * FTS5's unicode61 makes them, a hostile query (tsquery and FTS5 syntax:
 * quotes, &|!():*<->\) is never an error, even given raw on PostgreSQL;
 * total, offset and limit paging (past the end too); marks in the title
 * and the snippet; only published stories (a draft, an unpublished story);
 * *used; the cap of STORE_SEARCH_RANKED ranked matches; a database of
 * before migration 40 indexed again by it.
 *
 * The PostgreSQL store is made by hand around pg_connect, as store_open
 * will make it (h-pgopen): switch to store_open with the URL once merged.
 */
#include "t.h"
#include "t_pg.h"
#include "t_store.h"
#include "../../src/search/query.h"
#include "../../src/store/store_int.h"
#include "../../src/store/schema_pg.h"
#include "../../src/store/store_pg_migrate.h"
#include "../../src/store/store_search.h"
#include "../../src/util/buf.h"
#include "../../src/util/pool.h"

#include <stdlib.h>

static struct store *pg, *lite;
static const char *conninfo; /* the server's (t_pg.h) */

/* Runs one statement on st (either engine): 0 or -1 with the reason. */
static int sql(struct store *st, const char *text)
{
	dbq s;
	if (db_prepare(st->db, text, &s)) {
		fprintf(stderr, "prepare: %s\n%s\n", db_errmsg(st->db), text);
		return -1;
	}
	int rc = q_step(&s);
	if (rc != DB_DONE && rc != DB_ROW)
		fprintf(stderr, "step: %s\n%s\n", db_errmsg(st->db), text);
	db_finalize(&s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* The stories every case reads, the same on both engines; published_at
 * grows with the id (newest = largest id). */
static const char *const FIXTURE[] = {
	"INSERT INTO users(id, name, slug, email, created_at) VALUES"
	" (1, 'Ann Writer', 'ann', 'ann@example.com', 0), (2, 'Bob', 'bob', 'bob@example.com', 0)",
	"INSERT INTO sections(id, name, slug) VALUES (1, 'World', 'world')",
	"INSERT INTO tags(id, name, slug) VALUES (1, 'election', 'election'), (2, 'politics', 'politics')",
#define STORY(id, title, excerpt, body, status) \
	"INSERT INTO stories(id, slug, title, excerpt, body_md, body_html, section_id, author_id," \
	" status, published_at, created_at, updated_at) VALUES (" #id ", 's" #id "', '" title "', '" \
	excerpt "', '" body "', '', 1, 1, " #status ", " #id "000, 0, 0)"
	STORY(1, "Elections in Baku", "", "The vote was counted.", 3),
	STORY(2, "Weather", "", "It was a sunny day for the election in the city.", 3),
	STORY(3, "Café culture", "The best café in town", "Coffee and cake.", 3),
	STORY(4, "Azərbaycan today", "", "News from Bakı.", 3),
	STORY(5, "پاکستان کی حکومت", "", "انتخابات کا اعلان", 3),
	STORY(6, "Election draft", "", "Not yet out.", 1),
	STORY(7, "Parliament", "", "Members met.", 3),
	STORY(8, "Morning", "", "A cafe opened on the square.", 3),
	STORY(9, "東京都の選挙", "", "東京都の選挙", 3),
	STORY(10, "Harbour fire", "", "Smoke over the docks.", 3),
	STORY(11, "Harbour fire", "", "Smoke over the docks.", 3),
	STORY(12, "Election recount", "", "Soon to be withdrawn.", 3),
	STORY(13, "Quarry", "", "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do"
		  " eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim"
		  " veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea"
		  " commodo consequat the granite was cut duis aute irure dolor in reprehenderit"
		  " in voluptate velit esse cillum dolore eu fugiat nulla pariatur excepteur sint"
		  " occaecat cupidatat non proident sunt in culpa qui officia deserunt mollit.", 3),
#undef STORY
	"INSERT INTO story_tags(story_id, tag_id) VALUES (7, 1), (1, 2)",
	"UPDATE stories SET status = 1 WHERE id = 12", /* unpublished: out of the index */
};

static int load(struct store *st)
{
	for (size_t i = 0; i < sizeof FIXTURE / sizeof FIXTURE[0]; i++)
		if (sql(st, FIXTURE[i]))
			return -1;
	return 0;
}

/* One search on st: the ids of the hits, space-separated ("" none), or
 * "error"; *total and *used and the hits themselves for the caller. */
struct result {
	char ids[256];
	size_t n, total;
	const char *used;
	struct search_hit *hits;
};

static void search(struct store *st, struct pool *p, const char *words, size_t offset,
		   size_t limit, struct result *r)
{
	struct buf match = BUF_INIT, list = BUF_INIT;
	struct search_query q;
	memset(r, 0, sizeof *r);
	if (search_query_build(words, strlen(words), &match, &list, &q) != SEARCH_QOK) {
		snprintf(r->ids, sizeof r->ids, "empty query");
	} else if (store_search(st, p, q.match, offset, limit, &r->hits, &r->n, &r->total,
				&r->used)) {
		snprintf(r->ids, sizeof r->ids, "error: %s", store_errmsg(st));
	} else {
		size_t len = 0;
		for (size_t i = 0; i < r->n && len < sizeof r->ids; i++)
			len += (size_t)snprintf(r->ids + len, sizeof r->ids - len, "%s%lld",
						i ? " " : "", r->hits[i].story.id);
	}
	buf_release(&match);
	buf_release(&list);
}

/* words on both engines: the same ids, total and words used, and those
 * are want's ids and total. */
static void both(const char *words, size_t offset, size_t limit, const char *want,
		 size_t total)
{
	struct pool *p = pool_new();
	struct result a, b;
	search(pg, p, words, offset, limit, &a);
	search(lite, p, words, offset, limit, &b);
	if (strcmp(a.ids, want) || strcmp(b.ids, want) || a.total != total || b.total != total)
		fprintf(stderr, "query \"%s\" (offset %zu, limit %zu)\n", words, offset, limit);
	CHECK_STR(a.ids, want);
	CHECK_STR(b.ids, want);
	CHECK(a.total == total);
	CHECK(b.total == total);
	CHECK_STR(a.used ? a.used : "", b.used ? b.used : "");
	pool_free(p);
}

/* Queries of the first page (10 hits) and what both engines find. */
struct want {
	const char *words, *ids;
	size_t total;
};

static void both_first(const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		both(w[i].words, 0, 10, w[i].ids, w[i].total);
}

#define BOTH_FIRST(w) both_first(w, sizeof w / sizeof w[0])

static void test_words_and_order(void)
{
	static const struct want w[] = {
		/* title (Elections: stemmed) over tag over body; draft 6 and
		 * unpublished 12 left out */
		{ "election", "1 7 2", 3 },
		{ "ELECTIONS", "1 7 2", 3 },
		{ "election politics", "1", 1 }, /* the tag of 1 */
		{ "election weather", "2", 1 },
		{ "election nowhere", "", 0 },
		/* the section's and the author's names are searched too */
		{ "world cafe", "3 8", 2 },
		/* equal stories: the newer first */
		{ "harbour fire", "11 10", 2 },
		{ "granite", "13", 1 },
	};
	BOTH_FIRST(w);
	/* the author, in every story: the shortest first (both engines weigh
	 * a long story down) */
	both("ann writer", 0, 3, "9 7 4", 11);
}

static void test_accents_and_scripts(void)
{
	static const struct want w[] = {
		{ "cafe", "3 8", 2 },
		{ "café", "3 8", 2 },
		{ "CAFÉ", "3 8", 2 },
		{ "azərbaycan", "4", 1 },
		{ "AZƏRBAYCAN", "4", 1 },
		{ "Azərbaycan", "4", 1 },
		/* ə is a letter of its own, not e with an accent, on both */
		{ "azerbaycan", "", 0 },
		{ "bakı", "4", 1 },
		{ "حکومت", "5", 1 },
		{ "پاکستان انتخابات", "5", 1 },
		{ "انتخابات", "5", 1 },
		/* a run of CJK characters is one word to both */
		{ "東京都の選挙", "9", 1 },
		{ "東京都", "", 0 },
	};
	BOTH_FIRST(w);
}

static void test_hostile(void)
{
	static const struct want w[] = {
		/* what search_query_build keeps of it is words: election */
		{ "\"election\":* & !|()<->'\\", "1 7 2", 3 },
		{ "election\" OR \"cafe", "", 0 },
		{ "NEAR(election cafe) *", "", 0 },
		{ "-election", "1 7 2", 3 },
	};
	BOTH_FIRST(w);
	/* given raw to PostgreSQL's store_search, tsquery syntax is text */
	const char *raw[] = { "\"a:*&!|()<->'\\\"", "\"'election':*\"", "\"!\" \"election\"",
			      "\"election & cafe\"", "\"(\"", "\"\\\\\"", "\"''\"" };
	struct pool *p = pool_new();
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
		struct search_hit *hits;
		size_t n, total;
		const char *used;
		int rc = store_search(pg, p, raw[i], 0, 10, &hits, &n, &total, &used);
		if (rc)
			fprintf(stderr, "raw %s: %s\n", raw[i], store_errmsg(pg));
		CHECK(rc == STORE_OK);
		/* 'election':* is the word election: its three hits, no prefix */
		if (i == 1)
			CHECK(n == 3 && total == 3);
		if (i == 3) /* the words of one quoted phrase are ANDed: none hold both */
			CHECK(n == 0);
	}
	pool_free(p);
}

static void test_paging(void)
{
	both("election", 0, 2, "1 7", 3);
	both("election", 2, 2, "2", 3);
	both("election", 1, 1, "7", 3);
	both("election", 3, 10, "", 3); /* past the end: the count */
	both("election", 50, 10, "", 3);
}

static void test_marks_and_used(void)
{
	struct pool *p = pool_new();
	struct result a[2];
	struct store *st[2] = { pg, lite };
	for (int e = 0; e < 2; e++) {
		search(st[e], p, "CAFE", 0, 10, &a[e]);
		CHECK(a[e].n == 2);
		if (a[e].n != 2)
			continue;
		CHECK_STR(a[e].hits[0].title_marked, "\x01" "Café\x02 culture");
		CHECK_STR(a[e].hits[0].snippet_marked, "The best \x01" "café\x02 in town");
		CHECK_STR(a[e].hits[1].title_marked, "Morning");
		CHECK_STR(a[e].hits[1].snippet_marked, "A \x01" "cafe\x02 opened on the square.");
		CHECK_STR(a[e].used, "CAFE");
		CHECK_STR(a[e].hits[0].story.title, "Café culture");
		CHECK_STR(a[e].hits[0].story.author.name, "Ann Writer");
	}
	for (int e = 0; e < 2; e++) {
		search(st[e], p, "elections baku", 0, 10, &a[e]);
		CHECK(a[e].n == 1);
		if (a[e].n == 1)
			CHECK_STR(a[e].hits[0].title_marked, "\x01" "Elections\x02 in \x01" "Baku\x02");
		CHECK_STR(a[e].used, "elections baku");
	}
	/* a long body: a passage around the word, not the whole body */
	for (int e = 0; e < 2; e++) {
		search(st[e], p, "granite", 0, 10, &a[e]);
		CHECK(a[e].n == 1);
		if (a[e].n != 1)
			continue;
		CHECK_STR(a[e].hits[0].snippet_marked,
			  "…exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat the"
			  " \x01" "granite\x02 was cut duis aute irure dolor in reprehenderit in"
			  " voluptate velit esse…");
	}
	pool_free(p);
}

static void test_index_follows_writes(void)
{
	/* the triggers: a new tag, a renamed section, an unpublished story */
	struct store *st[2] = { pg, lite };
	for (int e = 0; e < 2; e++) {
		CHECK(sql(st[e], "INSERT INTO tags(id, name, slug) VALUES (3, 'weather', 'weather')") == 0);
		CHECK(sql(st[e], "INSERT INTO story_tags(story_id, tag_id) VALUES (8, 3)") == 0);
		CHECK(sql(st[e], "UPDATE sections SET name = 'Monde' WHERE id = 1") == 0);
		CHECK(sql(st[e], "UPDATE stories SET status = 1 WHERE id = 11") == 0);
	}
	both("weather", 0, 10, "2 8", 2); /* title over tag */
	both("monde harbour", 0, 10, "10", 1);
	both("world", 0, 10, "", 0);
}

/* More matches than STORE_SEARCH_RANKED: the newest that many + 1 ranked
 * and pageable, *total says "more". */
static void test_ranked_cap(void)
{
	CHECK(sql(pg, "INSERT INTO stories(id, slug, title, body_md, body_html, author_id, status,"
		      " published_at, created_at, updated_at) SELECT 1000 + g, 'q' || g, 'Quay',"
		      " 'quay', '', 2, 3, 100000 + g, 0, 0 FROM generate_series(1, 2010) g") == 0);
	CHECK(sql(lite, "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g"
			" WHERE n < 2010) INSERT INTO stories(id, slug, title, body_md, body_html,"
			" author_id, status, published_at, created_at, updated_at) SELECT 1000 + n,"
			" 'q' || n, 'Quay', 'quay', '', 2, 3, 100000 + n, 0, 0 FROM g") == 0);
	char want[64];
	/* the newest first; the last page ends at the (RANKED + 1)-th newest */
	both("quay", 0, 3, "3010 3009 3008", STORE_SEARCH_RANKED + 1);
	snprintf(want, sizeof want, "%d %d", 3010 - STORE_SEARCH_RANKED + 1, 3010 - STORE_SEARCH_RANKED);
	both("quay", STORE_SEARCH_RANKED - 1, 10, want, STORE_SEARCH_RANKED + 1);
	both("quay", STORE_SEARCH_RANKED + 1, 10, "", STORE_SEARCH_RANKED + 1);
	both("quay harbour", 0, 10, "", 0);
}

static struct store *pg_store(const char *url);
static void pg_store_close(struct store *st);

/* A database of before migration 40 (simple words, the locale's case)
 * with its stories: migrating it indexes them again, so the stemmed and
 * case-folded words find them. */
static void test_upgrade_reindexes(void)
{
	char up[512];
	CHECK(sql(pg, "CREATE DATABASE search_up") == 0);
	snprintf(up, sizeof up, "%s dbname=search_up", conninfo);
	struct pgc *c = NULL;
	char err[256];
	if (pg_connect(up, &c, err, sizeof err)) {
		CHECK(!"connect");
		return;
	}
	CHECK(pg_exec(c, "CREATE TABLE schema_version(id BIGINT PRIMARY KEY CHECK(id = 1),"
			 " version BIGINT NOT NULL, migrated_at BIGINT NOT NULL)") == 0);
	for (int v = 0; v < 39; v++) /* those before migration 40 (this feature's) */
		CHECK(pg_exec(c, schema_pg_migrations[v]) == 0);
	CHECK(pg_exec(c, "INSERT INTO schema_version VALUES(1, 39, 0)") == 0);
	CHECK(pg_exec(c, "INSERT INTO users(id, name, slug, email, created_at)"
			 " VALUES (1, 'Ann', 'ann', 'a@example.com', 0);"
			 "INSERT INTO stories(id, slug, title, body_md, body_html, author_id,"
			 " status, published_at, created_at, updated_at)"
			 " VALUES (1, 'a', 'Elections in МОСКВА', 'Counted.', '', 1, 3, 1, 0, 0)") == 0);
	pg_close(c);
	struct store *st = pg_store(up);
	CHECK(st != NULL);
	if (!st)
		return;
	struct pool *p = pool_new();
	struct result r;
	search(st, p, "election", 0, 10, &r);
	CHECK_STR(r.ids, "1");
	if (r.n == 1)
		CHECK_STR(r.hits[0].title_marked, "\x01" "Elections\x02 in МОСКВА");
	search(st, p, "москва", 0, 10, &r);
	CHECK_STR(r.ids, "1");
	pool_free(p);
	pg_store_close(st);
}

static struct store *pg_store(const char *url)
{
	char err[256];
	int from, to;
	if (store_pg_migrate(url, &from, &to, err, sizeof err)) {
		fprintf(stderr, "migrate: %s\n", err);
		return NULL;
	}
	/* as store_open will (h-pgopen): the connection in a zeroed store */
	struct store *st = calloc(1, sizeof *st);
	if (!st || pg_connect(url, &st->db->pg, err, sizeof err)) {
		fprintf(stderr, "connect: %s\n", err);
		free(st);
		return NULL;
	}
	return st;
}

static void pg_store_close(struct store *st)
{
	for (size_t i = 0; i < STORE_STMT_SLOTS; i++)
		db_finalize(&st->cache[i].stmt);
	pg_close(st->db->pg);
	free(st);
}

int main(int argc, char **argv)
{
	conninfo = t_pg_conninfo(argv[0]);
	if (!conninfo)
		return 2;
	pg = pg_store(conninfo);
	lite = t_store_open("search-pg");
	if (!pg || !lite || load(pg) || load(lite))
		return 2;
	RUN(test_words_and_order);
	RUN(test_accents_and_scripts);
	RUN(test_hostile);
	RUN(test_paging);
	RUN(test_marks_and_used);
	RUN(test_index_follows_writes);
	RUN(test_ranked_cap);
	RUN(test_upgrade_reindexes);
	pg_store_close(pg);
	return t_store_close(lite, T_DONE());
}
