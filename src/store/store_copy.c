/*
 * store_copy: a SQLite site into an empty PostgreSQL database
 * (store_copy.h). SQLite is read with its own API (the values' types as
 * stored), PostgreSQL written through db_pg.c; the tables and columns come
 * from PostgreSQL's catalog, the schema both engines share.
 */
#include "store_copy.h"
#include "db.h"
#include "db_pg.h"
#include "store_int.h"
#include "store_pg_migrate.h"
#include "../util/buf.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 128
#define MAX_COLS 128
#define SQL_MAX 8192

static const char SQL_PG_TABLES[] =
	"SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
	" AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_version' ORDER BY c.relname";
/* (table, the table it references): the order of the copy */
static const char SQL_PG_FKEYS[] =
	"SELECT c.relname, f.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
	" JOIN pg_class f ON f.oid = k.confrelid WHERE k.contype = 'f'"
	" AND k.connamespace = current_schema()::regnamespace AND c.oid <> f.oid";
static const char SQL_PG_COLS[] =
	"SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity <> ''"
	" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
	" WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ?1"
	" AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum";
static const char SQL_PG_FTS[] = "SELECT story_fts_redo('{}', ARRAY(SELECT id FROM stories))";
static const char SQL_LITE_TABLES[] =
	"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	" AND name NOT LIKE 'story\\_fts\\_%' ESCAPE '\\'";
static const char FTS_TABLE[] = "story_fts"; /* rebuilt, not copied */

struct copy {
	sqlite3 *lite;
	struct pgc *pg;
	char *err;
	size_t errlen;
	char names[MAX_TABLES][64];
	int n;
};

static int fail_pg(struct copy *c, const char *what)
{
	snprintf(c->err, c->errlen, "%s: %s", what, pg_errmsg(c->pg));
	return -1;
}

static int fail_lite(struct copy *c, const char *what)
{
	snprintf(c->err, c->errlen, "%s: %s", what, sqlite3_errmsg(c->lite));
	return -1;
}

/* A catalog name safe to put in SQL between double quotes. */
static int plain_name(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int find(const struct copy *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->names[i], name) == 0)
			return i;
	return -1;
}

/* The target's tables, a referenced one before those that reference it. */
static int pg_tables(struct copy *c)
{
	struct pgq *s;
	if (pg_prepare(c->pg, SQL_PG_TABLES, &s))
		return fail_pg(c, "listing the tables");
	int rc;
	while ((rc = pgq_step(s)) == DB_ROW && c->n < MAX_TABLES) {
		const char *name = pgq_col_str(s, 0);
		if (!plain_name(name)) {
			snprintf(c->err, c->errlen, "unexpected table name %s in the target", name);
			pgq_free(s);
			return -1;
		}
		snprintf(c->names[c->n++], sizeof c->names[0], "%s", name);
	}
	pgq_free(s);
	if (rc != DB_DONE)
		return rc == DB_ROW ? (snprintf(c->err, c->errlen, "too many tables"), -1)
				    : fail_pg(c, "listing the tables");
	/* deps[i][j]: table i references table j */
	static unsigned char deps[MAX_TABLES][MAX_TABLES];
	memset(deps, 0, sizeof deps);
	if (pg_prepare(c->pg, SQL_PG_FKEYS, &s))
		return fail_pg(c, "listing the foreign keys");
	while ((rc = pgq_step(s)) == DB_ROW) {
		int i = find(c, pgq_col_str(s, 0)), j = find(c, pgq_col_str(s, 1));
		if (i >= 0 && j >= 0)
			deps[i][j] = 1;
	}
	pgq_free(s);
	if (rc != DB_DONE)
		return fail_pg(c, "listing the foreign keys");
	char sorted[MAX_TABLES][64];
	int done[MAX_TABLES] = { 0 }, m = 0;
	while (m < c->n) {
		int progress = 0;
		for (int i = 0; i < c->n; i++) {
			if (done[i])
				continue;
			int ready = 1;
			for (int j = 0; j < c->n && ready; j++)
				if (deps[i][j] && !done[j])
					ready = 0;
			if (ready) {
				memcpy(sorted[m++], c->names[i], sizeof sorted[0]);
				done[i] = progress = 1;
			}
		}
		if (!progress) { /* a cycle: the rest in name order */
			for (int i = 0; i < c->n; i++)
				if (!done[i]) {
					memcpy(sorted[m++], c->names[i], sizeof sorted[0]);
					done[i] = 1;
				}
		}
	}
	memcpy(c->names, sorted, sizeof sorted[0] * (size_t)c->n);
	return 0;
}

