/*
 * store_user: accounts as the newsroom sees them: role, password hash,
 * disabled flag, two-factor secret and recovery codes. (The reader's side
 * of a user, the byline, is struct author in store.h.)
 */
#ifndef GZ_STORE_USER_H
#define GZ_STORE_USER_H

#include "store.h"

struct user {
	long long id;
	const char *name, *slug, *email;
	enum role role;
	int disabled;
	const char *pass_hash;     /* "" when the account has no password */
	const char *totp_secret;   /* base32, "" when two-factor is off */
	long long created_at;
};

int store_user_by_email(struct store *st, struct pool *p, const char *email, struct user *out);
int store_user_by_id(struct store *st, struct pool *p, long long id, struct user *out);
/* Every account, by name. */
int store_users_all(struct store *st, struct pool *p, struct user **out, size_t *n);
/* Creates an account (slug must be unique: STORE_CONFLICT otherwise). */
int store_user_create(struct store *st, const char *name, const char *slug, const char *email,
		      enum role role, const char *pass_hash, long long *id);
int store_user_set_password(struct store *st, long long id, const char *pass_hash);
/* Role and disabled flag; disabling also ends the account's sessions. A
 * byline's role is not shown, so no page changes. */
int store_user_set_role(struct store *st, long long id, enum role role);
int store_user_set_disabled(struct store *st, long long id, int disabled);
/* Two-factor: the secret ("" turns it off, with the recovery codes), and
 * the recovery codes' hashes (replacing all earlier ones). */
int store_user_set_totp(struct store *st, long long id, const char *secret_b32);
/* Records that the code of TOTP time step `step` was used: STORE_OK the
 * first time, STORE_CONFLICT for that step or an earlier one (a replayed
 * code, RFC 6238 section 5.2). */
int store_user_totp_step(struct store *st, long long id, long long step);
int store_recovery_codes_set(struct store *st, long long user_id, const char *const *hashes,
			     size_t n);
/* Uses up a recovery code: STORE_OK when it existed (it is gone now),
 * STORE_NOTFOUND when not. */
int store_recovery_code_use(struct store *st, long long user_id, const char *hash);
/* A user's byline as the author page shows it: name, bio, photo, links;
 * and the first and last names (kept for the WordPress export). */
int store_user_profile(struct store *st, struct pool *p, long long id, struct author *out);
/* Sets name, bio, links, photo (path "" for none, its pixel size) and the
 * first and last names (NULL as "").
 * Logs author:ID: the author page and every byline of theirs. */
int store_user_set_profile(struct store *st, long long id, const struct author *a);
/* The number of accounts (any role) and of enabled admins. */
int store_user_counts(struct store *st, size_t *all, size_t *admins);

#endif
