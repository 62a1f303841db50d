/*
 * test_template: the theme template engine. Most cases render one template
 * string against one fixed context and compare the exact output.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/render/template.h"
#include "../../src/util/fileio.h"
#include "t.h"

struct tcase {
	const char *tpl;
	const char *want;
};

/* The context every table case renders against. */
static struct tv *ctx_make(struct pool *p)
{
	struct tv *c = tv_obj(p), *author = tv_obj(p), *site = tv_obj(p);
	struct tv *tags = tv_list(p), *posts = tv_list(p);
	struct tv *p1 = tv_obj(p), *p2 = tv_obj(p), *a2 = tv_obj(p);

	tv_put_str(c, "title", "<b>Tom & \"Jerry\"'s</b>");
	tv_put_html(c, "body", "<p>Hi & <em>bye</em></p>");
	tv_put_int(c, "n", 42);
	tv_put_int(c, "neg", -7);
	tv_put_int(c, "zero", 0);
	tv_put_bool(c, "yes", 1);
	tv_put_bool(c, "no", 0);
	tv_put_str(c, "empty", "");
	tv_put_str(c, "unset", NULL);
	tv_put_str(c, "k", "first");
	tv_put_str(c, "k", "second");
	tv_append(tags, tv_str(p, "a"));
	tv_append(tags, tv_str(p, "<b>"));
	tv_append(tags, tv_str(p, "c"));
	tv_put(c, "tags", tags);
	tv_put(c, "none", tv_list(p));
	tv_put_str(site, "url", "https://x/?a=1&b=2");
	tv_put_str(author, "name", "Ann");
	tv_put(author, "site", site);
	tv_put(c, "author", author);
	tv_put_str(p1, "title", "P1");
	tv_put_str(p2, "title", "P2");
	tv_put_int(p2, "n", 5);
	tv_put_str(a2, "nick", "z");
	tv_put(p2, "author", a2); /* shadows the outer author, has no name */
	tv_append(posts, p1);
	tv_append(posts, p2);
	tv_put(c, "posts", posts);
	return c;
}

/* Render text as template "t"; the result lives in pool p. */
static const char *render_text(struct pool *p, const char *text,
			       const struct tv *ctx)
{
	char err[256];
	struct buf out = BUF_INIT;
	struct tpl_set *set = tpl_set_new();
	const char *res;

	if (tpl_set_add_string(set, "t", text, err, sizeof(err)) != 0)
		res = pool_printf(p, "<parse error: %s>", err);
	else if (tpl_render(set, "t", ctx, &out) != 0)
		res = "<render error>";
	else
		res = pool_strdup(p, buf_str(&out));
	buf_release(&out);
	tpl_set_free(set);
	return res;
}

static void run_cases(const struct tcase *tc, size_t n)
{
	struct pool *p = pool_new();
	struct tv *ctx = ctx_make(p);
	for (size_t i = 0; i < n; i++) {
		const char *got = render_text(p, tc[i].tpl, ctx);
		if (strcmp(got, tc[i].want) != 0)
			fprintf(stderr, "  case %zu: %s\n", i, tc[i].tpl);
		CHECK_STR(got, tc[i].want);
	}
	pool_free(p);
}

static void test_variables(void)
{
	static const struct tcase tc[] = {
		{ "{{title}}",
		  "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&#39;s&lt;/b&gt;" },
		{ "<a title='{{title}}'>",
		  "<a title='&lt;b&gt;Tom &amp; &quot;Jerry&quot;&#39;s&lt;/b&gt;'>" },
		{ "{{body}}", "<p>Hi & <em>bye</em></p>" },
		{ "[{{ title }}]",
		  "[&lt;b&gt;Tom &amp; &quot;Jerry&quot;&#39;s&lt;/b&gt;]" },
		{ "{{author.name}}", "Ann" },
		{ "{{ author.site.url }}", "https://x/?a=1&amp;b=2" },
		{ "[{{author.missing.url}}]", "[]" },
		{ "[{{missing}}]", "[]" },
		{ "[{{unset}}]", "[]" },
		{ "{{k}}", "second" },
		{ "{{n}}|{{neg}}|{{zero}}", "42|-7|0" },
		{ "[{{yes}}{{no}}{{author}}{{tags}}{{empty}}]", "[]" },
		{ "a {{! a comment }} b", "a  b" },
		{ "{{!multi\nline}}x", "x" },
		{ "no tags } { }}", "no tags } { }}" },
		{ "", "" },
	};
	run_cases(tc, sizeof(tc) / sizeof(tc[0]));
}

