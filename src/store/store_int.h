/*
 * store_int: what the store's files share, and nothing outside store/ may
 * include. They speak the engine-neutral statement API of db.h. Each
 * store_*.c file keeps its SQL in its own static strings; stmt() prepares
 * a statement the first time its text is used on a connection and caches
 * it by the text's address, so the serving path never parses SQL twice
 * and a new file of queries needs no registration.
 */
#ifndef GZ_STORE_INT_H
#define GZ_STORE_INT_H

#include "store.h"

#include "db.h"

#include <stdatomic.h>

#define STORE_STMT_SLOTS 256   /* a power of two, > the number of statements */

struct store {
	dbc db[1];               /* SQLite's or PostgreSQL's (db.h) */
	struct { const char *sql; dbq stmt; } cache[STORE_STMT_SLOTS];
	char err[256];
	int touched;             /* wrote to the change log since last asked */
	int writing;             /* holds the process's write lock (store_begin) */
	int later_failed;        /* a *_later call could not queue its statement */
	int txn_touched;         /* the open transaction wrote to the change log */
	_Atomic unsigned long long *signal; /* shared change counter, or NULL */
	int signal_writable;
	long long pragma_at, pragma_version; /* the slow check, once a second */
	void (*record)(void *arg, const char *tag); /* see store_set_recorder */
	void *record_arg;
	/* see store_set_thread_builder (store_thread.h) */
	int (*thread_builder)(void *arg, struct store *st, long long story_id);
	void *thread_builder_arg;
	long long thread_variant;
	/* the newest stale mark when store_begin ran, and when the
	 * transaction's last marking write was queued (store_thread.h),
	 * read with other statements (later) */
	struct db_ans thread_mark, thread_mark_end;
	int thread_mark_end_queued;
	int reading;             /* in store_read_begin's transaction */
	long long snapshot_version; /* store_data_version just before it */
	struct rows_cache {      /* see rows_cached in store_read.c */
		struct pool *pool;
		long long version;
		void *rows;
		size_t n;
		int ordered;     /* sections: put in tree order since loaded */
		long long key;   /* rows_cached_by: the ?1 they were read with */
	} settings, sections, menus, summary;
	int search_rank;         /* gz_rank is registered (store_search.c) */
	/* the PostgreSQL read replica (store_replica_set): its spec, its
	 * connection (NULL while down, tried again at retry_ns), and `via`,
	 * the replica while a page's snapshot reads from it: stmt() then
	 * prepares and runs on it */
	char *replica_spec;
	const char *pg_options;  /* its connections' server settings (store_open_request) */
	struct store *replica;
	long long replica_retry_ns;
	struct store *via;
	long long touch_seq;     /* the change log's seq store_touch wrote last */
	/* PostgreSQL, outside a snapshot: the change log's head rows_cached
	 * read, and when (monotonic ns; 0: none), kept until this
	 * connection's next transaction statement (the server's store_rollback
	 * after each request) or a second; or, read while the node's listener
	 * was connected (head_heard: heard then, 0: not), for as long as heard
	 * and this process's changes (changes_local) stay as they were */
	long long head, head_at;
	unsigned long long heard, head_heard, head_local;
	unsigned duties;         /* the duties this connection holds (store_duty.h) */
	unsigned duties_gen;     /* on the connection pg_gen counted then */
};

/* PostgreSQL: the channel of a site database's change notifications
 * (store_listen.h; NOTIFY is per database, so one name serves every site). */
#define STORE_CHANGES_CHANNEL "gazette_changes"
/* Sends it with the seq this connection wrote last (PostgreSQL only; in
 * the writer's transaction, delivered at its commit). */
int changes_notify(struct store *st);

/* Report a dependency tag of what a read returned (no-op unless a
 * recorder is set). Every read function calls these for what it read:
 * stories_done for story rows (story, section and author tags), dep for
 * the rest ("list:home" for the set of published stories, "tag:ID", ...). */
