/*
 * import_media: the files of a WordPress site's uploads folder (see
 * import_int.h). Attachments are learnt in the first pass (a gallery may
 * name an image exported after its post); a file named by an attachment
 * or by an uploads URL in a body is copied from --uploads when it is
 * there, and its URL becomes /media/...; any other is kept pointing at the
 * old site and listed in the report.
 *
 * The one design decision: nothing lands in media/ before the commit.
 * Files are copied into a private staging folder inside media/
 * (.import-PID) and renamed into place after it; a failed or dry run, or a
 * signal, removes the folder, and the next import removes one whose
 * process died (kill -9).
 */
#include "import_int.h"
#include "../media/media.h"
#include "../util/pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- attachments */

struct attach *import_attach_find(struct attach_table *t, const char *id, int add)
{
	if (add && (t->n + 1) * 2 > t->cap) {
		struct attach_table nt = { calloc(t->cap ? t->cap * 2 : 64, sizeof *nt.v),
					   t->cap ? t->cap * 2 : 64, 0 };
		if (!nt.v)
			return NULL;
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].id) {
				size_t k = import_fnv(t->v[i].id, 1469598103934665603ull) & (nt.cap - 1);
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
	size_t k = import_fnv(id, 1469598103934665603ull) & (t->cap - 1);
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

void import_attach_free(struct attach_table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->v[i].id);
		free(t->v[i].url);
		free(t->v[i].caption);
		free(t->v[i].alt);
		free(t->v[i].local);
		free(t->v[i].parent);
	}
	free(t->v);
}

/* ---------------------------------------------------------------- staging */

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
int import_media_rel_ok(const char *rel)
{
	if (!*rel || rel[0] == '/' || strstr(rel, "..") || strlen(rel) > 1000)
		return 0;
	for (const char *c = rel; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return 0;
	return 1;
}

/* 1 when rel may not be copied into media/ as it came: a picture (the
 * library's variants stand for those), a name the library's own files use
 * (HASH-W.ext, featured/, people/), or a segment beginning with a dot. */
static int reserved(const char *rel)
{
	if (import_is_picture(rel) || media_is_variant(rel) || strncmp(rel, "featured/", 9) == 0 ||
	    strncmp(rel, "people/", 7) == 0)
		return 1;
	for (const char *s = rel; s; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL)
		if (*s == '.')
			return 1;
	return 0;
}

/* Copies uploads/rel into the staging folder (once); 0 when the file is
 * (or will be, after commit) in media/. */
int import_media_stage(struct imp *im, const char *rel)
{
	char from[4096], to[8192];
	if (!import_media_rel_ok(rel) || reserved(rel))
		return -1;
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
int import_media_publish(struct imp *im)
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
		/* never over a file already there (an earlier import's copy of
		 * it stays; nothing of the library's is replaced) */
		if (link(from, to) && errno != EEXIST)
			rc = -1;
	}
	if (im->staging[0])
		rm_tree(im->staging);
	return rc;
}

/* A media URL left pointing at the old site: counted once, the first
 * LIST_MAX listed. */
void import_media_keep_url(struct imp *im, const char *url)
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
void import_media_rewrite(struct imp *im, const char *html, struct buf *out)
{
	static const char U[] = "/wp-content/uploads/";
	const char *s = html;
	for (const char *m; (m = strstr(s, U));) {
		/* the URL starts after the quote, '(' or space before it */
		const char *start = m;
		while (start > s && start[-1] != '"' && start[-1] != '\'' && start[-1] != '(' && start[-1] != '>' &&
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
		if (start == m || import_old_path(im, tmp, url))
			prefix_ok = "yes";
		/* a picture is never served as it came: the library's variants
		 * stand for it (import_pictures.c), or its URL stays */
		int local = prefix_ok && im->o->uploads && import_media_rel_ok(relpath) &&
			    !import_is_picture(relpath) && import_media_stage(im, relpath) == 0;
		buf_add(out, s, (size_t)(start - s));
		if (local) {
			buf_puts(out, "/media/");
			buf_puts(out, relpath);
		} else {
			buf_add(out, start, (size_t)(end - start));
			import_media_keep_url(im, url);
		}
		pool_free(tmp);
		s = end;
	}
	buf_puts(out, s);
}

void import_media_discard(struct imp *im)
{
	if (im->staging[0])
		rm_tree(im->staging);
}

void import_media_clean_stale(const char *media)
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
