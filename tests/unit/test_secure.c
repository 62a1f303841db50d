/* Unit tests for src/http/secure.c's public policy: composed from the
 * sources per directive (secure_set_public), the admin's never touched,
 * a source a CSP cannot hold refused with no extra source in force, and
 * a policy once in force kept (the same text set again is the same
 * pointer). */
#include "t.h"
#include "../../src/http/secure.h"

static const char ADMIN[] = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
			    "script-src 'self'; object-src 'none'; base-uri 'self'; "
			    "form-action 'self'; frame-ancestors 'none'";
static const char NONE[] = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
			   "script-src 'self'; object-src 'none'; base-uri 'self'; "
			   "form-action 'self'; frame-src 'none'; frame-ancestors 'self'";

static void test_composed(void)
{
	CHECK_STR(secure_csp("/"), NONE); /* before anything is set */
	const char *src[SECURE_SRC__MAX] = {
		[SECURE_SRC_SCRIPT] = "https://ads.example.net",
		[SECURE_SRC_IMG] = "http://pixels.example.org:8080",
		[SECURE_SRC_CONNECT] = "https://ads.example.net https://stats.example",
		[SECURE_SRC_FRAME] = "https://www.youtube-nocookie.com https://frames.example",
	};
	CHECK(secure_set_public(src) == 0);
	CHECK_STR(secure_csp("/2024/07/05/x"),
		  "default-src 'self'; img-src 'self' data: https: http://pixels.example.org:8080; "
		  "style-src 'self'; script-src 'self' https://ads.example.net; connect-src 'self' "
		  "https://ads.example.net https://stats.example; object-src 'none'; base-uri 'self'; "
		  "form-action 'self'; frame-src https://www.youtube-nocookie.com "
		  "https://frames.example; frame-ancestors 'self'");
	CHECK_STR(secure_csp("/admin/slots"), ADMIN);
	CHECK_STR(secure_csp("/admin"), ADMIN);
	const char *kept = secure_csp("/");
	CHECK(secure_set_public(src) == 0);
	CHECK(secure_csp("/") == kept); /* found again, not made again */

	const char *frames_only[SECURE_SRC__MAX] = { [SECURE_SRC_FRAME] = "https://player.vimeo.com" };
	CHECK(secure_set_public(frames_only) == 0);
	CHECK_CONTAINS(secure_csp("/"), "script-src 'self'; object-src");
	CHECK(strstr(secure_csp("/"), "connect-src") == NULL);
	CHECK_CONTAINS(secure_csp("/"), "frame-src https://player.vimeo.com;");
	CHECK_CONTAINS(kept, "script-src 'self' https://ads.example.net;"); /* never freed */
}

static void test_refused(void)
{
	const char *bad[SECURE_SRC__MAX] = { [SECURE_SRC_SCRIPT] = "https://a.example; script-src *" };
	CHECK(secure_set_public(bad) == -1);
	CHECK_STR(secure_csp("/"), NONE);
	const char *quote[SECURE_SRC__MAX] = { [SECURE_SRC_IMG] = "https://a.example\"" };
	CHECK(secure_set_public(quote) == -1);
	CHECK_STR(secure_csp("/"), NONE);
	static char big[9000];
	memset(big, 'a', sizeof big - 1);
	const char *toolong[SECURE_SRC__MAX] = { [SECURE_SRC_CONNECT] = big };
	CHECK(secure_set_public(toolong) == -1);
	CHECK_STR(secure_csp("/"), NONE);
	CHECK_STR(secure_csp("/admin/settings"), ADMIN);
}

int main(void)
{
	RUN(test_composed);
	RUN(test_refused);
	return T_DONE();
}
