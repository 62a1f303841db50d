/*
 * import_report: what an import tells its user (see import_int.h). The
 * counters, the named tallies (statuses, skipped types, unknown
 * shortcodes...), the warnings, the progress line while it runs and the
 * summary printed at the end.
 *
 * The one design decision: the driver only counts; every sentence of the
 * report is written here, once the import is over, so a dry run and a real
 * one print the same summary and a failed one prints none.
 */
#include "import_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void import_names_add(struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0) {
			s->v[i].n++;
			return;
		}
	if (s->n < NAMES_MAX) {
		snprintf(s->v[s->n].name, sizeof s->v[s->n].name, "%s", name);
		s->v[s->n++].n = 1;
	}
}

void import_warn(struct imp *im, const char *fmt, ...)
{
	im->nwarnings++;
	if (im->nwarnings > 200)
		return;
	va_list ap;
	va_start(ap, fmt);
	buf_puts(&im->warnings, "  ");
	buf_vprintf(&im->warnings, fmt, ap);
	buf_putc(&im->warnings, '\n');
	va_end(ap);
}

void import_progress(struct imp *im, int final)
{
	FILE *f = im->o->progress;
	if (!f || !im->items_total)
		return;
	time_t now = time(NULL);
	double el = difftime(now, im->started);
	double rate = el > 0 ? im->items_done / el : 0;
	double left = rate > 0 ? (im->items_total - im->items_done) / rate : 0;
	if (im->o->progress_bar) {
		int w = 30, fill = (int)(w * im->items_done / im->items_total);
		char bar[32];
		for (int i = 0; i < w; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[w] = '\0';
		fprintf(f, "\r[%s] %zu/%zu items  %.0f/s  %d:%02d left ", bar, im->items_done,
			im->items_total, rate, (int)left / 60, (int)left % 60);
		if (final)
			fputc('\n', f);
		fflush(f);
		return;
	}
	if (final || now - im->last_line >= 5) {
		im->last_line = now;
		fprintf(f, "import: %zu/%zu items (%zu%%)\n", im->items_done, im->items_total,
			im->items_done * 100 / im->items_total);
		fflush(f);
	}
}

static void put_names(struct buf *r, const char *label, const struct names *s)
{
	if (!s->n)
		return;
	buf_printf(r, "%s", label);
	for (size_t i = 0; i < s->n; i++)
		buf_printf(r, "%s%s: %zu", i ? ", " : " (", s->v[i].name, s->v[i].n);
	buf_puts(r, ")");
}

double import_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Each kind of media as found / missing / not supported, the library's
 * new and known pictures, and the files not in --uploads by story. */
static void put_media(struct imp *im, struct buf *r)
{
	static const char *const kind[MK__MAX] = { "featured images", "body images",
		"captions", "galleries", "gallery images", "cover blocks", "audio", "video",
		"embeds" };
	buf_puts(r, "media (found / missing / not supported):\n");
	for (int k = 0; k < MK__MAX; k++)
		buf_printf(r, "  %s: %zu / %zu / %zu\n", kind[k], im->media[k][MF_FOUND],
			   im->media[k][MF_MISSING], im->media[k][MF_UNSUPPORTED]);
	if (im->lib_av_added)
		buf_printf(r, "  library: %zu pictures and %zu audio or video files added, %zu "
			      "already there\n", im->lib_added - im->lib_av_added, im->lib_av_added,
			   im->lib_known);
	else
		buf_printf(r, "  library: %zu pictures added, %zu already there%s\n", im->lib_added,
			   im->lib_known,
			   im->o->uploads ? "" : " (give --uploads DIR to bring pictures in)");
	if (im->nmissing) {
		buf_printf(r, "  files not found in --uploads: %zu\n", im->nmissing);
		buf_puts(r, buf_str(&im->missing));
		if (im->nmissing > 200)
			buf_printf(r, "  ... and %zu more\n", im->nmissing - 200);
	}
}

void import_report_write(struct imp *im, struct buf *r, const char *path)
{
	size_t *c = im->count;
	buf_printf(r, "WordPress import of %s (from %s)%s\n", path, im->source ? im->source : "?",
		   im->o->dry_run ? ": dry run, nothing was written" : "");
	buf_printf(r, "imported:\n  users: %zu new", c[N_USERS]);
	if (c[N_USERS_KNOWN])
		buf_printf(r, ", %zu matched by e-mail", c[N_USERS_KNOWN]);
	if (c[N_USERS])
		buf_puts(r, " (they must set a password before signing in)");
	buf_printf(r, "\n  sections: %zu\n  tags: %zu\n  posts: %zu", c[N_SECTIONS], c[N_TAGS],
		   c[N_POSTS]);
	put_names(r, "", &im->post_status);
	buf_printf(r, "\n  pages: %zu", c[N_PAGES]);
	put_names(r, "", &im->page_status);
	buf_printf(r, "\n  comments: %zu", c[N_COMMENTS]);
	put_names(r, "", &im->comment_status);
	buf_printf(r, "\n  attachments: %zu (%zu files copied to media/)\n  redirects: %zu\n",
		   c[N_ATTACH], c[N_MEDIA_COPIED], c[N_REDIRECTS]);
	buf_printf(r, "already imported: %zu unchanged, %zu updated, %zu changed but kept (use --update),"
		      " %zu comments\n",
		   c[N_UNCHANGED], c[N_UPDATED], c[N_CHANGED_KEPT], c[N_COMMENTS_KNOWN]);
	buf_puts(r, "skipped:\n");
	buf_printf(r, "  trash: %zu\n  auto-drafts and revisions: %zu\n", c[N_SKIP_TRASH],
		   c[N_SKIP_AUTODRAFT]);
	buf_printf(r, "  pingbacks and trackbacks: %zu (Gazette has no linkbacks)\n", c[N_SKIP_PINGS]);
	buf_printf(r, "  other post types: %zu", c[N_SKIP_TYPE]);
	put_names(r, "", &im->skipped_types);
	buf_puts(r, "\nnotes:\n");
	buf_printf(r, "  private posts imported as drafts: %zu\n  password-protected posts imported as"
		      " drafts: %zu\n  sticky posts (published ones pinned as featured on the front page): %zu\n",
		   c[N_PRIVATE], c[N_PASSWORD], c[N_STICKY]);
	buf_printf(r, "  posts listed in more than one section: %zu\n  custom taxonomy terms kept as"
		      " tags: %zu\n",
		   c[N_EXTRA_CATS], c[N_CUSTOM_TERMS]);
	buf_printf(r, "  replies whose parent is missing (shown at top level): %zu\n", c[N_ORPHANS]);
	if (im->taxonomies.n) {
		put_names(r, "  other taxonomies", &im->taxonomies);
		buf_putc(r, '\n');
	}
	if (im->unknown_sc.n) {
		put_names(r, "  unknown shortcodes kept as text", &im->unknown_sc);
		buf_putc(r, '\n');
	}
	if (im->unused_meta.n) {
		put_names(r, "  post meta not used", &im->unused_meta);
		buf_putc(r, '\n');
	}
	if (im->nkept_urls) {
		buf_printf(r, "  media URLs kept pointing at the old site: %zu%s\n", im->nkept_urls,
			   im->o->uploads ? "" : " (give --uploads DIR to copy them)");
		buf_puts(r, buf_str(&im->kept_urls));
		if (im->nkept_urls > LIST_MAX)
			buf_printf(r, "  ... and %zu more\n", im->nkept_urls - LIST_MAX);
	}
	put_media(im, r);
	buf_printf(r, "time: %.1f s (scan %.1f, write %.1f, related stories %.1f)\n",
		   im->t_scan + im->t_write + im->t_related, im->t_scan, im->t_write, im->t_related);
	buf_printf(r, "warnings: %zu\n", im->nwarnings);
	buf_puts(r, buf_str(&im->warnings));
}
