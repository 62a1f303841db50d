/*
 * fileio: see fileio.h.
 */
#include "fileio.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int fileio_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int fileio_create_synced(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	int bad = fileio_write_all(fd, p, n) || fsync(fd);
	int saved = errno;
	bad |= close(fd) != 0;
	if (bad) {
		saved = saved ? saved : errno;
		unlink(path);
		errno = saved;
		return -1;
	}
	return 0;
}

void fileio_sync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

/* ---- kept folders: snapshots read into memory before a chroot ----
 *
 * No descriptor of a kept folder outlives fileio_keep_dir: one pointing
 * outside a chroot would let a compromised worker openat/mkdirat/unlinkat
 * its way out of it ("../../etc/passwd"). The folder's regular files are
 * copied into memory instead, its symlinks resolved inside the copy only. */

#define SNAP_DEPTH 16 /* folder levels walked below a kept folder */

struct snap_entry {
	char *rel;                  /* below the kept folder: "a/b.html"; "" the folder itself */
	enum fileio_type type;      /* FILEIO_OTHER: a symlink to nothing kept */
	const unsigned char *data;  /* a file's bytes (a symlink's: its target's) */
	size_t len;
	char *link;                 /* while walking: a symlink's target, resolved after */
};

static struct kept {
	char dir[4096];
	size_t len;
	struct snap_entry *e;
	size_t n;
} kept[FILEIO_KEPT_MAX];
static size_t nkept;

struct walk {
	struct kept *k;
	size_t cap, bytes;
	const char *const *skip;
};

static void snap_release(struct kept *k)
{
	for (size_t i = 0; i < k->n; i++) {
		if (!k->e[i].link) /* a symlink's data is its target's */
			free((void *)k->e[i].data);
		free(k->e[i].link);
		free(k->e[i].rel);
	}
	free(k->e);
	k->e = NULL;
	k->n = 0;
}

static struct snap_entry *snap_add(struct walk *w, const char *rel, enum fileio_type type)
{
	struct kept *k = w->k;
	if (k->n == FILEIO_KEEP_FILES) {
		errno = EFBIG;
		return NULL;
	}
	if (k->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		struct snap_entry *e = realloc(k->e, cap * sizeof *e);
		if (!e)
			return NULL;
		k->e = e;
		w->cap = cap;
	}
	struct snap_entry *e = &k->e[k->n];
	*e = (struct snap_entry){ .rel = strdup(rel), .type = type };
	if (!e->rel)
		return NULL;
	k->n++;
	return e;
}

/* Reads the regular file fd (opened without following a symlink) into e. */
static int snap_read(struct walk *w, struct snap_entry *e, int fd, const struct stat *st)
{
	if ((size_t)st->st_size > FILEIO_KEEP_BYTES - w->bytes) {
		errno = EFBIG;
		return -1;
	}
	size_t n = (size_t)st->st_size, got = 0;
	unsigned char *d = malloc(n ? n : 1);
	if (!d)
		return -1;
	e->data = d;
	while (got < n) {
		ssize_t r = read(fd, d + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break; /* shrunk meanwhile: what there was */
		got += (size_t)r;
	}
	e->len = got;
	w->bytes += got;
	return 0;
}

static int snap_walk(struct walk *w, int dfd, const char *rel, int depth);

/* One entry of the folder dfd (at rel), name in it. */
static int snap_entry_add(struct walk *w, int dfd, const char *rel, const char *name, int depth)
{
	char sub[4096];
	if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", name) >= sizeof sub) {
		errno = ENAMETOOLONG;
		return -1;
	}
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -1; /* gone meanwhile */
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(dfd, name, target, sizeof target - 1);
		if (n < 0)
			return errno == ENOENT ? 0 : -1;
		target[n] = '\0';
		struct snap_entry *e = snap_add(w, sub, FILEIO_FILE);
		if (!e || !(e->link = strdup(target)))
			return -1;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!*rel && w->skip)
			for (const char *const *s = w->skip; *s; s++)
				if (strcmp(name, *s) == 0)
					return 0;
		if (depth == SNAP_DEPTH)
			return 0;
		int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT ? 0 : -1;
		int rc = snap_add(w, sub, FILEIO_DIR) ? snap_walk(w, fd, sub, depth + 1) : -1;
		int e = errno;
		close(fd);
		errno = e;
		return rc;
	}
	if (!S_ISREG(st.st_mode))
		return 0; /* a socket, a fifo, a device: never read */
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	struct snap_entry *e;
	int rc = fstat(fd, &st) || !S_ISREG(st.st_mode) ? 0
		 : !(e = snap_add(w, sub, FILEIO_FILE)) ? -1 : snap_read(w, e, fd, &st);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* Calls fn(ctx, dfd, name) for each entry of the folder dfd but "." and
 * "..", until one returns nonzero: 0, that value, or -1 with errno. */
