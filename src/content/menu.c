/*
 * menu: the rules of the header and footer menus (see menu.h). The one
 * decision: an editor names a target by the address a reader sees
 * (/section/world, /about, /2026/01/02/slug), and the item keeps the
 * target's id, not the address, so it follows a rename or a move.
 */
#include "menu.h"
#include "section.h"
#include "sitepage.h"
#include "../render/escape.h"
#include "../store/store_sitepage.h"
#include "../util/pool.h"

#include <string.h>

static int finish(struct store *st, struct pool *p, int rc, const char **msg)
{
	return content_finish(st, p, rc, "menu item", msg);
}

/* "/2026/01/02/slug" -> "slug"; NULL when path is not a story's shape. */
static const char *story_slug(const char *path)
{
	static const size_t digits[3] = { 4, 2, 2 };
	const char *s = path;
	for (int i = 0; i < 3; i++) {
		if (*s++ != '/' || strspn(s, "0123456789") != digits[i])
			return NULL;
		s += digits[i];
	}
	return *s == '/' && s[1] && !strchr(s + 1, '/') ? s + 1 : NULL;
}

/* Fills x->kind and target_id from an address on this site. */
static const char *resolve(struct store *st, struct pool *p, const char *addr,
			   struct menu_item *x)
{
	size_t n = strlen(addr);
	const char *path = pool_strndup(p, addr, n > 1 && addr[n - 1] == '/' ? n - 1 : n), *slug;
	struct section sec;
	struct story story;
	struct sitepage pg;
	if (strncmp(path, "/section/", 9) == 0 &&
	    store_section_by_path(st, p, path + 9, &sec) == STORE_OK) {
		x->kind = MENU_SECTION;
		x->target_id = sec.id;
	} else if ((slug = story_slug(path)) && store_story_by_slug(st, p, slug, &story) == STORE_OK) {
		x->kind = MENU_STORY;
		x->target_id = story.id;
	} else if (store_sitepage_by_path(st, p, path + 1, &pg) == STORE_OK) {
		x->kind = MENU_PAGE;
		x->target_id = pg.id;
	} else
		return pool_printf(p, "No section, published page or published story has the "
				      "address %s on this site.", path);
	return NULL;
}

/* Checks in into x; NULL or why not. */
static const char *check(struct store *st, struct pool *p, const struct menu_input *in,
			 struct menu_item *x)
{
	const char *a = in->address ? in->address : "";
	*x = (struct menu_item){ .menu = in->menu, .parent_id = in->parent_id,
				 .label = in->label ? in->label : "", .url = "" };
	if (strlen(x->label) > MENU_LABEL_MAX)
		return "The label is too long: the limit is 100 bytes.";
	if (!*a)
		return "Give the item's address: one on this site (/about, /section/world) or a "
		       "link starting with http:// or https://.";
	if (a[0] == '/' && a[1] != '/')
		return resolve(st, p, a, x);
	if (!url_is_http(a) || strlen(a) > MENU_URL_MAX)
		return "A link must start with http:// or https:// and name a host: other kinds "
		       "of address are not allowed.";
	if (!*x->label)
		return "Give a label for an external link.";
	x->kind = MENU_LINK;
	x->url = a;
	return NULL;
}

/* NULL when item parent_id of menu m may hold items, else why not. */
static const char *parent_ok(struct store *st, struct pool *p, enum menu_name m, long long parent_id)
{
	struct menu_item *v = NULL;
	size_t n = 0;
	if (m != MENU_HEADER)
		return "Only the header menu has items inside items.";
	if (store_menu(st, p, m, &v, &n))
		return "The menu could not be read.";
	for (size_t i = 0; i < n; i++)
		if (v[i].id == parent_id)
			return v[i].parent_id ? "An item can go inside a top-level item only (one level)."
					      : NULL;
	return "Choose the item this one goes inside from the list.";
}

int menu_add(struct store *st, struct pool *p, const struct menu_input *in, long long *id,
	     const char **msg)
{
	struct menu_item x;
	int rc = store_begin(st);
	if (rc)
		return finish(st, p, rc, msg);
	if ((*msg = check(st, p, in, &x)) ||
	    (in->parent_id && (*msg = parent_ok(st, p, in->menu, in->parent_id)))) {
		store_rollback(st);
		return STORE_INVALID;
	}
	return finish(st, p, store_menu_add(st, &x, id), msg);
}

int menu_move(struct store *st, struct pool *p, long long id, int delta, const char **msg)
{
	int rc = store_begin(st);
	return finish(st, p, rc ? rc : store_menu_move(st, id, delta), msg);
}

int menu_remove(struct store *st, struct pool *p, long long id, const char **msg)
{
	int rc = store_begin(st);
	return finish(st, p, rc ? rc : store_menu_delete(st, id), msg);
}
