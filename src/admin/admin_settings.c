/*
 * admin_settings: the settings an admin changes without a restart: the
 * comment rules (comments/comment_rules.h), whether every account must
 * use two-factor sign-in, and which embed providers are on (content/embed.h;
 * gazette.conf's `embeds_off` switches one off for good, the checkbox
 * here for now). They live in the database's settings table;
 * what needs a restart (site name, addresses, limits) stays in
 * gazette.conf. One form, one transaction, "site" logged so every cached
 * page with a comment form is rebuilt.
 */
#include "admin.h"
#include "../auth/guard.h"
#include "../comments/comment_rules.h"
#include "../content/embed.h"
#include "../render/template.h"
#include "../http/secure.h"
#include "../site/site.h"
#include "../store/store_user.h"
#include "../store/store_moderation.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <stdlib.h>
#include <string.h>

enum sf { SF_CLOSE_DAYS, SF_MAX_LINKS, SF_HOLD, SF_REJECT, SF__MAX };

static int field_small_uint(const char *s)
{
	return strlen(s) <= 6 && field_uint(s);
}

static const struct field_spec fields[SF__MAX] = {
	[SF_CLOSE_DAYS] = { "close_days", 6, 0, NULL, "Give a number of days (0 for never).",
			    field_small_uint, "Give a number of days (0 for never)." },
	[SF_MAX_LINKS] = { "max_links", 6, 0, NULL, "Give a number of links (0 for no limit).",
			   field_small_uint, "Give a number of links (0 for no limit)." },
	[SF_HOLD] = { "hold_words", 20000, 0, NULL, "The list is too long: the limit is 20,000 bytes.",
		      NULL, NULL },
	[SF_REJECT] = { "reject_words", 20000, 0, NULL,
			"The list is too long: the limit is 20,000 bytes.", NULL, NULL },
};

#define SETTING_EMBEDS_OFF "embeds_off"

/* The providers on: gazette.conf's, less the setting's (names that are
 * not providers any more are ignored). */
static unsigned embeds_setting(const struct site *site, struct store *st, struct pool *p)
{
	const char *off_text = NULL;
	unsigned off = 0;
	if (store_setting_get(st, p, SETTING_EMBEDS_OFF, &off_text) != 0 || !off_text)
		off_text = "";
	for (const char *w = off_text; *w;) {
		size_t n = strcspn(w, " ");
		int i = embed_index(w, n);
		if (i >= 0)
			off |= 1u << i;
		w += n;
		w += strspn(w, " ");
	}
	return site->embeds & ~off;
}

void admin_csp_apply(const struct site *site, struct store *st)
{
	struct pool *p = pool_new();
	struct buf b[SECURE_SRC__MAX];
	const char *src[SECURE_SRC__MAX];
	int err = 0;
	unsigned on = embeds_setting(site, st, p);
	site_embeds_set(site, on);
	for (int i = 0; i < SECURE_SRC__MAX; i++)
		buf_init(&b[i], 0);
	embed_frame_src(on, &b[SECURE_SRC_FRAME]);
	admin_slot_sources(st, p, b);
	for (int i = 0; i < SECURE_SRC__MAX; i++) {
		err |= b[i].err;
		src[i] = buf_str(&b[i]);
	}
	if (err || secure_set_public(src))
		log_error("csp: the providers' hosts and the declared origins do not fit the CSP: "
			  "none allowed");
	for (int i = 0; i < SECURE_SRC__MAX; i++)
		buf_release(&b[i]);
	pool_free(p);
}

/* Runs fn in one transaction; 0, or -1 with a 500 answered. With csp,
 * the public policy the change makes is put in force before the commit
 * (read inside the transaction): a page rebuilt once the commit's "site"
 * tag is seen must be built under it, since a cached page keeps the CSP
 * of its prebuilt response. A failed commit puts the old one back. */
int admin_csp_txn(struct req *rq, struct resp *rs, int (*fn)(struct req *rq, void *arg), void *arg,
		  int csp)
{
	int rc = store_begin(rq->store);
	if (!rc)
		rc = fn(rq, arg);
	if (!rc && csp)
		admin_csp_apply(rq->site, rq->store);
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		if (csp)
			admin_csp_apply(rq->site, rq->store);
		http_error(rq, rs, 500, "Not saved", "The change could not be saved.");
		return -1;
	}
	return 0;
}

