/*
 * cmd_media: the media library from the shell (issue 14).
 *   gazette media add --site DIR [--alt TEXT] [--caption TEXT] [--credit TEXT] FILE
 *   gazette media list --site DIR [--search TEXT]
 *   gazette media set --site DIR [--alt TEXT] [--caption TEXT] [--credit TEXT] ID
 * `add` checks and processes FILE as an upload to the library is (src/media/:
 * a picture, or audio or video within media_upload_limit), records it,
 * and prints its id and the Markdown that places it in a story. `set`
 * changes an entry's texts and, in the same transaction, re-renders the
 * stories that show it (media_ref_refresh).
 */
#include "cli.h"
#include "../site/site.h"
#include "../media/media.h"
#include "../media/media_ref.h"
#include "../store/store_media.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/utf8.h"

#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gazette media add --site DIR [--alt TEXT] [--caption TEXT] [--credit TEXT] FILE\n"
	"       gazette media list --site DIR [--search TEXT]\n"
	"       gazette media set --site DIR [--alt TEXT] [--caption TEXT] [--credit TEXT] ID\n\n"
	"add: checks FILE by its content. A JPEG, PNG, GIF or WebP picture is made into\n"
	"variants (widths 320 to 1920 in WebP, JPEG and, where libvips can, AVIF; every\n"
	"metadata field, GPS position included, removed), its original kept outside the\n"
	"public folder. An audio file (MP3, M4A, AAC, Ogg Vorbis or Opus, WAV, FLAC) or a\n"
	"video (MP4, WebM, Ogg) within the site's media_upload_limit is kept as it is, as\n"
	"media/HASH.EXT, and plays in the story with <audio> or <video>. Prints the new\n"
	"entry's id and the Markdown to paste into a story. The same file added twice is\n"
	"one entry.\n"
	"list: every entry, newest first: id, size in pixels (or audio, video), bytes,\n"
	"file name, alt text.\n"
	"set: changes entry ID's alt text, caption or credit (those given; \"\" empties one)\n"
	"and renders again every story that shows it, so its pages change at once.\n\n"
	"  --alt TEXT      what the picture shows, for readers who cannot see it\n"
	"  --caption TEXT  shown under the picture\n"
	"  --credit TEXT   who made it (\"Photo: Jane Doe/Agency\")\n"
	"  --search TEXT   list only entries whose alt, caption, credit or file name holds TEXT\n";

struct opts { const char *dir, *alt, *caption, *credit, *search; };

static const struct { const char *what; size_t max; } limits[] = {
	{ "--alt", 1000 }, { "--caption", 2000 }, { "--credit", 300 },
};

/* NULL when the text options are fit to keep, else why not. */
static const char *text_problem(struct pool *p, const struct opts *o)
{
	const char *v[] = { o->alt, o->caption, o->credit };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		if (!v[i])
			continue;
		if (!utf8_valid(v[i], strlen(v[i])))
			return pool_printf(p, "%s is not valid UTF-8 text", limits[i].what);
		if (strlen(v[i]) > limits[i].max)
			return pool_printf(p, "%s is longer than %zu bytes", limits[i].what,
					   limits[i].max);
	}
	return NULL;
}

/* ![ALT](media:ID "CAPTION"): the form the story editor renders. */
static void print_markdown(struct pool *p, const struct media_record *r)
{
	puts(media_markdown(p, r->id, r->alt, r->caption));
}

/* "1920x1080" for a picture, "audio" or "video" for the others. */
static const char *size_text(struct pool *p, const struct media_record *r)
{
	enum media_class k = media_kind_of(r->mime);
	if (k != MEDIA_KIND_PICTURE)
		return media_kind_name(k);
	return pool_printf(p, "%dx%d", r->width, r->height);
}

int cli_media_add(struct store *st, struct pool *p, const char *dir, const char *file,
		  const struct cli_media_text *t, struct media_record *out, int *added, char *err,
		  size_t errlen)
{
	struct media_input in;
	struct media_made made;
	*added = 0;
	if (media_read_any(p, file, cli_media_upload_limit(dir), &in, err, errlen))
		return -1;
	int rc = store_media_by_hash(st, p, in.hash, out);
	if (rc == STORE_OK)
		return 0; /* the same file: one entry */
	if (rc != STORE_NOTFOUND) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return -1;
	}
	if (media_make(p, dir, &in, &made, err, errlen))
		return -1;
	*out = (struct media_record){
		.hash = pool_strdup(p, in.hash), /* in's own array: out outlives it */
		.name = in.name, .mime = in.mime, .ext = in.ext,
		.width = made.width, .height = made.height, .bytes = (long long)in.len,
		.alt = t->alt ? t->alt : "", .caption = t->caption ? t->caption : "",
		.credit = t->credit ? t->credit : "", .focal_x = 0.5, .focal_y = 0.5,
		.variants = media_variants_text(p, &made),
		.formats = media_formats_text(p, made.formats),
	};
	if (store_media_add(st, p, out, added) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		media_remove(p, dir, in.hash, in.ext, &made);
		return -1;
	}
	return 0; /* *added 0: recorded by another taker meanwhile, its files kept */
}

