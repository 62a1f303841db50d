/*
 * store_sqlite: the SQLite backend of store.h: opening, migrations, and the
 * reader's and commenter's queries.
 *
 * Every statement of this file is a row of one table (enum q -> SQL),
 * prepared once per connection on first use (store_int.c) and reset after
 * each use, so the serving path never re-parses SQL and no SQL is ever
 * built from input: every value is a bound parameter.
 */
#include "store.h"
#include "schema.h"
#include "store_int.h"
#include "store_thread.h"
#include "../util/pool.h"
#include "../util/buf.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum q {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_BEGIN_READ, Q_SETTINGS_ALL,
	Q_RELATED_DUE_MARK, Q_RELATED_DUE_GET, Q_RELATED_DUE_DONE, Q_SNAPSHOT,
	Q_SETTING_GET, Q_SETTING_SET,
	Q_SECTIONS, Q_SECTION_BY_SLUG, Q_SECTION_BY_PATH, Q_TAG_BY_SLUG, Q_AUTHOR_BY_SLUG, Q_TAG_LISTED, Q_AUTHOR_LISTED, Q_USER_BY_NAME,
	Q_STORY_BY_SLUG, Q_STORY_BY_ID, Q_STORY_TAGS, Q_RELATED,
	Q_COMMENTS_FOR_STORY,
	Q_SECTION_PUT, Q_SECTION_ID, Q_TAG_PUT, Q_TAG_ID, Q_USER_ADD,
	Q_STORY_INSERT, Q_STORY_TAG_ADD,
	Q_FOR_RELATED, Q_ALL_TAG_NAMES, Q_RELATED_CLEAR, Q_RELATED_OF, Q_RELATED_ADD,
	Q_COMMENT_INSERT, Q_COMMENT_GET, Q_COMMENT_SET_STATUS, Q_COMMENT_RECOUNT,
	Q_COMMENT_DUP, Q_COMMENTER_KNOWN, Q_COMMENTS_LIST, Q_COMMENTS_LIST_STATUS,
	Q__MAX
};

#define PUBLISHED " s.status = 3"
#define NEWEST_PAGE " ORDER BY s.published_at DESC, s.id DESC"
#define STORY_JOINS " JOIN users u ON u.id = s.author_id LEFT JOIN sections sec ON sec.id = s.section_id"

