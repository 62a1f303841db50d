/*
 * test_fileio: a folder kept with fileio_keep_dir is copied into memory
 * (what a chrooted server's reload relies on): its files are read from
 * the copy once the real folder is gone, a file added later is not seen,
 * a path climbing out with ".." is refused, a folder over the size or
 * file-count bound is refused, and, the point, no descriptor of the process is left
 * pointing at a kept folder (one would lead out of a chroot).
 */
#include "t.h"
#include "../../src/util/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[] = "/tmp/gz-fileio-XXXXXX";
static char kept_dir[64], big_dir[64];

static void put(const char *dir, const char *name, const char *text)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static void rm(const char *dir, const char *name)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	CHECK(unlink(path) == 0 || rmdir(path) == 0);
}

/* The first line of path through fileio_fopen, "" when it cannot open. */
static const char *first_line(const char *path)
{
	static char line[64];
	line[0] = '\0';
	FILE *f = fileio_fopen(path);
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
	}
	return line;
}

/* How many of this process's descriptors are dir or lie under it. */
static int fds_under(const char *dir)
{
	int n = 0;
	size_t len = strlen(dir);
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		char link[96], target[4096];
		snprintf(link, sizeof link, "/proc/self/fd/%s", de->d_name);
		ssize_t t = readlink(link, target, sizeof target - 1);
		if (t < 0)
			continue;
		target[t] = '\0';
		if (strncmp(target, dir, len) == 0 && (!target[len] || target[len] == '/'))
			n++;
	}
	closedir(d);
	return n;
}

struct seen {
	char names[8][32];
	enum fileio_type types[8];
	int n;
};

static int note(void *ctx, const char *name, enum fileio_type type)
{
	struct seen *s = ctx;
	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof s->names[0], "%s", name);
		s->types[s->n++] = type;
	}
	return 0;
}

static enum fileio_type type_of(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return s->types[i];
	return FILEIO_TYPE__MAX; /* not listed */
}

static void kept_folder_is_a_snapshot_in_memory(void)
{
	CHECK(fileio_keep_dir("relative/dir", NULL) == -1 && errno == EINVAL);
	CHECK(fileio_keep_dir(kept_dir, NULL) == 0);
	/* the point: nothing of the process still leads to the folder */
	CHECK(fds_under(kept_dir) == 0);

	/* a file added after keeping, or changed, is not in the copy while the real folder has it */
	char path[160];
	put(kept_dir, "late.txt", "late\n");
	put(kept_dir, "a.txt", "changed\n");
	snprintf(path, sizeof path, "%s/late.txt", kept_dir);
	CHECK(access(path, F_OK) == 0);
	CHECK(fileio_open(path, O_RDONLY) == -1 && errno == ENOENT);
	snprintf(path, sizeof path, "%s/a.txt", kept_dir);
	CHECK_STR(first_line(path), "kept\n");
	/* the real folder removed: the copy answers, from a memfd at offset 0 */
	rm(kept_dir, "a.txt");
	rm(kept_dir, "late.txt");
	rm(kept_dir, "link.txt");
	rm(kept_dir, "out.txt");
	rm(kept_dir, "sub/b.html");
	rm(kept_dir, "sub");
	CHECK(rmdir(kept_dir) == 0);
	CHECK(access(path, F_OK) == -1);
	CHECK_STR(first_line(path), "kept\n");
	int fd = fileio_open(path, O_RDONLY);
	CHECK(fd >= 0 && lseek(fd, 0, SEEK_CUR) == 0);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof path, "%s//./sub/b.html", kept_dir);
	CHECK_STR(first_line(path), "<p>b</p>\n");
	/* a symlink to a file inside is that file; one leading out is left out */
	snprintf(path, sizeof path, "%s/link.txt", kept_dir);
	CHECK_STR(first_line(path), "kept\n");
	snprintf(path, sizeof path, "%s/out.txt", kept_dir);
	CHECK(fileio_open(path, O_RDONLY) == -1 && errno == ENOENT);
	/* the copy is read-only, and ".." never climbs out */
	snprintf(path, sizeof path, "%s/a.txt", kept_dir);
	CHECK(fileio_open(path, O_RDWR) == -1 && errno == EROFS);
	snprintf(path, sizeof path, "%s/../secret.txt", kept_dir);
	CHECK(fileio_open(path, O_RDONLY) == -1 && errno == EACCES);
	snprintf(path, sizeof path, "%s/sub/..", kept_dir);
	CHECK(fileio_open(path, O_RDONLY) == -1 && errno == EACCES);

	/* listed from the copy: files, folders, the dropped symlink as other */
	struct seen s = { 0 };
	CHECK(fileio_list(kept_dir, note, &s) == 0);
	CHECK(s.n == 4);
	CHECK(type_of(&s, "a.txt") == FILEIO_FILE);
	CHECK(type_of(&s, "link.txt") == FILEIO_FILE);
	CHECK(type_of(&s, "sub") == FILEIO_DIR);
	CHECK(type_of(&s, "out.txt") == FILEIO_OTHER);
	struct seen sub = { 0 };
	snprintf(path, sizeof path, "%s/sub", kept_dir);
	CHECK(fileio_list(path, note, &sub) == 0 && sub.n == 1 && type_of(&sub, "b.html") == FILEIO_FILE);
	snprintf(path, sizeof path, "%s/none", kept_dir);
	CHECK(fileio_list(path, note, &sub) == -1 && errno == ENOENT);
	CHECK(fds_under(kept_dir) == 0);
}

