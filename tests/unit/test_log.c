/*
 * test_log: the access log line, and error and info lines. Whatever a client sends (newlines,
 * quotes, backslashes, control bytes, spaces in the target), the line
 * stays one line of the combined format, with those bytes as \xHH, and
 * everything else copied as it came, UTF-8 included.
 */
#include "t.h"
#include "../../src/util/log.h"
#include "../../src/util/utf8.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What log_access wrote to standard output, or with `email` set what a
 * failed sign-in's info line wrote to standard error. */
static char *logged_as(const char *uri, const char *referer, const char *agent, const char *email)
{
	char path[] = "/tmp/gz-log-XXXXXX";
	int out_fd = email ? 2 : 1;
	int fd = mkstemp(path), saved = dup(out_fd);
	static char out[16384];
	CHECK(fd >= 0 && saved >= 0);
	CHECK(dup2(fd, out_fd) == out_fd);
	if (email)
		log_info("sign-in: wrong password for \"%s\" from %s", email, uri);
	else
		log_access(&(struct log_request){ "203.0.113.9", "GET", uri, referer, agent,
						  "r-1", 200, 1234, 0.0012345 });
	CHECK(dup2(saved, out_fd) == out_fd);
	close(saved);
	ssize_t n = pread(fd, out, sizeof out - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return out;
}

static char *logged(const char *uri, const char *referer, const char *agent)
{
	return logged_as(uri, referer, agent, NULL);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* An error or info line escapes client text in its arguments as the
 * access log does: one line, whatever was typed. */
static void message_arguments_are_escaped(void)
{
	char *l = logged_as("203.0.113.7", NULL, NULL,
			    "eve@example.org\n2026-12-06T06:00:00Z gazette info: admin signed in\r\x1b[2J");
	CHECK(count_lines(l) == 1);
	CHECK_CONTAINS(l, " gazette info: sign-in: wrong password for \"eve@example.org\\x0a2026-12-06T06:00:00Z"
			  " gazette info: admin signed in\\x0d\\x1b[2J\" from 203.0.113.7\n");
	l = logged_as("::1", NULL, NULL, "plain ünïcode");
	CHECK_CONTAINS(l, "wrong password for \"plain ünïcode\" from ::1\n");
}

static void hostile_bytes_are_escaped(void)
{
	char *l = logged("/search?q=a b\n203.0.113.1 - - [forged]\"\\", "https://e.example/\"x\"",
			 "Agent\r\n\x01 ünïcode");
	CHECK_CONTAINS(l, "203.0.113.9 - - [");
	CHECK_CONTAINS(l, "\"GET /search?q=a\\x20b\\x0a203.0.113.1\\x20-\\x20-\\x20[forged]\\x22\\x5c HTTP/1.1\" 200 1234 ");
	CHECK_CONTAINS(l, "\"https://e.example/\\x22x\\x22\"");
	CHECK_CONTAINS(l, "\"Agent\\x0d\\x0a\\x01 ünïcode\" r-1 0.001235\n");
	CHECK(count_lines(l) == 1);
	l = logged("/plain/path", NULL, NULL);
	CHECK_CONTAINS(l, "\"GET /plain/path HTTP/1.1\" 200 1234 \"-\" \"-\" r-1 0.001235\n");
}

/* JSON lines: one object a line, every client byte escaped so it parses
 * (bytes that are not UTF-8 as \u00XX), null for what is missing. */
static void json_lines(void)
{
	CHECK(log_access_open(NULL, LOG_JSON) == 0);
	char *l = logged("/q?\"x\\y\n\x01\xff", NULL, "Agent \"ü\"");
	CHECK(count_lines(l) == 1);
	CHECK_CONTAINS(l, "\"id\":\"r-1\",\"ip\":\"203.0.113.9\",\"method\":\"GET\","
			  "\"path\":\"/q?\\\"x\\\\y\\u000a\\u0001\\u00ff\",\"status\":200,\"bytes\":1234,"
			  "\"duration\":0.001235,\"referer\":null,\"agent\":\"Agent \\\"ü\\\"\"}\n");
	CHECK(strncmp(l, "{\"time\":\"", 9) == 0);
	CHECK(log_access_open(NULL, LOG_COMBINED) == 0);
}

/* s filled with n copies of the bytes of unit (a static buffer each). */
static char *repeat(char *s, const char *unit, size_t n)
{
	size_t u = strlen(unit);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[n * u] = '\0';
	return s;
}

/* A 20 kB User-Agent, a Referer of 9 kB of two-byte characters and a long
 * path of control bytes: each field is cut at 1024 bytes of its text, on
 * a character's boundary, and marked, so the line is whole in both
 * formats (its end is there, it is valid UTF-8, the JSON closes). */
static void huge_fields_are_cut(void)
{
	static char agent[20001], referer[9001], uri[6001];
	repeat(agent, "A", 20000);
	repeat(referer, "\xc3\xbc", 4500); /* ü */
	repeat(uri, "/\x01", 3000);
	char *l = logged(uri, referer, agent);
	size_t n = strlen(l);
	CHECK(count_lines(l) == 1 && n < 8192 && utf8_valid(l, n));
	CHECK_CONTAINS(l, "\\x01/...[cut] HTTP/1.1\" 200 1234 \"");
	CHECK_CONTAINS(l, "\xc3\xbc...[cut]\" \"AAAA");
	CHECK_CONTAINS(l, "AAAA...[cut]\" r-1 0.001235\n");
	const char *a = strstr(l, "\" \"AAAA") + 3;
	CHECK(strstr(a, "...[cut]") - a == 1024);
	CHECK(log_access_open(NULL, LOG_JSON) == 0);
	l = logged(uri, referer, agent);
	n = strlen(l);
	CHECK(count_lines(l) == 1 && n < 8192 && utf8_valid(l, n));
	CHECK_CONTAINS(l, "\\u0001/...[cut]\",\"status\":200,");
	CHECK_CONTAINS(l, "\xc3\xbc...[cut]\",\"agent\":\"AAAA");
	CHECK_CONTAINS(l, "AAAA...[cut]\"}\n");
	a = strstr(l, "\"agent\":\"") + 9;
	CHECK(strstr(a, "...[cut]") - a == 1024);
	CHECK(log_access_open(NULL, LOG_COMBINED) == 0);
}

/* A request's id ends the error and info lines logged while it is answered. */
static void request_id_in_messages(void)
{
	log_set_request("abc-123");
	char *l = logged_as("192.0.2.1", NULL, NULL, "x");
	log_set_request(NULL);
	CHECK_CONTAINS(l, "from 192.0.2.1 [req abc-123]\n");
	l = logged_as("192.0.2.1", NULL, NULL, "x");
	CHECK_CONTAINS(l, "from 192.0.2.1\n");
}

int main(void)
{
	RUN(json_lines);
	RUN(huge_fields_are_cut);
	RUN(request_id_in_messages);
	RUN(hostile_bytes_are_escaped);
	RUN(message_arguments_are_escaped);
	return T_DONE();
}
