/*
 * store_pg_migrate: brings a PostgreSQL database to the schema of this
 * build (schema_pg.h, issue 16), as store_open does for a SQLite file.
 * Each migration missing runs in its own transaction with the new version
 * written to schema_version in it; the whole run holds an advisory lock
 * (STORE_PG_MIGRATE_LOCK), so nodes starting at once migrate one after
 * the other: the later ones wait, then find the database current.
 */
#ifndef GZ_STORE_PG_MIGRATE_H
#define GZ_STORE_PG_MIGRATE_H

#include <stddef.h>

/* pg_advisory_lock's key for migrations ("GzMigr" in ASCII) */
#define STORE_PG_MIGRATE_LOCK 0x477a4d696772LL

/* Applies the migrations the database at conninfo (a libpq connection
 * string or postgresql:// URL) has not seen. *from: its version before,
 * *to: after (the build's, STORE_PG_SCHEMA_VERSION). 0 ok; -1 with err
 * (nothing of a failed migration is kept; those before it are); -2 with
 * err when the server cannot be reached; -3 with err (one line, the spec
 * shown with its password masked) when a server answered and refused the
 * connection (pg_connect_probe: a wrong user, password or database name,
 * pg_hba.conf), which trying again will not mend. */
int store_pg_migrate(const char *conninfo, int *from, int *to, char *err, size_t errlen);

/* The number of migrations this build knows (schema.h's, schema_pg.h's). */
extern const int STORE_PG_SCHEMA_VERSION;
/* The statement that reads a database's schema version (store_open's
 * store_schema too). */
extern const char STORE_PG_SQL_VERSION[];

#endif