/* Every SQLite table is one of the target's, and the reverse. */
static int same_tables(struct copy *c)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(c->lite, SQL_LITE_TABLES, -1, &s, NULL))
		return fail_lite(c, "listing the site's tables");
	int rc = 0, seen = 0;
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		if (find(c, name) < 0) {
			snprintf(c->err, c->errlen, "the site's table %s is not in the target's schema",
				 name);
			rc = -1;
		}
		seen++;
	}
	sqlite3_finalize(s);
	if (rc == 0 && seen != c->n) {
		snprintf(c->err, c->errlen,
			 "the site has %d tables, the target's schema %d: is the site at this "
			 "gazette's schema version?",
			 seen, c->n);
		rc = -1;
	}
	return rc;
}

/* "SELECT count(*) FROM "table"" into sql */
static void count_sql(char *sql, size_t len, const char *table)
{
	snprintf(sql, len, "SELECT count(*) FROM \"%s\"", table);
}

static long long pg_count(struct copy *c, const char *table, int *ok)
{
	char sql[160];
	struct pgq *s;
	long long n = -1;
	count_sql(sql, sizeof sql, table);
	*ok = pg_prepare(c->pg, sql, &s) == 0 && pgq_step(s) == DB_ROW;
	if (*ok)
		n = pgq_col_int(s, 0);
	pgq_free(s);
	return n;
}

