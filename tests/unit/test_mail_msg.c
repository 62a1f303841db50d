/* mail_msg: addresses, header text (RFC 2047, no injection), quoted-printable. */
#include "t.h"
#include "../../src/mail/mail_msg.h"
#include "../../src/util/buf.h"

#include <sodium.h>
#include <stdlib.h>

static void addresses(void)
{
	static const struct { const char *addr; int ok; } cases[] = {
		{ "editor@example.org", 1 },
		{ "a.b+c@x.test", 1 },
		{ "", 0 },
		{ "no-at.example.org", 0 },
		{ "@example.org", 0 },
		{ "a@", 0 },
		{ "a@b@c", 0 },
		{ "a b@example.org", 0 },
		{ "a@example.org\r\nBcc: x@y.z", 0 },
		{ "a@example.org>", 0 },
		{ "\"a\"@example.org", 0 },
		{ "\xc3\xa9@example.org", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK(mail_addr_ok(cases[i].addr) == cases[i].ok);
}

static const char *text(const char *s, int quote)
{
	static struct buf b;
	buf_release(&b);
	buf_init(&b, 0);
	mail_header_text(&b, s, quote);
	return buf_str(&b);
}

static void header_text(void)
{
	CHECK_STR(text("Plain subject", 0), "Plain subject");
	CHECK_STR(text("The \"Gazette\"", 1), "\"The \\\"Gazette\\\"\"");
	/* a line break in a name or subject cannot start a new header */
	CHECK_STR(text("Hi\r\nBcc: victim@example.org", 0), "Hi  Bcc: victim@example.org");
	/* "=?" would read as an encoded word: encoded itself */
	CHECK_STR(text("=?x?=", 0), "=?UTF-8?B?PT94Pz0=?=");
	CHECK_STR(text("Bak\xc4\xb1", 0), "=?UTF-8?B?QmFrxLE=?=");
	/* long non-ASCII text: words of at most 75 bytes, folded, cut
	 * between characters, decoding back to the text */
	char long_s[400] = "";
	for (int i = 0; i < 60; i++)
		memcpy(long_s + i * 3, "\xc5\x9f" "a", 4);
	const char *enc = text(long_s, 0);
	char decoded[400] = "";
	size_t dn = 0;
	for (const char *w = enc; *w;) {
		const char *end = strstr(w, "?=");
		CHECK(!strncmp(w, "=?UTF-8?B?", 10) && end);
		if (!end)
			break;
		CHECK(end + 2 - w <= 75);
		unsigned char bin[100];
		size_t bn = 0;
		CHECK(sodium_base642bin(bin, sizeof bin, w + 10, (size_t)(end - w - 10), NULL, &bn, NULL,
					sodium_base64_VARIANT_ORIGINAL) == 0);
		CHECK(bn == 0 || (bin[0] & 0xC0) != 0x80); /* starts on a character */
		memcpy(decoded + dn, bin, bn);
		dn += bn;
		w = end + 2;
		if (*w) {
			CHECK(!strncmp(w, "\r\n ", 3));
			w += 3;
		}
	}
	CHECK_STR(decoded, long_s);
}

static const char *qp(const char *s)
{
	static struct buf b;
	buf_release(&b);
	buf_init(&b, 0);
	mail_qp(&b, s);
	return buf_str(&b);
}

static void quoted_printable(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Hello", "Hello\r\n" },
		{ "a=b", "a=3Db\r\n" },
		{ "two\nlines\r\n", "two\r\nlines\r\n" },
		{ "trailing space \nx", "trailing space=20\r\nx\r\n" },
		{ "\xc5\x9f", "=C5=9F\r\n" },
		{ ".dot", ".dot\r\n" }, /* libcurl dot-stuffs on the wire */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(qp(cases[i].in), cases[i].out);
	/* a long line: soft breaks, no line over 76 */
	char line[300];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	const char *out = qp(line);
	for (const char *l = out; *l;) {
		size_t n = strcspn(l, "\r");
		CHECK(n <= 76);
		l += n + 2;
	}
}

static void whole_message(void)
{
	struct buf h = BUF_INIT, b = BUF_INIT;
	char err[128];
	struct mail_msg m = { "The \"Daily\"", "news@example.org", "reader@example.org",
			      "Reply\r\nBcc: all@example.org", "Body\n", "https://x.test/mail/unsubscribe/1?x=0&s=ab",
			      0 };
	CHECK(mail_msg_format(&m, &h, &b, err, sizeof err) == 0);
	const char *hs = buf_str(&h);
	CHECK_CONTAINS(hs, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n");
	CHECK_CONTAINS(hs, "@example.org>\r\nFrom: \"The \\\"Daily\\\"\" <news@example.org>\r\n");
	CHECK_CONTAINS(hs, "To: <reader@example.org>\r\nSubject: Reply  Bcc: all@example.org\r\n");
	CHECK(!strstr(hs, "\nBcc"));
	CHECK_CONTAINS(hs, "List-Unsubscribe: <https://x.test/mail/unsubscribe/1?x=0&s=ab>\r\n"
			   "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	CHECK_CONTAINS(hs, "Content-Type: text/plain; charset=utf-8\r\n");
	/* every line ends CRLF */
	for (const char *p = hs; (p = strchr(p, '\n')); p++)
		CHECK(p > hs && p[-1] == '\r');
	buf_reset(&h);
	m.to = "x@y.z\r\nBcc: a@b.c";
	CHECK(mail_msg_format(&m, &h, &b, err, sizeof err) == -1);
	buf_release(&h);
	buf_release(&b);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(addresses);
	RUN(header_text);
	RUN(quoted_printable);
	RUN(whole_message);
	return T_DONE();
}
