/*
 * store: the only module that speaks SQL. Pages, comments and commands ask
 * for "the published story with this slug" or "its approved comments"; this
 * header is the whole interface, so a second backend (PostgreSQL) can sit
 * behind it.
 *
 * A struct store is one database connection and is used by one thread at a
 * time (the server gives each worker its own). Results are allocated from
 * the caller's pool and live as long as it does. Functions that can fail
 * return 0 on success, STORE_NOTFOUND when asked for something absent, or
 * STORE_ERROR with the message in the store's error buffer (store_errmsg).
 */
#ifndef GZ_STORE_H
#define GZ_STORE_H

#include "db_ans.h"
#include <stddef.h>

struct pool;
struct store;

/* STORE_INVALID: the change breaks one of the data's rules (a section
 * made its own ancestor); the message says which. STORE_UNAVAILABLE:
 * store_open could not reach the database (PostgreSQL's server down or
 * unreachable), as against one that answered with an error.
 * STORE_REFUSED: store_open found a PostgreSQL server that answered and
 * refused the connection (a wrong user, password or database name,
 * pg_hba.conf): waiting will not mend it. */
enum {
	STORE_OK = 0, STORE_ERROR = -1, STORE_NOTFOUND = 1, STORE_CONFLICT = 2, STORE_INVALID = 3,
	STORE_UNAVAILABLE = 4, STORE_REFUSED = 5
};

/* A section: slug is unique in the site; path is its address below
 * /section/ ("world/asia": the parent's path, '/', the slug), parent_id 0
 * for a top-level section. store_sections lists them as a tree (each
 * parent before its children, siblings by position) with depth 0, 1 ... */
struct section {
	long long id;
	const char *name, *slug;
	const char *path, *description;
	long long parent_id;
	int position, depth;
};
struct tag { long long id; const char *name, *slug; };
/* A byline. photo is "/media/people/NAME.ext" or ""; links holds one
 * http(s) URL a line. */
struct author {
	long long id;
	const char *name, *slug, *email, *bio;
	const char *photo, *links;
	int photo_width, photo_height;
	/* the profile's (store_user_profile) only, "" from other reads */
	const char *first_name, *last_name;
};

/* An account's role, stored by name (auth/roles.h says what each may do). */
enum role { ROLE_NONE, ROLE_CONTRIBUTOR, ROLE_AUTHOR, ROLE_EDITOR, ROLE_ADMIN, ROLE__MAX };
enum story_status { STORY_DRAFT, STORY_PENDING, STORY_SCHEDULED, STORY_PUBLISHED, STORY__MAX };

/* A story's featured image: path "/media/featured/NAME.ext" or "" for
 * none, its pixel size and bytes. */
struct story_image {
	const char *path;
	int width, height;
	long long bytes;
};

struct media_record;

struct story {
	long long id;
	const char *slug, *title, *excerpt, *body_md, *body_html;
	enum story_status status;
	long long published_at, updated_at;  /* unix seconds, UTC */
	int reading_minutes, comment_count, comments_open;
	struct section section;               /* id 0 when none */
	struct author author;
	struct tag *tags;
	size_t ntags;
	struct story_image image;             /* the old featured columns, "" when none */
	/* its featured picture's library record (store_media.h: id, hash,
	 * size, alt, caption, credit, focal point, variants; no file name),
	 * NULL when it has none or the record is gone */
	const struct media_record *media;
	long long revised_at;                 /* marked "Updated" at (0: never) */
	int has_corrections;                  /* 1 when a correction is appended */
	/* the byline after the author, in order: ncoauthors from the story's
	 * row; coauthors loaded with every story a read returns (NULL from
	 * the admin's story_edit reads until store_story_extra) */
	const struct author *coauthors;
	size_t ncoauthors;
	const char *lang;                     /* its own BCP 47 language, "" the site's */
};

enum comment_status { COMMENT_PENDING, COMMENT_APPROVED, COMMENT_SPAM, COMMENT_TRASH, COMMENT__MAX };

