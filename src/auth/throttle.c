/*
 * throttle: counters in the sign_in_failures table (see throttle.h). The
 * client's counter is not cleared by a success, so owning one account does
 * not buy an attacker fresh guesses at another.
 */
#include "throttle.h"
#include "../store/store.h"
#include "../store/store_session.h"
#include "../util/log.h"
#include "../util/str.h"

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

/* "kind:value", the value lower-cased (e-mail addresses). */
static void key_of(char *out, const char *kind, const char *value)
{
	size_t o = (size_t)snprintf(out, THROTTLE_KEY_MAX, "%s:", kind);
	if (o < THROTTLE_KEY_MAX)
		str_lower_into(out + o, THROTTLE_KEY_MAX - o, value);
}

void throttle_password_keys(struct throttle_keys *k, const char *email, const char *client,
			    const char *device)
{
	if (device && *device)
		key_of(k->key[0], "device", device);
	else
		key_of(k->key[0], "account", email);
	key_of(k->key[1], "addr", client ? client : "-");
	k->n = 2;
}

void throttle_code_keys(struct throttle_keys *k, const char *email, const char *client)
{
	key_of(k->key[0], "code", email);
	key_of(k->key[1], "addr", client ? client : "-");
	k->n = 2;
}

/* Seconds key owes at now; its counter restarts a day after its last. */
static long long owed(struct store *st, const char *key, long long now, int *stale, int *err)
{
	long long count, last;
	*stale = 0;
	if (store_failures_get(st, key, &count, &last)) {
		*err = 1;
		return 0;
	}
	if (count && now - last > THROTTLE_FORGET) {
		*stale = 1;
		return 0;
	}
	long long until = last + throttle_delay(count);
	return until > now ? until - now : 0;
}

long long throttle_begin(struct store *st, const struct throttle_keys *k, long long now)
{
	long long wait = 0;
	int stale[2], err = 0;
	if (store_begin(st))
		return -1;
	for (size_t i = 0; i < k->n; i++) {
		long long w = owed(st, k->key[i], now, &stale[i], &err);
		if (w > wait)
			wait = w;
	}
	for (size_t i = 0; i < k->n && !wait && !err; i++)
		err = (stale[i] && store_failures_clear(st, k->key[i])) ||
		      store_failure_add(st, k->key[i], now);
	if (err || store_commit(st)) {
		store_rollback(st);
		log_error("sign-in: the failure counters cannot be read or written: %s",
			  store_errmsg(st));
		return -1;
	}
	if (wait)
		log_info("sign-in: throttled attempt (%s, %s): wait %lld s", k->key[0], k->key[1], wait);
	return wait;
}

void throttle_succeeded(struct store *st, const struct throttle_keys *k)
{
	store_failures_clear(st, k->key[0]);
	for (size_t i = 1; i < k->n; i++)
		store_failure_undo(st, k->key[i]);
}

void throttle_failed(struct store *st, const struct throttle_keys *k)
{
	long long count, last;
	store_failures_get(st, k->key[1], &count, &last);
	log_info("sign-in: failed (%s) from %s: %lld recent failures from there", k->key[0],
		 k->key[1] + 5, count);
}
