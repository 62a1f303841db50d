/*
 * db: the statement API every store_*.c file speaks, engine-neutral, so
 * that one SQL text and one C function serve SQLite today and PostgreSQL
 * next (issue 16). A file of queries prepares its statements through
 * stmt() (store_int.h), binds with q_*, steps with q_step and reads
 * columns with q_col_*; it never names the engine.
 *
 * Conventions the SQL text keeps for both engines:
 * - parameters are ?N (the PostgreSQL engine rewrites them to $N when it
 *   prepares);
 * - a new row's id comes back through `RETURNING id` in the INSERT (read
 *   with q_step == DB_ROW and q_col_int(s, 0)), never from the
 *   connection's last insert id;
 * - what is still SQLite-only is listed in HACKING.md ("The store's two
 *   engines").
 *
 * The engine is chosen at run time, by the connection: each function is
 * static inline (db_sqlite.h), SQLite's call behind one predictable
 * branch, PostgreSQL's (db_pg.c, libpq) on the other side, so the
 * serving path on SQLite pays no call for the layer. The functions:
 *
 *   dbq                         a prepared statement (SQLite's or
 *                               PostgreSQL's; the store keeps it by value)
 *   dbc                         a connection (SQLite's or PostgreSQL's)
 *   q_int(s, i, long long v)    binds ?i; q_double, q_null likewise
 *   q_text(s, i, const char *v) binds ?i to v ("" for NULL), which must
 *                               live until the statement is reset
 *   q_text_n(s, i, v, n)        binds ?i to a copy of v's first n bytes
 *   q_blob(s, i, v, n)          binds ?i to a copy of n bytes as a blob
 *   q_step(s)                   DB_ROW, DB_DONE, DB_CONSTRAINT (a unique or
 *                               check constraint refused the write) or
 *                               another value (DB_ERROR...) for any other
 *                               error
 *   q_col_int(s, i)             column i as long long (0 for NULL)
 *   q_col_double(s, i)          as double
 *   q_col_null(s, i)            nonzero when column i is NULL
 *   q_col_text(pool, s, i)      a copy in the pool ("" for NULL)
 *   q_col_str(s, i)             the engine's own text, valid until the next
 *                               step or reset (NULL for NULL)
 *   q_ncols(s), q_nparams(s)    how many columns / parameters
 *   q_reset(s)                  resets it and clears its bindings
 *   db_prepare(c, sql, &s)      prepares sql for the connection's life into
 *                               the dbq s: 0, or -1 with db_errmsg(c)
 *                               saying why; db_finalize(&s) frees it
 *   db_changes(c)               rows the last write changed
 *   db_in_txn(c)                nonzero inside an open transaction
 *   db_readonly(c)              1 read-only, 0 writable, -1 unknown
 *   q_later(s, &a)              runs s with its bindings now (SQLite), or
 *                               queues it with copies of them to go with
 *                               the others at the connection's next
 *                               db_flush (PostgreSQL, one round trip for
 *                               all); resets s either way. Its answer in a
 *                               (struct db_ans) once flushed: rc (q_step's
 *                               first result), value (column 0 of the first
 *                               row, 0 for none) and changes (rows written)
 *   db_flush(c)                 runs what q_later queued, in order: 0 when
 *                               every statement ran (each a's rc says how),
 *                               -1 when some did not (db_errmsg); inside a
 *                               transaction, a failed one leaves it fit only
 *                               for its ROLLBACK (which drops a queue not
 *                               flushed; any other pg_exec, and a q_step,
 *                               flushes it first, so the order holds)
 *
 * store_int.h adds q_changes(st) and the helpers built on these (stmt,
 * done, collect, one, exec_id, int_row, insert_id...).
 */
#ifndef GZ_STORE_DB_H
#define GZ_STORE_DB_H

#include "db_ans.h" /* what q_step returns: DB_ROW, DB_DONE... */

#include "db_sqlite.h"

#endif