static void page(struct req *rq, struct resp *rs, int status, const struct comment_rules *r,
		 unsigned embeds_on, const char *const *errs)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, "Settings", "/admin/settings");
	struct tv *s = tv_obj(p);
	tv_put_bool(s, "closed", r->closed);
	tv_put_int(s, "close_days", r->close_days);
	tv_put_int(s, "max_links", r->max_links);
	tv_put_str(s, "hold_words", r->hold_words);
	tv_put_str(s, "reject_words", r->reject_words);
	tv_put_bool(s, "require_2fa", r->require_2fa);
	tv_put_bool(s, "conf_open", rq->site->cfg.comments_open);
	tv_put_int(s, "max_depth", rq->site->cfg.comment_max_depth);
	tv_put_bool(s, "auto_approve", rq->site->cfg.comment_auto_approve_known);
	struct tv *embeds = tv_list(p);
	for (size_t i = 0; i < embed_count; i++) {
		struct tv *e = tv_obj(p);
		tv_put_str(e, "name", embed_providers[i].name);
		tv_put_str(e, "title", embed_providers[i].title);
		tv_put_bool(e, "on", embeds_on >> i & 1u);
		tv_put_bool(e, "conf_off", !(rq->site->embeds >> i & 1u));
		tv_append(embeds, e);
	}
	tv_put(s, "embeds", embeds);
	struct tv *errors = admin_error_list(p, errs, SF__MAX, NULL);
	tv_put(s, "errors", errors);
	tv_put_bool(s, "has_errors", tv_count(errors) > 0);
	tv_put(ctx, "settings", s);
	admin_render(rq, rs, status, "admin-settings", ctx);
}

void admin_settings(struct req *rq, struct resp *rs)
{
	struct comment_rules r;
	const char *errs[SF__MAX] = { 0 };
	comment_rules_load(rq->store, rq->pool, &r);
	page(rq, rs, 200, &r, embeds_setting(rq->site, rq->store, rq->pool), errs);
}

struct settings_put {
	const char *const *keys;
	const char *const *vals;
	size_t n;
};

static int settings_put(struct req *rq, void *arg)
{
	const struct settings_put *s = arg;
	return store_settings_put(rq->store, s->keys, s->vals, s->n);
}

void admin_settings_save(struct req *rq, struct resp *rs)
{
	struct field_val fv[SF__MAX];
	const char *errs[SF__MAX];
	size_t nerr = form_validate(rq->pool, fields, SF__MAX, &rq->form, fv);
	for (int i = 0; i < SF__MAX; i++)
		errs[i] = fv[i].error;
	struct comment_rules r = {
		.closed = kv_get(&rq->form, "closed") != NULL,
		.require_2fa = kv_get(&rq->form, "require_2fa") != NULL,
		.close_days = atoi(fv[SF_CLOSE_DAYS].val),
		.max_links = atoi(fv[SF_MAX_LINKS].val),
		.hold_words = fv[SF_HOLD].val,
		.reject_words = fv[SF_REJECT].val,
	};
	/* a provider is on when its box is ticked; one gazette.conf switched
	 * off has no box and stays off */
	unsigned embeds_on = 0;
	struct buf off;
	buf_init(&off, 0);
	for (size_t i = 0; i < embed_count; i++) {
		const char *name = embed_providers[i].name;
		if (kv_get(&rq->form, pool_printf(rq->pool, "embed_%s", name)))
			embeds_on |= 1u << i;
		else
			buf_printf(&off, "%s%s", off.len ? " " : "", name);
	}
	embeds_on &= rq->site->embeds;
	const char *embeds_off = pool_strdup(rq->pool, buf_str(&off));
	buf_release(&off);
	if (nerr) {
		page(rq, rs, 422, &r, embeds_on, errs);
		return;
	}
	const char *keys[] = { RULE_CLOSED, RULE_CLOSE_DAYS, RULE_MAX_LINKS, RULE_HOLD_WORDS,
			       RULE_REJECT_WORDS, RULE_REQUIRE_2FA, SETTING_EMBEDS_OFF };
	const char *vals[] = { r.closed ? "1" : "0", pool_printf(rq->pool, "%d", r.close_days),
			       pool_printf(rq->pool, "%d", r.max_links), r.hold_words,
			       r.reject_words, r.require_2fa ? "1" : "0", embeds_off };
	struct settings_put put = { keys, vals, sizeof keys / sizeof keys[0] };
	if (admin_csp_txn(rq, rs, settings_put, &put, 1))
		return;
	log_info("admin: %s changed the settings (embeds off: %s)", rq->user->email,
		 *embeds_off ? embeds_off : "none");
	admin_done(rq, rs, "/admin/settings", "settings");
}
