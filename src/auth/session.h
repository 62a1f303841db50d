/*
 * session: signed-in sessions. A token is 256 random bits (randombytes_buf)
 * sent as the HttpOnly, SameSite=Lax cookie gz_session (Secure over HTTPS,
 * Path=/: the story page's comment form knows a signed-in staff member,
 * comment_reply.h; a request carrying it bypasses the page cache and its
 * pages are private); the database keeps only its
 * BLAKE2b hash. A session ends after `session_idle` seconds unused or
 * `session_lifetime` seconds in all, at sign-out, or for every session of
 * the account at "sign out everywhere". Sign-in always makes a new token.
 */
#ifndef GZ_SESSION_H
#define GZ_SESSION_H

#include "../http/http.h"

#define SESSION_COOKIE HTTP_SESSION_COOKIE /* http.h: the page cache knows it too */
#define SESSION_TOKEN_HEX 65     /* 64 hex characters + NUL */

struct user;

/* A fresh token (hex) and its stored id (hex of its hash). */
void session_token_new(char token[SESSION_TOKEN_HEX], char id[SESSION_TOKEN_HEX]);
/* The stored id of a token: hex BLAKE2b-256. 0 ok; -1 if token is not
 * 64 hex characters. */
int session_token_id(const char *token, char id[SESSION_TOKEN_HEX]);

/* Starts a session for u (ending the one the request carried, if any):
 * stores it, sets the cookie on rs and rq->user/session_id/csrf. 0 ok. */
int session_start(struct req *rq, struct resp *rs, const struct user *u);
/* Reads the cookie: 1 and rq->user etc. set when it names a live session
 * of an enabled account; 0 when not (an expired one is deleted). */
int session_load(struct req *rq);
/* 1 when the cookie names a stored session that has not expired: read
 * only, for the page cache's decision (app/routes.c), so a made-up
 * cookie is a reader like any other and cannot make every page a miss. */
int session_live(struct req *rq);
/* Ends this session (or, with everywhere, all of the account's) and
 * clears the cookie. */
int session_end(struct req *rq, struct resp *rs, int everywhere);

/* The device cookie: set at each sign-in, signed, naming the account and
 * a random device id; sent only to /admin/sign-in. A password attempt
 * that carries one for its account is throttled per device instead of
 * per account (auth/throttle.h), so guessing elsewhere cannot lock the
 * owner out of her own browser. */
#define DEVICE_COOKIE "gz_device"
#define DEVICE_LIFETIME (365 * 86400)
/* The device id of the request's cookie when it was set for account uid,
 * else NULL. */
const char *session_device_for(struct req *rq, long long uid);
/* Sets (or renews) the device cookie for u on rs. */
void session_device_set(struct req *rq, struct resp *rs, const struct user *u);

#endif
