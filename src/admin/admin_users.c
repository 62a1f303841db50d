/*
 * admin_users: accounts (admins only) and each user's own account page:
 * password change, two-factor sign-in with recovery codes, and signing
 * out everywhere. A change that would leave the site without an enabled
 * admin is refused, so nobody locks the newsroom out by accident.
 */
#include "admin.h"
#include "../auth/password.h"
#include "../auth/roles.h"
#include "../auth/session.h"
#include "../auth/throttle.h"
#include "../auth/totp.h"
#include "../content/slug.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_mail.h"
#include "../store/store_session.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum uf { UF_NAME, UF_EMAIL, UF_ROLE, UF_PASSWORD, UF__MAX };

static const struct field_spec user_fields[UF__MAX] = {
	[UF_NAME] = { "name", 100, 1, "Please enter the person's name.",
		      "The name is too long: the limit is 100 bytes.", NULL, NULL },
	[UF_EMAIL] = { "email", 100, 1, "Please enter an email address.",
		       "The email address is too long: the limit is 100 bytes.", field_email,
		       "Please enter a valid email address." },
	[UF_ROLE] = { "role", 20, 1, "Choose a role.", "Choose a role.", NULL, NULL },
	[UF_PASSWORD] = { "password", PASSWORD_MAX_BYTES, 1, "Please choose a password.",
			  "The password must be at most 1024 bytes long.", NULL, NULL },
};

static void users_page(struct req *rq, struct resp *rs, int status, const char *const *vals,
		       const char *const *errs, const char *general)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, "Users", "/admin/users");
	struct user *v = NULL;
	size_t n = 0;
	store_users_all(rq->store, p, &v, &n);
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(p), *roles = tv_list(p);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "name", v[i].name);
		tv_put_str(o, "email", v[i].email);
		tv_put_str(o, "role", role_name(v[i].role));
		tv_put_bool(o, "disabled", v[i].disabled);
		tv_put_bool(o, "two_factor", *v[i].totp_secret != '\0');
		tv_put_bool(o, "has_password", *v[i].pass_hash != '\0');
		for (int r = ROLE_CONTRIBUTOR; r < ROLE__MAX; r++) {
			struct tv *ro = tv_obj(p);
			tv_put_str(ro, "name", role_name((enum role)r));
			tv_put_bool(ro, "selected", v[i].role == (enum role)r);
			tv_append(roles, ro);
		}
		tv_put(o, "roles", roles);
		tv_append(list, o);
	}
	tv_put(ctx, "users", list);
	struct tv *f = tv_obj(p);
	tv_put_str(f, "name", vals ? vals[UF_NAME] : "");
	tv_put_str(f, "email", vals ? vals[UF_EMAIL] : "");
	struct tv *errors = admin_error_list(p, errs ? errs : (const char *const[UF__MAX]){ 0 },
					     UF__MAX, general);
	tv_put(f, "errors", errors);
	tv_put_bool(f, "has_errors", tv_count(errors) > 0);
	tv_put(ctx, "add", f);
	admin_render(rq, rs, status, "admin-users", ctx);
}

void admin_users(struct req *rq, struct resp *rs)
{
	users_page(rq, rs, 200, NULL, NULL, NULL);
}

/* A slug for a new byline: from the name, made unique with -2, -3 ... */
static int create_user(struct req *rq, const char *name, const char *email, enum role role,
		       const char *hash, long long *id)
{
	char base[SLUG_MAX + 1];
	if (!slug_make(name, base, sizeof base))
		snprintf(base, sizeof base, "author");
	int rc = STORE_CONFLICT;
	for (int k = 1; rc == STORE_CONFLICT && k < 100; k++) {
		const char *slug = k == 1 ? base : pool_printf(rq->pool, "%.180s-%d", base, k);
		rc = store_user_create(rq->store, name, slug, email, role, hash, id);
		struct user u;
		if (rc == STORE_CONFLICT &&
		    store_user_by_email(rq->store, rq->pool, email, &u) == STORE_OK)
			return STORE_CONFLICT; /* the email is taken, not the slug */
	}
	return rc;
}