static const char *const sql[Q__MAX] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_BEGIN_READ] = "BEGIN",
	[Q_SNAPSHOT] = "PRAGMA user_version", /* any read starts the snapshot */
	[Q_RELATED_DUE_MARK] = "INSERT INTO related_due(id, seq) VALUES(1, 1)"
			       " ON CONFLICT(id) DO UPDATE SET seq = seq + 1",
	[Q_RELATED_DUE_GET] = "SELECT seq FROM related_due WHERE id = 1",
	[Q_RELATED_DUE_DONE] = "DELETE FROM related_due WHERE id = 1 AND seq = ?1",
	[Q_SETTINGS_ALL] = "SELECT key, value FROM settings ORDER BY key",
	[Q_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[Q_SETTING_SET] = "INSERT INTO settings(key, value) VALUES(?1, ?2)"
			  " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[Q_SECTIONS] = "SELECT " SECTION_COLS " FROM sections ORDER BY position, name, id",
	[Q_SECTION_BY_SLUG] = "SELECT " SECTION_COLS " FROM sections WHERE slug = ?1",
	[Q_SECTION_BY_PATH] = "SELECT " SECTION_COLS " FROM sections WHERE path = ?1",
	[Q_TAG_BY_SLUG] = "SELECT id, name, slug FROM tags WHERE slug = ?1",
	[Q_AUTHOR_BY_SLUG] = "SELECT " AUTHOR_COLS " FROM users WHERE slug = ?1",
	/* a tag or author page exists only while it lists a published story */
	[Q_TAG_LISTED] = "SELECT id, name, slug FROM tags t WHERE slug = ?1 AND EXISTS (SELECT 1"
			 " FROM story_tags x JOIN stories s ON s.id = x.story_id"
			 " WHERE x.tag_id = t.id AND s.status = 3)",
	[Q_AUTHOR_LISTED] = "SELECT " AUTHOR_COLS " FROM users WHERE slug = ?1 AND EXISTS (SELECT 1"
			    " FROM stories s WHERE s.author_id = users.id AND s.status = 3)",
	[Q_USER_BY_NAME] = "SELECT " AUTHOR_COLS " FROM users WHERE name = ?1",
	/* a reader's page: the HTML, not the Markdown it came from */
	[Q_STORY_BY_SLUG] = "SELECT " STORY_COLS ", '', s.body_html" STORY_FROM
			    " WHERE" PUBLISHED " AND s.slug = ?1",
	[Q_STORY_BY_ID] = "SELECT " STORY_COLS ", s.body_md, s.body_html" STORY_FROM
			  " WHERE s.id = ?1",
	[Q_STORY_TAGS] = "SELECT t.id, t.name, t.slug FROM story_tags st"
			 " JOIN tags t ON t.id = st.tag_id WHERE st.story_id = ?1"
			 " ORDER BY st.position",
	/* what a related link shows: title and address (slug, date) */
	[Q_RELATED] = "SELECT s.id, s.slug, s.title, s.published_at FROM related r"
		      " JOIN stories s ON s.id = r.related_id"
		      " WHERE r.story_id = ?1 AND" PUBLISHED " ORDER BY r.rank",
	[Q_COMMENTS_FOR_STORY] =
		/* only what a page shows: no email, address or agent, and the
		 * raw text only for old rows without stored HTML */
		"SELECT id, story_id, parent_id, created_at, author, '', url,"
		" CASE WHEN body_html = '' THEN body ELSE '' END,"
		" '', '', status, '', body_html, user_id, user_role,"
		" user_id != 0 AND user_id = (SELECT author_id FROM stories WHERE id = ?1)"
		" FROM comments WHERE story_id = ?1 AND (status = 1 OR id = ?2)"
		" ORDER BY created_at, id",
	[Q_SECTION_PUT] = "INSERT INTO sections(name, slug, position, path) VALUES(?1, ?2, ?3, ?2)"
			  " ON CONFLICT(slug) DO UPDATE SET name = excluded.name",
	[Q_SECTION_ID] = "SELECT id FROM sections WHERE slug = ?1",
	[Q_TAG_PUT] = "INSERT INTO tags(name, slug) VALUES(?1, ?2) ON CONFLICT(slug) DO NOTHING",
	[Q_TAG_ID] = "SELECT id FROM tags WHERE slug = ?1",
	[Q_USER_ADD] = "INSERT INTO users(name, slug, email, bio, role, created_at)"
		       " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_STORY_INSERT] =
		"INSERT INTO stories(slug, title, excerpt, body_md, body_html, section_id,"
		" author_id, status, published_at, created_at, updated_at, reading_minutes,"
		" comments_open) VALUES(?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0), ?7, ?8, ?9,"
		" ?10, ?10, ?11, ?12)",
	[Q_STORY_TAG_ADD] = "INSERT OR IGNORE INTO story_tags(story_id, tag_id, position)"
			    " VALUES(?1, ?2, ?3)",
	[Q_FOR_RELATED] = "SELECT s.id, s.title, s.body_md, COALESCE(sec.name, '')"
			  " FROM stories s LEFT JOIN sections sec ON sec.id = s.section_id"
			  " WHERE" PUBLISHED " ORDER BY s.id",
	[Q_ALL_TAG_NAMES] = "SELECT st.story_id, t.name FROM story_tags st"
			    " JOIN tags t ON t.id = st.tag_id ORDER BY st.story_id, st.position",
	[Q_RELATED_CLEAR] = "DELETE FROM related WHERE story_id = ?1",
	[Q_RELATED_OF] = "SELECT related_id FROM related WHERE story_id = ?1 ORDER BY rank",
	[Q_RELATED_ADD] = "INSERT INTO related(story_id, rank, related_id, score)"
			  " VALUES(?1, ?2, ?3, ?4)",
	[Q_COMMENT_INSERT] =
		"INSERT INTO comments(story_id, parent_id, author, email, url, body, status,"
		" created_at, ip, user_agent, body_html, status_at, user_id, user_role)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[Q_COMMENT_GET] = "SELECT id, story_id, parent_id, created_at, author, email, url,"
			  " body, ip, user_agent, status FROM comments WHERE id = ?1",
	[Q_COMMENT_SET_STATUS] = "UPDATE comments SET status = ?2 WHERE id = ?1",
	[Q_COMMENT_RECOUNT] = "UPDATE stories SET comment_count = (SELECT count(*)"
			      " FROM comments c WHERE c.story_id = stories.id AND c.status = 1)"
			      " WHERE id = ?1",
	/* WordPress matches on author or email; email is required here, and
	 * matching on it alone lets an index find the rows */
	[Q_COMMENT_DUP] = "SELECT 1 FROM comments WHERE story_id = ?1 AND email = ?3"
			  " AND body = ?4 AND status IN (0, 1) AND ?2 IS NOT NULL LIMIT 1",
	[Q_COMMENTER_KNOWN] = "SELECT 1 FROM comments WHERE email = ?2 AND author = ?1"
			      " AND status = 1 LIMIT 1",
	[Q_COMMENTS_LIST] = "SELECT c.id, c.story_id, c.parent_id, c.created_at, c.author,"
			    " c.email, c.url, c.body, c.ip, c.user_agent, c.status, s.slug"
			    " FROM comments c JOIN stories s ON s.id = c.story_id"
			    " ORDER BY c.id DESC LIMIT ?1",
	[Q_COMMENTS_LIST_STATUS] = "SELECT c.id, c.story_id, c.parent_id, c.created_at,"
				   " c.author, c.email, c.url, c.body, c.ip, c.user_agent,"
				   " c.status, s.slug FROM comments c"
				   " JOIN stories s ON s.id = c.story_id WHERE c.status = ?2"
				   " ORDER BY c.id DESC LIMIT ?1",
};

