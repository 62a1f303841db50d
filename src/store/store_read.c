/*
 * store_read: what a reader's page asks for: the site's settings and
 * sections, a section, tag or author by its address, a page of a list,
 * a story by slug or id with its tags, and its related links.
 *
 * The one decision: every read reports what it returned (dep(), see
 * store_int.h), so a cached page knows which changes make it stale; and
 * the rows every page needs (settings, sections) are kept per connection
 * until the shared change counter says they changed.
 */
#include "store.h"
#include "store_int.h"
#include "store_media.h"
#include "../util/pool.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_SETTINGS_ALL[] = "SELECT key, value FROM settings ORDER BY key";
static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] = "INSERT INTO settings(key, value) VALUES(?1, ?2)"
				      " ON CONFLICT(key) DO UPDATE SET value = excluded.value";
static const char SQL_SECTIONS[] =
	"SELECT " SECTION_COLS " FROM sections ORDER BY position, name, id";
static const char SQL_SECTION_BY_SLUG[] = "SELECT " SECTION_COLS " FROM sections WHERE slug = ?1";
static const char SQL_SECTION_BY_PATH[] = "SELECT " SECTION_COLS " FROM sections WHERE path = ?1";
static const char SQL_TAG_BY_SLUG[] = "SELECT id, name, slug FROM tags WHERE slug = ?1";
static const char SQL_AUTHOR_BY_SLUG[] = "SELECT " AUTHOR_COLS " FROM users WHERE slug = ?1";
/* a tag or author page exists only while it lists a published story */
static const char SQL_TAG_LISTED[] =
	"SELECT id, name, slug FROM tags t WHERE slug = ?1 AND EXISTS (SELECT 1"
	" FROM story_tags x JOIN stories s ON s.id = x.story_id"
	" WHERE x.tag_id = t.id AND" IS_PUBLISHED ")";
static const char SQL_AUTHOR_LISTED[] =
	"SELECT " AUTHOR_COLS " FROM users WHERE slug = ?1 AND (EXISTS (SELECT 1"
	" FROM stories s WHERE s.author_id = users.id AND" IS_PUBLISHED ") OR EXISTS (SELECT 1"
	" FROM story_coauthors c JOIN stories s ON s.id = c.story_id"
	" WHERE c.user_id = users.id AND" IS_PUBLISHED "))";
static const char SQL_USER_BY_NAME[] = "SELECT " AUTHOR_COLS " FROM users WHERE name = ?1";
/* a reader's page: the HTML, and the Markdown only for the library
 * pictures it references (the page depends on their media:ID tags) */
static const char SQL_STORY_BY_SLUG[] = "SELECT " STORY_COLS ", s.body_md, s.body_html" STORY_FROM
					" WHERE" IS_PUBLISHED " AND s.slug = ?1";
static const char SQL_STORY_BY_ID[] = STORY_WITH_BODY " WHERE s.id = ?1";
/* what a form's post checks: no body (a large TOASTed text on PostgreSQL) */
static const char SQL_STORY_SUMMARY_BY_ID[] = "SELECT " STORY_COLS STORY_FROM " WHERE s.id = ?1";
/* what a related link shows: title and address (slug, date) */
static const char SQL_RELATED[] = "SELECT s.id, s.slug, s.title, s.published_at, "
				  STORY_PICTURE_COLS " FROM related r"
				  " JOIN stories s ON s.id = r.related_id" STORY_PICTURE_JOIN
				  " WHERE r.story_id = ?1 AND" IS_PUBLISHED " ORDER BY r.rank";

struct setting { const char *key, *value; };

static void row_setting(struct pool *p, dbq *s, void *e)
{
	struct setting *x = e;
	x->key = q_col_text(p, s, 0);
	x->value = q_col_text(p, s, 1);
}

static int by_key(const void *k, const void *e)
{
	return strcmp(k, ((const struct setting *)e)->key);
}

#define HEAD_KEEP_NS 1000000000LL

/* PostgreSQL: whether the change log's head read last on this connection
 * is still its head (struct store's head). */
static int head_kept(const struct store *st)
{
	if (st->head_at && mono_ns() - st->head_at < HEAD_KEEP_NS)
		return 1;
	return st->head_heard && st->head_heard == st->heard && st->head_local == changes_local();
}

/* The version rows kept now are labelled with (rows_cached): 0, or -1
 * when none can be kept (inside a write) or it could not be read. */
