/*
 * password: hashing (Argon2id through libsodium's crypto_pwhash_str, at
 * its "interactive" limits) and the policy a new password must meet.
 * Passwords are never logged and never stored; only the encoded hash is.
 */
#ifndef GZ_PASSWORD_H
#define GZ_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
/* crypto_pwhash_STRBYTES */
#define PASSWORD_HASH_MAX 128

/* NULL when pw is acceptable for this account, else a message for the
 * person choosing it: at least 12 characters, at most 1024 bytes, and not
 * the site name, the email address (or its part before '@') or the name,
 * compared ignoring case and spaces. Any of the context strings may be NULL. */
const char *password_policy(const char *pw, const char *site_name, const char *email,
			    const char *name);

/* Encodes an Argon2id hash of pw into out (PASSWORD_HASH_MAX bytes).
 * 0 ok; -1 when out of memory. Takes tens of milliseconds, on purpose. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* 1 when pw matches the encoded hash. A NULL or empty hash (an account
 * without a password) never matches, but costs the same time. */
int password_verify(const char *hash, const char *pw);

/* Reads a password: from a terminal without echo (prompt on stderr,
 * twice with confirm), else one line of stdin. 0 ok, -1 on EOF or mismatch. */
int password_read(const char *prompt, int confirm, char *out, size_t outlen);

#endif