void dep(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finishes story rows a read returned: loads the co-authors of those that
 * have any (one query each, none for the common single byline) and
 * reports their tags. */
int stories_done(struct store *st, struct pool *p, struct story *v, size_t n);
/* A story's co-authors, in order (store_byline.c). */
int story_coauthors(struct store *st, struct pool *p, long long story_id, struct author **out,
		    size_t *n);

/* Rows the last write changed. */
static inline long long q_changes(struct store *st)
{
	return db_changes(st->db);
}

/* CLOCK_MONOTONIC in nanoseconds. */
long long mono_ns(void);
/* Sets the error message from the engine's and returns STORE_ERROR. */
int fail(struct store *st, const char *what);
/* The cached statement for this SQL text (a static string), or NULL with
 * the error set. */
dbq *stmt(struct store *st, const char *sql);
/* A statement whose SQL differs by engine, where no one text serves both
 * (HACKING.md, "The store's two engines"): SQLite's text and PostgreSQL's,
 * static strings, cached by stmt() under whichever the connection uses
 * (sql_for gives the text, for exec_id and the like). */
struct sql_pair {
	const char *lite, *pg;
};
static inline const char *sql_for(struct store *st, const struct sql_pair *q)
{
	return DB_LITE(st->db) ? q->lite : q->pg;
}
static inline dbq *stmt_for(struct store *st, const struct sql_pair *q)
{
	return stmt(st, sql_for(st, q));
}
/* A text that differs by a few words is written once, as a macro M(e) of
 * the engine e, and SQL_PAIR(M) expands it for both (e is LITE or PG):
 * inside it, these give each engine's words. */
#define SQL_PAIR(M) { M(LITE), M(PG) }
/* SQLite's CROSS JOIN is an inner join it keeps in the written order (a
 * bounded subquery read as a co-routine, store_read.c); PostgreSQL's
 * CROSS JOIN takes no ON: a plain JOIN there, its planner chooses. */
#define CO_JOIN(e) SQL_##e##_CO_JOIN
#define SQL_LITE_CO_JOIN " CROSS JOIN"
#define SQL_PG_CO_JOIN " JOIN"
/* a = b whatever the case of ASCII letters (PostgreSQL's indexes for it
 * are on lower(col): schema_pg.h) */
#define NOCASE_EQ(e, a, b) SQL_##e##_NOCASE_EQ(a, b)
#define SQL_LITE_NOCASE_EQ(a, b) " " a " = " b " COLLATE NOCASE"
#define SQL_PG_NOCASE_EQ(a, b) " lower(" a ") = lower(" b ")"
/* LIKE whatever the case (SQLite's LIKE is, for ASCII) */
#define LIKE_CI(e) SQL_##e##_LIKE_CI
#define SQL_LITE_LIKE_CI " LIKE"
#define SQL_PG_LIKE_CI " ILIKE"
/* Resets a statement and clears its bindings after use. */
static inline void done(dbq *s)
{
	q_reset(s);
}
/* Queues s, bound, for store_flush (q_later), its answer into a; with s
 * NULL (stmt() failed), a says so and the flush fails. */
void later(struct store *st, dbq *s, struct db_ans *a);
/* Steps a statement that returns no rows, then done(). */
int exec_step(struct store *st, dbq *s, const char *what);
/* Steps a statement that returns a row or none, then done(): 1 a row,
 * 0 none, STORE_ERROR. */
int exists(struct store *st, dbq *s);
/* Steps an INSERT ... RETURNING id, then done(): STORE_OK with the new
 * row's id in *id, STORE_NOTFOUND when it inserted nothing (an ignored
 * conflict), STORE_CONFLICT when a constraint refused it and STORE_ERROR
 * otherwise (both with the message set: what). */
int insert_id(struct store *st, dbq *s, long long *id, const char *what);
/* The cached statement for sql with ?1 bound to id, stepped by exec_step. */
int exec_id(struct store *st, const char *sql, long long id, const char *what);
/* The cached statement for sql, which takes no parameters, stepped by
 * exec_step. */
int exec_sql(struct store *st, const char *sql);
/* The first column of the row sql returns (with ?1 bound to id when it
 * takes a parameter) into out: STORE_OK, or STORE_ERROR with the message
 * set (what) when it returns none. */
int int_row(struct store *st, const char *sql, long long id, long long *out, const char *what);
/* The same, STORE_NOTFOUND when it returns no row. */
int int_row_or_none(struct store *st, const char *sql, long long id, long long *out,
		    const char *what);
/* Upserts a named row by its slug with put_sql (?1 name, ?2 slug, and ?3
 * position when it has a third parameter), then reads its id back with
 * id_sql (?1 slug): an upsert that changed nothing does not set
 * last_insert_rowid. */
int upsert_named(struct store *st, const char *put_sql, const char *id_sql, const char *name,
		 const char *slug, int position, long long *id);

/* Opens a deferred transaction: a read's snapshot is taken at its first
 * statement (store_open.c). */
int begin_deferred(struct store *st);

/* Registers store_search.c's rank function on the connection, once
 * (store_search_rank.c). */
int search_rank_ready(struct store *st);
/* store_search's queries on one engine (store_search.c has SQLite's,
 * store_search_pg.c PostgreSQL's): ?1 the match (search_query_build's
 * quoted words); search also ?2 limit, ?3 offset and, on SQLite, ?4 the
 * words' numbers of stories; search_walk (NULL: search) the same, for
 * words that many stories hold together, found by walking the newest
 * stories rather than visiting every match (store_search.c's
 * walk_newest); probe one word (its newest SEARCH_PROBE stories: how
 * many, and the oldest id). */
#define SEARCH_PROBE 2000
struct search_sql {
	const char *search, *search_walk, *count, *probe;
};
extern const struct search_sql search_sql_pg;
/* store_open.c's transaction statements, also gazette copy's (store_copy.c):
 * SQLite's read BEGIN, COMMIT, ROLLBACK, its schema version; PostgreSQL's
 * BEGIN under the writers' advisory lock. */
extern const char SQL_BEGIN_READ[], SQL_COMMIT[], SQL_ROLLBACK[], SQL_USER_VERSION[],
	PG_BEGIN_WRITE[];

/* The change signal (store_changes.c): a counter in a small file beside the
 * database, mapped by every process, bumped after each commit that logged
 * a change. Reading it is a memory load: no lock, no system call. */
void signal_open(struct store *st, const char *db_path);
void signal_close(struct store *st);
void signal_bump(struct store *st);
/* Changes this process committed (signal_bump counts them on both engines:
 * the listener does not tell a node of its own). */
unsigned long long changes_local(void);

typedef void (*row_fn)(struct pool *p, dbq *s, void *elem);
/* Rows every page asks for (sql, without parameters), kept in c while
 * nothing changed (store_read.c): 1 when c->rows are current, 0 when the
 * caller must query itself (inside a write, or on an error). */
int rows_cached(struct store *st, struct rows_cache *c, const char *sql, size_t elem_size,
		row_fn row);
/* The same for a statement of one parameter, ?1 = key: the rows kept are
 * those of the last key asked for. */
int rows_cached_by(struct store *st, struct rows_cache *c, const char *sql, long long key,
		   size_t elem_size, row_fn row);
/* All rows into a pool array of elem_size elements; done() after. */
int collect(struct store *st, struct pool *p, dbq *s, size_t elem_size, row_fn row,
	    void **out, size_t *n);
/* Exactly one row into elem: STORE_OK, STORE_NOTFOUND or STORE_ERROR. */
int one(struct store *st, struct pool *p, dbq *s, row_fn row, void *elem);
/* What the step (rc) of a statement expected to return one row means:
 * STORE_OK (a row), STORE_NOTFOUND (none) or STORE_ERROR with the message
 * set (what: the log line's subject). For callers that read the row's
 * columns themselves before done(). */
int one_result(struct store *st, int rc, const char *what);
/* Rows of (status, count) into counts[status] for 0 <= status < max (the
 * caller zeroes counts first); done() after. */
int status_counts(struct store *st, dbq *s, size_t *counts, int max, const char *what);

/* The columns of a story summary, shared by every list query, and the
 * row function that reads them. Each row carries its featured picture
 * (issue 14): the old columns (the one served JPEG) and, joined on the
 * primary key, the library record's (NULL when none), so a list shows
 * its pictures from the one query it runs anyway. Columns a query adds
 * after STORY_COLS start at STORY_NCOLS (the body: STORY_NCOLS and +1). */
#define STORY_COLS \
	"s.id, s.slug, s.title, s.excerpt, s.status, s.published_at, s.updated_at," \
	" s.reading_minutes, s.comment_count, s.comments_open," \
	" COALESCE(sec.id, 0), COALESCE(sec.name, ''), COALESCE(sec.path, '')," \
	" u.id, u.name, u.slug, u.bio, " STORY_PICTURE_COLS ", s.revised_at," \
	" s.coauthor_count, s.corrected, s.lang"
#define STORY_NCOLS 36
#define STORY_JOINS \
	" JOIN users u ON u.id = s.author_id LEFT JOIN sections sec ON sec.id = s.section_id" \
	STORY_PICTURE_JOIN
/* A story's featured picture (15 columns of stories s and media fm), and
 * the row function that reads them from column `first` into x->image and
 * x->media. */
#define STORY_PICTURE_COLS \
	"s.featured_image, s.featured_width, s.featured_height, s.featured_bytes," \
	" COALESCE(fm.id, 0), fm.hash, fm.width, fm.height, fm.alt, fm.caption, fm.credit," \
	" fm.focal_x, fm.focal_y, fm.variants, fm.formats"
#define STORY_PICTURE_JOIN " LEFT JOIN media fm ON fm.id = s.featured_media_id"
void row_story_picture(struct pool *p, dbq *s, int first, struct story *x);
#define STORY_FROM " FROM stories s" STORY_JOINS
/* The summary with the Markdown and the HTML (columns STORY_NCOLS, +1). */
#define STORY_WITH_BODY "SELECT " STORY_COLS ", s.body_md, s.body_html" STORY_FROM
/* What a reader may see, and the order every list and feed shows it in. */
#define IS_PUBLISHED " s.status = 3"
#define NEWEST_FIRST " ORDER BY s.published_at DESC, s.id DESC"
void row_story(struct pool *p, dbq *s, void *e);
/* A published story as a link: columns s.id, s.slug, s.title,
 * s.published_at, s.lang; every other text "" and number 0. */
void row_story_link(struct pool *p, dbq *s, void *e);

/* A section's columns and row, a byline's (row_author reads the first
 * five, id to bio, when that is all the query has, and first_name,
 * last_name after AUTHOR_COLS when the query adds them), a tag's (id,
 * name, slug) and a lone id's. */
#define SECTION_COLS "id, name, slug, path, description, parent_id, position"
#define AUTHOR_COLS "id, name, slug, email, bio, photo, links, photo_width, photo_height"
void row_section(struct pool *p, dbq *s, void *e);
void row_author(struct pool *p, dbq *s, void *e);
void row_tag(struct pool *p, dbq *s, void *e);
void row_id(struct pool *p, dbq *s, void *e);
/* The ids of section `param` (an SQL expression) and its descendants. */
#define SECTION_TREE(param) \
	"(SELECT d.id FROM sections a JOIN sections d ON d.path = a.path" \
	" OR substr(d.path, 1, length(a.path) + 1) = a.path || '/' WHERE a.id = " param ")"
/* Reports section:ID for section id's descendants (store_section.c). */
int dep_section_tree(struct store *st, long long id);
/* Puts v in tree order (parents before children, siblings as they came)
 * and sets each depth (store_section.c). */
void section_tree_order(struct pool *p, struct section *v, size_t n);
/* A comment from columns id, story_id, parent_id, created_at, author,
 * email, url, body, ip, user_agent, status [, story slug [, body_html]]:
 * COMMENT_COLS and what a query adds after them. */
#define COMMENT_COLS \
	"c.id, c.story_id, c.parent_id, c.created_at, c.author, c.email, c.url, c.body," \
	" c.ip, c.user_agent, c.status"
void row_comment(struct pool *p, dbq *s, void *e);
/* Inserts a comment row as it is (store_comment.c): the importer keeps a
 * comment's own dates, a new comment is dated now. No recount. */
int comment_row_insert(struct store *st, const struct comment *c, long long created_at,
		       long long status_at, long long *id);
/* A story's approved comments changed: recounts them and logs its page
 * and the comment lists (store_comment.c). */
int comments_recount(struct store *st, long long story_id);
/* Binds a story's stored fields to ?first .. ?first+11: slug, title,
 * excerpt, body_md, body_html, section, author, status, published_at,
 * updated_at, reading_minutes, comments_open. */
void bind_story(dbq *s, int first, const struct story *x);
/* A story's tags, in their order; and their replacement by tags[0..n)
 * (store_story.c). Neither logs a change: callers know which pages. */
int story_tags_get(struct store *st, struct pool *p, long long story_id, struct tag **out,
		   size_t *n);
int story_tags_set(struct store *st, long long story_id, const struct tag *tags, size_t n);
/* Replaces a story's co-authors (after its first author) by ids, in
 * byline order. */
int story_coauthors_set(struct store *st, long long id, const long long *ids, size_t n);
/* A story's featured image fields (store_story.c; the editor and the importer). */
int story_image_set(struct store *st, long long id, const char *path, int width, int height,
		    long long bytes, long long media_id);

#endif
