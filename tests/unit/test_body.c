/*
 * test_body: request bodies in memory, then in a temporary file; the limit;
 * the server-wide reservation (http/body.h).
 */
#include "t.h"
#include "../../src/http/body.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/gazette-body-XXXXXX";

/* Adds n bytes of pattern in pieces of step bytes. */
static void fill(struct body *b, size_t n, size_t step)
{
	char *p = malloc(step);
	for (size_t done = 0; done < n; done += step) {
		size_t k = n - done < step ? n - done : step;
		for (size_t i = 0; i < k; i++)
			p[i] = (char)('a' + (done + i) % 26);
		body_add(b, p, k);
	}
	free(p);
}

static int pattern_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != (char)('a' + i % 26))
			return 0;
	return s[n] == '\0';
}

static void test_sizes(void)
{
	static const struct { size_t n, step; int spilled; } cases[] = {
		{ 0, 1, 0 },
		{ 10, 3, 0 },
		{ BODY_SPILL - 1, 4095, 0 },
		{ BODY_SPILL, 4096, 1 },
		{ 3 * BODY_SPILL + 17, 24 * 1024, 1 },
		{ 2u << 20, 16 * 1024, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct body b;
		size_t len;
		body_init(&b, dir, 4u << 20);
		CHECK(body_reserve(&b, cases[i].n, BODY_SPILL) == 0);
		fill(&b, cases[i].n, cases[i].step);
		CHECK(body_spilled(&b) == cases[i].spilled);
		CHECK(b.mem.cap <= BODY_SPILL); /* never more memory than that */
		const char *s = body_bytes(&b, &len);
		CHECK(s && len == cases[i].n && pattern_ok(s, len));
		CHECK(body_bytes(&b, &len) == s); /* mapped once */
		CHECK(!b.too_large && !b.failed);
		body_release(&b);
	}
}

static void test_limit(void)
{
	struct body b;
	size_t len;
	body_init(&b, dir, 100000);
	fill(&b, 100000, 1000);
	CHECK(!b.too_large);
	body_add(&b, "x", 1);
	CHECK(b.too_large);
	const char *s = body_bytes(&b, &len);
	CHECK(s && len == 100000); /* the dropped byte is not in it */
	body_release(&b);
}

static void test_no_folder(void)
{
	struct body b;
	size_t len;
	body_init(&b, "/nonexistent/gazette", 1u << 20);
	fill(&b, BODY_SPILL + 10, 1000);
	CHECK(b.failed);
	CHECK(body_bytes(&b, &len) == NULL);
	body_release(&b);
}

static void test_reserve(void)
{
	struct body a, b, c, d;
	body_init(&a, dir, 0);
	body_init(&b, dir, 0);
	body_init(&c, dir, 0);
	body_init(&d, dir, 0);
	size_t budget = 2 * BODY_SPILL + 100;
	CHECK(body_reserve(&a, 10u << 20, budget) == 0);   /* at most BODY_SPILL */
	CHECK(a.reserved == BODY_SPILL);
	CHECK(body_reserve(&b, BODY_UNKNOWN, budget) == 0); /* chunked: BODY_SPILL */
	CHECK(body_reserve(&c, 101, budget) == -1);         /* 1 byte over */
	CHECK(c.reserved == 0);
	CHECK(body_reserve(&c, 100, budget) == 0);
	body_release(&a);
	CHECK(body_reserve(&d, BODY_SPILL, budget) == 0);   /* a's came back */
	body_release(&b);
	body_release(&c);
	body_release(&d);
	CHECK(body_reserve(&a, budget, budget) == 0);       /* all of it free again */
	body_release(&a);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	RUN(test_sizes);
	RUN(test_limit);
	RUN(test_no_folder);
	RUN(test_reserve);
	rmdir(dir); /* empty: every file was nameless */
	return T_DONE();
}
