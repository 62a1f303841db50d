/*
 * slot_fuzz: libFuzzer target for the ad and analytics slots:
 * sanitize_slot (src/content/sanitize.c) and slot_paragraph_end
 * (src/content/slot.c).
 *
 * Beyond "no crash": HTML that passes is only the slot allowlist's
 * elements, with no event handler, style or id; every <script> has a src
 * from a declared script origin and nothing before its </script>; every
 * <img src> is a path on this site or from a declared image origin; the
 * output passes again (for valid UTF-8 without NUL, as forms deliver)
 * under the same promises: not always byte for byte, since the parser
 * repairs what our output may still nest (an <a> it put inside another
 * comes back beside it). The in-article position is inside the HTML for
 * any input and any n.
 *
 *   make build-fuzz/slot_fuzz && ./build-fuzz/slot_fuzz fuzz/corpus/slot -dict=fuzz/slot.dict
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/content/sanitize.h"
#include "../src/content/slot.h"
#include "../src/util/utf8.h"
#include "tags.h"

static const char SCRIPTS[] = "https://ads.example.net http://127.0.0.1:8081";
static const char IMAGES[] = "http://pixels.example.org:8080";

static const char *const OK_TAGS[] = { "a", "br", "div", "em", "img", "ins", "p",
				       "script", "small", "span", "strong", NULL };

/* 1 when the quoted value at v (up to its '"') starts with one of the
 * origins of list, followed by the end, '/', '?' or '#'. */
static int from(const char *list, const char *v)
{
	for (const char *w = list; *w;) {
		size_t k = strcspn(w, " ");
		if (strncasecmp(v, w, k) == 0 && strchr("\"/?#", v[k]))
			return 1;
		w += k;
		w += strspn(w, " ");
	}
	return 0;
}

static void check(const char *s)
{
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
		const char *q = p + 1 + (p[1] == '/');
		size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz");
		if (!tag_in(OK_TAGS, q, n))
			abort(); /* a '<' in text is always escaped, so this is a tag */
		const char *end = strchr(q, '>');
		if (!end)
			abort();
		int script = n == 6 && !memcmp(q, "script", 6) && p[1] != '/';
		int img = n == 3 && !memcmp(q, "img", 3);
		int src = 0;
		const char *a = q + n, *name;
		while ((name = attr_next(&a, &end))) {
			if (strncasecmp(name, "on", 2) == 0 || strncasecmp(name, "style", 5) == 0 ||
			    strncasecmp(name, "id=", 3) == 0)
				abort();
			if (!strncmp(name, "src=\"", 5)) {
				src = 1;
				if (script && !from(SCRIPTS, name + 5))
					abort();
				if (img && !from(IMAGES, name + 5) &&
				    (name[5] != '/' || name[6] == '/' || name[6] == '\\'))
					abort();
			}
			if (!strncmp(name, "href=\"", 6) && name[6] != '/' &&
			    strncasecmp(name + 6, "http://", 7) != 0 &&
			    strncasecmp(name + 6, "https://", 8) != 0)
				abort();
		}
		if ((script || img) && !src)
			abort();
		if (script && strncmp(end, "></script>", 10) != 0)
			abort(); /* no inline body */
		p = end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 16)
		return 0;
	int n = data[0] % 8;
	const char *html = (const char *)data + 1;
	size--;
	if (slot_paragraph_end(html, size, n) > size)
		abort();
	/* a slot arrives through a form, which refuses invalid UTF-8 and NUL
	 * (http/form.c); libxml2 reads other bytes as Latin-1, so a second
	 * pass would differ */
	if (!utf8_valid(html, size) || memchr(html, 0, size))
		return 0;
	struct buf out, again;
	char err[300];
	buf_init(&out, 1 << 22);
	buf_init(&again, 1 << 22);
	if (sanitize_slot(html, size, SCRIPTS, IMAGES, &out, err, sizeof err) == 0) {
		check(buf_str(&out));
		if (sanitize_slot(buf_str(&out), out.len, SCRIPTS, IMAGES, &again, err, sizeof err) != 0)
			abort();
		check(buf_str(&again));
		if (slot_paragraph_end(buf_str(&out), out.len, n) > out.len)
			abort();
	}
	buf_release(&out);
	buf_release(&again);
	return 0;
}
