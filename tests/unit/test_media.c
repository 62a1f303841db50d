/*
 * Unit tests for src/media/media.c (and content/image.c's image_end,
 * image_trailing, image_other_kind): the pictures are made here with
 * libvips or by hand, in a fresh folder per run.
 */
#include "../../src/media/media.h"
#include "../../src/content/image.h"
#include "../../src/util/pool.h"
#include "t.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>
#include <zlib.h>

static char site[64];
static char err[512];

static const char *at(struct pool *p, const char *name)
{
	return pool_printf(p, "%s/%s", site, name);
}

static void put(const char *path, const void *d, size_t n)
{
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(d, 1, n, f) == n);
	if (f)
		fclose(f);
}

static unsigned char *slurp(struct pool *p, const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *d = pool_alloc(p, 8 << 20);
	*n = f ? fread(d, 1, 8 << 20, f) : 0;
	if (f)
		fclose(f);
	return d;
}

/* A w x h sRGB gradient, as JPEG (or PNG) bytes. */
static unsigned char *picture(struct pool *p, int w, int h, const char *ext, size_t *n)
{
	VipsImage *g = NULL, *l = NULL, *u = NULL, *rgb = NULL, *s = NULL;
	void *buf = NULL;
	*n = 0;
	if (vips_grey(&g, w, h, NULL) || vips_linear1(g, &l, 255.0, 0.0, NULL) ||
	    vips_cast_uchar(l, &u, NULL) || vips_bandjoin_const1(u, &rgb, 90.0, NULL) ||
	    vips_bandjoin_const1(rgb, &s, 200.0, NULL))
		return NULL;
	VipsImage *srgb = NULL;
	vips_copy(s, &srgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
	if (strcmp(ext, "png") == 0)
		vips_pngsave_buffer(srgb, &buf, n, NULL);
	else
		vips_jpegsave_buffer(srgb, &buf, n, NULL);
	unsigned char *d = pool_alloc(p, *n);
	memcpy(d, buf, *n);
	g_free(buf);
	VipsImage *all[] = { g, l, u, rgb, s, srgb };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		g_object_unref(all[i]);
	return d;
}

static void le16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void le32(unsigned char *p, unsigned long v)
{
	le16(p, (unsigned)(v & 0xffff));
	le16(p + 2, (unsigned)(v >> 16));
}

/* An APP1 EXIF segment: IFD0 with Orientation = 6 and a GPS IFD with
 * GPSLatitudeRef N and GPSLatitude 51 30 0, made by hand. */
static size_t exif_app1(unsigned char *o)
{
	unsigned char t[92] = { 'I', 'I', 42, 0 };
	le32(t + 4, 8);
	le16(t + 8, 2);
	le16(t + 10, 0x0112), le16(t + 12, 3), le32(t + 14, 1), le16(t + 18, 6);
	le16(t + 22, 0x8825), le16(t + 24, 4), le32(t + 26, 1), le32(t + 30, 38);
	le32(t + 34, 0);
	le16(t + 38, 2);
	le16(t + 40, 0x0001), le16(t + 42, 2), le32(t + 44, 2), t[48] = 'N';
	le16(t + 52, 0x0002), le16(t + 54, 5), le32(t + 56, 3), le32(t + 60, 68);
	le32(t + 64, 0);
	unsigned long r[6] = { 51, 1, 30, 1, 0, 1 };
	for (int i = 0; i < 6; i++)
		le32(t + 68 + 4 * i, r[i]);
	size_t len = 2 + 6 + sizeof t;
	o[0] = 0xff, o[1] = 0xe1, o[2] = (unsigned char)(len >> 8), o[3] = (unsigned char)len;
	memcpy(o + 4, "Exif\0\0", 6);
	memcpy(o + 10, t, sizeof t);
	return 2 + len;
}

/* A JPEG w x h with that EXIF block right after its SOI. */
static unsigned char *photo_with_gps(struct pool *p, int w, int h, size_t *n)
{
	size_t jn;
	unsigned char *j = picture(p, w, h, "jpg", &jn);
	unsigned char *d = pool_alloc(p, jn + 200);
	memcpy(d, j, 2);
	size_t e = exif_app1(d + 2);
	memcpy(d + 2 + e, j + 2, jn - 2);
	*n = jn + e;
	return d;
}

static size_t png_chunk(unsigned char *o, const char *type, const unsigned char *d, size_t n)
{
	o[0] = (unsigned char)(n >> 24), o[1] = (unsigned char)(n >> 16);
	o[2] = (unsigned char)(n >> 8), o[3] = (unsigned char)n;
	memcpy(o + 4, type, 4);
	if (n)
		memcpy(o + 8, d, n);
	unsigned long c = crc32(0, o + 4, (unsigned)(n + 4));
	o[8 + n] = (unsigned char)(c >> 24), o[9 + n] = (unsigned char)(c >> 16);
	o[10 + n] = (unsigned char)(c >> 8), o[11 + n] = (unsigned char)c;
	return 12 + n;
}

/* A PNG whose IHDR declares w x h, with one small IDAT: a bomb's shape. */
static size_t png_declaring(unsigned char *o, unsigned long w, unsigned long h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	unsigned char ihdr[13] = { 0 };
	for (int i = 0; i < 4; i++) {
		ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
		ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	ihdr[8] = 8, ihdr[9] = 2;
	unsigned char raw[64] = { 0 }, z[128];
	uLongf zn = sizeof z;
	compress(z, &zn, raw, sizeof raw);
	size_t n = 8;
	memcpy(o, sig, 8);
	n += png_chunk(o + n, "IHDR", ihdr, 13);
	n += png_chunk(o + n, "IDAT", z, zn);
	n += png_chunk(o + n, "IEND", NULL, 0);
	return n;
}

/* An animated GIF of `frames` 1x1 frames. */
static unsigned char *gif_frames(struct pool *p, int frames, size_t *n)
{
	static const unsigned char head[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0,
					      0, 0, 0, 255, 255, 255 };
	static const unsigned char frame[] = { 0x21, 0xf9, 4, 0, 10, 0, 0, 0,
					       0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0,
					       2, 2, 0x44, 1, 0 };
	unsigned char *d = pool_alloc(p, sizeof head + (size_t)frames * sizeof frame + 1);
	memcpy(d, head, sizeof head);
	*n = sizeof head;
	for (int i = 0; i < frames; i++, *n += sizeof frame)
		memcpy(d + *n, frame, sizeof frame);
	d[(*n)++] = 0x3b;
	return d;
}

/* The names in dir, sorted, space-separated ("" for none or no folder). */
static const char *listing(struct pool *p, const char *dir)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);
	const char *s = "";
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 && strcmp(v[i]->d_name, "..") != 0)
			s = pool_printf(p, "%s%s%s", s, *s ? " " : "", v[i]->d_name);
		free(v[i]);
	}
	if (n >= 0)
		free(v);
	return s;
}

