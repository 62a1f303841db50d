/*
 * Unit tests for src/store/store_backup.c: the online copy of a database
 * that other connections keep writing to. A writer thread commits pairs
 * of rows summing to zero (a transfer) the whole time; the copy must end
 * (no restart forever under writes), be a sound database, and hold whole
 * transactions only (its sum is zero and its row count even): the
 * database at one moment.
 */
#include "t.h"
#include "t_sqlite.h"
#include "../../src/store/store_backup.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/gz-store-backup-XXXXXX";
static char src[128], dest[128];
static atomic_int stop;
static atomic_long commits;

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return NULL;
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void *writer(void *arg)
{
	sqlite3 *db = open_db(src);
	sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	for (long i = 0; db && !atomic_load(&stop); i++) {
		char sql[200];
		snprintf(sql, sizeof sql,
			 "BEGIN IMMEDIATE; INSERT INTO t(v, pad) VALUES(%ld, randomblob(900));"
			 " INSERT INTO t(v, pad) VALUES(-%ld, randomblob(900)); COMMIT;", i, i);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
			atomic_fetch_add(&commits, 1);
	}
	sqlite3_close(db);
	return NULL;
}

static void test_copy_under_writes(void)
{
	sqlite3 *db = open_db(src);
	CHECK(db != NULL);
	/* a few thousand pages, so the copy takes many steps */
	CHECK(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, "
			       "v INTEGER, pad BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
			       "SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO t(v, pad) SELECT "
			       "(i % 2) * 2 - 1, randomblob(900) FROM n;",
			       NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	pthread_t w;
	CHECK(pthread_create(&w, NULL, writer, NULL) == 0);
	while (atomic_load(&commits) < 5)
		usleep(1000);
	char err[256] = "";
	long before = atomic_load(&commits);
	int rc = store_backup_copy(src, dest, err, sizeof err);
	long during = atomic_load(&commits) - before;
	atomic_store(&stop, 1);
	pthread_join(w, NULL);
	if (rc)
		fprintf(stderr, "store_backup_copy: %s\n", err);
	CHECK(rc == 0);
	CHECK(during > 0); /* the writer went on while the copy ran */
	sqlite3 *copy = open_db(dest);
	char check[16] = "";
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(copy, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		snprintf(check, sizeof check, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	CHECK_STR(check, "ok");
	long long rows = t_sql_int(copy, "SELECT count(*) FROM t");
	CHECK(rows >= 6000 && rows % 2 == 0);
	CHECK(t_sql_int(copy, "SELECT sum(v) FROM t") == 0);
	sqlite3_close(copy);
	/* one self-contained file: no WAL beside the copy */
	char wal[140];
	snprintf(wal, sizeof wal, "%s-wal", dest);
	CHECK(access(wal, F_OK) != 0);
}

static void test_refuses_existing_and_cleans_up(void)
{
	char err[256] = "";
	CHECK(store_backup_copy(src, dest, err, sizeof err) == -1); /* dest is there now */
	CHECK_CONTAINS(err, "exists already");
	char missing[160], out[160];
	snprintf(missing, sizeof missing, "%s/none/gazette.db", dir);
	snprintf(out, sizeof out, "%s/out.db", dir);
	CHECK(store_backup_copy(missing, out, err, sizeof err) == -1);
	CHECK(access(out, F_OK) != 0);
}

int main(void)
{
	/* a copy that restarts at every commit never ends: fail, not hang */
	alarm(60);
	if (!mkdtemp(dir))
		return 1;
	snprintf(src, sizeof src, "%s/gazette.db", dir);
	snprintf(dest, sizeof dest, "%s/copy.db", dir);
	RUN(test_copy_under_writes);
	RUN(test_refuses_existing_and_cleans_up);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return T_DONE();
}
