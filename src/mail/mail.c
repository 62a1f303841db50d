/*
 * mail: events into messages, and the queue to the relay (see mail.h).
 */
#include "mail.h"
#include "mail_link.h"
#include "mail_msg.h"
#include "mail_relay.h"
#include "../auth/roles.h"
#include "../site/site.h"
#include "../site/url.h"
#include "../store/store_duty.h"
#include "../store/store_mail.h"
#include "../store/store_moderation.h"
#include "../util/buf.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *mail_from(const struct site *site, char *out, unsigned size)
{
	if (*site->cfg.smtp_from) {
		snprintf(out, size, "%s", site->cfg.smtp_from);
		return out;
	}
	const char *host = strstr(site->cfg.base_url, "://");
	host = host ? host + 3 : site->cfg.base_url;
	int n = (int)strcspn(host, ":/");
	snprintf(out, size, "gazette@%.*s", n, host);
	return out;
}

/* What one event says, to whom it goes and how. */
struct note {
	const char *to;          /* one reader (confirm, reply); NULL: staff */
	const char *subject, *body;
	const char *line;        /* the digest's line for staff */
	const char *unsubscribe; /* a reader's List-Unsubscribe URL */
	long long story_author;  /* staff: the story's author (held: may moderate own) */
	enum cap cap;            /* staff: who gets it */
	long long skip_user;     /* staff: not this account (who caused it) */
};

static int enqueue(struct store *st, const struct site *site, const char *to,
		   const struct note *n, const char *subject, const char *body, long long now)
{
	char from[256], err[200];
	struct mail_msg m = { site->cfg.site_name, mail_from(site, from, sizeof from), to, subject,
			      body, n ? n->unsubscribe : NULL, now };
	struct buf h = BUF_INIT, b = BUF_INIT;
	int rc = STORE_OK;
	if (mail_msg_format(&m, &h, &b, err, sizeof err))
		log_error("mail: not queued for %s: %s", to, err); /* a bad address: dropped */
	else
		rc = store_mail_enqueue(st, to, buf_str(&h), buf_str(&b), now);
	buf_release(&h);
	buf_release(&b);
	return rc;
}

static int for_staff(struct store *st, const struct site *site, struct pool *p,
		     const struct note *n, long long now)
{
	struct mail_person *v;
	size_t k;
	int rc = store_mail_staff(st, p, &v, &k);
	for (size_t i = 0; rc == STORE_OK && i < k; i++) {
		int own = n->story_author && v[i].id == n->story_author;
		int wants = n->cap == CAP_COMMENT_ALL ? role_may_moderate(v[i].role, own)
						      : role_can(v[i].role, n->cap);
		if (!wants || v[i].id == n->skip_user)
			continue;
		rc = v[i].digest ? store_mail_digest_add(st, v[i].id, n->line, now)
				 : enqueue(st, site, v[i].email, n, n->subject, n->body, now);
	}
	return rc;
}

/* Words in the site's language (en.conf underneath: never missing). */
static const char *word(const struct site *site, const char *key)
{
	const char *w = locale_get(&site->locale, key);
	return w ? w : key;
}

/* The words of key with {n} filled. */
static const char *fill(struct pool *p, const struct site *site, const char *key, const char *n)
{
	return locale_fill(p, word(site, key), n);
}

static int note_review(struct store *st, const struct site *site, struct pool *p, long long id,
		       struct note *n)
{
	const char *title;
	int rc = store_mail_story(st, p, id, &title, &n->story_author);
	if (rc)
		return rc;
	const char *url = pool_printf(p, "%s/admin/stories/%lld", site->cfg.base_url, id);
	n->cap = CAP_STORY_OTHERS;
	n->skip_user = n->story_author;
	const char *what = fill(p, site, "mail_review_subject", title);
	n->subject = pool_printf(p, "[%s] %s", site->cfg.site_name, what);
	n->body = pool_printf(p, "%s\n\n  %s\n\n%s %s\n", word(site, "mail_review_intro"), title,
			      word(site, "mail_review_link"), url);
	n->line = pool_printf(p, "%s\n  %s", what, url);
	return STORE_OK;
}