static void test_sections(void)
{
	static const struct tcase tc[] = {
		{ "{{#tags}}[{{.}}]{{/tags}}", "[a][&lt;b&gt;][c]" },
		{ "[{{#none}}x{{/none}}]", "[]" },
		{ "{{^none}}empty{{/none}}", "empty" },
		{ "[{{^tags}}x{{/tags}}]", "[]" },
		{ "{{#author}}{{name}}{{/author}}", "Ann" },
		{ "[{{^author}}x{{/author}}]", "[]" },
		{ "{{#author.site}}{{url}}{{/author.site}}",
		  "https://x/?a=1&amp;b=2" },
		{ "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", "Y" },
		{ "{{^no}}N{{/no}}{{^yes}}Y{{/yes}}", "N" },
		{ "{{#title}}T{{/title}}{{#empty}}E{{/empty}}", "T" },
		{ "{{^empty}}E{{/empty}}{{^title}}T{{/title}}", "E" },
		{ "{{#n}}{{n}}{{/n}}{{#zero}}Z{{/zero}}{{^zero}}z{{/zero}}",
		  "42z" },
		{ "{{#missing}}M{{/missing}}{{^missing}}m{{/missing}}", "m" },
		{ "{{#body}}B{{/body}}", "B" },
		{ "{{#tags}}{{#yes}}{{.}}{{/yes}}{{/tags}}", "a&lt;b&gt;c" },
	};
	run_cases(tc, sizeof(tc) / sizeof(tc[0]));
}

/* Lookup walks the stack outward; a dotted name descends only from where
 * its first part was found. */
static void test_context_stack(void)
{
	static const struct tcase tc[] = {
		{ "{{#posts}}{{title}}:{{n}};{{/posts}}", "P1:42;P2:5;" },
		{ "{{#author}}{{n}}{{/author}}", "42" },
		{ "{{#posts}}[{{author.name}}]{{/posts}}", "[Ann][]" },
		{ "{{#posts}}{{#author}}{{name}}/{{title}};{{/author}}{{/posts}}",
		  "Ann/P1;/P2;" },
		{ "{{#posts}}{{#tags}}{{title}}{{.}} {{/tags}}{{/posts}}",
		  "P1a P1&lt;b&gt; P1c P2a P2&lt;b&gt; P2c " },
	};
	run_cases(tc, sizeof(tc) / sizeof(tc[0]));
}

static void test_standalone_lines(void)
{
	static const struct tcase tc[] = {
		{ "<ul>\n  {{#tags}}\n  <li>{{.}}</li>\n  {{/tags}}\n</ul>\n",
		  "<ul>\n  <li>a</li>\n  <li>&lt;b&gt;</li>\n  <li>c</li>\n</ul>\n" },
		{ "a\n{{! c }}\nb", "a\nb" },
		{ "a\n\t{{^no}} \t\nb\n{{/no}}", "a\nb\n" },
		{ "{{#yes}}\r\nx\r\n{{/yes}}\r\n", "x\r\n" },
		{ "{{#yes}}\n{{#yes}}\nx\n{{/yes}}\n{{/yes}}\n", "x\n" },
		{ "  {{#yes}}  x\n{{/yes}}", "    x\n" },
		{ "x{{#yes}}\ny{{/yes}}", "x\ny" },
		{ "{{#yes}}{{/yes}}\nz", "\nz" }, /* two tags: not standalone */
		{ "[{{missing}}]\n{{missing}}\n", "[]\n\n" },
		{ "a\n  {{#yes}}b{{/yes}}  \nc", "a\n  b  \nc" },
	};
	run_cases(tc, sizeof(tc) / sizeof(tc[0]));
}

