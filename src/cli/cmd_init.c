/*
 * cmd_init: `gazette init [--demo] --site DIR` creates a site: the folder,
 * its media/ folder, gazette.conf and the database with its schema (and,
 * with --demo, the demo stories). It refuses to touch an existing site, and
 * the demo content goes in as one transaction.
 */
#include "cli.h"
#include "../site/config.h"
#include "../site/site.h"
#include "../store/store.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: gazette init [--demo] --site DIR\n\n"
	"Creates a site in DIR: gazette.db (SQLite), media/, gazette.conf.\n"
	"  --demo   add the demo stories, authors and comments\n";

static int make_dirs(const char *dir, char *err, size_t errlen)
{
	char media[PATH_MAX];
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(media, sizeof media, "%s/media", dir);
	if (mkdir(media, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", media, strerror(errno));
		return -1;
	}
	return 0;
}

static int create(const char *dir, int demo, char *err, size_t errlen)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s already holds a site; nothing was changed", dir);
		return -1;
	}
	if (make_dirs(dir, err, errlen))
		return -1;
	struct config cfg;
	config_defaults(&cfg);
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	if (access(path, F_OK) != 0 && config_write(&cfg, path, err, errlen))
		return -1;
	struct store *st;
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	if (store_open(&st, path, err, errlen))
		return -1;
	int rc = 0;
	if (demo) {
		char demo_dir[PATH_MAX];
		snprintf(demo_dir, sizeof demo_dir, "%s/demo", site_data_dir());
		rc = demo_load(st, demo_dir, err, errlen);
	}
	store_close(st);
	if (rc)
		unlink(path); /* leave no half-made site behind */
	return rc;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "demo", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL;
	int demo = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'd': demo = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("init", "unknown or incomplete option");
		}
	}
	if (optind != argc)
		return cli_usage_error("init", "unexpected argument");
	if (!dir)
		return cli_usage_error("init", "--site DIR is required");
	char err[512];
	if (create(dir, demo, err, sizeof err)) {
		fprintf(stderr, "gazette init: %s\n", err);
		return 1;
	}
	printf("created site in %s%s\nserve it with: gazette serve --site %s\n", dir,
	       demo ? " with the demo content" : "", dir);
	return 0;
}