static long long lite_count(struct copy *c, const char *table, int *ok)
{
	char sql[160];
	sqlite3_stmt *s;
	long long n = -1;
	count_sql(sql, sizeof sql, table);
	*ok = sqlite3_prepare_v2(c->lite, sql, -1, &s, NULL) == SQLITE_OK &&
	      sqlite3_step(s) == SQLITE_ROW;
	if (*ok)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* The target holds nothing yet. */
static int target_empty(struct copy *c)
{
	for (int i = 0; i < c->n; i++) {
		int ok;
		long long n = pg_count(c, c->names[i], &ok);
		if (!ok)
			return fail_pg(c, "counting the target's rows");
		if (n) {
			snprintf(c->err, c->errlen,
				 "the target database is not empty (%s has %lld rows): gazette copy "
				 "fills an empty database only; nothing was changed",
				 c->names[i], n);
			return -1;
		}
	}
	return 0;
}

struct cols {
	int n;
	char name[MAX_COLS][64];
	int identity[MAX_COLS];
	int skip[MAX_COLS]; /* a tsvector: PostgreSQL's own */
	int bytea[MAX_COLS];
};

static int columns(struct copy *c, const char *table, struct cols *k)
{
	struct pgq *s;
	if (pg_prepare(c->pg, SQL_PG_COLS, &s))
		return fail_pg(c, "listing the columns");
	pgq_text(s, 1, table);
	int rc;
	k->n = 0;
	while ((rc = pgq_step(s)) == DB_ROW && k->n < MAX_COLS) {
		const char *name = pgq_col_str(s, 0);
		if (!plain_name(name))
			break;
		snprintf(k->name[k->n], sizeof k->name[0], "%s", name);
		k->skip[k->n] = strcmp(pgq_col_str(s, 1), "tsvector") == 0;
		k->bytea[k->n] = strcmp(pgq_col_str(s, 1), "bytea") == 0;
		k->identity[k->n] = (int)pgq_col_int(s, 2);
		k->n++;
	}
	pgq_free(s);
	if (rc != DB_DONE) {
		snprintf(c->err, c->errlen, "the columns of %s: %s", table,
			 rc == DB_ROW ? "too many or an unexpected name" : pg_errmsg(c->pg));
		return -1;
	}
	return 0;
}

/* "SELECT a, b FROM t ORDER BY rowid" / "COPY t(a, b) FROM STDIN" */
static void statements(const char *table, const struct cols *k, char *sel, char *ins, int rowid)
{
	size_t a = (size_t)snprintf(sel, SQL_MAX, "SELECT ");
	size_t b = (size_t)snprintf(ins, SQL_MAX, "COPY \"%s\"(", table);
	int n = 0;
	for (int i = 0; i < k->n; i++) {
		if (k->skip[i])
			continue;
		a += (size_t)snprintf(sel + a, SQL_MAX - a, "%s\"%s\"", n ? ", " : "", k->name[i]);
		b += (size_t)snprintf(ins + b, SQL_MAX - b, "%s\"%s\"", n ? ", " : "", k->name[i]);
		n++;
	}
	snprintf(sel + a, SQL_MAX - a, " FROM \"%s\"%s", table, rowid ? " ORDER BY rowid" : "");
	snprintf(ins + b, SQL_MAX - b, ") FROM STDIN");
}

/* v (n bytes) as a field of COPY's text format: a backslash, tab, line
 * feed and carriage return escaped; -1 for a NUL byte, which no
 * PostgreSQL text holds. */
static int put_text(struct buf *b, const char *v, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc;
		switch (v[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case 0: return -1;
		default: continue;
		}
		buf_add(b, v + from, i - from);
		buf_add(b, esc, 2);
		from = i + 1;
	}
	buf_add(b, v + from, n - from);
	return 0;
}

/* Column col of s as a field of COPY's text format onto b, by the type
 * SQLite stored it with (a blob as bytea only into a bytea column: into
 * text, its bytes as text, which PostgreSQL refuses when they are not
 * UTF-8); NULL is \N, the empty text an empty field. -1 for a text with
 * a NUL byte. */
static int put_value(struct buf *b, sqlite3_stmt *s, int col, int bytea)
{
	static const char hex[] = "0123456789abcdef";
	int type = sqlite3_column_type(s, col);
	if (type == SQLITE_BLOB && !bytea)
		type = SQLITE_TEXT;
	switch (type) {
	case SQLITE_NULL: buf_add(b, "\\N", 2); return 0;
	case SQLITE_INTEGER: buf_put_int(b, sqlite3_column_int64(s, col)); return 0;
	case SQLITE_FLOAT: buf_printf(b, "%.17g", sqlite3_column_double(s, col)); return 0;
	case SQLITE_BLOB: {
		const unsigned char *v = sqlite3_column_blob(s, col);
		size_t n = (size_t)sqlite3_column_bytes(s, col);
		buf_add(b, "\\\\x", 3); /* bytea's hex form, its backslash escaped */
		if (buf_reserve(b, 2 * n))
			return 0; /* err set: refused with the row */
		for (size_t i = 0; i < n; i++) {
			b->s[b->len++] = hex[v[i] >> 4];
			b->s[b->len++] = hex[v[i] & 15];
		}
		b->s[b->len] = 0;
		return 0;
	}
	default: {
		const char *v = (const char *)sqlite3_column_text(s, col);
		return put_text(b, v, (size_t)sqlite3_column_bytes(s, col));
	}
	}
}

/* "row N (id = 7)" into out: the row's place in the copy and its first
 * column, s stepped again to it. */
static void row_name(sqlite3_stmt *s, long long row, const struct cols *k, char *out, size_t cap)
{
	int first = 0;
	while (first < k->n && k->skip[first])
		first++;
	sqlite3_reset(s);
	long long i = 0;
	while (i < row && sqlite3_step(s) == SQLITE_ROW)
		i++;
	const char *v = i == row && row > 0 ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (v && first < k->n)
		snprintf(out, cap, "row %lld (%s = %.40s)", row, k->name[first], v);
	else
		snprintf(out, cap, "row %lld", row);
}

/* Sets each identity's sequence past the column's largest value. */
static int sequences(struct copy *c, const char *table, const struct cols *k)
{
	char sql[512];
	for (int i = 0; i < k->n; i++) {
		if (!k->identity[i])
			continue;
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), max(\"%s\"))"
			 " FROM \"%s\" HAVING max(\"%s\") IS NOT NULL",
			 table, k->name[i], k->name[i], table, k->name[i]);
		if (pg_exec(c->pg, sql))
			return fail_pg(c, "setting a sequence");
	}
	return 0;
}