static struct tpl_set *set_of(const char *const *pairs, size_t n)
{
	char err[256];
	struct tpl_set *set = tpl_set_new();
	for (size_t i = 0; i + 1 < n; i += 2) {
		int rc = tpl_set_add_string(set, pairs[i], pairs[i + 1], err,
					    sizeof(err));
		CHECK(rc == 0);
	}
	return set;
}

static void check_render(const struct tpl_set *set, const char *name,
			 const struct tv *ctx, int want_rc, const char *want)
{
	struct buf out = BUF_INIT;
	CHECK(tpl_render(set, name, ctx, &out) == want_rc);
	if (want)
		CHECK_STR(buf_str(&out), want);
	buf_release(&out);
}

static void test_partials(void)
{
	static const char *const t[] = {
		"item", "<li>{{name}}</li>",
		"list", "<ul>\n  {{>item}}\n</ul>",
		"page", "{{#items}}{{>item}}{{/items}}{{>nosuch}}.",
	};
	struct pool *p = pool_new();
	struct tv *ctx = tv_obj(p), *items = tv_list(p);
	struct tv *a = tv_obj(p), *b = tv_obj(p);
	tv_put_str(a, "name", "x<y");
	tv_put_str(b, "name", "z");
	tv_append(items, a);
	tv_append(items, b);
	tv_put(ctx, "items", items);
	tv_put_str(ctx, "name", "top");

	struct tpl_set *set = set_of(t, sizeof(t) / sizeof(t[0]));
	check_render(set, "page", ctx, 0, "<li>x&lt;y</li><li>z</li>.");
	check_render(set, "list", ctx, 0, "<ul>\n<li>top</li></ul>");
	check_render(set, "nosuch", ctx, -1, "");
	CHECK(tpl_has(set, "item"));
	CHECK(!tpl_has(set, "nosuch"));
	CHECK(tv_count(items) == 2 && tv_count(ctx) == 2 && !tv_count(NULL));
	/* a partial named before its template exists, then replaced: the
	 * tag follows the set, whatever order templates come in */
	char err[256];
	CHECK(tpl_set_add_string(set, "nosuch", "[{{name}}]", err, sizeof err) == 0);
	check_render(set, "page", ctx, 0, "<li>x&lt;y</li><li>z</li>[top].");
	CHECK(tpl_set_add_string(set, "item", "({{name}})", err, sizeof err) == 0);
	check_render(set, "page", ctx, 0, "(x&lt;y)(z)[top].");
	tpl_set_free(set);
	pool_free(p);
}

static struct tv *comment_new(struct pool *p, const char *who,
			      const char *html)
{
	struct tv *c = tv_obj(p);
	tv_put_str(c, "author", who);
	tv_put_html(c, "body", html);
	/* Every comment has replies, or lookup would find the parent's. */
	tv_put(c, "replies", tv_list(p));
	return c;
}

static void test_recursive_partial(void)
{
	static const char *const t[] = {
		"comment",
		"<div>{{author}}: {{body}}\n"
		"{{#replies}}\n"
		"{{>comment}}\n"
		"{{/replies}}\n"
		"</div>\n",
		"page", "{{#comments}}{{>comment}}{{/comments}}",
	};
	struct pool *p = pool_new();
	struct tv *ctx = tv_obj(p), *top = tv_list(p);
	struct tv *c1 = comment_new(p, "a<1>", "<p>one</p>");
	struct tv *c2 = comment_new(p, "b", "<p>two</p>");
	struct tv *c3 = comment_new(p, "c", "<p>three</p>");
	struct tv *c4 = comment_new(p, "d", "<p>four</p>");
	struct tv *r1 = tv_list(p), *r2 = tv_list(p);
	tv_append(r2, c3);
	tv_put(c2, "replies", r2);
	tv_append(r1, c2);
	tv_put(c1, "replies", r1);
	tv_append(top, c1);
	tv_append(top, c4);
	tv_put(ctx, "comments", top);

	struct tpl_set *set = set_of(t, sizeof(t) / sizeof(t[0]));
	check_render(set, "page", ctx, 0,
		     "<div>a&lt;1&gt;: <p>one</p>\n"
		     "<div>b: <p>two</p>\n"
		     "<div>c: <p>three</p>\n"
		     "</div>\n"
		     "</div>\n"
		     "</div>\n"
		     "<div>d: <p>four</p>\n"
		     "</div>\n");
	tpl_set_free(set);
	pool_free(p);
}

