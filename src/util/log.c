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

/* Client-supplied text inside a quoted log field. */
static void quoted(struct buf *b, const char *s)
{
	if (!s) {
		buf_puts(b, "\"-\"");
		return;
	}
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

void log_access(const char *ip, const char *method, const char *uri, int status,
		unsigned long long bytes, const char *referer, const char *agent)
{
	struct buf b;
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
	buf_init(&b, 16384);
	buf_printf(&b, "%s - - %s \"%s ", ip ? ip : "-", t, method ? method : "-");
	for (const unsigned char *p = (const unsigned char *)(uri ? uri : "-"); *p; p++) {
		if (*p < 0x21 || *p == 0x7f || *p == '"' || *p == '\\')
			buf_printf(&b, "\\x%02x", *p);
		else
			buf_putc(&b, (char)*p);
	}
	buf_printf(&b, " HTTP/1.1\" %d %llu ", status, bytes);
	quoted(&b, referer);
	buf_putc(&b, ' ');
	quoted(&b, agent);
	emit(1, &b);
}