static const char *const story_status_names[STORY__MAX] = {
	"draft", "pending", "scheduled", "published"
};
static const char *const comment_status_names[COMMENT__MAX] = {
	"pending", "approved", "spam", "trash"
};
static const char *const role_names[ROLE__MAX] = {
	"none", "contributor", "author", "editor", "admin"
};

const char *story_status_name(enum story_status s)
{
	return s < STORY__MAX ? story_status_names[s] : "?";
}

const char *comment_status_name(enum comment_status s)
{
	return s < COMMENT__MAX ? comment_status_names[s] : "?";
}

static int parse_name(const char *const *names, int n, const char *name, int *out)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

int story_status_parse(const char *name, enum story_status *out)
{
	int v;
	if (parse_name(story_status_names, STORY__MAX, name, &v))
		return -1;
	*out = (enum story_status)v;
	return 0;
}

int comment_status_parse(const char *name, enum comment_status *out)
{
	int v;
	if (parse_name(comment_status_names, COMMENT__MAX, name, &v))
		return -1;
	*out = (enum comment_status)v;
	return 0;
}

const char *role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "none";
}

int role_parse(const char *name, enum role *out)
{
	int v; /* "none" is no role anyone is given */
	if (!name || parse_name(role_names + 1, ROLE__MAX - 1, name, &v))
		return -1;
	*out = (enum role)(v + 1);
	return 0;
}








static int migrate(struct store *st)
{
	sqlite3_stmt *s;
	int version = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return fail(st, "user_version");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > SCHEMA_VERSION) {
		snprintf(st->err, sizeof st->err,
			 "database schema %d is newer than this gazette (%d)", version,
			 SCHEMA_VERSION);
		return STORE_ERROR;
	}
	for (int v = version; v < SCHEMA_VERSION; v++) {
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return fail(st, "migration begin");
		if (sqlite3_exec(st->db, schema_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(st->db, bump, NULL, NULL, NULL) != SQLITE_OK) {
			fail(st, "migration");
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return STORE_ERROR;
		}
		if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return fail(st, "migration commit");
	}
	return STORE_OK;
}

/* Before SQLite initialises: no global memory statistics. Left on, every
 * sqlite3_malloc of every connection takes one process-wide mutex, and
 * worker threads reading pages queue on it (a tenth of a loaded server's
 * time went to that futex). Nothing here reads sqlite3_status(). */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(struct store **out, const char *path, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_sqlite);
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	int rc = sqlite3_open_v2(path, &st->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(st->db, 5000);
		/* WAL for concurrent readers; synchronous=FULL so a comment
		 * acknowledged with 303 survives a power cut, not only a crash. */
		rc = sqlite3_exec(st->db,
				  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA foreign_keys=ON;",
				  NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK || migrate(st) != STORE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 st->err[0] ? st->err : sqlite3_errmsg(st->db));
		store_close(st);
		return STORE_ERROR;
	}
	signal_open(st, path);
	*out = st;
	return STORE_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < STORE_STMT_SLOTS; i++)
		sqlite3_finalize(st->cache[i].stmt);
	signal_close(st);
	pool_free(st->settings.pool);
	pool_free(st->sections.pool);
	sqlite3_close(st->db);
	free(st);
}

static int simple(struct store *st, enum q q)
{
	sqlite3_stmt *s = stmt(st, sql[q]);
	return s ? exec_step(st, s, sql[q]) : STORE_ERROR;
}

/* Writers of one process queue on this mutex before BEGIN IMMEDIATE:
 * SQLite's busy handler would otherwise make the loser sleep (1, 2, 5,
 * 10 ms...) even when the lock frees microseconds later. Other processes
 * still meet the busy timeout, as they should. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

int store_begin(struct store *st)
{
	store_read_end(st); /* a write sees the newest data, not a snapshot */
	pthread_mutex_lock(&write_lock);
	st->writing = 1;
	int rc = simple(st, Q_BEGIN);
	if (rc == STORE_OK && store_threads_mark_start(st)) {
		(void)simple(st, Q_ROLLBACK);
		rc = STORE_ERROR;
	}
	if (rc) {
		st->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
	return rc;
}

/* One read transaction around a page's queries: SQLite otherwise opens and
 * closes one per statement, each taking the WAL index's read lock, a
 * mutex all of the process's connections share. */
