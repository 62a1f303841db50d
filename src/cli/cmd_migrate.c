/*
 * cmd_migrate: `gazette migrate --db postgresql://...` brings a PostgreSQL
 * database to this build's schema (issue 16; store/store_pg_migrate.h). A
 * SQLite site needs no command: opening it migrates it.
 */
#include "cli.h"
#include "../store/store_pg_migrate.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char migrate_usage[] =
	"usage: gazette migrate --db postgresql://USER@HOST:PORT/DBNAME\n\n"
	"Applies the schema migrations a PostgreSQL database has not seen yet, each\n"
	"in its own transaction, forward only, numbered as SQLite's (a SQLite site is\n"
	"migrated when opened). Prints the versions before and after; a database\n"
	"already current is left as it is. Nodes that start at once take turns (an\n"
	"advisory lock): one migrates, the others wait and find it current.\n"
	"The value is any libpq connection string or URL (a password is best kept in\n"
	"~/.pgpass or PGPASSWORD, not on the command line).\n";

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else if (c == 'h') {
			fputs(migrate_usage, stdout);
			return 0;
		} else {
			return cli_usage_error("migrate", "unknown option");
		}
	}
	if (!db || !*db)
		return cli_usage_error("migrate", "--db postgresql://... is required");
	if (optind != argc)
		return cli_usage_error("migrate", "unexpected argument");
	if (strncmp(db, "postgresql://", 13) != 0 && strncmp(db, "postgres://", 11) != 0 &&
	    !strchr(db, '='))
		return cli_usage_error("migrate", "--db takes a postgresql:// URL or a libpq "
						  "connection string");
	int from = 0, to = 0;
	char err[1024];
	if (store_pg_migrate(db, &from, &to, err, sizeof err)) {
		fprintf(stderr, "gazette migrate: %s\n", err);
		return 1;
	}
	if (from == to)
		printf("database is current: schema version %d\n", to);
	else
		printf("database migrated from schema version %d to %d\n", from, to);
	return 0;
}
