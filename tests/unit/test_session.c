/* test_session: session tokens (256 random bits, stored only as a hash),
 * the sign-in throttle's delays and the admin's time fields. */
#include "t.h"
#include "../../src/auth/session.h"
#include "../../src/auth/throttle.h"
#include "../../src/admin/admin.h"

#include <sodium.h>

static void tokens(void)
{
	char t1[SESSION_TOKEN_HEX], i1[SESSION_TOKEN_HEX], t2[SESSION_TOKEN_HEX], i2[SESSION_TOKEN_HEX];
	char again[SESSION_TOKEN_HEX];
	session_token_new(t1, i1);
	session_token_new(t2, i2);
	CHECK(strlen(t1) == 64 && strlen(i1) == 64);
	CHECK(strcmp(t1, t2) != 0);          /* fresh randomness each time */
	CHECK(strcmp(t1, i1) != 0);          /* the stored id is not the token */
	CHECK(session_token_id(t1, again) == 0);
	CHECK_STR(again, i1);                /* and is derived from it */
	CHECK(session_token_id("abc", again) == -1);
	CHECK(session_token_id(NULL, again) == -1);
	char bad[65];
	memcpy(bad, t1, 65);
	bad[10] = 'z';
	CHECK(session_token_id(bad, again) == -1);
}

static void delays(void)
{
	CHECK(throttle_delay(0) == 0);
	CHECK(throttle_delay(4) == 0);
	CHECK(throttle_delay(5) == 15);
	CHECK(throttle_delay(6) == 30);
	CHECK(throttle_delay(7) == 60);
	CHECK(throttle_delay(100) == THROTTLE_MAX);
}

static void datetimes(void)
{
	long long t;
	CHECK(admin_datetime_parse("2024-07-05T09:30", NULL, &t) == 0 && t == 1720171800);
	CHECK(admin_datetime_parse("2024-07-05T09:30:15", NULL, &t) == 0 && t == 1720171815);
	CHECK(admin_datetime_parse("2024-02-31T09:30", NULL, &t) == -1);
	CHECK(admin_datetime_parse("2024-07-05 09:30", NULL, &t) == -1);
	CHECK(admin_datetime_parse("2024-7-5T9:30", NULL, &t) == -1);
	CHECK(admin_datetime_parse("", NULL, &t) == -1);
	CHECK(admin_field_datetime(""));
	CHECK(!admin_field_datetime("yesterday"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(tokens);
	RUN(delays);
	RUN(datetimes);
	return T_DONE();
}
