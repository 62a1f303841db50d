/*
 * import: WordPress WXR -> Gazette (see import.h for the mapping).
 *
 * The one design decision: two streaming passes over the file and one
 * transaction. The first pass only learns the attachments (a gallery may
 * name images exported after the post) and the number of items (for the
 * progress bar); the second writes everything inside BEGIN ... COMMIT.
 * Nothing touches the filesystem before the commit except a private
 * staging folder inside media/, renamed into place only after it, so an
 * error, --dry-run, SIGINT or kill -9 leaves the site as it was.
 */
#include "import.h"
#include "shortcodes.h"
#include "wpautop.h"
#include "wxr.h"
#include "../comments/comment_text.h"
#include "../content/publish.h"
#include "../content/readtime.h"
#include "../content/sanitize.h"
#include "../content/slug.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../store/store_redirect.h"
#include "../util/pool.h"
#include "../util/num.h"

#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXCERPT_CHARS 240
#define LIST_MAX 20            /* examples listed per report line */
#define NAMES_MAX 64

/* ---------------------------------------------------------------- report */

enum counter {
	N_USERS, N_USERS_KNOWN, N_SECTIONS, N_TAGS, N_POSTS, N_PAGES, N_ATTACH, N_MEDIA_COPIED,
	N_COMMENTS, N_REDIRECTS, N_UNCHANGED, N_UPDATED, N_CHANGED_KEPT, N_COMMENTS_KNOWN,
	N_SKIP_TRASH, N_SKIP_AUTODRAFT, N_SKIP_TYPE, N_SKIP_PINGS, N_PRIVATE, N_PASSWORD,
	N_STICKY, N_EXTRA_CATS, N_CUSTOM_TERMS, N_ORPHANS, N__MAX
};

struct tally { char name[48]; size_t n; };

struct names {   /* a small counted set of names for the report */
	struct tally v[NAMES_MAX];
	size_t n;
};

static void names_add(struct names *s, const char *name)
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

/* ---------------------------------------------------------------- attachments (pass 1) */

struct attach {
	char *id, *url, *caption, *alt;
	char *local;   /* /media/... once copied, else NULL */
};

struct attach_table {
	struct attach *v;
	size_t cap, n;
};

static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct attach *attach_find(struct attach_table *t, const char *id, int add)
{
	if (add && (t->n + 1) * 2 > t->cap) {
		struct attach_table nt = { calloc(t->cap ? t->cap * 2 : 64, sizeof *nt.v),
					   t->cap ? t->cap * 2 : 64, 0 };
		if (!nt.v)
			return NULL;
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].id) {
				size_t k = fnv(t->v[i].id, 1469598103934665603ull) & (nt.cap - 1);
				while (nt.v[k].id)
					k = (k + 1) & (nt.cap - 1);
				nt.v[k] = t->v[i];
				nt.n++;
			}
		free(t->v);
		*t = nt;
	}
	if (!t->cap)
		return NULL;
	size_t k = fnv(id, 1469598103934665603ull) & (t->cap - 1);
	while (t->v[k].id) {
		if (strcmp(t->v[k].id, id) == 0)
			return &t->v[k];
		k = (k + 1) & (t->cap - 1);
	}
	if (!add)
		return NULL;
	t->v[k].id = strdup(id);
	t->n++;
	return &t->v[k];
}

static void attach_free(struct attach_table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->v[i].id);
		free(t->v[i].url);
		free(t->v[i].caption);
		free(t->v[i].alt);
		free(t->v[i].local);
	}
	free(t->v);
}

/* ---------------------------------------------------------------- state */

struct term_info {  /* categories: slug -> parent slug, section id */
	char *slug, *parent;
	long long section_id;
};

struct imp {
	struct store *st;
	const struct import_opts *o;
	struct pool *p;              /* whole-import strings (small) */
	struct attach_table att;
	size_t items_total, items_done;
	const char *source, *base, *blog;
	struct term_info *cats;
	size_t ncats, capcats;
	size_t count[N__MAX];
	struct names post_status, page_status, comment_status, skipped_types, unknown_sc,
		taxonomies, unused_meta;
	struct buf warnings, kept_urls;
	size_t nwarnings, nkept_urls;
	char staging[4096];          /* media/.import-PID, made on first copy */
	struct buf copied;           /* relative paths copied, NUL-separated */
	int changed;                 /* anything written */
	double t_scan, t_write, t_related, t_commit; /* seconds per phase */
	char *err;
	size_t errlen;
	int failed;
	time_t started, last_line;
};

static void warn(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct imp *im, const char *fmt, ...)
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

static int store_failed(struct imp *im, const char *what)
{
	if (!im->failed)
		snprintf(im->err, im->errlen, "%s: %s", what, store_errmsg(im->st));
	im->failed = 1;
	return -1;
}

/* ---------------------------------------------------------------- small helpers */

/* "YYYY-MM-DD HH:MM:SS" as UTC seconds; -1 when absent or zero. */
static long long parse_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) < 3 || y < 1970 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return (long long)timegm(&tm);
}

static long long item_date(const char *gmt, const char *local)
{
	long long t = parse_date(gmt);
	return t >= 0 ? t : parse_date(local);
}

