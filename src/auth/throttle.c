/*
 * throttle: counters in the sign_in_failures table (see throttle.h). The
 * address counter is not cleared by a success, so owning one account does
 * not buy an attacker fresh guesses at another.
 */
#include "throttle.h"
#include "../store/store_session.h"
#include "../util/log.h"

#include <ctype.h>
#include <stdio.h>

#define THROTTLE_FORGET (24 * 3600)

long long throttle_delay(long long failures)
{
	if (failures < THROTTLE_FREE)
		return 0;
	long long d = THROTTLE_BASE;
	for (long long i = THROTTLE_FREE; i < failures && d < THROTTLE_MAX; i++)
		d *= 2;
	return d < THROTTLE_MAX ? d : THROTTLE_MAX;
}

static void account_key(const char *email, char *out, size_t n)
{
	size_t o = (size_t)snprintf(out, n, "account:");
	for (; email && *email && o + 1 < n; email++)
		out[o++] = (char)tolower((unsigned char)*email);
	out[o] = '\0';
}

static long long wait_for(struct store *st, const char *key, long long now)
{
	long long count, last;
	if (store_failures_get(st, key, &count, &last) || now - last > THROTTLE_FORGET)
		return 0;
	long long until = last + throttle_delay(count);
	return until > now ? until - now : 0;
}

long long throttle_wait(struct store *st, const char *email, const char *ip, long long now)
{
	char akey[300], ikey[80];
	account_key(email, akey, sizeof akey);
	snprintf(ikey, sizeof ikey, "addr:%s", ip ? ip : "-");
	long long a = wait_for(st, akey, now), b = wait_for(st, ikey, now);
	long long w = a > b ? a : b;
	if (w)
		log_info("sign-in: throttled attempt for %s from %s (wait %lld s)", akey + 8,
			 ip ? ip : "-", w);
	return w;
}

static void add(struct store *st, const char *key, long long now)
{
	long long count, last;
	if (store_failures_get(st, key, &count, &last) == 0 && count && now - last > THROTTLE_FORGET)
		store_failures_clear(st, key);
	store_failure_add(st, key, now);
}

void throttle_failed(struct store *st, const char *email, const char *ip, long long now)
{
	char akey[300], ikey[80];
	account_key(email, akey, sizeof akey);
	snprintf(ikey, sizeof ikey, "addr:%s", ip ? ip : "-");
	add(st, akey, now);
	add(st, ikey, now);
	long long count, last;
	store_failures_get(st, ikey, &count, &last);
	log_info("sign-in: failed for %s from %s (%lld recent failures from this address)",
		 akey + 8, ip ? ip : "-", count);
}

void throttle_succeeded(struct store *st, const char *email)
{
	char akey[300];
	account_key(email, akey, sizeof akey);
	store_failures_clear(st, akey);
}
