/*
 * main: command dispatch. The command table is the one list of what the
 * binary can do; `gazette --help` prints it.
 */
#include "cli.h"
#include "../util/version.h"

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "init", cmd_init, "create a site: database, media folder, settings (--demo adds stories)" },
	{ "serve", cmd_serve, "serve a site over HTTP until SIGINT or SIGTERM" },
	{ "comments", cmd_comments, "list and moderate reader comments" },
	{ "user", cmd_user, "add, list, change and disable newsroom accounts" },
	{ "section", cmd_section, "add, list, rename and delete the masthead's sections" },
	{ "import", cmd_import, "import a WordPress export (WXR) with comments and redirects" },
	{ "export", cmd_export, "write the site as WordPress WXR or as one JSON document" },
	{ "backup", cmd_backup, "write the site to a checked tar archive while it serves" },
	{ "restore", cmd_restore, "check a backup archive, then unpack it into a new site folder" },
	{ "media", cmd_media, "add pictures to the media library (variants made) and list it" },
	{ "mail", cmd_mail, "send a test message through the SMTP relay of gazette.conf" },
	{ "threads", cmd_threads, "render the comment threads waiting (after an import or theme change)" },
	{ "copy", cmd_copy, "move a SQLite site's database into an empty PostgreSQL one (--from DIR --to URL)" },
	{ "migrate", cmd_migrate, "apply the schema migrations a PostgreSQL database lacks (--db URL)" },
};

static void usage(FILE *f)
{
	fputs("usage: gazette COMMAND [OPTIONS]\n\n"
	      "Gazette: a news-publishing engine in one small binary.\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun `gazette COMMAND --help` for a command's options, `gazette --version` for\n"
	      "the version of this build.\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("gazette %s\n", gazette_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "gazette: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
