/*
 * roles: the role x capability table (see roles.h). One row per role, one
 * bit per capability, so the whole access policy reads on one screen and
 * the unit test walks every cell.
 */
#include "roles.h"

#include <string.h>

#define B(c) (1u << (c))

static const char *const cap_names[CAP__MAX] = {
	"none", "admin", "story_write", "story_publish", "story_others",
	"comment_own", "comment_all", "users", "settings", "sections", "media", "media_others", "front"
};

static const unsigned caps[ROLE__MAX] = {
	[ROLE_NONE] = 0,
	[ROLE_CONTRIBUTOR] = B(CAP_ADMIN) | B(CAP_STORY_WRITE) | B(CAP_MEDIA),
	[ROLE_AUTHOR] = B(CAP_ADMIN) | B(CAP_STORY_WRITE) | B(CAP_STORY_PUBLISH) | B(CAP_COMMENT_OWN) |
			B(CAP_MEDIA),
	[ROLE_EDITOR] = B(CAP_ADMIN) | B(CAP_STORY_WRITE) | B(CAP_STORY_PUBLISH) |
			B(CAP_STORY_OTHERS) | B(CAP_COMMENT_OWN) | B(CAP_COMMENT_ALL) | B(CAP_SECTIONS) |
			B(CAP_MEDIA) | B(CAP_MEDIA_OTHERS) | B(CAP_FRONT),
	[ROLE_ADMIN] = B(CAP_ADMIN) | B(CAP_STORY_WRITE) | B(CAP_STORY_PUBLISH) |
		       B(CAP_STORY_OTHERS) | B(CAP_COMMENT_OWN) | B(CAP_COMMENT_ALL) |
		       B(CAP_USERS) | B(CAP_SETTINGS) | B(CAP_SECTIONS) | B(CAP_MEDIA) |
		       B(CAP_MEDIA_OTHERS) | B(CAP_FRONT),
};

const char *cap_name(enum cap c)
{
	return c < CAP__MAX ? cap_names[c] : "?";
}

int role_can(enum role r, enum cap c)
{
	if (c == CAP_NONE)
		return 1;
	if (r >= ROLE__MAX || c >= CAP__MAX)
		return 0;
	return (caps[r] & B(c)) != 0;
}

int role_may_edit_story(enum role r, int own, enum story_status status)
{
	if (!role_can(r, CAP_STORY_WRITE))
		return 0;
	if (!own && !role_can(r, CAP_STORY_OTHERS))
		return 0;
	if ((status == STORY_PUBLISHED || status == STORY_SCHEDULED) &&
	    !role_can(r, CAP_STORY_PUBLISH))
		return 0;
	return 1;
}

int role_may_moderate(enum role r, int own)
{
	return role_can(r, CAP_COMMENT_ALL) || (own && role_can(r, CAP_COMMENT_OWN));
}

int role_may_edit_media(enum role r, int own)
{
	return role_can(r, CAP_MEDIA_OTHERS) || (own && role_can(r, CAP_MEDIA));
}
