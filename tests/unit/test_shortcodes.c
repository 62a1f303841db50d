/* Unit tests for src/import/shortcodes.c. */
#include "t.h"
#include "../../src/import/shortcodes.h"

#include <stdlib.h>

static int lookups, unknowns;

static int attachment(void *arg, const char *id, struct sc_attachment *out)
{
	(void)arg;
	lookups++;
	if (strcmp(id, "5") == 0) {
		*out = (struct sc_attachment){ "https://x.example/a.jpg", "Cap <b>5</b>", "Alt \"5\"" };
		return 0;
	}
	return -1;
}

static void unknown(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "contact-form") == 0)
		unknowns++;
}

static const struct sc_ctx ctx = { NULL, attachment, unknown, NULL, NULL, NULL };

/* Hooks that write what they were given, as the importer's do. */
static int hook_caption(void *arg, struct buf *out, const char *img, const char *caption)
{
	(void)arg;
	buf_printf(out, "CAPTION{%s|%s}", img ? img : "(none)", caption);
	return 0;
}

static int hook_gallery(void *arg, struct buf *out, const char *ids)
{
	(void)arg;
	if (ids && strcmp(ids, "7") == 0)
		return -1; /* not found: the default HTML */
	buf_printf(out, "GALLERY{%s}", ids ? ids : "(children)");
	return 0;
}

static int hook_player(void *arg, struct buf *out, int video, const char *src)
{
	(void)arg;
	buf_printf(out, "%s{%s}", video ? "VIDEO" : "AUDIO", src);
	return 0;
}

static const struct sc_ctx hooks = { NULL, attachment, unknown, hook_caption, hook_gallery,
				     hook_player };

static void check_hooks(const char *in, const char *want)
{
	struct buf b;
	buf_init(&b, 0);
	CHECK(shortcodes_expand(in, &b, &hooks) == 0);
	CHECK_STR(buf_str(&b), want);
	buf_release(&b);
}

/* The importer's hooks get the image tag and the caption's HTML, the ids
 * (none: the post's own attachments) and the file of a player, whichever
 * attribute or positional URL names it. */
static void test_hooks(void)
{
	check_hooks("<p>[caption id=\"attachment_5\" align=\"alignnone\" width=\"300\"]<a href=\"/full.jpg\">"
		    "<img src=\"a.jpg\" alt=\"A\" /></a> The <a href=\"/x\">caption</a>[/caption]</p>",
		    "CAPTION{<img src=\"a.jpg\" alt=\"A\" />| The <a href=\"/x\">caption</a>}");
	check_hooks("[gallery columns=\"2\" size=\"thumbnail\" link=\"file\"]", "GALLERY{(children)}");
	check_hooks("[gallery ids=\"9,5\" columns=\"4\"]", "GALLERY{9,5}");
	lookups = 0;
	check_hooks("[gallery ids=\"7\"]", "<figure class=\"gallery\"></figure>");
	check_hooks("[audio https://old.example/wp-content/uploads/a.mp3]",
		    "AUDIO{https://old.example/wp-content/uploads/a.mp3}");
	check_hooks("[audio mp3=\"a.mp3\" ogg=\"a.ogg\"][/audio]", "AUDIO{a.mp3}");
	check_hooks("[video webm=\"v.webm\" width=\"640\"][/video]", "VIDEO{v.webm}");
	check_hooks("[video src=\"v.mp4\" mp4=\"w.mp4\"]", "VIDEO{v.mp4}");
}

static void check(const char *in, const char *want)
{
	struct buf b;
	buf_init(&b, 0);
	CHECK(shortcodes_expand(in, &b, &ctx) == 0);
	CHECK_STR(buf_str(&b), want);
	buf_release(&b);
}

/* Found by wxr_fuzz: an attribute "key=" with nothing after it read past
 * the end of the attribute text (ASan heap-buffer-overflow). */
static void test_key_equals_at_end(void)
{
	struct buf b;
	buf_init(&b, 0);
	CHECK(shortcodes_expand("[caption align=]<img src=\"a.jpg\"> Cap[/caption]", &b, &ctx) == 0);
	CHECK(strstr(buf_str(&b), "<figure") != NULL);
	buf_reset(&b);
	CHECK(shortcodes_expand("[audio src=]", &b, &ctx) == 0);
	buf_release(&b);
}

static void test_caption(void)
{
	check("<p>[caption id=\"attachment_5\" align=\"alignright\" width=\"300\"]<img src=\"a.jpg\" /> The caption[/caption]</p>",
	      "<figure class=\"wp-caption alignright\"><img src=\"a.jpg\" /><figcaption class=\"wp-caption-text\">The caption</figcaption></figure>");
	check("[caption caption=\"Attr cap\"]<a href=\"/x\"><img src=\"a.jpg\"></a>[/caption]",
	      "<figure class=\"wp-caption\"><a href=\"/x\"><img src=\"a.jpg\"></a><figcaption class=\"wp-caption-text\">Attr cap</figcaption></figure>");
}

static void test_gallery(void)
{
	lookups = 0;
	check("[gallery ids=\"5, 9\"]",
	      "<figure class=\"gallery\"><figure class=\"gallery-item\"><img src=\"https://x.example/a.jpg\""
	      " alt=\"Alt &quot;5&quot;\"><figcaption>Cap &lt;b&gt;5&lt;/b&gt;</figcaption></figure></figure>");
	CHECK(lookups == 2);
}

static void test_embed_media(void)
{
	/* a link alone: the sanitizer makes it the facade (test_sanitize.c) */
	check("[embed] https://youtu.be/abc_D-1 [/embed]",
	      "<p><a href=\"https://youtu.be/abc_D-1\">https://youtu.be/abc_D-1</a></p>");
	check("[embed]https://example.com/page[/embed]",
	      "<p><a href=\"https://example.com/page\">https://example.com/page</a></p>");
	/* without a player hook: a link to the file */
	check("[audio mp3=\"a.mp3\"]", "<p><a href=\"a.mp3\">a.mp3</a></p>");
	check("[video src='v.mp4' width=640 poster=\"p.jpg\"][/video]",
	      "<p><a href=\"v.mp4\">v.mp4</a></p>");
}

static void test_unknown_and_literal(void)
{
	unknowns = 0;
	check("a [contact-form id=1] b [1] c", "a [contact-form id=1] b [1] c");
	CHECK(unknowns == 1);
	check("[[caption]] stays", "[caption] stays");
	check("[caption unclosed", "[caption unclosed");
	check("x]] [ [/caption]", "x]] [ [/caption]");
}

static void test_attr_escaping(void)
{
	check("[audio src='\"><script>x</script>']",
	      "<p><a href=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&quot;&gt;&lt;script&gt;x&lt;/script&gt;</a></p>");
}

int main(void)
{
	RUN(test_caption);
	RUN(test_gallery);
	RUN(test_embed_media);
	RUN(test_unknown_and_literal);
	RUN(test_attr_escaping);
	RUN(test_hooks);
	RUN(test_key_equals_at_end);
	return T_DONE();
}
