/*
 * manifest: the table of contents of a backup archive (backup.h), its
 * first member MANIFEST. A header line, then one line per other member,
 * sorted by path (strcmp), each path once:
 *
 *   gazette-backup 1
 *   SIZE SHA256HEX PATH
 *
 * SIZE in decimal bytes, the SHA-256 sum as 64 lower-case hex digits, PATH
 * the member's name in the archive. The parser takes untrusted input (a
 * restore reads an archive anyone may have handed over), so it checks
 * everything a restore relies on before a byte is written: every path is
 * one manifest_path_ok takes (relative, below a folder a site has, no
 * "..", no hidden or empty component), the list is sorted without
 * duplicates, and gazette.db is in it. It is fuzzed (fuzz/manifest_fuzz.c).
 */
#ifndef GZ_MANIFEST_H
#define GZ_MANIFEST_H

#include <stddef.h>

struct pool;
struct buf;

#define MANIFEST_NAME "MANIFEST"
#define MANIFEST_HEADER "gazette-backup 1"
#define MANIFEST_MAX_BYTES (64L << 20)   /* the member's size at most */
#define MANIFEST_PATH_MAX 1024
#define MANIFEST_SIZE_MAX (1LL << 50)    /* a member's bytes at most */
#define MANIFEST_SUM_BYTES 32

struct manifest_entry {
	long long size;
	unsigned char sum[MANIFEST_SUM_BYTES];
	const char *path;
};

struct manifest {
	struct manifest_entry *e;   /* sorted by path */
	size_t n;
};

/* 1 when path (len bytes, no NUL in it) may be a member: "gazette.db",
 * "gazette.conf", or below "theme/", "media/" or "media-originals/";
 * relative, components neither empty nor starting with '.', no control
 * character or backslash, valid UTF-8, at most MANIFEST_PATH_MAX bytes. */
int manifest_path_ok(const char *path, size_t len);

/* Parses text (len bytes, not NUL-terminated) into out (memory from p).
 * 0 ok; -1 with "line N: what is wrong" in err. */
int manifest_parse(struct pool *p, const char *text, size_t len, struct manifest *out,
		   char *err, size_t errlen);

/* The entry of path, NULL when there is none (binary search). */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *path);

/* Sorts m's entries by path (the writer's side, before manifest_write). */
void manifest_sort(struct manifest *m);

/* Appends m as the text manifest_parse reads. */
void manifest_write(const struct manifest *m, struct buf *b);

#endif
