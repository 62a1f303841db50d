/*
 * db_pg: the PostgreSQL engine of the statement API (see db.h), over
 * libpq. db_sqlite.h's inline functions call these when a statement or a
 * connection is PostgreSQL's; the store's files never call them directly
 * (only pg_connect, pg_exec and pg_close, which open, run plain SQL on and
 * close a connection, belong to whoever opens the store).
 *
 * - A statement is prepared once per connection (PQprepare, under a name
 *   the connection generates) from the store's SQL text with ?N rewritten
 *   to $N (pg_rewrite), outside string literals, quoted identifiers and
 *   comments.
 * - Parameters are sent as text: integers and doubles formatted, NULL as
 *   NULL, a blob as bytea's hex form; a q_text value is used in place (it
 *   lives until the reset, as with SQLite), every other value is copied.
 * - The first step runs it (PQexecPrepared) and the next ones walk the
 *   rows it returned; a write in a transaction runs under a savepoint,
 *   sent with it and its release in one round trip (pipeline mode), and
 *   a BEGIN (pg_exec) waits to go with the next statement; a refused constraint (SQLSTATE class 23) is
 *   DB_CONSTRAINT, any other error DB_ERROR with pg_errmsg saying why.
 * - Columns are read from the text PostgreSQL sends: q_col_int parses it
 *   (a boolean's 't'/'f' is 1/0), q_col_null is PQgetisnull.
 * - A bulk load (gazette copy): COPY ... FROM STDIN, its data handed to
 *   libpq as it comes (pg_copy_begin, pg_copy_put, pg_copy_end), the row
 *   and column a refusal names read from the error's context.
 * - changes: the rows the last INSERT, UPDATE or DELETE touched
 *   (PQcmdTuples); in a transaction: PQtransactionStatus.
 */
#ifndef GZ_STORE_DB_PG_H
#define GZ_STORE_DB_PG_H

#include <stddef.h>

struct pool;
struct pgc; /* a connection */
struct pgq; /* a prepared statement */

/* Connects with a libpq connection string or URI: 0, or -1 with the
 * reason in err. */
int pg_connect(const char *conninfo, struct pgc **out, char *err, size_t errlen);
/* pg_connect, the server also given options (libpq's options keyword,
 * "-c name=value ..."; the spec's own options= wins), or none when NULL.
 * Such a connection is a request's: once the server cancels one of its
 * statements (statement_timeout, lock_timeout), the next ones fail at
 * once until pg_settle. */
int pg_connect_with(const char *conninfo, const char *options, struct pgc **out, char *err,
		    size_t errlen);
/* pg_connect for a first connection, telling why it failed: -2 when a
 * server answered and refused it (PQping: a wrong user, password or
 * database name, pg_hba.conf: trying again will not help; err on one
 * line), -1 when none answered (down, unreachable: worth another try).
 * A connect that failed after 2 s or more waited on a silent host: -1,
 * without a ping. */
int pg_connect_probe(const char *conninfo, struct pgc **out, char *err, size_t errlen);
/* spec (a URL or connection string, even one libpq refuses) with its
 * password as ****, into out (cap bytes), to be shown. */
void pg_spec_redact(const char *spec, char *out, size_t cap);
/* Each form of spec's password in msg (cap bytes) as ****: the text it is
 * written as and the value libpq reads from it. pg_connect's err and
 * pg_errmsg are scrubbed already. */
void pg_scrub(const char *spec, char *msg, size_t cap);
void pg_close(struct pgc *c);
/* How conninfo (a connection string or URL) reaches its server, by libpq's
 * own parse of it: PG_HOST_ADDRESS over TCP at IP addresses only (host or
 * hostaddr), PG_HOST_NAME over TCP with a host name to resolve,
 * PG_HOST_SOCKET through a Unix socket (a folder as host, or no host:
 * libpq's default); -1 for a spec libpq refuses. */
enum pg_host { PG_HOST_ADDRESS, PG_HOST_NAME, PG_HOST_SOCKET };
int pg_spec_hosts(const char *conninfo);
/* spec with the addresses its host names resolve to now as hostaddr=
 * (host= kept), into out, for a process that cannot resolve later (a
 * chroot); spec as it is when it names no host name. 0, or -1 with why. */
int pg_spec_resolve(const char *spec, char *out, size_t cap, char *err, size_t errlen);
/* Runs SQL without parameters (one or more statements; BEGIN, COMMIT,
 * DDL): 0, or -1 (pg_errmsg). */
