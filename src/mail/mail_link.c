/*
 * mail_link: signed one-action links (see mail_link.h).
 */
#include "mail_link.h"
#include "../site/site.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>

static void sign(const struct site *site, const char *action, long long id, long long expiry,
		 char hex[MAIL_LINK_SIG_HEX + 1])
{
	char msg[160];
	snprintf(msg, sizeof msg, "mail:%s:%lld:%lld", action, id, expiry);
	site_sign(site, msg, hex, MAIL_LINK_SIG_HEX);
}

const char *mail_link(struct pool *p, const struct site *site, const char *action, long long id,
		      long long expiry)
{
	char hex[MAIL_LINK_SIG_HEX + 1];
	sign(site, action, id, expiry, hex);
	return pool_printf(p, "%s/mail/%s/%lld?x=%lld&s=%s", site->cfg.base_url, action, id, expiry,
			   hex);
}

int mail_link_ok(const struct site *site, const char *action, long long id, long long expiry,
		 const char *sig, long long now)
{
	char msg[160];
	if (!sig || strlen(sig) != MAIL_LINK_SIG_HEX || (expiry && now > expiry))
		return 0;
	snprintf(msg, sizeof msg, "mail:%s:%lld:%lld", action, id, expiry);
	return site_sign_ok(site, msg, sig, MAIL_LINK_SIG_HEX);
}