/* Checks then makes; the code of whichever step stopped. */
static enum media_err add(struct pool *p, const unsigned char *d, size_t n, const char *name,
			  struct media_input *in, struct media_made *m)
{
	enum media_err e = media_check(p, d, n, name, in, err, sizeof err);
	return e ? e : media_make(p, site, in, m, err, sizeof err);
}

static void test_photo_variants_upright_and_stripped(void)
{
	struct pool *p = pool_new();
	size_t n;
	unsigned char *d = photo_with_gps(p, 2000, 1500, &n);
	put(at(p, "camera.jpg"), d, n);
	/* the test's own photo carries what must go */
	VipsImage *src = vips_image_new_from_file(at(p, "camera.jpg"), NULL);
	CHECK(src && vips_image_get_typeof(src, "exif-ifd3-GPSLatitude") != 0);
	CHECK(src && vips_image_get_orientation(src) == 6);
	if (src)
		g_object_unref(src);

	struct media_input in;
	struct media_made m;
	CHECK(media_read(p, at(p, "camera.jpg"), &in, err, sizeof err) == MEDIA_OK);
	CHECK_STR(in.name, "camera.jpg");
	CHECK_STR(in.mime, "image/jpeg");
	CHECK(strlen(in.hash) == MEDIA_HASH_HEX);
	CHECK(media_make(p, site, &in, &m, err, sizeof err) == MEDIA_OK);
	/* orientation 6: 2000x1500 as stored is 1500x2000 upright */
	CHECK(m.width == 1500 && m.height == 2000);
	CHECK(m.nv == 4); /* 320 640 960 1280: 1920 is wider than the picture */
	CHECK(media_formats() & 1u << MEDIA_WEBP && media_formats() & 1u << MEDIA_JPEG);
	CHECK_STR(media_variants_text(p, &m), "320x427 640x854 960x1280 1280x1707");
	size_t files = 0;
	for (size_t i = 0; i < m.nv; i++)
		for (int f = 0; f < MEDIA_FORMAT__MAX; f++) {
			if (!(m.formats & 1u << f))
				continue;
			const char *name = media_variant_name(p, in.hash, m.v[i].width, f);
			CHECK(media_is_variant(name));
			const char *path = pool_printf(p, "%s/media/%s", site, name);
			size_t vn;
			unsigned char *vd = slurp(p, path, &vn);
			struct image_info info;
			if (f == MEDIA_AVIF)
				CHECK(vn > 12 && memcmp(vd + 4, "ftypavif", 8) == 0);
			else
				CHECK(image_sniff(vd, vn, &info) == 0 &&
				      strcmp(info.ext, media_format_ext(f)) == 0 &&
				      (int)info.width == m.v[i].width);
			VipsImage *v = vips_image_new_from_file(path, NULL);
			CHECK(v != NULL);
			if (!v)
				continue;
			files++;
			CHECK(vips_image_get_width(v) == m.v[i].width);
			CHECK(vips_image_get_height(v) == m.v[i].height);
			CHECK(vips_image_get_typeof(v, "exif-data") == 0);
			CHECK(vips_image_get_typeof(v, "exif-ifd3-GPSLatitude") == 0);
			CHECK(vips_image_get_typeof(v, "xmp-data") == 0);
			CHECK(vips_image_get_orientation(v) == 1);
			g_object_unref(v);
		}
	CHECK(files == m.nv * (size_t)__builtin_popcount(m.formats));
	/* the original, whole, outside media/ */
	size_t on;
	unsigned char *od = slurp(p, pool_printf(p, "%s/" MEDIA_ORIGINALS "/%s.jpg", site, in.hash),
				  &on);
	CHECK(on == n && memcmp(od, d, n) == 0);
	CHECK(strstr(listing(p, pool_printf(p, "%s/media", site)), ".tmp-") == NULL);
	/* round trip of what the store keeps */
	struct media_made back;
	CHECK(media_variants_parse(media_variants_text(p, &m), media_formats_text(p, m.formats),
				   &back) == 0);
	CHECK(back.nv == m.nv && back.formats == m.formats && back.v[3].height == 1707);
	media_remove(p, site, in.hash, in.ext, &m);
	CHECK_STR(listing(p, pool_printf(p, "%s/media", site)), "");
	CHECK_STR(listing(p, pool_printf(p, "%s/" MEDIA_ORIGINALS, site)), "");
	pool_free(p);
}