void admin_user_add(struct req *rq, struct resp *rs)
{
	struct field_val fv[UF__MAX];
	const char *vals[UF__MAX], *errs[UF__MAX];
	size_t nerr = form_validate(rq->pool, user_fields, UF__MAX, &rq->form, fv);
	for (int i = 0; i < UF__MAX; i++)
		vals[i] = fv[i].val, errs[i] = fv[i].error;
	enum role role = ROLE_NONE;
	if (!errs[UF_ROLE] && role_parse(vals[UF_ROLE], &role))
		errs[UF_ROLE] = "Choose a role.", nerr++;
	const char *email = pool_lower(rq->pool, vals[UF_EMAIL]);
	const char *pol = password_policy(vals[UF_PASSWORD], rq->site->cfg.site_name, email,
					  vals[UF_NAME]);
	if (!errs[UF_PASSWORD] && pol)
		errs[UF_PASSWORD] = pol, nerr++;
	if (nerr) {
		users_page(rq, rs, 422, vals, errs, NULL);
		return;
	}
	char hash[PASSWORD_HASH_MAX];
	long long id;
	if (password_hash(vals[UF_PASSWORD], hash)) {
		http_error(rq, rs, 503, "Not saved", "Out of memory hashing the password; try again.");
		return;
	}
	int rc = create_user(rq, vals[UF_NAME], email, role, hash, &id);
	if (rc) {
		users_page(rq, rs, 422, vals, errs,
			   rc == STORE_CONFLICT ? "An account with this email address already exists."
						: "The account could not be created.");
		return;
	}
	log_info("admin: %s added %s account %s", rq->user->email, role_name(role), email);
	admin_done(rq, rs, "/admin/users", "user-added");
}

void admin_user_change(struct req *rq, struct resp *rs)
{
	unsigned long long id;
	struct user u;
	if (num_parse_u64(rq->params[0], 1ULL << 62, &id) ||
	    store_user_by_id(rq->store, rq->pool, (long long)id, &u)) {
		http_error(rq, rs, 404, "Not found", "There is no such account.");
		return;
	}
	enum role role = u.role;
	const char *rname = kv_get(&rq->form, "role");
	if (rname && role_parse(rname, &role)) {
		users_page(rq, rs, 422, NULL, NULL, "Choose a role from the list.");
		return;
	}
	const char *dis = kv_get(&rq->form, "disabled");
	int disabled = dis ? strcmp(dis, "1") == 0 : u.disabled;
	int rc = store_begin(rq->store);
	if (!rc && role != u.role)
		rc = store_user_set_role(rq->store, u.id, role);
	if (!rc && disabled != u.disabled)
		rc = store_user_set_disabled(rq->store, u.id, disabled);
	size_t all = 0, admins = 0;
	if (!rc)
		rc = store_user_counts(rq->store, &all, &admins);
	if (!rc && admins == 0) {
		store_rollback(rq->store);
		users_page(rq, rs, 422, NULL, NULL,
			   "The site needs at least one enabled admin: make someone else an admin first.");
		return;
	}
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		http_error(rq, rs, 500, "Not saved", "The account could not be changed.");
		return;
	}
	log_info("admin: %s changed account %s: role %s%s", rq->user->email, u.email,
		 role_name(role), disabled ? ", disabled" : "");
	admin_done(rq, rs, "/admin/users", "user-changed");
}

/* ---- the user's own account ---- */

