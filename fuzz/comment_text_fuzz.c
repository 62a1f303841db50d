/*
 * comment_text_fuzz: libFuzzer target for comment_text_html.
 *
 * The oracle is the module's promise that the only markup in its output is
 * its own: every '<' must open <p>, </p>, <br>, </a> or a link of the exact
 * shape <a href="http(s)://..." rel="nofollow ugc">, whose href holds no raw
 * quote or angle bracket; and valid UTF-8 in means valid UTF-8 out.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -o comment_text_fuzz fuzz/comment_text_fuzz.c \
 *     src/comments/comment_text.c src/util/buf.c src/util/utf8.c \
 *     src/render/escape.c
 *   ./comment_text_fuzz -dict=fuzz/comment_text.dict \
 *     fuzz/corpus/comment_text
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/comments/comment_text.h"
#include "../src/util/utf8.h"

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of a well-formed link opening tag at s, 0 if it is not one. */
static size_t link_tag(const char *s)
{
	static const char open[] = "<a href=\"", close[] = "\" rel=\"nofollow ugc\">";
	const char *href, *end;

	if (!starts(s, open))
		return 0;
	href = s + strlen(open);
	if (strncasecmp(href, "http://", 7) && strncasecmp(href, "https://", 8))
		return 0;
	end = strchr(href, '"');
	if (!end || !starts(end, close))
		return 0;
	for (const char *c = href; c < end; c++)
		if (*c == '<' || *c == '>' || *c == '\'' || (unsigned char)*c <= ' ')
			return 0;
	return (size_t)(end - s) + strlen(close);
}

static void check_markup(const char *s)
{
	static const char *const tags[] = { "<p>", "</p>", "<br>", "</a>" };

	while ((s = strchr(s, '<'))) {
		size_t n = link_tag(s);
		for (size_t i = 0; !n && i < sizeof(tags) / sizeof(tags[0]); i++)
			if (starts(s, tags[i]))
				n = strlen(tags[i]);
		if (!n)
			abort();
		s += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct buf out = BUF_INIT;

	memcpy(text, data, size);
	text[size] = '\0';
	comment_text_html(&out, text);
	if (out.err)
		abort();
	check_markup(buf_str(&out));
	if (utf8_valid(text, strlen(text)) && !utf8_valid(buf_str(&out), out.len))
		abort();
	buf_release(&out);
	free(text);
	return 0;
}
