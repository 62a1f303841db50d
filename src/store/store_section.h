/*
 * store_section: the newsroom's side of sections: create, change (name,
 * address, description, parent), reorder among siblings, delete with the
 * stories moved to another section. (The reader's side, the masthead and
 * the section page, is store_sections and store_section_by_path in
 * store.h.)
 *
 * Each function runs inside the caller's write transaction (store_begin)
 * and logs the change-log tags of what it changed: "site" when the
 * masthead or a section's address changes (every page shows the
 * masthead), "section:ID" for a section's page and feeds. A change of
 * addresses is reported as a list of moves (old path, new path) for the
 * caller to turn into redirects in the same transaction (the store knows
 * paths, not how a URL encodes them).
 */
#ifndef GZ_STORE_SECTION_H
#define GZ_STORE_SECTION_H

#include "store.h"

/* The longest path below /section/ a section may have, in bytes. */
#define SECTION_PATH_MAX 600

/* A section whose path changed ("world/asia" -> "globe/asia"); new_path
 * "" when it is gone with no section to send its readers to. */
struct section_moved { long long id; const char *old_path, *new_path; };
struct section_moves { struct section_moved *v; size_t n; };

int store_section_get(struct store *st, struct pool *p, long long id, struct section *out);
/* A new section under parent_id (0: top level), last among its siblings.
 * STORE_CONFLICT when the slug is taken, STORE_INVALID (message in
 * store_errmsg) when the parent does not exist or the path is too long. */
int store_section_create(struct store *st, const char *name, const char *slug,
			 const char *description, long long parent_id, long long *id);
/* Sets name, slug, description and parent of section id. STORE_INVALID
 * when the parent is the section itself or one of its descendants (a
 * section cannot become its own ancestor), or the path would be too long;
 * STORE_CONFLICT when the slug is another section's; STORE_NOTFOUND. */
int store_section_update(struct store *st, struct pool *p, long long id, const char *name,
			 const char *slug, const char *description, long long parent_id,
			 struct section_moves *moved);
/* Moves a section one place up (delta -1) or down (+1) among its
 * siblings; at either end it stays. */
int store_section_move(struct store *st, long long id, int delta);
/* How many stories (any status) section id holds itself. */
int store_section_story_count(struct store *st, long long id, size_t *n);
/* Deletes section id: its stories move to target_id, its children to its
 * parent, and its address answers 301 with the target's. STORE_INVALID
 * when target_id is the section itself or does not exist, or when it is 0
 * and stories would be left without a section. moved: the deleted
 * section's path to the target's, and its descendants' new paths. */
int store_section_delete(struct store *st, struct pool *p, long long id, long long target_id,
			 struct section_moves *moved);

#endif
