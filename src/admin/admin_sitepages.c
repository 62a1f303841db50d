/*
 * admin_sitepages: static pages (About, Contact, Imprint, Privacy) for
 * editors and admins: the list, and one editor for a new page and for an
 * existing one (title, address name, the top-level page it goes inside,
 * Markdown text, published or draft), plus delete. The rules (names a
 * route owns, one level of nesting) are content/sitepage.c's.
 */
#include "admin.h"
#include "../content/sitepage.h"
#include "../media/media_ref.h"
#include "../render/template.h"
#include "../store/store_sitepage.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

enum pf { PF_TITLE, PF_SLUG, PF_PARENT, PF_BODY, PF_STATUS, PF__MAX };

static const struct field_spec fields[PF__MAX] = {
	[PF_TITLE] = { "title", SITEPAGE_TITLE_MAX, 1, "Please give the page a title.",
		       "The title is too long: the limit is 300 bytes.", NULL, NULL },
	[PF_SLUG] = { "slug", 200, 0, NULL, "The address name is too long: the limit is 200 bytes.",
		      NULL, NULL },
	[PF_PARENT] = { "parent", 20, 0, NULL, "Choose the page this one goes inside from the list.",
			field_uint, "Choose the page this one goes inside from the list." },
	[PF_BODY] = { "body", SITEPAGE_BODY_MAX, 0, NULL, "The text is too long: the limit is 256 KB.",
		      NULL, NULL },
	[PF_STATUS] = { "status", 20, 0, NULL, "Choose draft or published.", NULL, NULL },
};

/* HTTP status for a store code from content/sitepage.c. */
static int status_of(int rc)
{
	return rc == STORE_CONFLICT ? 409 : rc == STORE_NOTFOUND ? 404 : rc == STORE_INVALID ? 422 : 500;
}

/* Every page as {id, title, url, status, child, selected}; parents_only
 * keeps the top-level ones other than skip (the editor's "Inside"). */
static struct tv *page_list(struct req *rq, int parents_only, long long skip, long long selected)
{
	struct pool *p = rq->pool;
	struct sitepage *v = NULL;
	size_t n = 0;
	struct tv *list = tv_list(p);
	store_sitepages(rq->store, p, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (parents_only && (v[i].parent_id || v[i].id == skip))
			continue;
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "title", v[i].title);
		tv_put_str(o, "url", sitepage_url(p, v[i].path));
		tv_put_str(o, "status", v[i].status == SITEPAGE_PUBLISHED ? "Published" : "Draft");
		tv_put_bool(o, "child", v[i].parent_id != 0);
		tv_put_bool(o, "selected", v[i].id == selected);
		tv_append(list, o);
	}
	return list;
}

void admin_sitepages(struct req *rq, struct resp *rs)
{
	struct tv *ctx = admin_ctx(rq, "Pages", "/admin/pages");
	struct tv *list = page_list(rq, 0, 0, 0);
	tv_put(ctx, "pages", list);
	tv_put_bool(ctx, "has_pages", tv_count(list) > 0);
	admin_render(rq, rs, 200, "admin-pages", ctx);
}

/* The editor: page id (0: new) with vals, or error (422/409/404). */
static void editor(struct req *rq, struct resp *rs, int status, long long id,
		   const char *const *vals, long long parent, const char *url, const char *error)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, id ? pool_printf(p, "Page: %s", vals[PF_TITLE]) : "New page",
				   "/admin/pages");
	struct tv *f = tv_obj(p);
	tv_put_int(f, "id", id);
	tv_put_str(f, "action", id ? pool_printf(p, "/admin/pages/%lld", id) : "/admin/pages");
	tv_put_str(f, "title", vals[PF_TITLE]);
	tv_put_str(f, "slug", vals[PF_SLUG]);
	tv_put_str(f, "body", vals[PF_BODY]);
	tv_put_bool(f, "published", strcmp(vals[PF_STATUS], "published") == 0);
	if (url)
		tv_put_str(f, "url", url);
	tv_put(f, "parents", page_list(rq, 1, id, parent));
	if (error)
		tv_put_str(f, "error", error);
	tv_put(ctx, "page", f);
	admin_render(rq, rs, status, "admin-page", ctx);
}

