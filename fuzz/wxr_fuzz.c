/*
 * wxr_fuzz: libFuzzer target for the importer's XML reader and content
 * conversion (src/import/wxr.c, wpautop.c, shortcodes.c, and the
 * sanitizer after them), the path every byte of an export takes; and the
 * importer's own conversion (import_body_convert: the media scanners of
 * import_pictures.c over blocks, tags, shortcodes and embeds, without
 * --uploads so nothing is read or written).
 *
 * Checks: the reader never hands a callback a NULL string, refuses any
 * input with a DOCTYPE, and every item body converted the importer's way
 * comes out of the sanitizer without a script tag or event handler.
 *
 *   make build-fuzz/wxr_fuzz && ./build-fuzz/wxr_fuzz fuzz/corpus/wxr -dict=fuzz/wxr.dict
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/content/sanitize.h"
#include "../src/import/shortcodes.h"
#include "../src/import/wpautop.h"
#include "../src/import/wxr.h"
#include "../src/import/import_int.h"
#include "../src/util/pool.h"

static int attachment(void *arg, const char *id, struct sc_attachment *out)
{
	(void)arg;
	(void)id;
	*out = (struct sc_attachment){ "javascript:alert(1)", "<script>x</script>", "\"onerror=x" };
	return 0;
}

/* In every tag the sanitizer wrote (text never holds a raw '<'): no
 * script, no attribute named on..., no javascript: value. */
static void check_tags(const char *s)
{
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
		if (strncasecmp(p, "<script", 7) == 0)
			abort();
		int quoted = 0;
		for (p++; *p && (quoted || *p != '>'); p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (!quoted && *p == ' ' && strncasecmp(p + 1, "on", 2) == 0)
				abort();
			else if (quoted && p[-1] == '"' && strncasecmp(p, "javascript:", 11) == 0)
				abort();
		}
		if (!*p)
			abort();
	}
}

static void convert(const char *content)
{
	struct buf a, b, c;
	buf_init(&a, 1 << 22);
	buf_init(&b, 1 << 22);
	buf_init(&c, 1 << 22);
	if (wpautop_has_blocks(content))
		wpautop_strip_blocks(content, &a);
	else
		wpautop(content, &a);
	struct sc_ctx ctx = { NULL, attachment, NULL, NULL, NULL, NULL };
	shortcodes_expand(buf_str(&a), &b, &ctx);
	if (sanitize_html(buf_str(&b), b.len, &c) == 0)
		check_tags(buf_str(&c));
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	/* the importer's whole conversion, pictures included */
	struct import_opts o;
	memset(&o, 0, sizeof o);
	struct imp im;
	memset(&im, 0, sizeof im);
	im.o = &o;
	im.p = pool_new();
	im.base = im.blog = "https://old.example";
	memcpy(im.nonce, "f", 2);
	buf_init(&im.warnings, 0);
	buf_init(&im.kept_urls, 0);
	buf_init(&im.missing, 0);
	buf_init(&a, 1 << 22);
	if (import_body_convert(&im, content, &a) == 0) {
		check_tags(buf_str(&a));
		if (strstr(buf_str(&a), "<div class=\"gzm-") && !strstr(content, "gzm-"))
			abort(); /* a placeholder of ours left behind */
	}
	buf_release(&a);
	buf_release(&im.warnings);
	buf_release(&im.kept_urls);
	buf_release(&im.missing);
	pool_free(im.p);
}

static void strings(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i])
			abort();
}

static int on_item(void *arg, const struct wxr_item *it)
{
	(void)arg;
	const char *v[] = { it->title, it->content, it->excerpt, it->post_id, it->status,
			    it->post_type, it->post_name, it->link, it->guid };
	strings(v, sizeof v / sizeof v[0]);
	for (size_t i = 0; i < it->nterms; i++) {
		const char *t[] = { it->terms[i].domain, it->terms[i].nicename, it->terms[i].name };
		strings(t, 3);
	}
	for (size_t i = 0; i < it->ncomments; i++) {
		const char *c[] = { it->comments[i].id, it->comments[i].content, it->comments[i].parent };
		strings(c, 3);
		struct buf t;
		buf_init(&t, 1 << 22);
		sanitize_text(c[1], strlen(c[1]), &t);
		buf_release(&t);
	}
	convert(it->content);
	return 0;
}

static int on_channel(void *arg, const struct wxr_channel *c)
{
	(void)arg;
	const char *v[] = { c->title, c->base_site_url, c->wxr_version };
	strings(v, 3);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 18)
		return 0;
	char err[256];
	struct wxr_handler h = { NULL, on_channel, NULL, NULL, on_item, NULL };
	int rc = wxr_read_memory((const char *)data, size, &h, err, sizeof err);
	if (rc == WXR_OK && memmem(data, size, "<!DOCTYPE", 9) && !memmem(data, size, "<![CDATA[", 9))
		abort(); /* a DOCTYPE outside CDATA must never be accepted */
	return 0;
}
