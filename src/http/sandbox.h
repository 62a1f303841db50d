/*
 * sandbox: what `gazette serve` gives up once it is listening.
 *
 * Started as root, the server binds its port, then confines itself to the
 * site folder (chroot) and runs as the site's `user` (default "nobody");
 * it refuses to serve as root. The site folder (database, its -wal/-shm
 * files, media) is handed to that user first; the folder need not be
 * reachable by that user from / (a 0700 parent is fine). Sanitizer builds
 * stay root (LeakSanitizer needs /proc and ptrace). With `seccomp = 1` a system
 * call allowlist (libseccomp) then applies to every thread: no exec, no new
 * sockets, no ptrace.
 */
#ifndef GZ_SANDBOX_H
#define GZ_SANDBOX_H

/* The one nice value a thread may lower itself to under the filter (the
 * daily backup's, admin/scheduler.h): setpriority is allowed for it only. */
#define SANDBOX_NICE 10

#include <stddef.h>

struct site;

/* Before the server starts: when root, looks up the user (refusing root
 * or an unknown name) and gives it the site folder; always changes into
 * the folder and makes site->dir and site->db_path relative to it. Ignores
 * SIGXFSZ so a file-size limit reads as a write error, not a kill.
 * 0 ok; -1 with a message in err. */
int sandbox_prepare(struct site *site, char *err, size_t errlen);

/* After the port is bound and the workers run: when root, chroots into
 * the site folder and switches to the user (all threads), then loads the
 * seccomp filter (all threads). 0 ok. */
int sandbox_enter(const struct site *site, char *err, size_t errlen);

#endif