static int each_name(int dfd, int (*fn)(void *ctx, int dfd, const char *name), void *ctx)
{
	int fd = dup(dfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			rc = fn(ctx, dfd, de->d_name);
	int e = errno;
	closedir(d);
	errno = e;
	return rc;
}

struct walk_at {
	struct walk *w;
	const char *rel;
	int depth;
};

static int walk_one(void *ctx, int dfd, const char *name)
{
	struct walk_at *a = ctx;
	return snap_entry_add(a->w, dfd, a->rel, name, a->depth);
}

/* Adds every entry of the folder dfd (rel below the kept folder). */
static int snap_walk(struct walk *w, int dfd, const char *rel, int depth)
{
	struct walk_at a = { w, rel, depth };
	return each_name(dfd, walk_one, &a);
}

/* path made canonical below a kept folder into out: "" the folder, no
 * empty or "." components. A ".." takes the component before it off when
 * up is set (a symlink's target, resolved inside the copy), else it is
 * refused; one climbing above the folder always is (EACCES). 0 or -1. */
static int snap_norm(const char *path, int up, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!up || !o) {
				errno = EACCES;
				return -1;
			}
			while (o && out[o - 1] != '/')
				o--;
			o -= o > 0;
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (o + (o > 0) + n >= size) {
				errno = ENAMETOOLONG;
				return -1;
			}
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		p += *p == '/';
	}
	out[o] = '\0';
	return 0;
}

static const struct snap_entry *snap_find(const struct kept *k, const char *rel)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->e[i].rel, rel) == 0)
			return &k->e[i];
	return NULL;
}

/* The regular file a symlink at rel (target link) names inside the copy,
 * following up to 8 links; NULL for one leaving the folder or dangling. */
static const struct snap_entry *snap_resolve(const struct kept *k, const char *rel, const char *link)
{
	char cur[4096], next[8192], norm[4096];
	snprintf(cur, sizeof cur, "%s", rel);
	for (int hops = 0; hops < 8; hops++) {
		if (link[0] == '/')
			return NULL; /* absolute: maybe outside, never followed */
		const char *slash = strrchr(cur, '/');
		int dirlen = slash ? (int)(slash - cur) : 0;
		/* ".." is resolved lexically here, and refused when it climbs out */
		snprintf(next, sizeof next, "%.*s%s%s", dirlen, cur, dirlen ? "/" : "", link);
		if (snap_norm(next, 1, norm, sizeof norm))
			return NULL;
		const struct snap_entry *t = snap_find(k, norm);
		if (!t || t->type != FILEIO_FILE)
			return NULL;
		if (!t->link)
			return t;
		snprintf(cur, sizeof cur, "%s", norm);
		link = t->link;
	}
	return NULL;
}

