/*
 * scheduler: the server's own clock for the newsroom. A thread started by
 * http_serve publishes scheduled stories whose time has come, once at
 * start (what came due while the server was down) and then every
 * `schedule_interval` seconds, without waiting for any visit (WP-Cron's
 * failure). It also purges spam and trash older than 30 days and expired
 * sessions, recomputes the related lists a save marked due, and renders
 * the comment threads left stale (store_thread.h):
 * at start those of another theme or nesting limit; and it adds the story
 * reads counted in memory (stats/reads.h) to the hourly totals behind
 * "Most read" (store_reads.h). With backup_dir set it writes the day's
 * backup once its UTC date has none, keeping the newest backup_keep
 * (backup.h). On its own clock (`mail_interval`) it makes and sends the
 * e-mails (mail/mail.h). It has its own database connection, tried again
 * (1 s, doubling to SCHEDULER_RETRY_MAX) until made when the database is
 * down at start.
 */
#ifndef GZ_SCHEDULER_H
#define GZ_SCHEDULER_H

#include "../http/sandbox.h"

#include <stddef.h>

struct site;
struct store;

#define SCHEDULER_PURGE_DAYS 30
#define SCHEDULER_THREAD_BATCH 64   /* comment threads per transaction */
#define SCHEDULER_READS_HOURS 48    /* hours of story reads kept */
#define SCHEDULER_READS_WINDOW 24   /* Most read: this hour and the 23 before */
#define SCHEDULER_BACKUP_RETRY 3600 /* seconds before a failed daily backup is tried again */
#define SCHEDULER_RETRY_MAX 30     /* seconds between tries to connect at most (from 1, doubling) */
#define SCHEDULER_BACKUP_NICE SANDBOX_NICE /* the daily backup's thread's nice (10), as `gazette backup` takes */

/* One run: publishes what is due at `now` (and recomputes related lists
 * when anything was published), purges old spam/trash and dead sessions.
 * *published is the number of stories published. 0 ok, else STORE_ERROR. */
int scheduler_run(struct store *st, const struct site *site, long long now, size_t *published);

/* Recomputes the related lists if a save marked them due (one snapshot
 * read without the write lock, then a short write). 1 done, 0 nothing
 * due, -1 error (store_errmsg). The scheduler's thread calls it. */
int scheduler_refresh_related(struct store *st);

/* Takes the reads counted in memory into the database (one transaction),
 * ranks Most read again over SCHEDULER_READS_WINDOW hours when there were
 * any or the hour changed (logging "reads"), and purges the hours older
 * than SCHEDULER_READS_HOURS. 0 ok, -1 error (store_errmsg; the counts taken
 * are lost). */
int scheduler_flush_reads(struct store *st, const struct site *site, long long now);

struct scheduler;
/* Wakes the running scheduler now, for work a request left it (a save
 * marked the related lists due). Without one (a CLI process), nothing:
 * a server will find the mark when it starts. */
void scheduler_wake(void);
/* Starts the thread (NULL when it could not start: logged). */
struct scheduler *scheduler_start(const struct site *site);
/* Stops and joins the thread; NULL is fine. */
void scheduler_stop(struct scheduler *s);

#endif