static void test_small_and_alpha(void)
{
	struct pool *p = pool_new();
	/* narrower than 320: its own width only */
	size_t n;
	unsigned char *d = picture(p, 200, 100, "png", &n);
	struct media_input in;
	struct media_made m;
	CHECK(add(p, d, n, "small.png", &in, &m) == MEDIA_OK);
	CHECK_STR(media_variants_text(p, &m), "200x100");
	media_remove(p, site, in.hash, in.ext, &m);
	/* exactly 640: 320 and 640 */
	d = picture(p, 640, 480, "jpg", &n);
	CHECK(add(p, d, n, "even.jpg", &in, &m) == MEDIA_OK);
	CHECK_STR(media_variants_text(p, &m), "320x240 640x480");
	media_remove(p, site, in.hash, in.ext, &m);
	/* a PNG with alpha: its JPEG variant is flattened, its WebP kept */
	VipsImage *b = NULL, *a = NULL;
	void *buf = NULL;
	size_t bn = 0;
	CHECK(vips_black(&b, 400, 300, "bands", 4, NULL) == 0);
	CHECK(vips_copy(b, &a, "interpretation", VIPS_INTERPRETATION_sRGB, NULL) == 0);
	CHECK(vips_pngsave_buffer(a, &buf, &bn, NULL) == 0);
	CHECK(add(p, buf, bn, "alpha.png", &in, &m) == MEDIA_OK);
	VipsImage *j = vips_image_new_from_file(
		pool_printf(p, "%s/media/%s", site, media_variant_name(p, in.hash, 320, MEDIA_JPEG)),
		NULL);
	CHECK(j && vips_image_get_bands(j) == 3);
	if (j)
		g_object_unref(j);
	media_remove(p, site, in.hash, in.ext, &m);
	g_free(buf);
	g_object_unref(b);
	g_object_unref(a);
	/* three frames are fine: the first is what is made */
	d = gif_frames(p, 3, &n);
	CHECK(add(p, d, n, "anim.gif", &in, &m) == MEDIA_OK);
	CHECK(in.frames == 3);
	CHECK_STR(media_variants_text(p, &m), "1x1");
	media_remove(p, site, in.hash, in.ext, &m);
	pool_free(p);
}

