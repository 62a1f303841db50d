/*
 * store_user: the users table seen from the newsroom (see store_user.h).
 * Roles are stored by name so the database reads plainly; an unknown name
 * reads as ROLE_NONE, which the capability table gives nothing.
 */
#include "store_user.h"
#include "store_int.h"

#include <stdio.h>
#include <time.h>

#define USER_COLS "id, name, slug, email, role, disabled, COALESCE(pass_hash, ''), totp_secret, created_at"

#define BY_EMAIL(e) "SELECT " USER_COLS " FROM users WHERE" NOCASE_EQ(e, "email", "?1")
static const struct sql_pair SQL_BY_EMAIL = SQL_PAIR(BY_EMAIL);
static const char SQL_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id = ?1";
static const char SQL_ALL[] = "SELECT " USER_COLS " FROM users ORDER BY name, id";
static const char SQL_INSERT[] =
	"INSERT INTO users(name, slug, email, bio, role, pass_hash, created_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, NULLIF(?6, ''), ?7) RETURNING id";
static const char SQL_SET_PASS[] = "UPDATE users SET pass_hash = ?2 WHERE id = ?1";
static const char SQL_SET_ROLE[] = "UPDATE users SET role = ?2 WHERE id = ?1";
static const char SQL_SET_DISABLED[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
static const char SQL_END_SESSIONS[] = "DELETE FROM sessions WHERE user_id = ?1";
static const char SQL_SET_TOTP[] = "UPDATE users SET totp_secret = ?2 WHERE id = ?1";
static const char SQL_TOTP_STEP[] =
	"UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2";
static const char SQL_CODES_CLEAR[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
static const char SQL_CODE_ADD[] =
	"INSERT INTO recovery_codes(user_id, code_hash) VALUES(?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_CODE_USE[] = "DELETE FROM recovery_codes WHERE user_id = ?1 AND code_hash = ?2";
static const char SQL_PROFILE[] =
	"SELECT " AUTHOR_COLS ", first_name, last_name FROM users WHERE id = ?1";
static const char SQL_SET_PROFILE[] =
	"UPDATE users SET name = ?2, bio = ?3, links = ?4, photo = ?5, photo_width = ?6,"
	" photo_height = ?7, first_name = ?8, last_name = ?9 WHERE id = ?1";
static const char SQL_COUNTS[] =
	"SELECT count(*), COALESCE(sum(role = 'admin' AND disabled = 0), 0) FROM users";

static void row_user(struct pool *p, dbq *s, void *e)
{
	struct user *u = e;
	u->id = q_col_int(s, 0);
	u->name = q_col_text(p, s, 1);
	u->slug = q_col_text(p, s, 2);
	u->email = q_col_text(p, s, 3);
	if (role_parse(q_col_str(s, 4), &u->role))
		u->role = ROLE_NONE;
	u->disabled = q_col_int(s, 5);
	u->pass_hash = q_col_text(p, s, 6);
	u->totp_secret = q_col_text(p, s, 7);
	u->created_at = q_col_int(s, 8);
}

int store_user_by_email(struct store *st, struct pool *p, const char *email, struct user *out)
{
	dbq *s = stmt_for(st, &SQL_BY_EMAIL);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, email);
	return one(st, p, s, row_user, out);
}

int store_user_by_id(struct store *st, struct pool *p, long long id, struct user *out)
{
	dbq *s = stmt(st, SQL_BY_ID);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_user, out);
}

int store_users_all(struct store *st, struct pool *p, struct user **out, size_t *n)
{
	dbq *s = stmt(st, SQL_ALL);
	return s ? collect(st, p, s, sizeof **out, row_user, (void **)out, n) : STORE_ERROR;
}

/* One insert for an account made here and a byline made by the importer
 * or the demo: STORE_OK, STORE_CONFLICT (slug or email taken; the caller
 * words the message) or STORE_ERROR. */
static int user_insert(struct store *st, const char *name, const char *slug, const char *email,
		       const char *bio, const char *role, const char *pass_hash, long long *id)
{
	dbq *s = stmt(st, SQL_INSERT);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, name);
	q_text(s, 2, slug);
	q_text(s, 3, email);
	q_text(s, 4, bio);
	q_text(s, 5, role);
	q_text(s, 6, pass_hash);
	q_int(s, 7, (long long)time(NULL));
	int rc = insert_id(st, s, id, "user insert");
	return rc == STORE_NOTFOUND ? STORE_ERROR : rc;
}