int pg_exec(struct pgc *c, const char *sql);
const char *pg_errmsg(struct pgc *c);
/* 1 when c's connection is broken (the server went away): the next
 * statement or pg_exec connects again (outside a transaction; one lost
 * inside it fails until its ROLLBACK), and each prepared statement is
 * prepared again at its next step. pg_gen counts those new connections. */
int pg_lost(struct pgc *c);
unsigned pg_gen(struct pgc *c);
/* How many times, in this thread, a connection was found broken or could
 * not be made again; pg_outages_add counts n more (work another thread
 * did for this one failed so). */
unsigned long long pg_outages(void);
/* The end of a request's work on c: a statement the server cancelled
 * (statement_timeout, lock_timeout: an outage, and on a connection made
 * with options every statement after it failed at once) is forgotten. */
void pg_settle(struct pgc *c);
void pg_outages_add(unsigned long long n);
/* Waits up to timeout_ms for notifications (after a LISTEN on c) and
 * calls fn with each one's channel and payload: 0 (none or some), or -1
 * when the connection is broken (pg_errmsg). */
int pg_wait_notify(struct pgc *c, int timeout_ms,
		   void (*fn)(void *arg, const char *channel, const char *payload), void *arg);
/* Runs sql without parameters, its answer awaited at most timeout_ms: 0,
 * or -1 (pg_errmsg). A connection whose answer did not come in time is
 * in no state for anything but pg_close. */
int pg_exec_within(struct pgc *c, const char *sql, int timeout_ms);
/* Nanoseconds this thread has spent waiting on PostgreSQL (statements
 * and pg_exec), for store_time_ns. */
long long pg_time_ns(void);
/* Round trips this thread has made to PostgreSQL (a statement with its
 * savepoint and a BEGIN not sent yet is one; preparing one, two). */
long long pg_round_trips(void);
long long pg_changes(struct pgc *c);
int pg_in_txn(struct pgc *c);
int pg_readonly(struct pgc *c);

/* Writes sql with each ?N outside literals, quoted identifiers and
 * comments as $N into out (at most cap bytes with the NUL; the rewrite is
 * never longer than sql): the number of parameters (the largest N), or -1
 * when out is too small. */
int pg_rewrite(const char *sql, char *out, size_t cap);

/* COPY ... FROM STDIN on c (a bulk load, in the transaction pg_exec
 * began): pg_copy_begin sends sql, pg_copy_put the data in COPY's text
 * format (cut anywhere: libpq buffers it), pg_copy_end ends it. Each is
 * 0 (pg_copy_end: the rows the server took), or -1 with pg_errmsg the
 * server's message; after a put that failed (the server refused a row
 * already), pg_copy_end says why. When the server names where, *line is
 * the data line it refused (1 for the first) and column its column
 * ("" when the line as a whole was refused), else *line is 0. */
int pg_copy_begin(struct pgc *c, const char *sql);
int pg_copy_put(struct pgc *c, const char *data, size_t n);
long long pg_copy_end(struct pgc *c, long long *line, char *column, size_t cap);

int pg_prepare(struct pgc *c, const char *sql, struct pgq **out);
void pgq_free(struct pgq *s);
void pgq_int(struct pgq *s, int i, long long v);
void pgq_double(struct pgq *s, int i, double v);
void pgq_null(struct pgq *s, int i);
void pgq_text(struct pgq *s, int i, const char *v);
void pgq_text_n(struct pgq *s, int i, const char *v, size_t n);
void pgq_blob(struct pgq *s, int i, const void *v, size_t n);
int pgq_step(struct pgq *s);
long long pgq_col_int(struct pgq *s, int i);
double pgq_col_double(struct pgq *s, int i);
int pgq_col_null(struct pgq *s, int i);
const char *pgq_col_str(struct pgq *s, int i);
const char *pgq_col_text(struct pool *p, struct pgq *s, int i);
int pgq_ncols(struct pgq *s);
int pgq_nparams(struct pgq *s);
void pgq_reset(struct pgq *s);
/* q_later and db_flush (db.h). */
struct db_ans;
void pgq_later(struct pgq *s, struct db_ans *a);
int pg_flush(struct pgc *c);
/* pg_flush and the transaction's COMMIT (commit, its SQL) in the same
 * pipeline: 0 when every statement ran and the COMMIT committed; -1
 * (pg_errmsg) when not: after a failed statement the transaction is left
 * for its ROLLBACK, after a failed COMMIT it is over. A connection lost
 * meanwhile is never tried again (the COMMIT may have run). */
int pg_flush_commit(struct pgc *c, const char *commit);

#endif