struct comment {
	long long id, story_id, parent_id, created_at;
	const char *author, *email, *url, *body, *ip, *user_agent;
	const char *body_html;   /* derived from body at write time */
	enum comment_status status;
	const char *story_slug; /* filled by store_comments_list */
	/* a staff member's comment (comment_reply.h): the account (0 for a
	 * reader) and its role's name when it was written ("" for a reader);
	 * by_story_author is filled by store_comments_for_story */
	long long user_id;
	const char *user_role;
	int by_story_author;
	/* a reader asked for replies by e-mail ("E-mail me replies"): the
	 * comment's insert asks for a subscription (store_mail.h), confirmed
	 * by a link before anything is sent */
	int notify;
};

/* Which stories a list shows: all published, or those of one section (its
 * descendants' too), tag or author (set exactly one id, or none).
 * section_tree: the section has descendants, whose changes its list
 * depends on. */
struct story_filter {
	long long section_id, tag_id, author_id;
	int section_tree;
	/* a date archive: published in [from, until) (both 0: any time) */
	long long from, until;
};

const char *story_status_name(enum story_status s);
int story_status_parse(const char *name, enum story_status *out);
const char *comment_status_name(enum comment_status s);
int comment_status_parse(const char *name, enum comment_status *out);
const char *role_name(enum role r); /* "none" outside the enum */
/* 0 and *out set for "contributor", "author", "editor", "admin"; else -1. */
int role_parse(const char *name, enum role *out);

/* Opens the database spec names and applies pending migrations: a
 * postgresql:// or postgres:// URL is PostgreSQL (store_spec_pg), anything
 * else the path of a SQLite file, created if needed (WAL, busy timeout).
 * STORE_OK; STORE_UNAVAILABLE when PostgreSQL's server cannot be reached
 * (try again later); STORE_REFUSED when it refused the connection;
 * STORE_ERROR (a schema newer than this build's...). */
int store_open(struct store **out, const char *spec, char *err, size_t errlen);
/* store_open for a request's connection (`gazette serve`'s workers): on
 * PostgreSQL its statements, and its replica's, get STORE_REQUEST_OPTIONS
 * (a statement that runs or waits on a lock too long is cancelled: a
 * 503, not a worker held) unless the spec has its own options=. */
int store_open_request(struct store **out, const char *spec, char *err, size_t errlen);
#define STORE_REQUEST_OPTIONS "-c statement_timeout=10s -c lock_timeout=5s"
/* 1 when spec names a PostgreSQL database (a postgresql:// or postgres://
 * URL), 0 for a SQLite path. */
int store_spec_pg(const char *spec);
/* spec as it may be shown (printed, logged): a PostgreSQL URL's password
 * as ****, into out (cap bytes). */
void store_spec_shown(const char *spec, char *out, size_t cap);
/* 1 when a process whose system calls allow Internet sockets only
 * (seccomp) can still open spec, inside the site folder when chrooted: a
 * SQLite path, or PostgreSQL over TCP (at IP addresses only when chrooted:
 * the resolver's files are outside); 0 for a Unix socket, or a host name
 * when chrooted. */
int store_spec_confinable(const char *spec, int chrooted);
/* A PostgreSQL spec's host names resolved now, passed as hostaddr= beside
 * them (into out, cap bytes): what a chrooted process can still open; a
 * DNS change then needs a restart. Any other spec is copied. 0 or -1. */
int store_spec_resolve(const char *spec, char *out, size_t cap, char *err, size_t errlen);
void store_close(struct store *st);
/* Nanoseconds this thread's connections have spent in statements so far
 * (a request's database time is the difference across it). */
long long store_time_ns(void);
const char *store_errmsg(const struct store *st);

