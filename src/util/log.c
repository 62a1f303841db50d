/*
 * log: one line per call: an error or info line written with one
 * write(2), an access line handed to alog (its buffer and writer
 * thread, alog.h). Every line passes
 * put_client, the one routine that escapes what a client may have chosen
 * (control bytes always; quotes in quoted fields, spaces in the target),
 * so a request cannot forge log lines.
 */
#include "log.h"
#include "alog.h"
#include "date.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

/* Lines are built by hand in a stack buffer: the access log is written
 * once per request, and printf and a growing buffer showed in profiles.
 * Only n is set before use: zeroing the 8 kB array was two
 * thirds of an access line's instructions. */
struct line {
	char s[8192];
	size_t n;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof l->s - 1 - l->n)
		n = sizeof l->s - 1 - l->n;
	memcpy(l->s + l->n, s, n);
	l->n += n;
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void put_num(struct line *l, unsigned long long v)
{
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	put(l, p, (size_t)(e - p));
}

/* A field a client chose shows at most LOG_FIELD_MAX bytes of its escaped
 * text, cut between characters (never inside a UTF-8 sequence or an
 * escape) and marked with LOG_CUT, so a huge User-Agent, Referer or path
 * leaves the line whole: the five such fields at their longest fit in
 * struct line with room to spare. */
#define LOG_FIELD_MAX 1024
#define LOG_CUT "...[cut]"

/* Bytes of the character at p as it came: 1, or a UTF-8 lead byte and
 * the continuation bytes after it (whether or not they form a valid
 * sequence, so a cut never splits them). */
static size_t char_len(const unsigned char *p)
{
	size_t n = 1;
	if (*p >= 0xc0)
		while (n < 4 && p[n] >= 0x80 && p[n] < 0xc0)
			n++;
	return n;
}

/* THE routine through which text a client chose reaches a log line:
 * control bytes always become \xHH, and so do the classes in `also`
 * (ESC_QUOTE: '"' and '\\', in a quoted field; ESC_SPACE: ' ', in the
 * request target). Runs without such a byte are copied whole; past max
 * bytes the text is cut (LOG_CUT). */
enum { ESC_CONTROL = 1, ESC_QUOTE = 2, ESC_SPACE = 4 };

static void put_client(struct line *l, const char *s, unsigned also, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	static const unsigned char esc[256] = {
		[0 ... 0x1f] = ESC_CONTROL, [0x7f] = ESC_CONTROL,
		['"'] = ESC_QUOTE, ['\\'] = ESC_QUOTE, [' '] = ESC_SPACE,
	};
	also |= ESC_CONTROL;
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t used = 0;
	while (*p) {
		int escape = (esc[*p] & also) != 0;
		size_t in = escape ? 1 : char_len(p), out = escape ? 4 : in;
		if (used + out > max) {
			put(l, (const char *)run, (size_t)(p - run));
			puts_(l, LOG_CUT);
			return;
		}
		used += out;
		if (escape) {
			put(l, (const char *)run, (size_t)(p - run));
			char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
			put(l, e, 4);
			run = p + 1;
		}
		p += in;
	}
	put(l, (const char *)run, (size_t)(p - run));
}

static void write_line(int fd, struct line *l)
{
	l->s[l->n++] = '\n';
	const char *p = l->s;
	while (l->n) {
		ssize_t w = write(fd, p, l->n);
		if (w <= 0)
			break;
		p += w;
		l->n -= (size_t)w;
	}
}

/* Messages carry client text (an e-mail typed at sign-in, a path, a
 * header) in their arguments: the whole message goes through put_client,
 * so no argument can start a line of its own. */
static _Thread_local const char *request_id;

void log_set_request(const char *id)
{
	request_id = id;
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char t[32], msg[sizeof ((struct line *)0)->s];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(msg, sizeof msg, fmt, ap);
	struct line l;
	l.n = 0;
	puts_(&l, t);
	puts_(&l, " gazette ");
	puts_(&l, level);
	puts_(&l, ": ");
	put_client(&l, msg, 0, sizeof l.s);
	if (request_id) {
		puts_(&l, " [req ");
		put_client(&l, request_id, ESC_QUOTE | ESC_SPACE, LOG_FIELD_MAX);
		puts_(&l, "]");
	}
	write_line(2, &l);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

static void put_quoted(struct line *l, const char *s)
{
	if (!s) {
		puts_(l, "\"-\"");
		return;
	}
	put(l, "\"", 1);
	put_client(l, s, ESC_QUOTE, LOG_FIELD_MAX);
	put(l, "\"", 1);
}

/* The access log's format; its lines go through alog (alog.h): buffered
 * and written by the log's own thread while the server runs. */
static _Atomic int access_format = LOG_COMBINED;

int log_access_open(const char *path, enum log_format format)
{
	access_format = format;
	if (!path || !*path)
		return 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0)
		return -1;
	alog_set_fd(fd);
	return 0;
}

