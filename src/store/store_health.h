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

#endif