struct bad {
	const char *what, *name;
	const unsigned char *d;
	size_t n;
	enum media_err want;
	const char *message;
};

static void test_bad_inputs_refused_leaving_nothing(void)
{
	struct pool *p = pool_new();
	static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
	static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
				  "width=\"10\" height=\"10\"><script>alert(1)</script></svg>";
	size_t jn, gn;
	unsigned char *jpeg = picture(p, 800, 600, "jpg", &jn);
	unsigned char bomb[256];
	size_t bn = png_declaring(bomb, 50000, 50000);
	unsigned char *gif = gif_frames(p, 2000, &gn);
	unsigned char *zip = pool_alloc(p, jn + 64), *html = pool_alloc(p, jn + 64);
	memcpy(zip, jpeg, jn);
	memcpy(zip + jn, "PK\x03\x04\x14\0\0\0\0\0secret.txt", 20);
	memcpy(html, jpeg, jn);
	memcpy(html + jn, "<html><script>alert(1)</script>", 31);
	const struct bad cases[] = {
		{ "pdf", "report.jpg", (const unsigned char *)pdf, sizeof pdf - 1, MEDIA_NOT_IMAGE,
		  "not an image: this file is a PDF document" },
		{ "svg", "logo.svg", (const unsigned char *)svg, sizeof svg - 1, MEDIA_NOT_IMAGE,
		  "not an image: this file is an SVG drawing" },
		{ "empty", "x.jpg", (const unsigned char *)"", 0, MEDIA_NOT_IMAGE, "the file is empty" },
		{ "truncated", "cut.jpg", jpeg, jn / 2, MEDIA_CORRUPT, "truncated or corrupt JPEG" },
		{ "bomb", "bomb.png", bomb, bn, MEDIA_TOO_LARGE,
		  "image too large: 50000x50000 pixels, the limit is 40 megapixels" },
		{ "frames", "anim.gif", gif, gn, MEDIA_TOO_MANY_FRAMES,
		  "the animation has 2000 frames, the limit is 100" },
		{ "zip", "poly.jpg", zip, jn + 20, MEDIA_POLYGLOT, "20 bytes of something else" },
		{ "html", "poly.jpg", html, jn + 31, MEDIA_POLYGLOT, "polyglot" },
	};
	const char *media = pool_printf(p, "%s/media", site);
	const char *orig = pool_printf(p, "%s/" MEDIA_ORIGINALS, site);
	mkdir(media, 0755);
	put(pool_printf(p, "%s/kept.jpg", media), "x", 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct media_input in;
		struct media_made m;
		err[0] = '\0';
		enum media_err e = add(p, cases[i].d, cases[i].n, cases[i].name, &in, &m);
		if (e != cases[i].want)
			fprintf(stderr, "%s: got %s (%s)\n", cases[i].what, media_err_name(e), err);
		CHECK(e == cases[i].want);
		CHECK_CONTAINS(err, cases[i].message);
		CHECK_STR(listing(p, media), "kept.jpg");
		CHECK_STR(listing(p, orig), "");
	}
	/* a strip too tall for WebP: refused before anything is written */
	size_t tn;
	unsigned char *tall = picture(p, 100, 20000, "png", &tn);
	struct media_input tin;
	struct media_made tm;
	CHECK(add(p, tall, tn, "tall.png", &tin, &tm) == MEDIA_TOO_LARGE);
	CHECK_CONTAINS(err, "image too tall for its width: 100x20000 pixels");
	CHECK_STR(listing(p, media), "kept.jpg");
	/* the whole JPEG itself is fine (the cases fail for what was done to it) */
	struct media_input in;
	CHECK(media_check(p, jpeg, jn, "ok.jpg", &in, err, sizeof err) == MEDIA_OK);
	/* a failure while writing leaves nothing either: originals' folder
	 * is a file, so the last step fails after the variants were written */
	rmdir(orig);
	put(orig, "not a folder", 12);
	struct media_made m;
	CHECK(media_make(p, site, &in, &m, err, sizeof err) == MEDIA_IO);
	CHECK_STR(listing(p, media), "kept.jpg");
	unlink(orig);
	unlink(pool_printf(p, "%s/kept.jpg", media));
	pool_free(p);
}

