/*
 * deadline: a whole-request-header deadline against slow clients.
 *
 * libmicrohttpd's connection timeout counts idle time, so a client that
 * sends its headers one byte a second (slowloris) keeps a connection
 * forever. Here each connection's headers must be complete within the
 * deadline, counted from the connection's start or its previous response;
 * a sweeper thread shuts down the socket of any that is late, and MHD
 * then closes it as usual.
 */
#ifndef GZ_DEADLINE_H
#define GZ_DEADLINE_H

#include <microhttpd.h>

struct deadline;

/* Starts the sweeper; NULL when out of memory or threads. */
struct deadline *deadline_new(unsigned seconds);
/* Stops the sweeper; call after MHD_stop_daemon. NULL is fine. */
void deadline_free(struct deadline *dl);

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls: the deadline). */
void deadline_notify(void *cls, struct MHD_Connection *con, void **socket_context,
		     enum MHD_ConnectionNotificationCode code);
/* The request's headers are complete: stop this connection's clock. */
void deadline_met(struct MHD_Connection *con);
/* The response is sent: the next request's headers are due in time. */
void deadline_restart(struct MHD_Connection *con);

#endif
