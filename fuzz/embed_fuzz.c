/*
 * embed_fuzz: libFuzzer target for src/content/embed.c, the embed URL
 * matcher (docs/embeds.md).
 *
 * On every input: embed_match never reads past n and, when it matches, the
 * src it built starts with its provider's frame host and a '/', holds only
 * URL bytes (no quote, angle bracket, backslash, blank or control), and
 * fits EMBED_SRC_MAX. The facade of a match carries no iframe or script,
 * comes back unchanged through embed_html_filter with every provider on,
 * and loses its data-embed-src with every provider off (a URL cannot
 * hold the quote that attribute needs). The filter itself is also run
 * over the raw input (stored HTML is ours, but it must be total anyway).
 *
 *   make fuzz-build && build-fuzz/embed_fuzz fuzz/corpus/embed
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/content/embed.h"

static void check_src(const struct embed_match *m)
{
	const char *host = m->provider->frame_host;
	size_t hn = strlen(host), n = strlen(m->src);
	if (n >= EMBED_SRC_MAX || strncmp(m->src, host, hn) != 0 || m->src[hn] != '/')
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)m->src[i];
		if (c <= 0x20 || c >= 0x7F || strchr("\"'<>\\`", c))
			abort();
	}
	if (&embed_providers[m->index] != m->provider)
		abort();
}

static void check_facade(const struct embed_match *m, const char *url)
{
	struct buf f, all, none;
	buf_init(&f, 0);
	buf_init(&all, 0);
	buf_init(&none, 0);
	embed_facade(&f, m, url);
	const char *h = buf_str(&f);
	if (f.err || strstr(h, "<iframe") || strstr(h, "<script") || !strstr(h, EMBED_MARK))
		abort();
	embed_html_filter(h, EMBED_ALL, &all);
	embed_html_filter(h, 0, &none);
	if (strcmp(buf_str(&all), h) != 0 || strstr(buf_str(&none), EMBED_MARK) ||
	    strncmp(buf_str(&none), "<p><a href=\"", 12) != 0)
		abort();
	buf_release(&f);
	buf_release(&all);
	buf_release(&none);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan catches a read past n */
	char *url = malloc(size ? size : 1);
	struct embed_match *m = malloc(sizeof *m);
	if (!url || !m) {
		free(url);
		free(m);
		return 0;
	}
	memcpy(url, data, size);
	if (embed_match(url, size, m)) {
		char *z = malloc(size + 1);
		if (z) {
			memcpy(z, data, size);
			z[size] = '\0';
			check_src(m);
			check_facade(m, z);
			free(z);
		}
	}
	char *html = malloc(size + 1);
	if (html) {
		memcpy(html, data, size);
		html[size] = '\0';
		struct buf out;
		buf_init(&out, 0);
		embed_html_filter(html, 0, &out);
		embed_html_filter(html, 1, &out);
		buf_release(&out);
		free(html);
	}
	free(url);
	free(m);
	return 0;
}