static void test_names(void)
{
	struct pool *p = pool_new();
	CHECK_STR(media_clean_name(p, "../../etc/passwd.jpg"), "passwd.jpg");
	CHECK_STR(media_clean_name(p, ".."), "image");
	CHECK_STR(media_clean_name(p, "C:\\Users\\me\\Holiday.JPG"), "Holiday.JPG");
	CHECK_STR(media_clean_name(p, "a\nb\x01" "c.png"), "abc.png");
	CHECK_STR(media_clean_name(p, "caf\xc3\xa9.jpg"), "caf\xc3\xa9.jpg");
	CHECK_STR(media_clean_name(p, "bad\xff.jpg"), "bad.jpg");
	CHECK(media_is_variant("0123456789abcdef-320.webp"));
	CHECK(media_is_variant("0123456789abcdef-1920.avif"));
	CHECK(!media_is_variant("0123456789abcdef-320.html"));
	CHECK(!media_is_variant("0123456789abcdef.jpg"));
	CHECK(!media_is_variant("featured/0123456789abcdef-320.jpg"));
	struct media_made m;
	CHECK(media_variants_parse("320x200 x", "webp", &m) == -1);
	CHECK(media_variants_parse("320x200", "gif", &m) == -1);
	/* the variant a page names: the widest no wider than asked */
	CHECK(media_variants_parse("320x200 640x400 960x600 1280x800", "webp jpg", &m) == 0);
	CHECK(media_pick(&m, 1280) == 3 && media_pick(&m, 1000) == 2 && media_pick(&m, 320) == 0);
	CHECK(media_pick(&m, 100) == 0); /* all wider: the narrowest */
	/* the Markdown to paste: [] in the alt and " in the caption escaped */
	CHECK_STR(media_markdown(p, 42, "A [red] kite", "The \"old\" hill"),
		  "![A \\[red\\] kite](media:42 \"The \\\"old\\\" hill\")");
	CHECK_STR(media_markdown(p, 7, "Line\nbreak", ""), "![Line break](media:7)");
	/* a file whose name climbs is read, and only its last segment kept */
	size_t n;
	unsigned char *d = picture(p, 300, 200, "jpg", &n);
	mkdir(at(p, "sub"), 0755);
	put(at(p, "sub/evil.jpg"), d, n);
	struct media_input in;
	CHECK(media_read(p, pool_printf(p, "%s/sub/../sub/evil.jpg", site), &in, err,
			 sizeof err) == MEDIA_OK);
	CHECK_STR(in.name, "evil.jpg");
	pool_free(p);
}

