/*
 * mail: the e-mails a newsroom expects (docs/mail.md), made and sent by
 * the scheduler's thread, never by a request. A request's transaction
 * only leaves rows behind (triggers write mail_events, store_mail.h);
 * mail_run turns each event into messages (or digest lines) in one
 * transaction, then sends what is due through the relay, one message at
 * a time outside any transaction, so a relay that is down delays mail and
 * nothing else. On PostgreSQL each message is claimed before it is sent,
 * while this connection still holds the mail duty (store_duty_held), so
 * two nodes never send one message. A failed message is tried again after mail_interval
 * seconds, doubled per attempt (at most MAIL_BACKOFF_MAX), until
 * mail_max_attempts.
 *
 *   review   a story put up for review: editors and admins
 *   held     a comment held for moderation: whoever may moderate it, with
 *            signed approve and spam links (mail_link.h)
 *   reply    an approved reply (once, however often re-approved): the
 *            parent's commenter, when subscribed and confirmed, with RFC
 *            8058 List-Unsubscribe
 * and, found by the subscriptions themselves rather than an event, the
 * double opt-in links of reply subscriptions asked for: one mail per
 * address per MAIL_CONFIRM_GAP with a link for each asked meanwhile.
 * Staff who chose the daily digest get one message a day listing them.
 */
#ifndef GZ_MAIL_H
#define GZ_MAIL_H

struct site;
struct store;

#define MAIL_BACKOFF_MAX (6 * 3600)
#define MAIL_EVENTS_BATCH 100
#define MAIL_SEND_BATCH 50
/* seconds of sending per run at most: the same thread publishes scheduled
 * stories, which a slow relay must not hold up for long */
#define MAIL_RUN_SECONDS 10
/* a message claimed by a node (store_mail_claim) is due again this long
 * after, if that node died before writing its result (longer than the
 * relay's timeouts) */
#define MAIL_CLAIM_SECONDS 600
#define MAIL_DIGEST_EVERY 86400
#define MAIL_KEEP_DAYS 30   /* sent messages are kept this long */
#define MAIL_CONFIRM_GAP 300  /* seconds between confirmation mails to one address */
#define MAIL_CONFIRM_DAY 4    /* confirmation mails to one address in 24 hours, at most */
#define MAIL_CONFIRM_WITHIN 86400 /* a subscription not mailed within this stays so */
#define MAIL_CONFIRM_LINKS 10 /* links in one confirmation mail at most */

/* One run at now: events into messages, digests due, then sending (when
 * the site has a relay). 0, or -1 with the reason logged. */
int mail_run(struct store *st, const struct site *site, long long now);

/* Sends a test message to `to` now, through site->mail, bypassing the
 * queue (`gazette mail test`). 0, or -1 with the reason in err. */
int mail_send_test(const struct site *site, const char *to, long long now, char *err,
		   size_t errlen);

/* The From address: smtp_from, else gazette@ the host of base_url. */
const char *mail_from(const struct site *site, char *out, unsigned size);

#endif
