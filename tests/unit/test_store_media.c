/*
 * Unit tests for src/store/store_media.c: the media library's records.
 */
#include "t.h"
#include "t_store.h"
#include "../../src/store/store_media.h"
#include "../../src/util/pool.h"


static struct store *st;

static struct media_record rec(const char *hash, const char *name, const char *alt,
			       const char *caption, const char *credit)
{
	return (struct media_record){
		.hash = hash, .name = name, .mime = "image/jpeg", .ext = "jpg", .width = 800,
		.height = 600, .bytes = 12345, .alt = alt, .caption = caption, .credit = credit,
		.focal_x = 0.5, .focal_y = 0.5, .variants = "320x240 640x480",
		.formats = "webp jpg",
	};
}

static void test_add_get_and_same_hash(void)
{
	struct pool *p = pool_new();
	struct media_record r = rec("00000000000000a1", "kite.jpg", "A red kite", "Over the hill",
				    "Jane Doe"), got;
	long long id = 0;
	int added = 0;
	CHECK(store_media_add(st, p, &r, &added) == STORE_OK && added && r.id > 0);
	id = r.id;
	CHECK(store_media_get(st, p, id, &got) == STORE_OK);
	CHECK_STR(got.hash, "00000000000000a1");
	CHECK_STR(got.name, "kite.jpg");
	CHECK_STR(got.alt, "A red kite");
	CHECK_STR(got.variants, "320x240 640x480");
	CHECK_STR(got.formats, "webp jpg");
	CHECK(got.width == 800 && got.height == 600 && got.bytes == 12345);
	CHECK(got.uploaded_by == 0 && got.created_at > 0);
	CHECK(got.focal_x == 0.5 && got.focal_y == 0.5);
	/* the same bytes again (another taker got in first): that record, not added */
	struct media_record dup = rec("00000000000000a1", "other-name.jpg", "", "", "");
	CHECK(store_media_add(st, p, &dup, &added) == STORE_OK && !added);
	CHECK(dup.id == id);
	CHECK_STR(dup.name, "kite.jpg");
	CHECK_STR(dup.alt, "A red kite");
	CHECK(store_media_by_hash(st, p, "00000000000000a1", &got) == STORE_OK && got.id == id);
	CHECK(store_media_by_hash(st, p, "ffffffffffffffff", &got) == STORE_NOTFOUND);
	CHECK(store_media_get(st, p, id + 100, &got) == STORE_NOTFOUND);
	r = rec("00000000000000a2", "x.jpg", "", "", "");
	r.focal_x = 1.5;
	CHECK(store_media_add(st, p, &r, &added) == STORE_INVALID);
	pool_free(p);
}

static void test_list_newest_first_and_search(void)
{
	struct pool *p = pool_new();
	struct media_record r1 = rec("00000000000000b1", "harbour.png", "Boats at dawn", "", "AP"),
			    r2 = rec("00000000000000b2", "100%_sure.jpg", "", "Fully 100% sure",
				     "Staff");
	int added;
	CHECK(store_media_add(st, p, &r1, &added) == STORE_OK);
	CHECK(store_media_add(st, p, &r2, &added) == STORE_OK);
	long long id1 = r1.id, id2 = r2.id;
	struct media_record *v;
	size_t n;
	CHECK(store_media_list(st, p, NULL, 0, 100, &v, &n) == STORE_OK);
	CHECK(n == 3 && v[0].id == id2 && v[1].id == id1); /* same second: by id, newest first */
	CHECK(store_media_list(st, p, "boats", 0, 100, &v, &n) == STORE_OK);
	CHECK(n == 1 && v[0].id == id1);                   /* alt, any case */
	CHECK(store_media_list(st, p, "HARBOUR", 0, 100, &v, &n) == STORE_OK && n == 1); /* name */
	CHECK(store_media_list(st, p, "ap", 0, 100, &v, &n) == STORE_OK && n == 1);      /* credit */
	CHECK(store_media_list(st, p, "100%", 0, 100, &v, &n) == STORE_OK);
	CHECK(n == 1 && v[0].id == id2);                   /* % is a character */
	CHECK(store_media_list(st, p, "%", 0, 100, &v, &n) == STORE_OK && n == 1);
	CHECK(store_media_list(st, p, "_", 0, 100, &v, &n) == STORE_OK && n == 1);
	CHECK(store_media_list(st, p, "hill", 0, 100, &v, &n) == STORE_OK && n == 1); /* caption */
	CHECK(store_media_list(st, p, NULL, 1, 1, &v, &n) == STORE_OK && n == 1 && v[0].id == id1);
	pool_free(p);
}

static void test_update_and_delete(void)
{
	struct pool *p = pool_new();
	struct media_record r = rec("00000000000000c1", "c.jpg", "old", "", ""), got;
	int added;
	CHECK(store_media_add(st, p, &r, &added) == STORE_OK);
	long long id = r.id;
	CHECK(store_media_update(st, id, "new alt", "a caption", "a credit", 0.25, 1.0) == STORE_OK);
	CHECK(store_media_get(st, p, id, &got) == STORE_OK);
	CHECK_STR(got.alt, "new alt");
	CHECK_STR(got.caption, "a caption");
	CHECK_STR(got.credit, "a credit");
	CHECK(got.focal_x == 0.25 && got.focal_y == 1.0);
	CHECK(store_media_update(st, id, "x", "", "", -0.1, 0.5) == STORE_INVALID);
	CHECK(store_media_update(st, id, "x", "", "", 0.5, 1.01) == STORE_INVALID);
	CHECK(store_media_get(st, p, id, &got) == STORE_OK);
	CHECK_STR(got.alt, "new alt");                     /* a refused update changed nothing */
	CHECK(store_media_update(st, id + 100, "x", "", "", 0.5, 0.5) == STORE_NOTFOUND);
	CHECK(store_media_delete(st, id) == STORE_OK);
	CHECK(store_media_get(st, p, id, &got) == STORE_NOTFOUND);
	CHECK(store_media_delete(st, id) == STORE_NOTFOUND);
	pool_free(p);
}

int main(void)
{
	if (!(st = t_store_open("store-media")))
		return 1;
	RUN(test_add_get_and_same_hash);
	RUN(test_list_newest_first_and_search);
	RUN(test_update_and_delete);
	return t_store_close(st, T_DONE());
}
