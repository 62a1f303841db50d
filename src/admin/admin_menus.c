/*
 * admin_menus: the header and footer menus (editors and admins): each
 * menu's items in order with Up/Down and Delete, and a form to add an
 * item by its address (a section's, a page's or a story's on this site,
 * or an external http(s) link), inside a header item when chosen. The
 * rules are content/menu.c's.
 */
#include "admin.h"
#include "../content/menu.h"
#include "../pages/pages.h"
#include "../render/template.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

enum mf { MF_MENU, MF_LABEL, MF_ADDRESS, MF_PARENT, MF__MAX };

static const struct field_spec fields[MF__MAX] = {
	[MF_MENU] = { "menu", 10, 1, "Choose the header or the footer menu.",
		      "Choose the header or the footer menu.", NULL, NULL },
	[MF_LABEL] = { "label", MENU_LABEL_MAX, 0, NULL,
		       "The label is too long: the limit is 100 bytes.", NULL, NULL },
	[MF_ADDRESS] = { "address", MENU_URL_MAX, 1,
			 "Give the item's address: one on this site (/about, /section/world) or a "
			 "link starting with http:// or https://.",
			 "The address is too long: the limit is 2000 bytes.", NULL, NULL },
	[MF_PARENT] = { "parent", 20, 0, NULL, "Choose the item this one goes inside from the list.",
			field_uint, "Choose the item this one goes inside from the list." },
};

static const char *const kind_names[MENU_KIND__MAX] = { "Link", "Section", "Page", "Story" };

static int status_of(int rc)
{
	return rc == STORE_NOTFOUND ? 404 : rc == STORE_INVALID ? 422 : 500;
}

/* Menu m's items: {id, name, url, kind, child, gone}; tops (when not
 * NULL) gets the top-level ones for the "Inside" select. */
static struct tv *items_tv(struct req *rq, enum menu_name m, struct tv *tops, long long selected)
{
	struct pool *p = rq->pool;
	struct menu_item *v = NULL;
	size_t n = 0;
	struct tv *list = tv_list(p);
	store_menu(rq->store, p, m, &v, &n);
	for (size_t i = 0; i < n; i++) {
		const char *url = page_menu_url(p, &v[i]);
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "name", page_menu_label(&v[i]));
		tv_put_str(o, "url", url ? url : "");
		tv_put_str(o, "kind", kind_names[v[i].kind]);
		tv_put_bool(o, "child", v[i].parent_id != 0);
		tv_put_bool(o, "gone", url == NULL);
		tv_put_bool(o, "selected", v[i].id == selected);
		tv_append(list, o);
		if (tops && !v[i].parent_id)
			tv_append(tops, o);
	}
	return list;
}

static void menus_page(struct req *rq, struct resp *rs, int status, const char *const *vals,
		       long long parent, const char *error)
{
	struct pool *p = rq->pool;
	static const char *const keys[MENU__MAX] = { "header", "footer" };
	static const char *const titles[MENU__MAX] = { "Header menu", "Footer menu" };
	static const char *const empty[MENU__MAX] = {
		"No header menu: the masthead lists the top-level sections.", "No footer menu." };
	struct tv *ctx = admin_ctx(rq, "Menus", "/admin/menus"), *tops = tv_list(p);
	struct tv *menus = tv_list(p);
	for (int m = 0; m < MENU__MAX; m++) {
		struct tv *o = tv_obj(p), *items = items_tv(rq, (enum menu_name)m,
							   m == MENU_HEADER ? tops : NULL, parent);
		tv_put_str(o, "key", keys[m]);
		tv_put_str(o, "title", titles[m]);
		tv_put_str(o, "empty", empty[m]);
		tv_put(o, "items", items);
		tv_put_bool(o, "has_items", tv_count(items) > 0);
		tv_append(menus, o);
	}
	tv_put(ctx, "menus", menus);
	struct tv *f = tv_obj(p);
	tv_put_bool(f, "footer", vals && strcmp(vals[MF_MENU], "footer") == 0);
	tv_put_str(f, "label", vals ? vals[MF_LABEL] : "");
	tv_put_str(f, "address", vals ? vals[MF_ADDRESS] : "");
	tv_put(f, "parents", tops);
	if (error)
		tv_put_str(f, "error", error);
	tv_put(ctx, "add", f);
	admin_render(rq, rs, status, "admin-menus", ctx);
}

void admin_menus(struct req *rq, struct resp *rs)
{
	menus_page(rq, rs, 200, NULL, 0, NULL);
}

void admin_menu_add(struct req *rq, struct resp *rs)
{
	struct field_val fv[MF__MAX];
	const char *vals[MF__MAX], *msg = NULL;
	form_validate(rq->pool, fields, MF__MAX, &rq->form, fv);
	for (int i = 0; i < MF__MAX; i++) {
		vals[i] = fv[i].val;
		msg = msg ? msg : fv[i].error;
	}
	int footer = strcmp(vals[MF_MENU], "footer") == 0;
	if (!msg && !footer && strcmp(vals[MF_MENU], "header") != 0)
		msg = fields[MF_MENU].missing_msg;
	unsigned long long parent = 0;
	if (!msg && *vals[MF_PARENT])
		num_parse_u64(vals[MF_PARENT], 1ULL << 62, &parent);
	struct menu_input in = { footer ? MENU_FOOTER : MENU_HEADER, vals[MF_LABEL],
				 vals[MF_ADDRESS], (long long)parent };
	long long id;
	int rc = msg ? STORE_INVALID : menu_add(rq->store, rq->pool, &in, &id, &msg);
	if (rc) {
		menus_page(rq, rs, status_of(rc), vals, (long long)parent, msg);
		return;
	}
	log_info("admin: %s added menu item %lld (%s)", rq->user->email, id, in.address);
	admin_done(rq, rs, "/admin/menus", "menu-added");
}

void admin_menu_move(struct req *rq, struct resp *rs)
{
	const char *dir = kv_get(&rq->form, "direction"), *msg = NULL;
	long long id = admin_param_id(rq);
	if (!dir || (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0)) {
		http_error(rq, rs, 400, "Bad request", "Move a menu item up or down.");
		return;
	}
	int rc = id ? menu_move(rq->store, rq->pool, id, dir[0] == 'u' ? -1 : 1, &msg) : STORE_NOTFOUND;
	if (rc) {
		menus_page(rq, rs, status_of(rc), NULL, 0, msg ? msg : "There is no such menu item.");
		return;
	}
	admin_done(rq, rs, "/admin/menus", "menu-moved");
}

void admin_menu_delete(struct req *rq, struct resp *rs)
{
	const char *msg = NULL;
	long long id = admin_param_id(rq);
	int rc = id ? menu_remove(rq->store, rq->pool, id, &msg) : STORE_NOTFOUND;
	if (rc) {
		menus_page(rq, rs, status_of(rc), NULL, 0, msg ? msg : "There is no such menu item.");
		return;
	}
	log_info("admin: %s deleted menu item %lld", rq->user->email, id);
	admin_done(rq, rs, "/admin/menus", "menu-deleted");
}
