/*
 * cmd_export: `gazette export wordpress|json --site DIR [> FILE]` writes the
 * whole site to stdout (export.h): WXR 1.2 for WordPress (and for Gazette
 * to re-import), or one JSON document for backups and other tools.
 * Reads run inside one transaction, so the export is a consistent snapshot.
 */
#include "cli.h"
#include "../site/site.h"
#include "../import/export.h"
#include "../site/config.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../util/tz.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: gazette export wordpress|json --site DIR > FILE\n\n"
	"Writes the whole site to standard output:\n"
	"  wordpress  a WXR 1.2 file for WordPress' importer (Tools > Import) or\n"
	"             for `gazette import wordpress`\n"
	"  json       one JSON document: site, users (no password hashes), sections,\n"
	"             tags, stories with their comments, redirects (docs/import.md)\n";

int cmd_export(int argc, char **argv)
{
	const char *dir;
	int opt = cli_site_options(argc, argv, "export", usage, &dir);
	if (opt >= 0)
		return opt;
	if (optind + 1 != argc ||
	    (strcmp(argv[optind], "wordpress") != 0 && strcmp(argv[optind], "json") != 0))
		return cli_usage_error("export", "expected a format: wordpress or json");
	if (!dir)
		return cli_usage_error("export", "--site DIR is required");
	char err[1024];
	struct config cfg;
	struct store *st;
	if (site_db_open(dir, &cfg, &st, err, sizeof err)) {
		fprintf(stderr, "gazette export: %s\n", err);
		return 1;
	}
	struct tz zone;
	if (tz_load(&zone, cfg.timezone, NULL, err, sizeof err)) {
		fprintf(stderr, "gazette export: timezone: %s\n", err);
		store_close(st);
		return 1;
	}
	struct export_site site = { cfg.site_name, cfg.tagline, cfg.base_url, cfg.lang, &zone };
	int rc = store_export_begin(st);
	if (rc == 0)
		rc = strcmp(argv[optind], "json") == 0 ? export_json(st, &site, stdout, err, sizeof err)
						       : export_wxr(st, &site, stdout, err, sizeof err);
	else
		snprintf(err, sizeof err, "%s", store_errmsg(st));
	store_rollback(st);
	store_close(st);
	tz_release(&zone);
	if (rc == 0 && fflush(stdout) != 0) {
		snprintf(err, sizeof err, "write error");
		rc = -1;
	}
	if (rc) {
		fprintf(stderr, "gazette export: %s\n", err);
		return 1;
	}
	return 0;
}