int fileio_keep_dir(const char *dir, const char *const *skip)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (dir[0] != '/' || n >= sizeof kept[0].dir || nkept == FILEIO_KEPT_MAX) {
		errno = EINVAL;
		return -1;
	}
	struct kept *k = &kept[nkept];
	memcpy(k->dir, dir, n);
	k->dir[n] = '\0';
	k->len = n;
	struct walk w = { .k = k, .skip = skip };
	int fd = open(k->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 || !snap_add(&w, "", FILEIO_DIR) ? -1 : snap_walk(&w, fd, "", 0);
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (rc == 0) /* symlinks: to a copied file inside, or dropped */
		for (size_t i = 0; i < k->n; i++) {
			struct snap_entry *l = &k->e[i];
			if (!l->link)
				continue;
			const struct snap_entry *t = snap_resolve(k, l->rel, l->link);
			if (t) {
				l->data = t->data;
				l->len = t->len;
			} else {
				l->type = FILEIO_OTHER;
			}
		}
	if (rc) {
		if (e == EFBIG)
			log_error("%s: more than %d files or %d MB: not kept", k->dir,
				  FILEIO_KEEP_FILES, FILEIO_KEEP_BYTES >> 20);
		snap_release(k);
		errno = e;
		return -1;
	}
	nkept++;
	return 0;
}

/* The kept folder path lies under, with *rel set to its canonical rest
 * (in buf); NULL when under none. -1 in *bad for one climbing out. */
static const struct kept *kept_for(const char *path, char *buf, size_t size, int *bad)
{
	*bad = 0;
	for (size_t i = 0; i < nkept; i++) {
		const struct kept *k = &kept[i];
		if (strncmp(path, k->dir, k->len) != 0 || (path[k->len] && path[k->len] != '/'))
			continue;
		*bad = snap_norm(path + k->len, 0, buf, size);
		return k;
	}
	return NULL;
}

int fileio_open(const char *path, int flags)
{
	char rel[4096];
	int bad;
	const struct kept *k = kept_for(path, rel, sizeof rel, &bad);
	if (!k)
		return open(path, flags | O_CLOEXEC);
	if (bad)
		return -1;
	const struct snap_entry *e = snap_find(k, rel);
	if (!e || e->type == FILEIO_OTHER) {
		errno = ENOENT;
		return -1;
	}
	if ((flags & O_ACCMODE) != O_RDONLY || e->type == FILEIO_DIR) {
		errno = e->type == FILEIO_DIR ? EISDIR : EROFS;
		return -1;
	}
	int fd = memfd_create("gazette-kept", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fileio_write_all(fd, e->data, e->len) || lseek(fd, 0, SEEK_SET) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

FILE *fileio_fopen(const char *path)
{
	int fd = fileio_open(path, O_RDONLY);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (fd >= 0 && !f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

struct list_at {
	fileio_entry_fn fn;
	void *ctx;
};

static int list_one(void *ctx, int dfd, const char *name)
{
	struct list_at *a = ctx;
	struct stat st; /* a symlink is what it names, as an open sees it */
	enum fileio_type t = fstatat(dfd, name, &st, 0) ? FILEIO_OTHER
			     : S_ISREG(st.st_mode)          ? FILEIO_FILE
			     : S_ISDIR(st.st_mode)          ? FILEIO_DIR
							    : FILEIO_OTHER;
	return a->fn(a->ctx, name, t);
}

int fileio_list(const char *dir, fileio_entry_fn fn, void *ctx)
{
	char rel[4096];
	int bad;
	const struct kept *k = kept_for(dir, rel, sizeof rel, &bad);
	if (k) {
		if (bad)
			return -1;
		const struct snap_entry *d = snap_find(k, rel);
		if (!d || d->type != FILEIO_DIR) {
			errno = d ? ENOTDIR : ENOENT;
			return -1;
		}
		size_t n = strlen(rel);
		for (size_t i = 0; i < k->n; i++) {
			const char *r = k->e[i].rel, *name = r + n + (n > 0);
			if (!*r || strncmp(r, rel, n) != 0 || (n && r[n] != '/') || strchr(name, '/'))
				continue;
			int rc = fn(ctx, name, k->e[i].type);
			if (rc)
				return rc;
		}
		return 0;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct list_at a = { fn, ctx };
	int rc = each_name(fd, list_one, &a);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}