static void account_page(struct req *rq, struct resp *rs, int status, const char *error,
			 const char *new_secret, struct tv *codes)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, "Your account", "/admin/account");
	const struct user *u = rq->user;
	tv_put_bool(ctx, "two_factor", *u->totp_secret != '\0');
	int digest = 0;
	store_mail_digest_of(rq->store, u->id, &digest); /* unread: a mail per event */
	tv_put_bool(ctx, "mail_digest", digest);
	struct author me;
	if (store_user_profile(rq->store, p, u->id, &me) == STORE_OK)
		admin_profile_put(rq, ctx, &me, "/admin/account/profile", NULL);
	if (error)
		tv_put_str(ctx, "error", error);
	if (new_secret) {
		struct buf b;
		buf_init(&b, 0);
		buf_puts(&b, "otpauth://totp/");
		url_path(&b, rq->site->cfg.site_name);
		buf_puts(&b, ":");
		url_path(&b, u->email);
		buf_printf(&b, "?secret=%s&issuer=", new_secret);
		url_query(&b, rq->site->cfg.site_name);
		tv_put_str(ctx, "secret", new_secret);
		tv_put_str(ctx, "otpauth", pool_strdup(p, buf_str(&b)));
		buf_release(&b);
	}
	if (codes)
		tv_put(ctx, "recovery_codes", codes);
	tv_put_bool(ctx, "has_codes", codes != NULL);
	admin_render(rq, rs, status, "admin-account", ctx);
}

void admin_account(struct req *rq, struct resp *rs)
{
	char secret[TOTP_SECRET_B32];
	totp_secret_new(secret);
	account_page(rq, rs, 200, NULL, *rq->user->totp_secret ? NULL : secret, NULL);
}

/* The account's e-mail choice (mail/mail.h): a mail per event, or one
 * daily digest. */
void admin_account_mail(struct req *rq, struct resp *rs)
{
	const char *v = kv_get(&rq->form, "mail");
	if (!v || (strcmp(v, "each") && strcmp(v, "digest"))) {
		account_page(rq, rs, 422, "Choose one mail per event or a daily digest.", NULL, NULL);
		return;
	}
	if (store_mail_digest_set(rq->store, rq->user->id, !strcmp(v, "digest"))) {
		http_error(rq, rs, 500, "Not saved", "Your e-mail choice could not be saved.");
		return;
	}
	log_info("admin: %s chose %s e-mail", rq->user->email, v);
	admin_done(rq, rs, "/admin/account", "mail");
}

void admin_account_password(struct req *rq, struct resp *rs)
{
	const struct user *u = rq->user;
	const char *cur = kv_get(&rq->form, "current"), *pw = kv_get(&rq->form, "password");
	if (!password_verify(u->pass_hash, cur ? cur : "")) {
		account_page(rq, rs, 403, "Your current password is not right.", NULL, NULL);
		return;
	}
	const char *pol = password_policy(pw, rq->site->cfg.site_name, u->email, u->name);
	char hash[PASSWORD_HASH_MAX];
	if (pol || password_hash(pw, hash)) {
		account_page(rq, rs, 422, pol ? pol : "The password could not be saved.", NULL, NULL);
		return;
	}
	if (store_user_set_password(rq->store, u->id, hash) ||
	    store_sessions_delete_user(rq->store, u->id, NULL) || session_start(rq, rs, u)) {
		http_error(rq, rs, 500, "Not saved", "The password could not be saved.");
		return;
	}
	log_info("admin: %s changed their password", u->email);
	admin_done(rq, rs, "/admin/account", "password");
}

/* A code of the account's current key, counted on the sign-in's code
 * throttle (a borrowed session must not guess six digits at leisure):
 * its time step, or -1 with the answer in rs (wrong: 403 with `wrong`;
 * too many: 429). The step is used up. */