static int note_held(struct store *st, const struct site *site, struct pool *p, long long id,
		     long long now, struct note *n)
{
	struct mod_comment c;
	int rc = store_mod_get(st, p, id, &c);
	if (rc)
		return rc;
	if (c.c.status != COMMENT_PENDING)
		return STORE_NOTFOUND; /* moderated already */
	long long until = now + MAIL_LINK_DAYS * 86400LL, key;
	rc = store_mail_comment_key(st, id, &key);
	if (rc)
		return rc;
	const char *queue = pool_printf(p, "%s/admin/comments?status=pending", site->cfg.base_url);
	n->cap = CAP_COMMENT_ALL;
	n->story_author = c.story_author_id;
	n->subject = pool_printf(p, "[%s] %s", site->cfg.site_name,
				 fill(p, site, "mail_held_subject", c.story_title));
	n->body = pool_printf(p, "%s\n\n%s %s <%s>\n\n%s\n\n%s %s\n%s %s\n%s\n\n%s %s\n",
		fill(p, site, "mail_held_intro", c.story_title), word(site, "mail_held_from"),
		c.c.author, c.c.email, c.c.body,
		word(site, "mail_held_approve"), mail_link(p, site, "approve", key, until),
		word(site, "mail_held_spam"), mail_link(p, site, "spam", key, until),
		fill(p, site, "mail_held_note", pool_lld(p, MAIL_LINK_DAYS)),
		word(site, "mail_held_queue"), queue);
	n->line = pool_printf(p, "%s %s\n  %s", fill(p, site, "mail_held_line", c.story_title),
			      fill(p, site, "mail_held_by", c.c.author), queue);
	return STORE_OK;
}

static const char *story_url(struct pool *p, const struct site *site, const struct mod_comment *c)
{
	struct story s = { .slug = c->story_slug, .published_at = c->story_published_at };
	return pool_printf(p, "%s%s#comment-%lld", site->cfg.base_url, story_path(p, &s), c->c.id);
}

static int note_reply(struct store *st, const struct site *site, struct pool *p, long long id,
		      long long now, struct note *n)
{
	struct mod_comment c, parent;
	struct mail_sub sub;
	int rc = store_mod_get(st, p, id, &c);
	if (!rc && c.c.status != COMMENT_APPROVED)
		rc = STORE_NOTFOUND;
	if (!rc)
		rc = store_mod_get(st, p, c.c.parent_id, &parent);
	if (!rc)
		rc = store_mail_sub_of(st, p, c.c.parent_id, &sub);
	if (rc)
		return rc;
	if (!sub.confirmed_at || sub.stopped_at || !strcasecmp(sub.email, c.c.email))
		return STORE_NOTFOUND; /* not (or no longer) wanted, or their own reply */
	rc = store_mail_replied(st, id, now);
	if (rc)
		return rc == STORE_CONFLICT ? STORE_NOTFOUND : rc; /* mailed when first approved */
	n->to = sub.email;
	n->unsubscribe = mail_link(p, site, "unsubscribe", sub.id, 0);
	n->subject = pool_printf(p, "[%s] %s", site->cfg.site_name,
				 fill(p, site, "mail_reply_subject", c.story_title));
	n->body = pool_printf(p, "%s\n\n%s\n\n%s %s\n\n%s %s\n",
			      fill(p, site, "mail_reply_intro", c.c.author), c.c.body,
			      word(site, "mail_reply_read"), story_url(p, site, &c),
			      word(site, "mail_reply_stop"), n->unsubscribe);
	return STORE_OK;
}

/* One confirmation mail to an address: a link for each subscription
 * asked for there since the last (the newest MAIL_CONFIRM_LINKS; more in
 * so short a time is someone else typing the address). */
static int confirm_mail(struct store *st, const struct site *site, struct pool *p,
		       const char *email, long long now)
{
	struct mail_sub *v;
	size_t k;
	int rc = store_mail_sub_waiting(st, p, email, MAIL_CONFIRM_LINKS, &v, &k);
	if (rc || !k)
		return rc;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n\n", word(site, "mail_confirm_intro"));
	for (size_t i = 0; i < k; i++)
		buf_printf(&b, "%s %s\n\n", word(site, "mail_confirm_link"),
			   mail_link(p, site, "confirm", v[i].id, 0));
	buf_printf(&b, "%s\n", word(site, "mail_confirm_note"));
	const char *subject = pool_printf(p, "[%s] %s", site->cfg.site_name,
					  word(site, "mail_confirm_subject"));
	rc = enqueue(st, site, v[k - 1].email, NULL, subject, buf_str(&b), now);
	buf_release(&b);
	return rc ? rc : store_mail_sub_mailed(st, email, now);
}