#define COPY_CHUNK (1 << 20) /* bytes of rows handed to libpq at once */
#define COPY_ROW_MAX (1u << 30) /* PostgreSQL's largest field */

/* The rows of s into table: COPY FROM STDIN, in COPY's text format. */
static int copy_rows(struct copy *c, const char *table, const struct cols *k, sqlite3_stmt *s,
		     const char *sql)
{
	int bytea[MAX_COLS], ncols = 0; /* of the columns selected */
	const char *name[MAX_COLS];
	for (int i = 0; i < k->n; i++)
		if (!k->skip[i]) {
			name[ncols] = k->name[i];
			bytea[ncols++] = k->bytea[i];
		}
	if (pg_copy_begin(c->pg, sql))
		return fail_pg(c, table);
	struct buf b;
	buf_init(&b, COPY_ROW_MAX + COPY_CHUNK);
	long long row = 0, line;
	int r, ours = 0; /* the error is ours, in c->err */
	char column[64], where[128];
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int bad = -1;
		row++;
		for (int i = 0; i < ncols && bad < 0; i++) {
			if (i)
				buf_add(&b, "\t", 1);
			if (put_value(&b, s, i, bytea[i]))
				bad = i;
		}
		buf_add(&b, "\n", 1);
		if (bad >= 0 || b.err) {
			row_name(s, row, k, where, sizeof where);
			snprintf(c->err, c->errlen, "copying %s, %s, column %s: %s; nothing was committed",
				 table, where, bad >= 0 ? name[bad] : "?",
				 bad >= 0 ? "a NUL byte in a text, which PostgreSQL cannot hold"
					  : "a row past 1 GB");
			ours = 1;
			break;
		}
		if (b.len >= COPY_CHUNK) {
			if (pg_copy_put(c->pg, b.s, b.len))
				break; /* the server refused a row: pg_copy_end says which */
			buf_reset(&b);
		}
	}
	if (!ours && r != SQLITE_ROW && r != SQLITE_DONE)
		ours = fail_lite(c, table) != 0;
	int sent = !ours && r == SQLITE_DONE && pg_copy_put(c->pg, b.s, b.len) == 0;
	buf_release(&b);
	/* ended even after an error of ours: the transaction is never committed */
	long long took = pg_copy_end(c->pg, &line, column, sizeof column);
	if (sent && took == row)
		return 0;
	if (ours)
		return -1;
	if (took >= 0)
		snprintf(c->err, c->errlen, "copying %s: %lld rows sent, %lld taken; nothing was committed",
			 table, row, took);
	else if (line > 0) {
		row_name(s, line, k, where, sizeof where);
		snprintf(c->err, c->errlen, "copying %s, %s%s%s: %s; nothing was committed", table,
			 where, column[0] ? ", column " : "", column, pg_errmsg(c->pg));
	} else
		snprintf(c->err, c->errlen, "copying %s: %s; nothing was committed", table,
			 pg_errmsg(c->pg));
	return -1;
}

