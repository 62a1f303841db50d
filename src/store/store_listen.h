/*
 * store_listen: a PostgreSQL site's change notifications (issue 16).
 * Every commit that wrote change-log tags sends NOTIFY on the site
 * database's channel with the change log's newest seq (store_commit, in
 * the same transaction, so it is delivered only once the change is
 * visible). A node listens on one connection of its own, in a thread:
 * fn(arg, seq) for each notification, fn(arg, 0) once LISTEN holds again
 * after a (re)connection (what changed while it was away is unknown: the
 * change log says), and on(arg, 1/0) when the listener is connected or
 * not. A lost connection is made again every STORE_LISTEN_RETRY_MS. A
 * connection quiet for STORE_LISTEN_IDLE_MS is asked a SELECT 1; no answer
 * within STORE_LISTEN_ANSWER_MS is a lost one (a half-open link, which
 * neither delivers nor fails; GAZETTE_PG_PING_MS="IDLE,ANSWER" sets both,
 * for tests). The change log stays the source of truth: a notification
 * only wakes up.
 */
#ifndef GZ_STORE_LISTEN_H
#define GZ_STORE_LISTEN_H

#define STORE_LISTEN_RETRY_MS 500
#define STORE_LISTEN_IDLE_MS 30000
#define STORE_LISTEN_ANSWER_MS 10000

struct store_listener;
/* Starts the thread for a postgresql:// spec (NULL for any other spec, or
 * when the thread could not start: logged). */
struct store_listener *store_listen_start(const char *spec, void (*fn)(void *arg, long long seq),
					  void (*on)(void *arg, int connected), void *arg);
/* Stops and joins it; NULL is fine. */
void store_listen_stop(struct store_listener *l);

#endif
