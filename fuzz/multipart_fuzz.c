/*
 * multipart_fuzz: libFuzzer target for the multipart/form-data reader
 * (src/http/multipart.c) and the image sniffer (src/content/image.c: the
 * type and size, where the image ends, what follows it).
 *
 * The input's first line is the Content-Type (so boundaries are fuzzed
 * too), the rest the body. Beyond "no crash" it checks the promises the
 * router and editor rely on: accepted text fields are valid UTF-8 without
 * NUL and within the limits, file parts point inside the body and within
 * the file limit, and a sniffed image has a known type and a nonzero size.
 *
 *   make fuzz-build && ./build-fuzz/multipart_fuzz fuzz/corpus/multipart
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/content/image.h"
#include "../src/http/multipart.h"
#include "../src/util/pool.h"
#include "../src/util/utf8.h"

static const struct mp_limits lim = { 16, 4, 4096, 1 << 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p = pool_new();
	const char *nl = memchr(data, '\n', size);
	size_t ctlen = nl ? (size_t)(nl - (const char *)data) : size;
	const char *ct = pool_strndup(p, (const char *)data, ctlen);
	const char *body = nl ? nl + 1 : "";
	size_t blen = nl ? size - ctlen - 1 : 0;
	/* the body as its own allocation, so ASan sees reads past its end */
	char *copy = malloc(blen + 1);
	if (!copy)
		abort();
	memcpy(copy, body, blen);
	copy[blen] = '\0';
	struct kvlist f;
	struct uploadlist u;
	enum mp_err e = multipart_decode(p, ct, copy, blen, &lim, &f, &u);
	if (e != MP_OK && (f.n || u.n || f.v || u.v))
		abort();
	if (e == MP_OK) {
		if (f.n + u.n == 0 || f.n + u.n > lim.max_parts || u.n > lim.max_files)
			abort();
		for (size_t i = 0; i < f.n; i++)
			if (!utf8_valid(f.v[i].key, strlen(f.v[i].key)) ||
			    !utf8_valid(f.v[i].val, f.v[i].vlen) ||
			    strlen(f.v[i].val) != f.v[i].vlen || f.v[i].vlen > lim.max_field_bytes)
				abort();
		for (size_t i = 0; i < u.n; i++) {
			const char *d = (const char *)u.v[i].data;
			if (d < copy || d + u.v[i].len > copy + blen || u.v[i].len > lim.max_file_bytes ||
			    !utf8_valid(u.v[i].filename, strlen(u.v[i].filename)))
				abort();
		}
	}
	struct image_info info;
	if (image_sniff(data, size, &info) == 0) {
		if (!image_type_of_ext(info.ext) || info.width == 0 || info.height == 0)
			abort();
		/* where the image ends (the media library's truncation and
		 * polyglot checks): inside the input, and the two agree */
		size_t end = 0;
		int whole = image_end(data, size, &info, &end);
		int trailing = image_trailing(data, size, &info);
		if ((whole == 0 && (end == 0 || end > size)) || (whole < 0) != (trailing < 0) ||
		    (whole == 0 && end == size && trailing != 0))
			abort();
	}
	(void)image_other_kind(data, size);
	free(copy);
	pool_free(p);
	return 0;
}