int store_begin(struct store *st);   /* BEGIN IMMEDIATE: writers queue up front */
/* store_begin for a writer whose first statements are *_later calls: on
 * PostgreSQL the BEGIN, the writers' lock and the stale-thread mark go
 * with its first store_flush (or its first statement, which flushes the
 * queue first) instead of a round trip of their own. */
int store_begin_queued(struct store *st);
int store_commit(struct store *st);
/* store_flush and store_commit for a writer whose queued statements end
 * its transaction and whose answers decide nothing before its COMMIT (a
 * failed one fails the whole: it is undone, STORE_ERROR, and only
 * store_rollback is left): on PostgreSQL they and the COMMIT go in one
 * round trip. They must mark no comment thread (store_thread.h): the
 * threads are then rendered by the background builder, not into this
 * transaction. A transaction that logged a change (store_touch) is
 * store_flush and store_commit, for the other nodes' notice. */
int store_commit_queued(struct store *st);
/* PostgreSQL: what the node's listener (store_listen.h) has heard, told at
 * each request's start: a count that moves with every notification and
 * every connection or loss of the listener (cache_heard), 0 while it is
 * not connected. While it stays the same, and
 * this process commits no change, the change log's head this connection
 * read serves its cached settings, sections and menus (rows_cached)
 * without a round trip; with 0, the head is read once per request. */
void store_heard(struct store *st, unsigned long long heard);
int store_rollback(struct store *st);
/* PostgreSQL: forgets a statement the server cancelled (statement or lock
 * timeout), after which the connection's statements fail at once, so
 * that a new piece of work runs them again: a request's start (and its
 * end, store_rollback), a comment batch's. */
void store_settle_cancel(struct store *st);
/* Statements sent together: each store_*_later call queues one (on
 * SQLite it runs at once) and names where its answer goes (db_ans.h);
 * store_flush runs the queue, on PostgreSQL in one round trip, in order.
 * STORE_OK when every one ran (each answer's rc says how), STORE_ERROR
 * (the message set) when some did not: inside a transaction, only
 * store_rollback is left. */
int store_flush(struct store *st);

/* Settings: small key/value pairs kept in the database (the site secret). */
/* A read transaction for the queries of one page (a consistent snapshot,
 * and one lock instead of one per statement). store_begin ends it first;
 * store_read_end and store_rollback end it. */
int store_read_begin(struct store *st);
void store_read_end(struct store *st);
/* A PostgreSQL read replica for st (a postgresql:// spec; NULL or "" for
 * none): store_read_begin then takes a page's snapshot there, not on the
 * primary, when the replica answers and has replayed the change log as far
 * as the primary had it just before (store_data_version: so a page never
 * shows less than the page cache has seen, and whoever just wrote reads
 * their write); else on the primary. A replica that fails is closed and
 * tried again at most once a second. Connects lazily: 0, or -1 (memory). */
int store_replica_set(struct store *st, const char *spec);
int store_setting_get(struct store *st, struct pool *p, const char *key, const char **val);
int store_setting_set(struct store *st, const char *key, const char *val);

/* Reading path. */
int store_sections(struct store *st, struct pool *p, struct section **out, size_t *n);
int store_section_by_slug(struct store *st, struct pool *p, const char *slug, struct section *out);
/* By path ("world/asia"); see store_section.h for the newsroom's side. */
int store_section_by_path(struct store *st, struct pool *p, const char *path, struct section *out);
int store_tag_by_slug(struct store *st, struct pool *p, const char *slug, struct tag *out);
int store_author_by_slug(struct store *st, struct pool *p, const char *slug, struct author *out);
/* The same for the public tag and author pages: STORE_NOTFOUND unless the
 * tag or author has a published story (a tag used only by drafts, or an
 * account that never published, is not shown to the world). */
int store_tag_listed(struct store *st, struct pool *p, const char *slug, struct tag *out);
int store_author_listed(struct store *st, struct pool *p, const char *slug, struct author *out);
/* Where a page of a list starts: dir -1, the stories older than the one
 * at (published_at, id); dir 1, the ones newer than it; 0, the newest. */
