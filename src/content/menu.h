/*
 * menu: the newsroom's rules for the header and footer menus
 * (store_menu.h): an item is an address on this site (a section's, a
 * static page's or a published story's, found by its address as a reader
 * sees it) or an external http:// or https:// link, nothing else; a
 * header item may hold items, one level; the footer is flat. Each change
 * is one transaction.
 */
#ifndef GZ_MENU_H
#define GZ_MENU_H

#include "../store/store_menu.h"

#define MENU_LABEL_MAX 100
#define MENU_URL_MAX 2000

/* What an editor gives: label may be "" for an address on this site (the
 * target's own name shows). */
struct menu_input {
	enum menu_name menu;
	const char *label, *address;
	long long parent_id;   /* 0: top level */
};

/* Adds an item; STORE_OK, or STORE_INVALID / STORE_NOTFOUND / STORE_ERROR
 * with *msg a sentence for the editor. */
int menu_add(struct store *st, struct pool *p, const struct menu_input *in, long long *id,
	     const char **msg);
int menu_move(struct store *st, struct pool *p, long long id, int delta, const char **msg);
int menu_remove(struct store *st, struct pool *p, long long id, const char **msg);


#endif
