/*
 * totp: RFC 6238 codes (see totp.h). libsodium has no SHA-1, and every
 * authenticator app speaks HMAC-SHA1, so a compact SHA-1 lives here; it is
 * used only as HMAC-SHA1, where its collision weakness does not matter.
 * SHA-256 and SHA-512 (for the RFC's other test vectors) come from
 * libsodium.
 */
#include "totp.h"
#include "../util/str.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct sha1 { uint32_t h[5]; uint64_t len; unsigned char buf[64]; size_t n; };

static uint32_t rol(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static void sha1_block(struct sha1 *c, const unsigned char *p)
{
	uint32_t w[80], a = c->h[0], b = c->h[1], d = c->h[3], e = c->h[4], cc = c->h[2];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20)
			f = (b & cc) | (~b & d), k = 0x5A827999;
		else if (i < 40)
			f = b ^ cc ^ d, k = 0x6ED9EBA1;
		else if (i < 60)
			f = (b & cc) | (b & d) | (cc & d), k = 0x8F1BBCDC;
		else
			f = b ^ cc ^ d, k = 0xCA62C1D6;
		uint32_t t = rol(a, 5) + f + e + k + w[i];
		e = d, d = cc, cc = rol(b, 30), b = a, a = t;
	}
	c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d, c->h[4] += e;
}

static void sha1_init(struct sha1 *c)
{
	static const uint32_t iv[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
	memcpy(c->h, iv, sizeof iv);
	c->len = 0;
	c->n = 0;
}

static void sha1_add(struct sha1 *c, const unsigned char *p, size_t n)
{
	c->len += n;
	while (n--) {
		c->buf[c->n++] = *p++;
		if (c->n == 64) {
			sha1_block(c, c->buf);
			c->n = 0;
		}
	}
}

static void sha1_end(struct sha1 *c, unsigned char out[20])
{
	uint64_t bits = c->len * 8;
	unsigned char pad = 0x80, zero = 0, lenb[8];
	sha1_add(c, &pad, 1);
	while (c->n != 56)
		sha1_add(c, &zero, 1);
	for (int i = 0; i < 8; i++)
		lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_add(c, lenb, 8);
	for (int i = 0; i < 20; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

static void hmac_sha1(const unsigned char *key, size_t keylen, const unsigned char *msg,
		      size_t n, unsigned char out[20])
{
	unsigned char k[64] = { 0 }, ipad[64], opad[64], inner[20];
	struct sha1 c;
	if (keylen > 64) {
		sha1_init(&c);
		sha1_add(&c, key, keylen);
		sha1_end(&c, k);
	} else
		memcpy(k, key, keylen);
	for (int i = 0; i < 64; i++)
		ipad[i] = k[i] ^ 0x36, opad[i] = k[i] ^ 0x5c;
	sha1_init(&c);
	sha1_add(&c, ipad, 64);
	sha1_add(&c, msg, n);
	sha1_end(&c, inner);
	sha1_init(&c);
	sha1_add(&c, opad, 64);
	sha1_add(&c, inner, 20);
	sha1_end(&c, out);
}

uint32_t totp_hotp(enum totp_hash h, const unsigned char *key, size_t keylen, uint64_t counter,
		   int digits)
{
	unsigned char msg[8], mac[64];
	size_t maclen;
	for (int i = 0; i < 8; i++)
		msg[i] = (unsigned char)(counter >> (56 - 8 * i));
	if (h == TOTP_SHA1) {
		hmac_sha1(key, keylen, msg, 8, mac);
		maclen = 20;
	} else if (h == TOTP_SHA256) {
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, key, keylen);
		crypto_auth_hmacsha256_update(&st, msg, 8);
		crypto_auth_hmacsha256_final(&st, mac);
		maclen = 32;
	} else {
		crypto_auth_hmacsha512_state st;
		crypto_auth_hmacsha512_init(&st, key, keylen);
		crypto_auth_hmacsha512_update(&st, msg, 8);
		crypto_auth_hmacsha512_final(&st, mac);
		maclen = 64;
	}
	int off = mac[maclen - 1] & 0x0f;
	uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
		       (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	uint32_t mod = 1;
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return bin % mod;
}

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void base32_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = B32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = B32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

int base32_decode(const char *in, unsigned char *out, size_t outlen)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (; *in; in++) {
		if (*in == ' ' || *in == '=' || *in == '-')
			continue;
		const char *p = strchr(B32, toupper((unsigned char)*in));
		if (!p || !*p)
			return -1;
		acc = (acc << 5) | (uint32_t)(p - B32);
		bits += 5;
		if (bits >= 8) {
			if (o == outlen)
				return -1;
			out[o++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (int)o;
}

void totp_secret_new(char out[TOTP_SECRET_B32])
{
	unsigned char key[TOTP_SECRET_BYTES];
	randombytes_buf(key, sizeof key);
	base32_encode(key, sizeof key, out);
	sodium_memzero(key, sizeof key);
}

int totp_check(const char *secret_b32, const char *code, long long now)
{
	return totp_match(secret_b32, code, now) >= 0;
}

long long totp_match(const char *secret_b32, const char *code, long long now)
{
	unsigned char key[64];
	int n = secret_b32 ? base32_decode(secret_b32, key, sizeof key) : -1;
	if (n <= 0 || !code || strlen(code) != 6) {
		sodium_memzero(key, sizeof key);
		return -1;
	}
	unsigned want = 0;
	for (int i = 0; i < 6; i++) {
		if (!str_is_digit(code[i])) {
			sodium_memzero(key, sizeof key);
			return -1;
		}
		want = want * 10 + (unsigned)(code[i] - '0');
	}
	long long step = -1;
	for (int d = -1; d <= 1; d++) {
		long long t = now / TOTP_STEP + d;
		if (totp_hotp(TOTP_SHA1, key, (size_t)n, (uint64_t)t, 6) == want && step < 0)
			step = t;
	}
	sodium_memzero(key, sizeof key);
	return step;
}

void totp_recovery_new(char out[TOTP_RECOVERY_LEN + 1])
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789"; /* no i l o 0 1 */
	int o = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 8)
			out[o++] = '-';
		out[o++] = alpha[randombytes_uniform(sizeof alpha - 1)];
	}
	out[o] = '\0';
}

void totp_recovery_hash(const char *code, char out[65])
{
	char f[64];
	size_t o = 0;
	for (; *code && o + 1 < sizeof f; code++)
		if (*code != '-' && *code != ' ')
			f[o++] = str_lower_ascii(*code);
	unsigned char h[32];
	static const unsigned char key[] = "gazette recovery code v1........"; /* 32 bytes */
	crypto_generichash(h, sizeof h, (const unsigned char *)f, o, key, 32);
	sodium_bin2hex(out, 65, h, sizeof h);
}
