/*
 * cmd_section: the masthead's sections from the shell, by the rules the
 * admin uses (content/section.c): the same checks, the same redirects.
 *   gazette section add --site DIR [--parent SLUG] [--description TEXT] [--slug SLUG] NAME
 *   gazette section list --site DIR
 *   gazette section rename --site DIR [--slug NEW] [--parent SLUG] [--description TEXT] SLUG NAME
 *   gazette section delete --site DIR [--move-to SLUG] SLUG
 */
#include "cli.h"
#include "../site/site.h"
#include "../content/section.h"
#include "../store/store_section.h"
#include "../util/pool.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gazette section add --site DIR [--parent SLUG] [--description TEXT] [--slug SLUG] NAME\n"
	"       gazette section list --site DIR\n"
	"       gazette section rename --site DIR [--slug NEW-SLUG] [--parent SLUG] [--description TEXT]\n"
	"                              SLUG NEW-NAME\n"
	"       gazette section delete --site DIR [--move-to SLUG] SLUG\n\n"
	"Manages the sections of the masthead. A section is named by its slug, the\n"
	"last part of its address (/section/world/asia is \"asia\" inside \"world\").\n\n"
	"  --parent SLUG       put the section inside another (\"\" with rename: top level)\n"
	"  --description TEXT  shown on the section's page and in its meta description\n"
	"  --slug SLUG         the address name (default: made from NAME; rename keeps\n"
	"                      the old one unless given, and old addresses redirect)\n"
	"  --move-to SLUG      delete: the section that takes the stories (required\n"
	"                      when the section has stories)\n";

struct opts { const char *dir, *parent, *description, *slug, *move_to; };

static int by_slug(struct store *st, struct pool *p, const char *slug, struct section *out)
{
	int rc = store_section_by_slug(st, p, slug, out);
	if (rc == STORE_NOTFOUND)
		fprintf(stderr, "gazette section: no section \"%s\" (see `gazette section list`)\n", slug);
	else if (rc)
		fprintf(stderr, "gazette section: %s\n", store_errmsg(st));
	return rc;
}

static int report(int rc, const char *msg, const char *done)
{
	if (rc) {
		fprintf(stderr, "gazette section: %s\n", msg);
		return 1;
	}
	puts(done);
	return 0;
}

static int add(struct store *st, struct pool *p, const struct opts *o, const char *name)
{
	struct section parent = { 0 };
	const char *msg = NULL;
	long long id;
	if (o->parent && *o->parent && by_slug(st, p, o->parent, &parent))
		return 1;
	struct section_input in = { name, o->slug, o->description, parent.id };
	int rc = section_add(st, p, &in, &id, &msg);
	struct section made;
	if (!rc && store_section_get(st, p, id, &made) == STORE_OK)
		return report(0, NULL, pool_printf(p, "added section %lld: %s (%s)", id, made.name,
						   section_url(p, made.path)));
	return report(rc ? rc : STORE_ERROR, msg ? msg : store_errmsg(st), NULL);
}

static int list(struct store *st, struct pool *p)
{
	struct section *v = NULL;
	size_t n = 0;
	if (store_sections(st, p, &v, &n)) {
		fprintf(stderr, "gazette section: %s\n", store_errmsg(st));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t stories = 0;
		store_section_story_count(st, v[i].id, &stories);
		printf("%lld\t%s\t%*s%s\t%zu stories\n", v[i].id, section_url(p, v[i].path),
		       2 * v[i].depth, "", v[i].name, stories);
	}
	return 0;
}

static int rename_section(struct store *st, struct pool *p, const struct opts *o,
			  const char *slug, const char *name)
{
	struct section sec, parent = { 0 };
	const char *msg = NULL;
	if (by_slug(st, p, slug, &sec))
		return 1;
	parent.id = sec.parent_id;
	if (o->parent && *o->parent && by_slug(st, p, o->parent, &parent))
		return 1;
	if (o->parent && !*o->parent)
		parent.id = 0;
	struct section_input in = { name, o->slug ? o->slug : sec.slug,
				    o->description ? o->description : sec.description, parent.id };
	int rc = section_change(st, p, sec.id, &in, &msg);
	struct section now;
	if (!rc && store_section_get(st, p, sec.id, &now) == STORE_OK)
		return report(0, NULL, pool_printf(p, "section %lld is %s (%s)", sec.id, now.name,
						   section_url(p, now.path)));
	return report(rc ? rc : STORE_ERROR, msg ? msg : store_errmsg(st), NULL);
}

static int delete_section(struct store *st, struct pool *p, const struct opts *o, const char *slug)
{
	struct section sec, target = { 0 };
	const char *msg = NULL;
	if (by_slug(st, p, slug, &sec) || (o->move_to && by_slug(st, p, o->move_to, &target)))
		return 1;
	int rc = section_remove(st, p, sec.id, target.id, &msg);
	return report(rc, msg, pool_printf(p, "deleted section %s%s%s", sec.name,
					   target.id ? "; its stories are in " : "",
					   target.id ? target.name : ""));
}

int cmd_section(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "parent", required_argument, NULL, 'p' },
		{ "description", required_argument, NULL, 'd' },
		{ "slug", required_argument, NULL, 'g' },
		{ "move-to", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.dir = optarg; break;
		case 'p': o.parent = optarg; break;
		case 'd': o.description = optarg; break;
		case 'g': o.slug = optarg; break;
		case 'm': o.move_to = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("section", "unknown or incomplete option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("section", "expected add, list, rename or delete");
	if (!o.dir)
		return cli_usage_error("section", "--site DIR is required");
	const char *verb = argv[optind];
	static const struct { const char *verb; int operands; } verbs[] = {
		{ "add", 1 }, { "list", 0 }, { "rename", 2 }, { "delete", 1 },
	};
	int want = -1;
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(verb, verbs[i].verb) == 0)
			want = verbs[i].operands;
	if (want < 0)
		return cli_usage_error("section", "expected add, list, rename or delete");
	if (argc - optind - 1 != want)
		return cli_usage_error("section", want == 2 ? "rename wants SLUG and NEW-NAME (quote a name "
							      "with spaces)"
							    : "wrong number of arguments (quote a NAME with spaces)");
	char err[1024];
	struct store *st;
	if (site_db_open(o.dir, NULL, &st, err, sizeof err)) {
		fprintf(stderr, "gazette section: %s\n", err);
		return 1;
	}
	struct pool *p = pool_new();
	char **arg = argv + optind + 1;
	int rc = verb[0] == 'a'   ? add(st, p, &o, arg[0])
		 : verb[0] == 'l' ? list(st, p)
		 : verb[0] == 'r' ? rename_section(st, p, &o, arg[0], arg[1])
				  : delete_section(st, p, &o, arg[0]);
	pool_free(p);
	store_close(st);
	return rc;
}
