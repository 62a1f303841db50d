/*
 * template_fuzz: libFuzzer target for the template parser and renderer.
 *
 * The input is added twice, as "main" and as "p", so {{>p}} and {{>main}}
 * exercise partials and self-recursion, then "main" is rendered against a
 * small fixed context with every value kind. Output is capped at 1 MiB; the
 * engine's own depth limit and step budget must keep each run short.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 -D_GNU_SOURCE \
 *     fuzz/template_fuzz.c src/render/template.c src/render/escape.c \
 *     src/util/buf.c src/util/pool.c -o template_fuzz
 *   ./template_fuzz fuzz/corpus/template
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/render/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tv *fuzz_ctx(struct pool *p)
{
	struct tv *c = tv_obj(p), *o = tv_obj(p), *items = tv_list(p);
	struct tv *it = tv_obj(p);

	tv_put_str(c, "s", "<a href=\"x\">&'</a>");
	tv_put_html(c, "h", "<b>bold</b>");
	tv_put_int(c, "n", -42);
	tv_put_bool(c, "t", 1);
	tv_put_bool(c, "f", 0);
	tv_put_str(c, "e", "");
	tv_put_str(o, "name", "obj");
	tv_put(o, "self", c); /* a cycle: lookup must not loop */
	tv_put(c, "o", o);
	tv_put_str(it, "name", "item");
	tv_put(it, "items", tv_list(p));
	tv_append(items, tv_str(p, "one"));
	tv_append(items, it);
	tv_append(items, tv_html(p, "<i>2</i>"));
	tv_put(c, "items", items);
	tv_put(c, "none", tv_list(p));
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	char *text = malloc(size + 1);
	struct tpl_set *set = tpl_set_new();

	if (!text || !set)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0'; /* the parser stops at an embedded NUL */
	if (tpl_set_add_string(set, "main", text, err, sizeof(err)) == 0 &&
	    tpl_set_add_string(set, "p", text, err, sizeof(err)) == 0) {
		struct pool *p = pool_new();
		struct buf out;
		buf_init(&out, 1024 * 1024);
		tpl_render(set, "main", fuzz_ctx(p), &out);
		buf_release(&out);
		pool_free(p);
	}
out:
	tpl_set_free(set);
	free(text);
	return 0;
}
