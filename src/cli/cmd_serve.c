/*
 * cmd_serve: `gazette serve --site DIR [--listen ADDR:PORT]`.
 */
#include "cli.h"
#include "../app/app.h"
#include "../http/http.h"
#include "../site/site.h"
#include "../cache/cache.h"
#include "../http/sandbox.h"
#include "../mail/mail_relay.h"
#include "../admin/admin.h"
#include "../comments/comment_thread.h"
#include "../store/store.h"
#include "../util/alog.h"


#include <errno.h>
#include <getopt.h>
#include <stdatomic.h>
#include <string.h>
#include <stdio.h>

static const char usage[] =
	"usage: gazette serve --site DIR [--listen ADDRESS:PORT] [--no-cache] [--db-read URL]\n\n"
	"Serves the site until SIGINT or SIGTERM, then finishes requests in flight\n"
	"and closes the database. The default address is the site's `listen`\n"
	"setting (127.0.0.1:8080). --no-cache renders every page afresh (for\n"
	"measuring; the cache is exact, so there is no other reason to).\n"
	"--db-read URL: a PostgreSQL streaming replica for pages' reads (gazette.conf's\n"
	"db_read; docs/deploy.md).\n";

/* The embed providers on (gazette.conf's, less those the admin switched
 * off) and the public pages' CSP: frame-src of exactly their hosts, and
 * the origins declared for ad and analytics slots in the directives they
 * are for, handed to http/ as data (it knows neither); the admin's
 * Settings and Slots change them while serving. */
static _Atomic int csp_pending; /* the database was down at start */

/* Every new connection's hooks; the first made after a start without the
 * database applies the CSP (a worker's, or the scheduler's). */
static void serve_on_store(const struct site *site, struct store *st)
{
	comment_thread_attach(site, st);
	if (atomic_exchange(&csp_pending, 0))
		admin_csp_apply(site, st);
}

static int embeds_at_start(struct site *site)
{
	struct store *st;
	char err[256];
	site->on_store = serve_on_store;
	int rc = site_store_open(site, &st, err, sizeof err);
	if (rc == STORE_UNAVAILABLE) { /* serving on: healthz 200, readyz and the rest 503 */
		fprintf(stderr, "gazette serve: %s: serving without it until it answers\n", err);
		atomic_store(&csp_pending, 1);
		return 0;
	}
	if (rc) {
		fprintf(stderr, "gazette serve: %s\n", err);
		return -1;
	}
	admin_csp_apply(site, st);
	store_close(st);
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "db-read", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *listen = NULL, *db_read = NULL;
	int c, no_cache = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'l': listen = optarg; break;
		case 'n': no_cache = 1; break;
		case 'r': db_read = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("serve", "unknown or incomplete option");
		}
	}
	if (optind != argc)
		return cli_usage_error("serve", "unexpected argument");
	if (!dir)
		return cli_usage_error("serve", "--site DIR is required");
	struct site site;
	char err[512];
	if (cli_site_open(&site, dir, err, sizeof err)) {
		fprintf(stderr, "gazette serve: %s\n", err);
		return 1;
	}
	if (db_read)
		snprintf(site.cfg.db_read, sizeof site.cfg.db_read, "%s", db_read);
	if (*site.cfg.db_read && (!store_spec_pg(site.cfg.db_read) || !store_spec_pg(site.db_path))) {
		fprintf(stderr, "gazette serve: a read replica (db_read, --db-read) is a postgresql:// "
				"URL, for a site whose db is PostgreSQL's\n");
		site_release(&site);
		return 1;
	}
	if (embeds_at_start(&site)) {
		site_release(&site);
		return 1;
	}
	if (no_cache) {
		cache_free(site.cache);
		site.cache = cache_new(0);
	}
	/* the relay's password, address and CA bundle, while the file system
	 * and the resolver are still there (mail/mail_relay.h) */
	if (mail_relay_open(&site.cfg, site.dir, &site.mail, err, sizeof err) ||
	    sandbox_prepare(&site, err, sizeof err)) { /* user check, site folder, chdir */
		fprintf(stderr, "gazette serve: %s\n", err);
		mail_relay_free(site.mail);
		site_release(&site);
		return 1;
	}
	if (site_access_log_open(&site)) {
		fprintf(stderr, "gazette serve: access_log %s: %s\n", site.cfg.access_log,
			strerror(errno));
		site_release(&site);
		return 1;
	}
	/* the access log's own writer: no request thread writes the log */
	if (alog_start())
		fprintf(stderr, "gazette serve: the access log's writer: %s (the workers write it)\n",
			strerror(errno));
	int rc = http_serve(&site, &app_gazette, listen ? listen : site.cfg.listen, err, sizeof err);
	if (rc)
		fprintf(stderr, "gazette serve: %s\n", err);
	alog_stop(); /* every line of the requests answered, written */
	mail_relay_free(site.mail);
	site.mail = NULL;
	site_release(&site);
	return rc ? 1 : 0;
}
