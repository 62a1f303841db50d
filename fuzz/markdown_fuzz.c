/*
 * markdown_fuzz: libFuzzer target for src/content/markdown.c.
 *
 * Beyond "no crash": every rendering must be well-formed enough that no
 * script can hide in it. The checks are the module's promises: no raw tag
 * from the input survives (every '<' we emit starts one of our own tags),
 * no live href/src carries a scheme outside http, https and mailto, an
 * embed facade's player is https, and the text rendering contains no
 * markup of ours.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -Isrc fuzz/markdown_fuzz.c src/content/markdown.c src/content/embed.c src/util/buf.c \
 *     src/render/escape.c $(pkg-config --cflags --libs md4c) \
 *     -o markdown_fuzz && ./markdown_fuzz fuzz/corpus/markdown
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/content/markdown.h"

static const char *const TAGS[] = {
	"p>", "/p>", "em>", "/em>", "strong>", "/strong>", "code>", "/code>",
	"code class=\"", "del>", "/del>", "h2>", "h3>", "h4>", "h5>", "h6>",
	"/h2>", "/h3>", "/h4>", "/h5>", "/h6>", "ul>", "/ul>", "ol>",
	"ol start=\"", "/ol>", "li>", "/li>", "blockquote>", "/blockquote>",
	"hr>", "br>", "pre>", "/pre>", "a href=\"", "/a>", "img src=\"",
	"table>", "/table>", "thead>", "/thead>", "tbody>", "/tbody>", "tr>",
	"/tr>", "th>", "th align=\"", "/th>", "td>", "td align=\"", "/td>",
	/* an embed facade (content/embed.h) */
	"figure class=\"embed embed-", "/figure>", "a class=\"embed-card\" href=\"",
	"span class=\"embed-", "/span>", "figcaption class=\"embed-consent\" hidden>",
	"/figcaption>", "button type=\"button\" class=\"embed-load\">", "/button>",
	/* a library picture without a resolver: its alt text (markdown.h) */
	"span class=\"media-missing\">",
};

#define CARD "a class=\"embed-card\" href=\""
#define FACADE_SRC " data-embed-src=\"https://"

static int known_tag(const char *s)
{
	for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++)
		if (strncmp(s, TAGS[i], strlen(TAGS[i])) == 0)
			return 1;
	return 0;
}

/* The value of an href/src must not open with a dangerous scheme. We
 * percent-encode controls and spaces, so a plain prefix test suffices. */
static void check_url(const char *v)
{
	static const char *const bad[] = { "javascript:", "vbscript:",
					   "data:", "file:" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strncasecmp(v, bad[i], strlen(bad[i])) == 0)
			abort();
}

/* Inside one of our tags, every attribute value must end where we ended
 * it: the quote is followed by '>' or by the space before our next
 * attribute. Escaping makes a raw '"', '<' or '>' in a value impossible. */
static void check_attrs(const char *p)
{
	const char *end = strchr(p, '>');

	if (!end)
		abort();
	for (const char *q = p; (q = memchr(q, '"', (size_t)(end - q)));) {
		const char *close = strchr(q + 1, '"');
		if (!close || (close[1] != '>' && close[1] != ' ') ||
		    memchr(q + 1, '<', (size_t)(close - q - 1)))
			abort();
		q = close + 1;
		end = strchr(q, '>');
		if (!end)
			abort();
	}
}

static void check_html(const char *h)
{
	for (const char *p = h; (p = strchr(p, '<')); p++) {
		if (!known_tag(p + 1))
			abort();
		check_attrs(p + 1);
		if (strncmp(p + 1, "a href=\"", 8) == 0)
			check_url(p + 9);
		else if (strncmp(p + 1, "img src=\"", 9) == 0)
			check_url(p + 10);
		else if (strncmp(p + 1, CARD, sizeof CARD - 1) == 0)
			check_url(p + sizeof CARD);
		else if (strncmp(p + 1, "figure ", 7) == 0 &&
			 !memmem(p, (size_t)(strchr(p, '>') - p), FACADE_SRC, sizeof FACADE_SRC - 1))
			abort(); /* a facade's player is only ever https */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;

	buf_init(&b, 0);
	if (markdown_to_html((const char *)data, size, &b) == 0) {
		if (memchr(buf_str(&b), '\0', b.len))
			abort(); /* NUL bytes never reach a page */
		check_html(buf_str(&b));
	}
	buf_release(&b);

	buf_init(&b, 0);
	if (markdown_to_text((const char *)data, size, &b) == 0 &&
	    memchr(buf_str(&b), '\0', b.len))
		abort();
	buf_release(&b);
	return 0;
}
