/*
 * cmd_threads: `gazette threads --site DIR` renders every comment thread
 * waiting to be rendered (store_thread.h): after an import or rows written
 * by another program, or a theme or nesting-limit change, so the server
 * does not do it in its first minutes. The running server would do the
 * same in the background; this only saves it the work. `import` and
 * `comments` call cli_threads_render when they are done.
 */
#include "cli.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../store/store_thread.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] =
	"usage: gazette threads --site DIR\n\n"
	"Renders the comment threads that are not stored yet or were stored\n"
	"with another theme or comment_max_depth, and prints how many.\n";

int cli_threads_render(const char *dir, long long *rendered, char *err, size_t errlen)
{
	struct site site;
	struct store *st = NULL;
	*rendered = 0;
	if (cli_site_open(&site, dir, err, errlen))
		return -1;
	if (site_store_open(&site, &st, err, errlen)) {
		site_release(&site);
		return -1;
	}
	size_t built = 0;
	long long waiting = 0, left = 0;
	/* every commit renders some: count what waits before and after */
	int rc = store_begin(st) || store_threads_restale(st) ||
		 store_threads_stale_count(st, &waiting) || store_commit(st);
	while (!rc) {
		rc = store_begin(st) || store_threads_rebuild(st, 256, &built) || store_commit(st);
		if (built < 256)
			break;
	}
	if (!rc)
		rc = store_threads_stale_count(st, &left);
	if (rc) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		store_rollback(st);
	} else {
		*rendered = waiting - left;
	}
	store_close(st);
	site_release(&site);
	return rc ? -1 : 0;
}

int cmd_threads(int argc, char **argv)
{
	const char *dir;
	int rc = cli_site_options(argc, argv, "threads", usage, &dir);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error("threads", "unexpected argument");
	if (!dir)
		return cli_usage_error("threads", "--site DIR is required");
	char err[512];
	long long n;
	if (cli_threads_render(dir, &n, err, sizeof err)) {
		fprintf(stderr, "gazette threads: %s\n", err);
		return 1;
	}
	printf("%lld comment threads rendered\n", n);
	return 0;
}
