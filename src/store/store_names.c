/*
 * store_names: the names of the stored enums (story and comment status,
 * role), one table each, read both ways. The database keeps roles by
 * name and statuses by number; pages, forms and the command line speak
 * the names, so the store is the one place that maps them.
 */
#include "store.h"

#include <string.h>

static const char *const story_status_names[STORY__MAX] = {
	"draft", "pending", "scheduled", "published"
};
static const char *const comment_status_names[COMMENT__MAX] = {
	"pending", "approved", "spam", "trash"
};
static const char *const role_names[ROLE__MAX] = {
	"none", "contributor", "author", "editor", "admin"
};

const char *story_status_name(enum story_status s)
{
	return s < STORY__MAX ? story_status_names[s] : "?";
}

const char *comment_status_name(enum comment_status s)
{
	return s < COMMENT__MAX ? comment_status_names[s] : "?";
}

static int parse_name(const char *const *names, int n, const char *name, int *out)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

int story_status_parse(const char *name, enum story_status *out)
{
	int v;
	if (parse_name(story_status_names, STORY__MAX, name, &v))
		return -1;
	*out = (enum story_status)v;
	return 0;
}

int comment_status_parse(const char *name, enum comment_status *out)
{
	int v;
	if (parse_name(comment_status_names, COMMENT__MAX, name, &v))
		return -1;
	*out = (enum comment_status)v;
	return 0;
}

const char *role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "none";
}

int role_parse(const char *name, enum role *out)
{
	int v; /* "none" is no role anyone is given */
	if (!name || parse_name(role_names + 1, ROLE__MAX - 1, name, &v))
		return -1;
	*out = (enum role)(v + 1);
	return 0;
}

