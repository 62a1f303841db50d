/*
 * admin_sections: the sections of the masthead (editors and admins):
 * the tree with up/down buttons, a form to add one, and each section's
 * page to rename it, describe it, move it under another, or delete it
 * with its stories moved to a section chosen in the form. The rules and
 * the redirects a change leaves are content/section.c's, shared with
 * `gazette section`.
 */
#include "admin.h"
#include "../content/section.h"
#include "../render/template.h"
#include "../store/store_section.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

enum xf { XF_NAME, XF_SLUG, XF_DESCRIPTION, XF_PARENT, XF__MAX };

static const struct field_spec fields[XF__MAX] = {
	[XF_NAME] = { "name", SECTION_NAME_MAX, 1, "Please give the section a name.",
		      "The name is too long: the limit is 100 bytes.", NULL, NULL },
	[XF_SLUG] = { "slug", 200, 0, NULL, "The address name is too long: the limit is 200 bytes.",
		      NULL, NULL },
	[XF_DESCRIPTION] = { "description", SECTION_DESCRIPTION_MAX, 0, NULL,
			     "The description is too long: the limit is 1000 bytes.", NULL, NULL },
	[XF_PARENT] = { "parent", 20, 0, NULL, "Choose a parent section from the list.", field_uint,
			"Choose a parent section from the list." },
};

const char *admin_section_label(struct pool *p, const struct section *sec, const char *name)
{
	/* "— " per level: a select's options cannot be styled */
	struct buf b;
	buf_init(&b, 4096);
	for (int d = 0; d < sec->depth; d++)
		buf_puts(&b, "\xe2\x80\x94 ");
	buf_puts(&b, name);
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

/* HTTP status for a store code from content/section.c. */
static int status_of(int rc)
{
	return rc == STORE_CONFLICT ? 409 : rc == STORE_NOTFOUND ? 404 : rc == STORE_INVALID ? 422 : 500;
}

/* The sections as a tree, for the list and for parent/target selects:
 * {id, name, path, url, depth, indent, selected}. */
static struct tv *section_list(struct req *rq, long long selected, long long skip_tree_of)
{
	struct pool *p = rq->pool;
	struct section *v = NULL;
	size_t n = 0;
	struct tv *list = tv_list(p);
	const char *skip = NULL;
	store_sections(rq->store, p, &v, &n);
	for (size_t i = 0; i < n; i++)
		if (v[i].id == skip_tree_of)
			skip = v[i].path;
	for (size_t i = 0; i < n; i++) {
		size_t sl = skip ? strlen(skip) : 0;
		if (skip && strncmp(v[i].path, skip, sl) == 0 && (!v[i].path[sl] || v[i].path[sl] == '/'))
			continue; /* a section cannot go inside itself */
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "name", v[i].name);
		tv_put_str(o, "path", v[i].path);
		tv_put_str(o, "url", section_url(p, v[i].path));
		tv_put_int(o, "depth", v[i].depth);
		tv_put_str(o, "indent", admin_section_label(p, &v[i], ""));
		tv_put_bool(o, "selected", v[i].id == selected);
		tv_append(list, o);
	}
	return list;
}

static void form_values(struct pool *p, struct tv *f, const char *const *vals, const char *error)
{
	tv_put_str(f, "name", vals[XF_NAME]);
	tv_put_str(f, "slug", vals[XF_SLUG]);
	tv_put_str(f, "description", vals[XF_DESCRIPTION]);
	if (error)
		tv_put_str(f, "error", error);
}

static void list_page(struct req *rq, struct resp *rs, int status, const char *const *vals,
		      const char *error)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, "Sections", "/admin/sections");
	static const char *const empty[XF__MAX] = { "", "", "", "" };
	long long parent = 0;
	unsigned long long u;
	if (vals && num_parse_u64(vals[XF_PARENT], 1ULL << 62, &u) == 0)
		parent = (long long)u;
	struct tv *list = section_list(rq, 0, 0);
	tv_put(ctx, "sections", list);
	tv_put_bool(ctx, "has_sections", tv_count(list) > 0);
	struct tv *f = tv_obj(p);
	form_values(p, f, vals ? vals : empty, error);
	tv_put(f, "parents", section_list(rq, parent, 0));
	tv_put(ctx, "add", f);
	admin_render(rq, rs, status, "admin-sections", ctx);
}

void admin_sections(struct req *rq, struct resp *rs)
{
	list_page(rq, rs, 200, NULL, NULL);
}

