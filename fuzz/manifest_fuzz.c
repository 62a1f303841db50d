/*
 * manifest_fuzz: libFuzzer target for src/backup/manifest.c, the parser of
 * a backup's MANIFEST (a restore reads archives from anywhere).
 *
 * Checks the promises of manifest.h on every input: a parse that succeeds
 * gives entries whose paths manifest_path_ok takes, in strictly increasing
 * order, with gazette.db among them, each found again by manifest_find;
 * and the text manifest_write makes of them parses back to the same
 * entries. A failed parse leaves a message.
 *
 *   make build-fuzz/manifest_fuzz && build-fuzz/manifest_fuzz fuzz/corpus/manifest
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/backup/manifest.h"
#include "../src/util/buf.h"
#include "../src/util/pool.h"

static void same(const struct manifest *a, const struct manifest *b)
{
	if (a->n != b->n)
		abort();
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->e[i].path, b->e[i].path) || a->e[i].size != b->e[i].size ||
		    memcmp(a->e[i].sum, b->e[i].sum, MANIFEST_SUM_BYTES))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p = pool_new();
	struct manifest m, back;
	char err[256] = "";
	if (manifest_parse(p, (const char *)data, size, &m, err, sizeof err)) {
		if (!err[0])
			abort();
		pool_free(p);
		return 0;
	}
	int has_db = 0;
	for (size_t i = 0; i < m.n; i++) {
		const char *path = m.e[i].path;
		if (!manifest_path_ok(path, strlen(path)) || m.e[i].size < 0 ||
		    m.e[i].size > MANIFEST_SIZE_MAX || manifest_find(&m, path) != &m.e[i])
			abort();
		if (i > 0 && strcmp(m.e[i - 1].path, path) >= 0)
			abort();
		has_db |= !strcmp(path, "gazette.db");
	}
	if (!has_db)
		abort();
	struct buf b = BUF_INIT;
	manifest_write(&m, &b);
	if (b.err || manifest_parse(p, b.s, b.len, &back, err, sizeof err))
		abort();
	same(&m, &back);
	buf_release(&b);
	pool_free(p);
	return 0;
}