static void test_image_end(void)
{
	struct pool *p = pool_new();
	size_t n;
	unsigned char *d = picture(p, 64, 48, "png", &n);
	struct image_info info;
	size_t end;
	CHECK(image_sniff(d, n, &info) == 0);
	CHECK(image_end(d, n, &info, &end) == 0 && end == n);
	CHECK(image_end(d, n - 1, &info, &end) == -1);
	CHECK(image_trailing(d, n, &info) == 0);
	/* a JPEG followed by another JPEG (a camera's multi-picture file) */
	size_t jn;
	unsigned char *j = picture(p, 64, 48, "jpg", &jn);
	unsigned char *two = pool_alloc(p, 2 * jn + 4);
	memcpy(two, j, jn);
	memcpy(two + jn, j, jn);
	CHECK(image_sniff(two, 2 * jn, &info) == 0 && image_trailing(two, 2 * jn, &info) == 0);
	memset(two + 2 * jn, 0, 4); /* zero padding */
	CHECK(image_trailing(two, 2 * jn + 4, &info) == 0);
	CHECK(image_other_kind((const unsigned char *)"<!DOCTYPE html><p>", 18) != NULL);
	CHECK(image_other_kind((const unsigned char *)"hello", 5) == NULL);
	pool_free(p);
}

/* Writes the files tests/integration/media.test.js reads to dir (run as
 * tests/unit/test_media --fixtures DIR, DIR being tests/fixtures/media). */
static int write_fixtures(const char *dir)
{
	struct pool *p = pool_new();
	size_t n, jn;
	unsigned char *d = photo_with_gps(p, 1200, 800, &n);
	put(pool_printf(p, "%s/photo-gps.jpg", dir), d, n);
	unsigned char *j = picture(p, 400, 300, "jpg", &jn);
	put(pool_printf(p, "%s/truncated.jpg", dir), j, jn / 2);
	unsigned char *poly = pool_alloc(p, jn + 32);
	memcpy(poly, j, jn);
	memcpy(poly + jn, "PK\x03\x04\x14\0\0\0\0\0secret.txt", 20);
	put(pool_printf(p, "%s/polyglot.jpg", dir), poly, jn + 20);
	unsigned char bomb[256];
	put(pool_printf(p, "%s/bomb.png", dir), bomb, png_declaring(bomb, 50000, 50000));
	static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
	put(pool_printf(p, "%s/report.jpg", dir), pdf, sizeof pdf - 1);
	static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
				  "width=\"10\" height=\"10\"><script>alert(1)</script></svg>\n";
	put(pool_printf(p, "%s/drawing.svg", dir), svg, sizeof svg - 1);
	pool_free(p);
	return t_fail;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--fixtures") == 0) {
		char e[256];
		return media_init(e, sizeof e) ? 1 : write_fixtures(argv[2]);
	}
	snprintf(site, sizeof site, "/tmp/gz-media-XXXXXX");
	if (!mkdtemp(site) || media_init(err, sizeof err)) {
		fprintf(stderr, "setup: %s\n", err);
		return 1;
	}
	vips_operation_block_set("VipsForeignLoadHeif", FALSE); /* to read AVIF variants back */
	RUN(test_photo_variants_upright_and_stripped);
	RUN(test_small_and_alpha);
	RUN(test_bad_inputs_refused_leaving_nothing);
	RUN(test_names);
	RUN(test_image_end);
	int rc = T_DONE();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", site);
	if (system(cmd) != 0)
		rc = 1;
	vips_shutdown();
	return rc;
}