/* A JSON string: quote, backslash and control bytes escaped, and every
 * byte past ASCII too when the text is not valid UTF-8 (a client's bytes
 * read as Latin-1), so each line parses; cut past LOG_FIELD_MAX bytes as
 * put_client cuts. */
static void put_json(struct line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		puts_(l, "null");
		return;
	}
	int raw8 = utf8_valid(s, strlen(s));
	size_t used = 0;
	put(l, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int quote = *p == '"' || *p == '\\';
		int escape = *p < 0x20 || *p == 0x7f || (*p >= 0x80 && !raw8);
		size_t in = quote || escape ? 1 : char_len(p), out = quote ? 2 : escape ? 6 : in;
		if (used + out > LOG_FIELD_MAX) {
			puts_(l, LOG_CUT);
			break;
		}
		used += out;
		if (quote) {
			char e[2] = { '\\', (char)*p };
			put(l, e, 2);
		} else if (escape) {
			char e[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			put(l, e, 6);
		} else
			put(l, (const char *)p, in);
		p += in;
	}
	put(l, "\"", 1);
}

/* Seconds with six decimals, by hand like put_num. */
static void put_seconds(struct line *l, double s)
{
	unsigned long long us = s > 0 ? (unsigned long long)(s * 1e6 + 0.5) : 0;
	char frac[7];
	put_num(l, us / 1000000);
	for (int i = 5; i >= 0; i--, us /= 10)
		frac[i] = (char)('0' + us % 10);
	frac[6] = '.';
	put(l, frac + 6, 1);
	put(l, frac, 6);
}

/* ,"key": then the value's text */
static void json_key(struct line *l, const char *key)
{
	puts_(l, ",\"");
	puts_(l, key);
	puts_(l, "\":");
}

static void access_json(struct line *l, const struct log_request *r)
{
	static _Thread_local struct date_memo memo;
	const struct { const char *key, *val; } head[] = {
		{ "id", r->id }, { "ip", r->ip }, { "method", r->method }, { "path", r->uri },
	}, tail[] = { { "referer", r->referer }, { "agent", r->agent } };
	puts_(l, "{\"time\":\"");
	puts_(l, date_now(&memo, "%Y-%m-%dT%H:%M:%SZ", 0));
	puts_(l, "\"");
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
		json_key(l, head[i].key);
		put_json(l, head[i].val);
	}
	json_key(l, "status");
	put_num(l, r->status > 0 ? (unsigned long long)r->status : 0);
	json_key(l, "bytes");
	put_num(l, r->bytes);
	json_key(l, "duration");
	put_seconds(l, r->seconds);
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
		json_key(l, tail[i].key);
		put_json(l, tail[i].val);
	}
	puts_(l, "}");
}

static void access_combined(struct line *l, const struct log_request *r)
{
	static _Thread_local struct date_memo memo;
	const char *t = date_now(&memo, "[%d/%b/%Y:%H:%M:%S %z]", 1);
	puts_(l, r->ip ? r->ip : "-");
	puts_(l, " - - ");
	puts_(l, t);
	puts_(l, " \"");
	put_client(l, r->method ? r->method : "-", ESC_QUOTE | ESC_SPACE, LOG_FIELD_MAX);
	put(l, " ", 1);
	put_client(l, r->uri ? r->uri : "-", ESC_QUOTE | ESC_SPACE, LOG_FIELD_MAX);
	puts_(l, " HTTP/1.1\" ");
	put_num(l, r->status > 0 ? (unsigned long long)r->status : 0);
	put(l, " ", 1);
	put_num(l, r->bytes);
	put(l, " ", 1);
	put_quoted(l, r->referer);
	put(l, " ", 1);
	put_quoted(l, r->agent);
	put(l, " ", 1);
	put_client(l, r->id ? r->id : "-", ESC_QUOTE | ESC_SPACE, LOG_FIELD_MAX);
	put(l, " ", 1);
	put_seconds(l, r->seconds);
}

void log_access(const struct log_request *r)
{
	struct line l;
	l.n = 0;
	if (access_format == LOG_JSON)
		access_json(&l, r);
	else
		access_combined(&l, r);
	l.s[l.n++] = '\n';
	alog_line(l.s, l.n);
}
