/*
 * mail_msg: one e-mail as RFC 5322 text. The header block (Date,
 * Message-ID, From, To, Subject, MIME-Version, Content-Type text/plain;
 * charset=utf-8, Content-Transfer-Encoding quoted-printable, and RFC 8058's
 * List-Unsubscribe pair when asked) and the quoted-printable body are made
 * apart, as the queue keeps them (store_mail.h). The one design decision:
 * text that comes from people (a display name, a subject) can never break
 * a header: line breaks and other controls become spaces, non-ASCII is
 * RFC 2047 encoded and folded, and an address with anything but an
 * address's characters is refused.
 */
#ifndef GZ_MAIL_MSG_H
#define GZ_MAIL_MSG_H

#include <stddef.h>

struct buf;

#define MAIL_SUBJECT_MAX 200  /* bytes of a subject kept (cut on a character) */

struct mail_msg {
	const char *from_name;   /* display name, any UTF-8 ("" none) */
	const char *from, *to;   /* addresses */
	const char *subject;     /* UTF-8 */
	const char *body;        /* UTF-8 text, LF or CRLF line ends */
	const char *unsubscribe; /* https URL for List-Unsubscribe, or NULL */
	long long date;          /* unix seconds */
};

/* 1 when addr is a plain address (local@domain, printable ASCII, no
 * space, quote, angle bracket or control), short enough for a header. */
int mail_addr_ok(const char *addr);

/* Appends m's header lines (each ending CRLF, no blank line after) to
 * headers and its quoted-printable body to body. 0, or -1 with err (a bad
 * address; the buffers' err flag for memory). */
int mail_msg_format(const struct mail_msg *m, struct buf *headers, struct buf *body, char *err,
		    size_t errlen);

/* Appends s as a header's phrase or unstructured text: printable ASCII as
 * it is (quoted when quote is set), else RFC 2047 "B" words of at most
 * 75 bytes folded with CRLF SP; controls (CR, LF, tab...) become spaces. */
void mail_header_text(struct buf *out, const char *s, int quote);
/* Appends s (LF or CRLF lines) quoted-printable (RFC 2045): lines of at
 * most 76 characters, CRLF line ends. */
void mail_qp(struct buf *out, const char *s);

#endif
