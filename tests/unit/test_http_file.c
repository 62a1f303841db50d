/*
 * Unit tests for src/http/file.c: Range headers and If-None-Match lists.
 */
#include "../../src/http/file.h"
#include "t.h"

static void test_range(void)
{
	static const struct {
		const char *h;
		size_t size;
		int want;
		size_t off, len;
	} cases[] = {
		{ NULL, 100, 0, 0, 0 },
		{ "bytes=0-9", 100, 1, 0, 10 },
		{ "bytes=90-", 100, 1, 90, 10 },
		{ "bytes=90-500", 100, 1, 90, 10 },   /* the end is cut to the file */
		{ "bytes=-10", 100, 1, 90, 10 },
		{ "bytes=-500", 100, 1, 0, 100 },
		{ "bytes=99-99", 100, 1, 99, 1 },
		{ "bytes=100-", 100, -1, 0, 0 },      /* starts past the end: 416 */
		{ "bytes=10-5", 100, -1, 0, 0 },
		{ "bytes=-0", 100, -1, 0, 0 },
		{ "bytes=x-5", 100, -1, 0, 0 },
		{ "bytes=5-x", 100, -1, 0, 0 },
		{ "bytes=-", 100, -1, 0, 0 },
		{ "bytes=0-", 0, -1, 0, 0 },          /* an empty file has no byte 0 */
		{ "bytes=99999999999999999999999-", 100, -1, 0, 0 },
		{ "bytes=0-1,5-6", 100, 0, 0, 0 },    /* several: the whole file */
		{ "items=0-9", 100, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t off = 0, len = 0;
		int r = http_range(cases[i].h, cases[i].size, &off, &len);
		if (r != cases[i].want || (r == 1 && (off != cases[i].off || len != cases[i].len)))
			fprintf(stderr, "case %zu (%s): got %d %zu+%zu\n", i,
				cases[i].h ? cases[i].h : "NULL", r, off, len);
		CHECK(r == cases[i].want);
		if (r == 1)
			CHECK(off == cases[i].off && len == cases[i].len);
	}
}

static void test_etag_match(void)
{
	CHECK(http_etag_match("\"a-1\"", "\"a-1\""));
	CHECK(http_etag_match("\"x\", \"a-1\"", "\"a-1\""));
	CHECK(http_etag_match("W/\"a-1\"", "\"a-1\""));
	CHECK(http_etag_match("*", "\"a-1\""));
	CHECK(!http_etag_match("\"a-12\"", "\"a-1\""));
	CHECK(!http_etag_match("\"a-1", "\"a-1\""));
	CHECK(!http_etag_match(NULL, "\"a-1\""));
	CHECK(!http_etag_match("", "\"a-1\""));
}

int main(void)
{
	RUN(test_range);
	RUN(test_etag_match);
	return T_DONE();
}