struct list_cursor { long long published_at, id; int dir; };
/* Published stories, newest first, with section and author (no tags, no
 * body), from the cursor `at` (NULL: the newest) and `offset` stories on.
 * *more is 1 when stories follow the page in the cursor's direction:
 * older ones, or for dir 1 newer ones; more NULL: the caller shows no
 * next page, and the one row that would tell is not read. */
int store_stories_list(struct store *st, struct pool *p, const struct story_filter *f,
		       const struct list_cursor *at, size_t offset, size_t limit,
		       struct story **out, size_t *n, int *more);
/* A published story by slug, with tags, its body HTML and its Markdown
 * (for the media:ID dependencies of the pictures it references). */
int store_story_by_slug(struct store *st, struct pool *p, const char *slug, struct story *out);
int store_story_by_id(struct store *st, struct pool *p, long long id, struct story *out);
/* A story by id, whatever its status, without its body, tags or
 * co-authors (ncoauthors counts them): what a form's post checks, its
 * status, address and dates and whether it takes comments. Kept per
 * connection as rows_cached keeps the settings (the last story asked
 * for): its strings are the connection's, good until its next call on
 * this connection (copy what must outlive the request). */
int store_story_summary_by_id(struct store *st, struct pool *p, long long id, struct story *out);
/* Its stored related stories that are still published, best first: id,
 * slug, title, published_at and the featured picture only (what a link
 * to each shows). */
int store_related(struct store *st, struct pool *p, long long story_id, struct story **out, size_t *n);
/* Approved comments of a story oldest first, plus (when extra_id > 0) that
 * one comment whatever its status: the commenter's own held comment. */
int store_comments_for_story(struct store *st, struct pool *p, long long story_id,
			     long long extra_id, struct comment **out, size_t *n);

/* Writing path. */
int store_section_put(struct store *st, const char *name, const char *slug, int position, long long *id);
int store_tag_put(struct store *st, const char *name, const char *slug, long long *id);
int store_user_add(struct store *st, const char *name, const char *slug, const char *email,
		   const char *bio, const char *role, long long *id);
int store_user_by_name(struct store *st, struct pool *p, const char *name, struct author *out);
/* Inserts a story (id ignored; section.id, author.id and tags[].id used). */
int store_story_insert(struct store *st, const struct story *s, long long *id);

/* All published stories for related-article scoring: id, title, body_md,
 * section name and tag names. */
int store_stories_for_related(struct store *st, struct pool *p, struct story **out, size_t *n);
/* Sets each story's related list: ids[i*k..] holds counts[i] ids for
 * story_ids[i]. Lists that did not change are left alone. */
int store_related_replace(struct store *st, const long long *story_ids, size_t n, size_t k,
			  const long long *ids, const double *scores, const size_t *counts);
/* Related lists are due for recomputing (a newsroom's save; the scheduler
 * does it). *seq of the newest mark: STORE_OK when due, else STORE_NOTFOUND.
 * Done clears the mark unless a newer one was made meanwhile. */
int store_related_mark_due(struct store *st);
int store_related_due(struct store *st, long long *seq);
int store_related_done(struct store *st, long long seq);

/* Stores c with its body_html as given (the store renders nothing). */
int store_comment_insert(struct store *st, const struct comment *c, long long *id);
int store_comment_get(struct store *st, struct pool *p, long long id, struct comment *out);
/* Sets a comment's status and keeps the story's comment_count in step. */
int store_comment_set_status(struct store *st, long long id, enum comment_status s);
/* 1 when the same author/email already said exactly this on the story. */
int store_comment_is_duplicate(struct store *st, long long story_id, const char *author,
			       const char *email, const char *body);
/* As later calls (store_flush). A post's checks before its insert:
 * a->value holds STORE_CHECK_DUPLICATE (store_comment_is_duplicate),
 * STORE_CHECK_KNOWN (this name and email have an approved comment
 * anywhere) and STORE_CHECK_SPENT (stamp_key is spent, store_stamp.h; ""
 * or NULL for none). The insert: a->value the new comment's id, then
 * store_comment_insert_done (once flushed) keeps the story's
 * comment_count in step. */