static int cache_version(struct store *st, long long *version)
{
	/* taken before the head is read: a change meanwhile moves them */
	unsigned long long heard = st->heard, local = changes_local();
	if (st->writing)
		return -1;
	if (st->reading)
		*version = st->snapshot_version;
	else if (!DB_LITE(st->db) && head_kept(st))
		*version = st->head;
	else if (store_data_version(st, version))
		return -1;
	else if (!DB_LITE(st->db)) {
		st->head = *version;
		st->head_at = mono_ns();
		st->head_heard = heard;
		st->head_local = local;
	}
	return 0;
}

/* rows_cached, with ?1 = key when keyed: the rows kept are those of
 * that key. */
static int cached(struct store *st, struct rows_cache *c, const char *sql, int keyed,
		  long long key, size_t elem_size, row_fn row)
{
	long long version;
	if (cache_version(st, &version))
		return 0;
	if (c->pool && version == c->version && key == c->key)
		return 1;
	pool_free(c->pool);
	c->pool = pool_new();
	c->version = version; /* read before the rows: a change meanwhile reloads */
	c->key = key;
	c->ordered = 0;
	dbq *s = stmt(st, sql);
	if (s && keyed)
		q_int(s, 1, key);
	if (!s || collect(st, c->pool, s, elem_size, row, &c->rows, &c->n)) {
		pool_free(c->pool);
		c->pool = NULL;
		return 0;
	}
	return 1;
}

/* Rows every page asks for (settings, sections, menus), kept per connection and
 * read again only when something changed: any write to them logs "site"
 * and bumps the shared change counter, and store_data_version also catches
 * a writer that could not bump it (PRAGMA data_version, once a second).
 * Inside a read snapshot the rows are labelled with the version read just
 * before the snapshot began, so rows of an old snapshot are never kept as
 * newer than they are. On PostgreSQL, where that check is a round trip,
 * outside a snapshot (a form's post) the version read first serves until
 * the connection's next BEGIN, COMMIT or ROLLBACK (the server rolls back
 * after each request) or for a second at most, and while the node's
 * listener has heard nothing since (no notification, no reconnection)
 * and this process committed no change (store_heard), for as long as
 * that lasts. 1 when c holds current rows; 0 when the caller must
 * query (inside a write, whose own changes are not committed yet). The
 * rows live until the next reload on this connection: callers copy what
 * they hand out. */
int rows_cached(struct store *st, struct rows_cache *c, const char *sql, size_t elem_size,
		row_fn row)
{
	return cached(st, c, sql, 0, 0, elem_size, row);
}

int rows_cached_by(struct store *st, struct rows_cache *c, const char *sql, long long key,
		   size_t elem_size, row_fn row)
{
	return cached(st, c, sql, 1, key, elem_size, row);
}

int store_setting_get(struct store *st, struct pool *p, const char *key, const char **val)
{
	if (rows_cached(st, &st->settings, SQL_SETTINGS_ALL, sizeof(struct setting), row_setting)) {
		const struct setting *hit =
			bsearch(key, st->settings.rows, st->settings.n, sizeof *hit, by_key);
		if (hit)
			*val = pool_strdup(p, hit->value);
		return hit ? STORE_OK : STORE_NOTFOUND;
	}
	dbq *s = stmt(st, SQL_SETTING_GET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, key);
	int rc = q_step(s);
	if (rc == DB_ROW)
		*val = q_col_text(p, s, 0);
	done(s);
	return one_result(st, rc, "setting");
}

int store_setting_set(struct store *st, const char *key, const char *val)
{
	dbq *s = stmt(st, SQL_SETTING_SET);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, key);
	q_text(s, 2, val);
	if (exec_step(st, s, "setting set"))
		return STORE_ERROR;
	/* settings (comments closed, word lists...) show on every page */
	return strcmp(key, "secret") == 0 ? STORE_OK : store_touch(st, "site");
}

int store_sections(struct store *st, struct pool *p, struct section **out, size_t *n)
{
	dep(st, "site");
	if (rows_cached(st, &st->sections, SQL_SECTIONS, sizeof **out, row_section)) {
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
	dbq *s = stmt(st, SQL_SECTIONS);
	if (!s || collect(st, p, s, sizeof **out, row_section, (void **)out, n))
		return STORE_ERROR;
	section_tree_order(p, *out, *n);
	return STORE_OK;
}

static int by_slug(struct store *st, struct pool *p, const char *sql, const char *slug,
		   row_fn row, void *out)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, slug);
	return one(st, p, s, row, out);
}

int store_section_by_slug(struct store *st, struct pool *p, const char *slug, struct section *out)
{
	int rc = by_slug(st, p, SQL_SECTION_BY_SLUG, slug, row_section, out);
	if (rc == STORE_OK)
		dep(st, "section:%lld", out->id);
	return rc;
}