int store_read_begin(struct store *st)
{
	if (st->reading || !sqlite3_get_autocommit(st->db))
		return STORE_OK;
	/* what has changed, read before the snapshot (rows_cached labels
	 * rows read inside it with this), and the snapshot taken at once by
	 * a read, not at the page's first query */
	if (store_data_version(st, &st->snapshot_version) || simple(st, Q_BEGIN_READ))
		return STORE_ERROR;
	sqlite3_stmt *s = stmt(st, sql[Q_SNAPSHOT]);
	int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
	if (s)
		done(s);
	if (rc != SQLITE_ROW) {
		fail(st, "read snapshot");
		(void)simple(st, Q_ROLLBACK);
		return STORE_ERROR;
	}
	st->reading = 1;
	return STORE_OK;
}

void store_read_end(struct store *st)
{
	if (!st->reading)
		return;
	st->reading = 0;
	if (!sqlite3_get_autocommit(st->db))
		(void)simple(st, Q_COMMIT);
}

static void end_write(struct store *st)
{
	if (st->writing && sqlite3_get_autocommit(st->db)) {
		st->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

int store_commit(struct store *st)
{
	/* the threads this transaction made stale, rendered into it (a
	 * failure leaves them stale: pages then render their comments) */
	if (st->thread_builder && !sqlite3_get_autocommit(st->db))
		(void)store_threads_rebuild_own(st);
	int rc = simple(st, Q_COMMIT);
	if (rc == STORE_OK && st->txn_touched)
		signal_bump(st); /* after the commit: a reader that sees it sees the data */
	st->txn_touched = 0;
	end_write(st);
	return rc;
}

int store_rollback(struct store *st)
{
	int rc = STORE_OK;
	if (!sqlite3_get_autocommit(st->db))
		rc = simple(st, Q_ROLLBACK);
	st->txn_touched = st->reading = 0;
	end_write(st);
	return rc;
}

struct setting { const char *key, *value; };

static void row_setting(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct setting *x = e;
	x->key = col_text(p, s, 0);
	x->value = col_text(p, s, 1);
}

static int by_key(const void *k, const void *e)
{
	return strcmp(k, ((const struct setting *)e)->key);
}

/* Rows every page asks for (settings, sections), kept per connection and
 * read again only when something changed: any write to them logs "site"
 * and bumps the shared change counter, and store_data_version also catches
 * a writer that could not bump it (PRAGMA data_version, once a second).
 * Inside a read snapshot the rows are labelled with the version read just
 * before the snapshot began, so rows of an old snapshot are never kept as
 * newer than they are. 1 when c holds current rows; 0 when the caller must
 * query (inside a write, whose own changes are not committed yet). The
 * rows live until the next reload on this connection: callers copy what
 * they hand out. */
static int rows_cached(struct store *st, struct rows_cache *c, enum q q, size_t elem_size,
		       row_fn row)
{
	long long version;
	if (st->writing)
		return 0;
	if (st->reading)
		version = st->snapshot_version;
	else if (store_data_version(st, &version))
		return 0;
	if (c->pool && version == c->version)
		return 1;
	pool_free(c->pool);
	c->pool = pool_new();
	c->version = version; /* read before the rows: a change meanwhile reloads */
	c->ordered = 0;
	sqlite3_stmt *s = stmt(st, sql[q]);
	if (!s || collect(st, c->pool, s, elem_size, row, &c->rows, &c->n)) {
		pool_free(c->pool);
		c->pool = NULL;
		return 0;
	}
	return 1;
}

int store_setting_get(struct store *st, struct pool *p, const char *key, const char **val)
{
	if (rows_cached(st, &st->settings, Q_SETTINGS_ALL, sizeof(struct setting), row_setting)) {
		const struct setting *hit =
			bsearch(key, st->settings.rows, st->settings.n, sizeof *hit, by_key);
		if (hit)
			*val = pool_strdup(p, hit->value);
		return hit ? STORE_OK : STORE_NOTFOUND;
	}
	sqlite3_stmt *s = stmt(st, sql[Q_SETTING_GET]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*val = col_text(p, s, 0);
	done(s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, "setting");
}

int store_setting_set(struct store *st, const char *key, const char *val)
{
	sqlite3_stmt *s = stmt(st, sql[Q_SETTING_SET]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, key);
	bind_text(s, 2, val);
	if (exec_step(st, s, "setting set"))
		return STORE_ERROR;
	/* settings (comments closed, word lists...) show on every page */
	return strcmp(key, "secret") == 0 ? STORE_OK : store_touch(st, "site");
}






int store_sections(struct store *st, struct pool *p, struct section **out, size_t *n)
{
	dep(st, "site");
	if (rows_cached(st, &st->sections, Q_SECTIONS, sizeof **out, row_section)) {
		if (!st->sections.ordered) { /* once per load, not per page */
			section_tree_order(st->sections.pool, st->sections.rows, st->sections.n);
			st->sections.ordered = 1;
		}
		const struct section *v = st->sections.rows;
		*n = st->sections.n;
		*out = pool_alloc(p, (*n + 1) * sizeof **out);
		for (size_t i = 0; i < *n; i++) {
			(*out)[i] = v[i];
			(*out)[i].name = pool_strdup(p, v[i].name);
			(*out)[i].slug = pool_strdup(p, v[i].slug);
			(*out)[i].path = pool_strdup(p, v[i].path);
			(*out)[i].description = pool_strdup(p, v[i].description);
		}
		return STORE_OK;
	}
	sqlite3_stmt *s = stmt(st, sql[Q_SECTIONS]);
	if (!s || collect(st, p, s, sizeof **out, row_section, (void **)out, n))
		return STORE_ERROR;
	section_tree_order(p, *out, *n);
	return STORE_OK;
}

static int by_slug(struct store *st, struct pool *p, enum q q, const char *slug, row_fn row,
		   void *out)
{
	sqlite3_stmt *s = stmt(st, sql[q]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, slug);
	return one(st, p, s, row, out);
}

int store_section_by_slug(struct store *st, struct pool *p, const char *slug, struct section *out)
{
	int rc = by_slug(st, p, Q_SECTION_BY_SLUG, slug, row_section, out);
	if (rc == STORE_OK)
		dep(st, "section:%lld", out->id);
	return rc;
}

int store_section_by_path(struct store *st, struct pool *p, const char *path, struct section *out)
{
	int rc = by_slug(st, p, Q_SECTION_BY_PATH, path, row_section, out);
	if (rc == STORE_OK)
		dep(st, "section:%lld", out->id);
	return rc;
}

static int tag_by(struct store *st, struct pool *p, enum q q, const char *slug, struct tag *out)
{
	/* struct tag and struct section share their layout of columns */
	struct section sec;
	int rc = by_slug(st, p, q, slug, row_section, &sec);
	if (rc == STORE_OK) {
		out->id = sec.id;
		out->name = sec.name;
		out->slug = sec.slug;
		dep(st, "tag:%lld", out->id);
	}
	return rc;
}

int store_tag_by_slug(struct store *st, struct pool *p, const char *slug, struct tag *out)
{
	return tag_by(st, p, Q_TAG_BY_SLUG, slug, out);
}

int store_tag_listed(struct store *st, struct pool *p, const char *slug, struct tag *out)
{
	return tag_by(st, p, Q_TAG_LISTED, slug, out);
}

static int author_by(struct store *st, struct pool *p, enum q q, const char *slug,
		     struct author *out)
{
	int rc = by_slug(st, p, q, slug, row_author, out);
	if (rc == STORE_OK)
		dep(st, "author:%lld", out->id);
	return rc;
}

int store_author_by_slug(struct store *st, struct pool *p, const char *slug, struct author *out)
{
	return author_by(st, p, Q_AUTHOR_BY_SLUG, slug, out);
}

int store_author_listed(struct store *st, struct pool *p, const char *slug, struct author *out)
{
	return author_by(st, p, Q_AUTHOR_LISTED, slug, out);
}

int store_user_by_name(struct store *st, struct pool *p, const char *name, struct author *out)
{
	return by_slug(st, p, Q_USER_BY_NAME, name, row_author, out);
}

/*
 * Lists pick their page of ids from one index first, then join: the rows
 * skipped by OFFSET are never joined with users and sections. Each list
 * has an index in its order, (key, status, published_at, id): the home
 * page's and an author's on stories, a section's on section_stories (its
 * descendants' stories too), a tag's on story_tags. A page after the first
 * few is found from a cursor, the (published_at, id) of a story next to
 * it, so any page costs an index seek plus its own rows.
 */
#define LIST(from, idc, cursor, dir)                                                   \
	"SELECT " STORY_COLS " FROM (SELECT " idc " AS id FROM " from " status = 3" cursor  \
	" ORDER BY published_at " dir ", " idc " " dir " LIMIT ?1 OFFSET ?2) k"              \
	" JOIN stories s ON s.id = k.id" STORY_JOINS NEWEST_PAGE
#define LISTS(from, idc)                                                                \
	{ LIST(from, idc, "", "DESC"),                                                     \
	  LIST(from, idc, " AND (published_at, " idc ") < (?4, ?5)", "DESC"),              \
	  LIST(from, idc, " AND (published_at, " idc ") > (?4, ?5)", "ASC") }

enum list_kind { LIST_ALL, LIST_SECTION, LIST_TAG, LIST_AUTHOR };
static const char *const list_sql[][3] = {
	[LIST_ALL] = LISTS("stories WHERE", "id"),
	[LIST_SECTION] = LISTS("section_stories WHERE section_id = ?3 AND", "story_id"),
	[LIST_TAG] = LISTS("story_tags WHERE tag_id = ?3 AND", "story_id"),
	[LIST_AUTHOR] = LISTS("stories WHERE author_id = ?3 AND", "id"),
};

int store_stories_list(struct store *st, struct pool *p, const struct story_filter *f,
		       const struct list_cursor *at, size_t offset, size_t limit,
		       struct story **out, size_t *n, int *more)
{
	enum list_kind kind = LIST_ALL;
	long long id = 0;
	if (f && f->section_id)
		kind = LIST_SECTION, id = f->section_id;
	else if (f && f->tag_id)
		kind = LIST_TAG, id = f->tag_id;
	else if (f && f->author_id)
		kind = LIST_AUTHOR, id = f->author_id;
	int way = at && at->dir ? (at->dir < 0 ? 1 : 2) : 0;
	sqlite3_stmt *s = stmt(st, list_sql[kind][way]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit + 1); /* one more: is there a next page? */
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	if (id)
		sqlite3_bind_int64(s, 3, id);
	if (way) {
		sqlite3_bind_int64(s, 4, at->published_at);
		sqlite3_bind_int64(s, 5, at->id);
	}
	static const char *const list_tag[] = { [LIST_ALL] = "list:home", [LIST_SECTION] = "section",
						 [LIST_TAG] = "tag", [LIST_AUTHOR] = "author" };
	if (id)
		dep(st, "%s:%lld", list_tag[kind], id);
	else
		dep(st, "list:home");
	if (kind == LIST_SECTION && f->section_tree && dep_section_tree(st, id)) {
		done(s);
		return STORE_ERROR;
	}
	int rc = collect(st, p, s, sizeof **out, row_story, (void **)out, n);
	*more = rc == STORE_OK && *n > limit;
	if (*more && way == 2) { /* newest first: the extra row is the first */
		memmove(*out, *out + 1, limit * sizeof **out);
		*n = limit;
	} else if (*more) {
		*n = limit;
	}
	if (rc == STORE_OK)
		dep_stories(st, *out, *n);
	return rc;
}

static int story_tags(struct store *st, struct pool *p, struct story *x)
{
	sqlite3_stmt *s = stmt(st, sql[Q_STORY_TAGS]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, x->id);
	struct section *rows;
	int rc = collect(st, p, s, sizeof *rows, row_section, (void **)&rows, &x->ntags);
	if (rc)
		return rc;
	x->tags = pool_alloc(p, (x->ntags + 1) * sizeof *x->tags);
	for (size_t i = 0; i < x->ntags; i++) {
		x->tags[i].id = rows[i].id;
		x->tags[i].name = rows[i].name;
		x->tags[i].slug = rows[i].slug;
	}
	return STORE_OK;
}

static int story_one(struct store *st, struct pool *p, sqlite3_stmt *s, struct story *out)
{
	memset(out, 0, sizeof *out);
	int rc = one(st, p, s, row_story, out);
	if (rc == STORE_OK)
		rc = story_tags(st, p, out);
	if (rc == STORE_OK) {
		dep_stories(st, out, 1);
		for (size_t i = 0; i < out->ntags; i++)
			dep(st, "tag:%lld", out->tags[i].id);
	}
	return rc;
}

int store_story_by_slug(struct store *st, struct pool *p, const char *slug, struct story *out)
{
	sqlite3_stmt *s = stmt(st, sql[Q_STORY_BY_SLUG]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, slug);
	return story_one(st, p, s, out);
}

int store_story_by_id(struct store *st, struct pool *p, long long id, struct story *out)
{
	sqlite3_stmt *s = stmt(st, sql[Q_STORY_BY_ID]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return story_one(st, p, s, out);
}

static void row_link(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct story *x = e;
	memset(x, 0, sizeof *x);
	x->id = sqlite3_column_int64(s, 0);
	x->slug = col_text(p, s, 1);
	x->title = col_text(p, s, 2);
	x->published_at = sqlite3_column_int64(s, 3);
	x->status = STORY_PUBLISHED;
}

int store_related(struct store *st, struct pool *p, long long story_id, struct story **out,
		  size_t *n)
{
	sqlite3_stmt *s = stmt(st, sql[Q_RELATED]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	dep(st, "story:%lld", story_id);
	int rc = collect(st, p, s, sizeof **out, row_link, (void **)out, n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++)
		dep(st, "story:%lld", (*out)[i].id); /* its title or address */
	return rc;
}

int store_comments_for_story(struct store *st, struct pool *p, long long story_id,
			     long long extra_id, struct comment **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENTS_FOR_STORY]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	sqlite3_bind_int64(s, 2, extra_id > 0 ? extra_id : -1);
	dep(st, "story:%lld", story_id);
	return collect(st, p, s, sizeof **out, row_comment, (void **)out, n);
}

/* Upsert by slug, then read the id back (an upsert that changed nothing
 * does not set last_insert_rowid). */
static int put_named(struct store *st, enum q put, enum q get, const char *name,
		     const char *slug, int position, long long *id)
{
	sqlite3_stmt *s = stmt(st, sql[put]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, name);
	bind_text(s, 2, slug);
	if (put == Q_SECTION_PUT)
		sqlite3_bind_int(s, 3, position);
	if (exec_step(st, s, sql[put]))
		return STORE_ERROR;
	s = stmt(st, sql[get]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, slug);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	done(s);
	return rc == SQLITE_ROW ? STORE_OK : fail(st, sql[get]);
}

int store_section_put(struct store *st, const char *name, const char *slug, int position,
		      long long *id)
{
	return put_named(st, Q_SECTION_PUT, Q_SECTION_ID, name, slug, position, id);
}

int store_tag_put(struct store *st, const char *name, const char *slug, long long *id)
{
	return put_named(st, Q_TAG_PUT, Q_TAG_ID, name, slug, 0, id);
}

int store_user_add(struct store *st, const char *name, const char *slug, const char *email,
		   const char *bio, const char *role, long long *id)
{
	sqlite3_stmt *s = stmt(st, sql[Q_USER_ADD]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, name);
	bind_text(s, 2, slug);
	bind_text(s, 3, email);
	bind_text(s, 4, bio);
	bind_text(s, 5, role);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(s);
	done(s);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(st->err, sizeof st->err, "a user with slug %s or email %s exists",
			 slug, email);
		return STORE_CONFLICT;
	}
	if (rc != SQLITE_DONE)
		return fail(st, "user add");
	*id = sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

int store_story_insert(struct store *st, const struct story *x, long long *id)
{
	sqlite3_stmt *s = stmt(st, sql[Q_STORY_INSERT]);
	if (!s)
		return STORE_ERROR;
	bind_story(s, 1, x);
	int rc = sqlite3_step(s);
	done(s);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(st->err, sizeof st->err, "a story with slug %s exists", x->slug);
		return STORE_CONFLICT;
	}
	if (rc != SQLITE_DONE)
		return fail(st, "story insert");
	*id = sqlite3_last_insert_rowid(st->db);
	if (x->status == STORY_PUBLISHED &&
	    (store_touchf(st, "story:%lld", *id) || store_touch(st, "list:home") ||
	     store_touchf(st, "section:%lld", x->section.id) ||
	     store_touchf(st, "author:%lld", x->author.id)))
		return STORE_ERROR;
	for (size_t i = 0; i < x->ntags; i++) {
		if (x->status == STORY_PUBLISHED && store_touchf(st, "tag:%lld", x->tags[i].id))
			return STORE_ERROR;
		s = stmt(st, sql[Q_STORY_TAG_ADD]);
		if (!s)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_int64(s, 2, x->tags[i].id);
		sqlite3_bind_int(s, 3, (int)i);
		if (exec_step(st, s, "story tag"))
			return STORE_ERROR;
	}
	return STORE_OK;
}

static void row_for_related(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct story *x = e;
	x->id = sqlite3_column_int64(s, 0);
	x->title = col_text(p, s, 1);
	x->body_md = col_text(p, s, 2);
	x->section.name = col_text(p, s, 3);
}

/* Attaches tag names to stories sorted by id, in one pass over one query
 * instead of a query per story. */
static int attach_tag_names(struct store *st, struct pool *p, struct story *v, size_t n)
{
	sqlite3_stmt *s = stmt(st, sql[Q_ALL_TAG_NAMES]);
	if (!s)
		return STORE_ERROR;
	size_t i = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long long sid = sqlite3_column_int64(s, 0);
		while (i < n && v[i].id < sid)
			i++;
		if (i == n || v[i].id != sid)
			continue;
		struct tag *t = pool_alloc(p, (v[i].ntags + 1) * sizeof *t);
		if (v[i].ntags)
			memcpy(t, v[i].tags, v[i].ntags * sizeof *t);
		t[v[i].ntags].name = col_text(p, s, 1);
		v[i].tags = t;
		v[i].ntags++;
	}
	done(s);
	return rc == SQLITE_DONE ? STORE_OK : fail(st, "tag names");
}

int store_stories_for_related(struct store *st, struct pool *p, struct story **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, sql[Q_FOR_RELATED]);
	if (!s)
		return STORE_ERROR;
	int rc = collect(st, p, s, sizeof **out, row_for_related, (void **)out, n);
	return rc ? rc : attach_tag_names(st, p, *out, *n);
}

/* 1 when story_id's stored list differs from ids[0..n). */
static int related_differs(struct store *st, long long story_id, const long long *ids, size_t n)
{
	sqlite3_stmt *s = stmt(st, sql[Q_RELATED_OF]);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, story_id);
	size_t k = 0;
	int differs = 0, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (k >= n || sqlite3_column_int64(s, 0) != ids[k++])
			differs = 1;
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, "related"), -1;
	return differs || k != n;
}

