/*
 * totp: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP),
 * the two-factor codes of authenticator apps: HMAC-SHA1, 30-second steps,
 * 6 digits. Secrets are 20 random bytes, shown to the user in base32.
 * Recovery codes are single-use strings stored hashed (store_user.h).
 */
#ifndef GZ_TOTP_H
#define GZ_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20
#define TOTP_SECRET_B32 33        /* 32 base32 characters + NUL */
#define TOTP_STEP 30
#define TOTP_RECOVERY_CODES 10
#define TOTP_RECOVERY_LEN 12      /* "xxxx-xxxx-xx" style: 10 chars + 2 dashes + NUL */

enum totp_hash { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 };

/* The code for counter t (= unix time / step) with `digits` digits. */
uint32_t totp_hotp(enum totp_hash h, const unsigned char *key, size_t keylen, uint64_t counter,
		   int digits);

/* A fresh secret, base32-encoded (no padding) into out. */
void totp_secret_new(char out[TOTP_SECRET_B32]);
/* 1 when the 6-digit code matches secret_b32 at time now, one step of
 * clock drift allowed either way. */
int totp_check(const char *secret_b32, const char *code, long long now);
/* The time step whose code `code` is (now's, or one either side), or -1.
 * Callers record it (store_user_totp_step) so a code is accepted once. */
long long totp_match(const char *secret_b32, const char *code, long long now);

/* RFC 4648 base32 without padding; out must hold 8*ceil(n/5)+1 bytes. */
void base32_encode(const unsigned char *in, size_t n, char *out);
/* Decodes base32 (case-insensitive, spaces and '=' ignored); returns the
 * number of bytes written, or -1 on a bad character or overflow. */
int base32_decode(const char *in, unsigned char *out, size_t outlen);

/* A fresh recovery code like "k3f9-x2mq-7d" (lowercase, no look-alikes). */
void totp_recovery_new(char out[TOTP_RECOVERY_LEN + 1]);
/* The stored form of a recovery code: hex of a keyed BLAKE2b of the code
 * with dashes and case folded away. out holds 65 bytes. */
void totp_recovery_hash(const char *code, char out[65]);

#endif
