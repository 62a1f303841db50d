/*
 * store_section: the SQLite side of store_section.h.
 *
 * The one decision: a section's path (its address below /section/) is
 * stored, derived when a section is written, so the reader's page finds
 * a section with one indexed read and a parent's subtree is a prefix
 * match; moving or renaming a section rewrites its descendants' paths in
 * the same transaction.
 */
#include "store_section.h"
#include "store_int.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>

static const char SQL_GET[] = "SELECT " SECTION_COLS " FROM sections WHERE id = ?1";
static const char SQL_SLUG_ID[] = "SELECT id FROM sections WHERE slug = ?1";
/* the importer's and the demo's: by slug, at the top level */
static const char SQL_PUT[] =
	"INSERT INTO sections(name, slug, position, path) VALUES(?1, ?2, ?3, ?2)"
	" ON CONFLICT(slug) DO UPDATE SET name = excluded.name";
static const char SQL_NEXT_POS[] =
	"SELECT COALESCE(max(position) + 1, 0) FROM sections WHERE parent_id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO sections(name, slug, description, parent_id, position, path)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_SET_NAME[] = "UPDATE sections SET name = ?2 WHERE id = ?1";
static const char SQL_SET[] =
	"UPDATE sections SET slug = ?2, description = ?3, parent_id = ?4, path = ?5,"
	" position = CASE WHEN parent_id = ?4 THEN position ELSE ?6 END WHERE id = ?1";
static const char SQL_SET_PATH[] = "UPDATE sections SET path = ?2 WHERE id = ?1";
static const char SQL_DESCENDANTS[] = "SELECT " SECTION_COLS " FROM sections"
	" WHERE substr(path, 1, length(?1) + 1) = ?1 || '/' ORDER BY length(path)";
static const char SQL_TREE[] = "SELECT " SECTION_COLS " FROM sections WHERE id IN "
	SECTION_TREE("?1");
static const char SQL_SIBLINGS[] = "SELECT " SECTION_COLS " FROM sections"
	" WHERE parent_id = ?1 ORDER BY position, name, id";
static const char SQL_SET_POS[] = "UPDATE sections SET position = ?2 WHERE id = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM stories WHERE section_id = ?1";
static const char SQL_MOVE_STORIES[] =
	"UPDATE stories SET section_id = ?2 WHERE section_id = ?1";
static const char SQL_REPARENT[] = "UPDATE sections SET parent_id = ?2 WHERE parent_id = ?1";
static const char SQL_DELETE[] = "DELETE FROM sections WHERE id = ?1";
/* a re-import must not hand out the id of a section that is gone */
static const char SQL_FORGET_IMPORT[] =
	"DELETE FROM import_map WHERE kind = 'section' AND gz_id = ?1";

static int invalid(struct store *st, const char *msg)
{
	snprintf(st->err, sizeof st->err, "%s", msg);
	return STORE_INVALID;
}

int store_section_put(struct store *st, const char *name, const char *slug, int position,
		      long long *id)
{
	return upsert_named(st, SQL_PUT, SQL_SLUG_ID, name, slug, position, id);
}

int store_section_get(struct store *st, struct pool *p, long long id, struct section *out)
{
	dbq *s = stmt(st, SQL_GET);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_section, out);
}

static int rows_of(struct store *st, struct pool *p, const char *sql, long long id,
		   const char *text, struct section **out, size_t *n)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	if (text)
		q_text(s, 1, text);
	else
		q_int(s, 1, id);
	return collect(st, p, s, sizeof **out, row_section, (void **)out, n);
}

int dep_section_tree(struct store *st, long long id)
{
	if (!st->record)
		return STORE_OK;
	struct pool *p = pool_new();
	struct section *v = NULL;
	size_t n = 0;
	int rc = rows_of(st, p, SQL_TREE, id, NULL, &v, &n);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		dep(st, "section:%lld", v[i].id);
	pool_free(p);
	return rc;
}

