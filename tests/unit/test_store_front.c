/*
 * test_store_front: the edited front page's store (store_front.h): one
 * lead and at most 8 featured pins in order, only published stories,
 * expiry as a filter at read time (and expired pins freeing their place),
 * the banner, the section blocks in order, the "front" tag on every
 * write and on every read, and a pinned story's own tags on the read.
 */
#include "t.h"
#include "../../src/store/store.h"
#include "../../src/store/store_byline.h"
#include "../../src/store/store_front.h"
#include "../../src/store/store_import.h"
#include "../../src/util/pool.h"

#include <stdlib.h>
#include <unistd.h>

#define NOW 1800000000LL

struct seen {
	char tags[64][64];
	int n;
};

static void record(void *arg, const char *tag)
{
	struct seen *s = arg;
	if (s->n < 64)
		snprintf(s->tags[s->n++], sizeof s->tags[0], "%s", tag);
}

static int has(const struct seen *s, const char *tag)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->tags[i], tag) == 0)
			return 1;
	return 0;
}

static void touched(void *arg, long long seq, const char *tag)
{
	(void)seq;
	record(arg, tag);
}

static long long story(struct store *st, long long author, int n, enum story_status status)
{
	char slug[32], title[32];
	snprintf(slug, sizeof slug, "story-%d", n);
	snprintf(title, sizeof title, "Story %d", n);
	struct story s = { .slug = slug, .title = title, .excerpt = "", .body_md = "x",
			   .body_html = "<p>x</p>", .status = status,
			   .published_at = NOW - 1000 + n, .updated_at = NOW };
	s.author.id = author;
	long long id = 0;
	CHECK(store_story_insert(st, &s, &id) == STORE_OK);
	return id;
}

/* The pins at `now` as "L:id F:id ..." */
static const char *pins(struct store *st, struct pool *p, long long now)
{
	struct front_pin *v;
	size_t n;
	static char out[256];
	out[0] = '\0';
	CHECK(store_front_pins(st, p, now, &v, &n) == STORE_OK);
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s:%lld", i ? " " : "",
			 v[i].lead ? "L" : "F", v[i].story.id);
	return out;
}

static int pin(struct store *st, long long id, int lead, long long expires, long long now)
{
	CHECK(store_begin(st) == STORE_OK);
	int rc = store_front_pin(st, id, lead, expires, now);
	if (rc)
		store_rollback(st);
	else
		CHECK(store_commit(st) == STORE_OK);
	return rc;
}

