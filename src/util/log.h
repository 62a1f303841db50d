/*
 * log: error and info lines on stderr, access lines (combined log format)
 * on stdout. Each call writes one whole line with a single write(2), so
 * lines from two worker threads never interleave.
 */
#ifndef GZ_LOG_H
#define GZ_LOG_H

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One combined-log-format line. Any argument may be NULL ("-"). */
void log_access(const char *ip, const char *method, const char *uri, int status,
		unsigned long long bytes, const char *referer, const char *agent);

#endif
