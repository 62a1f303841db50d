/*
 * Unit tests for src/feeds/feed.c: each format is well-formed (libxml2
 * parses the XML ones) whatever the entries hold, dates are RFC 822 / ISO,
 * and the segment names map to formats.
 */
#include "../../src/feeds/feed.h"
#include "../../src/util/tz.h"
#include "t.h"

#include <libxml/parser.h>

static const char *const cats[] = { "A & B", "<tag>" };

static struct feed sample(enum feed_format fmt, struct feed_entry *e)
{
	memset(e, 0, sizeof *e);
	e->url = "http://127.0.0.1:8080/2024/07/05/x?a=1&b=2";
	e->title = "Ties & \"bonds\" <script>alert(1)</script>";
	e->summary = "It's < 5 \x01 ]]> done";
	e->content_html = "<p>Body &amp; more</p>";
	e->author = "Amira </author>";
	e->published = 1720171800; /* 2024-07-05T09:30:00Z */
	e->updated = 1720175400;
	e->categories = cats;
	e->ncategories = 2;
	e->image.url = "http://127.0.0.1:8080/media/a.jpg";
	e->image.type = "image/jpeg";
	e->image.length = 1234;
	e->comments_url = "http://127.0.0.1:8080/x#comments";
	struct feed f = { .format = fmt, .title = "The <Gazette>", .description = "News & views",
			  .lang = "en", .home_url = "http://127.0.0.1:8080/",
			  .self_url = "http://127.0.0.1:8080/feed", .updated = 1720175400,
			  .entries = e, .n = 1 };
	return f;
}

static int xml_ok(const struct buf *b)
{
	xmlDocPtr d = xmlReadMemory(b->s, (int)b->len, "feed.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d)
		return 0;
	xmlFreeDoc(d);
	return 1;
}

static void test_rss(void)
{
	struct feed_entry e;
	struct feed f = sample(FEED_RSS, &e);
	struct buf b = BUF_INIT;
	feed_write(&b, &f);
	CHECK(xml_ok(&b));
	CHECK_CONTAINS(buf_str(&b), "<pubDate>Fri, 05 Jul 2024 09:30:00 GMT</pubDate>");
	CHECK_CONTAINS(buf_str(&b), "<content:encoded>&lt;p&gt;Body &amp;amp; more&lt;/p&gt;</content:encoded>");
	CHECK_CONTAINS(buf_str(&b), "<category>A &amp; B</category>");
	CHECK_CONTAINS(buf_str(&b), "<enclosure url=\"http://127.0.0.1:8080/media/a.jpg\" length=\"1234\" type=\"image/jpeg\"/>");
	CHECK_CONTAINS(buf_str(&b), "<dc:creator>Amira &lt;/author&gt;</dc:creator>");
	CHECK(!strstr(buf_str(&b), "<script>"));
	buf_release(&b);
}

static void test_atom(void)
{
	struct feed_entry e;
	struct feed f = sample(FEED_ATOM, &e);
	struct buf b = BUF_INIT;
	feed_write(&b, &f);
	CHECK(xml_ok(&b));
	CHECK_CONTAINS(buf_str(&b), "<published>2024-07-05T09:30:00Z</published>");
	CHECK_CONTAINS(buf_str(&b), "<updated>2024-07-05T10:30:00Z</updated>");
	CHECK_CONTAINS(buf_str(&b), "<content type=\"html\">&lt;p&gt;");
	CHECK_CONTAINS(buf_str(&b), "rel=\"enclosure\" type=\"image/jpeg\" length=\"1234\"");
	buf_release(&b);
}

static void test_json(void)
{
	struct feed_entry e;
	struct feed f = sample(FEED_JSON, &e);
	struct buf b = BUF_INIT;
	feed_write(&b, &f);
	CHECK_CONTAINS(buf_str(&b), "{\"version\":\"https://jsonfeed.org/version/1.1\"");
	CHECK_CONTAINS(buf_str(&b), "\"title\":\"Ties \\u0026 \\\"bonds\\\" \\u003cscript\\u003e");
	CHECK_CONTAINS(buf_str(&b), "\"date_published\":\"2024-07-05T09:30:00Z\"");
	CHECK_CONTAINS(buf_str(&b), "\"size_in_bytes\":1234");
	CHECK(!strchr(buf_str(&b), '\x01'));
	buf_release(&b);
}

static void test_names(void)
{
	enum feed_format f;
	CHECK(feed_format_parse("feed", &f) == 0 && f == FEED_RSS);
	CHECK(feed_format_parse("feed.atom", &f) == 0 && f == FEED_ATOM);
	CHECK(feed_format_parse("feed.json", &f) == 0 && f == FEED_JSON);
	CHECK(feed_format_parse("feed.rss", &f) == -1);
	CHECK(feed_format_parse(NULL, &f) == -1);
	for (int i = 0; i < FEED__MAX; i++)
		CHECK(feed_format_parse(feed_segment((enum feed_format)i), &f) == 0 && (int)f == i);
	char d[40];
	feed_date_http(d, sizeof d, 0);
	CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 GMT");
}

/* A site in a zone: every format's dates carry its offset (2 h in July). */
static void test_zone(void)
{
	struct tz z;
	char err[200];
	CHECK(tz_load(&z, "Europe/Berlin", NULL, err, sizeof err) == 0);
	static const char *const want[FEED__MAX][2] = {
		{ "<pubDate>Fri, 05 Jul 2024 11:30:00 +0200</pubDate>",
		  "<lastBuildDate>Fri, 05 Jul 2024 12:30:00 +0200</lastBuildDate>" },
		{ "<published>2024-07-05T11:30:00+02:00</published>",
		  "<updated>2024-07-05T12:30:00+02:00</updated>" },
		{ "\"date_published\":\"2024-07-05T11:30:00+02:00\"",
		  "\"date_modified\":\"2024-07-05T12:30:00+02:00\"" },
	};
	for (int fmt = 0; fmt < FEED__MAX; fmt++) {
		struct feed_entry e;
		struct feed f = sample((enum feed_format)fmt, &e);
		f.zone = &z;
		struct buf b = BUF_INIT;
		feed_write(&b, &f);
		CHECK(fmt == FEED_JSON || xml_ok(&b));
		CHECK_CONTAINS(buf_str(&b), want[fmt][0]);
		CHECK_CONTAINS(buf_str(&b), want[fmt][1]);
		buf_release(&b);
	}
	tz_release(&z);
}

int main(void)
{
	RUN(test_zone);
	RUN(test_rss);
	RUN(test_atom);
	RUN(test_json);
	RUN(test_names);
	return T_DONE();
}
