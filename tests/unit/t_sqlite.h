/*
 * t_sqlite.h: for unit tests that look into a database behind the store's
 * back: the first column of the first row of sql, or -1.
 */
#ifndef T_SQLITE_H
#define T_SQLITE_H

#include <sqlite3.h>

static inline long long t_sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

#endif
