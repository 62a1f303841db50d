/*
 * section: the section rules (see section.h). The one decision: the
 * store derives paths and reports which changed; the redirects for them
 * (page and feeds) are written here, in the same transaction, because
 * only this side knows how a path becomes a URL.
 */
#include "section.h"
#include "slug.h"
#include "../render/escape.h"
#include "../store/store_redirect.h"
#include "../store/store_section.h"
#include "../util/buf.h"
#include "../util/pool.h"

#include <ctype.h>
#include <string.h>

const char *section_url(struct pool *p, const char *path)
{
	return path_url(p, "/section", path);
}

const char *path_url(struct pool *p, const char *prefix, const char *path)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/";
	size_t n = path ? strlen(path) : 0;
	if (n && path[n - 1] != '/' && strspn(path, plain) == n) /* most: nothing to escape */
		return pool_cat(p, prefix, "/", path, NULL);
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, prefix);
	for (const char *seg = path; seg && *seg;) {
		const char *end = strchrnul(seg, '/');
		buf_putc(&b, '/');
		url_path(&b, pool_strndup(p, seg, (size_t)(end - seg)));
		seg = *end ? end + 1 : end;
	}
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

/* Checks in; fills *slug (made from the name when empty). */
static int check(struct pool *p, const struct section_input *in, const char **slug,
		 const char **msg)
{
	char made[SLUG_MAX + 1];
	if (!in->name || !*in->name)
		*msg = "Please give the section a name.";
	else if (strlen(in->name) > SECTION_NAME_MAX)
		*msg = "The name is too long: the limit is 100 bytes.";
	else if (in->description && strlen(in->description) > SECTION_DESCRIPTION_MAX)
		*msg = "The description is too long: the limit is 1000 bytes.";
	else if (!slug_make(in->slug && *in->slug ? in->slug : in->name, made, sizeof made))
		*msg = "The address name needs at least one letter or digit.";
	else if (in->slug && *in->slug && strcmp(made, in->slug) != 0)
		*msg = "The address name may hold only lowercase letters, digits and hyphens "
		       "(without a hyphen at either end).";
	else if (strcmp(made, "feed") == 0)
		*msg = "\"feed\" is the address of a section's feed: choose another address name.";
	else {
		*slug = pool_strdup(p, made);
		return STORE_OK;
	}
	return STORE_INVALID;
}

int content_finish(struct store *st, struct pool *p, int rc, const char *noun, const char **msg)
{
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc == STORE_OK)
		return STORE_OK;
	*msg = rc == STORE_INVALID || rc == STORE_CONFLICT
		       ? pool_printf(p, "%c%s.", toupper((unsigned char)store_errmsg(st)[0]), store_errmsg(st) + 1)
	       : rc == STORE_NOTFOUND ? pool_printf(p, "There is no such %s.", noun)
				      : pool_printf(p, "The %s could not be saved.", noun);
	store_rollback(st);
	return rc;
}

static int finish(struct store *st, struct pool *p, int rc, const char **msg)
{
	return content_finish(st, p, rc, "section", msg);
}

/* The old addresses of moved sections (and their feeds) answer 301. */
static int redirect_moves(struct store *st, struct pool *p, const struct section_moves *m)
{
	static const char *const feeds[] = { "", "/feed", "/feed.atom", "/feed.json" };
	int rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < m->n; i++) {
		if (!*m->v[i].new_path)
			continue;
		const char *from = section_url(p, m->v[i].old_path);
		const char *to = section_url(p, m->v[i].new_path);
		for (size_t f = 0; rc == STORE_OK && f < sizeof feeds / sizeof feeds[0]; f++)
			rc = store_redirect_put(st, pool_printf(p, "%s%s", from, feeds[f]),
						pool_printf(p, "%s%s", to, feeds[f]));
	}
	return rc;
}

int section_add(struct store *st, struct pool *p, const struct section_input *in, long long *id,
		const char **msg)
{
	const char *slug;
	if (check(p, in, &slug, msg))
		return STORE_INVALID;
	int rc = store_begin(st);
	if (rc) {
		*msg = "The section could not be saved.";
		return rc;
	}
	rc = store_section_create(st, in->name, slug, in->description ? in->description : "",
				  in->parent_id, id);
	return finish(st, p, rc, msg);
}

int section_change(struct store *st, struct pool *p, long long id, const struct section_input *in,
		   const char **msg)
{
	const char *slug;
	struct section_moves moved;
	if (check(p, in, &slug, msg))
		return STORE_INVALID;
	int rc = store_begin(st);
	if (rc) {
		*msg = "The section could not be saved.";
		return rc;
	}
	rc = store_section_update(st, p, id, in->name, slug, in->description ? in->description : "",
				  in->parent_id, &moved);
	if (rc == STORE_OK)
		rc = redirect_moves(st, p, &moved);
	/* related lists weigh section names: recomputed by the scheduler */
	if (rc == STORE_OK)
		rc = store_related_mark_due(st);
	return finish(st, p, rc, msg);
}

int section_move(struct store *st, struct pool *p, long long id, int delta, const char **msg)
{
	int rc = store_begin(st);
	if (rc) {
		*msg = "The section could not be moved.";
		return rc;
	}
	return finish(st, p, store_section_move(st, id, delta), msg);
}

int section_remove(struct store *st, struct pool *p, long long id, long long target_id,
		   const char **msg)
{
	struct section_moves moved;
	int rc = store_begin(st);
	if (rc) {
		*msg = "The section could not be deleted.";
		return rc;
	}
	rc = store_section_delete(st, p, id, target_id, &moved);
	if (rc == STORE_OK)
		rc = redirect_moves(st, p, &moved);
	if (rc == STORE_OK)
		rc = store_related_mark_due(st);
	return finish(st, p, rc, msg);
}