int store_related_replace(struct store *st, const long long *story_ids, size_t n, size_t k,
			  const long long *ids, const double *scores, const size_t *counts)
{
	for (size_t i = 0; i < n; i++) {
		int d = related_differs(st, story_ids[i], ids + i * k, counts[i]);
		if (d < 0)
			return STORE_ERROR;
		if (!d)
			continue; /* unchanged lists are not rewritten, nor their pages dropped */
		sqlite3_stmt *s = stmt(st, sql[Q_RELATED_CLEAR]);
		if (!s)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, story_ids[i]);
		if (exec_step(st, s, "related clear") || store_touchf(st, "story:%lld", story_ids[i]))
			return STORE_ERROR;
		for (size_t r = 0; r < counts[i]; r++) {
			s = stmt(st, sql[Q_RELATED_ADD]);
			if (!s)
				return STORE_ERROR;
			sqlite3_bind_int64(s, 1, story_ids[i]);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)r);
			sqlite3_bind_int64(s, 3, ids[i * k + r]);
			sqlite3_bind_double(s, 4, scores[i * k + r]);
			if (exec_step(st, s, "related add"))
				return STORE_ERROR;
		}
	}
	return STORE_OK;
}

/* The approved comments of a story changed: recount, and log it. */
static int recount(struct store *st, long long story_id)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENT_RECOUNT]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	if (exec_step(st, s, "comment recount"))
		return STORE_ERROR;
	return store_touchf(st, "story:%lld", story_id) || store_touch(st, "comments")
		       ? STORE_ERROR
		       : STORE_OK;
}

