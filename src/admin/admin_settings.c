/*
 * admin_settings: the settings an admin changes without a restart: the
 * comment rules (comments/comment_rules.h) and whether every account must
 * use two-factor sign-in. It also shows which embed providers gazette.conf
 * switched off (content/embed.h). They live in the database's settings table;
 * what needs a restart (site name, addresses, limits) stays in
 * gazette.conf. One form, one transaction, "site" logged so every cached
 * page with a comment form is rebuilt.
 */
#include "admin.h"
#include "../auth/guard.h"
#include "../comments/comment_rules.h"
#include "../content/embed.h"
#include "../render/template.h"
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

static void page(struct req *rq, struct resp *rs, int status, const struct comment_rules *r,
		 const char *const *errs)
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
	struct tv *embeds = tv_list(p); /* gazette.conf's embeds_off, shown */
	for (size_t i = 0; i < embed_count; i++) {
		struct tv *e = tv_obj(p);
		tv_put_str(e, "title", embed_providers[i].title);
		tv_put_bool(e, "on", rq->site->embeds >> i & 1u);
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
	page(rq, rs, 200, &r, errs);
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
	if (nerr) {
		page(rq, rs, 422, &r, errs);
		return;
	}
	const char *keys[] = { RULE_CLOSED, RULE_CLOSE_DAYS, RULE_MAX_LINKS, RULE_HOLD_WORDS,
			       RULE_REJECT_WORDS, RULE_REQUIRE_2FA };
	const char *vals[] = { r.closed ? "1" : "0", pool_printf(rq->pool, "%d", r.close_days),
			       pool_printf(rq->pool, "%d", r.max_links), r.hold_words,
			       r.reject_words, r.require_2fa ? "1" : "0" };
	int rc = store_begin(rq->store);
	if (!rc)
		rc = store_settings_put(rq->store, keys, vals, sizeof keys / sizeof keys[0]);
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Not saved", "The settings could not be saved.");
		return;
	}
	log_info("admin: %s changed the settings", rq->user->email);
	admin_done(rq, rs, "/admin/settings", "settings");
}
