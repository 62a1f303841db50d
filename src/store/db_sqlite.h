/*
 * db_sqlite: the statement API (see db.h), inline: SQLite's calls, and
 * PostgreSQL's (db_pg.h) behind one predictable branch, so one binary
 * serves either engine, chosen at run time by how the connection was
 * opened. A statement and a connection hold SQLite's handle or
 * PostgreSQL's: SQLite's path is the direct call it always was, after a
 * test of a pointer already in cache. Only this header and the engines'
 * own files (tests/lint/engine.js names them) may include sqlite3.h or
 * call sqlite3_*.
 */
#ifndef GZ_STORE_DB_SQLITE_H
#define GZ_STORE_DB_SQLITE_H

#include "db.h"
#include "db_pg.h"
#include "../util/pool.h"

#include <sqlite3.h>

_Static_assert(DB_ROW == SQLITE_ROW && DB_DONE == SQLITE_DONE &&
		       DB_CONSTRAINT == SQLITE_CONSTRAINT && DB_ERROR == SQLITE_ERROR,
	       "db.h's results are SQLite's");

#define DB_LITE(x) __builtin_expect((x)->lite != NULL, 1)

/* A prepared statement: SQLite's, or else PostgreSQL's. Kept by value in
 * the store's statement cache (stmt() hands out its address). */
typedef struct dbq {
	sqlite3_stmt *lite;
	struct pgq *pg;
} dbq;

/* A connection: SQLite's, or else PostgreSQL's. */
typedef struct dbc {
	sqlite3 *lite;
	struct pgc *pg;
} dbc;

/* Prepares sql for the life of the connection into *out: 0, or -1
 * (db_errmsg). */
static inline int db_prepare(dbc *c, const char *sql, dbq *out)
{
	out->lite = NULL;
	out->pg = NULL;
	if (!c->lite)
		return pg_prepare(c->pg, sql, &out->pg);
	return sqlite3_prepare_v3(c->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &out->lite, NULL) ==
			       SQLITE_OK
		       ? 0
		       : -1;
}

/* Frees a prepared statement (a zeroed one too). */
static inline void db_finalize(dbq *s)
{
	sqlite3_finalize(s->lite);
	pgq_free(s->pg);
	s->lite = NULL;
	s->pg = NULL;
}

static inline const char *db_errmsg(dbc *c)
{
	return DB_LITE(c) ? sqlite3_errmsg(c->lite) : pg_errmsg(c->pg);
}

static inline void q_int(dbq *s, int i, long long v)
{
	if (DB_LITE(s))
		sqlite3_bind_int64(s->lite, i, v);
	else
		pgq_int(s->pg, i, v);
}

static inline void q_double(dbq *s, int i, double v)
{
	if (DB_LITE(s))
		sqlite3_bind_double(s->lite, i, v);
	else
		pgq_double(s->pg, i, v);
}

static inline void q_null(dbq *s, int i)
{
	if (DB_LITE(s))
		sqlite3_bind_null(s->lite, i);
	else
		pgq_null(s->pg, i);
}

static inline void q_text(dbq *s, int i, const char *v)
{
	if (DB_LITE(s))
		sqlite3_bind_text(s->lite, i, v ? v : "", -1, SQLITE_STATIC);
	else
		pgq_text(s->pg, i, v ? v : "");
}

static inline void q_text_n(dbq *s, int i, const char *v, size_t n)
{
	if (DB_LITE(s))
		sqlite3_bind_text(s->lite, i, v, (int)n, SQLITE_TRANSIENT);
	else
		pgq_text_n(s->pg, i, v, n);
}

static inline void q_blob(dbq *s, int i, const void *v, size_t n)
{
	if (DB_LITE(s))
		sqlite3_bind_blob(s->lite, i, v, (int)n, SQLITE_TRANSIENT);
	else
		pgq_blob(s->pg, i, v, n);
}

static inline int q_step(dbq *s)
{
	return DB_LITE(s) ? sqlite3_step(s->lite) : pgq_step(s->pg);
}

static inline long long q_col_int(dbq *s, int i)
{
	return DB_LITE(s) ? sqlite3_column_int64(s->lite, i) : pgq_col_int(s->pg, i);
}

static inline double q_col_double(dbq *s, int i)
{
	return DB_LITE(s) ? sqlite3_column_double(s->lite, i) : pgq_col_double(s->pg, i);
}

static inline int q_col_null(dbq *s, int i)
{
	return DB_LITE(s) ? sqlite3_column_type(s->lite, i) == SQLITE_NULL
			  : pgq_col_null(s->pg, i);
}

static inline const char *q_col_str(dbq *s, int i)
{
	return DB_LITE(s) ? (const char *)sqlite3_column_text(s->lite, i)
			  : pgq_col_str(s->pg, i);
}

static inline const char *q_col_text(struct pool *p, dbq *s, int i)
{
	if (!DB_LITE(s))
		return pgq_col_text(p, s->pg, i);
	const unsigned char *t = sqlite3_column_text(s->lite, i);
	return pool_strndup(p, t ? (const char *)t : "", (size_t)sqlite3_column_bytes(s->lite, i));
}

static inline int q_ncols(dbq *s)
{
	return DB_LITE(s) ? sqlite3_column_count(s->lite) : pgq_ncols(s->pg);
}

static inline int q_nparams(dbq *s)
{
	return DB_LITE(s) ? sqlite3_bind_parameter_count(s->lite) : pgq_nparams(s->pg);
}

static inline void q_reset(dbq *s)
{
	if (DB_LITE(s)) {
		sqlite3_reset(s->lite);
		sqlite3_clear_bindings(s->lite);
	} else {
		pgq_reset(s->pg);
	}
}

static inline void q_later(dbq *s, struct db_ans *a)
{
	if (!DB_LITE(s)) {
		pgq_later(s->pg, a);
		return;
	}
	a->rc = sqlite3_step(s->lite);
	a->value = a->rc == SQLITE_ROW ? sqlite3_column_int64(s->lite, 0) : 0;
	sqlite3_reset(s->lite); /* a RETURNING's count is set when it halts */
	a->changes = (a->rc == SQLITE_ROW || a->rc == SQLITE_DONE) && !sqlite3_stmt_readonly(s->lite)
			     ? sqlite3_changes64(sqlite3_db_handle(s->lite))
			     : 0;
	sqlite3_clear_bindings(s->lite);
}

static inline int db_flush(dbc *c)
{
	return DB_LITE(c) ? 0 : pg_flush(c->pg);
}

static inline long long db_changes(dbc *c)
{
	return DB_LITE(c) ? sqlite3_changes(c->lite) : pg_changes(c->pg);
}

static inline int db_in_txn(dbc *c)
{
	return DB_LITE(c) ? !sqlite3_get_autocommit(c->lite) : pg_in_txn(c->pg);
}

static inline int db_readonly(dbc *c)
{
	return DB_LITE(c) ? sqlite3_db_readonly(c->lite, "main") : pg_readonly(c->pg);
}

#endif
