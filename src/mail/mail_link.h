/*
 * mail_link: the signed links mail carries (approve or spam a held
 * comment, confirm or stop a reply subscription). A link's signature is
 * an HMAC under the site secret (site_sign) over "mail:ACTION:ID:EXPIRY",
 * so it names exactly one action on one row until one moment; the pages
 * that take them (src/pages/page_mail.c) spend each link once
 * (store_mail_link_use) and act only on POST.
 */
#ifndef GZ_MAIL_LINK_H
#define GZ_MAIL_LINK_H

struct pool;
struct site;

#define MAIL_LINK_SIG_HEX 64
#define MAIL_LINK_DAYS 14   /* moderation links last two weeks */

/* "BASE/mail/ACTION/ID?x=EXPIRY&s=SIG" (expiry 0: never expires). */
const char *mail_link(struct pool *p, const struct site *site, const char *action, long long id,
		      long long expiry);
/* 1 when sig signs action on id until expiry and now is not past it. */
int mail_link_ok(const struct site *site, const char *action, long long id, long long expiry,
		 const char *sig, long long now);

#endif
