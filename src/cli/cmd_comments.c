/*
 * cmd_comments: moderation from the shell until the admin exists.
 *   gazette comments --site DIR list [--status S]
 *   gazette comments --site DIR approve|spam|trash|pending ID...
 */
#include "cli.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gazette comments --site DIR list [--status pending|approved|spam|trash]\n"
	"       gazette comments --site DIR approve|spam|trash|pending ID...\n\n"
	"Lists comments (newest first: ID, status, story, author, text) or moves\n"
	"comments to another status (several IDs: all of them or, one unknown, none).\n";

/* One line of text: control characters become spaces, cut at 60 bytes on
 * a UTF-8 boundary. */
static void print_excerpt(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n < 60; p++, n++) {
		if (n >= 57 && (*p & 0xC0) != 0x80 && *p >= 0x80)
			break;
		putchar(*p < 0x20 ? ' ' : *p);
	}
	putchar('\n');
}

static int list(struct store *st, const char *status_name)
{
	enum comment_status status;
	int filter = -1;
	if (status_name) {
		if (comment_status_parse(status_name, &status))
			return cli_usage_error("comments", "--status wants pending, approved, spam or trash");
		filter = (int)status;
	}
	struct pool *p = pool_new();
	struct comment *v;
	size_t n;
	int rc = store_comments_list(st, p, filter, 100000, &v, &n);
	if (rc)
		fprintf(stderr, "gazette comments: %s\n", store_errmsg(st));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		printf("%lld\t%s\t%s\t", v[i].id, comment_status_name(v[i].status), v[i].story_slug);
		for (const char *a = v[i].author; *a; a++)
			putchar((unsigned char)*a < 0x20 ? ' ' : *a);
		putchar('\t');
		print_excerpt(v[i].body);
	}
	pool_free(p);
	return rc ? 1 : 0;
}

/* Moves the comments ids[0..n) to the verb's status in one transaction:
 * all of them, or (an ID not a number, or no such comment) none. */
static int set_status(struct store *st, const char *verb, char **ids, int n)
{
	static const struct { const char *verb, *done; enum comment_status s; } verbs[] = {
		{ "approve", "approved", COMMENT_APPROVED }, { "spam", "marked as spam", COMMENT_SPAM },
		{ "trash", "moved to the trash", COMMENT_TRASH }, { "pending", "held", COMMENT_PENDING },
	};
	size_t v = 0;
	while (v < sizeof verbs / sizeof verbs[0] && strcmp(verb, verbs[v].verb) != 0)
		v++;
	if (v == sizeof verbs / sizeof verbs[0])
		return cli_usage_error("comments", "unknown action (list, approve, spam, trash, pending)");
	unsigned long long id;
	for (int i = 0; i < n; i++)
		if (num_parse_u64(ids[i], 1ULL << 62, &id))
			return cli_usage_error("comments", "expected a comment ID (a number)");
	int rc = store_begin(st);
	for (int i = 0; rc == 0 && i < n; i++) {
		num_parse_u64(ids[i], 1ULL << 62, &id);
		rc = store_comment_set_status(st, (long long)id, verbs[v].s);
	}
	if (rc == 0)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (rc == STORE_NOTFOUND) {
		fprintf(stderr, "gazette comments: no comment %llu\n", id);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "gazette comments: %s\n", store_errmsg(st));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		num_parse_u64(ids[i], 1ULL << 62, &id);
		printf("comment %llu %s\n", id, verbs[v].done);
	}
	return 0;
}

int cmd_comments(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *status = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 't': status = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("comments", "unknown or incomplete option");
		}
	}
	if (!dir)
		return cli_usage_error("comments", "--site DIR is required");
	if (optind >= argc)
		return cli_usage_error("comments", "expected an action: list, approve, spam, trash");
	const char *verb = argv[optind];
	if (strcmp(verb, "list") == 0 ? optind + 1 != argc : optind + 2 > argc)
		return cli_usage_error("comments", "wrong number of arguments");
	char err[1024];
	struct store *st;
	if (site_db_open(dir, NULL, &st, err, sizeof err)) {
		fprintf(stderr, "gazette comments: %s\n", err);
		return 1;
	}
	int rc = strcmp(verb, "list") == 0 ? list(st, status)
					   : set_status(st, verb, argv + optind + 1, argc - optind - 1);
	store_close(st);
	/* a changed comment's thread, rendered now rather than by the server */
	long long n;
	if (rc == 0 && strcmp(verb, "list") != 0 && cli_threads_render(dir, &n, err, sizeof err))
		fprintf(stderr, "gazette comments: comment thread not rendered (%s); "
				"the server will render it\n", err);
	return rc;
}