/* Confirmations due: at most one mail per address per MAIL_CONFIRM_GAP
 * and MAIL_CONFIRM_DAY a day, so a reader who asks again gets theirs a
 * few minutes later, and nobody can make an address a mail bomb's target
 * (a stranger typing it in the form reaches it a few times a day at
 * most; what is asked beyond waits, and lapses after MAIL_CONFIRM_WITHIN). */
static int confirmations(struct store *st, const struct site *site, struct pool *p,
			 long long now)
{
	const char **to;
	size_t k;
	int rc = store_mail_confirm_due(st, p, now - MAIL_CONFIRM_GAP, now - MAIL_CONFIRM_WITHIN,
					now - 86400, MAIL_CONFIRM_DAY, MAIL_EVENTS_BATCH, &to, &k);
	for (size_t i = 0; !rc && i < k; i++)
		rc = confirm_mail(st, site, p, to[i], now);
	return rc;
}

/* One event into messages or digest lines (a vanished row: nothing). */
static int event_mail(struct store *st, const struct site *site, struct pool *p,
		      const struct mail_event *e, long long now)
{
	struct note n = { 0 };
	int rc;
	if (!strcmp(e->kind, "review"))
		rc = note_review(st, site, p, e->ref_id, &n);
	else if (!strcmp(e->kind, "held"))
		rc = note_held(st, site, p, e->ref_id, now, &n);
	else if (!strcmp(e->kind, "reply"))
		rc = note_reply(st, site, p, e->ref_id, now, &n);
	else
		rc = STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc)
		return rc;
	return n.to ? enqueue(st, site, n.to, &n, n.subject, n.body, now)
		    : for_staff(st, site, p, &n, now);
}

/* Each staff member's digest, when a day has passed since the last. */
static int digests(struct store *st, const struct site *site, struct pool *p, long long now)
{
	struct mail_person *v;
	size_t k;
	int rc = store_mail_staff(st, p, &v, &k);
	for (size_t i = 0; rc == STORE_OK && i < k; i++) {
		const char **lines;
		size_t nl;
		if (!v[i].digest || now - v[i].digest_at < MAIL_DIGEST_EVERY)
			continue;
		rc = store_mail_digest_lines(st, p, v[i].id, &lines, &nl);
		if (rc || !nl)
			continue;
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s\n", fill(p, site, "mail_digest_intro", site->cfg.site_name));
		for (size_t j = 0; j < nl; j++)
			buf_printf(&b, "\n- %s\n", lines[j]);
		const char *items = locale_count(&site->locale, p, "mail_digest_items", (long long)nl);
		const char *subject = pool_printf(p, "[%s] %s", site->cfg.site_name,
						  fill(p, site, "mail_digest_subject", items));
		rc = enqueue(st, site, v[i].email, NULL, subject, buf_str(&b), now);
		buf_release(&b);
		if (!rc)
			rc = store_mail_digest_taken(st, v[i].id, now);
	}
	return rc;
}

static int make_messages(struct store *st, const struct site *site, struct pool *p, long long now)
{
	struct mail_event *ev;
	size_t n;
	int rc = store_begin(st);
	if (!rc)
		rc = store_mail_events(st, p, MAIL_EVENTS_BATCH, &ev, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		/* no relay (smtp_url empty): nothing is made, so setting one
		 * later does not send a backlog of stale notices */
		if (site->mail)
			rc = event_mail(st, site, p, &ev[i], now);
		if (!rc)
			rc = store_mail_event_done(st, ev[i].id);
	}
	if (!rc && site->mail)
		rc = confirmations(st, site, p, now);
	if (!rc)
		rc = digests(st, site, p, now);
	if (!rc)
		rc = store_mail_purge(st, now - MAIL_KEEP_DAYS * 86400LL);
	if (!rc)
		rc = store_commit(st);
	if (rc) {
		log_error("mail: %s", store_errmsg(st));
		store_rollback(st);
	}
	return rc ? -1 : 0;
}

