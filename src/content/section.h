/*
 * section: the newsroom's rules for sections, shared by the admin
 * (admin_sections.c) and the command line (cmd_section.c): names and
 * address names (slugs) checked, each change one transaction, and every
 * address a change retires left answering 301 with the new one.
 */
#ifndef GZ_SECTION_H
#define GZ_SECTION_H

#include "../store/store.h"

#define SECTION_NAME_MAX 100
#define SECTION_DESCRIPTION_MAX 1000

/* What a person gives: slug "" makes one from the name. */
struct section_input {
	const char *name, *slug, *description;
	long long parent_id;  /* 0: top level */
};

/* Each returns STORE_OK or a store code (STORE_INVALID for a rule broken,
 * STORE_CONFLICT for a slug taken, STORE_NOTFOUND, STORE_ERROR) with
 * *msg set to a sentence for the person. Nothing is changed on error. */
int section_add(struct store *st, struct pool *p, const struct section_input *in, long long *id,
		const char **msg);
int section_change(struct store *st, struct pool *p, long long id, const struct section_input *in,
		   const char **msg);
int section_move(struct store *st, struct pool *p, long long id, int delta, const char **msg);
/* Deletes section id, moving its stories to target_id (0: none). */
int section_remove(struct store *st, struct pool *p, long long id, long long target_id,
		   const char **msg);

/* Commits rc's transaction, or rolls it back with *msg for the person:
 * the store's message for a rule broken or a conflict, else "There is no
 * such NOUN." or "The NOUN could not be saved." (sitepage.c shares it). */
int content_finish(struct store *st, struct pool *p, int rc, const char *noun, const char **msg);

/* "/section/world/asia" for path "world/asia", each segment encoded. */
const char *section_url(struct pool *p, const char *path);
/* The same below any prefix ("" for a static page's "/about/team"). */
const char *path_url(struct pool *p, const char *prefix, const char *path);

#endif