static void test_partial_depth_limit(void)
{
	static const char *const t[] = {
		"loop", "x{{>loop}}",
		"fan", "{{>fan}}{{>fan}}y",
	};
	char want[TPL_MAX_PARTIAL_DEPTH + 2];
	memset(want, 'x', TPL_MAX_PARTIAL_DEPTH + 1);
	want[TPL_MAX_PARTIAL_DEPTH + 1] = '\0';

	struct tpl_set *set = set_of(t, sizeof(t) / sizeof(t[0]));
	/* The top template plus TPL_MAX_PARTIAL_DEPTH nested inclusions. */
	check_render(set, "loop", NULL, 0, want);
	/* 2^32 inclusions: the step budget stops it instead of a hang. */
	check_render(set, "fan", NULL, -1, NULL);
	tpl_set_free(set);
}

static void test_output_limit(void)
{
	struct pool *p = pool_new();
	struct tv *ctx = ctx_make(p);
	struct tpl_set *set = tpl_set_new();
	struct buf out;
	buf_init(&out, 16);
	CHECK(tpl_set_add_string(set, "t", "{{#tags}}0123456789{{/tags}}",
				 NULL, 0) == 0);
	CHECK(tpl_render(set, "t", ctx, &out) == -1);
	CHECK(out.err);
	buf_release(&out);
	tpl_set_free(set);
	pool_free(p);
}

static char *deep_nesting(int n)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < n; i++)
		buf_puts(&b, "{{#a}}\n");
	for (int i = 0; i < n; i++)
		buf_puts(&b, "{{/a}}\n");
	return buf_detach(&b, NULL);
}

static void test_parse_errors(void)
{
	static const struct tcase tc[] = {
		{ "a\n{{#s}}\nb\n", "t:2: section 's' is never closed" },
		{ "{{#a}}\n{{^b}}\n{{/a}}\n",
		  "t:3: '{{/a}}' does not close 'b' (line 2)" },
		{ "x\n\n{{/a}}", "t:3: '{{/a}}' closes no section" },
		{ "a\nb {{name", "t:2: unterminated '{{'" },
		{ "a\nb {{! comment\n", "t:2: unterminated '{{'" },
		{ "\n{{}}", "t:2: empty tag name" },
		{ "\n\n\n{{# }}", "t:4: empty tag name" },
		{ "{{>}}", "t:1: empty tag name" },
		{ "{{a b}}", "t:1: bad tag name 'a b'" },
		{ "{{a..b}}", "t:1: bad tag name 'a..b'" },
		{ "\n{{.a}}", "t:2: bad tag name '.a'" },
		{ "\n\n{{{x}}}",
		  "t:3: '{{{' is not supported: escaping follows the value's type" },
		{ "{{& x}}",
		  "t:1: '{{&' is not supported: escaping follows the value's type" },
		{ "{{=<% %>=}}", "t:1: delimiter change '{{=' is not supported" },
	};
	char err[256];
	struct tpl_set *set = tpl_set_new();
	for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		err[0] = '\0';
		CHECK(tpl_set_add_string(set, "t", tc[i].tpl, err,
					 sizeof(err)) == -1);
		CHECK_STR(err, tc[i].want);
	}
	CHECK(!tpl_has(set, "t"));

	char *ok = deep_nesting(TPL_MAX_NEST), *bad = deep_nesting(TPL_MAX_NEST + 1);
	CHECK(tpl_set_add_string(set, "t", ok, err, sizeof(err)) == 0);
	CHECK(tpl_set_add_string(set, "t", bad, err, sizeof(err)) == -1);
	CHECK_STR(err, "t:65: sections nested deeper than 64");
	/* A failed add leaves the earlier good template in place. */
	CHECK(tpl_has(set, "t"));
	free(ok);
	free(bad);
	tpl_set_free(set);
}

