/*
 * sandbox: privilege drop and the system call allowlist for `gazette serve`
 * (see sandbox.h).
 *
 * The one design decision: started as root, the server confines itself to
 * the site folder (chroot) before giving up root, and the folder's
 * contents (all but gazette.conf) are handed to the unprivileged user. It
 * keeps only relative paths, so nothing depends on who can walk the path
 * to the folder (SQLite makes paths absolute and resolves each component),
 * and a compromised worker sees nothing but the site. Everything outside
 * it (theme, static files, settings, secret) was read at start, and the
 * default theme's folder and the zoneinfo are copied into memory for a
 * reload (site_keep_dirs, util/fileio.h): no descriptor pointing outside
 * the chroot is kept, since one would let a compromised worker openat
 * (mkdirat, unlinkat, renameat) "../.." out of it. Anything
 * not on the allowlist fails with EPERM rather than killing the process (a missed
 * rare call degrades one request, not the site); exec kills it.
 * GAZETTE_SECCOMP_TRAP=1 makes a refused call print its number instead.
 */
#include "sandbox.h"
#include "../site/site.h"
#include "../store/store.h"
#include "../util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define GZ_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GZ_SANITIZER 1
#endif
#endif

#define WALK_DEPTH 16

/* The account to run as; -1 with a message when it is unusable. */
static int lookup_user(const struct site *site, uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
	const char *name = site->cfg.user;
	struct passwd *pw = *name ? getpwnam(name) : NULL;
	if (!pw) {
		snprintf(err, errlen,
			 "refusing to serve as root: user \"%s\" does not exist (set `user` in "
			 "gazette.conf to an unprivileged account)", name);
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(err, errlen, "refusing to serve as root: `user = %s` is a root account", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Gives dirfd's entries (recursively, never following links) to uid:gid. */
static int give_tree(int dirfd, int depth, uid_t uid, gid_t gid, const char *skip)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (skip && !strcmp(e->d_name, skip)))
			continue;
		struct stat sb;
		if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW)) {
			rc = -1;
			continue;
		}
		if ((sb.st_uid != uid || sb.st_gid != gid) &&
		    fchownat(dirfd, e->d_name, uid, gid, AT_SYMLINK_NOFOLLOW))
			rc = -1;
		if (depth < WALK_DEPTH && S_ISDIR(sb.st_mode)) {
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || give_tree(sub, depth + 1, uid, gid, NULL))
				rc = -1;
		}
	}
	closedir(d);
	return rc;
}

/* "DIR/x" -> "./x" once the process works inside DIR. */
static void relativize(char *path, size_t size, const char *dir)
{
	size_t n = strlen(dir);
	if (strncmp(path, dir, n) == 0 && path[n] == '/') {
		char rel[sizeof ((struct site *)0)->db_path];
		snprintf(rel, sizeof rel, ".%s", path + n);
		snprintf(path, size, "%s", rel);
	}
}

int sandbox_prepare(struct site *site, char *err, size_t errlen)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit nofile; /* room for every connection MHD may accept */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max < 65536 ? nofile.rlim_max : 65536;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	/* a chroot holds no resolver: the database's host names are
	 * resolved now (a DNS change needs a restart) */
	if (geteuid() == 0) {
		char resolved[sizeof site->db_path];
		if (store_spec_resolve(site->db_path, resolved, sizeof resolved, err, errlen))
			return -1;
		snprintf(site->db_path, sizeof site->db_path, "%s", resolved);
		if (*site->cfg.db_read) {
			if (store_spec_resolve(site->cfg.db_read, resolved, sizeof site->cfg.db_read, err,
					       errlen))
				return -1;
			snprintf(site->cfg.db_read, sizeof site->cfg.db_read, "%s", resolved);
		}
	}
	/* the workers connect once serving, sandboxed: refused now, not at
	 * each request */
	if (geteuid() == 0 && !site_db_confinable(site, 1)) {
		snprintf(err, errlen,
			 "db: a server started as root confines itself to the site folder and "
			 "reaches PostgreSQL over TCP (postgresql://USER@10.0.0.20:5432/NAME, or a "
			 "host name, resolved at start), not a Unix socket (docs/deploy.md)");
		return -1;
	}
	if (site->cfg.seccomp && !site_db_confinable(site, 0)) {
		snprintf(err, errlen,
			 "db: with seccomp = 1 the server opens Internet sockets only: reach "
			 "PostgreSQL over TCP (postgresql://USER@HOST:5432/NAME), not a Unix socket "
			 "(docs/deploy.md)");
		return -1;
	}
	if (geteuid() == 0) {
		uid_t uid;
		gid_t gid;
		if (lookup_user(site, &uid, &gid, err, errlen))
			return -1;
		site_keep_dirs();
		int fd = open(site->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fchown(fd, uid, gid) ||
		    give_tree(fd, 0, uid, gid, "gazette.conf")) {
			snprintf(err, errlen, "cannot give the site folder %s to user %s: %s",
				 site->dir, site->cfg.user, strerror(errno));
			return -1;
		}
		/* gazette.conf stays root's, but in the user's group, so that a
		 * reload after the switch reads it at mode 0640 (it may hold the
		 * database's password: init writes it 0640, docs/deploy.md) */
		char conf[sizeof site->dir + 16];
		struct stat cs;
		snprintf(conf, sizeof conf, "%s/gazette.conf", site->dir);
		if (lstat(conf, &cs) == 0 && S_ISREG(cs.st_mode) && cs.st_uid == 0 &&
		    cs.st_gid != gid && lchown(conf, (uid_t)-1, gid))
			log_error("%s: cannot give it group %u: %s (a reload may not read it)", conf,
				  (unsigned)gid, strerror(errno));
	}
	if (chdir(site->dir)) {
		snprintf(err, errlen, "%s: %s", site->dir, strerror(errno));
		return -1;
	}
	relativize(site->db_path, sizeof site->db_path, site->dir);
	snprintf(site->dir, sizeof site->dir, ".");
	return 0;
}

