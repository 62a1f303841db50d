/*
 * throttle: slowing down password guessing. Failed sign-ins are counted
 * per account and per client address (rq->client_ip: the socket peer, or
 * what a configured trusted proxy says; a client's own X-Forwarded-For is
 * never believed). The first 5 failures cost nothing; after that each
 * attempt must wait 15 s, then 30 s, 60 s ... up to an hour after the last
 * failure. Counters are in the database (every process sees them) and
 * forgotten a day after the last failure. Every failure and refusal is
 * logged, without the password.
 */
#ifndef GZ_THROTTLE_H
#define GZ_THROTTLE_H

struct store;

#define THROTTLE_FREE 5
#define THROTTLE_BASE 15
#define THROTTLE_MAX 3600

/* The delay owed after `failures` failures (0 for the first five). */
long long throttle_delay(long long failures);
/* Seconds to wait before an attempt for email from ip may be checked;
 * 0 when it may go ahead now. */
long long throttle_wait(struct store *st, const char *email, const char *ip, long long now);
void throttle_failed(struct store *st, const char *email, const char *ip, long long now);
/* A correct password clears the account's counter (not the address's). */
void throttle_succeeded(struct store *st, const char *email);

#endif
