/*
 * mail_msg: headers and quoted-printable bodies (see mail_msg.h).
 */
#include "mail_msg.h"
#include "../util/buf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ADDR_MAX 254
#define WORD_BYTES 45 /* input bytes per encoded word: 60 base64 chars, 72 in all */

int mail_addr_ok(const char *addr)
{
	size_t n = strlen(addr);
	const char *at = strchr(addr, '@');
	if (!n || n > ADDR_MAX || !at || at == addr || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
		if (*p <= ' ' || *p >= 127 || strchr("\"<>()[]\\,;:", *p))
			return 0;
	return 1;
}

static int plain(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p >= 127)
			return 0;
	return !strstr(s, "=?");
}

/* The length of the UTF-8 sequence starting with byte c (1 for a stray
 * continuation byte, so a cut never loops). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static void encoded_words(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	int first = 1;
	while (i < n) {
		size_t j = i;
		while (j < n && j - i + seq_len((unsigned char)s[j]) <= WORD_BYTES)
			j += seq_len((unsigned char)s[j]);
		if (j == i) /* a sequence cut short at the end */
			j = n;
		if (j > n)
			j = n;
		char b64[sodium_base64_ENCODED_LEN(WORD_BYTES + 4, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, j - i,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		first = 0;
		i = j;
	}
}

void mail_header_text(struct buf *out, const char *s, int quote)
{
	size_t n = strlen(s);
	char *clean = malloc(n + 1);
	if (!clean) {
		out->err = 1;
		return;
	}
	for (size_t i = 0; i <= n; i++) /* controls (line breaks) become spaces */
		clean[i] = i < n && (unsigned char)s[i] < ' ' ? ' ' : s[i];
	if (!plain(clean))
		encoded_words(out, clean, n);
	else if (quote) {
		buf_putc(out, '"');
		for (const char *p = clean; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(out, '\\');
			buf_putc(out, *p);
		}
		buf_putc(out, '"');
	} else
		buf_puts(out, clean);
	free(clean);
}

/* One line's bytes, quoted-printable, with soft breaks at 76. */
static void qp_line(struct buf *out, const char *s, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char enc[4];
		int last = i + 1 == n;
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))
			snprintf(enc, sizeof enc, "%c", c);
		else
			snprintf(enc, sizeof enc, "=%02X", c);
		size_t w = strlen(enc);
		/* room for a soft break "=" unless this is the line's end */
		if (col + w > (last ? 76 : 75)) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_puts(out, enc);
		col += w;
	}
	buf_puts(out, "\r\n");
}

void mail_qp(struct buf *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t len = n && s[n - 1] == '\r' ? n - 1 : n;
		qp_line(out, s, len);
		s += n + (s[n] == '\n');
	}
}

static void rfc5322_date(char *out, size_t size, long long t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The subject cut to MAIL_SUBJECT_MAX bytes on a character boundary. */
static void subject(struct buf *headers, const char *s)
{
	char cut[MAIL_SUBJECT_MAX + 1];
	size_t n = strlen(s);
	if (n > MAIL_SUBJECT_MAX) {
		n = MAIL_SUBJECT_MAX;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(cut, s, n);
	cut[n] = '\0';
	buf_puts(headers, "Subject: ");
	mail_header_text(headers, cut, 0);
	buf_puts(headers, "\r\n");
}

int mail_msg_format(const struct mail_msg *m, struct buf *headers, struct buf *body, char *err,
		    size_t errlen)
{
	if (!mail_addr_ok(m->from) || !mail_addr_ok(m->to)) {
		snprintf(err, errlen, "not a usable address: %.80s", mail_addr_ok(m->from) ? m->to : m->from);
		return -1;
	}
	if (m->unsubscribe && strpbrk(m->unsubscribe, "\r\n<> ")) {
		snprintf(err, errlen, "not a usable unsubscribe URL");
		return -1;
	}
	char date[64], id[33];
	unsigned char raw[16];
	rfc5322_date(date, sizeof date, m->date);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(id, sizeof id, raw, sizeof raw);
	buf_printf(headers, "Date: %s\r\nMessage-ID: <%s%s>\r\nFrom: ", date, id, strchr(m->from, '@'));
	if (m->from_name && *m->from_name) {
		mail_header_text(headers, m->from_name, 1);
		buf_putc(headers, ' ');
	}
	buf_printf(headers, "<%s>\r\nTo: <%s>\r\n", m->from, m->to);
	subject(headers, m->subject);
	buf_puts(headers, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
			  "Content-Transfer-Encoding: quoted-printable\r\n");
	if (m->unsubscribe)
		buf_printf(headers, "List-Unsubscribe: <%s>\r\n"
				    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
			   m->unsubscribe);
	mail_qp(body, m->body);
	return headers->err || body->err ? (snprintf(err, errlen, "out of memory"), -1) : 0;
}