/* WordPress keeps non-ASCII slugs percent-encoded: decode for slug_make. */
static char *pct_decode(struct pool *p, const char *s)
{
	char *out = pool_alloc(p, strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s == '%' && num_hex_digit(s[1]) >= 0 && num_hex_digit(s[2]) >= 0) {
			*o++ = (char)(num_hex_digit(s[1]) * 16 + num_hex_digit(s[2]));
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* A Gazette slug from a WordPress slug (or title). "" when nothing usable. */
static const char *make_slug(struct pool *p, const char *wp_slug, const char *fallback)
{
	char out[SLUG_MAX + 1];
	if (slug_make(pct_decode(p, wp_slug), out, sizeof out) == 0 &&
	    slug_make(fallback ? fallback : "", out, sizeof out) == 0)
		return "";
	return pool_strdup(p, out);
}

/* The path of an absolute URL on the old site (query kept), or NULL. */
static const char *old_path(struct imp *im, struct pool *p, const char *url)
{
	const char *bases[2] = { im->base, im->blog };
	for (int i = 0; i < 2; i++) {
		const char *b = bases[i];
		size_t bl = strlen(b);
		while (bl && b[bl - 1] == '/')
			bl--;
		if (!bl || strncmp(url, b, bl) != 0)
			continue;
		const char *rest = url + bl;
		if (*rest == '\0')
			return "/";
		if (*rest != '/' && *rest != '?')
			continue;
		const char *hash = strchr(rest, '#');
		size_t n = hash ? (size_t)(hash - rest) : strlen(rest);
		return *rest == '?' ? pool_printf(p, "/%.*s", (int)n, rest)
				    : pool_strndup(p, rest, n);
	}
	return NULL;
}

/* Adds old -> new, and old without/with its trailing slash, unless equal
 * to the new path. */
static int redirect(struct imp *im, struct pool *p, const char *from, const char *to)
{
	if (!from || !*from || from[0] != '/' || strcmp(from, to) == 0 || strlen(from) > 2000)
		return 0;
	size_t tl = strlen(to);
	if (strncmp(from, to, tl) == 0 && strcmp(from + tl, "/") == 0)
		return 0; /* the router already serves the trailing-slash form */
	if (store_redirect_put(im->st, from, to))
		return store_failed(im, "redirect");
	im->count[N_REDIRECTS]++;
	size_t n = strlen(from);
	if (strchr(from, '?') || n < 2)
		return 0;
	const char *alt = from[n - 1] == '/' ? pool_strndup(p, from, n - 1) : pool_printf(p, "%s/", from);
	if (strcmp(alt, to) == 0)
		return 0;
	if (store_redirect_put(im->st, alt, to))
		return store_failed(im, "redirect");
	im->count[N_REDIRECTS]++;
	return 0;
}

static const char *hash_of(struct pool *p, const char *const *parts, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h = fnv(parts[i] ? parts[i] : "", h);
		h = (h ^ 0x1f) * 1099511628211ull;
	}
	return pool_printf(p, "%016llx", (unsigned long long)h);
}

/* ---------------------------------------------------------------- progress */

static void progress(struct imp *im, int final)
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

/* ---------------------------------------------------------------- media */

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0755);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	char b[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, b, sizeof b)) > 0)
		if (write(out, b, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0 || fsync(out))
		rc = -1;
	close(in);
	return close(out) || rc ? -1 : 0;
}

/* A relative uploads path is safe when it has no "..", no leading '/' and
 * no control characters. */
