/*
 * log: one line per call, written with one write(2). Every line passes
 * put_client, the one routine that escapes what a client may have chosen
 * (control bytes always; quotes in quoted fields, spaces in the target),
 * so a request cannot forge log lines.
 */
#include "log.h"
#include "date.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

/* Lines are built by hand in a stack buffer: the access log is written
 * once per request, and printf and a growing buffer showed in profiles. */
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

/* THE routine through which text a client chose reaches a log line:
 * control bytes always become \xHH, and so do the classes in `also`
 * (ESC_QUOTE: '"' and '\\', in a quoted field; ESC_SPACE: ' ', in the
 * request target). Runs without such a byte are copied whole. */
enum { ESC_CONTROL = 1, ESC_QUOTE = 2, ESC_SPACE = 4 };

static void put_client(struct line *l, const char *s, unsigned also)
{
	static const char hex[] = "0123456789abcdef";
	static const unsigned char esc[256] = {
		[0 ... 0x1f] = ESC_CONTROL, [0x7f] = ESC_CONTROL,
		['"'] = ESC_QUOTE, ['\\'] = ESC_QUOTE, [' '] = ESC_SPACE,
	};
	also |= ESC_CONTROL;
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (; *p; p++) {
		if (!(esc[*p] & also))
			continue;
		put(l, (const char *)run, (size_t)(p - run));
		char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
		put(l, e, 4);
		run = p + 1;
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
static void vlog(const char *level, const char *fmt, va_list ap)
{
	char t[32], msg[sizeof ((struct line *)0)->s];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(msg, sizeof msg, fmt, ap);
	struct line l = { .n = 0 };
	puts_(&l, t);
	puts_(&l, " gazette ");
	puts_(&l, level);
	puts_(&l, ": ");
	put_client(&l, msg, 0);
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
	put_client(l, s, ESC_QUOTE);
	put(l, "\"", 1);
}

void log_access(const char *ip, const char *method, const char *uri, int status,
		unsigned long long bytes, const char *referer, const char *agent)
{
	static _Thread_local struct date_memo memo;
	const char *t = date_now(&memo, "[%d/%b/%Y:%H:%M:%S %z]", 1);
	struct line l = { .n = 0 };
	puts_(&l, ip ? ip : "-");
	puts_(&l, " - - ");
	puts_(&l, t);
	puts_(&l, " \"");
	puts_(&l, method ? method : "-");
	put(&l, " ", 1);
	put_client(&l, uri ? uri : "-", ESC_QUOTE | ESC_SPACE);
	puts_(&l, " HTTP/1.1\" ");
	put_num(&l, status > 0 ? (unsigned long long)status : 0);
	put(&l, " ", 1);
	put_num(&l, bytes);
	put(&l, " ", 1);
	put_quoted(&l, referer);
	put(&l, " ", 1);
	put_quoted(&l, agent);
	write_line(1, &l);
}
