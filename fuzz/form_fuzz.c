/*
 * form_fuzz: libFuzzer target for the boundary decoders (form_decode,
 * cookie_decode, form_validate, the validators and num_parse).
 *
 * Beyond "no crash", it checks the promise the rest of Gazette relies on:
 * whatever form_decode accepts is valid UTF-8 with no NUL byte, within the
 * field limit, and cookies hold only token names and cookie-octet values.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -o form_fuzz fuzz/form_fuzz.c src/http/form.c src/util/num.c \
 *     src/util/pool.c src/util/utf8.c src/util/buf.c src/render/escape.c
 *   ./form_fuzz -dict=fuzz/form.dict fuzz/corpus/form
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/http/form.h"
#include "../src/util/num.h"
#include "../src/util/pool.h"
#include "../src/util/utf8.h"

#define MAX_FIELDS 16

static void check_list(const struct kvlist *l)
{
	if (l->n > MAX_FIELDS)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *kv = &l->v[i];
		if (!utf8_valid(kv->key, strlen(kv->key)) ||
		    !utf8_valid(kv->val, kv->vlen) || strlen(kv->val) != kv->vlen)
			abort();
	}
}

static void check_cookies(const struct kvlist *l)
{
	check_list(l);
	for (size_t i = 0; i < l->n; i++)
		if (!*l->v[i].key || strpbrk(l->v[i].key, " ;=\t") ||
		    strpbrk(l->v[i].val, " ;\"\t"))
			abort();
}

static const struct field_spec spec[] = {
	{ "comment", 64, 1, "missing", "long", NULL, NULL },
	{ "email", 64, 1, "missing", "long", field_email, "invalid" },
	{ "url", 64, 0, NULL, "long", field_http_url, "invalid" },
	{ "n", 20, 0, NULL, "long", field_uint, "invalid" },
};
#define NSPEC (sizeof(spec) / sizeof(spec[0]))

static void check_validate(struct pool *p, const struct kvlist *l)
{
	struct field_val v[NSPEC];
	size_t nerr = form_validate(p, spec, NSPEC, l, v), seen = 0;

	for (size_t i = 0; i < NSPEC; i++) {
		size_t n = strlen(v[i].val);
		if (n && (v[i].val[0] == ' ' || v[i].val[n - 1] == ' '))
			abort();
		seen += v[i].error != NULL;
		if (!v[i].error && spec[i].required && !n)
			abort();
	}
	if (seen != nerr)
		abort();
}

static void check_numbers(const char *s)
{
	unsigned long long u;
	long long i;

	if (num_parse_u64(s, ULLONG_MAX, &u) == 0 && strspn(s, "0123456789") !=
							   strlen(s))
		abort();
	if (num_parse_i64(s, -1000, 1000, &i) == 0 && (i < -1000 || i > 1000))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p = pool_new();
	struct kvlist l;
	char *s = pool_strndup(p, (const char *)data, size);

	if (form_decode(p, (const char *)data, size, MAX_FIELDS, &l) == FORM_OK) {
		check_list(&l);
		check_validate(p, &l);
	} else if (l.n != 0 || l.v != NULL) {
		abort();
	}
	cookie_decode(p, s, MAX_FIELDS, &l);
	check_cookies(&l);
	field_email(s);
	field_http_url(s);
	check_numbers(s);
	pool_free(p);
	return 0;
}
