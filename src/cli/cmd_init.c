/*
 * cmd_init: `gazette init [--demo] --site DIR` creates a site: the folder,
 * its media/ folder, gazette.conf and the database with its schema (and,
 * with --demo, the demo stories and their photos). It refuses to touch an
 * existing site, and the demo content goes in as one transaction.
 */
#include "cli.h"
#include "../site/config.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../auth/password.h"
#include "../util/pool.h"

#include <sodium.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: gazette init [--demo [--no-photos]] [--db URL] --site DIR\n\n"
	"Creates a site in DIR: gazette.db (SQLite), media/, gazette.conf.\n"
	"  --db URL the site lives in PostgreSQL instead (postgresql://USER:PASSWORD@\n"
	"           HOST:PORT/NAME, an empty database or one migrated by `gazette\n"
	"           migrate`): its schema is made there and gazette.conf names it;\n"
	"           DIR keeps the settings, theme overrides and media. Another node\n"
	"           of the same site is a copy of DIR (docs/deploy.md)\n"
	"  --demo   add the demo stories, authors and comments, and the demo's\n"
	"           photos to the media library (each made in every size, as an\n"
	"           upload is)\n"
	"  --no-photos  with --demo: the stories without their photos (the lines\n"
	"           that place one are left out; quick, for tests)\n"
	"  --admin-email EMAIL [--admin-name NAME] [--admin-password-stdin]\n"
	"           create the first admin account; its password is generated and\n"
	"           printed once, or read as one line of stdin\n";

/* The first admin: a generated password (printed once) unless one is
 * given on stdin. 0 ok. */
static int make_admin(const char *dir, const char *email, const char *name, int from_stdin)
{
	char err[1024], pw[PASSWORD_MAX_BYTES + 2];
	struct config cfg;
	struct store *st;
	if (site_db_open(dir, &cfg, &st, err, sizeof err) == 0) {
		if (from_stdin) {
			if (password_read("Admin password: ", 1, pw, sizeof pw))
				pw[0] = '\0';
		} else {
			static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789";
			size_t o = 0;
			for (int i = 0; i < 20; i++) {
				if (i && i % 5 == 0)
					pw[o++] = '-';
				pw[o++] = alpha[randombytes_uniform(sizeof alpha - 1)];
			}
			pw[o] = '\0';
		}
		int rc = cli_user_create(st, cfg.site_name, name, email, "admin", pw, err, sizeof err);
		store_close(st);
		if (rc == 0) {
			printf("admin account: %s\n", email);
			if (!from_stdin)
				printf("admin password: %s\n(shown once: sign in at /admin and change it "
				       "under Account)\n", pw);
			sodium_memzero(pw, sizeof pw);
			return 0;
		}
		sodium_memzero(pw, sizeof pw);
	}
	fprintf(stderr, "gazette init: admin account: %s\n", err);
	return -1;
}

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

/* The database's schema (store_open migrates it); a PostgreSQL database
 * that already holds a site (its secret) is refused: another node of it
 * is a copy of a node's folder, not a second init. */
static int make_schema(const char *spec, char *err, size_t errlen)
{
	struct store *st;
	if (store_open(&st, spec, err, errlen))
		return -1;
	int rc = 0;
	if (store_spec_pg(spec)) {
		struct pool *p = pool_new();
		const char *secret;
		if (store_setting_get(st, p, "secret", &secret) != STORE_NOTFOUND) {
			snprintf(err, errlen,
				 "the database already holds a site; nothing was changed (another node "
				 "of it is a copy of a node's folder: docs/deploy.md)");
			rc = -1;
		}
		pool_free(p);
	}
	store_close(st);
	return rc;
}

/* Whether the settings in conf name a database (a site in PostgreSQL,
 * which has no gazette.db to show it is there). */
static int conf_names_db(const char *conf)
{
	struct config c;
	char err[512];
	config_defaults(&c);
	return access(conf, F_OK) == 0 && config_load(&c, conf, err, sizeof err) == 0 && c.db[0];
}

static int create(const char *dir, const char *db, int demo, int photos, char *err,
		  size_t errlen)
{
	char path[PATH_MAX], conf[PATH_MAX], spec[sizeof path + sizeof((struct config *)0)->db];
	struct config cfg;
	config_defaults(&cfg);
	snprintf(cfg.db, sizeof cfg.db, "%s", db ? db : "");
	site_db_spec(dir, &cfg, spec, sizeof spec);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	snprintf(conf, sizeof conf, "%s/gazette.conf", dir);
	/* a folder with a database, or one whose settings would have to
	 * change to name another, or already name one */
	if (access(path, F_OK) == 0 || (db && access(conf, F_OK) == 0) || conf_names_db(conf)) {
		snprintf(err, errlen, "%s already holds a site; nothing was changed", dir);
		return -1;
	}
	/* PostgreSQL's database first: one that cannot be reached or holds a
	 * site already leaves no folder behind */
	if ((db && make_schema(spec, err, errlen)) || make_dirs(dir, err, errlen) ||
	    (!db && make_schema(spec, err, errlen)))
		return -1;
	if (access(conf, F_OK) != 0 && config_write(&cfg, conf, err, errlen)) {
		if (!db)
			unlink(path);
		return -1;
	}
	/* opening the site creates its signing secret and checks the theme;
	 * the demo's comment threads are rendered as its comments go in */
	struct site site;
	struct store *st = NULL;
	int rc = cli_site_open(&site, dir, err, errlen);
	if (rc == 0) {
		rc = site_store_open(&site, &st, err, errlen);
		if (rc == 0 && demo) {
			char demo_dir[PATH_MAX];
			snprintf(demo_dir, sizeof demo_dir, "%s/demo", site_data_dir());
			rc = demo_load(st, demo_dir, dir, photos, err, errlen);
		}
		store_close(st);
		site_release(&site);
	}
	if (rc) /* leave no half-made site behind (the demo is one transaction) */
		unlink(db ? conf : path);
	return rc;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'D' },
		{ "demo", no_argument, NULL, 'd' },
		{ "no-photos", no_argument, NULL, 'P' },
		{ "admin-email", required_argument, NULL, 'e' },
		{ "admin-name", required_argument, NULL, 'n' },
		{ "admin-password-stdin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *db = NULL, *admin_email = NULL, *admin_name = "Admin";
	int demo = 0, photos = 1, c, pw_stdin = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'D': db = optarg; break;
		case 'd': demo = 1; break;
		case 'P': photos = 0; break;
		case 'e': admin_email = optarg; break;
		case 'n': admin_name = optarg; break;
		case 'p': pw_stdin = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("init", "unknown or incomplete option");
		}
	}
	if (optind != argc)
		return cli_usage_error("init", "unexpected argument");
	if (!dir)
		return cli_usage_error("init", "--site DIR is required");
	if (!photos && !demo)
		return cli_usage_error("init", "--no-photos goes with --demo");
	if (db && !store_spec_pg(db))
		return cli_usage_error("init", "--db takes a postgresql:// or postgres:// URL");
	char err[1024];
	if (create(dir, db, demo, photos, err, sizeof err)) {
		fprintf(stderr, "gazette init: %s\n", err);
		return 1;
	}
	if (admin_email && (sodium_init() < 0 || make_admin(dir, admin_email, admin_name, pw_stdin)))
		return 1;
	printf("created site in %s%s\nserve it with: gazette serve --site %s\n", dir,
	       !demo ? "" : photos ? " with the demo content and photos" : " with the demo content",
	       dir);
	return 0;
}