/* Appends the children of parent (index into v, or n for the top level:
 * rows whose parent is not in v) in their order, each followed by its
 * own, depth first. */
static void tree_walk(const struct section *v, size_t n, const size_t *parent_of, size_t parent,
		      int depth, struct section *out, size_t *k, char *taken)
{
	for (size_t i = 0; i < n; i++) {
		if (taken[i] || parent_of[i] != parent)
			continue;
		taken[i] = 1;
		out[*k] = v[i];
		out[(*k)++].depth = depth;
		tree_walk(v, n, parent_of, i, depth + 1, out, k, taken);
	}
}

void section_tree_order(struct pool *p, struct section *v, size_t n)
{
	struct section *out = pool_alloc(p, (n + 1) * sizeof *out);
	size_t *parent_of = pool_alloc(p, (n + 1) * sizeof *parent_of), k = 0;
	char *taken = pool_alloc(p, n + 1);
	memset(taken, 0, n + 1);
	for (size_t i = 0; i < n; i++) {
		parent_of[i] = n;
		for (size_t j = 0; v[i].parent_id && j < n; j++)
			if (v[j].id == v[i].parent_id)
				parent_of[i] = j;
	}
	tree_walk(v, n, parent_of, n, 0, out, &k, taken);
	for (size_t i = 0; i < n; i++) /* a cycle, which updates refuse */
		if (!taken[i])
			out[k++] = v[i];
	memcpy(v, out, n * sizeof *v);
}

static int slug_free(struct store *st, const char *slug, long long self)
{
	dbq *s = stmt(st, SQL_SLUG_ID);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, slug);
	int rc = q_step(s);
	long long owner = rc == DB_ROW ? q_col_int(s, 0) : 0;
	done(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(st, "section slug");
	if (owner && owner != self) {
		snprintf(st->err, sizeof st->err, "a section with the address name \"%s\" exists",
			 slug);
		return STORE_CONFLICT;
	}
	return STORE_OK;
}

/* The path of a section with this slug under parent_id. */
static int path_under(struct store *st, struct pool *p, long long parent_id, const char *slug,
		      const char **path)
{
	struct section parent;
	if (!parent_id) {
		*path = slug;
	} else {
		int rc = store_section_get(st, p, parent_id, &parent);
		if (rc == STORE_NOTFOUND)
			return invalid(st, "the parent section does not exist");
		if (rc)
			return rc;
		*path = pool_printf(p, "%s/%s", parent.path, slug);
	}
	if (strlen(*path) > SECTION_PATH_MAX)
		return invalid(st, "the section's address would be too long: nest it less deeply");
	return STORE_OK;
}

int store_section_create(struct store *st, const char *name, const char *slug,
			 const char *description, long long parent_id, long long *id)
{
	struct pool *p = pool_new();
	const char *path = NULL;
	long long pos = 0;
	int rc = slug_free(st, slug, 0);
	if (!rc)
		rc = path_under(st, p, parent_id, slug, &path);
	if (!rc)
		rc = int_row(st, SQL_NEXT_POS, parent_id, &pos, "section position");
	dbq *s = rc ? NULL : stmt(st, SQL_INSERT);
	if (s) {
		q_text(s, 1, name);
		q_text(s, 2, slug);
		q_text(s, 3, description);
		q_int(s, 4, parent_id);
		q_int(s, 5, pos);
		q_text(s, 6, path);
		rc = insert_id(st, s, id, "section insert") ? STORE_ERROR : STORE_OK;
	} else if (!rc)
		rc = STORE_ERROR;
	pool_free(p);
	if (!rc)
		rc = store_touch(st, "site"); /* the masthead */
	return rc;
}