static int rel_ok(const char *rel)
{
	if (!*rel || rel[0] == '/' || strstr(rel, "..") || strlen(rel) > 1000)
		return 0;
	for (const char *c = rel; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return 0;
	return 1;
}

/* Copies uploads/rel into the staging folder (once); 0 when the file is
 * (or will be, after commit) in media/. */
static int stage_media(struct imp *im, const char *rel)
{
	char from[4096], to[8192];
	snprintf(from, sizeof from, "%s/%s", im->o->uploads, rel);
	struct stat sb;
	if (stat(from, &sb) || !S_ISREG(sb.st_mode))
		return -1;
	for (size_t i = 0; i < im->copied.len; i += strlen(im->copied.s + i) + 1)
		if (strcmp(im->copied.s + i, rel) == 0)
			return 0;
	if (im->o->dry_run) {
		buf_add(&im->copied, rel, strlen(rel) + 1);
		return 0;
	}
	if (!im->staging[0]) {
		snprintf(im->staging, sizeof im->staging, "%s/.import-%ld", im->o->media_dir,
			 (long)getpid());
		if (mkdirs(im->staging))
			return -1;
	}
	snprintf(to, sizeof to, "%s/%s", im->staging, rel);
	char *slash = strrchr(to, '/');
	*slash = '\0';
	int rc = mkdirs(to);
	*slash = '/';
	if (rc || copy_file(from, to))
		return -1;
	buf_add(&im->copied, rel, strlen(rel) + 1);
	im->count[N_MEDIA_COPIED]++;
	return 0;
}

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		unlink(path);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[8192];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

/* After the commit: the staged files move into media/. */
static int publish_media(struct imp *im)
{
	int rc = 0;
	for (size_t i = 0; im->staging[0] && i < im->copied.len; i += strlen(im->copied.s + i) + 1) {
		const char *rel = im->copied.s + i;
		char from[8192], to[8192];
		snprintf(from, sizeof from, "%s/%s", im->staging, rel);
		snprintf(to, sizeof to, "%s/%s", im->o->media_dir, rel);
		char *slash = strrchr(to, '/');
		*slash = '\0';
		mkdirs(to);
		*slash = '/';
		if (rename(from, to))
			rc = -1;
	}
	if (im->staging[0])
		rm_tree(im->staging);
	return rc;
}

/* A media URL left pointing at the old site: counted once, the first
 * LIST_MAX listed. */
static void keep_url(struct imp *im, const char *url)
{
	char line[2100];
	snprintf(line, sizeof line, "  %s\n", url);
	if (strstr(buf_str(&im->kept_urls), line))
		return;
	im->nkept_urls++;
	if (im->nkept_urls <= LIST_MAX)
		buf_puts(&im->kept_urls, line);
}

/* Rewrites URLs of the old uploads folder to /media/ when the file was
 * found in --uploads; otherwise keeps them and lists them. */
static void rewrite_uploads(struct imp *im, const char *html, struct buf *out)
{
	static const char U[] = "/wp-content/uploads/";
	const char *s = html;
	for (const char *m; (m = strstr(s, U));) {
		/* the URL starts after the quote, '(' or space before it */
		const char *start = m;
		while (start > s && start[-1] != '"' && start[-1] != '\'' && start[-1] != '(' &&
		       start[-1] != ' ' && start[-1] != '\n' && start[-1] != '=' && start[-1] != ']')
			start--;
		const char *rel = m + sizeof U - 1, *end = rel;
		while (*end && *end != '"' && *end != '\'' && *end != ')' && *end != ' ' &&
		       *end != '<' && *end != '\n' && *end != '?' && *end != '#' && *end != ']')
			end++;
		char relpath[1024];
		snprintf(relpath, sizeof relpath, "%.*s", (int)(end - rel < 1000 ? end - rel : 1000), rel);
		const char *prefix_ok = NULL;
		struct pool *tmp = pool_new();
		const char *url = pool_strndup(tmp, start, (size_t)(end - start));
		if (start == m || old_path(im, tmp, url))
			prefix_ok = "yes";
		int local = prefix_ok && im->o->uploads && rel_ok(relpath) && stage_media(im, relpath) == 0;
		buf_add(out, s, (size_t)(start - s));
		if (local) {
			buf_puts(out, "/media/");
			buf_puts(out, relpath);
		} else {
			buf_add(out, start, (size_t)(end - start));
			keep_url(im, url);
		}
		pool_free(tmp);
		s = end;
	}
	buf_puts(out, s);
}

/* ---------------------------------------------------------------- content */

static int sc_attachment(void *arg, const char *id, struct sc_attachment *out)
{
	struct imp *im = arg;
	struct attach *a = attach_find(&im->att, id, 0);
	if (!a || !a->url)
		return -1;
	out->url = a->url;
	out->caption = a->caption;
	out->alt = a->alt;
	return 0;
}

static void sc_unknown(void *arg, const char *name)
{
	names_add(&((struct imp *)arg)->unknown_sc, name);
}

/* wpautop's block-level tags (its $allblocks), and whether t opens or
 * closes one; with_br counts <br> too. */
static int block_tag(const char *t, int with_br)
{
	static const char *const names[] = { "table", "thead", "tfoot", "caption", "col",
		"colgroup", "tbody", "tr", "td", "th", "div", "dl", "dd", "dt", "ul", "ol", "li",
		"pre", "form", "map", "area", "blockquote", "address", "math", "style", "p", "h1",
		"h2", "h3", "h4", "h5", "h6", "hr", "fieldset", "legend", "section", "article",
		"aside", "hgroup", "header", "footer", "nav", "figure", "figcaption", "details",
		"menu", "summary", NULL };
	t += t[1] == '/' ? 2 : 1;
	if (with_br && strncmp(t, "br", 2) == 0 && (t[2] == '>' || t[2] == ' ' || t[2] == '/'))
		return 1;
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		if (strncmp(t, names[i], n) == 0 && (t[n] == '>' || t[n] == ' ' || t[n] == '/'))
			return 1;
	}
	return 0;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The stored form of a body, a fixed point of wpautop so that an export
 * re-imports to the same bytes: one newline after each block-level tag
 * (wpautop's list) that another tag follows, no white space before a
 * block-level tag, a line break inside text as a space (as HTML reads it),
 * none at the ends; <pre> is left alone. */
static void tidy_whitespace(const char *s, struct buf *o)
{
	while (is_ws(*s))
		s++;
	const char *last_tag = NULL; /* the tag that ends right here, if any */
	while (*s) {
		if (strncmp(s, "<pre", 4) == 0 && (s[4] == '>' || s[4] == ' ')) {
			if (last_tag && block_tag(last_tag, 0))
				buf_putc(o, '\n');
			const char *e = strstr(s, "</pre>");
			size_t n = e ? (size_t)(e + 6 - s) : strlen(s);
			buf_add(o, s, n);
			s += n;
			last_tag = e ? e : NULL;
			continue;
		}
		if (*s == '<') {
			if (last_tag && block_tag(last_tag, 0))
				buf_putc(o, '\n');
			const char *gt = strchr(s, '>');
			size_t n = gt ? (size_t)(gt + 1 - s) : strlen(s);
			buf_add(o, s, n);
			last_tag = s;
			s += n;
			continue;
		}
		if (is_ws(*s)) {
			const char *e = s;
			int nl = 0;
			while (is_ws(*e))
				nl |= *e == '\n' || *e == '\r', e++;
			if (!*e)
				break;
			if (*e == '<' && last_tag && block_tag(last_tag, 1)) {
				if (!block_tag(last_tag, 0))
					buf_putc(o, '\n'); /* after <br> */
			} else if (*e == '<' && block_tag(e, 0)) {
				/* nothing before a block-level tag */
			} else if (nl)
				buf_putc(o, ' ');
			else
				buf_add(o, s, (size_t)(e - s));
			if (!(*e == '<' && last_tag))
				last_tag = NULL;
			s = e;
			continue;
		}
		last_tag = NULL;
		buf_putc(o, *s++);
	}
}

/* WordPress' rendering of post_content: blocks lose their delimiters,
 * classic content gets wpautop, then shortcodes, uploads URLs, sanitizer. */
static int convert_body(struct imp *im, const char *content, struct buf *html)
{
	struct buf a, b;
	buf_init(&a, 0);
	buf_init(&b, 0);
	if (wpautop_has_blocks(content))
		wpautop_strip_blocks(content, &a);
	else
		wpautop(content, &a);
	struct sc_ctx ctx = { im, sc_attachment, sc_unknown };
	shortcodes_expand(buf_str(&a), &b, &ctx);
	buf_reset(&a);
	rewrite_uploads(im, buf_str(&b), &a);
	buf_reset(&b);
	int rc = a.err || sanitize_html(buf_str(&a), a.len, &b);
	buf_reset(&a);
	tidy_whitespace(buf_str(&b), &a);
	/* paragraphs left empty by the sanitizer go, as wpautop drops them */
	const char *t = buf_str(&a);
	for (const char *e; (e = strstr(t, "<p>")); ) {
		const char *q = e + 3;
		while (is_ws(*q))
			q++;
		size_t keep = (size_t)(e - t);
		if (strncmp(q, "</p>", 4) != 0) {
			buf_add(html, t, keep + 3);
			t = e + 3;
			continue;
		}
		while (keep && is_ws(t[keep - 1]))
			keep--;
		buf_add(html, t, keep);
		t = q + 4;
	}
	buf_puts(html, t);
	rc = rc || b.err || html->err;
	buf_release(&a);
	buf_release(&b);
	return rc ? -1 : 0;
}

/* sanitize_text, without the parser for text that has no markup. */
static int plain_text(const char *s, struct buf *out)
{
	if (strpbrk(s, "<&"))
		return sanitize_text(s, strlen(s), out);
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	buf_add(out, s, n);
	return out->err ? -1 : 0;
}

/* The first EXCERPT_CHARS of text, cut at a word, with an ellipsis. */
static const char *auto_excerpt(struct pool *p, const char *text)
{
	const char *nl = strstr(text, "\n\n");
	size_t n = nl ? (size_t)(nl - text) : strlen(text);
	if (n <= EXCERPT_CHARS)
		return pool_strndup(p, text, n);
	size_t cut = EXCERPT_CHARS;
	while (cut > 0 && text[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = EXCERPT_CHARS;
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	return pool_printf(p, "%.*s…", (int)cut, text);
}

/* ---------------------------------------------------------------- pass 1 */

static int p1_item(void *arg, const struct wxr_item *it)
{
	struct imp *im = arg;
	im->items_total++;
	if (strcmp(it->post_type, "attachment") != 0)
		return im->o->interrupted && *im->o->interrupted;
	struct attach *a = attach_find(&im->att, it->post_id, 1);
	if (!a)
		return 1;
	free(a->url);
	free(a->caption);
	free(a->alt);
	a->url = strdup(it->attachment_url[0] ? it->attachment_url : it->guid);
	a->caption = strdup(it->excerpt);
	const char *alt = "";
	for (size_t i = 0; i < it->nmeta; i++)
		if (strcmp(it->meta[i].key, "_wp_attachment_image_alt") == 0)
			alt = it->meta[i].value;
	a->alt = strdup(alt);
	return 0;
}

/* ---------------------------------------------------------------- pass 2: channel, authors, terms */

static int on_channel(void *arg, const struct wxr_channel *c)
{
	struct imp *im = arg;
	im->base = pool_strdup(im->p, c->base_site_url[0] ? c->base_site_url : c->link);
	im->blog = pool_strdup(im->p, c->base_blog_url[0] ? c->base_blog_url : im->base);
	im->source = im->base[0] ? im->base : pool_strdup(im->p, c->title);
	/* the site's feeds, once per source */
	long long id;
	if (store_import_map_get(im->st, im->p, im->source, "site", "feeds", &id, NULL) == 0)
		return 0;
	if (store_import_map_put(im->st, im->source, "site", "feeds", 0, ""))
		return store_failed(im, "import map"), 1;
	return redirect(im, im->p, "/feed/", "/feed") || redirect(im, im->p, "/feed/atom/", "/feed.atom") ||
			       redirect(im, im->p, "/comments/feed/", "/comments/feed")
		       ? 1
		       : 0;
}

/* A user for this login: the mapped one, one with the same e-mail, or a
 * new one (no password). */
static int user_for(struct imp *im, struct pool *p, const char *login, const char *email,
		    const char *display, long long *id)
{
	if (store_import_map_get(im->st, p, im->source, "user", login, id, NULL) == STORE_OK)
		return 0;
	const char *mail = *email ? email : pool_printf(p, "%s@wordpress-import.invalid", login);
	struct author a;
	int rc = store_import_user_by_email(im->st, p, mail, &a);
	if (rc == STORE_OK) {
		*id = a.id;
		im->count[N_USERS_KNOWN]++;
	} else if (rc == STORE_NOTFOUND) {
		const char *base = make_slug(p, login, display);
		if (!*base)
			base = "author";
		const char *slug = base;
		for (int k = 2; (rc = store_import_user_slug_taken(im->st, slug)) == 1; k++)
			slug = pool_printf(p, "%s-%d", base, k);
		if (rc < 0 || store_user_add(im->st, *display ? display : login, slug, mail, "",
					     "author", id))
			return store_failed(im, "user");
		im->count[N_USERS]++;
		im->changed = 1;
	} else
		return store_failed(im, "user");
	if (store_import_map_put(im->st, im->source, "user", login, *id, ""))
		return store_failed(im, "import map");
	return 0;
}

static int on_author(void *arg, const struct wxr_author *a)
{
	struct imp *im = arg;
	if (!*a->login)
		return 0;
	struct pool *p = pool_new();
	long long id;
	int known = store_import_map_get(im->st, p, im->source, "user", a->login, &id, NULL) == 0;
	int rc = user_for(im, p, a->login, a->email, a->display_name, &id);
	if (rc == 0 && !known) {
		struct author au;
		const char *nice = make_slug(p, a->login, NULL);
		if (store_author_by_slug(im->st, p, nice, &au) != STORE_OK || au.id != id) {
			/* the Gazette slug differs (taken): find ours by e-mail */
			const char *mail = *a->email ? a->email
						     : pool_printf(p, "%s@wordpress-import.invalid", a->login);
			if (store_import_user_by_email(im->st, p, mail, &au) != STORE_OK)
				au.slug = nice;
		}
		const char *to = pool_printf(p, "/author/%s", au.slug);
		rc = redirect(im, p, pool_printf(p, "/author/%s/", nice), to) ||
		     redirect(im, p, pool_printf(p, "/author/%s/feed/", nice),
			      pool_printf(p, "/author/%s/feed", au.slug)) ||
		     (*a->id && redirect(im, p, pool_printf(p, "/?author=%s", a->id), to));
	}
	pool_free(p);
	return rc ? 1 : 0;
}

static struct term_info *cat_find(struct imp *im, const char *slug)
{
	for (size_t i = 0; i < im->ncats; i++)
		if (strcmp(im->cats[i].slug, slug) == 0)
			return &im->cats[i];
	return NULL;
}

/* The category's old path: parents first, as WordPress builds it. */
static const char *cat_path(struct imp *im, struct pool *p, const char *slug)
{
	const char *path = slug;
	struct term_info *t = cat_find(im, slug);
	for (int depth = 0; t && *t->parent && depth < 16; depth++) {
		path = pool_printf(p, "%s/%s", t->parent, path);
		t = cat_find(im, t->parent);
	}
	return path;
}

static int on_category(struct imp *im, struct pool *p, const struct wxr_term *t)
{
	if (im->ncats == im->capcats) {
		im->capcats = im->capcats ? im->capcats * 2 : 32;
		struct term_info *nv = pool_alloc(im->p, im->capcats * sizeof *nv);
		if (im->ncats)
			memcpy(nv, im->cats, im->ncats * sizeof *nv);
		im->cats = nv;
	}
	struct term_info *ti = &im->cats[im->ncats++];
	ti->slug = pool_strdup(im->p, t->slug);
	ti->parent = pool_strdup(im->p, t->parent);
	ti->section_id = 0;
	long long id;
	if (strcmp(t->slug, "uncategorized") == 0) { /* WordPress' "no category" */
		if (store_import_map_get(im->st, p, im->source, "section", t->slug, &id, NULL) == 0)
			return 0;
		if (store_import_map_put(im->st, im->source, "section", t->slug, 0, ""))
			return store_failed(im, "import map");
		return redirect(im, p, pool_printf(p, "/category/%s/", t->slug), "/");
	}
	const char *slug = make_slug(p, t->slug, t->name);
	if (store_import_map_get(im->st, p, im->source, "section", t->slug, &id, NULL) != STORE_OK) {
		struct section sec;
		int existed = store_section_by_slug(im->st, p, slug, &sec) == STORE_OK;
		if (store_section_put(im->st, *t->name ? t->name : slug, slug, 100, &id) ||
		    store_import_map_put(im->st, im->source, "section", t->slug, id, ""))
			return store_failed(im, "section");
		if (!existed) {
			im->count[N_SECTIONS]++;
			im->changed = 1;
		}
		const char *to = pool_printf(p, "/section/%s", slug);
		const char *old = pool_printf(p, "/category/%s/", cat_path(im, p, t->slug));
		if (redirect(im, p, old, to) ||
		    redirect(im, p, pool_printf(p, "%sfeed/", old), pool_printf(p, "%s/feed", to)) ||
		    (*t->id && redirect(im, p, pool_printf(p, "/?cat=%s", t->id), to)))
			return -1;
	}
	ti->section_id = id;
	return 0;
}

static int tag_id(struct imp *im, struct pool *p, const char *wp_slug, const char *name,
		  long long *id)
{
	const char *slug = make_slug(p, wp_slug, name);
	if (!*slug)
		return 1;
	if (store_import_map_get(im->st, p, im->source, "tag", wp_slug, id, NULL) == STORE_OK)
		return 0;
	struct tag t;
	int existed = store_tag_by_slug(im->st, p, slug, &t) == STORE_OK;
	if (store_tag_put(im->st, *name ? name : slug, slug, id) ||
	    store_import_map_put(im->st, im->source, "tag", wp_slug, *id, ""))
		return store_failed(im, "tag");
	if (!existed) {
		im->count[N_TAGS]++;
		im->changed = 1;
	}
	const char *to = pool_printf(p, "/tag/%s", slug);
	if (redirect(im, p, pool_printf(p, "/tag/%s/", wp_slug), to) ||
	    redirect(im, p, pool_printf(p, "/tag/%s/feed/", wp_slug), pool_printf(p, "%s/feed", to)) ||
	    redirect(im, p, pool_printf(p, "/?tag=%s", wp_slug), to))
		return -1;
	return 0;
}

static int on_term(void *arg, const struct wxr_term *t)
{
	struct imp *im = arg;
	struct pool *p = pool_new();
	int rc = 0;
	long long id;
	if (strcmp(t->taxonomy, "category") == 0 && !cat_find(im, t->slug))
		rc = on_category(im, p, t);
	else if (strcmp(t->taxonomy, "post_tag") == 0)
		rc = tag_id(im, p, t->slug, t->name, &id) < 0 ? -1 : 0;
	else if (strcmp(t->taxonomy, "category") != 0)
		names_add(&im->taxonomies, *t->taxonomy ? t->taxonomy : "(none)");
	pool_free(p);
	return rc ? 1 : 0;
}

/* ---------------------------------------------------------------- pass 2: items */

static int map_status(struct imp *im, const struct wxr_item *it, enum story_status *out)
{
	const char *s = it->status;
	if (strcmp(s, "publish") == 0)
		*out = STORY_PUBLISHED;
	else if (strcmp(s, "future") == 0)
		*out = STORY_SCHEDULED;
	else if (strcmp(s, "pending") == 0)
		*out = STORY_PENDING;
	else if (strcmp(s, "draft") == 0)
		*out = STORY_DRAFT;
	else if (strcmp(s, "private") == 0) {
		*out = STORY_DRAFT;
		im->count[N_PRIVATE]++;
		warn(im, "post %s \"%.60s\" is private: imported as a draft", it->post_id, it->title);
	} else if (strcmp(s, "trash") == 0) {
		im->count[N_SKIP_TRASH]++;
		return -1;
	} else if (strcmp(s, "auto-draft") == 0 || strcmp(s, "inherit") == 0) {
		im->count[N_SKIP_AUTODRAFT]++;
		return -1;
	} else {
		*out = STORY_DRAFT;
		warn(im, "post %s has unknown status \"%.20s\": imported as a draft", it->post_id, s);
	}
	if (*it->password && *out != STORY_DRAFT) {
		*out = STORY_DRAFT;
		im->count[N_PASSWORD]++;
		warn(im, "post %s \"%.60s\" is password-protected: imported as a draft", it->post_id,
		     it->title);
	}
	return 0;
}

/* Section, tags and the hash input for an item's terms. */
static int item_terms(struct imp *im, struct pool *p, const struct wxr_item *it, struct story *s,
		      struct buf *hashin)
{
	s->tags = pool_alloc(p, (it->nterms + 1) * sizeof *s->tags);
	s->ntags = 0;
	for (size_t i = 0; i < it->nterms; i++) {
		const struct wxr_item_term *t = &it->terms[i];
		buf_printf(hashin, "%s:%s,", t->domain, t->nicename);
		if (strcmp(t->domain, "post_format") == 0) {
			names_add(&im->taxonomies, "post_format (ignored)");
			continue;
		}
		if (strcmp(t->domain, "category") == 0) {
			struct term_info *ti = cat_find(im, t->nicename);
			if (!ti) { /* a category the channel did not declare (WXR 1.0) */
				struct wxr_term wt = { "", "category", t->nicename, t->name, "", "" };
				if (on_category(im, p, &wt))
					return -1;
				ti = cat_find(im, t->nicename);
			}
			if (!ti->section_id)
				continue; /* uncategorized */
			if (!s->section.id) {
				s->section.id = ti->section_id;
				continue;
			}
			im->count[N_EXTRA_CATS]++;
		} else if (strcmp(t->domain, "post_tag") != 0) {
			im->count[N_CUSTOM_TERMS]++;
		}
		long long id;
		int rc = tag_id(im, p, t->nicename, t->name, &id);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			int dup = 0;
			for (size_t k = 0; k < s->ntags; k++)
				dup |= s->tags[k].id == id;
			if (!dup)
				s->tags[s->ntags++].id = id;
		}
	}
	return 0;
}

static enum comment_status comment_status_of(const char *approved)
{
	if (strcmp(approved, "1") == 0 || strcmp(approved, "approve") == 0)
		return COMMENT_APPROVED;
	if (strcmp(approved, "spam") == 0)
		return COMMENT_SPAM;
	if (strcmp(approved, "trash") == 0 || strcmp(approved, "post-trashed") == 0)
		return COMMENT_TRASH;
	return COMMENT_PENDING;
}

struct cmap { const char *wp_id, *wp_parent; long long id; };

static int import_comments(struct imp *im, struct pool *p, const struct wxr_item *it,
			   long long story_id)
{
	struct cmap *v = pool_alloc(p, (it->ncomments + 1) * sizeof *v);
	size_t n = 0, added = 0;
	for (size_t i = 0; i < it->ncomments; i++) {
		const struct wxr_comment *c = &it->comments[i];
		if (strcmp(c->type, "pingback") == 0 || strcmp(c->type, "trackback") == 0) {
			im->count[N_SKIP_PINGS]++;
			continue;
		}
		long long id;
		if (store_import_map_get(im->st, p, im->source, "comment", c->id, &id, NULL) == 0) {
			im->count[N_COMMENTS_KNOWN]++;
			v[n++] = (struct cmap){ c->id, c->parent, id };
			continue;
		}
		struct buf text;
		buf_init(&text, 0);
		plain_text(c->content, &text);
		struct comment cm;
		memset(&cm, 0, sizeof cm);
		cm.story_id = story_id;
		cm.author = *c->author ? c->author : "Anonymous";
		cm.email = c->email;
		cm.url = sanitize_url_ok(c->url) && strncmp(c->url, "http", 4) == 0 ? c->url : "";
		cm.body = buf_str(&text);
		struct buf chtml;
		buf_init(&chtml, 0);
		comment_text_html(&chtml, cm.body); /* derived at write time, as new comments are */
		cm.body_html = buf_str(&chtml);
		cm.ip = c->ip;
		cm.status = comment_status_of(c->approved);
		cm.created_at = item_date(c->date_gmt, c->date);
		if (cm.created_at < 0)
			cm.created_at = 0;
		int rc = store_import_comment_add(im->st, &cm, &id);
		buf_release(&text);
		buf_release(&chtml);
		if (rc || store_import_map_put(im->st, im->source, "comment", c->id, id, ""))
			return store_failed(im, "comment");
		names_add(&im->comment_status, comment_status_name(cm.status));
		im->count[N_COMMENTS]++;
		added++;
		v[n++] = (struct cmap){ c->id, c->parent, -id }; /* negative: parent to set */
	}
	/* threads: parents may come after their replies, or from an earlier import */
	for (size_t i = 0; i < n; i++) {
		if (v[i].id > 0)
			continue;
		v[i].id = -v[i].id;
		if (!*v[i].wp_parent || strcmp(v[i].wp_parent, "0") == 0)
			continue;
		long long parent = 0;
		for (size_t k = 0; k < n && !parent; k++)
			if (strcmp(v[k].wp_id, v[i].wp_parent) == 0)
				parent = v[k].id < 0 ? -v[k].id : v[k].id;
		if (!parent)
			store_import_map_get(im->st, p, im->source, "comment", v[i].wp_parent, &parent,
					     NULL);
		if (!parent) {
			im->count[N_ORPHANS]++;
			continue;
		}
		if (store_import_comment_set_parent(im->st, v[i].id, parent))
			return store_failed(im, "comment parent");
	}
	if (added) {
		im->changed = 1;
		if (store_import_story_done(im->st, story_id))
			return store_failed(im, "comment count");
	}
	return 0;
}

static int story_redirects(struct imp *im, struct pool *p, const struct wxr_item *it,
			   const struct story *s, int page)
{
	char ymd[32], ym[32];
	time_t t = (time_t)s->published_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ymd, sizeof ymd, "/%Y/%m/%d/", &tm);
	strftime(ym, sizeof ym, "/%Y/%m/", &tm);
	const char *to = pool_printf(p, "%s%s", ymd, s->slug);
	const char *wp = *it->post_name ? it->post_name : NULL;
	const char *link = old_path(im, p, it->link);
	const char *guid = old_path(im, p, it->guid);
	const char *q = pool_printf(p, page ? "/?page_id=%s" : "/?p=%s", it->post_id);
	if (redirect(im, p, link, to) || redirect(im, p, q, to) ||
	    (guid && strchr(guid, '?') && redirect(im, p, guid, to)))
		return -1;
	if (link && strchr(link, '?') == NULL) {
		size_t n = strlen(link);
		const char *feed = pool_printf(p, "%s%sfeed/", link, n && link[n - 1] == '/' ? "" : "/");
		if (redirect(im, p, feed, pool_printf(p, "%s/comments/feed", to)))
			return -1;
	}
	if (!wp)
		return 0;
	if (page)
		return redirect(im, p, pool_printf(p, "/%s/", wp), to);
	return redirect(im, p, pool_printf(p, "%s%s/", ymd, wp), to) ||
			       redirect(im, p, pool_printf(p, "%s%s/", ym, wp), to) ||
			       redirect(im, p, pool_printf(p, "/%s/", wp), to)
		       ? -1
		       : 0;
}

static int import_story(struct imp *im, struct pool *p, const struct wxr_item *it, int page)
{
	struct story s;
	memset(&s, 0, sizeof s);
	if (map_status(im, it, &s.status))
		return 0;
	if (strcmp(it->is_sticky, "1") == 0)
		im->count[N_STICKY]++;
	const char *kind = page ? "page" : "post";
	struct buf hashin;
	buf_init(&hashin, 0);
	buf_printf(&hashin, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f", it->title,
		   it->content, it->excerpt, it->status, it->post_date_gmt, it->post_date,
		   it->post_name, it->creator, it->comment_status);
	if (item_terms(im, p, it, &s, &hashin)) {
		buf_release(&hashin);
		return -1;
	}
	const char *parts[1] = { buf_str(&hashin) };
	const char *hash = hash_of(p, parts, 1);
	buf_release(&hashin);
	long long id = 0;
	const char *old_hash = NULL;
	int known = store_import_map_get(im->st, p, im->source, kind, it->post_id, &id, &old_hash) ==
		    STORE_OK;
	if (known && strcmp(old_hash, hash) == 0) {
		im->count[N_UNCHANGED]++;
		return import_comments(im, p, it, id);
	}
	if (known && !im->o->update) {
		im->count[N_CHANGED_KEPT]++;
		return import_comments(im, p, it, id);
	}
	/* author */
	const char *login = *it->creator ? it->creator : "wordpress";
	if (user_for(im, p, login, "", login, &s.author.id))
		return -1;
	/* body, text, excerpt */
	struct buf html, text;
	buf_init(&html, 0);
	buf_init(&text, 0);
	if (convert_body(im, it->content, &html) ||
	    sanitize_text(buf_str(&html), html.len, &text)) {
		buf_release(&html);
		buf_release(&text);
		warn(im, "post %s: the body could not be converted; imported empty", it->post_id);
		buf_init(&html, 0);
		buf_init(&text, 0);
	}
	s.title = *it->title ? it->title : pool_printf(p, "Untitled %s", it->post_id);
	s.body_html = pool_strdup(p, buf_str(&html));
	s.body_md = pool_strdup(p, buf_str(&text));
	s.reading_minutes = reading_minutes(s.body_md);
	struct buf ex;
	buf_init(&ex, 0);
	plain_text(it->excerpt, &ex);
	s.excerpt = ex.len ? pool_strdup(p, buf_str(&ex)) : auto_excerpt(p, s.body_md);
	buf_release(&ex);
	buf_release(&html);
	buf_release(&text);
	s.published_at = item_date(it->post_date_gmt, it->post_date);
	if (s.published_at < 0) {
		s.published_at = (long long)time(NULL);
		warn(im, "post %s has no date: dated now", it->post_id);
	}
	long long mod = item_date(it->modified_gmt, it->modified);
	s.updated_at = mod > s.published_at ? mod : s.published_at;
	s.comments_open = strcmp(it->comment_status, "open") == 0;
	/* slug: WordPress' own, unique among stories */
	const char *base = make_slug(p, it->post_name, it->title);
	if (!*base)
		base = pool_printf(p, "%s-%s", kind, it->post_id);
	s.slug = base;
	int taken;
	for (int k = 2; (taken = store_import_story_slug_taken(im->st, s.slug, id)) == 1; k++)
		s.slug = pool_printf(p, "%s-%d", base, k);
	if (taken < 0)
		return store_failed(im, "slug");
	if (known) {
		s.id = id;
		if (store_import_story_update(im->st, &s))
			return store_failed(im, "story update");
		im->count[N_UPDATED]++;
	} else {
		if (store_story_insert(im->st, &s, &id))
			return store_failed(im, "story");
		im->count[page ? N_PAGES : N_POSTS]++;
		names_add(page ? &im->page_status : &im->post_status, story_status_name(s.status));
	}
	im->changed = 1;
	if (store_import_map_put(im->st, im->source, kind, it->post_id, id, hash))
		return store_failed(im, "import map");
	if (s.status == STORY_PUBLISHED && story_redirects(im, p, it, &s, page))
		return -1;
	for (size_t i = 0; i < it->nmeta; i++)
		if (it->meta[i].key[0] != '_')
			names_add(&im->unused_meta, it->meta[i].key);
	return import_comments(im, p, it, id);
}

static int import_attachment(struct imp *im, struct pool *p, const struct wxr_item *it)
{
	long long id;
	if (store_import_map_get(im->st, p, im->source, "attachment", it->post_id, &id, NULL) == 0) {
		im->count[N_UNCHANGED]++;
		return 0;
	}
	struct attach *a = attach_find(&im->att, it->post_id, 0);
	const char *url = a && a->url ? a->url : it->attachment_url;
	const char *path = old_path(im, p, url);
	const char *rel = path ? strstr(path, "/wp-content/uploads/") : NULL;
	const char *local = NULL;
	if (rel) {
		rel += strlen("/wp-content/uploads/");
		if (im->o->uploads && rel_ok(rel) && stage_media(im, rel) == 0)
			local = pool_printf(p, "/media/%s", rel);
	}
	if (local && a) {
		free(a->local);
		a->local = strdup(local);
		free(a->url);
		a->url = strdup(local); /* galleries use the copy */
	}
	if (!local)
		keep_url(im, url);
	im->count[N_ATTACH]++;
	im->changed = 1;
	if (store_import_map_put(im->st, im->source, "attachment", it->post_id, 0, local ? local : url))
		return store_failed(im, "import map");
	if (local && redirect(im, p, pool_printf(p, "/?attachment_id=%s", it->post_id), local))
		return -1;
	return 0;
}

static int on_item(void *arg, const struct wxr_item *it)
{
	struct imp *im = arg;
	if (im->o->interrupted && *im->o->interrupted)
		return 1;
	struct pool *p = pool_new();
	int rc = 0;
	const char *type = it->post_type;
	if (strcmp(type, "post") == 0 || !*type)
		rc = import_story(im, p, it, 0);
	else if (strcmp(type, "page") == 0)
		rc = import_story(im, p, it, 1);
	else if (strcmp(type, "attachment") == 0)
		rc = import_attachment(im, p, it);
	else {
		im->count[N_SKIP_TYPE]++;
		names_add(&im->skipped_types, type);
	}
	pool_free(p);
	im->items_done++;
	progress(im, 0);
	return rc || im->failed ? 1 : 0;
}

/* ---------------------------------------------------------------- the report */

static void put_names(struct buf *r, const char *label, const struct names *s)
{
	if (!s->n)
		return;
	buf_printf(r, "%s", label);
	for (size_t i = 0; i < s->n; i++)
		buf_printf(r, "%s%s: %zu", i ? ", " : " (", s->v[i].name, s->v[i].n);
	buf_puts(r, ")");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_report(struct imp *im, struct buf *r, const char *path)
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
		      " drafts: %zu\n  sticky posts (Gazette has no sticky; imported normally): %zu\n",
		   c[N_PRIVATE], c[N_PASSWORD], c[N_STICKY]);
	buf_printf(r, "  extra categories kept as tags: %zu\n  custom taxonomy terms kept as tags: %zu\n",
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
	buf_printf(r, "time: %.1f s (scan %.1f, write %.1f, related stories %.1f)\n",
		   im->t_scan + im->t_write + im->t_related, im->t_scan, im->t_write, im->t_related);
	buf_printf(r, "warnings: %zu\n", im->nwarnings);
	buf_puts(r, buf_str(&im->warnings));
}

/* ---------------------------------------------------------------- entry */

static void clean_stale_staging(const char *media)
{
	DIR *d = opendir(media);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		long pid;
		if (sscanf(e->d_name, ".import-%ld", &pid) != 1 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
			continue; /* another import is running */
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", media, e->d_name);
		rm_tree(path);
	}
	closedir(d);
}

int import_wordpress(struct store *st, const char *path, const struct import_opts *o,
		     struct buf *report, char *err, size_t errlen)
{
	struct imp im;
	memset(&im, 0, sizeof im);
	im.st = st;
	im.o = o;
	im.p = pool_new();
	im.err = err;
	im.errlen = errlen;
	buf_init(&im.warnings, 0);
	buf_init(&im.kept_urls, 0);
	buf_init(&im.copied, 0);
	im.started = time(NULL);
	if (o->media_dir)
		clean_stale_staging(o->media_dir);
	char xerr[400];
	struct wxr_handler h1 = { &im, NULL, NULL, NULL, p1_item, NULL };
	double t0 = now_s();
	int rc = wxr_read_file(path, &h1, xerr, sizeof xerr);
	im.t_scan = now_s() - t0;
	t0 = now_s();
	if (rc == WXR_OK) {
		struct wxr_handler h2 = { &im, on_channel, on_author, on_term, on_item, NULL };
		if (store_begin(st)) {
			store_failed(&im, "begin");
			rc = WXR_ERROR;
		} else
			rc = wxr_read_file(path, &h2, xerr, sizeof xerr);
	}
	if (rc == WXR_ERROR && !im.failed)
		snprintf(err, errlen, "%s:%s", path, xerr);
	else if (rc == WXR_STOPPED && !im.failed)
		snprintf(err, errlen, "interrupted: nothing was changed");
	im.t_write = now_s() - t0;
	t0 = now_s();
	if (rc == WXR_OK && im.changed &&
	    (publish_refresh_related(st, im.p) || store_import_touch_all(st))) {
		store_failed(&im, "related");
		rc = WXR_ERROR;
	}
	im.t_related = now_s() - t0;
	progress(&im, 1);
	if (rc == WXR_OK) {
		write_report(&im, report, path);
		if (o->dry_run)
			rc = store_rollback(st);
		else if (store_commit(st)) {
			store_failed(&im, "commit");
			rc = WXR_ERROR;
		}
	}
	if (rc != WXR_OK)
		store_rollback(st);
	if (rc == WXR_OK && !o->dry_run && publish_media(&im))
		buf_puts(report, "warning: some media files could not be moved into media/\n");
	else if (im.staging[0] && (rc != WXR_OK || o->dry_run))
		rm_tree(im.staging);
	attach_free(&im.att);
	buf_release(&im.warnings);
	buf_release(&im.kept_urls);
	buf_release(&im.copied);
	pool_free(im.p);
	return rc == WXR_OK ? 0 : -1;
}
