/*
 * accept: the listening socket and the thread that accepts on it.
 *
 * libmicrohttpd's own accept lets whichever pool thread wakes first take
 * up to ten waiting connections, so a burst of new connections lands on
 * one thread, and every request on them waits behind the others: a
 * request that waits on the database (PostgreSQL, a group commit) holds
 * up the whole burst while the other threads idle. This thread accepts
 * instead and hands each connection to MHD_add_connection, which spreads
 * them over the pool by descriptor number. MHD still applies its
 * connection and per-address limits to each.
 */
#ifndef GAZETTE_HTTP_ACCEPT_H
#define GAZETTE_HTTP_ACCEPT_H

#include <netinet/in.h>

struct MHD_Daemon;
struct acceptor;

/* Binds and listens on sa (SO_REUSEADDR): the socket, or -1 with err. */
int accept_listen(const struct sockaddr_in *sa, char *err, size_t errlen);

/* The port fd is bound to (for port 0), 0 when unknown. */
unsigned accept_port(int fd);

/* Starts the thread that accepts on fd for d; NULL with err on failure
 * (fd is left open for the caller to close). */
struct acceptor *accept_start(int fd, struct MHD_Daemon *d, char *err, size_t errlen);

/* Stops accepting, joins the thread and closes the socket; connections
 * already handed to MHD stay with it. */
void accept_stop(struct acceptor *a);

#endif