int store_comment_insert(struct store *st, const struct comment *c, long long *id)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENT_INSERT]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, c->story_id);
	sqlite3_bind_int64(s, 2, c->parent_id);
	bind_text(s, 3, c->author);
	bind_text(s, 4, c->email);
	bind_text(s, 5, c->url);
	bind_text(s, 6, c->body);
	sqlite3_bind_int(s, 7, (int)c->status);
	sqlite3_bind_int64(s, 8, c->created_at ? c->created_at : (long long)time(NULL));
	bind_text(s, 9, c->ip);
	bind_text(s, 10, c->user_agent);
	bind_text(s, 11, c->body_html);
	sqlite3_bind_int64(s, 12, (sqlite3_int64)time(NULL)); /* entered its status now */
	sqlite3_bind_int64(s, 13, c->user_id);
	bind_text(s, 14, c->user_role);
	if (exec_step(st, s, "comment insert"))
		return STORE_ERROR;
	*id = sqlite3_last_insert_rowid(st->db);
	return c->status == COMMENT_APPROVED ? recount(st, c->story_id) : STORE_OK;
}

int store_comment_get(struct store *st, struct pool *p, long long id, struct comment *out)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENT_GET]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	int rc = one(st, p, s, row_comment, out);
	if (rc == STORE_OK)
		dep(st, "story:%lld", out->story_id);
	return rc;
}

