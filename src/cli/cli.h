/*
 * cli: the commands of the gazette binary, one file each. Every command
 * takes its own argv (argv[0] is the command name), prints usage for
 * --help, and returns the process exit status: 0 ok, 1 failure, 2 usage.
 */
#ifndef GZ_CLI_H
#define GZ_CLI_H

#include <stddef.h>

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_comments(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_section(int argc, char **argv);

/* Creates an account (cmd_user.c; also used by `init --admin-email`):
 * checks the role and the password policy, hashes. 0 ok; -1 with err. */
struct store;
int cli_user_create(struct store *st, const char *site_name, const char *name, const char *email,
		    const char *role, const char *password, char *err, size_t errlen);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_threads(int argc, char **argv);
int cmd_media(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_copy(int argc, char **argv);
/* Renders the site's stale comment threads (cmd_threads.c): *rendered of
 * them. 0 ok; -1 with err. */
int cli_threads_render(const char *dir, long long *rendered, char *err, size_t errlen);

/* Adds the picture in file to the media library of the site in dir, as
 * `gazette media add` does (cmd_media.c; the demo loader too): checks it,
 * makes its variants, records it with the texts given (NULL for none).
 * The same picture already there is that entry, unchanged (*added 0).
 * 0 with *out (memory from p); -1 with err, nothing left behind. */
struct pool;
struct media_record;
struct cli_media_text { const char *alt, *caption, *credit; };
int cli_media_add(struct store *st, struct pool *p, const char *dir, const char *file,
		  const struct cli_media_text *t, struct media_record *out, int *added, char *err,
		  size_t errlen);

/* Loads the demo content from DATADIR/demo into an open, empty site
 * database (demo.c), and with photos the pictures listed in
 * demo/photos.txt into the library of the site in site_dir (their variants
 * made as for an upload; removed again when the load fails). Without
 * photos, a story's lines that place one are left out and it has no
 * featured image. 0 ok; -1 with the file and line in err. */
int demo_load(struct store *st, const char *demo_dir, const char *site_dir, int photos, char *err,
	      size_t errlen);

/* site_open, and what the application adds to every connection of the
 * site (comments/comment_thread.h's builder). */
struct site;
int cli_site_open(struct site *s, const char *dir, char *err, size_t errlen);

/* The site's media_upload_limit: DIR/gazette.conf's, else the default
 * (a file that does not load is said on stderr). */
long cli_media_upload_limit(const char *dir);

/* Shared option handling: prints "gazette CMD: MSG" and usage hint. */
int cli_usage_error(const char *cmd, const char *msg);
/* Options of a command that takes --site DIR and --help only: -1 when
 * parsed (*dir set or NULL, optind at the first operand), else the exit
 * status to return (0 after --help, 2 for a bad option). */
int cli_site_options(int argc, char **argv, const char *cmd, const char *usage,
		     const char **dir);

#endif