int store_user_create(struct store *st, const char *name, const char *slug, const char *email,
		      enum role role, const char *pass_hash, long long *id)
{
	int rc = user_insert(st, name, slug, email, "", role_name(role), pass_hash, id);
	if (rc == STORE_CONFLICT)
		snprintf(st->err, sizeof st->err, "an account with that email or name (%s) exists", slug);
	return rc;
}

int store_user_add(struct store *st, const char *name, const char *slug, const char *email,
		   const char *bio, const char *role, long long *id)
{
	int rc = user_insert(st, name, slug, email, bio, role, "", id);
	if (rc == STORE_CONFLICT)
		snprintf(st->err, sizeof st->err, "a user with slug %s or email %s exists", slug,
			 email);
	return rc;
}

static int set_text(struct store *st, const char *sql, long long id, const char *v)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, v);
	if (exec_step(st, s, "user update"))
		return STORE_ERROR;
	return q_changes(st) ? STORE_OK : STORE_NOTFOUND;
}

static int end_sessions(struct store *st, long long id)
{
	return exec_id(st, SQL_END_SESSIONS, id, "end sessions");
}

int store_user_set_password(struct store *st, long long id, const char *pass_hash)
{
	return set_text(st, SQL_SET_PASS, id, pass_hash);
}

int store_user_set_role(struct store *st, long long id, enum role role)
{
	return set_text(st, SQL_SET_ROLE, id, role_name(role));
}

int store_user_set_disabled(struct store *st, long long id, int disabled)
{
	dbq *s = stmt(st, SQL_SET_DISABLED);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, disabled ? 1 : 0);
	if (exec_step(st, s, "user disable"))
		return STORE_ERROR;
	if (!q_changes(st))
		return STORE_NOTFOUND;
	return disabled ? end_sessions(st, id) : STORE_OK;
}

int store_user_set_totp(struct store *st, long long id, const char *secret_b32)
{
	int rc = set_text(st, SQL_SET_TOTP, id, secret_b32);
	if (rc == STORE_OK && (!secret_b32 || !*secret_b32))
		rc = store_recovery_codes_set(st, id, NULL, 0);
	return rc;
}

int store_user_totp_step(struct store *st, long long id, long long step)
{
	dbq *s = stmt(st, SQL_TOTP_STEP);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, step);
	if (exec_step(st, s, "totp step"))
		return STORE_ERROR;
	return q_changes(st) == 1 ? STORE_OK : STORE_CONFLICT;
}

int store_recovery_codes_set(struct store *st, long long user_id, const char *const *hashes,
			     size_t n)
{
	dbq *s = stmt(st, SQL_CODES_CLEAR);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, user_id);
	if (exec_step(st, s, "recovery codes"))
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		if (!(s = stmt(st, SQL_CODE_ADD)))
			return STORE_ERROR;
		q_int(s, 1, user_id);
		q_text(s, 2, hashes[i]);
		if (exec_step(st, s, "recovery code"))
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_recovery_code_use(struct store *st, long long user_id, const char *hash)
{
	dbq *s = stmt(st, SQL_CODE_USE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, user_id);
	q_text(s, 2, hash);
	if (exec_step(st, s, "recovery code use"))
		return STORE_ERROR;
	return q_changes(st) ? STORE_OK : STORE_NOTFOUND;
}

int store_user_counts(struct store *st, size_t *all, size_t *admins)
{
	dbq *s = stmt(st, SQL_COUNTS);
	if (!s)
		return STORE_ERROR;
	int rc = q_step(s);
	if (rc == DB_ROW) {
		*all = (size_t)q_col_int(s, 0);
		*admins = (size_t)q_col_int(s, 1);
	}
	done(s);
	return rc == DB_ROW ? STORE_OK : fail(st, "user counts");
}

int store_user_profile(struct store *st, struct pool *p, long long id, struct author *out)
{
	dbq *s = stmt(st, SQL_PROFILE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_author, out);
}

int store_user_set_profile(struct store *st, long long id, const struct author *a)
{
	dbq *s = stmt(st, SQL_SET_PROFILE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_text(s, 2, a->name);
	q_text(s, 3, a->bio);
	q_text(s, 4, a->links);
	q_text(s, 5, a->photo);
	q_int(s, 6, a->photo_width);
	q_int(s, 7, a->photo_height);
	q_text(s, 8, a->first_name ? a->first_name : "");
	q_text(s, 9, a->last_name ? a->last_name : "");
	if (exec_step(st, s, "user profile"))
		return STORE_ERROR;
	if (q_changes(st) == 0)
		return STORE_NOTFOUND;
	/* the author page, and every story, list and feed with their byline */
	return store_touchf(st, "author:%lld", id);
}
