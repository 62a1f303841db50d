/*
 * store_health: whether a long-lived connection is still fit for writing.
 *
 * SQLite opens a write-protected database read-only without saying so, and
 * such a connection stays read-only after the file is writable again. A
 * server that keeps one connection per worker asks this after each request
 * and reopens a connection that is stale, so service resumes by itself.
 */
#ifndef GZ_STORE_HEALTH_H
#define GZ_STORE_HEALTH_H

struct store;

/* 1 when st was opened read-only but the database file at path can be
 * written now (the caller should close and reopen it); else 0. */
int store_stale_readonly(struct store *st, const char *path);

/* How many times, in this thread (a worker: its own connection), a
 * connection to the database server was found broken or could not be made
 * again (PostgreSQL; 0 on SQLite). A request that failed while it moved
 * failed for a moment's outage, answered 503 rather than 500, even when
 * the connection was made again before the answer; another worker's lost
 * connection leaves it alone (its real 500 stays a 500). Work done for
 * this thread by another (a comment batch's leader) that failed so is
 * counted here too by store_outages_add. */
unsigned long long store_outages(void);
void store_outages_add(unsigned long long n);

/* Whether the site can serve: its database takes a write (the file and
 * its journal writable, a write transaction begun and rolled back) and
 * its schema is this binary's. STORE_READY_OK, or what failed. Must not
 * be called inside a transaction. */
enum store_ready { STORE_READY_OK, STORE_READY_WRITE, STORE_READY_SCHEMA };
enum store_ready store_ready(struct store *st, const char *path);

/* The database's schema version (PRAGMA user_version) in *have and this
 * binary's in *want. STORE_OK, or STORE_ERROR. */
int store_schema(struct store *st, int *have, int *want);

#endif
