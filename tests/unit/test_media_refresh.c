/*
 * test_media_refresh: library pictures kept in step with stored story
 * HTML (src/media/media_ref.c against a real store with the demo's
 * stories): rendering a story looks its pictures up (figure, caption,
 * lead), media_ref_refresh re-renders exactly the stories that reference
 * an entry after its caption changes (not one that only mentions a longer
 * number, media:12 for media:1), and media_ref_deps records the media:ID
 * tag a cached story page must depend on.
 */
#include "t.h"
#include "../../src/cli/cli.h"
#include "../../src/content/publish.h"
#include "../../src/media/media_ref.h"
#include "../../src/store/store.h"
#include "../../src/store/store_media.h"
#include "../../src/store/store_story.h"
#include "../../src/util/pool.h"

#include <stdio.h>
#include <stdlib.h>

struct seen { char tags[16][32]; size_t n; };

static void record(void *arg, const char *tag)
{
	struct seen *s = arg;
	if (s->n < 16)
		snprintf(s->tags[s->n++], sizeof s->tags[0], "%s", tag);
}

static int has_tag(const struct seen *s, const char *tag)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* Saves story id with body md, rendered with the library (as the editor does). */
static int save_body(struct store *st, struct pool *p, long long id, const char *md)
{
	struct story_edit e;
	struct media_ref r;
	if (store_story_edit_get(st, p, id, &e))
		return -1;
	e.s.body_md = md;
	if (publish_render(p, &e.s, media_ref_opts(&r, st, p, 0)))
		return -1;
	return store_story_update(st, &e, e.s.author.id, "body");
}

static const char *body_html(struct store *st, struct pool *p, long long id)
{
	struct story s;
	return store_story_by_id(st, p, id, &s) == STORE_OK ? s.body_html : NULL;
}

static void refresh_follows_the_library(void)
{
	char dir[] = "/tmp/gz-mref-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	CHECK(demo_load(st, "demo", dir, 0, err, sizeof err) == 0);
	struct pool *p = pool_new();
	struct media_record m = { .hash = "0123456789abcdef", .name = "boat.jpg", .mime = "image/jpeg",
				  .ext = "jpg", .width = 640, .height = 400, .bytes = 1000,
				  .alt = "A boat", .caption = "Old caption", .credit = "Photo: A",
				  .focal_x = .5, .focal_y = .5, .variants = "320x200 640x400",
				  .formats = "webp jpg" };
	int added;
	CHECK(store_media_add(st, p, &m, &added) == STORE_OK);
	long long mid = m.id;
	CHECK(mid == 1);

	struct story *list;
	size_t n;
	int more;
	struct story_filter f = { 0 };
	CHECK(store_stories_list(st, p, &f, NULL, 0, 3, &list, &n, &more) == 0);
	CHECK(n == 3);
	long long a = list[0].id, b = list[1].id, c = list[2].id;
	CHECK(save_body(st, p, a, "Intro.\n\n![](media:1)\n") == STORE_OK);
	CHECK(save_body(st, p, b, "Not this one: media:12 and ![x](media:12).\n") == STORE_OK);
	const char *ha = body_html(st, p, a), *hb = body_html(st, p, b), *hc = body_html(st, p, c);
	CHECK_CONTAINS(ha, "<figure class=\"figure\"><picture><source type=\"image/webp\" srcset=\""
			   "/media/0123456789abcdef-320.webp 320w, /media/0123456789abcdef-640.webp 640w\"");
	CHECK_CONTAINS(ha, "alt=\"A boat\" decoding=\"async\" fetchpriority=\"high\">");
	CHECK_CONTAINS(ha, "<figcaption>Old caption <span class=\"credit\">Photo: A</span>");
	CHECK_CONTAINS(hb, "<span class=\"media-missing\">x</span>");

	/* the caption changes: a's HTML follows, b's and c's stay as they were */
	size_t count = 99;
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_media_update(st, mid, "A boat", "New caption", "Photo: B", .5, .5) == STORE_OK);
	CHECK(media_ref_refresh(st, p, mid, &count) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(count == 1);
	const char *ha2 = body_html(st, p, a);
	CHECK_CONTAINS(ha2, "<figcaption>New caption <span class=\"credit\">Photo: B</span>");
	CHECK(ha2 && !strstr(ha2, "Old caption"));
	CHECK_STR(body_html(st, p, b), hb);
	CHECK_STR(body_html(st, p, c), hc);
	/* an entry nothing references: nothing to do */
	CHECK(media_ref_refresh(st, p, 777, &count) == STORE_OK);
	CHECK(count == 0);

	/* a story page records the media:ID of its pictures */
	struct seen seen = { 0 };
	struct story_edit e;
	CHECK(store_story_edit_get(st, p, a, &e) == STORE_OK);
	store_set_recorder(st, record, &seen);
	media_ref_deps(st, p, e.s.body_md);
	store_set_recorder(st, NULL, NULL);
	CHECK(has_tag(&seen, "media:1"));
	CHECK(!has_tag(&seen, "media:12"));

	pool_free(p);
	store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	RUN(refresh_follows_the_library);
	return T_DONE();
}
