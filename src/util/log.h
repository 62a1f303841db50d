/*
 * log: error and info lines on stderr, access lines on stdout or in the
 * file `access_log` names, in the combined log format or as JSON lines
 * (`log_format`). Each call writes one whole line with a single write(2),
 * so lines from two worker threads never interleave. A request's id (set
 * for the thread while it is answered) ends its error and info lines.
 */
#ifndef GZ_LOG_H
#define GZ_LOG_H

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One answered request. Any string may be NULL ("-", or null in JSON). */
struct log_request {
	const char *ip, *method, *uri, *referer, *agent, *id;
	int status;
	unsigned long long bytes;
	double seconds;             /* from its arrival to its answer queued */
};
/* One access line: combined format with the id and seconds appended
 * ("... "referer" "agent" ID SECONDS"), or a JSON object with the keys
 * time, id, ip, method, path, status, bytes, duration, referer, agent. */
void log_access(const struct log_request *r);

enum log_format { LOG_COMBINED, LOG_JSON };
/* Where access lines go: path (opened for appending, created 0640), or
 * standard output when path is NULL or "". 0, or -1 with errno set (the
 * old destination stays). Call again, with the same path, to reopen
 * after a rotation (SIGHUP): lines written meanwhile go to one or the
 * other, never lost or torn. */
int log_access_open(const char *path, enum log_format format);

/* The request this thread is answering now (NULL: none): its id is added
 * to error and info lines as " [req ID]". The string must live until the
 * next call. */
void log_set_request(const char *id);

#endif