static long long current_code(struct req *rq, struct resp *rs, const char *code,
			      const char *wrong)
{
	const struct user *u = rq->user;
	long long now = (long long)time(NULL);
	struct throttle_keys k;
	throttle_code_keys(&k, u->email, rq->client_key);
	long long wait = throttle_begin(rq->store, &k, now);
	if (wait) {
		if (wait > 0)
			resp_header(rs, "Retry-After", pool_printf(rq->pool, "%lld", wait));
		account_page(rq, rs, wait > 0 ? 429 : 503,
			     wait > 0 ? pool_printf(rq->pool, "Too many wrong codes. For your "
							      "security, please wait %lld seconds.",
						    wait)
				      : "Codes cannot be checked right now. Please try again.",
			     NULL, NULL);
		return -1;
	}
	long long step = code ? totp_match(u->totp_secret, code, now) : -1;
	if (step < 0 || store_user_totp_step(rq->store, u->id, step) != STORE_OK) {
		throttle_failed(rq->store, &k);
		account_page(rq, rs, 403, wrong, NULL, NULL);
		return -1;
	}
	throttle_succeeded(rq->store, &k);
	return step;
}

void admin_account_2fa(struct req *rq, struct resp *rs)
{
	const struct user *u = rq->user;
	const char *action = kv_get(&rq->form, "action");
	const char *code = kv_get(&rq->form, "code");
	long long now = (long long)time(NULL);
	if (action && strcmp(action, "disable") == 0) {
		if (current_code(rq, rs, code, "That code is not right: two-factor sign-in is still on.") < 0)
			return;
		store_user_set_totp(rq->store, u->id, "");
		log_info("admin: %s turned two-factor sign-in off", u->email);
		admin_done(rq, rs, "/admin/account", "2fa-off");
		return;
	}
	long long cur = -1; /* the step of the current key's code, when replacing */
	/* replacing a key takes the current one: a borrowed session must not
	 * move the second factor to another phone */
	if (*u->totp_secret &&
	    (cur = current_code(rq, rs, kv_get(&rq->form, "current_code"),
				"To replace your two-factor key, enter a code from the app you use "
				"now.")) < 0) {
		log_info("admin: %s tried to replace the two-factor key without a current code",
			 u->email);
		return;
	}
	const char *secret = kv_get(&rq->form, "secret");
	unsigned char key[64];
	long long step = secret ? totp_match(secret, code, now) : -1;
	/* each step is used once per account; the new key's code may share
	 * the step the current key's code just used */
	if (!secret || base32_decode(secret, key, sizeof key) != TOTP_SECRET_BYTES || step < 0 ||
	    (step > cur && store_user_totp_step(rq->store, u->id, step) != STORE_OK)) {
		account_page(rq, rs, 422,
			     "That code does not match: check the time on your phone and try the new "
			     "code.",
			     secret && strlen(secret) < TOTP_SECRET_B32 ? pool_strdup(rq->pool, secret) : NULL,
			     NULL);
		return;
	}
	const char *hashes[TOTP_RECOVERY_CODES];
	struct tv *codes = tv_list(rq->pool);
	for (int i = 0; i < TOTP_RECOVERY_CODES; i++) {
		char c[TOTP_RECOVERY_LEN + 1], h[65];
		totp_recovery_new(c);
		totp_recovery_hash(c, h);
		hashes[i] = pool_strdup(rq->pool, h);
		struct tv *o = tv_obj(rq->pool);
		tv_put_str(o, "code", pool_strdup(rq->pool, c));
		tv_append(codes, o);
	}
	int rc = store_begin(rq->store);
	if (!rc)
		rc = store_user_set_totp(rq->store, u->id, secret);
	if (!rc)
		rc = store_recovery_codes_set(rq->store, u->id, hashes, TOTP_RECOVERY_CODES);
	if (!rc) /* whoever else was signed in signs in again, with the code */
		rc = store_sessions_delete_user(rq->store, u->id, rq->session_id);
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		http_error(rq, rs, 500, "Not saved", "Two-factor sign-in could not be turned on.");
		return;
	}
	log_info("admin: %s turned two-factor sign-in on", u->email);
	struct user *nu = pool_alloc(rq->pool, sizeof *nu);
	*nu = *u;
	nu->totp_secret = secret;
	rq->user = nu;
	account_page(rq, rs, 200, NULL, NULL, codes);
}