void admin_sitepage_new(struct req *rq, struct resp *rs)
{
	static const char *const empty[PF__MAX] = { "", "", "", "", "" };
	editor(rq, rs, 200, 0, empty, 0, NULL, NULL);
}

static int page_param(struct req *rq, struct resp *rs, struct sitepage *out)
{
	long long id = admin_param_id(rq);
	if (!id || store_sitepage_get(rq->store, rq->pool, id, out))
		return admin_not_found(rq, rs, "page");
	return 0;
}

void admin_sitepage_edit(struct req *rq, struct resp *rs)
{
	struct sitepage pg;
	if (page_param(rq, rs, &pg))
		return;
	const char *const vals[PF__MAX] = { pg.title, pg.slug, "", pg.body_md,
					    pg.status == SITEPAGE_PUBLISHED ? "published" : "draft" };
	editor(rq, rs, 200, pg.id, vals, pg.parent_id, sitepage_url(rq->pool, pg.path), NULL);
}

/* Validates and saves the form as page id (0: new); the editor again on
 * a refusal. */
static void save(struct req *rq, struct resp *rs, long long id, const char *url)
{
	struct field_val fv[PF__MAX];
	const char *vals[PF__MAX], *msg = NULL;
	form_validate(rq->pool, fields, PF__MAX, &rq->form, fv);
	for (int i = 0; i < PF__MAX; i++) {
		vals[i] = fv[i].val;
		msg = msg ? msg : fv[i].error;
	}
	unsigned long long parent = 0;
	if (!msg && *vals[PF_PARENT])
		num_parse_u64(vals[PF_PARENT], 1ULL << 62, &parent);
	if (!msg && *vals[PF_STATUS] && strcmp(vals[PF_STATUS], "published") != 0 &&
	    strcmp(vals[PF_STATUS], "draft") != 0)
		msg = "Choose draft or published.";
	struct sitepage_input in = { vals[PF_TITLE], vals[PF_SLUG], vals[PF_BODY], (long long)parent,
				     strcmp(vals[PF_STATUS], "published") == 0 };
	struct media_ref r;
	long long saved = 0;
	int rc = msg ? STORE_INVALID
		     : sitepage_save(rq->store, rq->pool, id, &in,
				     media_ref_opts(&r, rq->store, rq->pool, 0), &saved, &msg);
	if (rc) {
		editor(rq, rs, status_of(rc), id, vals, (long long)parent, url, msg);
		return;
	}
	log_info("admin: %s saved page %lld (%s)", rq->user->email, saved, in.title);
	admin_done(rq, rs, pool_printf(rq->pool, "/admin/pages/%lld", saved), "page-saved");
}

void admin_sitepage_add(struct req *rq, struct resp *rs)
{
	save(rq, rs, 0, NULL);
}

void admin_sitepage_save(struct req *rq, struct resp *rs)
{
	struct sitepage pg;
	if (page_param(rq, rs, &pg) == 0)
		save(rq, rs, pg.id, sitepage_url(rq->pool, pg.path));
}

void admin_sitepage_delete(struct req *rq, struct resp *rs)
{
	struct sitepage pg;
	const char *msg = NULL;
	if (page_param(rq, rs, &pg))
		return;
	int rc = sitepage_remove(rq->store, rq->pool, pg.id, &msg);
	if (rc) {
		http_error(rq, rs, status_of(rc), "Not deleted", msg);
		return;
	}
	log_info("admin: %s deleted page %lld (%s)", rq->user->email, pg.id, pg.title);
	admin_done(rq, rs, "/admin/pages", "page-deleted");
}
