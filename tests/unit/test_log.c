/*
 * test_log: the access log line. Whatever a client sends (newlines,
 * quotes, backslashes, control bytes, spaces in the target), the line
 * stays one line of the combined format, with those bytes as \xHH, and
 * everything else copied as it came, UTF-8 included.
 */
#include "t.h"
#include "../../src/util/log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* What log_access wrote to standard output. */
static char *logged(const char *uri, const char *referer, const char *agent)
{
	char path[] = "/tmp/gz-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(1);
	static char out[8192];
	CHECK(fd >= 0 && saved >= 0);
	CHECK(dup2(fd, 1) == 1);
	log_access("203.0.113.9", "GET", uri, 200, 1234, referer, agent);
	CHECK(dup2(saved, 1) == 1);
	close(saved);
	ssize_t n = pread(fd, out, sizeof out - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return out;
}

static void hostile_bytes_are_escaped(void)
{
	char *l = logged("/search?q=a b\n203.0.113.1 - - [forged]\"\\", "https://e.example/\"x\"",
			 "Agent\r\n\x01 ünïcode");
	CHECK_CONTAINS(l, "203.0.113.9 - - [");
	CHECK_CONTAINS(l, "\"GET /search?q=a\\x20b\\x0a203.0.113.1\\x20-\\x20-\\x20[forged]\\x22\\x5c HTTP/1.1\" 200 1234 ");
	CHECK_CONTAINS(l, "\"https://e.example/\\x22x\\x22\"");
	CHECK_CONTAINS(l, "\"Agent\\x0d\\x0a\\x01 ünïcode\"\n");
	size_t lines = 0;
	for (char *p = l; *p; p++)
		lines += *p == '\n';
	CHECK(lines == 1);
	l = logged("/plain/path", NULL, NULL);
	CHECK_CONTAINS(l, "\"GET /plain/path HTTP/1.1\" 200 1234 \"-\" \"-\"\n");
}

int main(void)
{
	RUN(hostile_bytes_are_escaped);
	return T_DONE();
}
