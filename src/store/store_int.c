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
#include <time.h>

long long mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

const char *store_errmsg(const struct store *st)
{
	return st->err;
}

int fail(struct store *st, const char *what)
{
	snprintf(st->err, sizeof st->err, "%s: %s", what, db_errmsg(st->db));
	return STORE_ERROR;
}

void later(struct store *st, dbq *s, struct db_ans *a)
{
	if (s) {
		q_later(s, a);
		/* SQLite ran it: a failure is known now, with its message */
		if (DB_LITE(st->db) && !db_ans_ok(a)) {
			fail(st, "statement sent later");
			st->later_failed = 1;
		}
		return;
	}
	a->rc = DB_ERROR;
	a->value = a->changes = 0;
	st->later_failed = 1;
}

int store_flush(struct store *st)
{
	int failed = st->later_failed;
	st->later_failed = 0;
	if (db_flush(st->db))
		return fail(st, "statements sent together");
	return failed ? STORE_ERROR : STORE_OK; /* stmt() or later() set the message */
}

dbq *stmt(struct store *st, const char *sql)
{
	if (st->via) /* a page's snapshot on the read replica */
		st = st->via;
	size_t h = ((uintptr_t)sql >> 3) * 2654435761u;
	for (size_t i = 0; i < STORE_STMT_SLOTS; i++) {
		size_t k = (h + i) & (STORE_STMT_SLOTS - 1);
		if (st->cache[k].sql == sql)
			return &st->cache[k].stmt;
		if (st->cache[k].sql)
			continue;
		if (db_prepare(st->db, sql, &st->cache[k].stmt)) {
			fail(st, sql);
			return NULL;
		}
		st->cache[k].sql = sql;
		return &st->cache[k].stmt;
	}
	snprintf(st->err, sizeof st->err, "statement cache full");
	return NULL;
}

int exec_step(struct store *st, dbq *s, const char *what)
{
	int rc = q_step(s);
	done(s);
	return rc == DB_DONE ? STORE_OK : fail(st, what);
}

int insert_id(struct store *st, dbq *s, long long *id, const char *what)
{
	int rc = q_step(s);
	if (rc == DB_ROW)
		*id = q_col_int(s, 0);
	done(s);
	if (rc == DB_ROW)
		return STORE_OK;
	if (rc == DB_DONE)
		return STORE_NOTFOUND;
	fail(st, what);
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int exists(struct store *st, dbq *s)
{
	int rc = q_step(s);
	done(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(st, "exists");
	return rc == DB_ROW;
}

int exec_id(struct store *st, const char *sql, long long id, const char *what)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return exec_step(st, s, what);
}

int exec_sql(struct store *st, const char *sql)
{
	dbq *s = stmt(st, sql);
	return s ? exec_step(st, s, sql) : STORE_ERROR;
}

int upsert_named(struct store *st, const char *put_sql, const char *id_sql, const char *name,
		 const char *slug, int position, long long *id)
{
	dbq *s = stmt(st, put_sql);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, name);
	q_text(s, 2, slug);
	if (q_nparams(s) >= 3)
		q_int(s, 3, position);
	if (exec_step(st, s, put_sql))
		return STORE_ERROR;
	if (!(s = stmt(st, id_sql)))
		return STORE_ERROR;
	q_text(s, 1, slug);
	int rc = q_step(s);
	if (rc == DB_ROW)
		*id = q_col_int(s, 0);
	done(s);
	return rc == DB_ROW ? STORE_OK : fail(st, id_sql);
}

int int_row_or_none(struct store *st, const char *sql, long long id, long long *out,
		    const char *what)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	if (q_nparams(s) > 0)
		q_int(s, 1, id);
	int rc = q_step(s);
	if (rc == DB_ROW)
		*out = q_col_int(s, 0);
	done(s);
	return one_result(st, rc, what);
}

int int_row(struct store *st, const char *sql, long long id, long long *out, const char *what)
{
	int rc = int_row_or_none(st, sql, id, out, what);
	return rc == STORE_NOTFOUND ? fail(st, what) : rc;
}