int store_section_by_path(struct store *st, struct pool *p, const char *path, struct section *out)
{
	int rc = by_slug(st, p, SQL_SECTION_BY_PATH, path, row_section, out);
	if (rc == STORE_OK)
		dep(st, "section:%lld", out->id);
	return rc;
}

static int tag_by(struct store *st, struct pool *p, const char *sql, const char *slug,
		  struct tag *out)
{
	int rc = by_slug(st, p, sql, slug, row_tag, out);
	if (rc == STORE_OK)
		dep(st, "tag:%lld", out->id);
	return rc;
}

int store_tag_by_slug(struct store *st, struct pool *p, const char *slug, struct tag *out)
{
	return tag_by(st, p, SQL_TAG_BY_SLUG, slug, out);
}

int store_tag_listed(struct store *st, struct pool *p, const char *slug, struct tag *out)
{
	return tag_by(st, p, SQL_TAG_LISTED, slug, out);
}

static int author_by(struct store *st, struct pool *p, const char *sql, const char *slug,
		     struct author *out)
{
	int rc = by_slug(st, p, sql, slug, row_author, out);
	if (rc == STORE_OK)
		dep(st, "author:%lld", out->id);
	return rc;
}

int store_author_by_slug(struct store *st, struct pool *p, const char *slug, struct author *out)
{
	return author_by(st, p, SQL_AUTHOR_BY_SLUG, slug, out);
}

int store_author_listed(struct store *st, struct pool *p, const char *slug, struct author *out)
{
	return author_by(st, p, SQL_AUTHOR_LISTED, slug, out);
}

int store_user_by_name(struct store *st, struct pool *p, const char *name, struct author *out)
{
	return by_slug(st, p, SQL_USER_BY_NAME, name, row_author, out);
}

/*
 * Lists pick their page of ids from one index first, then join: the rows
 * skipped by OFFSET are never joined with users and sections. Each list
 * has an index in its order, (key, status, published_at, id): the home
 * page's and an author's on stories, a section's on section_stories (its
 * descendants' stories too), a tag's on story_tags. A page after the first
 * few is found from a cursor, the (published_at, id) of a story next to
 * it, so any page costs an index seek plus its own rows. The page's few
 * rows are put newest first in C (newest_first): an ORDER BY on the
 * joined rows had SQLite copy every column through a sorter, 9% of an
 * uncached front page's instructions. The page of ids is joined with
 * CROSS JOIN: SQLite then reads it as a co-routine, row by row, instead of
 * first copying it into a temporary table (a plain JOIN materializes a
 * LIMIT subquery: two zeroed pages and a b-tree per list).
 */
#define LIST(from, idc, cursor, dir, e)                                                \
	"SELECT " STORY_COLS " FROM (SELECT " idc " AS id FROM " from " status = 3" cursor  \
	" ORDER BY published_at " dir ", " idc " " dir " LIMIT ?1 OFFSET ?2) k"              \
	CO_JOIN(e) " stories s ON s.id = k.id" STORY_JOINS
#define LISTS(from, idc)                                                                \
	{ { LIST(from, idc, "", "DESC", LITE), LIST(from, idc, "", "DESC", PG) }, \
	  { LIST(from, idc, " AND (published_at, " idc ") < (?4, ?5)", "DESC", LITE),   \
	    LIST(from, idc, " AND (published_at, " idc ") < (?4, ?5)", "DESC", PG) },   \
	  { LIST(from, idc, " AND (published_at, " idc ") > (?4, ?5)", "ASC", LITE),    \
	    LIST(from, idc, " AND (published_at, " idc ") > (?4, ?5)", "ASC", PG) } }

enum list_kind { LIST_ALL, LIST_SECTION, LIST_TAG, LIST_AUTHOR, LIST_DATE };
static const struct sql_pair list_sql[][3] = {
	[LIST_ALL] = LISTS("stories WHERE", "id"),
	[LIST_SECTION] = LISTS("section_stories WHERE section_id = ?3 AND", "story_id"),
	[LIST_TAG] = LISTS("story_tags WHERE tag_id = ?3 AND", "story_id"),
	/* the author's own stories and those they share a byline of */
	[LIST_AUTHOR] = LISTS("(SELECT id, status, published_at FROM stories WHERE author_id = ?3"
			      " UNION SELECT c.story_id, x.status, x.published_at FROM story_coauthors c"
			      " JOIN stories x ON x.id = c.story_id WHERE c.user_id = ?3) a WHERE", "id"),
	/* a date archive: the home page's index, within [?6, ?7) */
	[LIST_DATE] = LISTS("stories WHERE published_at >= ?6 AND published_at < ?7 AND", "id"),
};

