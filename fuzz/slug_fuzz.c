/*
 * slug_fuzz: libFuzzer target for src/content/slug.c.
 *
 * Checks the promises of slug.h on every input and for every small output
 * size: the result fits, is valid UTF-8 (utf8_valid), has no '-' at either
 * end and never two in a row, holds no ASCII other than [a-z0-9-], and its
 * length is the return value.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     fuzz/slug_fuzz.c src/content/slug.c src/util/utf8.c -o slug_fuzz \
 *     && ./slug_fuzz fuzz/corpus/slug
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/content/slug.h"
#include "../src/util/utf8.h"

static void check(const char *title, size_t outsize)
{
	char out[SLUG_MAX + 64];
	int n;

	memset(out, 0x55, sizeof out);
	n = slug_make(title, out, outsize);
	if (n < 0 || (size_t)n >= outsize || n > SLUG_MAX ||
	    out[n] != '\0' || strlen(out) != (size_t)n)
		abort();
	if (outsize < sizeof out && (unsigned char)out[outsize] != 0x55)
		abort(); /* wrote past outsize */
	if (n == 0)
		return;
	if (!utf8_valid(out, (size_t)n) || out[0] == '-' || out[n - 1] == '-' ||
	    strstr(out, "--"))
		abort();
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x80 && !((c >= 'a' && c <= 'z') ||
				  (c >= '0' && c <= '9') || c == '-'))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *title = malloc(size + 1);

	if (!title)
		return 0;
	memcpy(title, data, size);
	title[size] = '\0';
	for (size_t outsize = 1; outsize < 24; outsize++)
		check(title, outsize);
	check(title, SLUG_MAX + 1);
	check(title, SLUG_MAX + 64);
	free(title);
	return 0;
}