/* Validates the form into in (vals for refilling it); NULL or a message. */
static const char *read_form(struct req *rq, struct section_input *in, const char **vals)
{
	struct field_val fv[XF__MAX];
	size_t nerr = form_validate(rq->pool, fields, XF__MAX, &rq->form, fv);
	const char *err = NULL;
	for (int i = 0; i < XF__MAX; i++) {
		vals[i] = fv[i].val;
		if (!err && fv[i].error)
			err = fv[i].error;
	}
	unsigned long long parent = 0;
	if (!nerr && *vals[XF_PARENT])
		num_parse_u64(vals[XF_PARENT], 1ULL << 62, &parent);
	*in = (struct section_input){ vals[XF_NAME], vals[XF_SLUG], vals[XF_DESCRIPTION],
				      (long long)parent };
	return err;
}

void admin_section_add(struct req *rq, struct resp *rs)
{
	struct section_input in;
	const char *vals[XF__MAX], *msg = read_form(rq, &in, vals);
	long long id;
	int rc = msg ? STORE_INVALID : section_add(rq->store, rq->pool, &in, &id, &msg);
	if (rc) {
		list_page(rq, rs, status_of(rc), vals, msg);
		return;
	}
	log_info("admin: %s added section %s", rq->user->email, in.name);
	admin_done(rq, rs, "/admin/sections", "section-added");
}

static int section_param(struct req *rq, struct resp *rs, struct section *out)
{
	long long id = admin_param_id(rq);
	if (!id || store_section_get(rq->store, rq->pool, id, out))
		return admin_not_found(rq, rs, "section");
	return 0;
}

static void edit_page(struct req *rq, struct resp *rs, int status, const struct section *sec,
		      const char *const *vals, long long parent, const char *error,
		      const char *delete_error)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, pool_printf(p, "Section: %s", sec->name), "/admin/sections");
	struct tv *f = tv_obj(p);
	const char *const cur[XF__MAX] = { sec->name, sec->slug, sec->description, "" };
	form_values(p, f, vals ? vals : cur, error);
	tv_put_int(f, "id", sec->id);
	tv_put_str(f, "url", section_url(p, sec->path));
	tv_put(f, "parents", section_list(rq, parent, sec->id));
	size_t stories = 0;
	store_section_story_count(rq->store, sec->id, &stories);
	tv_put_int(f, "stories", (long long)stories);
	struct tv *targets = section_list(rq, 0, 0);
	tv_put(f, "targets", targets);
	if (delete_error)
		tv_put_str(f, "delete_error", delete_error);
	tv_put(ctx, "section", f);
	admin_render(rq, rs, status, "admin-section", ctx);
}

void admin_section_edit(struct req *rq, struct resp *rs)
{
	struct section sec;
	if (section_param(rq, rs, &sec) == 0)
		edit_page(rq, rs, 200, &sec, NULL, sec.parent_id, NULL, NULL);
}

void admin_section_save(struct req *rq, struct resp *rs)
{
	struct section sec;
	struct section_input in;
	if (section_param(rq, rs, &sec))
		return;
	const char *vals[XF__MAX], *msg = read_form(rq, &in, vals);
	int rc = msg ? STORE_INVALID : section_change(rq->store, rq->pool, sec.id, &in, &msg);
	if (rc) {
		edit_page(rq, rs, status_of(rc), &sec, vals, in.parent_id, msg, NULL);
		return;
	}
	log_info("admin: %s changed section %lld (%s)", rq->user->email, sec.id, in.name);
	admin_done(rq, rs, pool_printf(rq->pool, "/admin/sections/%lld", sec.id), "section-saved");
}

void admin_section_move(struct req *rq, struct resp *rs)
{
	struct section sec;
	const char *dir = kv_get(&rq->form, "direction"), *msg = NULL;
	if (section_param(rq, rs, &sec))
		return;
	if (!dir || (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0)) {
		http_error(rq, rs, 400, "Bad request", "Move a section up or down.");
		return;
	}
	int rc = section_move(rq->store, rq->pool, sec.id, dir[0] == 'u' ? -1 : 1, &msg);
	if (rc) {
		list_page(rq, rs, status_of(rc), NULL, msg);
		return;
	}
	admin_done(rq, rs, "/admin/sections", "section-moved");
}

void admin_section_delete(struct req *rq, struct resp *rs)
{
	struct section sec;
	unsigned long long target = 0;
	const char *t = kv_get(&rq->form, "target"), *msg = NULL;
	if (section_param(rq, rs, &sec))
		return;
	if (t && *t && num_parse_u64(t, 1ULL << 62, &target)) {
		edit_page(rq, rs, 422, &sec, NULL, sec.parent_id, NULL,
			  "Choose the section to move the stories to from the list.");
		return;
	}
	int rc = section_remove(rq->store, rq->pool, sec.id, (long long)target, &msg);
	if (rc) {
		edit_page(rq, rs, status_of(rc), &sec, NULL, sec.parent_id, NULL, msg);
		return;
	}
	log_info("admin: %s deleted section %lld (%s)", rq->user->email, sec.id, sec.name);
	admin_done(rq, rs, "/admin/sections", "section-deleted");
}