/* NEWEST_FIRST's order: published_at, then id, both descending. */
static int newest_first(const void *a, const void *b)
{
	const struct story *x = a, *y = b;
	if (x->published_at != y->published_at)
		return x->published_at < y->published_at ? 1 : -1;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

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
	else if (f && f->until)
		kind = LIST_DATE;
	int way = at && at->dir ? (at->dir < 0 ? 1 : 2) : 0;
	dbq *s = stmt_for(st, &list_sql[kind][way]);
	if (!s)
		return STORE_ERROR;
	/* one more: is there a next page? */
	q_int(s, 1, (long long)limit + (more != NULL));
	q_int(s, 2, (long long)offset);
	if (id)
		q_int(s, 3, id);
	if (way) {
		q_int(s, 4, at->published_at);
		q_int(s, 5, at->id);
	}
	if (kind == LIST_DATE) {
		q_int(s, 6, f->from);
		q_int(s, 7, f->until);
	}
	static const char *const list_tag[] = { [LIST_ALL] = "list:home", [LIST_SECTION] = "section",
						 [LIST_TAG] = "tag", [LIST_AUTHOR] = "author",
						 [LIST_DATE] = "list:home" };
	if (id)
		dep(st, "%s:%lld", list_tag[kind], id);
	else
		dep(st, "list:home");
	if (kind == LIST_SECTION && f->section_tree && dep_section_tree(st, id)) {
		done(s);
		return STORE_ERROR;
	}
	int rc = collect(st, p, s, sizeof **out, row_story, (void **)out, n);
	if (rc == STORE_OK)
		qsort(*out, *n, sizeof **out, newest_first);
	int next = rc == STORE_OK && *n > limit;
	if (more)
		*more = next;
	if (next && way == 2) { /* newest first: the extra row is the first */
		memmove(*out, *out + 1, limit * sizeof **out);
		*n = limit;
	} else if (next) {
		*n = limit;
	}
	if (rc == STORE_OK)
		rc = stories_done(st, p, *out, *n);
	return rc;
}

static int story_one(struct store *st, struct pool *p, dbq *s, struct story *out)
{
	memset(out, 0, sizeof *out);
	int rc = one(st, p, s, row_story, out);
	if (rc == STORE_OK)
		rc = story_tags_get(st, p, out->id, &out->tags, &out->ntags);
	if (rc == STORE_OK)
		rc = stories_done(st, p, out, 1);
	if (rc == STORE_OK) {
		for (size_t i = 0; i < out->ntags; i++)
			dep(st, "tag:%lld", out->tags[i].id);
	}
	return rc;
}

int store_story_by_slug(struct store *st, struct pool *p, const char *slug, struct story *out)
{
	dbq *s = stmt(st, SQL_STORY_BY_SLUG);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, slug);
	return story_one(st, p, s, out);
}

int store_story_by_id(struct store *st, struct pool *p, long long id, struct story *out)
{
	dbq *s = stmt(st, SQL_STORY_BY_ID);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return story_one(st, p, s, out);
}

int store_story_summary_by_id(struct store *st, struct pool *p, long long id, struct story *out)
{
	if (rows_cached_by(st, &st->summary, SQL_STORY_SUMMARY_BY_ID, id, sizeof *out, row_story)) {
		if (!st->summary.n)
			return STORE_NOTFOUND;
		*out = *(const struct story *)st->summary.rows; /* its strings stay in the cache */
		dep(st, "story:%lld", id);
		return STORE_OK;
	}
	dbq *s = stmt(st, SQL_STORY_SUMMARY_BY_ID);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	memset(out, 0, sizeof *out);
	int rc = one(st, p, s, row_story, out);
	if (rc == STORE_OK)
		dep(st, "story:%lld", id);
	return rc;
}

static void row_link(struct pool *p, dbq *s, void *e)
{
	struct story *x = e;
	memset(x, 0, sizeof *x);
	x->id = q_col_int(s, 0);
	x->slug = q_col_text(p, s, 1);
	x->title = q_col_text(p, s, 2);
	x->published_at = q_col_int(s, 3);
	x->status = STORY_PUBLISHED;
	row_story_picture(p, s, 4, x);
}

int store_related(struct store *st, struct pool *p, long long story_id, struct story **out,
		  size_t *n)
{
	dbq *s = stmt(st, SQL_RELATED);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	dep(st, "story:%lld", story_id);
	int rc = collect(st, p, s, sizeof **out, row_link, (void **)out, n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++) {
		dep(st, "story:%lld", (*out)[i].id); /* its title or address */
		if ((*out)[i].media) /* its picture's focal point */
			dep(st, "media:%lld", (*out)[i].media->id);
	}
	return rc;
}
