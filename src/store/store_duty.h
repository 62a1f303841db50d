/*
 * store_duty: the background duties one node of a site does at a time
 * (issue 16). On PostgreSQL each duty is a session advisory lock
 * (pg_try_advisory_lock, key "GzDuty" + the duty) taken on the scheduler's
 * connection and kept while that connection lives: the node that took it
 * does the duty from then on, and when its process dies (kill -9, a lost
 * machine) its connection ends, the lock with it, and the next node to
 * ask takes it over. On SQLite one server serves a file: always this
 * node's.
 */
#ifndef GZ_STORE_DUTY_H
#define GZ_STORE_DUTY_H

struct store;

enum store_duty {
	DUTY_PUBLISH,  /* scheduled stories */
	DUTY_PURGE,    /* old spam and trash, dead sessions */
	DUTY_RELATED,  /* the related lists a save marked due */
	DUTY_THREADS,  /* stale comment threads */
	DUTY_MAIL,     /* making and sending the e-mails */
	DUTY__MAX
};

/* The duty's name, for the logs ("publishing"). */
const char *store_duty_name(enum store_duty d);
/* 1 when this connection holds the duty (took it now or before), 0 when
 * another node's does, STORE_ERROR (store_errmsg). *taken is set to 1
 * when it was taken by this call (a node taking over logs it). */
int store_duty_claim(struct store *st, enum store_duty d, int *taken);
/* 1 while this connection still holds duty d: claimed on it and the
 * lock still there (asked of the server, a round trip: a connection the
 * server ended, or one made again since the claim, says 0), else 0. The
 * scheduler asks before each effect outside the database (a mail sent)
 * and between the steps of a duty, so a node whose connection went
 * stops before another node that took the duty does it twice. SQLite:
 * always 1. */
int store_duty_held(struct store *st, enum store_duty d);
/* 1 when other nodes may do this site's duties too (PostgreSQL), so each
 * effect outside the database is claimed first; 0 on SQLite. */
int store_duty_shared(const struct store *st);

#endif
