/*
 * store_byline: "Updated" marks and corrections (see store_byline.h).
 */
#include "store_byline.h"
#include "store_int.h"

static const char SQL_MARK[] = "UPDATE stories SET revised_at = ?2 WHERE id = ?1";
static const char SQL_OF_STORY[] =
	"SELECT id, story_id, created_at, body FROM corrections WHERE story_id = ?1"
	" ORDER BY created_at, id";
static const char SQL_COAUTHORS[] =
	"SELECT u.id, u.name, u.slug, u.email, u.bio FROM story_coauthors c"
	" JOIN users u ON u.id = c.user_id WHERE c.story_id = ?1 ORDER BY c.position";
static const char SQL_ADD[] =
	"INSERT INTO corrections(story_id, body, created_at, user_id) VALUES(?1, ?2, ?3, NULLIF(?4, 0)) RETURNING id";
static const char SQL_LIST[] =
	"SELECT c.id, c.story_id, c.created_at, c.body, s.slug, s.title, s.published_at"
	" FROM corrections c JOIN stories s ON s.id = c.story_id WHERE" IS_PUBLISHED
	" ORDER BY c.created_at DESC, c.id DESC LIMIT ?2 OFFSET ?1";

static void row_correction(struct pool *p, dbq *s, void *e)
{
	struct correction *x = e;
	int full = q_ncols(s) > 4;
	x->id = q_col_int(s, 0);
	x->story_id = q_col_int(s, 1);
	x->created_at = q_col_int(s, 2);
	x->body = q_col_text(p, s, 3);
	x->story_slug = full ? q_col_text(p, s, 4) : "";
	x->story_title = full ? q_col_text(p, s, 5) : "";
	x->story_published_at = full ? q_col_int(s, 6) : 0;
}

int story_coauthors(struct store *st, struct pool *p, long long story_id, struct author **out,
		    size_t *n)
{
	dbq *s = stmt(st, SQL_COAUTHORS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	return collect(st, p, s, sizeof **out, row_author, (void **)out, n);
}

int store_story_extra(struct store *st, struct pool *p, const struct story *story,
		      struct story_extra *out)
{
	*out = (struct story_extra){ .revised_at = story->revised_at,
				     .coauthors = story->coauthors,
				     .ncoauthors = story->ncoauthors };
	dep(st, "story:%lld", story->id);
	if (story->ncoauthors && !story->coauthors) { /* a row read without stories_done */
		struct author *a;
		if (story_coauthors(st, p, story->id, &a, &out->ncoauthors))
			return STORE_ERROR;
		out->coauthors = a;
		for (size_t i = 0; i < out->ncoauthors; i++) /* a renamed co-author */
			dep(st, "author:%lld", a[i].id);
	}
	if (!story->has_corrections) /* the common story: no query at all */
		return STORE_OK;
	dbq *s = stmt(st, SQL_OF_STORY);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story->id);
	return collect(st, p, s, sizeof *out->corrections, row_correction,
		       (void **)&out->corrections, &out->ncorrections);
}

int store_story_mark_updated(struct store *st, long long id, long long at)
{
	dbq *s = stmt(st, SQL_MARK);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, at);
	if (exec_step(st, s, "story mark"))
		return STORE_ERROR;
	return store_touchf(st, "story:%lld", id);
}

int store_correction_add(struct store *st, long long story_id, const char *body,
			 long long user_id, long long at, long long *id)
{
	dbq *s = stmt(st, SQL_ADD);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, story_id);
	q_text(s, 2, body);
	q_int(s, 3, at);
	q_int(s, 4, user_id);
	if (insert_id(st, s, id, "correction add"))
		return STORE_ERROR;
	if (store_touchf(st, "story:%lld", story_id) || store_touch(st, "list:corrections"))
		return STORE_ERROR;
	return STORE_OK;
}

int store_corrections(struct store *st, struct pool *p, size_t offset, size_t limit,
		      struct correction **out, size_t *n)
{
	dbq *s = stmt(st, SQL_LIST);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)offset);
	q_int(s, 2, (long long)limit);
	dep(st, "list:corrections");
	dep(st, "list:home");
	int rc = collect(st, p, s, sizeof **out, row_correction, (void **)out, n);
	for (size_t i = 0; rc == STORE_OK && i < *n; i++)
		dep(st, "story:%lld", (*out)[i].story_id);
	return rc;
}