static void real_folder_is_listed_from_disk(void)
{
	struct seen s = { 0 };
	CHECK(fileio_list(base, note, &s) == 0);
	CHECK(type_of(&s, "secret.txt") == FILEIO_FILE);
	CHECK(type_of(&s, "big") == FILEIO_DIR);
	char path[160];
	snprintf(path, sizeof path, "%s/secret.txt", base);
	CHECK_STR(first_line(path), "secret\n");
}

static void too_large_a_folder_is_refused(void)
{
	/* a sparse file one byte past the bound: refused before it is read */
	char path[160];
	snprintf(path, sizeof path, "%s/huge.bin", big_dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0 && ftruncate(fd, FILEIO_KEEP_BYTES + 1) == 0);
	if (fd >= 0)
		close(fd);
	CHECK(fileio_keep_dir(big_dir, NULL) == -1 && errno == EFBIG);
	/* not kept: the real file is what an open reaches */
	fd = fileio_open(path, O_RDONLY);
	struct stat st;
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == FILEIO_KEEP_BYTES + 1);
	if (fd >= 0)
		close(fd);
	unlink(path);
	/* skipped subfolders are not copied, so do not count */
	char skipped[96];
	snprintf(skipped, sizeof skipped, "%s/right", big_dir);
	CHECK(mkdir(skipped, 0755) == 0);
	snprintf(path, sizeof path, "%s/huge.bin", skipped);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0 && ftruncate(fd, FILEIO_KEEP_BYTES + 1) == 0);
	if (fd >= 0)
		close(fd);
	static const char *const skip[] = { "posix", "right", NULL };
	CHECK(fileio_keep_dir(big_dir, skip) == 0);
	CHECK(fileio_open(path, O_RDONLY) == -1 && errno == ENOENT);
	unlink(path);
	rmdir(skipped);
}

static void too_many_files_are_refused(void)
{
	char many[96], name[32];
	snprintf(many, sizeof many, "%s/many", base);
	CHECK(mkdir(many, 0755) == 0);
	for (int i = 0; i < FILEIO_KEEP_FILES; i++) { /* with the folder itself: one too many */
		snprintf(name, sizeof name, "f%d", i);
		put(many, name, "");
	}
	CHECK(fileio_keep_dir(many, NULL) == -1 && errno == EFBIG);
	CHECK(fds_under(many) == 0);
	for (int i = 0; i < FILEIO_KEEP_FILES; i++) {
		snprintf(name, sizeof name, "f%d", i);
		rm(many, name);
	}
	CHECK(rmdir(many) == 0);
}

int main(void)
{
	CHECK(mkdtemp(base) != NULL);
	snprintf(kept_dir, sizeof kept_dir, "%s/theme", base);
	snprintf(big_dir, sizeof big_dir, "%s/big", base);
	CHECK(mkdir(kept_dir, 0755) == 0 && mkdir(big_dir, 0755) == 0);
	char sub[96];
	snprintf(sub, sizeof sub, "%s/sub", kept_dir);
	CHECK(mkdir(sub, 0755) == 0);
	put(kept_dir, "a.txt", "kept\n");
	put(sub, "b.html", "<p>b</p>\n");
	put(base, "secret.txt", "secret\n");
	char link[160];
	snprintf(link, sizeof link, "%s/link.txt", kept_dir);
	CHECK(symlink("sub/../a.txt", link) == 0);
	snprintf(link, sizeof link, "%s/out.txt", kept_dir);
	CHECK(symlink("../secret.txt", link) == 0);
	RUN(kept_folder_is_a_snapshot_in_memory);
	RUN(real_folder_is_listed_from_disk);
	RUN(too_large_a_folder_is_refused);
	RUN(too_many_files_are_refused);
	rm(base, "secret.txt");
	rmdir(big_dir);
	rmdir(base);
	return T_DONE();
}
