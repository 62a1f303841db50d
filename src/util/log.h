/*
 * log: error and info lines on stderr, access lines on stdout or in the
 * file `access_log` names, in the combined log format or as JSON lines
 * (`log_format`). An error or info line is written with a single write(2);
 * an access line goes whole into alog's buffer, which the log's own
 * thread writes (alog.h: no request thread writes the access log while
 * the server runs), so lines never interleave. A request's id (set
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
 * after a rotation (SIGHUP): each line logged before the call goes to
 * the old file and each one after to the new, none lost or torn
 * (alog_set_fd). */
int log_access_open(const char *path, enum log_format format);

/* The request this thread is answering now (NULL: none): its id is added
 * to error and info lines as " [req ID]". The string must live until the
 * next call. */
void log_set_request(const char *id);

#endif
