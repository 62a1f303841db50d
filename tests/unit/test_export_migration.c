/*
 * test_export_migration: the migration behind the WordPress export's
 * excerpts (issue 15, schema.h: stories.excerpt_auto). A database is built
 * with the migrations before it, holding imported and written stories as
 * the importer and the editor left them; after it, exactly the imported
 * stories whose excerpt is the opening of their text as the importer cut
 * it are marked automatic, and a later change of the excerpt (not of
 * anything else) takes the mark away.
 */
#include "t.h"
#include "t_sqlite.h"
#include "../../src/store/schema.h"

#include <sqlite3.h>

static sqlite3 *db;
static int mig = -1;   /* the index of the migration under test */

static int exec(const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "sql: %s\n  %s\n", err ? err : "?", sql);
	sqlite3_free(err);
	return rc;
}

static long long num(const char *sql)
{
	return t_sql_int(db, sql);
}

/* id, imported?, excerpt, body_md */
static const struct { int id, imported; const char *excerpt, *body; } rows[] = {
	{ 1, 1, "One paragraph only.", "One paragraph only." },
	{ 2, 1, "The opening paragraph.", "The opening paragraph.\n\nThe second one." },
	{ 3, 1, "A long opening that the importer cut at a word…",
	  "A long opening that the importer cut at a word and went on well past its limit." },
	{ 4, 1, "A summary someone wrote.", "The text itself.\n\nMore text." },
	{ 5, 0, "Typed as the opening.", "Typed as the opening.\n\nThen more." },
	{ 6, 1, "", "An empty excerpt stays the newsroom's." },
	{ 7, 1, "Cut short…", "Cut differently, not the opening." },
};

static void build(void)
{
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	for (int i = 0; i < SCHEMA_VERSION && mig < 0; i++)
		if (strstr(schema_migrations[i], "stories_excerpt_own"))
			mig = i;
	CHECK(mig > 0);
	for (int i = 0; i < mig; i++)
		CHECK(exec(schema_migrations[i]) == SQLITE_OK);
	CHECK(exec("INSERT INTO users(id, name, slug, email, created_at)"
		   " VALUES(1, 'A', 'a', 'a@example.org', 0)") == SQLITE_OK);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *sql = sqlite3_mprintf(
			"INSERT INTO stories(id, slug, title, excerpt, body_md, body_html, author_id,"
			" status, published_at, created_at, updated_at)"
			" VALUES(%d, 's%d', 'T', %Q, %Q, '<p>x</p>', 1, 3, 0, 0, 0);",
			rows[i].id, rows[i].id, rows[i].excerpt, rows[i].body);
		CHECK(exec(sql) == SQLITE_OK);
		sqlite3_free(sql);
		if (rows[i].imported) {
			sql = sqlite3_mprintf("INSERT INTO import_map(source, kind, wp_id, gz_id)"
					      " VALUES('https://old.example', 'post', '%d', %d);",
					      100 + rows[i].id, rows[i].id);
			CHECK(exec(sql) == SQLITE_OK);
			sqlite3_free(sql);
		}
	}
	CHECK(exec(schema_migrations[mig]) == SQLITE_OK);
}

static void test_existing_rows_marked(void)
{
	static const int want[] = { 1, 1, 1, 0, 0, 0, 0 };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char sql[96];
		snprintf(sql, sizeof sql, "SELECT excerpt_auto FROM stories WHERE id = %d", rows[i].id);
		long long got = num(sql);
		if (got != want[i])
			fprintf(stderr, "story %d: excerpt_auto %lld, want %d\n", rows[i].id, got, want[i]);
		CHECK(got == want[i]);
	}
	CHECK(num("SELECT count(*) FROM stories WHERE date_offset IS NOT NULL") == 0);
}

static void test_changed_excerpt_is_the_newsrooms(void)
{
	CHECK(exec("UPDATE stories SET title = 'New title', body_md = 'x' WHERE id = 2") == SQLITE_OK);
	CHECK(num("SELECT excerpt_auto FROM stories WHERE id = 2") == 1);
	CHECK(exec("UPDATE stories SET excerpt = excerpt WHERE id = 2") == SQLITE_OK);
	CHECK(num("SELECT excerpt_auto FROM stories WHERE id = 2") == 1);
	CHECK(exec("UPDATE stories SET excerpt = 'Rewritten.' WHERE id = 1") == SQLITE_OK);
	CHECK(num("SELECT excerpt_auto FROM stories WHERE id = 1") == 0);
	/* the importer marks a new automatic excerpt after writing it */
	CHECK(exec("UPDATE stories SET excerpt_auto = 1 WHERE id = 1") == SQLITE_OK);
	CHECK(num("SELECT excerpt_auto FROM stories WHERE id = 1") == 1);
}

int main(void)
{
	build();
	RUN(test_existing_rows_marked);
	RUN(test_changed_excerpt_is_the_newsrooms);
	sqlite3_close(db);
	return T_DONE();
}
