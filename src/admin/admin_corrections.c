/*
 * admin_corrections: a story's corrections in the newsroom: the notes
 * appended so far and a form adding one. A correction stands once made
 * (no edit, no removal: readers may have quoted it), and only a published
 * story takes one: a draft is simply fixed.
 */
#include "admin.h"
#include "../auth/guard.h"
#include "../pages/pages.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_byline.h"
#include "../store/store_story.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <time.h>

enum cf { CF_TEXT, CF__MAX };

static const struct field_spec fields[CF__MAX] = {
	[CF_TEXT] = { "correction", 2000, 1, "Write the correction: what was wrong and what is right.",
		      "The correction is too long: the limit is 2,000 bytes.", NULL, NULL },
};

#define NOT_PUBLISHED "Only a published story takes corrections: fix a draft in the editor."

static int load(struct req *rq, struct resp *rs, struct story_edit *e, struct story_extra *x)
{
	int rc = admin_story_load(rq, rs, guard_story_id(rq), e);
	if (rc)
		return rc;
	if ((rc = store_story_extra(rq->store, rq->pool, &e->s, x))) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The story could not be loaded.");
	}
	return rc;
}

static void show(struct req *rq, struct resp *rs, int status, const struct story_edit *e,
		 const struct story_extra *x, const char *value, const char *error)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, "Corrections", "/admin/stories");
	struct tv *so = tv_obj(p);
	tv_put_int(so, "id", e->s.id);
	tv_put_str(so, "title", e->s.title);
	int live = e->s.status == STORY_PUBLISHED;
	tv_put_bool(so, "is_published", live);
	if (live)
		tv_put_str(so, "public_url", story_path(p, &e->s));
	tv_put(ctx, "story", so);
	struct tv *list = tv_list(p);
	for (size_t i = x->ncorrections; i-- > 0;) { /* newest first */
		struct tv *o = tv_obj(p);
		tv_put_str(o, "when", admin_datetime(p, x->corrections[i].created_at, &rq->site->zone));
		tv_put_str(o, "text", x->corrections[i].body);
		tv_append(list, o);
	}
	tv_put(ctx, "corrections", list);
	tv_put_bool(ctx, "has_corrections", x->ncorrections > 0);
	tv_put_str(ctx, "v_correction", value ? value : "");
	const char *errors[] = { error };
	struct tv *el = admin_error_list(p, errors, 1, NULL);
	tv_put(ctx, "errors", el);
	tv_put_bool(ctx, "has_errors", error != NULL);
	admin_render(rq, rs, status, "admin-corrections", ctx);
}

void admin_corrections(struct req *rq, struct resp *rs)
{
	struct story_edit e;
	struct story_extra x;
	if (load(rq, rs, &e, &x))
		return;
	show(rq, rs, 200, &e, &x, NULL, NULL);
}

void admin_correction_add(struct req *rq, struct resp *rs)
{
	struct story_edit e;
	struct story_extra x;
	if (load(rq, rs, &e, &x))
		return;
	struct field_val fv[CF__MAX];
	kv_lf(rq->pool, &rq->form);
	form_validate(rq->pool, fields, CF__MAX, &rq->form, fv);
	if (e.s.status != STORY_PUBLISHED) {
		show(rq, rs, 409, &e, &x, fv[CF_TEXT].val, NOT_PUBLISHED);
		return;
	}
	if (fv[CF_TEXT].error) {
		show(rq, rs, 422, &e, &x, fv[CF_TEXT].val, fv[CF_TEXT].error);
		return;
	}
	long long id = 0;
	struct store *st = rq->store;
	int rc = store_begin(st);
	if (!rc)
		rc = store_correction_add(st, e.s.id, fv[CF_TEXT].val, rq->user->id,
					  (long long)time(NULL), &id);
	if (!rc)
		rc = store_commit(st);
	if (rc) {
		store_rollback(st);
		log_error("%s: %s", rq->uri, store_errmsg(st));
		http_error(rq, rs, 500, "Not saved", "The correction could not be saved. Please try again.");
		return;
	}
	log_info("admin: %s added correction %lld to story %lld", rq->user->email, id, e.s.id);
	admin_done(rq, rs, pool_printf(rq->pool, "/admin/stories/%lld/corrections", e.s.id),
		   "corrected");
}