static void moved_add(struct pool *p, struct section_moves *m, long long id, const char *from,
		      const char *to)
{
	struct section_moved *v = pool_alloc(p, (m->n + 1) * sizeof *v);
	if (m->n)
		memcpy(v, m->v, m->n * sizeof *v);
	v[m->n++] = (struct section_moved){ id, pool_strdup(p, from), pool_strdup(p, to) };
	m->v = v;
}

/* Rewrites the paths below old_path to lie below new_path (moves into m). */
/* Gives section x the address `to`: the row, its change-log tag, and the
 * move in m (for the redirects the caller writes). */
static int set_path(struct store *st, struct pool *p, struct section_moves *m,
		    const struct section *x, const char *to)
{
	dbq *s = stmt(st, SQL_SET_PATH);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, x->id);
	q_text(s, 2, to);
	int rc = exec_step(st, s, "section path");
	if (!rc)
		rc = store_touchf(st, "section:%lld", x->id);
	moved_add(p, m, x->id, x->path, to);
	return rc;
}

static int move_descendants(struct store *st, struct pool *p, const char *old_path,
			    const char *new_path, struct section_moves *m)
{
	struct section *v = NULL;
	size_t n = 0, cut = strlen(old_path);
	int rc = rows_of(st, p, SQL_DESCENDANTS, 0, old_path, &v, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		const char *to = pool_printf(p, "%s%s", new_path, v[i].path + cut);
		if (strlen(to) > SECTION_PATH_MAX)
			return invalid(st, "a subsection's address would be too long: nest it less deeply");
		rc = set_path(st, p, m, &v[i], to);
	}
	return rc;
}

int store_section_update(struct store *st, struct pool *p, long long id, const char *name,
			 const char *slug, const char *description, long long parent_id,
			 struct section_moves *moved)
{
	struct section old;
	const char *path = NULL;
	long long pos = 0;
	*moved = (struct section_moves){ NULL, 0 };
	int rc = store_section_get(st, p, id, &old);
	if (rc)
		return rc;
	if (!rc)
		rc = slug_free(st, slug, id);
	if (!rc)
		rc = path_under(st, p, parent_id, slug, &path);
	/* the new path lies below the old one: the parent is the section or
	 * one of its descendants */
	size_t ol = strlen(old.path);
	if (!rc && parent_id &&
	    (parent_id == id || (strncmp(path, old.path, ol) == 0 && path[ol] == '/')))
		return invalid(st, "a section cannot be placed inside itself or one of its subsections");
	if (!rc && parent_id != old.parent_id)
		rc = int_row(st, SQL_NEXT_POS, parent_id, &pos, "section position");
	if (!rc && strcmp(name, old.name) != 0) {
		dbq *s = stmt(st, SQL_SET_NAME);
		if (!s)
			return STORE_ERROR;
		q_int(s, 1, id);
		q_text(s, 2, name);
		rc = exec_step(st, s, "section name");
	}
	dbq *s = rc ? NULL : stmt(st, SQL_SET);
	if (!rc && !s)
		return STORE_ERROR;
	if (s) {
		q_int(s, 1, id);
		q_text(s, 2, slug);
		q_text(s, 3, description);
		q_int(s, 4, parent_id);
		q_text(s, 5, path);
		q_int(s, 6, pos);
		rc = exec_step(st, s, "section update");
	}
	if (!rc && strcmp(path, old.path) != 0) {
		moved_add(p, moved, id, old.path, path);
		rc = move_descendants(st, p, old.path, path, moved);
	}
	if (!rc)
		rc = store_touchf(st, "section:%lld", id);
	/* the masthead shows names and addresses; a description is only on
	 * the section's own page */
	if (!rc && (moved->n || strcmp(name, old.name) != 0 || parent_id != old.parent_id))
		rc = store_touch(st, "site");
	return rc;
}

