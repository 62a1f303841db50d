/*
 * store_int: the statement cache and row helpers every store_*.c file
 * uses (see store_int.h).
 */
#include "store_int.h"
#include "store_media.h"
#include "../util/pool.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *store_errmsg(const struct store *st)
{
	return st->err;
}

int fail(struct store *st, const char *what)
{
	snprintf(st->err, sizeof st->err, "%s: %s", what, sqlite3_errmsg(st->db));
	return STORE_ERROR;
}

sqlite3_stmt *stmt(struct store *st, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) * 2654435761u;
	for (size_t i = 0; i < STORE_STMT_SLOTS; i++) {
		size_t k = (h + i) & (STORE_STMT_SLOTS - 1);
		if (st->cache[k].sql == sql)
			return st->cache[k].stmt;
		if (st->cache[k].sql)
			continue;
		sqlite3_stmt *s;
		if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
		    SQLITE_OK) {
			fail(st, sql);
			return NULL;
		}
		st->cache[k].sql = sql;
		st->cache[k].stmt = s;
		return s;
	}
	snprintf(st->err, sizeof st->err, "statement cache full");
	return NULL;
}

void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

const char *col_text(struct pool *p, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return pool_strndup(p, t ? (const char *)t : "", (size_t)sqlite3_column_bytes(s, i));
}

int exec_step(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	done(s);
	return rc == SQLITE_DONE ? STORE_OK : fail(st, what);
}

int exists(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(st, "exists");
	return rc == SQLITE_ROW;
}

int exec_id(struct store *st, const char *sql, long long id, const char *what)
{
	sqlite3_stmt *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return exec_step(st, s, what);
}

int exec_sql(struct store *st, const char *sql)
{
	sqlite3_stmt *s = stmt(st, sql);
	return s ? exec_step(st, s, sql) : STORE_ERROR;
}

int upsert_named(struct store *st, const char *put_sql, const char *id_sql, const char *name,
		 const char *slug, int position, long long *id)
{
	sqlite3_stmt *s = stmt(st, put_sql);
	if (!s)
		return STORE_ERROR;
	bind_text(s, 1, name);
	bind_text(s, 2, slug);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_int(s, 3, position);
	if (exec_step(st, s, put_sql))
		return STORE_ERROR;
	if (!(s = stmt(st, id_sql)))
		return STORE_ERROR;
	bind_text(s, 1, slug);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	done(s);
	return rc == SQLITE_ROW ? STORE_OK : fail(st, id_sql);
}

int int_row_or_none(struct store *st, const char *sql, long long id, long long *out,
		    const char *what)
{
	sqlite3_stmt *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	done(s);
	return one_result(st, rc, what);
}

int int_row(struct store *st, const char *sql, long long id, long long *out, const char *what)
{
	int rc = int_row_or_none(st, sql, id, out, what);
	return rc == STORE_NOTFOUND ? fail(st, what) : rc;
}

int collect(struct store *st, struct pool *p, sqlite3_stmt *s, size_t elem_size, row_fn row,
	    void **out, size_t *n)
{
	size_t cap = 8, len = 0;
	char *arr = pool_alloc(p, cap * elem_size);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (len == cap) {
			char *bigger = pool_alloc(p, 2 * cap * elem_size);
			memcpy(bigger, arr, cap * elem_size);
			arr = bigger;
			cap *= 2;
		}
		row(p, s, arr + len * elem_size);
		len++;
	}
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, "query");
	*out = arr;
	*n = len;
	return STORE_OK;
}

int status_counts(struct store *st, sqlite3_stmt *s, size_t *counts, int max, const char *what)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		if (k >= 0 && k < max)
			counts[k] = (size_t)sqlite3_column_int64(s, 1);
	}
	done(s);
	return rc == SQLITE_DONE ? STORE_OK : fail(st, what);
}

int one_result(struct store *st, int rc, const char *what)
{
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, what);
}

int one(struct store *st, struct pool *p, sqlite3_stmt *s, row_fn row, void *elem)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		row(p, s, elem);
	done(s);
	return one_result(st, rc, "query");
}

/* Columns first to first+14 (STORY_PICTURE_COLS): the old featured
 * columns, and the library record when the story has one that still
 * exists. */
void row_story_picture(struct pool *p, sqlite3_stmt *s, int first, struct story *x)
{
	x->image.path = col_text(p, s, first);
	x->image.width = sqlite3_column_int(s, first + 1);
	x->image.height = sqlite3_column_int(s, first + 2);
	x->image.bytes = sqlite3_column_int64(s, first + 3);
	x->media = NULL;
	long long id = sqlite3_column_int64(s, first + 4);
	if (!id)
		return;
	struct media_record *m = pool_alloc(p, sizeof *m);
	memset(m, 0, sizeof *m);
	m->id = id;
	m->hash = col_text(p, s, first + 5);
	m->width = sqlite3_column_int(s, first + 6);
	m->height = sqlite3_column_int(s, first + 7);
	m->alt = col_text(p, s, first + 8);
	m->caption = col_text(p, s, first + 9);
	m->credit = col_text(p, s, first + 10);
	m->focal_x = sqlite3_column_double(s, first + 11);
	m->focal_y = sqlite3_column_double(s, first + 12);
	m->variants = col_text(p, s, first + 13);
	m->formats = col_text(p, s, first + 14);
	m->name = m->mime = m->ext = "";
	x->media = m;
}