static void pins_and_banner_and_blocks(void)
{
	char dir[] = "/tmp/gz-front-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	struct pool *p = pool_new();
	long long author, ids[12], draft, sec_a, sec_b;
	CHECK(store_user_add(st, "Ann", "ann", "ann@example.test", "", "editor", &author) == 0);
	for (int i = 0; i < 12; i++)
		ids[i] = story(st, author, i + 1, STORY_PUBLISHED);
	draft = story(st, author, 99, STORY_DRAFT);
	char want[256];

	/* a draft or a missing story is not pinned */
	CHECK(pin(st, draft, 0, 0, NOW) == STORE_INVALID);
	CHECK(pin(st, 424242, 0, 0, NOW) == STORE_NOTFOUND);
	CHECK_STR(pins(st, p, NOW), "");

	/* the lead first, then featured in the order pinned */
	CHECK(pin(st, ids[0], 0, 0, NOW) == STORE_OK);
	CHECK(pin(st, ids[1], 0, 0, NOW) == STORE_OK);
	CHECK(pin(st, ids[2], 1, 0, NOW) == STORE_OK);
	snprintf(want, sizeof want, "L:%lld F:%lld F:%lld", ids[2], ids[0], ids[1]);
	CHECK_STR(pins(st, p, NOW), want);
	/* a new lead unpins the former one */
	CHECK(pin(st, ids[3], 1, 0, NOW) == STORE_OK);
	snprintf(want, sizeof want, "L:%lld F:%lld F:%lld", ids[3], ids[0], ids[1]);
	CHECK_STR(pins(st, p, NOW), want);
	/* reorder: the second featured goes up */
	CHECK(store_front_pin_move(st, ids[1], -1, NOW) == STORE_OK);
	snprintf(want, sizeof want, "L:%lld F:%lld F:%lld", ids[3], ids[1], ids[0]);
	CHECK_STR(pins(st, p, NOW), want);
	CHECK(store_front_pin_move(st, ids[1], -1, NOW) == STORE_OK); /* first: stays */
	CHECK_STR(pins(st, p, NOW), want);

	/* at most 8 featured; the 9th is refused with a message */
	for (int i = 4; i < 10; i++)
		CHECK(pin(st, ids[i], 0, i == 9 ? NOW + 60 : 0, NOW) == STORE_OK);
	CHECK(pin(st, ids[10], 0, 0, NOW) == STORE_INVALID);
	CHECK_CONTAINS(store_errmsg(st), "8 featured");
	/* the lead may still change (it is not one of the 8) */
	CHECK(pin(st, ids[11], 1, 0, NOW) == STORE_OK);
	/* the one pinned until NOW + 60 is gone at NOW + 60, and its place
	 * is free for the next pin */
	snprintf(want, sizeof want, "F:%lld", ids[9]);
	CHECK(strstr(pins(st, p, NOW + 59), want) != NULL);
	CHECK(strstr(pins(st, p, NOW + 60), want) == NULL);
	CHECK(pin(st, ids[10], 0, 0, NOW + 60) == STORE_OK);

	/* unpin */
	CHECK(store_front_unpin(st, ids[0], NOW + 60) == STORE_OK);
	CHECK(store_front_unpin(st, ids[0], NOW + 60) == STORE_NOTFOUND);
	snprintf(want, sizeof want, "F:%lld ", ids[0]);
	CHECK(strstr(pins(st, p, NOW + 60), want) == NULL);

	/* the read reports "front" and each pinned story's tags */
	struct seen s = { .n = 0 };
	store_set_recorder(st, record, &s);
	pins(st, p, NOW + 60);
	store_set_recorder(st, NULL, NULL);
	char tag[64];
	snprintf(tag, sizeof tag, "story:%lld", ids[11]);
	CHECK(has(&s, "front") && has(&s, tag));

	/* the banner: set, expired at its time, removed */
	struct front_banner b;
	CHECK(store_front_banner(st, p, NOW, &b) == STORE_NOTFOUND);
	CHECK(store_front_banner_set(st, "Polls close", "https://example.test/", NOW + 30, NOW) == 0);
	CHECK(store_front_banner(st, p, NOW + 29, &b) == STORE_OK);
	CHECK_STR(b.text, "Polls close");
	CHECK_STR(b.url, "https://example.test/");
	CHECK(b.expires_at == NOW + 30);
	CHECK(store_front_banner(st, p, NOW + 30, &b) == STORE_NOTFOUND);
	CHECK(store_front_banner_set(st, "Flood", "https://example.test/f", 0, NOW) == 0);
	CHECK(store_front_banner(st, p, NOW + 999999, &b) == STORE_OK);
	CHECK(store_front_banner_set(st, "", "", 0, NOW) == 0);
	CHECK(store_front_banner(st, p, NOW, &b) == STORE_NOTFOUND);

	/* section blocks in the editors' order */
	CHECK(store_section_put(st, "World", "world", 0, &sec_a) == 0);
	CHECK(store_section_put(st, "Sport", "sport", 1, &sec_b) == 0);
	CHECK(store_front_block_put(st, sec_b, 4) == STORE_OK);
	CHECK(store_front_block_put(st, sec_a, 3) == STORE_OK);
	CHECK(store_front_block_put(st, sec_a, 13) == STORE_INVALID);
	CHECK(store_front_block_put(st, 777, 3) == STORE_NOTFOUND);
	struct front_block *bl;
	size_t nb;
	CHECK(store_front_blocks(st, p, &bl, &nb) == STORE_OK);
	CHECK(nb == 2 && bl[0].section.id == sec_b && bl[0].count == 4 && bl[1].section.id == sec_a);
	CHECK_STR(bl[1].section.path, "world");
	CHECK(store_front_block_put(st, sec_b, 6) == STORE_OK); /* a new count, same place */
	CHECK(store_front_block_move(st, sec_a, -1) == STORE_OK);
	CHECK(store_front_blocks(st, p, &bl, &nb) == STORE_OK);
	CHECK(nb == 2 && bl[0].section.id == sec_a && bl[1].section.id == sec_b && bl[1].count == 6);
	CHECK(store_front_block_remove(st, sec_a) == STORE_OK);
	CHECK(store_front_block_remove(st, sec_a) == STORE_NOTFOUND);
	CHECK(store_front_blocks(st, p, &bl, &nb) == STORE_OK && nb == 1);

	/* every write logged "front" */
	long long seq = 0;
	struct seen log = { .n = 0 };
	CHECK(store_changes_since(st, &seq, 1000, touched, &log) > 0);
	CHECK(has(&log, "front"));

	pool_free(p);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

/* The story row's co-author count and correction mark (kept by triggers,
 * read by every card) follow the co-bylines and corrections written. */
static struct story *newest(struct store *st, struct pool *p)
{
	struct story *v;
	size_t n;
	CHECK(store_stories_list(st, p, NULL, NULL, 0, 1, &v, &n, NULL) == STORE_OK && n == 1);
	return v;
}

static void coauthors(struct store *st, long long id, const long long *ids, size_t n)
{
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_import_story_coauthors(st, id, ids, n) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
}

static void card_marks(void)
{
	char dir[] = "/tmp/gz-marks-XXXXXX", path[64], err[256];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/gazette.db", dir);
	struct store *st;
	CHECK(store_open(&st, path, err, sizeof err) == 0);
	struct pool *p = pool_new();
	long long ann, bo, cy, fix;
	CHECK(store_user_add(st, "Ann", "ann", "ann@example.test", "", "author", &ann) == 0);
	CHECK(store_user_add(st, "Bo", "bo", "bo@example.test", "", "author", &bo) == 0);
	CHECK(store_user_add(st, "Cy", "cy", "cy@example.test", "", "author", &cy) == 0);
	long long id = story(st, ann, 1, STORY_PUBLISHED);
	struct story *s = newest(st, p);
	CHECK(s->ncoauthors == 0 && !s->has_corrections);
	coauthors(st, id, (long long[]){ bo, cy }, 2);
	s = newest(st, p);
	CHECK(s->ncoauthors == 2 && s->coauthors && strcmp(s->coauthors[1].name, "Cy") == 0);
	coauthors(st, id, (long long[]){ cy }, 1);
	s = newest(st, p);
	CHECK(s->ncoauthors == 1 && strcmp(s->coauthors[0].name, "Cy") == 0);
	coauthors(st, id, NULL, 0);
	CHECK(newest(st, p)->ncoauthors == 0);
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_correction_add(st, id, "The minister was misnamed.", ann, NOW, &fix) == STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	CHECK(newest(st, p)->has_corrections);
	pool_free(p);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

int main(void)
{
	RUN(pins_and_banner_and_blocks);
	RUN(card_marks);
	return T_DONE();
}