static long long backoff(const struct site *site, int attempts)
{
	long long wait = site->cfg.mail_interval;
	for (int i = 1; i < attempts && wait < MAIL_BACKOFF_MAX; i++)
		wait *= 2;
	return wait < MAIL_BACKOFF_MAX ? wait : MAIL_BACKOFF_MAX;
}

/* Makes message id this node's to send (store_mail_claim), in a write
 * that first asks whether this connection still holds the mail duty: 1
 * to send it, 0 when another node has it or the duty is gone (*gone), -1
 * on an error (logged). A site on one SQLite file has no other node: no
 * claim (a crash after a send leaves it due at the next pass, not after
 * the claim's lease). */
static int claim(struct store *st, long long id, long long now, int *gone)
{
	if (!store_duty_shared(st))
		return 1;
	int rc = store_begin(st);
	if (!rc && !store_duty_held(st, DUTY_MAIL)) {
		store_rollback(st);
		*gone = 1;
		return 0;
	}
	if (!rc)
		rc = store_mail_claim(st, id, now, now + MAIL_CLAIM_SECONDS);
	if (!rc)
		rc = store_commit(st);
	if (rc == STORE_OK)
		return 1;
	if (rc == STORE_CONFLICT) {
		store_rollback(st);
		return 0;
	}
	log_error("mail: message %lld: %s", id, store_errmsg(st));
	store_rollback(st);
	return -1;
}

/* Sends what is due; each message claimed first and its result written
 * after, each on its own (short writes). */
static int send_due(struct store *st, const struct site *site, struct pool *p, long long now)
{
	struct mail_item *v;
	size_t n;
	char from[256];
	mail_from(site, from, sizeof from);
	if (store_mail_due(st, p, now, MAIL_SEND_BATCH, &v, &n)) {
		log_error("mail: %s", store_errmsg(st));
		return -1;
	}
	time_t start = time(NULL);
	for (size_t i = 0; i < n && time(NULL) - start < MAIL_RUN_SECONDS; i++) {
		char err[256];
		int gone = 0, mine = claim(st, v[i].id, now, &gone);
		if (gone) {
			log_info("mail: the mail duty went with this node's connection: "
				 "%zu messages left to the node that does it", n - i);
			return 0;
		}
		if (mine < 0)
			return -1;
		if (!mine)
			continue; /* sent or being sent by another node */
		int ok = mail_relay_send(site->mail, from, v[i].recipient, v[i].headers, v[i].body, err,
					 sizeof err) == 0;
		int tries = v[i].attempts + 1;
		long long next = tries >= site->cfg.mail_max_attempts ? (1LL << 62) /* given up */
								       : now + backoff(site, tries);
		if (ok)
			log_info("mail: sent message %lld to %s", v[i].id, v[i].recipient);
		else
			log_error("mail: message %lld to %s, attempt %d: %s", v[i].id, v[i].recipient,
				  tries, err);
		int rc = store_begin(st);
		if (!rc)
			rc = ok ? store_mail_sent(st, v[i].id, now)
				: store_mail_failed(st, v[i].id, next, err);
		if (!rc)
			rc = store_commit(st);
		if (rc) {
			log_error("mail: message %lld: %s", v[i].id, store_errmsg(st));
			store_rollback(st);
			return -1;
		}
		if (!ok)
			break; /* the relay is down: the rest wait for the next run */
	}
	return 0;
}

int mail_send_test(const struct site *site, const char *to, long long now, char *err,
		   size_t errlen)
{
	char from[256];
	mail_from(site, from, sizeof from);
	struct mail_msg m = { site->cfg.site_name, from, to, "Test message from Gazette",
			      "This is a test message: the relay in gazette.conf works.\n", NULL, now };
	struct buf h = BUF_INIT, b = BUF_INIT;
	int rc = mail_msg_format(&m, &h, &b, err, errlen);
	if (!rc && !site->mail) {
		snprintf(err, errlen, "smtp_url is not set in gazette.conf");
		rc = -1;
	}
	if (!rc)
		rc = mail_relay_send(site->mail, from, to, buf_str(&h), buf_str(&b), err, errlen);
	buf_release(&h);
	buf_release(&b);
	return rc;
}

int mail_run(struct store *st, const struct site *site, long long now)
{
	struct pool *p = pool_new();
	int rc = make_messages(st, site, p, now);
	if (!rc && site->mail)
		rc = send_due(st, site, p, now);
	pool_free(p);
	return rc;
}
