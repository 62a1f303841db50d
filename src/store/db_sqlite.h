/*
 * db_sqlite: the SQLite engine of the statement API (see db.h), inline.
 * Only this header and the engine's own files (tests/lint/engine.js names
 * them) may include sqlite3.h or call sqlite3_*.
 */
#ifndef GZ_STORE_DB_SQLITE_H
#define GZ_STORE_DB_SQLITE_H

#include "db.h"
#include "../util/pool.h"

#include <sqlite3.h>

_Static_assert(DB_ROW == SQLITE_ROW && DB_DONE == SQLITE_DONE &&
		       DB_CONSTRAINT == SQLITE_CONSTRAINT,
	       "db.h's results are SQLite's");

typedef sqlite3_stmt dbq;
typedef sqlite3 dbc;

/* Prepares sql for the life of the connection: 0, or -1 (db_errmsg). */
static inline int db_prepare(dbc *c, const char *sql, dbq **out)
{
	return sqlite3_prepare_v3(c, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) == SQLITE_OK
		       ? 0
		       : -1;
}

static inline const char *db_errmsg(dbc *c)
{
	return sqlite3_errmsg(c);
}

static inline void q_int(dbq *s, int i, long long v)
{
	sqlite3_bind_int64(s, i, v);
}

static inline void q_double(dbq *s, int i, double v)
{
	sqlite3_bind_double(s, i, v);
}

static inline void q_null(dbq *s, int i)
{
	sqlite3_bind_null(s, i);
}

static inline void q_text(dbq *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

static inline void q_text_n(dbq *s, int i, const char *v, size_t n)
{
	sqlite3_bind_text(s, i, v, (int)n, SQLITE_TRANSIENT);
}

static inline void q_blob(dbq *s, int i, const void *v, size_t n)
{
	sqlite3_bind_blob(s, i, v, (int)n, SQLITE_TRANSIENT);
}

static inline int q_step(dbq *s)
{
	return sqlite3_step(s);
}

static inline long long q_col_int(dbq *s, int i)
{
	return sqlite3_column_int64(s, i);
}

static inline double q_col_double(dbq *s, int i)
{
	return sqlite3_column_double(s, i);
}

static inline int q_col_null(dbq *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL;
}

static inline const char *q_col_str(dbq *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static inline const char *q_col_text(struct pool *p, dbq *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return pool_strndup(p, t ? (const char *)t : "", (size_t)sqlite3_column_bytes(s, i));
}

static inline int q_ncols(dbq *s)
{
	return sqlite3_column_count(s);
}

static inline int q_nparams(dbq *s)
{
	return sqlite3_bind_parameter_count(s);
}

static inline void q_reset(dbq *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static inline long long db_changes(dbc *c)
{
	return sqlite3_changes(c);
}

static inline int db_in_txn(dbc *c)
{
	return !sqlite3_get_autocommit(c);
}

static inline int db_readonly(dbc *c)
{
	return sqlite3_db_readonly(c, "main");
}

#endif
