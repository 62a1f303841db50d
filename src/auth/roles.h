/*
 * roles: THE capability table. Each role (WordPress' meanings) holds a
 * set of capabilities; the route table names the capability a route needs
 * and the router checks it before any handler runs. Handlers never compare
 * roles: the few field-level questions (may this user reassign the author?)
 * are asked of this table too, through role_can.
 */
#ifndef GZ_ROLES_H
#define GZ_ROLES_H

#include "../store/store.h"

/* enum role, role_name and role_parse are the store's (store.h): roles
 * are stored by name; what each may do is this table's. */

enum cap {
	CAP_NONE,            /* anyone, signed in or not */
	CAP_ADMIN,           /* the admin at all: dashboard, own account */
	CAP_STORY_WRITE,     /* write drafts, edit own unpublished stories, submit for review */
	CAP_STORY_PUBLISH,   /* publish, schedule and edit own published stories */
	CAP_STORY_OTHERS,    /* all of the above on anyone's story; reassign the author */
	CAP_COMMENT_OWN,     /* moderate comments on own stories */
	CAP_COMMENT_ALL,     /* moderate every comment */
	CAP_USERS,           /* add, change and disable accounts */
	CAP_SETTINGS,        /* site settings */
	CAP_SECTIONS,        /* create, change, reorder and delete sections */
	CAP_MEDIA,           /* see the media library, upload, change and delete own uploads */
	CAP_MEDIA_OTHERS,    /* change and delete anyone's library items */
	CAP_FRONT,           /* edit the front page: pins, banner, section blocks */
	CAP__MAX
};

const char *cap_name(enum cap c);

/* 1 when role r holds capability c (CAP_NONE: always). */
int role_can(enum role r, enum cap c);

/* May a user of role r edit a story with this owner flag and status?
 * Own or CAP_STORY_OTHERS; and a published or scheduled story needs
 * CAP_STORY_PUBLISH as well (a contributor cannot change what is live). */
int role_may_edit_story(enum role r, int own, enum story_status status);
/* May role r moderate a comment on a story it does (own=1) or does not own? */
int role_may_moderate(enum role r, int own);
/* May role r change or delete a library item it did (own=1) or did not upload? */
int role_may_edit_media(enum role r, int own);

#endif
