/*
 * cmd_import: `gazette import wordpress FILE.xml --site DIR [--uploads DIR]
 * [--dry-run] [--update]`. Moves a WordPress site in (import.h) and prints
 * the report on stdout, progress on stderr.
 *
 * SIGINT and SIGTERM only set a flag: the importer stops at the next item
 * and rolls back, so an interrupted import leaves the site as it was (kill
 * -9 does too: the transaction never committed).
 */
#include "cli.h"
#include "../site/site.h"
#include "../import/import.h"
#include "../store/store.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: gazette import wordpress FILE.xml --site DIR [--uploads DIR] [--dry-run] [--update]\n\n"
	"Imports a WordPress export (Tools > Export, WXR 1.0-1.2) in one transaction:\n"
	"authors, categories, tags, posts, pages, threaded comments, and a 301 for\n"
	"every old permalink. Running it again changes nothing.\n"
	"  --uploads DIR  a copy of wp-content/uploads: files go to the site's media/\n"
	"                 and the posts' URLs are rewritten (else they are listed)\n"
	"  --dry-run      do everything, print the report, write nothing\n"
	"  --update       re-import items whose content changed since the last import\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "uploads", required_argument, NULL, 'u' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "update", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL;
	struct import_opts o;
	memset(&o, 0, sizeof o);
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': o.uploads = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 'U': o.update = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("import", "unknown or incomplete option");
		}
	}
	if (optind + 2 != argc || strcmp(argv[optind], "wordpress") != 0)
		return cli_usage_error("import", "expected: wordpress FILE.xml");
	if (!dir)
		return cli_usage_error("import", "--site DIR is required");
	const char *file = argv[optind + 1];
	char media[PATH_MAX], err[1024];
	snprintf(media, sizeof media, "%s/media", dir);
	if (o.uploads && access(o.uploads, R_OK | X_OK) != 0) {
		fprintf(stderr, "gazette import: %s: cannot read the uploads folder\n", o.uploads);
		return 1;
	}
	struct store *st;
	if (site_db_open(dir, NULL, &st, err, sizeof err)) {
		fprintf(stderr, "gazette import: %s\n", err);
		return 1;
	}
	o.media_dir = media;
	o.av_limit = cli_media_upload_limit(dir);
	o.progress = stderr;
	o.progress_bar = isatty(STDERR_FILENO);
	o.interrupted = &interrupted;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct buf report;
	buf_init(&report, 0);
	int rc = import_wordpress(st, file, &o, &report, err, sizeof err);
	store_close(st);
	if (rc) {
		fprintf(stderr, "gazette import: %s\nnothing was changed.\n", err);
		buf_release(&report);
		return 1;
	}
	fputs(buf_str(&report), stdout);
	buf_release(&report);
	/* the imported threads, rendered now rather than by the server */
	long long n;
	if (cli_threads_render(dir, &n, err, sizeof err))
		fprintf(stderr, "gazette import: comment threads not rendered (%s); "
				"the server will render them\n", err);
	else if (n)
		fprintf(stderr, "%lld comment threads rendered\n", n);
	return 0;
}