enum { STORE_CHECK_DUPLICATE = 1, STORE_CHECK_KNOWN = 2, STORE_CHECK_SPENT = 4 };
void store_comment_checks_later(struct store *st, const struct comment *c, const char *stamp_key,
				struct db_ans *a);
void store_comment_insert_later(struct store *st, const struct comment *c, struct db_ans *a);
int store_comment_insert_done(struct store *st, const struct comment *c);
/* The same post without its checks, for a batch sent in one round trip
 * with its COMMIT (store_commit_queued), as later calls: c, with the
 * status it has, is stored only if it is no duplicate, its stamp_key
 * (NULL: none) was not spent, and, when unless_known, its name and email
 * have no approved comment; the stamp is spent (marked with post, a
 * number no other spend of that key has, never 0) only with it. insert->rc
 * is DB_ROW, with the id in insert->value, when it was stored, DB_DONE
 * when not (the checks then say why); spend is not used without a stamp.
 * Nothing to do after, it being neither approved nor subscribed. */
void store_comment_insert_if_later(struct store *st, const struct comment *c,
				   const char *stamp_key, long long shown_at, long long post,
				   int unless_known, struct db_ans *spend, struct db_ans *insert);
/* Comments for the moderation command, newest first; status < 0 for all. */
int store_comments_list(struct store *st, struct pool *p, int status, size_t limit,
			struct comment **out, size_t *n);

/* The change log. Every store function that changes what a page shows
 * records, in the same transaction, tags naming what changed; servers read
 * the log to drop exactly the cached pages that showed it, whichever
 * process wrote. The vocabulary (a page depends on the tags of all it
 * shows):
 *   story:ID    anything shown of story ID: title, excerpt, body, date,
 *               byline, tags, its approved comments or their count
 *   list:home   which published stories exist or their order (publish,
 *               unpublish, date change): the home page, site feeds, sitemaps
 *   section:ID  tag:ID  author:ID
 *               the name/description of that section, tag or author, or
 *               which published stories it holds
 *   comments    the set of approved comments anywhere (comment feeds)
 *   list:corrections  the set of corrections (/corrections; store_byline.h)
 *   front       the edited front page: pins, banner, section blocks
 *               (store_front.h)
 *   site        settings, section navigation, theme: every page
 * Writers in store_*.c call store_touch for each tag their change
 * affects; code outside store/ never needs to. */
int store_touch(struct store *st, const char *tag);
int store_touchf(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Calls fn(seq, tag) for each change after *seq, oldest first, and
 * advances *seq. At most `limit` per call; returns the number seen or
 * STORE_ERROR. */
int store_changes_since(struct store *st, long long *seq, size_t limit,
			void (*fn)(void *arg, long long seq, const char *tag), void *arg);
/* The oldest change still in the log (0 when empty): a reader whose *seq
 * is older than this missed purged changes and must drop everything. */
int store_changes_tail(struct store *st, long long *seq);

/* What a request read. The server sets a recorder on its connection for
 * the length of a request; every read function of the store reports the
 * tags (vocabulary above) of what it returned, so a cached page knows
 * exactly which changes make it stale. NULL fn stops recording. */
void store_set_recorder(struct store *st, void (*fn)(void *arg, const char *tag), void *arg);
/* The newest change's sequence number (0 when none). */
int store_changes_head(struct store *st, long long *seq);
/* A number that changes whenever another connection commits (SQLite's
 * PRAGMA data_version and the change-signal file; PostgreSQL's change
 * log's newest seq): a cheap "did anything change?" check. */
int store_data_version(struct store *st, long long *v);
/* 1 once after this connection wrote to the change log, then 0 again. */
int store_take_touched(struct store *st);

#endif
