/*
 * cli: what the commands share.
 */
#include "cli.h"
#include "../comments/comment_thread.h"
#include "../site/site.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

int cli_usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "gazette %s: %s\nRun `gazette %s --help` for usage.\n", cmd, msg, cmd);
	return 2;
}

long cli_media_upload_limit(const char *dir)
{
	struct config c;
	char path[PATH_MAX], err[512];
	config_defaults(&c);
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	if (access(path, R_OK) == 0 && config_load(&c, path, err, sizeof err))
		fprintf(stderr, "gazette: %s (using the default limits)\n", err);
	return c.media_upload_limit;
}

int cli_site_options(int argc, char **argv, const char *cmd, const char *usage,
		     const char **dir)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	*dir = NULL;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': *dir = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error(cmd, "unknown or incomplete option");
		}
	}
	return -1;
}

int cli_site_open(struct site *s, const char *dir, char *err, size_t errlen)
{
	if (site_open(s, dir, err, errlen))
		return -1;
	s->on_store = comment_thread_attach;
	return 0;
}
