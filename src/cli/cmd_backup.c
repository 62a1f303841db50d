/*
 * cmd_backup, cmd_restore: `gazette backup --site DIR OUT.tar` while the
 * site serves, and `gazette restore OUT.tar --site NEWDIR` (backup.h says
 * what the archive holds and how a restore is checked; docs/backup.md).
 */
#include "cli.h"
#include "../backup/backup.h"
#include "../site/site.h"
#include "../store/store.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static const char backup_usage[] =
	"usage: gazette backup --site DIR OUT.tar\n\n"
	"Writes the site to a new tar archive while it serves: the database at one\n"
	"moment (SQLite's online backup), gazette.conf, the theme/ overrides, every\n"
	"file of media/ and media-originals/, and a MANIFEST of their sizes and\n"
	"SHA-256 sums. OUT.tar must not exist; it appears whole or not at all.\n"
	"Restore it with `gazette restore OUT.tar --site NEWDIR` (docs/backup.md).\n";

static const char restore_usage[] =
	"usage: gazette restore ARCHIVE.tar --site NEWDIR\n\n"
	"Checks every member of an archive made by `gazette backup` against its\n"
	"manifest (present, size, SHA-256 sum, a path inside the site) before\n"
	"writing anything, then unpacks it into NEWDIR, which must not exist or be\n"
	"an empty folder. A bad archive is refused with the first bad member's name\n"
	"and NEWDIR is left as it was. Serve it with `gazette serve --site NEWDIR`.\n";

static void report(const char *verb, const char *what, const struct backup_stats *s)
{
	printf("%s %s: %zu files, %.1f MB\n", verb, what, s->files, (double)s->bytes / 1e6);
}

int cmd_backup(int argc, char **argv)
{
	const char *dir;
	int opt = cli_site_options(argc, argv, "backup", backup_usage, &dir);
	if (opt >= 0)
		return opt;
	if (!dir)
		return cli_usage_error("backup", "--site DIR is required");
	if (optind + 1 != argc)
		return cli_usage_error("backup", "expected one archive name: OUT.tar");
	char db[PATH_MAX + 600], err[1024];
	struct config cfg;
	if (site_db_config(dir, &cfg, db, sizeof db, err, sizeof err)) {
		fprintf(stderr, "gazette backup: %s\n", err);
		return 1;
	}
	if (store_spec_pg(db)) {
		fprintf(stderr, "gazette backup: the site's database is PostgreSQL's: back it up with"
				" pg_dump, and the site folder with tar (docs/deploy.md)\n");
		return 1;
	}
	if (access(db, F_OK) != 0) {
		fprintf(stderr, "gazette backup: %s: no site database\n", db);
		return 1;
	}
	/* the readers of a serving site come first */
	setpriority(PRIO_PROCESS, 0, 10);
	struct backup_stats s;
	if (backup_make(dir, db, argv[optind], &s, err, sizeof err)) {
		fprintf(stderr, "gazette backup: %s\n", err);
		return 1;
	}
	report("backed up", argv[optind], &s);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	const char *dir;
	int opt = cli_site_options(argc, argv, "restore", restore_usage, &dir);
	if (opt >= 0)
		return opt;
	if (!dir)
		return cli_usage_error("restore", "--site NEWDIR is required");
	if (optind + 1 != argc)
		return cli_usage_error("restore", "expected one archive: ARCHIVE.tar");
	char err[1024];
	struct backup_stats s;
	if (backup_restore(argv[optind], dir, &s, err, sizeof err)) {
		fprintf(stderr, "gazette restore: %s\n", err);
		return 1;
	}
	report("restored", dir, &s);
	return 0;
}
