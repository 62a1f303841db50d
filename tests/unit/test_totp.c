/* test_totp: RFC 6238 appendix B test vectors (SHA-1, SHA-256, SHA-512),
 * base32, the +-1 step window and recovery codes. */
#include "t.h"
#include "../../src/auth/totp.h"

#include <sodium.h>

static const struct { long long t; unsigned sha1, sha256, sha512; } vec[] = {
	{ 59, 94287082, 46119246, 90693936 },
	{ 1111111109, 7081804, 68084774, 25091201 },
	{ 1111111111, 14050471, 67062674, 99943326 },
	{ 1234567890, 89005924, 91819424, 93441116 },
	{ 2000000000, 69279037, 90698825, 38618901 },
	{ 20000000000LL, 65353130, 77737706, 47863826 },
};

static void rfc6238_vectors(void)
{
	const unsigned char *k1 = (const unsigned char *)"12345678901234567890";
	const unsigned char *k2 = (const unsigned char *)"12345678901234567890123456789012";
	const unsigned char *k5 = (const unsigned char *)
		"1234567890123456789012345678901234567890123456789012345678901234";
	for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		uint64_t c = (uint64_t)(vec[i].t / 30);
		CHECK(totp_hotp(TOTP_SHA1, k1, 20, c, 8) == vec[i].sha1);
		CHECK(totp_hotp(TOTP_SHA256, k2, 32, c, 8) == vec[i].sha256);
		CHECK(totp_hotp(TOTP_SHA512, k5, 64, c, 8) == vec[i].sha512);
	}
}

static void base32_round_trip(void)
{
	char out[64];
	unsigned char back[40];
	base32_encode((const unsigned char *)"12345678901234567890", 20, out);
	CHECK_STR(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	CHECK(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", back, sizeof back) == 20);
	CHECK(memcmp(back, "12345678901234567890", 20) == 0);
	CHECK(base32_decode("GE1!", back, sizeof back) == -1);
	CHECK(base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", back, 4) == -1);
}

static void check_window(void)
{
	const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
	const unsigned char *k1 = (const unsigned char *)"12345678901234567890";
	long long now = 1234567890;
	char code[8];
	snprintf(code, sizeof code, "%06u", totp_hotp(TOTP_SHA1, k1, 20, (uint64_t)(now / 30), 6));
	CHECK(totp_check(secret, code, now));
	CHECK(totp_check(secret, code, now + 30));  /* one step late */
	CHECK(totp_check(secret, code, now - 30));  /* one step early */
	CHECK(!totp_check(secret, code, now + 90)); /* too late */
	CHECK(!totp_check(secret, "12345", now));
	CHECK(!totp_check(secret, "12a456", now));
	CHECK(!totp_check("", code, now));
}

static void fresh_secrets_and_codes(void)
{
	char a[TOTP_SECRET_B32], b[TOTP_SECRET_B32], r[TOTP_RECOVERY_LEN + 1];
	char h1[65], h2[65], h3[65];
	totp_secret_new(a);
	totp_secret_new(b);
	CHECK(strlen(a) == 32);
	CHECK(strcmp(a, b) != 0);
	totp_recovery_new(r);
	CHECK(strlen(r) == 12 && r[4] == '-' && r[9] == '-');
	totp_recovery_hash(r, h1);
	char upper[16];
	for (size_t i = 0; i <= strlen(r); i++)
		upper[i] = r[i] >= 'a' && r[i] <= 'z' ? (char)(r[i] - 32) : r[i];
	totp_recovery_hash(upper, h2);
	CHECK_STR(h1, h2); /* case and dashes do not matter */
	totp_recovery_hash("aaaa-bbbb-cc", h3);
	CHECK(strcmp(h1, h3) != 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(rfc6238_vectors);
	RUN(base32_round_trip);
	RUN(check_window);
	RUN(fresh_secrets_and_codes);
	return T_DONE();
}
