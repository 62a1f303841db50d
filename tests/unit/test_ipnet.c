/* Unit tests for src/util/ipnet.c: metrics_allow's address lists. */
#include "t.h"
#include "../../src/util/ipnet.h"

static void test_match(void)
{
	static const struct { const char *list, *ip; int want; } cases[] = {
		{ "127.0.0.0/8 ::1", "127.0.0.1", 1 },
		{ "127.0.0.0/8 ::1", "127.255.3.4", 1 },
		{ "127.0.0.0/8 ::1", "128.0.0.1", 0 },
		{ "127.0.0.0/8 ::1", "::1", 1 },
		{ "127.0.0.0/8 ::1", "::2", 0 },
		{ "10.1.2.0/23,192.0.2.7", "10.1.3.200", 1 },
		{ "10.1.2.0/23,192.0.2.7", "10.1.4.1", 0 },
		{ "10.1.2.0/23,192.0.2.7", "192.0.2.7", 1 },
		{ "10.1.2.0/23,192.0.2.7", "192.0.2.8", 0 },
		{ "2001:db8::/32", "2001:db8:ffff::1", 1 },
		{ "2001:db8::/32", "2001:db9::1", 0 },
		{ "0.0.0.0/0", "203.0.113.9", 1 },
		{ "", "127.0.0.1", 0 },
		{ "192.0.2.1", "192.0.2.1", 1 },
		{ "bogus 127.0.0.1", "127.0.0.1", 1 },
		{ "127.0.0.0/8", "-", 0 },
		{ "127.0.0.0/8", "127.0.0.1 ", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK(ipnet_match(cases[i].list, cases[i].ip) == cases[i].want);
}

static void test_check(void)
{
	char msg[128];
	CHECK(ipnet_check("127.0.0.0/8 ::1", msg, sizeof msg) == 0);
	CHECK(ipnet_check("", msg, sizeof msg) == 0);
	CHECK(ipnet_check("127.0.0.0/33", msg, sizeof msg) == -1);
	CHECK_CONTAINS(msg, "\"127.0.0.0/33\"");
	CHECK(ipnet_check("10.0.0.1, example.org", msg, sizeof msg) == -1);
	CHECK_CONTAINS(msg, "\"example.org\"");
	CHECK(ipnet_check("::1/129", msg, sizeof msg) == -1);
}

int main(void)
{
	RUN(test_match);
	RUN(test_check);
	return T_DONE();
}
