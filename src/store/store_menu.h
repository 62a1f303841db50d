/*
 * store_menu: the header and footer menus. An item links a section, a
 * static page or a story by id (its address read with the menu, so it
 * follows renames and moves; an item whose target is gone or not public
 * is read with live 0 and not shown) or an external http(s) URL. A
 * header item may hold items of its own (one level).
 *
 * store_menu reports "menu" and, for page and story items, their
 * sitepage:ID and story:ID (sections log "site" on any change of name or
 * address): every page shows the header menu. Writers run inside the
 * caller's transaction and log "menu".
 */
#ifndef GZ_STORE_MENU_H
#define GZ_STORE_MENU_H

#include "store.h"

enum menu_name { MENU_HEADER, MENU_FOOTER, MENU__MAX };
enum menu_kind { MENU_LINK, MENU_SECTION, MENU_PAGE, MENU_STORY, MENU_KIND__MAX };

struct menu_item {
	long long id, parent_id;   /* parent_id 0: top level */
	enum menu_name menu;
	enum menu_kind kind;
	long long target_id;       /* section, page or story id; 0 for a link */
	const char *label;         /* "" when the target's own name serves */
	const char *url;           /* a link's; "" otherwise */
	/* read with the menu: */
	const char *target_name;   /* the section's name, page's or story's title */
	const char *target_path;   /* section or page path, story slug */
	long long target_published_at; /* a story's (the date in its address) */
	int live;                  /* the target exists and is public */
};

/* Menu m's items: top-level ones in order, each followed by its own. */
int store_menu(struct store *st, struct pool *p, enum menu_name m, struct menu_item **out,
	       size_t *n);
/* Appends x (menu, parent_id, kind, target_id, label, url) last among its
 * siblings; *id set. */
int store_menu_add(struct store *st, const struct menu_item *x, long long *id);
/* Moves item id one place up (delta -1) or down (+1) among its siblings;
 * nothing at either end. */
int store_menu_move(struct store *st, long long id, int delta);
/* Deletes item id and the items it holds; STORE_NOTFOUND when none. */
int store_menu_delete(struct store *st, long long id);

#endif
