/*
 * store_session: signed-in sessions and the sign-in failure counters.
 *
 * A session row is keyed by the hash of its token (the token itself lives
 * only in the browser's cookie), so a stolen database copy does not sign
 * anyone in. Failure counters are keyed "account:EMAIL" or "addr:IP" and
 * kept in the database, so every server process and a restart see them.
 */
#ifndef GZ_STORE_SESSION_H
#define GZ_STORE_SESSION_H

#include "store.h"

struct session {
	const char *id;          /* hex hash of the token */
	long long user_id, created_at, seen_at;
};

int store_session_put(struct store *st, const char *id, long long user_id, long long now,
		      const char *ip, const char *user_agent);
int store_session_get(struct store *st, struct pool *p, const char *id, struct session *out);
int store_session_seen(struct store *st, const char *id, long long now);
int store_session_delete(struct store *st, const char *id);
/* Ends every session of the account ("sign out everywhere"), but
 * except_id (NULL: all of them). */
int store_sessions_delete_user(struct store *st, long long user_id, const char *except_id);
/* Drops sessions idle since idle_before or created before created_before. */
int store_sessions_purge(struct store *st, long long idle_before, long long created_before);

/* The failures recorded for key: count and time of the last (0, 0 when none). */
int store_failures_get(struct store *st, const char *key, long long *count, long long *last_at);
int store_failure_add(struct store *st, const char *key, long long now);
int store_failures_clear(struct store *st, const char *key);
/* Takes one failure back from key (an attempt counted ahead that succeeded). */
int store_failure_undo(struct store *st, const char *key);

#endif