static int add(struct store *st, struct pool *p, const struct opts *o, const char *file)
{
	char err[512];
	struct media_record r;
	int added;
	const struct cli_media_text t = { o->alt, o->caption, o->credit };
	if (cli_media_add(st, p, o->dir, file, &t, &r, &added, err, sizeof err)) {
		fprintf(stderr, "gazette media: %s: %s\n", file, err);
		return 1;
	}
	if (!added)
		printf("already in the library as media %lld (%s)\n", r.id, r.name);
	else if (media_kind_of(r.mime) != MEDIA_KIND_PICTURE)
		printf("added media %lld: %s, %s, %s, /media/%s\n", r.id, r.name,
		       media_kind_name(media_kind_of(r.mime)), r.mime, media_av_name(p, r.hash, r.ext));
	else
		printf("added media %lld: %s, %dx%d, %s in %s\n", r.id, r.name, r.width, r.height,
		       r.variants, r.formats);
	print_markdown(p, &r);
	return 0;
}

static int set(struct store *st, struct pool *p, const struct opts *o, const char *arg)
{
	unsigned long long id;
	struct media_record r;
	size_t n = 0;
	if (num_parse_u64(arg, 1ULL << 53, &id) || id == 0) {
		fprintf(stderr, "gazette media: %s: not a media id\n", arg);
		return 1;
	}
	int rc = store_media_get(st, p, (long long)id, &r);
	if (rc == STORE_OK) {
		if (o->alt)
			r.alt = o->alt;
		if (o->caption)
			r.caption = o->caption;
		if (o->credit)
			r.credit = o->credit;
		rc = media_ref_set(st, p, &r, &n);
	}
	if (rc != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			fprintf(stderr, "gazette media: there is no media %llu\n", id);
		else
			fprintf(stderr, "gazette media: %s\n", store_errmsg(st));
		return 1;
	}
	printf("updated media %lld; %zu %s rendered again\n", r.id, n, n == 1 ? "story" : "stories");
	return 0;
}

static const char *human_bytes(struct pool *p, long long b)
{
	if (b >= 1000000)
		return pool_printf(p, "%.1f MB", (double)b / 1e6);
	if (b >= 1000)
		return pool_printf(p, "%.0f KB", (double)b / 1e3);
	return pool_printf(p, "%lld B", b);
}

static int list(struct store *st, struct pool *p, const struct opts *o)
{
	struct media_record *v;
	size_t n;
	if (store_media_list(st, p, o->search, 0, SIZE_MAX >> 1, &v, &n)) {
		fprintf(stderr, "gazette media: %s\n", store_errmsg(st));
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\n", v[i].id, size_text(p, &v[i]),
		       human_bytes(p, v[i].bytes), v[i].name, v[i].alt);
	return 0;
}

int cmd_media(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "alt", required_argument, NULL, 'a' },
		{ "caption", required_argument, NULL, 'c' },
		{ "credit", required_argument, NULL, 'r' },
		{ "search", required_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.dir = optarg; break;
		case 'a': o.alt = optarg; break;
		case 'c': o.caption = optarg; break;
		case 'r': o.credit = optarg; break;
		case 'q': o.search = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("media", "unknown or incomplete option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("media", "expected add, list or set");
	const char *verb = argv[optind];
	int is_add = strcmp(verb, "add") == 0, is_set = strcmp(verb, "set") == 0;
	if (!is_add && !is_set && strcmp(verb, "list") != 0)
		return cli_usage_error("media", "expected add, list or set");
	if (argc - optind - 1 != (is_add || is_set))
		return cli_usage_error("media", is_add   ? "add wants one FILE"
						: is_set ? "set wants one ID"
							 : "list takes no FILE");
	if (!o.dir)
		return cli_usage_error("media", "--site DIR is required");
	struct pool *p = pool_new();
	const char *bad = text_problem(p, &o);
	if (bad) {
		int rc = cli_usage_error("media", bad); /* bad lives in p */
		pool_free(p);
		return rc;
	}
	char err[1024];
	struct store *st;
	if (site_db_open(o.dir, NULL, &st, err, sizeof err)) {
		fprintf(stderr, "gazette media: %s\n", err);
		pool_free(p);
		return 1;
	}
	int rc = is_add	  ? add(st, p, &o, argv[optind + 1])
		 : is_set ? set(st, p, &o, argv[optind + 1])
			  : list(st, p, &o);
	store_close(st);
	pool_free(p);
	return rc;
}