int store_comment_set_status(struct store *st, long long id, enum comment_status status)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENT_SET_STATUS]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, (int)status);
	if (exec_step(st, s, "comment status"))
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0)
		return STORE_NOTFOUND;
	s = stmt(st, sql[Q_COMMENT_GET]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	long long story_id = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		story_id = sqlite3_column_int64(s, 1);
	done(s);
	/* a held comment is shown only to its author, uncached: no page changes
	 * unless it enters or leaves the approved set, but recount anyway */
	return recount(st, story_id);
}

int store_comment_is_duplicate(struct store *st, long long story_id, const char *author,
			       const char *email, const char *body)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENT_DUP]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, story_id);
	bind_text(s, 2, author);
	bind_text(s, 3, email);
	bind_text(s, 4, body);
	return exists(st, s);
}

int store_commenter_is_known(struct store *st, const char *author, const char *email)
{
	sqlite3_stmt *s = stmt(st, sql[Q_COMMENTER_KNOWN]);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, author);
	bind_text(s, 2, email);
	return exists(st, s);
}

int store_comments_list(struct store *st, struct pool *p, int status, size_t limit,
			struct comment **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, sql[status < 0 ? Q_COMMENTS_LIST : Q_COMMENTS_LIST_STATUS]);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	if (status >= 0)
		sqlite3_bind_int(s, 2, status);
	return collect(st, p, s, sizeof **out, row_comment, (void **)out, n);
}

int store_related_mark_due(struct store *st)
{
	return simple(st, Q_RELATED_DUE_MARK);
}

int store_related_due(struct store *st, long long *seq)
{
	sqlite3_stmt *s = stmt(st, sql[Q_RELATED_DUE_GET]);
	if (!s)
		return STORE_ERROR;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(s, 0);
	done(s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, "related due");
}

int store_related_done(struct store *st, long long seq)
{
	return exec_id(st, sql[Q_RELATED_DUE_DONE], seq, "related done");
}
