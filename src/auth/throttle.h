/*
 * throttle: slowing down password and two-factor code guessing. An attempt
 * is counted against several keys at once: the client (rq->client_key: its
 * address, or an IPv6 client's /64; a client's own X-Forwarded-For is
 * never believed) and the account; a two-factor code against the account's
 * code counter, which no correct password resets. The first 5 failures of
 * a key cost nothing; after that each attempt must wait 15 s, then 30 s,
 * 60 s ... up to an hour after the last failure. Counters are in the
 * database (every process and node sees them) and forgotten a day after
 * the last failure.
 *
 * The owner keeps her way in: each sign-in sets a signed device cookie
 * (auth/device in session.h's terms: "gz_device"), and a password attempt
 * that presents one for that very account is counted against the device
 * instead of the account. Guessing from anywhere else stays bounded per
 * account, and an attacker who fails five times a day cannot lock her
 * out of the browser she used before.
 *
 * The check and the counting are one step (throttle_begin): an attempt is
 * counted as a failure before its password is verified, in one write
 * transaction, and given back when it succeeds; so forty concurrent wrong
 * passwords are five checks, not eight. Every failure and refusal is
 * logged, without the password.
 */
#ifndef GZ_THROTTLE_H
#define GZ_THROTTLE_H

#include <stddef.h>

struct store;

#define THROTTLE_FREE 5
#define THROTTLE_BASE 15
#define THROTTLE_MAX 3600

/* What one attempt is counted against; key[0] is the one a success
 * clears (account, device or code), the others get the attempt back. */
#define THROTTLE_KEY_MAX 300
struct throttle_keys {
	char key[2][THROTTLE_KEY_MAX];
	size_t n;
};

/* The delay owed after `failures` failures (0 for the first five). */
long long throttle_delay(long long failures);
/* A password attempt for email from client; device is the id of a device
 * cookie this account signed in with before, or NULL. */
void throttle_password_keys(struct throttle_keys *k, const char *email, const char *client,
			    const char *device);
/* A two-factor (or recovery) code attempt for the account email. */
void throttle_code_keys(struct throttle_keys *k, const char *email, const char *client);
/* Checks every key and, when none owes a wait, counts the attempt as a
 * failure on each, in one transaction. 0: go ahead; > 0: the seconds to
 * wait (nothing counted); -1: the store failed (refuse). */
long long throttle_begin(struct store *st, const struct throttle_keys *k, long long now);
/* The attempt turned out right: key[0] is cleared, the others get the
 * attempt back. */
void throttle_succeeded(struct store *st, const struct throttle_keys *k);
/* The attempt turned out wrong (already counted): logs it. */
void throttle_failed(struct store *st, const struct throttle_keys *k);

#endif