static int drop_root(const struct site *site, char *err, size_t errlen)
{
	uid_t uid;
	gid_t gid;
	if (lookup_user(site, &uid, &gid, err, errlen))
		return -1;
#ifdef GZ_SANITIZER
	/* LeakSanitizer's exit check needs /proc and to ptrace the process,
	 * which a chroot and a set*id take away: sanitizer builds stay root. */
	log_info("sanitizer build: not switching to user %s", site->cfg.user);
	return 0;
#endif
	/* threads share the root and working directories: this confines all */
	if (chroot(".") || chdir("/")) {
		snprintf(err, errlen, "cannot confine the server to the site folder: %s",
			 strerror(errno));
		return -1;
	}
	/* glibc applies set*id to every thread of the process. */
	if (setgroups(1, &gid) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		snprintf(err, errlen, "cannot switch to user %s: %s", site->cfg.user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(err, errlen, "refusing to serve: root could be regained after the switch");
		return -1;
	}
	log_info("running as user %s (uid %u)", site->cfg.user, (unsigned)uid);
	return 0;
}

/* What serving needs: MHD's epoll workers, SQLite's files and locks, the
 * allocator, libsodium's getrandom, logging and a clean stop. */
static const char *const allowed[] = {
	/* network I/O on sockets MHD already has */
	"accept", "accept4", "recvfrom", "recvmsg", "sendto", "sendmsg", "sendfile", "shutdown",
	"setsockopt", "getsockopt", "getsockname", "getpeername", "epoll_wait", "epoll_pwait",
	"epoll_ctl", "poll", "ppoll", "select", "pselect6",
	/* files (SQLite, static files, media, logs) */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "open",
	"openat", "close", "fstat", "stat", "lstat", "newfstatat", "statx", "lseek", "fcntl",
	"fsync", "fdatasync", "ftruncate", "fallocate", "unlink", "unlinkat", "rename",
	"renameat", "renameat2", "mkdir", "mkdirat", "access", "faccessat", "faccessat2",
	"readlink", "readlinkat", "getcwd", "getdents", "getdents64", "fchmod", "flock", "statfs",
	"fstatfs", "ioctl", "dup", "dup2", "dup3", "pipe2", "eventfd2", "umask",
	"sync_file_range", "fadvise64", /* the daily backup's steady writing (backup.c) */
	"memfd_create", /* cached pages live in sealed memfds sent with sendfile */
	/* memory */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock", "munlock",
	"membarrier",
	/* threads, time, signals, identity */
	"futex", "set_robust_list", "get_robust_list", "rseq", "sched_yield",
	"sched_getaffinity", "nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres",
	"gettimeofday", "time", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"rt_sigtimedwait", "sigaltstack", "restart_syscall", "tgkill", "tkill", "getpid",
	"gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getrandom", "uname",
	"sysinfo", "getrlimit", "prlimit64", "getrusage", "exit", "exit_group",
	/* the daily backup's thread reads its priority back (it lowers it:
	 * setpriority below, allowed for that one value only) */
	"getpriority",
#ifdef GZ_SANITIZER
	/* LeakSanitizer's exit check: a tracer task that ptraces the threads */
	"clone", "clone3", "ptrace", "wait4", "waitid", "prctl", "process_vm_readv", "kill",
#endif
};

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char msg[80];
	int n = snprintf(msg, sizeof msg, "seccomp: refused system call %d\n", si->si_syscall);
	if (n > 0 && write(2, msg, (size_t)n) < 0)
		return;
}

static int load_filter(char *err, size_t errlen)
{
	int trap = getenv("GAZETTE_SECCOMP_TRAP") && !strcmp(getenv("GAZETTE_SECCOMP_TRAP"), "1");
	scmp_filter_ctx ctx = seccomp_init(trap ? SCMP_ACT_TRAP : SCMP_ACT_ERRNO(EPERM));
	if (!ctx) {
		snprintf(err, errlen, "seccomp: cannot make a filter");
		return -1;
	}
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; rc == 0 && i < sizeof allowed / sizeof allowed[0]; i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);
		if (nr != __NR_SCMP_ERROR)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
#ifndef GZ_SANITIZER
	/* New threads only; clone3 hides its flags, so glibc falls back to clone. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* a thread's name (pthread_setname_np: the scheduler's, the backup's), nothing else */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				      SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
#endif
	/* setpriority(PRIO_PROCESS, tid, SANDBOX_NICE) only: the
	 * daily backup's thread lowering its own priority (raising one needs
	 * CAP_SYS_NICE, which the server never has after the switch) */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setpriority), 2,
				      SCMP_A0(SCMP_CMP_EQ, PRIO_PROCESS),
				      SCMP_A2(SCMP_CMP_EQ, SANDBOX_NICE));
	/* mail (the scheduler's thread, mail/mail_relay.h): a TCP connection
	 * to the relay, whose address was resolved before the sandbox; only
	 * Internet sockets, so no new local socket can reach other services */
	for (int fam = 0; rc == 0 && fam < 2; fam++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_EQ, fam ? AF_INET6 : AF_INET));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(execve), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(execveat), 0);
	if (rc == 0 && trap) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
	}
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc) {
		snprintf(err, errlen, "seccomp: cannot load the filter: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

int sandbox_enter(const struct site *site, char *err, size_t errlen)
{
	if (geteuid() == 0 && drop_root(site, err, errlen))
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (site->cfg.seccomp && load_filter(err, errlen))
		return -1;
	return 0;
}
