/*
 * admin_stories: the story list: filters by status, section and author,
 * search by title, pages of 20, and the count of stories in each status.
 * Every writer sees every story; the edit link appears only where the
 * roles table lets this user edit.
 */
#include "admin.h"
#include "../auth/roles.h"
#include "../pages/pages.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_story.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

#define PER_PAGE 20

static long long id_param(const struct req *rq, const char *name)
{
	unsigned long long v;
	const char *s = kv_get(&rq->query, name);
	return s && num_parse_u64(s, 1ULL << 62, &v) == 0 ? (long long)v : 0;
}

/* "/admin/stories?status=x&q=y..." keeping the other filters. */
static const char *filter_url(struct pool *p, int status, long long section, long long author,
			      const char *q, size_t page)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/admin/stories?");
	if (status >= 0)
		buf_printf(&b, "status=%s&", story_status_name((enum story_status)status));
	if (section)
		buf_printf(&b, "section=%lld&", section);
	if (author)
		buf_printf(&b, "author=%lld&", author);
	if (q && *q) {
		buf_puts(&b, "q=");
		url_query(&b, q);
		buf_putc(&b, '&');
	}
	if (page > 1)
		buf_printf(&b, "page=%zu&", page);
	b.s[--b.len] = '\0';
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

static struct tv *story_row(struct req *rq, const struct story *s)
{
	struct pool *p = rq->pool;
	struct tv *o = tv_obj(p);
	tv_put_int(o, "id", s->id);
	tv_put_str(o, "title", s->title);
	tv_put_str(o, "status", story_status_name(s->status));
	tv_put_str(o, "author", s->author.name);
	tv_put_str(o, "section", s->section.id ? s->section.name : "");
	tv_put_str(o, "updated", admin_datetime(p, s->updated_at, &rq->site->zone));
	tv_put_str(o, "when", s->published_at ? admin_datetime(p, s->published_at, &rq->site->zone) : "");
	tv_put_bool(o, "can_edit", role_may_edit_story(rq->user->role, s->author.id == rq->user->id,
						       s->status));
	if (s->status == STORY_PUBLISHED)
		tv_put_str(o, "url", story_path(p, s));
	return o;
}

void admin_stories(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	struct story_admin_filter f = { .status = -1 };
	enum story_status st;
	const char *sname = kv_get(&rq->query, "status");
	if (sname && story_status_parse(sname, &st) == 0)
		f.status = (int)st;
	f.section_id = id_param(rq, "section");
	f.author_id = id_param(rq, "author");
	f.title = kv_get(&rq->query, "q");
	size_t page = admin_page(rq), n = 0, total = 0;
	struct story *v = NULL;
	if (store_admin_stories(rq->store, p, &f, (page - 1) * PER_PAGE, PER_PAGE, &v, &n, &total)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The stories could not be listed.");
		return;
	}
	struct tv *ctx = admin_ctx(rq, "Stories", "/admin/stories");
	struct tv *list = tv_list(p), *tabs = tv_list(p);
	for (size_t i = 0; i < n; i++)
		tv_append(list, story_row(rq, &v[i]));
	size_t counts[STORY__MAX], all = 0;
	store_story_counts(rq->store, counts);
	for (int i = 0; i < STORY__MAX; i++)
		all += counts[i];
	struct tv *t = tv_obj(p);
	tv_put_str(t, "label", "All");
	tv_put_int(t, "count", (long long)all);
	tv_put_str(t, "url", filter_url(p, -1, f.section_id, f.author_id, f.title, 1));
	tv_put_bool(t, "current", f.status < 0);
	tv_append(tabs, t);
	static const char *const labels[STORY__MAX] = { "Drafts", "Pending review", "Scheduled",
							"Published" };
	for (int i = 0; i < STORY__MAX; i++) {
		t = tv_obj(p);
		tv_put_str(t, "label", labels[i]);
		tv_put_str(t, "status", story_status_name((enum story_status)i));
		tv_put_int(t, "count", (long long)counts[i]);
		tv_put_str(t, "url", filter_url(p, i, f.section_id, f.author_id, f.title, 1));
		tv_put_bool(t, "current", f.status == i);
		tv_append(tabs, t);
	}
	tv_put(ctx, "stories", list);
	tv_put_bool(ctx, "has_stories", n > 0);
	tv_put(ctx, "tabs", tabs);
	tv_put_str(ctx, "q", f.title ? f.title : "");
	tv_put_str(ctx, "status", f.status >= 0 ? story_status_name((enum story_status)f.status) : "");
	struct tv *secs = tv_list(p);
	struct section *sv = NULL;
	size_t sn = 0;
	store_sections(rq->store, p, &sv, &sn);
	for (size_t i = 0; i < sn; i++) {
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", sv[i].id);
		tv_put_str(o, "name", admin_section_label(p, &sv[i], sv[i].name));
		tv_put_bool(o, "selected", sv[i].id == f.section_id);
		tv_append(secs, o);
	}
	tv_put(ctx, "sections", secs);
	/* a fresh site: what to do first instead of an empty list */
	if (all == 0 || sn == 0) {
		struct tv *first = tv_obj(p);
		tv_put_bool(first, "need_section", sn == 0);
		tv_put_bool(first, "can_sections", role_can(rq->user->role, CAP_SECTIONS));
		tv_put_bool(first, "need_story", all == 0);
		tv_put(ctx, "first_steps", first);
	}
	struct tv *authors = tv_list(p);
	struct user *uv = NULL;
	size_t un = 0;
	store_users_all(rq->store, p, &uv, &un);
	for (size_t i = 0; i < un; i++) {
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", uv[i].id);
		tv_put_str(o, "name", uv[i].name);
		tv_put_bool(o, "selected", uv[i].id == f.author_id);
		tv_append(authors, o);
	}
	tv_put(ctx, "authors", authors);
	tv_put_int(ctx, "total", (long long)total);
	if (page > 1)
		tv_put_str(ctx, "prev_url", filter_url(p, f.status, f.section_id, f.author_id, f.title, page - 1));
	if (page * PER_PAGE < total)
		tv_put_str(ctx, "next_url", filter_url(p, f.status, f.section_id, f.author_id, f.title, page + 1));
	admin_render(rq, rs, 200, "admin-stories", ctx);
}
