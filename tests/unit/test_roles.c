/* test_roles: every cell of the role x capability table, and the story
 * and comment questions built on it. */
#include "t.h"
#include "../../src/auth/roles.h"

static void table(void)
{
	/* rows: none, contributor, author, editor, admin */
	static const int want[ROLE__MAX][CAP__MAX] = {
		/*           none adm wri pub oth cown call usr set sec med moth frnt */
		[ROLE_NONE] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		[ROLE_CONTRIBUTOR] = { 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
		[ROLE_AUTHOR] = { 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0 },
		[ROLE_EDITOR] = { 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1 },
		[ROLE_ADMIN] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
	};
	for (int r = 0; r < ROLE__MAX; r++)
		for (int c = 0; c < CAP__MAX; c++)
			if (role_can((enum role)r, (enum cap)c) != want[r][c]) {
				fprintf(stderr, "role %s cap %s: got %d\n", role_name((enum role)r),
					cap_name((enum cap)c), !want[r][c]);
				CHECK(0);
			}
	CHECK(!role_can(ROLE__MAX, CAP_ADMIN));
	CHECK(!role_can(ROLE_ADMIN, CAP__MAX));
}

static void names(void)
{
	enum role r;
	CHECK(role_parse("editor", &r) == 0 && r == ROLE_EDITOR);
	CHECK(role_parse("contributor", &r) == 0 && r == ROLE_CONTRIBUTOR);
	CHECK(role_parse("none", &r) == -1);
	CHECK(role_parse("Admin", &r) == -1);
	CHECK(role_parse(NULL, &r) == -1);
	CHECK_STR(role_name(ROLE_AUTHOR), "author");
}

static void stories(void)
{
	/* own drafts: everyone who writes */
	CHECK(role_may_edit_story(ROLE_CONTRIBUTOR, 1, STORY_DRAFT));
	CHECK(role_may_edit_story(ROLE_CONTRIBUTOR, 1, STORY_PENDING));
	/* a contributor cannot touch what is live, even their own */
	CHECK(!role_may_edit_story(ROLE_CONTRIBUTOR, 1, STORY_PUBLISHED));
	CHECK(!role_may_edit_story(ROLE_CONTRIBUTOR, 1, STORY_SCHEDULED));
	CHECK(role_may_edit_story(ROLE_AUTHOR, 1, STORY_PUBLISHED));
	/* nobody below editor edits another's story */
	CHECK(!role_may_edit_story(ROLE_CONTRIBUTOR, 0, STORY_DRAFT));
	CHECK(!role_may_edit_story(ROLE_AUTHOR, 0, STORY_DRAFT));
	CHECK(!role_may_edit_story(ROLE_AUTHOR, 0, STORY_PUBLISHED));
	CHECK(role_may_edit_story(ROLE_EDITOR, 0, STORY_PUBLISHED));
	CHECK(role_may_edit_story(ROLE_ADMIN, 0, STORY_PENDING));
	CHECK(!role_may_edit_story(ROLE_NONE, 1, STORY_DRAFT));
}

static void comments(void)
{
	CHECK(!role_may_moderate(ROLE_CONTRIBUTOR, 1));
	CHECK(role_may_moderate(ROLE_AUTHOR, 1));
	CHECK(!role_may_moderate(ROLE_AUTHOR, 0));
	CHECK(role_may_moderate(ROLE_EDITOR, 0));
	CHECK(role_may_moderate(ROLE_ADMIN, 0));
	CHECK(!role_may_moderate(ROLE_NONE, 1));
}

static void media(void)
{
	CHECK(role_may_edit_media(ROLE_CONTRIBUTOR, 1));
	CHECK(!role_may_edit_media(ROLE_CONTRIBUTOR, 0));
	CHECK(role_may_edit_media(ROLE_AUTHOR, 1));
	CHECK(!role_may_edit_media(ROLE_AUTHOR, 0));
	CHECK(role_may_edit_media(ROLE_EDITOR, 0));
	CHECK(role_may_edit_media(ROLE_ADMIN, 0));
	CHECK(!role_may_edit_media(ROLE_NONE, 1));
}

int main(void)
{
	RUN(table);
	RUN(names);
	RUN(stories);
	RUN(comments);
	RUN(media);
	return T_DONE();
}
