/*
 * mail_relay: the SMTP relay of gazette.conf, through libcurl's SMTP
 * (STARTTLS, AUTH). The one design decision: everything that needs the
 * file system or the resolver is done by mail_relay_open, before the
 * server confines itself (src/http/sandbox.c): the password file is read,
 * the relay's address resolved once (handed to libcurl as CURLOPT_RESOLVE)
 * and the system's CA bundle loaded into memory (CURLOPT_CAINFO_BLOB), so
 * sending from the chrooted scheduler thread needs only socket and
 * connect. Used by one thread (the scheduler's).
 */
#ifndef GZ_MAIL_RELAY_H
#define GZ_MAIL_RELAY_H

#include <stddef.h>

struct config;
struct mail_relay;

/* Prepares the relay of c (site_dir: where a relative password file
 * lives). 0 with *out (NULL when smtp_url is empty: no relay), or -1 with
 * err. */
int mail_relay_open(const struct config *c, const char *site_dir, struct mail_relay **out,
		    char *err, size_t errlen);
void mail_relay_free(struct mail_relay *r);

/* Sends one message (headers: CRLF lines; body: encoded, CRLF lines) from
 * envelope sender from to to. 0, or -1 with libcurl's reason in err. */
int mail_relay_send(struct mail_relay *r, const char *from, const char *to, const char *headers,
		    const char *body, char *err, size_t errlen);

#endif