void row_story(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct story *x = e;
	x->id = sqlite3_column_int64(s, 0);
	x->slug = col_text(p, s, 1);
	x->title = col_text(p, s, 2);
	x->excerpt = col_text(p, s, 3);
	x->status = (enum story_status)sqlite3_column_int(s, 4);
	x->published_at = sqlite3_column_int64(s, 5);
	x->updated_at = sqlite3_column_int64(s, 6);
	x->reading_minutes = sqlite3_column_int(s, 7);
	x->comment_count = sqlite3_column_int(s, 8);
	x->comments_open = sqlite3_column_int(s, 9);
	x->section.id = sqlite3_column_int64(s, 10);
	x->section.name = col_text(p, s, 11);
	/* the path ("world/asia"), whose last segment is the slug */
	x->section.path = col_text(p, s, 12);
	const char *last = strrchr(x->section.path, '/');
	x->section.slug = last ? last + 1 : x->section.path;
	x->section.description = "";
	x->author.id = sqlite3_column_int64(s, 13);
	x->author.name = col_text(p, s, 14);
	x->author.slug = col_text(p, s, 15);
	x->author.bio = col_text(p, s, 16);
	x->author.email = "";
	x->author.photo = x->author.links = "";
	row_story_picture(p, s, 17, x);
	x->revised_at = sqlite3_column_int64(s, 32);
	x->ncoauthors = (size_t)sqlite3_column_int64(s, 33);
	x->has_corrections = sqlite3_column_int(s, 34);
	x->coauthors = NULL;
	x->lang = col_text(p, s, 35);
	if (sqlite3_column_count(s) > STORY_NCOLS + 1) {
		x->body_md = col_text(p, s, STORY_NCOLS);
		x->body_html = col_text(p, s, STORY_NCOLS + 1);
	}
}

void row_story_link(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct story *x = e;
	x->id = sqlite3_column_int64(s, 0);
	x->slug = col_text(p, s, 1);
	x->title = col_text(p, s, 2);
	x->published_at = sqlite3_column_int64(s, 3);
	x->lang = col_text(p, s, 4);
	x->status = STORY_PUBLISHED;
	x->excerpt = x->section.name = x->section.path = x->section.slug = "";
	x->section.description = x->author.name = x->author.slug = x->author.bio = "";
	x->author.email = x->author.photo = x->author.links = "";
}

void row_section(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct section *x = e;
	int full = sqlite3_column_count(s) > 3;
	x->id = sqlite3_column_int64(s, 0);
	x->name = col_text(p, s, 1);
	x->slug = col_text(p, s, 2);
	x->path = full ? col_text(p, s, 3) : x->slug;
	x->description = full ? col_text(p, s, 4) : "";
	x->parent_id = full ? sqlite3_column_int64(s, 5) : 0;
	x->position = full ? sqlite3_column_int(s, 6) : 0;
	x->depth = 0;
}

void row_author(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct author *x = e;
	int full = sqlite3_column_count(s) > 5;
	x->id = sqlite3_column_int64(s, 0);
	x->name = col_text(p, s, 1);
	x->slug = col_text(p, s, 2);
	x->email = col_text(p, s, 3);
	x->bio = col_text(p, s, 4);
	x->photo = full ? col_text(p, s, 5) : "";
	x->links = full ? col_text(p, s, 6) : "";
	x->photo_width = full ? sqlite3_column_int(s, 7) : 0;
	x->photo_height = full ? sqlite3_column_int(s, 8) : 0;
	int names = sqlite3_column_count(s) > 10;
	x->first_name = names ? col_text(p, s, 9) : "";
	x->last_name = names ? col_text(p, s, 10) : "";
}

void row_tag(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct tag *t = e;
	t->id = sqlite3_column_int64(s, 0);
	t->name = col_text(p, s, 1);
	t->slug = col_text(p, s, 2);
}

void row_id(struct pool *p, sqlite3_stmt *s, void *e)
{
	(void)p;
	*(long long *)e = sqlite3_column_int64(s, 0);
}

void row_comment(struct pool *p, sqlite3_stmt *s, void *e)
{
	struct comment *x = e;
	x->id = sqlite3_column_int64(s, 0);
	x->story_id = sqlite3_column_int64(s, 1);
	x->parent_id = sqlite3_column_int64(s, 2);
	x->created_at = sqlite3_column_int64(s, 3);
	x->author = col_text(p, s, 4);
	x->email = col_text(p, s, 5);
	x->url = col_text(p, s, 6);
	x->body = col_text(p, s, 7);
	x->ip = col_text(p, s, 8);
	x->user_agent = col_text(p, s, 9);
	x->status = (enum comment_status)sqlite3_column_int(s, 10);
	x->story_slug = sqlite3_column_count(s) > 11 ? col_text(p, s, 11) : "";
	x->body_html = sqlite3_column_count(s) > 12 ? col_text(p, s, 12) : "";
	int staff = sqlite3_column_count(s) > 15; /* store_comments_for_story */
	x->user_id = staff ? sqlite3_column_int64(s, 13) : 0;
	x->user_role = staff ? col_text(p, s, 14) : "";
	x->by_story_author = staff && sqlite3_column_int(s, 15);
}

void bind_story(sqlite3_stmt *s, int first, const struct story *x)
{
	bind_text(s, first, x->slug);
	bind_text(s, first + 1, x->title);
	bind_text(s, first + 2, x->excerpt);
	bind_text(s, first + 3, x->body_md);
	bind_text(s, first + 4, x->body_html);
	sqlite3_bind_int64(s, first + 5, x->section.id);
	sqlite3_bind_int64(s, first + 6, x->author.id);
	sqlite3_bind_int(s, first + 7, (int)x->status);
	sqlite3_bind_int64(s, first + 8, x->published_at);
	sqlite3_bind_int64(s, first + 9, x->updated_at ? x->updated_at : x->published_at);
	sqlite3_bind_int(s, first + 10, x->reading_minutes);
	sqlite3_bind_int(s, first + 11, x->comments_open);
}
