/*
 * export_json: the site as one JSON document (see export.h and
 * docs/import.md, "The JSON export" for the fields).
 *
 * The one design decision: written as a stream, one story (with its
 * comments) at a time, so a large site exports in constant memory; every
 * string goes through json_string, times are Unix seconds (UTC), and no
 * secret (password hash, site secret, sessions) is ever read.
 */
#include "export.h"
#include "../render/escape.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../util/buf.h"
#include "../util/pool.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int flush(struct buf *b, FILE *out)
{
	int rc = b->err || fwrite(b->s ? b->s : "", 1, b->len, out) != b->len ? -1 : 0;
	buf_reset(b);
	return rc;
}

static void kv(struct buf *b, const char *k, const char *v, int comma)
{
	json_string(b, k);
	buf_putc(b, ':');
	json_string(b, v ? v : "");
	if (comma)
		buf_putc(b, ',');
}

static void users(struct buf *b, const struct export_user *u, size_t n)
{
	buf_puts(b, "\"users\":[");
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%s{\"id\":%lld,", i ? "," : "", u[i].id);
		kv(b, "name", u[i].name, 1);
		kv(b, "slug", u[i].slug, 1);
		kv(b, "email", u[i].email, 1);
		kv(b, "bio", u[i].bio, 1);
		kv(b, "photo", u[i].photo, 1);
		kv(b, "links", u[i].links, 1);
		kv(b, "first_name", u[i].first_name, 1);
		kv(b, "last_name", u[i].last_name, 1);
		kv(b, "role", u[i].role, 1);
		buf_printf(b, "\"created_at\":%lld,\"has_password\":%s}", u[i].created_at,
			   u[i].has_password ? "true" : "false");
	}
	buf_puts(b, "],\n");
}

static void named(struct buf *b, const char *key, const long long *ids, const char *const *names,
		  const char *const *slugs, size_t n)
{
	json_string(b, key);
	buf_puts(b, ":[");
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%s{\"id\":%lld,", i ? "," : "", ids[i]);
		kv(b, "name", names[i], 1);
		kv(b, "slug", slugs[i], 0);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\n");
}

static int taxonomy(struct store *st, struct pool *p, struct buf *b)
{
	struct section *s;
	struct tag *t;
	size_t ns, nt;
	if (store_sections(st, p, &s, &ns) || store_export_tags(st, p, &t, &nt))
		return -1;
	size_t m = ns > nt ? ns : nt;
	long long *ids = pool_alloc(p, (m + 1) * sizeof *ids);
	const char **names = pool_alloc(p, (m + 1) * sizeof *names);
	const char **slugs = pool_alloc(p, (m + 1) * sizeof *slugs);
	/* sections in tree order (a parent before its children), with where
	 * each sits: its parent, its place among siblings, its address */
	buf_puts(b, "\"sections\":[");
	for (size_t i = 0; i < ns; i++) {
		buf_printf(b, "%s{\"id\":%lld,\"parent_id\":%lld,\"position\":%d,", i ? "," : "",
			   s[i].id, s[i].parent_id, s[i].position);
		kv(b, "name", s[i].name, 1);
		kv(b, "slug", s[i].slug, 1);
		kv(b, "path", s[i].path, 1);
		kv(b, "description", s[i].description, 0);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\n");
	for (size_t i = 0; i < nt; i++)
		ids[i] = t[i].id, names[i] = t[i].name, slugs[i] = t[i].slug;
	named(b, "tags", ids, names, slugs, nt);
	return 0;
}

static void comment(struct buf *b, const struct comment *c, int first)
{
	buf_printf(b, "%s{\"id\":%lld,\"parent_id\":%lld,\"created_at\":%lld,", first ? "" : ",",
		   c->id, c->parent_id, c->created_at);
	kv(b, "status", comment_status_name(c->status), 1);
	kv(b, "author", c->author, 1);
	kv(b, "email", c->email, 1);
	kv(b, "url", c->url, 1);
	kv(b, "ip", c->ip, 1);
	kv(b, "body", c->body, 0);
	buf_putc(b, '}');
}

static int story(struct store *st, struct pool *p, struct buf *b, const struct export_story *x,
		 int first)
{
	long long id = x->id;
	struct story s;
	struct comment *c;
	size_t nc;
	if (store_story_by_id(st, p, id, &s) || store_export_comments(st, p, id, &c, &nc))
		return -1;
	buf_printf(b, "%s\n{\"id\":%lld,", first ? "" : ",", s.id);
	kv(b, "slug", s.slug, 1);
	kv(b, "title", s.title, 1);
	kv(b, "status", story_status_name(s.status), 1);
	buf_printf(b, "\"published_at\":%lld,\"updated_at\":%lld,\"author_id\":%lld,"
		      "\"section_id\":%lld,\"comments_open\":%s,\"reading_minutes\":%d,\"tags\":[",
		   s.published_at, s.updated_at, s.author.id, s.section.id,
		   s.comments_open ? "true" : "false", s.reading_minutes);
	for (size_t i = 0; i < s.ntags; i++)
		buf_printf(b, "%s%lld", i ? "," : "", s.tags[i].id);
	buf_puts(b, "],");
	kv(b, "excerpt", s.excerpt, 1);
	buf_printf(b, "\"excerpt_auto\":%s,", x->excerpt_auto ? "true" : "false");
	kv(b, "body_md", s.body_md, 1);
	kv(b, "body_html", s.body_html, 1);
	buf_puts(b, "\"comments\":[");
	for (size_t i = 0; i < nc; i++)
		comment(b, &c[i], i == 0);
	buf_puts(b, "]}");
	return 0;
}

struct redir { struct buf *b; int n; };

static void redirect_row(void *arg, const char *from, const char *to)
{
	struct redir *r = arg;
	buf_puts(r->b, r->n++ ? ",\n{" : "\n{");
	kv(r->b, "from", from, 1);
	kv(r->b, "to", to, 0);
	buf_putc(r->b, '}');
}

int export_json(struct store *st, const struct export_site *site, FILE *out, char *err,
		size_t errlen)
{
	struct pool *p = pool_new();
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "{\"format\":\"gazette-export\",\"version\":1,");
	buf_printf(&b, "\"exported_at\":%lld,\"site\":{", (long long)time(NULL));
	kv(&b, "name", site->name, 1);
	kv(&b, "description", site->description, 1);
	kv(&b, "base_url", site->base_url, 1);
	kv(&b, "lang", site->lang, 0);
	buf_puts(&b, "},\n");
	struct export_user *u;
	size_t nu, n;
	struct export_story *ids;
	int rc = store_export_users(st, p, &u, &nu) || taxonomy(st, p, &b) ||
			 store_export_stories(st, p, &ids, &n)
		 ? -1
		 : 0;
	if (rc == 0) {
		users(&b, u, nu);
		buf_puts(&b, "\"stories\":[");
		rc = flush(&b, out);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct pool *ip = pool_new();
		rc = story(st, ip, &b, &ids[i], i == 0) ? -1 : flush(&b, out);
		pool_free(ip);
	}
	if (rc == 0) {
		buf_puts(&b, "],\n\"redirects\":[");
		struct redir r = { &b, 0 };
		rc = store_export_redirects(st, redirect_row, &r) ? -1 : 0;
		buf_puts(&b, "]}\n");
		if (rc == 0)
			rc = flush(&b, out);
	}
	if (rc)
		snprintf(err, errlen, "%s", store_errmsg(st)[0] ? store_errmsg(st) : "write error");
	buf_release(&b);
	pool_free(p);
	return rc;
}
