/*
 * test_multipart: multipart/form-data decoding (boundaries, fields, files,
 * limits, malformed framing) and image sniffing by content.
 */
#include "t.h"
#include "../../src/content/image.h"
#include "../../src/http/multipart.h"
#include "../../src/util/pool.h"

static const struct mp_limits lim = { 8, 2, 64, 32 };
#define CT "multipart/form-data; boundary=XyZ"

static enum mp_err dec(struct pool *p, const char *ct, const char *body, struct kvlist *f,
		       struct uploadlist *u)
{
	return multipart_decode(p, ct, body, strlen(body), &lim, f, u);
}

static void test_fields_and_files(void)
{
	struct pool *p = pool_new();
	struct kvlist f;
	struct uploadlist u;
	const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n"
			   "Caf\xc3\xa9 news\r\n"
			   "--XyZ\r\nContent-Disposition: form-data; name=\"img\"; filename=\"../a \\\"b\\\".png\"\r\n"
			   "Content-Type: image/png\r\n\r\nAB\r\nCD\r\n"
			   "--XyZ\r\ncontent-disposition: form-data; name=empty; filename=\"\"\r\n\r\n\r\n"
			   "--XyZ--\r\n";
	CHECK(dec(p, CT, body, &f, &u) == MP_OK);
	CHECK(f.n == 1);
	CHECK_STR(kv_get(&f, "title"), "Caf\xc3\xa9 news");
	CHECK(u.n == 1); /* the empty file input is dropped */
	const struct upload *up = upload_get(&u, "img");
	CHECK(up && up->len == 6 && memcmp(up->data, "AB\r\nCD", 6) == 0);
	CHECK_STR(up ? up->filename : NULL, "../a \"b\".png");
	CHECK_STR(up ? up->type : NULL, "image/png");
	/* quoted boundary, other parameters around it */
	CHECK(dec(p, "Multipart/Form-Data; charset=utf-8; boundary=\"XyZ\"", body, &f, &u) == MP_OK);
	pool_free(p);
}

static void test_refused(void)
{
	struct pool *p = pool_new();
	struct kvlist f;
	struct uploadlist u;
	static const struct {
		const char *ct, *body;
		enum mp_err want;
	} t[] = {
		{ "application/x-www-form-urlencoded", "a=b", MP_EBOUNDARY },
		{ "multipart/form-data", "--XyZ--", MP_EBOUNDARY },
		{ "multipart/form-data; boundary=", "--XyZ--", MP_EBOUNDARY },
		{ "multipart/form-data; boundary=a b", "--XyZ--", MP_EBOUNDARY },
		{ "multipart/form-data; boundary=XyZ; boundary=Q", "--XyZ--", MP_EBOUNDARY },
		{ CT, "", MP_EMALFORMED },
		{ CT, "--XyZ--", MP_EMALFORMED },                      /* no parts */
		{ CT, "preamble\r\n--XyZ\r\n", MP_EMALFORMED },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", MP_EMALFORMED },
		{ CT, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", MP_EMALFORMED },
		{ CT, "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--", MP_EMALFORMED },
		{ CT, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", MP_EMALFORMED },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--", MP_EMALFORMED },
		{ CT, "--XyZ\nContent-Disposition: form-data; name=a\n\nx\n--XyZ--", MP_EMALFORMED },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\r\n--XyZ--", MP_EBADCHAR },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=\"\xc0\xaf\"\r\n\r\nx\r\n--XyZ--", MP_EBADCHAR },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
		      "0123456789012345678901234567890123456789012345678901234567890123456789\r\n--XyZ--",
		  MP_ETOOLARGE },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=a; filename=b\r\n\r\n"
		      "012345678901234567890123456789012\r\n--XyZ--", MP_ETOOLARGE },
		{ CT, "--XyZ\r\nContent-Disposition: form-data; name=a; filename=b\r\n\r\n1\r\n"
		      "--XyZ\r\nContent-Disposition: form-data; name=a; filename=b\r\n\r\n2\r\n"
		      "--XyZ\r\nContent-Disposition: form-data; name=a; filename=b\r\n\r\n3\r\n--XyZ--",
		  MP_ETOOMANY },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum mp_err e = dec(p, t[i].ct, t[i].body, &f, &u);
		if (e != t[i].want)
			fprintf(stderr, "case %zu: got %d (%s)\n", i, e, multipart_strerror(e));
		CHECK(e == t[i].want);
		CHECK(f.n == 0 && u.n == 0);
	}
	/* a NUL inside a text value */
	const char nul[] = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\0y\r\n--XyZ--";
	CHECK(multipart_decode(p, CT, nul, sizeof nul - 1, &lim, &f, &u) == MP_EBADCHAR);
	/* too many parts */
	const char *many = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n";
	char buf[1024] = "";
	for (int i = 0; i < 9; i++)
		strncat(buf, many, sizeof buf - strlen(buf) - 1);
	strncat(buf, "--XyZ--", sizeof buf - strlen(buf) - 1);
	CHECK(dec(p, CT, buf, &f, &u) == MP_ETOOMANY);
	pool_free(p);
}

static void test_sniff(void)
{
	struct image_info i;
	static const unsigned char pngh[] = { 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13,
					      'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 0, 200 };
	CHECK(image_sniff(pngh, sizeof pngh, &i) == 0 && i.width == 256 && i.height == 200);
	CHECK_STR(i.type, "image/png");
	CHECK(image_sniff(pngh, 16, &i) == -1); /* signature without IHDR */
	static const unsigned char gifh[] = { 'G', 'I', 'F', '8', '7', 'a', 10, 0, 20, 0 };
	CHECK(image_sniff(gifh, sizeof gifh, &i) == 0 && i.width == 10 && i.height == 20);
	static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 4, 'J', 'F',
					     0xff, 0xc2, 0, 11, 8, 0, 50, 1, 0x2c, 3 };
	CHECK(image_sniff(jpg, sizeof jpg, &i) == 0 && i.width == 300 && i.height == 50);
	CHECK_STR(i.ext, "jpg");
	CHECK(image_sniff(jpg, 12, &i) == -1);
	unsigned char webp[30] = { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8',
				   'X', 10, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 49, 0, 0 };
	CHECK(image_sniff(webp, sizeof webp, &i) == 0 && i.width == 100 && i.height == 50);
	memcpy(webp + 12, "VP8L", 4);
	webp[20] = 0x2f; /* 14 bits width-1 = 3, height-1 = 1 */
	webp[21] = 3; webp[22] = 1 << 6; webp[23] = 0; webp[24] = 0;
	CHECK(image_sniff(webp, sizeof webp, &i) == 0 && i.width == 4 && i.height == 2);
	memcpy(webp + 12, "VP8 ", 4);
	memcpy(webp + 20, "\0\0\0\x9d\x01\x2a\x40\x01\xf0\x00", 10);
	CHECK(image_sniff(webp, sizeof webp, &i) == 0 && i.width == 320 && i.height == 240);
	CHECK(image_sniff((const unsigned char *)"<html>", 6, &i) == -1);
	CHECK(image_sniff((const unsigned char *)"<svg xmlns=", 11, &i) == -1);
	CHECK(image_sniff(NULL, 0, &i) == -1);
	CHECK_STR(image_type_of_ext("webp"), "image/webp");
	CHECK(image_type_of_ext("svg") == NULL);
}

int main(void)
{
	RUN(test_fields_and_files);
	RUN(test_refused);
	RUN(test_sniff);
	return T_DONE();
}