static int copy_table(struct copy *c, const char *table)
{
	static struct cols k;
	static char sel[SQL_MAX], ins[SQL_MAX], ddl[160];
	if (columns(c, table, &k))
		return -1;
	sqlite3_stmt *s = NULL;
	statements(table, &k, sel, ins, 1);
	if (sqlite3_prepare_v2(c->lite, sel, -1, &s, NULL) != SQLITE_OK) {
		statements(table, &k, sel, ins, 0); /* WITHOUT ROWID: its key's order */
		if (sqlite3_prepare_v2(c->lite, sel, -1, &s, NULL) != SQLITE_OK)
			return fail_lite(c, table);
	}
	snprintf(ddl, sizeof ddl, "ALTER TABLE \"%s\" DISABLE TRIGGER USER", table);
	int rc = -1;
	if (pg_exec(c->pg, ddl)) {
		fail_pg(c, table);
		goto out;
	}
	if (copy_rows(c, table, &k, s, ins))
		goto out;
	snprintf(ddl, sizeof ddl, "ALTER TABLE \"%s\" ENABLE TRIGGER USER", table);
	if (pg_exec(c->pg, ddl)) {
		fail_pg(c, table);
		goto out;
	}
	rc = sequences(c, table, &k);
out:
	sqlite3_finalize(s);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Both sides' counts into r; -1 when one differs. */
static int counts(struct copy *c, struct store_copy_report *r)
{
	r->tables = calloc((size_t)c->n, sizeof *r->tables);
	if (!r->tables) {
		snprintf(c->err, c->errlen, "out of memory");
		return -1;
	}
	char names[MAX_TABLES][64];
	memcpy(names, c->names, sizeof names);
	qsort(names, (size_t)c->n, sizeof names[0], by_name);
	int rc = 0;
	for (int i = 0; i < c->n; i++) {
		struct store_copy_table *t = &r->tables[r->n++];
		int ok1, ok2;
		snprintf(t->name, sizeof t->name, "%s", names[i]);
		t->sqlite_rows = lite_count(c, t->name, &ok1);
		t->pg_rows = pg_count(c, t->name, &ok2);
		if (!ok1 || !ok2)
			return ok1 ? fail_pg(c, "counting rows") : fail_lite(c, "counting rows");
		if (t->sqlite_rows != t->pg_rows && rc == 0) {
			snprintf(c->err, c->errlen,
				 "%s: %lld rows in SQLite, %lld in PostgreSQL; nothing was committed",
				 t->name, t->sqlite_rows, t->pg_rows);
			rc = -1;
		}
	}
	return rc;
}

static int run(struct copy *c, struct store_copy_report *r)
{
	if (pg_tables(c) || same_tables(c))
		return -1;
	if (pg_exec(c->pg, PG_BEGIN_WRITE))
		return fail_pg(c, "starting the transaction");
	if (target_empty(c))
		return -1;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->names[i], FTS_TABLE) != 0 && copy_table(c, c->names[i]))
			return -1;
	if (find(c, FTS_TABLE) >= 0 && pg_exec(c->pg, SQL_PG_FTS))
		return fail_pg(c, "indexing the stories for search");
	if (counts(c, r))
		return -1;
	if (pg_exec(c->pg, SQL_COMMIT))
		return fail_pg(c, "committing");
	return 0;
}

int store_copy_to_pg(const char *path, const char *conninfo, struct store_copy_report *r,
		     char *err, size_t errlen)
{
	static struct copy c;
	memset(&c, 0, sizeof c);
	memset(r, 0, sizeof *r);
	c.err = err;
	c.errlen = errlen;
	if (sqlite3_open_v2(path, &c.lite, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, c.lite ? sqlite3_errmsg(c.lite) : "cannot open");
		sqlite3_close(c.lite);
		return -1;
	}
	sqlite3_busy_timeout(c.lite, 5000);
	int rc = -1;
	char why[512];
	sqlite3_stmt *v = NULL;
	/* one read snapshot for the whole copy, and the site's version */
	if (sqlite3_exec(c.lite, SQL_BEGIN_READ, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c.lite, SQL_USER_VERSION, -1, &v, NULL) != SQLITE_OK ||
	    sqlite3_step(v) != SQLITE_ROW) {
		fail_lite(&c, path);
		goto out;
	}
	int version = sqlite3_column_int(v, 0);
	if (version != STORE_PG_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "the site is at schema version %d, this gazette's is %d: %s", version,
			 STORE_PG_SCHEMA_VERSION,
			 version < STORE_PG_SCHEMA_VERSION
				 ? "open it once with this gazette (gazette serve) to migrate it first"
				 : "upgrade gazette");
		goto out;
	}
	if (store_pg_migrate(conninfo, &r->from, &r->to, err, errlen))
		goto out;
	if (pg_connect(conninfo, &c.pg, why, sizeof why)) {
		snprintf(err, errlen, "cannot connect: %s", why);
		goto out;
	}
	rc = run(&c, r);
out:
	if (rc)
		store_copy_report_free(r);
	sqlite3_finalize(v);
	sqlite3_exec(c.lite, SQL_ROLLBACK, NULL, NULL, NULL);
	sqlite3_close(c.lite);
	if (c.pg)
		pg_close(c.pg); /* uncommitted: rolled back */
	return rc;
}

void store_copy_report_free(struct store_copy_report *r)
{
	free(r->tables);
	r->tables = NULL;
	r->n = 0;
}
