/*
 * store_copy: a SQLite site's database moved into an empty PostgreSQL
 * database (`gazette copy`, issue 16). The PostgreSQL database is migrated
 * first (store_pg_migrate), then every table of its schema is filled from
 * the SQLite table of the same name, in one PostgreSQL transaction under
 * the writers' lock, read from one SQLite read snapshot (the file is
 * opened read-only: the site is never changed):
 * - tables in the order of their foreign keys (a referenced table first),
 *   rows in rowid order, the user triggers off for the copy (the derived
 *   tables are copied as SQLite's triggers left them), story_fts rebuilt
 *   by story_fts_redo (SQLite's is an FTS5 table);
 * - each table's rows sent with one COPY ... FROM STDIN in COPY's text
 *   format (backslash, tab, line feed and carriage return escaped, NULL as
 *   \N), each value by the type SQLite stored it with; a value refused (a
 *   text with a NUL byte here, a bad integer or invalid UTF-8 by the
 *   server) fails the copy with its table, row (place and first column)
 *   and column;
 * - each identity sequence set past its column's largest value;
 * - every table's rows counted on both sides: a difference rolls all back.
 * A target with any row in a table (schema_version aside) is refused
 * before anything is written.
 */
#ifndef GZ_STORE_COPY_H
#define GZ_STORE_COPY_H

#include <stddef.h>

struct store_copy_table {
	char name[64];
	long long sqlite_rows, pg_rows;
};

struct store_copy_report {
	int from, to;                    /* the target's schema versions */
	int n;                           /* tables */
	struct store_copy_table *tables; /* by name; free with store_copy_report_free */
};

/* Copies the SQLite database at path into the PostgreSQL database
 * conninfo. 0, with *r filled; -1 with the reason in err (nothing
 * committed: the target is as it was, but for the migrations). */
int store_copy_to_pg(const char *path, const char *conninfo, struct store_copy_report *r,
		     char *err, size_t errlen);
void store_copy_report_free(struct store_copy_report *r);

#endif