int store_section_move(struct store *st, long long id, int delta)
{
	struct pool *p = pool_new();
	struct section sec, *v = NULL;
	size_t n = 0, at = 0;
	int rc = store_section_get(st, p, id, &sec);
	if (!rc)
		rc = rows_of(st, p, SQL_SIBLINGS, sec.parent_id, NULL, &v, &n);
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			at = i;
	size_t to = delta < 0 ? (at ? at - 1 : at) : (at + 1 < n ? at + 1 : at);
	if (!rc && to != at) {
		struct section t = v[at];
		v[at] = v[to];
		v[to] = t;
		/* positions renumbered 0..n-1: imported sections share one */
		for (size_t i = 0; !rc && i < n; i++) {
			dbq *s = stmt(st, SQL_SET_POS);
			if (!s) {
				rc = STORE_ERROR;
				break;
			}
			q_int(s, 1, v[i].id);
			q_int(s, 2, (long long)i);
			rc = exec_step(st, s, "section position");
		}
		if (!rc)
			rc = store_touch(st, "site");
	}
	pool_free(p);
	return rc;
}

int store_section_story_count(struct store *st, long long id, size_t *n)
{
	long long c = 0;
	int rc = int_row(st, SQL_COUNT, id, &c, "section count");
	*n = (size_t)c;
	return rc;
}

int store_section_delete(struct store *st, struct pool *p, long long id, long long target_id,
			 struct section_moves *moved)
{
	struct section sec, target = { 0 };
	size_t stories = 0;
	*moved = (struct section_moves){ NULL, 0 };
	int rc = store_section_get(st, p, id, &sec);
	if (rc)
		return rc;
	if (target_id == id)
		return invalid(st, "a section's stories cannot be moved to the section itself: "
				   "choose another section");
	if (target_id) {
		rc = store_section_get(st, p, target_id, &target);
		if (rc == STORE_NOTFOUND)
			return invalid(st, "the section to move the stories to does not exist");
		if (rc)
			return rc;
	}
	rc = store_section_story_count(st, id, &stories);
	if (!rc && stories && !target_id)
		return invalid(st, "this section has stories: choose a section to move them to");
	if (!rc)
		rc = exec_id(st, SQL_FORGET_IMPORT, id, "section import map");
	dbq *s = rc ? NULL : stmt(st, SQL_MOVE_STORIES);
	if (s) {
		q_int(s, 1, id);
		q_int(s, 2, target_id);
		rc = exec_step(st, s, "section stories");
	} else if (!rc)
		rc = STORE_ERROR;
	/* children go up to the deleted section's parent, as in WordPress */
	s = rc ? NULL : stmt(st, SQL_REPARENT);
	if (s) {
		q_int(s, 1, id);
		q_int(s, 2, sec.parent_id);
		rc = exec_step(st, s, "section children");
	} else if (!rc)
		rc = STORE_ERROR;
	if (!rc)
		rc = exec_id(st, SQL_DELETE, id, "section delete");
	if (!rc)
		moved_add(p, moved, id, sec.path, target_id ? target.path : "");
	if (!rc) {
		const char *slash = strrchr(sec.path, '/');
		const char *up = slash ? pool_strndup(p, sec.path, (size_t)(slash - sec.path)) : "";
		struct section *v = NULL;
		size_t n = 0;
		/* each former child keeps its slug under the new parent */
		rc = rows_of(st, p, SQL_DESCENDANTS, 0, sec.path, &v, &n);
		for (size_t i = 0; !rc && i < n; i++) {
			if (v[i].parent_id != sec.parent_id)
				continue;
			const char *to = *up ? pool_printf(p, "%s/%s", up, v[i].slug) : v[i].slug;
			rc = set_path(st, p, moved, &v[i], to);
			if (!rc)
				rc = move_descendants(st, p, v[i].path, to, moved);
		}
	}
	if (!rc)
		rc = store_touchf(st, "section:%lld", id);
	if (!rc && target_id)
		rc = store_touchf(st, "section:%lld", target_id);
	if (!rc)
		rc = store_touch(st, "site");
	return rc;
}
