/*
 * log: one line per call, written with one write(2). Values that came from
 * a client are printed with quotes and control bytes escaped, so a request
 * cannot forge log lines.
 */
#include "log.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

static void emit(int fd, struct buf *b)
{
	buf_putc(b, '\n');
	const char *s = buf_str(b);
	size_t n = b->len;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			break;
		s += w;
		n -= (size_t)w;
	}
	buf_release(b);
}

static void stamp(struct buf *b, const char *level)
{
	char t[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(b, "%s gazette %s: ", t, level);
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	struct buf b;
	buf_init(&b, 16384);
	stamp(&b, level);
	buf_vprintf(&b, fmt, ap);
	emit(2, &b);
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

/* The access log is written once per request: it is built by hand in a
 * stack buffer (printf and a growing buffer showed in profiles). Bytes a
 * client chose are escaped so a request cannot forge log lines. */
struct line {
	char s[4096];
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

/* Client text, escaped; `space` also escapes spaces (the request target). */
static void put_client(struct line *l, const char *s, int space)
{
	static const char hex[] = "0123456789abcdef";
	/* 1: escaped always; 2: escaped when `space` (runs are copied whole) */
	static const unsigned char esc[256] = {
		[0 ... 0x1f] = 1, [0x7f] = 1, ['"'] = 1, ['\\'] = 1, [' '] = 2,
	};
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (; *p; p++) {
		if (!esc[*p] || (esc[*p] == 2 && !space))
			continue;
		put(l, (const char *)run, (size_t)(p - run));
		char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
		put(l, e, 4);
		run = p + 1;
	}
	put(l, (const char *)run, (size_t)(p - run));
}

static void put_quoted(struct line *l, const char *s)
{
	if (!s) {
		puts_(l, "\"-\"");
		return;
	}
	put(l, "\"", 1);
	put_client(l, s, 0);
	put(l, "\"", 1);
}

void log_access(const char *ip, const char *method, const char *uri, int status,
		unsigned long long bytes, const char *referer, const char *agent)
{
	/* formatted once a second per thread: localtime_r takes a lock */
	static _Thread_local time_t last;
	static _Thread_local char t[40];
	time_t now = time(NULL);
	if (now != last) {
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(t, sizeof t, "[%d/%b/%Y:%H:%M:%S %z]", &tm);
		last = now;
	}
	struct line l = { .n = 0 };
	puts_(&l, ip ? ip : "-");
	puts_(&l, " - - ");
	puts_(&l, t);
	puts_(&l, " \"");
	puts_(&l, method ? method : "-");
	put(&l, " ", 1);
	put_client(&l, uri ? uri : "-", 1);
	puts_(&l, " HTTP/1.1\" ");
	put_num(&l, status > 0 ? (unsigned long long)status : 0);
	put(&l, " ", 1);
	put_num(&l, bytes);
	put(&l, " ", 1);
	put_quoted(&l, referer);
	put(&l, " ", 1);
	put_quoted(&l, agent);
	l.s[l.n++] = '\n';
	const char *p = l.s;
	while (l.n) {
		ssize_t w = write(1, p, l.n);
		if (w <= 0)
			break;
		p += w;
		l.n -= (size_t)w;
	}
}
