/*
 * alog: the access log's lines, kept in memory and written by one thread
 * of their own (issue 17), so that no thread answering a request ever
 * calls write(2) on the log: the kernel's dirty-page writeback, a slow
 * disk or a pipe nobody reads stalls that one thread, never a reader.
 *
 * The one decision: one shared list of 64 KB blocks behind a mutex held
 * for a memcpy (nginx's `buffer=64k flush=1s`, with a shorter flush).
 * The writer takes the whole list every ALOG_FLUSH_MS, or as soon as a
 * block fills, and writes it with writev; while it writes, the workers
 * fill fresh blocks. Blocks come to ALOG_CAP bytes in all at most: past
 * that a line is dropped and counted (alog_dropped, and one error line
 * at most every ALOG_REPORT_S seconds saying how many), never waited for.
 *
 * Before alog_start and after alog_stop (a command other than serve, a
 * unit test), alog_line writes the line itself, as the log always did.
 */
#ifndef GZ_ALOG_H
#define GZ_ALOG_H

#include <stddef.h>

#define ALOG_BLOCK (64 * 1024)       /* one block: one iovec of a writev */
#define ALOG_CAP (8 * 1024 * 1024)   /* all blocks together, at most */
#define ALOG_FLUSH_MS 100            /* lines wait this long at most */
#define ALOG_REPORT_S 10             /* drops reported this often at most */
#define ALOG_STALL_MS 2000           /* a writer stuck this long is given up */

/* One whole line, its newline included (n at most ALOG_BLOCK): into the
 * buffer, or dropped and counted when the buffer is at its cap. */
void alog_line(const char *s, size_t n);

/* Where lines go from now on: fd (the log's own descriptor, which alog
 * closes when it is replaced), or -1 for standard output. Lines given
 * before the call go to the old destination, lines after it to the new
 * one, each once. With the writer running, the writer makes the switch
 * once it has written the lines before; the call waits for that while
 * the writer makes progress (up to ALOG_STALL_MS without), so that when
 * it returns (a SIGHUP's reload, logrotate's postrotate) the old file is
 * complete. */
void alog_set_fd(int fd);

/* Starts the writer thread: 0, or -1 with errno (lines are then written
 * by whoever logs them, as before). */
int alog_start(void);

/* Writes every line given so far and stops the writer (SIGTERM), once
 * no request thread logs any more. A writer that makes no progress for
 * ALOG_STALL_MS (a pipe nobody reads) is given up: an error line says
 * how many lines were not written, and the process may exit. */
void alog_stop(void);

/* Lines dropped since the start: the buffer was full, or the write
 * failed (/metrics: gazette_access_log_dropped_total). */
unsigned long long alog_dropped(void);

#endif
