/*
 * csrf: tokens and the Origin check (see csrf.h). Comparison is constant
 * time (site_sign_ok).
 */
#include "csrf.h"
#include "../site/site.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void csrf_token(const struct site *site, const char *session_id, char out[CSRF_TOKEN_HEX])
{
	char msg[128];
	snprintf(msg, sizeof msg, "csrf:%s", session_id);
	site_sign(site, msg, out, 64);
}

int csrf_origin_ok(const struct req *rq)
{
	const char *o = rq->origin;
	if (!o)
		return 1;
	if (strcasecmp(o, rq->site->cfg.base_url) == 0)
		return 1;
	if (!rq->host)
		return 0;
	const char *scheme = rq->https ? "https://" : "http://";
	size_t n = strlen(scheme);
	return strncasecmp(o, scheme, n) == 0 && strcasecmp(o + n, rq->host) == 0;
}

int csrf_ok(const struct req *rq)
{
	if (!rq->session_id || !csrf_origin_ok(rq))
		return 0;
	const char *got = kv_get(&rq->form, CSRF_FIELD);
	char msg[128];
	snprintf(msg, sizeof msg, "csrf:%s", rq->session_id);
	return got && site_sign_ok(rq->site, msg, got, 64);
}
