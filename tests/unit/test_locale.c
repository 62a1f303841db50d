/*
 * Unit tests for src/util/locale.c and the words it hands the template
 * engine and the dates: layers over English (a site's single override, a
 * language's file, a key only English has), the primary subtag's file for
 * a longer tag, counts, refused files and tags; {{t.key}} through
 * tpl_set_strings (escaped, hidden by a context key, in tpl_reach_hash);
 * date_human with the shipped Urdu and Azerbaijani month names; a staff
 * comment's badge in the site's words.
 */
#include "../../src/comments/comment_reply.h"
#include "../../src/render/template.h"
#include "../../src/util/date.h"
#include "../../src/util/locale.h"
#include "../../src/util/pool.h"
#include "../../src/util/tz.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_layers(void)
{
	char p1[128], p2[128], err[300] = "";
	snprintf(p1, sizeof p1, "%s/def/locale", tmp);
	snprintf(p2, sizeof p2, "%s/site/locale", tmp);
	mkdir(p1, 0700), mkdir(p2, 0700);
	put("def/locale/en.conf", "# English\nhello = Hello\nbye = Goodbye\nonly_en = English only\n"
				  "month_7 = July\nn_one = {n} story\nn_other = {n} stories\n");
	put("def/locale/ur.conf", "hello = سلام\nbye = خدا حافظ\nmonth_7 = جولائی\n");
	put("site/locale/en.conf", "bye = See you\nonly_en = Site English\n");
	put("site/locale/ur.conf", "hello = آداب\n");
	snprintf(p1, sizeof p1, "%s/def", tmp);
	snprintf(p2, sizeof p2, "%s/site", tmp);
	struct locale l;
	CHECK(locale_load(&l, "ur-PK", p2, p1, err, sizeof err) == 0);
	CHECK_STR(l.file_lang, "ur");                  /* the primary subtag's file */
	CHECK_STR(locale_get(&l, "hello"), "آداب");     /* the site's Urdu over ours */
	CHECK_STR(locale_get(&l, "bye"), "خدا حافظ");   /* our Urdu over the site's English */
	CHECK_STR(locale_get(&l, "only_en"), "Site English"); /* fallback: English */
	CHECK(locale_get(&l, "nope") == NULL);
	CHECK_STR(l.month[6], "جولائی");
	CHECK_STR(l.month[0], "January");             /* a month no layer names */
	CHECK_STR(l.day[0], "Sunday");
	struct pool *p = pool_new();
	CHECK_STR(locale_count(&l, p, "n", 1), "1 story");
	CHECK_STR(locale_count(&l, p, "n", 0), "0 stories"); /* no n_zero: other */
	CHECK_STR(locale_count(&l, p, "n", 12), "12 stories");
	CHECK_STR(locale_fill(p, "more than {n} results", "1,000"), "more than 1,000 results");
	locale_release(&l);
	CHECK(locale_load(&l, "fr", p2, p1, err, sizeof err) == 0); /* no file: English */
	CHECK_STR(l.file_lang, "");
	CHECK_STR(locale_get(&l, "hello"), "Hello");
	locale_release(&l);
	put("site/locale/ur.conf", "hello world\n");
	CHECK(locale_load(&l, "ur", p2, p1, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "site/locale/ur.conf:1: expected key = value");
	put("site/locale/ur.conf", "Hello = x\n");
	CHECK(locale_load(&l, "ur", p2, p1, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "ur.conf:1: a key is lowercase");
	put("site/locale/ur.conf", "# ok\nhello = \xff\xfe\n");
	CHECK(locale_load(&l, "ur", p2, p1, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "ur.conf:2: the value is not valid UTF-8");
	CHECK(locale_load(&l, "ur", p2, tmp, err, sizeof err) == -1); /* a theme without en.conf */
	CHECK_CONTAINS(err, "locale/en.conf: missing");
	pool_free(p);
}

static void test_tags(void)
{
	static const char *const good[] = { "en", "ur", "az", "az-Latn", "pt-BR", "zh-Hant-TW", "ast" };
	static const char *const bad[] = { "", "e", "english", "en_GB", "../x", "en-", "-en",
					   "ur PK", "az-Latn-AZ-xxxxxxx", "12", "en-toolongsub" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		CHECK(locale_tag_ok(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (locale_tag_ok(bad[i])) {
			fprintf(stderr, "accepted \"%s\"\n", bad[i]);
			CHECK(!"a bad tag accepted");
		}
}

static void test_template_strings(void)
{
	struct tpl_set *set = tpl_set_new();
	char err[200];
	const char *keys[] = { "by", "amp" }, *vals[] = { "از", "<b>&" };
	CHECK(tpl_set_add_string(set, "x", "{{t.by}} {{name}} {{t.amp}}{{#t.by}}!{{/t.by}}{{t.none}}",
				 err, sizeof err) == 0);
	unsigned long long before = tpl_reach_hash(set, "x");
	CHECK(tpl_set_strings(set, "t", keys, vals, 2) == 0);
	CHECK(tpl_reach_hash(set, "x") != before); /* a stored render with other words is stale */
	struct pool *p = pool_new();
	struct tv *ctx = tv_obj(p);
	tv_put_str(ctx, "name", "Amira");
	struct buf b;
	buf_init(&b, 0);
	CHECK(tpl_render(set, "x", ctx, &b) == 0);
	CHECK_STR(buf_str(&b), "از Amira &lt;b&gt;&amp;!");
	buf_reset(&b);
	struct tv *mine = tv_obj(p); /* a context's own "t" comes first */
	tv_put_str(mine, "by", "mine");
	tv_put(ctx, "t", mine);
	CHECK(tpl_render(set, "x", ctx, &b) == 0);
	CHECK_STR(buf_str(&b), "mine Amira !");
	buf_release(&b);
	pool_free(p);
	tpl_set_free(set);
}

/* The shipped locales' months through date_human, as a site sets them. */
static void test_shipped_months(void)
{
	char err[300];
	struct locale ur, az;
	CHECK(locale_load(&ur, "ur", NULL, "themes/default", err, sizeof err) == 0);
	CHECK(locale_load(&az, "az", NULL, "themes/default", err, sizeof err) == 0);
	struct pool *p = pool_new();
	struct tz z;
	CHECK(tz_load(&z, "Asia/Karachi", NULL, err, sizeof err) == 0);
	z.months = ur.month;
	CHECK_STR(date_human(p, 1720171800, &z), "5 جولائی 2024");
	CHECK_STR(date_human_time(p, 1720171800, &z), "5 جولائی 2024, 14:30");
	z.months = az.month;
	CHECK_STR(date_human(p, 1706000000, &z), "23 yanvar 2024");
	z.months = NULL;
	CHECK_STR(date_human(p, 1706000000, &z), "23 January 2024");
	CHECK_STR(az.day[3], "çərşənbə");
	tz_release(&z);
	pool_free(p);
	locale_release(&ur);
	locale_release(&az);
}

static void test_badges(void)
{
	char err[300];
	struct locale ur;
	CHECK(locale_load(&ur, "ur", NULL, "themes/default", err, sizeof err) == 0);
	CHECK_STR(comment_badge(&ur, "editor", 0), "مدیر");
	CHECK_STR(comment_badge(&ur, "author", 1), "اس خبر کے مصنف");
	CHECK_STR(comment_badge(&ur, "nobody-knows", 0), "عملہ");
	CHECK_STR(comment_badge(NULL, "editor", 0), "Editor");
	CHECK(comment_badge(&ur, "", 0) == NULL); /* a reader's comment */
	locale_release(&ur);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/gz-locale-XXXXXX");
	if (!mkdtemp(tmp))
		return 2;
	char d[128];
	snprintf(d, sizeof d, "%s/def", tmp), mkdir(d, 0700);
	snprintf(d, sizeof d, "%s/site", tmp), mkdir(d, 0700);
	RUN(test_layers);
	RUN(test_tags);
	RUN(test_template_strings);
	RUN(test_shipped_months);
	RUN(test_badges);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		return 2;
	return T_DONE();
}
