/*
 * cmd_serve: `gazette serve --site DIR [--listen ADDR:PORT]`.
 */
#include "cli.h"
#include "../app/app.h"
#include "../http/http.h"
#include "../site/site.h"
#include "../cache/cache.h"
#include "../http/sandbox.h"
#include "../http/secure.h"
#include "../content/embed.h"
#include "../util/buf.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] =
	"usage: gazette serve --site DIR [--listen ADDRESS:PORT] [--no-cache]\n\n"
	"Serves the site until SIGINT or SIGTERM, then finishes requests in flight\n"
	"and closes the database. The default address is the site's `listen`\n"
	"setting (127.0.0.1:8080). --no-cache renders every page afresh (for\n"
	"measuring; the cache is exact, so there is no other reason to).\n";

/* The public pages' frame-src: exactly the enabled embed providers' hosts,
 * handed to http/ as data (it knows no provider). */
static void frame_src(const struct site *site)
{
	struct buf b;
	buf_init(&b, 0);
	embed_frame_src(site->embeds, &b);
	if (b.err || secure_set_frame_src(buf_str(&b)))
		fprintf(stderr, "gazette serve: the embed hosts do not fit the CSP: no frames allowed\n");
	buf_release(&b);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *listen = NULL;
	int c, no_cache = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'l': listen = optarg; break;
		case 'n': no_cache = 1; break;
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
	frame_src(&site);
	if (no_cache) {
		cache_free(site.cache);
		site.cache = cache_new(0);
	}
	if (sandbox_prepare(&site, err, sizeof err)) { /* user check, site folder, chdir */
		fprintf(stderr, "gazette serve: %s\n", err);
		site_release(&site);
		return 1;
	}
	int rc = http_serve(&site, &app_gazette, listen ? listen : site.cfg.listen, err, sizeof err);
	if (rc)
		fprintf(stderr, "gazette serve: %s\n", err);
	site_release(&site);
	return rc ? 1 : 0;
}
