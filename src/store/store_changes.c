/*
 * store_changes: the change log behind exact cache invalidation (see
 * store.h). Tags are written inside the writer's transaction, so a change
 * and its log row commit or vanish together.
 */
#include "store_int.h"
#include "store_media.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char SQL_TOUCH[] = "INSERT INTO changes(tag, at) VALUES(?1, ?2) RETURNING seq";
static const char SQL_SINCE[] = "SELECT seq, tag FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2";
static const char SQL_HEAD[] = "SELECT COALESCE(max(seq), 0) FROM changes";
static const char SQL_TAIL[] = "SELECT COALESCE(min(seq), 0) FROM changes";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
static const char SQL_NOTIFY[] = "SELECT pg_notify('" STORE_CHANGES_CHANNEL "', ?1)";
static const char SQL_PURGE[] = "DELETE FROM changes WHERE at < ?1";

#define CHANGES_KEEP_SECONDS (24 * 3600)

int store_touch(struct store *st, const char *tag)
{
	dbq *s = stmt(st, SQL_TOUCH);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, tag);
	q_int(s, 2, (long long)time(NULL));
	long long seq = 0;
	int rc = insert_id(st, s, &seq, "change log") ? STORE_ERROR : STORE_OK;
	if (rc == STORE_OK) {
		st->touched = st->txn_touched = 1;
		st->touch_seq = seq;
	}
	if (rc == STORE_OK && !db_in_txn(st->db)) {
		st->head_at = 0; /* rows_cached reads the new head */
		signal_bump(st); /* no transaction: the change is committed already */
		if (!DB_LITE(st->db))
			rc = changes_notify(st);
		st->txn_touched = 0;
	}
	/* keep the log short: a server that was away a day rereads nothing
	 * old, it drops its whole cache instead (see cache.c) */
	if (rc == STORE_OK && (seq & 1023) == 0) {
		s = stmt(st, SQL_PURGE);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, (long long)time(NULL) - CHANGES_KEEP_SECONDS);
		rc = exec_step(st, s, "change log purge");
	}
	return rc;
}

int changes_notify(struct store *st)
{
	dbq *s = stmt(st, SQL_NOTIFY);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, st->touch_seq);
	int rc = q_step(s);
	done(s);
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : fail(st, "change notification");
}

int store_touchf(struct store *st, const char *fmt, ...)
{
	char tag[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tag, sizeof tag, fmt, ap);
	va_end(ap);
	return store_touch(st, tag);
}

int store_changes_since(struct store *st, long long *seq, size_t limit,
			void (*fn)(void *arg, long long seq, const char *tag), void *arg)
{
	dbq *s = stmt(st, SQL_SINCE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, *seq);
	q_int(s, 2, (long long)limit);
	int rc, n = 0;
	while ((rc = q_step(s)) == DB_ROW) {
		*seq = q_col_int(s, 0);
		fn(arg, *seq, q_col_str(s, 1));
		n++;
	}
	done(s);
	return rc == DB_DONE ? n : fail(st, "change log");
}

int store_changes_head(struct store *st, long long *seq)
{
	return int_row(st, SQL_HEAD, 0, seq, SQL_HEAD);
}

int store_changes_tail(struct store *st, long long *seq)
{
	return int_row(st, SQL_TAIL, 0, seq, SQL_TAIL);
}

void store_set_recorder(struct store *st, void (*fn)(void *arg, const char *tag), void *arg)
{
	st->record = fn;
	st->record_arg = arg;
}

void dep(struct store *st, const char *fmt, ...)
{
	if (!st->record)
		return;
	char tag[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tag, sizeof tag, fmt, ap);
	va_end(ap);
	st->record(st->record_arg, tag);
}

int stories_done(struct store *st, struct pool *p, struct story *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].ncoauthors) {
			struct author *a;
			if (story_coauthors(st, p, v[i].id, &a, &v[i].ncoauthors))
				return STORE_ERROR;
			v[i].coauthors = a;
		}
		if (!st->record)
			continue;
		dep(st, "story:%lld", v[i].id);
		if (v[i].section.id)
			dep(st, "section:%lld", v[i].section.id);
		dep(st, "author:%lld", v[i].author.id);
		for (size_t j = 0; j < v[i].ncoauthors; j++) /* a renamed co-author */
			dep(st, "author:%lld", v[i].coauthors[j].id);
		if (v[i].media) /* its featured picture: a new focal point or alt text */
			dep(st, "media:%lld", v[i].media->id);
	}
	return STORE_OK;
}

void signal_open(struct store *st, const char *db_path)
{
	char path[1024];
	snprintf(path, sizeof path, "%s-changes", db_path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666), writable = 1;
	if (fd < 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		writable = 0;
	}
	if (fd < 0)
		return;
	struct stat sb;
	if (fstat(fd, &sb) == 0 && sb.st_size < 64 && writable && ftruncate(fd, 64) != 0)
		writable = 0;
	if (fstat(fd, &sb) == 0 && sb.st_size >= 64) {
		void *m = mmap(NULL, 64, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED,
			       fd, 0);
		if (m != MAP_FAILED) {
			st->signal = m;
			st->signal_writable = writable;
		}
	}
	close(fd);
}

void signal_close(struct store *st)
{
	if (st->signal)
		munmap((void *)st->signal, 64);
	st->signal = NULL;
}

static _Atomic unsigned long long local_changes;

void signal_bump(struct store *st)
{
	atomic_fetch_add(&local_changes, 1);
	if (st->signal && st->signal_writable)
		atomic_fetch_add(st->signal, 1);
}

unsigned long long changes_local(void)
{
	return atomic_load(&local_changes);
}

void store_heard(struct store *st, unsigned long long heard)
{
	st->heard = heard;
}

/* The shared counter says "another process committed a change" at the cost
 * of a memory read; PRAGMA data_version (a lock and a stat) still runs once
 * a second, for a writer that died between its commit and its bump. */
int store_data_version(struct store *st, long long *v)
{
	/* PostgreSQL: the change log's newest seq on the primary, one indexed
	 * read per call (every node's commits move it; no signal file across
	 * machines). A cached page does not ask: worker_sync calls this only
	 * when the listener (store_listen.c) heard of a commit or reconnected;
	 * an uncached page's snapshot asks once, and a read replica serves it
	 * only once it has replayed this far (store_open.c's replica_begin). */
	if (!DB_LITE(st->db))
		return int_row(st, SQL_HEAD, 0, v, SQL_HEAD);
	long long now = (long long)time(NULL);
	if (!st->signal || now != st->pragma_at) {
		if (int_row(st, SQL_DATA_VERSION, 0, &st->pragma_version, SQL_DATA_VERSION))
			return STORE_ERROR;
		st->pragma_at = now;
	}
	unsigned long long sig = st->signal ? atomic_load(st->signal) : 0;
	*v = (long long)(sig ^ ((unsigned long long)st->pragma_version << 40));
	return STORE_OK;
}

int store_take_touched(struct store *st)
{
	int t = st->touched;
	st->touched = 0;
	return t;
}
