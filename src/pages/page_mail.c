/*
 * page_mail: the signed links e-mails carry (mail/mail_link.h):
 *   /mail/approve/KEY, /mail/spam/KEY a held comment (moderators' mail; KEY
 *                                     names the comment, never a later one:
 *                                     store_mail_comment_key)
 *   /mail/confirm/ID                  a reader's reply subscription (double opt-in)
 *   /mail/unsubscribe/ID              stop it (RFC 8058 one-click)
 * The one design decision: a GET only shows a page with a button (mail
 * scanners and link previews follow links: a GET that acted would approve
 * comments and confirm subscriptions nobody asked for); its POST acts. The
 * signature is the authority (no session, no CSRF token: a mail client's
 * one-click POST has neither); approve, spam and confirm links are spent
 * in the transaction that acts, so a second use is refused (409).
 * Unsubscribing is idempotent and may be repeated.
 */
#include "pages.h"
#include "../mail/mail_link.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_mail.h"
#include "../store/store_moderation.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>
#include <time.h>

/* words: the locale's key prefix of the action's page (the theme's
 * locale/LANG.conf: mail_approve_title, _ask, _button, _done), in the
 * site's language, moderators' pages as readers'. */
struct mail_action {
	const char *name, *words;
	int once;
};

static const struct mail_action actions[] = {
	{ "approve", "mail_approve", 1 },
	{ "spam", "mail_spam", 1 },
	{ "confirm", "mail_confirm", 1 },
	{ "unsubscribe", "mail_unsubscribe", 0 },
};

/* The site's words for key (en.conf underneath: never missing). */
static const char *word(const struct req *rq, const char *key)
{
	const char *w = locale_get(&rq->site->locale, key);
	return w ? w : key;
}

/* One of an action's texts: part "title", "ask", "button" or "done". */
static const char *text(const struct req *rq, const struct mail_action *a, const char *part)
{
	return word(rq, pool_printf(rq->pool, "%s_%s", a->words, part));
}

struct link {
	const struct mail_action *a;
	long long id, expiry;
	const char *sig;
};

/* The action, row and signature a request names: 0, or -1 answered. */
static int read_link(struct req *rq, struct resp *rs, struct link *l)
{
	const char *x = kv_get(&rq->form, "x"), *s = kv_get(&rq->form, "s");
	if (!x || !s) {
		x = kv_get(&rq->query, "x");
		s = kv_get(&rq->query, "s");
	}
	unsigned long long id, expiry;
	l->a = NULL;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (!strcmp(rq->params[0], actions[i].name))
			l->a = &actions[i];
	rs->cache_control = "private, no-store";
	if (!l->a || num_parse_u64(rq->params[1], 1ULL << 62, &id) || !x ||
	    num_parse_u64(x, 1ULL << 62, &expiry) ||
	    !mail_link_ok(rq->site, l->a->name, (long long)id, (long long)expiry, s,
			  (long long)time(NULL))) {
		http_error(rq, rs, 404, word(rq, "mail_link_bad_title"),
			   word(rq, "mail_link_bad"));
		return -1;
	}
	l->id = (long long)id;
	l->expiry = (long long)expiry;
	l->sig = s;
	return 0;
}

static void show(struct req *rq, struct resp *rs, int status, const struct link *l,
		 const char *title, const char *message, int button)
{
	struct tv *ctx = page_ctx(rq, title, NULL, NULL);
	struct tv *m = tv_obj(rq->pool);
	tv_put_str(m, "title", title);
	tv_put_str(m, "message", message);
	if (button) {
		tv_put_str(m, "action_url", pool_printf(rq->pool, "/mail/%s/%lld", l->a->name, l->id));
		tv_put_str(m, "x", pool_lld(rq->pool, l->expiry));
		tv_put_str(m, "s", l->sig);
		tv_put_str(m, "button", text(rq, l->a, "button"));
	}
	tv_put(ctx, "mail", m);
	rs->cache_control = "private, no-store";
	page_render(rq, rs, status, "mail-action", ctx);
}

void page_mail_form(struct req *rq, struct resp *rs)
{
	struct link l;
	if (read_link(rq, rs, &l) == 0)
		show(rq, rs, 200, &l, text(rq, l.a, "title"), text(rq, l.a, "ask"), 1);
}

/* The action on its row, in the caller's transaction: STORE_OK, or
 * STORE_CONFLICT when there is nothing left to do (moderated already). */
static int act(struct req *rq, const struct link *l, long long now)
{
	struct store *st = rq->store;
	struct mail_sub sub;
	int is_confirm = !strcmp(l->a->name, "confirm");
	if (is_confirm || !strcmp(l->a->name, "unsubscribe")) {
		int rc = store_mail_sub_get(st, rq->pool, l->id, &sub); /* gone with its comment? */
		if (rc)
			return rc;
		return is_confirm ? store_mail_sub_confirm(st, l->id, now)
				  : store_mail_sub_stop(st, l->id, now);
	}
	struct mod_comment c;
	long long id = 0;
	int rc = store_mail_comment_of(st, l->id, &id); /* the link names this comment's key */
	if (!rc)
		rc = store_mod_get(st, rq->pool, id, &c);
	if (rc)
		return rc;
	if (c.c.status != COMMENT_PENDING)
		return STORE_CONFLICT;
	return store_mod_set_status(st, id,
				    !strcmp(l->a->name, "approve") ? COMMENT_APPROVED : COMMENT_SPAM, now);
}

void page_mail_post(struct req *rq, struct resp *rs)
{
	struct link l;
	if (read_link(rq, rs, &l))
		return;
	long long now = (long long)time(NULL);
	int rc = store_begin(rq->store);
	if (!rc && l.a->once)
		rc = store_mail_link_use(rq->store, pool_printf(rq->pool, "%s:%lld:%s", l.a->name, l.id, l.sig), now);
	if (!rc)
		rc = act(rq, &l, now);
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		if (rc == STORE_CONFLICT)
			show(rq, rs, 409, &l, word(rq, "mail_link_used_title"), word(rq, "mail_link_used"),
			     0);
		else if (rc == STORE_NOTFOUND)
			show(rq, rs, 404, &l, word(rq, "mail_gone_title"), word(rq, "mail_gone"), 0);
		else {
			log_error("%s: %s", rq->uri, store_errmsg(rq->store));
			http_error(rq, rs, 500, "Not changed", "Nothing was changed. Please try again.");
		}
		return;
	}
	log_info("mail link: %s %lld", l.a->name, l.id);
	show(rq, rs, 200, &l, text(rq, l.a, "done"), "", 0);
}
