/*
 * Unit tests for src/backup/manifest.c: the backup manifest's parser (it
 * reads archives from anywhere), its path rule, and the writer's text read
 * back.
 */
#include "../../src/backup/manifest.h"
#include "t.h"

#include "../../src/util/buf.h"
#include "../../src/util/pool.h"

#define SUM_A "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SUM_B "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define HEAD MANIFEST_HEADER "\n"

static int parse(struct pool *p, const char *text, struct manifest *m, char *err)
{
	return manifest_parse(p, text, strlen(text), m, err, 256);
}

static void test_paths(void)
{
	static const struct { const char *path; int ok; } cases[] = {
		{ "gazette.db", 1 },
		{ "gazette.conf", 1 },
		{ "media/ab12-320.jpg", 1 },
		{ "media/2019/04/caf\xc3\xa9 au lait.jpg", 1 },
		{ "media-originals/ab12.png", 1 },
		{ "theme/story.html", 1 },
		{ "theme/locale/ur.conf", 1 },
		{ "", 0 },
		{ "/etc/passwd", 0 },
		{ "../gazette.db", 0 },
		{ "media/../../etc/passwd", 0 },
		{ "media/./a.jpg", 0 },
		{ "media//a.jpg", 0 },
		{ "media/", 0 },
		{ "media", 0 },
		{ "media/.import-12/a.jpg", 0 },
		{ "media/a\\..\\b", 0 },
		{ "media/a\nb", 0 },
		{ "media/a\x7f", 0 },
		{ "media/\xff.jpg", 0 },
		{ "gazette.db-wal", 0 },
		{ "secret.txt", 0 },
		{ "themes/x", 0 },
		{ "mediax/a", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int ok = manifest_path_ok(cases[i].path, strlen(cases[i].path));
		if (ok != cases[i].ok)
			fprintf(stderr, "path \"%s\": got %d\n", cases[i].path, ok);
		CHECK(ok == cases[i].ok);
	}
	char long_path[MANIFEST_PATH_MAX + 2] = "media/";
	memset(long_path + 6, 'a', sizeof long_path - 7);
	long_path[sizeof long_path - 1] = '\0';
	CHECK(!manifest_path_ok(long_path, strlen(long_path)));
	CHECK(manifest_path_ok(long_path, MANIFEST_PATH_MAX));
}

static void test_good(void)
{
	struct pool *p = pool_new();
	struct manifest m;
	char err[256] = "";
	int rc = parse(p, HEAD "0 " SUM_A " gazette.conf\n"
			       "5 " SUM_B " gazette.db\n"
			       "123456789 " SUM_A " media/a b.jpg\n", &m, err);
	CHECK(rc == 0);
	CHECK(m.n == 3);
	if (rc == 0 && m.n == 3) {
		CHECK_STR(m.e[2].path, "media/a b.jpg");
		CHECK(m.e[2].size == 123456789);
		CHECK(m.e[1].sum[0] == 0x2c && m.e[1].sum[31] == 0x24);
		CHECK(manifest_find(&m, "gazette.db") == &m.e[1]);
		CHECK(manifest_find(&m, "media/a b.jpg") == &m.e[2]);
		CHECK(manifest_find(&m, "media/a") == NULL);
	}
	pool_free(p);
}

static void test_bad(void)
{
	static const struct { const char *text, *why; } cases[] = {
		{ "", "line 1: not a Gazette backup manifest" },
		{ "gazette-backup 2\n5 " SUM_A " gazette.db\n", "line 1:" },
		{ HEAD "5 " SUM_A " gazette.db", "cut short" },
		{ HEAD, "no gazette.db" },
		{ HEAD "5 " SUM_A " gazette.conf\n", "no gazette.db" },
		{ HEAD "5 " SUM_A " gazette.db\n5 " SUM_A " gazette.db\n", "line 3: paths out of order" },
		{ HEAD "5 " SUM_A " media/b\n5 " SUM_A " gazette.db\n", "line 3: paths out of order" },
		{ HEAD "5 " SUM_A " gazette.db\n5 " SUM_A " ../evil\n", "line 3: ../evil: not a path inside" },
		{ HEAD "5 " SUM_A " /etc/passwd\n", "/etc/passwd: not a path inside" },
		{ HEAD "-5 " SUM_A " gazette.db\n", "line 2: bad size" },
		{ HEAD "05 " SUM_A " gazette.db\n", "line 2: bad size" },
		{ HEAD "+5 " SUM_A " gazette.db\n", "line 2: bad size" },
		{ HEAD "99999999999999999 " SUM_A " gazette.db\n", "line 2: expected SIZE" },
		{ HEAD "1125899906842625 " SUM_A " gazette.db\n", "line 2: bad size" },
		{ HEAD "5 " SUM_A "  gazette.db\n", "line 2:" },
		{ HEAD "5 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 gazette.db\n",
		  "lower-case" },
		{ HEAD "5 e3b0 gazette.db\n", "line 2: expected a SHA-256" },
		{ HEAD "5 " SUM_A "\n", "line 2: expected a SHA-256" },
		{ HEAD "5\n", "line 2: expected SIZE" },
		{ HEAD "\n", "line 2: expected SIZE" },
		{ HEAD "5 " SUM_A " gazette.db\r\n", "not a path inside" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pool *p = pool_new();
		struct manifest m;
		char err[256] = "";
		CHECK(parse(p, cases[i].text, &m, err) == -1);
		CHECK_CONTAINS(err, cases[i].why);
		pool_free(p);
	}
	/* a NUL inside the text */
	struct pool *p = pool_new();
	struct manifest m;
	char err[256] = "";
	static const char nul[] = HEAD "5 " SUM_A " gazette.db\n5 " SUM_A " media/a\0b\n";
	CHECK(manifest_parse(p, nul, sizeof nul - 1, &m, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "line 3:");
	pool_free(p);
}

static void test_roundtrip(void)
{
	struct pool *p = pool_new();
	struct manifest_entry e[3] = {
		{ .size = 7, .path = "media/z.jpg" },
		{ .size = 0, .path = "gazette.db" },
		{ .size = 1LL << 40, .path = "theme/head.html" },
	};
	for (int i = 0; i < 3; i++)
		memset(e[i].sum, 0x11 * (i + 1), sizeof e[i].sum);
	struct manifest m = { e, 3 }, back;
	manifest_sort(&m);
	CHECK_STR(m.e[0].path, "gazette.db");
	struct buf b = BUF_INIT;
	manifest_write(&m, &b);
	CHECK(!b.err);
	CHECK_CONTAINS(buf_str(&b), MANIFEST_HEADER "\n0 2222");
	char err[256] = "";
	CHECK(manifest_parse(p, b.s, b.len, &back, err, sizeof err) == 0);
	CHECK(back.n == 3);
	for (size_t i = 0; i < back.n && i < 3; i++) {
		CHECK_STR(back.e[i].path, m.e[i].path);
		CHECK(back.e[i].size == m.e[i].size);
		CHECK(!memcmp(back.e[i].sum, m.e[i].sum, MANIFEST_SUM_BYTES));
	}
	buf_release(&b);
	pool_free(p);
}

int main(void)
{
	RUN(test_paths);
	RUN(test_good);
	RUN(test_bad);
	RUN(test_roundtrip);
	return T_DONE();
}
