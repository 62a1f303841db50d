/*
 * cmd_copy: `gazette copy --from DIR --to postgresql://...` moves a SQLite
 * site's database into an empty PostgreSQL database (issue 16;
 * store/store_copy.h says how), prints every table's rows on both sides,
 * and with --switch points the site's gazette.conf at the new database.
 * The SQLite file is only read.
 */
#include "cli.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../store/store_copy.h"

#include <getopt.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char copy_usage[] =
	"usage: gazette copy --from DIR --to postgresql://USER@HOST:PORT/DBNAME [--switch]\n\n"
	"Copies the SQLite site in DIR (every table: stories, revisions, comments,\n"
	"users, sessions, media records, redirects, settings, menus...) into an empty\n"
	"PostgreSQL database, migrated first, in one transaction; then counts every\n"
	"table's rows on both sides and prints them (a difference commits nothing).\n"
	"A database that already holds rows is refused. The SQLite file is never\n"
	"changed. --switch writes `db = URL` into DIR/gazette.conf, so the site is\n"
	"served from PostgreSQL from its next start; without it the line to add is\n"
	"printed. The media files stay in DIR/media (docs/deploy.md).\n";

/* DIR/gazette.conf with its db line (if any) replaced by db = url. */
static int conf_switch(const char *dir, const char *url, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], line[4096];
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	/* the new file takes the old one's mode and owner (0640, the server's
	 * group: the db line holds a password), never the umask's 0644 */
	FILE *in = fopen(path, "r");
	struct stat sb;
	int have = in && fstat(fileno(in), &sb) == 0;
	(void)unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		      have ? (sb.st_mode & 0660) : 0640);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (out && have && (fchmod(fd, sb.st_mode & 0660) || (fchown(fd, sb.st_uid, sb.st_gid) && errno != EPERM))) {
		fclose(out);
		out = NULL;
		fd = -1;
	}
	if (!out) {
		snprintf(err, errlen, "%s: cannot write", tmp);
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		if (in)
			fclose(in);
		return -1;
	}
	while (in && fgets(line, sizeof line, in)) {
		const char *k = line + strspn(line, " \t");
		if (strncmp(k, "db", 2) == 0 && k[2] && strchr(" \t=", k[2]))
			continue;
		fputs(line, out);
		if (!strchr(line, '\n'))
			fputc('\n', out);
	}
	fprintf(out, "db = %s\n", url);
	if (in)
		fclose(in);
	if (fclose(out) || rename(tmp, path)) {
		unlink(tmp);
		snprintf(err, errlen, "%s: cannot write", path);
		return -1;
	}
	return 0;
}

int cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "switch", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *to = NULL;
	int sw = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': dir = optarg; break;
		case 't': to = optarg; break;
		case 's': sw = 1; break;
		case 'h': fputs(copy_usage, stdout); return 0;
		default: return cli_usage_error("copy", "unknown option");
		}
	}
	if (!dir || !to)
		return cli_usage_error("copy", "--from DIR and --to postgresql://... are required");
	if (optind != argc)
		return cli_usage_error("copy", "unexpected argument");
	if (!store_spec_pg(to))
		return cli_usage_error("copy", "--to takes a postgresql:// or postgres:// URL");
	char db[PATH_MAX + 600], err[1024];
	struct config cfg;
	if (site_db_config(dir, &cfg, db, sizeof db, err, sizeof err)) {
		fprintf(stderr, "gazette copy: %s\n", err);
		return 1;
	}
	if (store_spec_pg(db)) {
		fprintf(stderr, "gazette copy: the site in %s is already served from PostgreSQL\n", dir);
		return 1;
	}
	if (access(db, F_OK) != 0) {
		fprintf(stderr, "gazette copy: %s: no site database\n", db);
		return 1;
	}
	struct store_copy_report r;
	if (store_copy_to_pg(db, to, &r, err, sizeof err)) {
		fprintf(stderr, "gazette copy: %s\n", err);
		return 1;
	}
	if (r.from != r.to)
		printf("database migrated from schema version %d to %d\n", r.from, r.to);
	printf("%-28s %10s %10s\n", "table", "sqlite", "postgresql");
	long long total = 0;
	for (int i = 0; i < r.n; i++) {
		printf("%-28s %10lld %10lld\n", r.tables[i].name, r.tables[i].sqlite_rows,
		       r.tables[i].pg_rows);
		total += r.tables[i].pg_rows;
	}
	printf("copied %lld rows in %d tables: every table's count matches\n", total, r.n);
	store_copy_report_free(&r);
	/* the URL as given holds its password: shown with **** in its place */
	char shown[PATH_MAX + 600];
	store_spec_shown(to, shown, sizeof shown);
	const char *pw = strcmp(shown, to) ? " (with the password in place of ****)" : "";
	if (sw) {
		if (conf_switch(dir, to, err, sizeof err)) {
			fprintf(stderr, "gazette copy: the copy is committed, but %s; add the line\n"
					"  db = %s\nto %s/gazette.conf%s\n",
				err, shown, dir, pw);
			return 1;
		}
		printf("%s/gazette.conf now says db = %s (restart the site to serve from it)\n", dir,
		       shown);
	} else {
		printf("to serve the site from PostgreSQL, add this line to %s/gazette.conf%s\n"
		       "(or run again on an empty database with --switch):\n  db = %s\n",
		       dir, pw, shown);
	}
	return 0;
}