static void file_write(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void dir_remove(const char *dir, const char *const *names, size_t n)
{
	char path[512];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void test_theme_override(void)
{
	char def[] = "/tmp/gz-tpl-def-XXXXXX", site[] = "/tmp/gz-tpl-site-XXXXXX";
	char err[512], missing[600];
	struct tpl_set *set = NULL;
	CHECK(mkdtemp(def) && mkdtemp(site));
	file_write(def, "page.html", "default page {{>footer}}");
	file_write(def, "footer.html", "default footer");
	file_write(def, "README.txt", "{{#not a template");
	file_write(site, "page.html", "site page, {{>footer}}");
	file_write(site, "extra.html", "extra");

	CHECK(tpl_set_load(&set, site, def, err, sizeof(err)) == 0);
	check_render(set, "page", NULL, 0, "site page, default footer");
	check_render(set, "extra", NULL, 0, "extra");
	CHECK(!tpl_has(set, "README"));
	tpl_set_free(set);

	/* Only the default theme: a missing or absent site dir is fine. */
	snprintf(missing, sizeof(missing), "%s/nonexistent", site);
	CHECK(tpl_set_load(&set, missing, def, err, sizeof(err)) == 0);
	check_render(set, "page", NULL, 0, "default page default footer");
	CHECK(!tpl_has(set, "extra"));
	tpl_set_free(set);
	CHECK(tpl_set_load(&set, NULL, def, err, sizeof(err)) == 0);
	tpl_set_free(set);

	/* The default theme must exist. */
	CHECK(tpl_set_load(&set, NULL, missing, err, sizeof(err)) == -1);
	CHECK(set == NULL);
	CHECK_CONTAINS(err, "nonexistent: No such file or directory");

	/* A parse error names the file and line. */
	file_write(site, "broken.html", "ok\n{{#x}}\n");
	CHECK(tpl_set_load(&set, site, def, err, sizeof(err)) == -1);
	CHECK(set == NULL);
	CHECK_CONTAINS(err, "/broken.html:2: section 'x' is never closed");

	static const char *const dn[] = { "page.html", "footer.html", "README.txt" };
	static const char *const sn[] = { "page.html", "extra.html", "broken.html" };
	dir_remove(def, dn, 3);
	dir_remove(site, sn, 3);
}

/* A default theme kept with fileio_keep_dir (a root-started server's,
 * before its chroot) is loaded from the copy once the folder is gone, a
 * folder named x.html in it is no template, and the site's overrides are
 * still read from disk. */
static void test_kept_default_theme(void)
{
	char def[] = "/tmp/gz-tpl-kept-XXXXXX", site[] = "/tmp/gz-tpl-ksite-XXXXXX";
	char err[512] = "", sub[600];
	struct tpl_set *set = NULL;
	CHECK(mkdtemp(def) && mkdtemp(site));
	file_write(def, "page.html", "kept page {{>footer}}");
	file_write(def, "footer.html", "kept footer");
	snprintf(sub, sizeof(sub), "%s/folder.html", def);
	CHECK(mkdir(sub, 0755) == 0);
	CHECK(fileio_keep_dir(def, NULL) == 0);
	static const char *const dn[] = { "page.html", "footer.html", "folder.html" };
	rmdir(sub);
	dir_remove(def, dn, 3);
	file_write(site, "footer.html", "site footer");

	CHECK(tpl_set_load(&set, site, def, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	check_render(set, "page", NULL, 0, "kept page site footer");
	CHECK(!tpl_has(set, "folder"));
	tpl_set_free(set);

	static const char *const sn[] = { "footer.html" };
	dir_remove(site, sn, 1);
}

struct thread_arg {
	const struct tpl_set *set;
	const struct tv *ctx;
	const char *want;
	int mismatches;
};

static void *render_many(void *arg)
{
	struct thread_arg *a = arg;
	struct buf out = BUF_INIT;
	for (int i = 0; i < 1000; i++) {
		buf_reset(&out);
		if (tpl_render(a->set, "page", a->ctx, &out) != 0 ||
		    strcmp(buf_str(&out), a->want) != 0)
			a->mismatches++;
	}
	buf_release(&out);
	return NULL;
}

static void test_threads(void)
{
	static const char *const t[] = {
		"page", "<h1>{{title}}</h1>{{#posts}}{{>post}}{{/posts}}{{body}}",
		"post", "<p>{{title}} {{n}} {{#tags}}{{.}},{{/tags}}</p>",
	};
	struct pool *p = pool_new();
	struct tv *ctx = ctx_make(p);
	struct tpl_set *set = set_of(t, sizeof(t) / sizeof(t[0]));
	struct buf once = BUF_INIT;
	CHECK(tpl_render(set, "page", ctx, &once) == 0);
	CHECK_STR(buf_str(&once),
		  "<h1>&lt;b&gt;Tom &amp; &quot;Jerry&quot;&#39;s&lt;/b&gt;</h1>"
		  "<p>P1 42 a,&lt;b&gt;,c,</p><p>P2 5 a,&lt;b&gt;,c,</p>"
		  "<p>Hi & <em>bye</em></p>");

	struct thread_arg a[2] = {
		{ set, ctx, buf_str(&once), 0 },
		{ set, ctx, buf_str(&once), 0 },
	};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&th[i], NULL, render_many, &a[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(a[0].mismatches == 0 && a[1].mismatches == 0);
	buf_release(&once);
	tpl_set_free(set);
	pool_free(p);
}

/* tpl_reach_hash changes with the template and any partial it reaches
 * (also through a recursive one), and with nothing else. */
static void test_reach_hash(void)
{
	char err[256];
	struct tpl_set *set = tpl_set_new();
	CHECK(tpl_set_add_string(set, "list", "{{#items}}{{>item}}{{/items}}", err, sizeof err) == 0);
	CHECK(tpl_set_add_string(set, "item", "<li>{{>meta}}{{#kids}}{{>item}}{{/kids}}</li>", err, sizeof err) == 0);
	CHECK(tpl_set_add_string(set, "meta", "<b>{{name}}</b>", err, sizeof err) == 0);
	CHECK(tpl_set_add_string(set, "page", "{{>list}}", err, sizeof err) == 0);
	CHECK(tpl_reach_uses(set, "page", "name") && tpl_reach_uses(set, "list", "kids"));
	CHECK(!tpl_reach_uses(set, "meta", "kids") && !tpl_reach_uses(set, "page", "nam"));
	unsigned long long h0 = tpl_reach_hash(set, "list");
	CHECK(h0 != 0 && tpl_reach_hash(set, "nothing") == 0);
	CHECK(tpl_set_add_string(set, "page", "<main>{{>list}}</main>", err, sizeof err) == 0);
	CHECK(tpl_reach_hash(set, "list") == h0); /* not reached from list */
	CHECK(tpl_set_add_string(set, "meta", "<i>{{name}}</i>", err, sizeof err) == 0);
	unsigned long long h1 = tpl_reach_hash(set, "list");
	CHECK(h1 != h0); /* two partials deep */
	CHECK(tpl_set_add_string(set, "list", "{{#items}}{{>item}}{{/items}}\n", err, sizeof err) == 0);
	CHECK(tpl_reach_hash(set, "list") != h1);
	tpl_set_free(set);
}

int main(void)
{
	RUN(test_variables);
	RUN(test_sections);
	RUN(test_context_stack);
	RUN(test_standalone_lines);
	RUN(test_partials);
	RUN(test_recursive_partial);
	RUN(test_partial_depth_limit);
	RUN(test_output_limit);
	RUN(test_parse_errors);
	RUN(test_theme_override);
	RUN(test_threads);
	RUN(test_reach_hash);
	RUN(test_kept_default_theme);
	return T_DONE();
}
