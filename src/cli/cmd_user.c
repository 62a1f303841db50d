/*
 * cmd_user: accounts from the shell.
 *   gazette user add --site DIR --role ROLE --email EMAIL NAME
 *   gazette user list --site DIR
 *   gazette user passwd --site DIR EMAIL
 *   gazette user disable|enable --site DIR EMAIL
 * Passwords are read from the terminal without echo (asked twice), or as
 * one line of stdin when it is not a terminal; never from the command line,
 * where other users could see them in the process list.
 */
#include "cli.h"
#include "../auth/password.h"
#include "../auth/roles.h"
#include "../content/slug.h"
#include "../site/config.h"
#include "../site/site.h"
#include "../store/store_session.h"
#include "../store/store_user.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gazette user add --site DIR --role ROLE --email EMAIL NAME\n"
	"       gazette user list --site DIR\n"
	"       gazette user passwd --site DIR EMAIL\n"
	"       gazette user disable|enable --site DIR EMAIL\n\n"
	"Manages newsroom accounts. ROLE is contributor, author, editor or admin.\n"
	"The password is asked for without echo, or read as one line of stdin.\n";

int cli_user_create(struct store *st, const char *site_name, const char *name, const char *email,
		    const char *role_s, const char *password, char *err, size_t errlen)
{
	enum role role;
	char mail[256];
	str_lower_into(mail, sizeof mail, email);
	if (role_parse(role_s, &role)) {
		snprintf(err, errlen, "unknown role \"%s\" (contributor, author, editor, admin)", role_s);
		return -1;
	}
	const char *pol = password_policy(password, site_name, mail, name);
	if (pol) {
		snprintf(err, errlen, "%s", pol);
		return -1;
	}
	char hash[PASSWORD_HASH_MAX], slug[SLUG_MAX + 1];
	if (password_hash(password, hash)) {
		snprintf(err, errlen, "out of memory hashing the password");
		return -1;
	}
	if (!slug_make(name, slug, sizeof slug))
		snprintf(slug, sizeof slug, "user");
	long long id;
	int rc = store_user_create(st, name, slug, mail, role, hash, &id);
	if (rc) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return -1;
	}
	return 0;
}

static int open_site(const char *dir, struct config *cfg, struct store **st)
{
	char err[1024];
	if (site_db_open(dir, cfg, st, err, sizeof err)) {
		fprintf(stderr, "gazette user: %s\n", err);
		return -1;
	}
	return 0;
}

static int add(struct store *st, const struct config *cfg, const char *role, const char *email,
	       const char *name)
{
	if (!role || !email || !name)
		return cli_usage_error("user", "add needs --role, --email and a NAME");
	char pw[PASSWORD_MAX_BYTES + 2], err[256];
	if (password_read("Password for the new account: ", 1, pw, sizeof pw)) {
		fputs("gazette user: no password given\n", stderr);
		return 1;
	}
	int rc = cli_user_create(st, cfg->site_name, name, email, role, pw, err, sizeof err);
	sodium_memzero(pw, sizeof pw);
	if (rc) {
		fprintf(stderr, "gazette user: %s\n", err);
		return 1;
	}
	printf("added %s %s <%s>\n", role, name, email);
	return 0;
}

static int list(struct store *st)
{
	struct pool *p = pool_new();
	struct user *v;
	size_t n;
	int rc = store_users_all(st, p, &v, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s%s\n", v[i].id, v[i].email, role_name(v[i].role), v[i].name,
		       v[i].disabled ? "disabled" : "enabled", *v[i].totp_secret ? "\t2fa" : "");
	if (rc)
		fprintf(stderr, "gazette user: %s\n", store_errmsg(st));
	pool_free(p);
	return rc ? 1 : 0;
}

static int by_email(struct store *st, struct pool *p, const char *email, struct user *u)
{
	if (!email)
		return cli_usage_error("user", "expected an EMAIL");
	if (store_user_by_email(st, p, email, u)) {
		fprintf(stderr, "gazette user: no account with email %s\n", email);
		return 1;
	}
	return 0;
}

static int passwd(struct store *st, const struct config *cfg, const char *email)
{
	struct pool *p = pool_new();
	struct user u;
	int rc = by_email(st, p, email, &u);
	char pw[PASSWORD_MAX_BYTES + 2], hash[PASSWORD_HASH_MAX];
	if (!rc && password_read("New password: ", 1, pw, sizeof pw)) {
		fputs("gazette user: no password given\n", stderr);
		rc = 1;
	}
	const char *pol = rc ? NULL : password_policy(pw, cfg->site_name, u.email, u.name);
	if (pol) {
		fprintf(stderr, "gazette user: %s\n", pol);
		rc = 1;
	}
	if (!rc && (password_hash(pw, hash) || store_user_set_password(st, u.id, hash) ||
		    store_sessions_delete_user(st, u.id, NULL))) {
		fprintf(stderr, "gazette user: %s\n", store_errmsg(st));
		rc = 1;
	}
	sodium_memzero(pw, sizeof pw);
	if (!rc)
		printf("password changed for %s; their sessions were ended\n", u.email);
	pool_free(p);
	return rc;
}

static int set_disabled(struct store *st, const char *email, int disabled)
{
	struct pool *p = pool_new();
	struct user u;
	int rc = by_email(st, p, email, &u);
	if (!rc && store_user_set_disabled(st, u.id, disabled)) {
		fprintf(stderr, "gazette user: %s\n", store_errmsg(st));
		rc = 1;
	}
	if (!rc)
		printf("%s %s\n", disabled ? "disabled" : "enabled", u.email);
	pool_free(p);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "role", required_argument, NULL, 'r' },
		{ "email", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *role = NULL, *email = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'r': role = optarg; break;
		case 'e': email = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("user", "unknown or incomplete option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("user", "expected add, list, passwd, disable or enable");
	if (!dir)
		return cli_usage_error("user", "--site DIR is required");
	const char *verb = argv[optind], *arg = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (optind + 2 < argc)
		return cli_usage_error("user", "unexpected argument (quote a NAME with spaces)");
	if (sodium_init() < 0)
		return 1;
	struct config cfg;
	struct store *st;
	if (open_site(dir, &cfg, &st))
		return 1;
	int rc;
	if (strcmp(verb, "add") == 0)
		rc = add(st, &cfg, role, email, arg);
	else if (strcmp(verb, "list") == 0)
		rc = list(st);
	else if (strcmp(verb, "passwd") == 0)
		rc = passwd(st, &cfg, arg ? arg : email);
	else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0)
		rc = set_disabled(st, arg ? arg : email, verb[0] == 'd');
	else
		rc = cli_usage_error("user", "expected add, list, passwd, disable or enable");
	store_close(st);
	return rc;
}