int collect(struct store *st, struct pool *p, dbq *s, size_t elem_size, row_fn row,
	    void **out, size_t *n)
{
	size_t cap = 8, len = 0;
	char *arr = pool_alloc(p, cap * elem_size);
	int rc;
	while ((rc = q_step(s)) == DB_ROW) {
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
	if (rc != DB_DONE)
		return fail(st, "query");
	*out = arr;
	*n = len;
	return STORE_OK;
}

int status_counts(struct store *st, dbq *s, size_t *counts, int max, const char *what)
{
	int rc;
	while ((rc = q_step(s)) == DB_ROW) {
		int k = q_col_int(s, 0);
		if (k >= 0 && k < max)
			counts[k] = (size_t)q_col_int(s, 1);
	}
	done(s);
	return rc == DB_DONE ? STORE_OK : fail(st, what);
}

int one_result(struct store *st, int rc, const char *what)
{
	if (rc == DB_ROW)
		return STORE_OK;
	return rc == DB_DONE ? STORE_NOTFOUND : fail(st, what);
}

int one(struct store *st, struct pool *p, dbq *s, row_fn row, void *elem)
{
	int rc = q_step(s);
	if (rc == DB_ROW)
		row(p, s, elem);
	done(s);
	return one_result(st, rc, "query");
}

/* Columns first to first+14 (STORY_PICTURE_COLS): the old featured
 * columns, and the library record when the story has one that still
 * exists. */
void row_story_picture(struct pool *p, dbq *s, int first, struct story *x)
{
	x->image.path = q_col_text(p, s, first);
	x->image.width = q_col_int(s, first + 1);
	x->image.height = q_col_int(s, first + 2);
	x->image.bytes = q_col_int(s, first + 3);
	x->media = NULL;
	long long id = q_col_int(s, first + 4);
	if (!id)
		return;
	struct media_record *m = pool_alloc(p, sizeof *m);
	memset(m, 0, sizeof *m);
	m->id = id;
	m->hash = q_col_text(p, s, first + 5);
	m->width = q_col_int(s, first + 6);
	m->height = q_col_int(s, first + 7);
	m->alt = q_col_text(p, s, first + 8);
	m->caption = q_col_text(p, s, first + 9);
	m->credit = q_col_text(p, s, first + 10);
	m->focal_x = q_col_double(s, first + 11);
	m->focal_y = q_col_double(s, first + 12);
	m->variants = q_col_text(p, s, first + 13);
	m->formats = q_col_text(p, s, first + 14);
	m->name = m->mime = m->ext = "";
	x->media = m;
}

void row_story(struct pool *p, dbq *s, void *e)
{
	struct story *x = e;
	x->id = q_col_int(s, 0);
	x->slug = q_col_text(p, s, 1);
	x->title = q_col_text(p, s, 2);
	x->excerpt = q_col_text(p, s, 3);
	x->status = (enum story_status)q_col_int(s, 4);
	x->published_at = q_col_int(s, 5);
	x->updated_at = q_col_int(s, 6);
	x->reading_minutes = q_col_int(s, 7);
	x->comment_count = q_col_int(s, 8);
	x->comments_open = q_col_int(s, 9);
	x->section.id = q_col_int(s, 10);
	x->section.name = q_col_text(p, s, 11);
	/* the path ("world/asia"), whose last segment is the slug */
	x->section.path = q_col_text(p, s, 12);
	const char *last = strrchr(x->section.path, '/');
	x->section.slug = last ? last + 1 : x->section.path;
	x->section.description = "";
	x->author.id = q_col_int(s, 13);
	x->author.name = q_col_text(p, s, 14);
	x->author.slug = q_col_text(p, s, 15);
	x->author.bio = q_col_text(p, s, 16);
	x->author.email = "";
	x->author.photo = x->author.links = "";
	row_story_picture(p, s, 17, x);
	x->revised_at = q_col_int(s, 32);
	x->ncoauthors = (size_t)q_col_int(s, 33);
	x->has_corrections = q_col_int(s, 34);
	x->coauthors = NULL;
	x->lang = q_col_text(p, s, 35);
	if (q_ncols(s) > STORY_NCOLS + 1) {
		x->body_md = q_col_text(p, s, STORY_NCOLS);
		x->body_html = q_col_text(p, s, STORY_NCOLS + 1);
	}
}

void row_story_link(struct pool *p, dbq *s, void *e)
{
	struct story *x = e;
	x->id = q_col_int(s, 0);
	x->slug = q_col_text(p, s, 1);
	x->title = q_col_text(p, s, 2);
	x->published_at = q_col_int(s, 3);
	x->lang = q_col_text(p, s, 4);
	x->status = STORY_PUBLISHED;
	x->excerpt = x->section.name = x->section.path = x->section.slug = "";
	x->section.description = x->author.name = x->author.slug = x->author.bio = "";
	x->author.email = x->author.photo = x->author.links = "";
}

void row_section(struct pool *p, dbq *s, void *e)
{
	struct section *x = e;
	int full = q_ncols(s) > 3;
	x->id = q_col_int(s, 0);
	x->name = q_col_text(p, s, 1);
	x->slug = q_col_text(p, s, 2);
	x->path = full ? q_col_text(p, s, 3) : x->slug;
	x->description = full ? q_col_text(p, s, 4) : "";
	x->parent_id = full ? q_col_int(s, 5) : 0;
	x->position = full ? q_col_int(s, 6) : 0;
	x->depth = 0;
}

void row_author(struct pool *p, dbq *s, void *e)
{
	struct author *x = e;
	int full = q_ncols(s) > 5;
	x->id = q_col_int(s, 0);
	x->name = q_col_text(p, s, 1);
	x->slug = q_col_text(p, s, 2);
	x->email = q_col_text(p, s, 3);
	x->bio = q_col_text(p, s, 4);
	x->photo = full ? q_col_text(p, s, 5) : "";
	x->links = full ? q_col_text(p, s, 6) : "";
	x->photo_width = full ? q_col_int(s, 7) : 0;
	x->photo_height = full ? q_col_int(s, 8) : 0;
	int names = q_ncols(s) > 10;
	x->first_name = names ? q_col_text(p, s, 9) : "";
	x->last_name = names ? q_col_text(p, s, 10) : "";
}

void row_tag(struct pool *p, dbq *s, void *e)
{
	struct tag *t = e;
	t->id = q_col_int(s, 0);
	t->name = q_col_text(p, s, 1);
	t->slug = q_col_text(p, s, 2);
}

void row_id(struct pool *p, dbq *s, void *e)
{
	(void)p;
	*(long long *)e = q_col_int(s, 0);
}

void row_comment(struct pool *p, dbq *s, void *e)
{
	struct comment *x = e;
	x->id = q_col_int(s, 0);
	x->story_id = q_col_int(s, 1);
	x->parent_id = q_col_int(s, 2);
	x->created_at = q_col_int(s, 3);
	x->author = q_col_text(p, s, 4);
	x->email = q_col_text(p, s, 5);
	x->url = q_col_text(p, s, 6);
	x->body = q_col_text(p, s, 7);
	x->ip = q_col_text(p, s, 8);
	x->user_agent = q_col_text(p, s, 9);
	x->status = (enum comment_status)q_col_int(s, 10);
	x->story_slug = q_ncols(s) > 11 ? q_col_text(p, s, 11) : "";
	x->body_html = q_ncols(s) > 12 ? q_col_text(p, s, 12) : "";
	int staff = q_ncols(s) > 15; /* store_comments_for_story */
	x->user_id = staff ? q_col_int(s, 13) : 0;
	x->user_role = staff ? q_col_text(p, s, 14) : "";
	x->by_story_author = staff && q_col_int(s, 15);
}

void bind_story(dbq *s, int first, const struct story *x)
{
	q_text(s, first, x->slug);
	q_text(s, first + 1, x->title);
	q_text(s, first + 2, x->excerpt);
	q_text(s, first + 3, x->body_md);
	q_text(s, first + 4, x->body_html);
	q_int(s, first + 5, x->section.id);
	q_int(s, first + 6, x->author.id);
	q_int(s, first + 7, (int)x->status);
	q_int(s, first + 8, x->published_at);
	q_int(s, first + 9, x->updated_at ? x->updated_at : x->published_at);
	q_int(s, first + 10, x->reading_minutes);
	q_int(s, first + 11, x->comments_open);
}
