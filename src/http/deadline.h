/*
 * deadline: a whole-request-header deadline against slow clients.
 *
 * libmicrohttpd's connection timeout counts idle time, so a client that
 * sends its headers one byte a second (slowloris) keeps a connection
 * forever. Here each connection's headers must be complete within the
 * deadline, counted from the connection's start or its previous response;
 * a sweeper thread shuts down the socket of any that is late, and MHD
 * then closes it as usual.
 *
 * A request body has a deadline too (a client could otherwise send a
 * large body a byte at a time, each within the idle timeout): after a
 * grace of the header deadline, it must keep up a minimum average rate,
 * so N bytes may take at most seconds + N / rate (mod_reqtimeout's rule).
 */
#ifndef GZ_DEADLINE_H
#define GZ_DEADLINE_H

#include <microhttpd.h>
#include <stddef.h>

struct deadline;

/* Starts the sweeper: headers are due within seconds, a body at rate
 * bytes/s after that grace (0: no body deadline); NULL when out of memory
 * or threads. */
struct deadline *deadline_new(unsigned seconds, unsigned rate);
/* Stops the sweeper; call after MHD_stop_daemon. NULL is fine. */
void deadline_free(struct deadline *dl);

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls: the deadline). */
void deadline_notify(void *cls, struct MHD_Connection *con, void **socket_context,
		     enum MHD_ConnectionNotificationCode code);
/* The request's headers are complete: stop this connection's clock. */
void deadline_met(struct MHD_Connection *con);
/* The response is sent: the next request's headers are due in time. */
void deadline_restart(struct MHD_Connection *con);
/* The headers were accepted and a body follows: start its clock. */
void deadline_body_start(struct MHD_Connection *con);
/* n more bytes of the body arrived. */
void deadline_body_got(struct MHD_Connection *con, size_t n);
/* The whole body is in: stop the clock. */
void deadline_body_done(struct MHD_Connection *con);

#endif
