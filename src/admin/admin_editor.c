/*
 * admin_editor: writing a story. One form, several buttons: each button
 * posts to its own route (save, submit, publish, unpublish, preview), so
 * the route table's capability says who may press it (a contributor's
 * publish is refused before this file runs) and no handler looks at roles.
 *
 * A save is one transaction: tags created on the fly, the story written
 * only if it is still at the version the editor opened (else nothing is
 * written and the editor comes back with the writer's text and a clear
 * message), a revision kept, the old URL redirected when a published
 * story's address changes, and every story's related list recomputed when
 * a published story changed. The change log tags it writes drop exactly
 * the cached pages that showed the story. A save that changes nothing
 * writes nothing: no revision, no version, no change-log entry.
 *
 * No text is lost (store_draft.h): a form posted after its session ended
 * is kept (admin_editor_stash) and comes back in the editor after the
 * next sign-in; with JavaScript (admin-editor.js) the form is autosaved
 * every 30 seconds beside the story, never into it. A featured image
 * chosen before a preview or an error waits in featured.c's pending
 * folder, named in the form by a token only its user can use.
 */
#include "admin.h"
#include "scheduler.h"
#include "featured.h"
#include "../auth/csrf.h"
#include "../auth/guard.h"
#include "../auth/roles.h"
#include "../auth/session.h"
#include "../content/diff.h"
#include "../content/publish.h"
#include "../content/slug.h"
#include "../media/media_ref.h"
#include "../pages/pages.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../media/media.h"
#include "../store/store_byline.h"
#include "../store/store_draft.h"
#include "../store/store_media.h"
#include "../store/store_redirect.h"
#include "../store/store_story.h"
#include "../store/store_user.h"
#include "../util/locale.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum ef { EF_TITLE, EF_SLUG, EF_EXCERPT, EF_BODY, EF_SECTION, EF_TAGS, EF_AUTHOR, EF_WHEN,
	  EF_VERSION, EF_IMAGE, EF_MEDIA, EF_LANG, EF__MAX };

static const struct field_spec fields[EF__MAX] = {
	[EF_TITLE] = { "title", 300, 1, "Please give the story a title.",
		       "The title is too long: the limit is 300 bytes.", NULL, NULL },
	[EF_SLUG] = { "slug", 400, 0, NULL, "The slug is too long: the limit is 200 bytes.", NULL, NULL },
	[EF_EXCERPT] = { "excerpt", 2000, 0, NULL,
			 "The excerpt is too long: the limit is 2,000 bytes.", NULL, NULL },
	[EF_BODY] = { "body", 900000, 0, NULL, "The story is too long: the limit is 900,000 bytes.",
		      NULL, NULL },
	[EF_SECTION] = { "section", 20, 0, NULL, "Choose a section from the list.", field_uint,
			 "Choose a section from the list." },
	[EF_TAGS] = { "tags", 1000, 0, NULL, "Too many tags: the limit is 1,000 bytes.", NULL, NULL },
	[EF_AUTHOR] = { "author", 20, 0, NULL, "Choose an author from the list.", field_uint,
			"Choose an author from the list." },
	[EF_WHEN] = { "published_at", 19, 0, NULL,
		      "Give the publication time as YYYY-MM-DDTHH:MM (the site's time zone).",
		      admin_field_datetime,
		      "Give the publication time as YYYY-MM-DDTHH:MM (the site's time zone)." },
	[EF_VERSION] = { "version", 20, 0, NULL, "The form is damaged: open the story again.",
			 field_uint, "The form is damaged: open the story again." },
	/* a file part (rq->files); as a text field it can only be refused */
	[EF_IMAGE] = { "featured_image", 0, 0, NULL, "Choose the featured image as a file.", NULL,
		       NULL },
	/* or a media library item by its number (admin_media.c) */
	[EF_MEDIA] = { "featured_media", 20, 0, NULL, "Give a library item's number.", field_uint,
		       "Give a library item's number (see Media)." },
	/* the story's own language (docs/languages.md); empty: the site's */
	[EF_LANG] = { "lang", 100, 0, NULL, "The language is too long: give a tag such as ur or az.",
		      locale_tag_ok,
		      "Give the language as a BCP 47 tag such as en, ur or az-Latn (empty: the site's)." },
};

enum action { ACT_SAVE, ACT_SUBMIT, ACT_PUBLISH, ACT_UNPUBLISH, ACT_PREVIEW };

#define TAGS_MAX 20
#define RECENT_MEDIA 20 /* library items offered for the featured image */

/* What the editor shows: the values (from the story or the form), the
 * errors, and the story as stored (NULL for a new one). */
struct editor {
	const struct story_edit *cur;
	const char *val[EF__MAX];
	const char *err[EF__MAX];
	const char *general;
	const char *preview_html;
	int comments_open;
	int mark_updated;          /* "Mark as updated" ticked (a published story) */
	/* the co-author selects, in order ("" none); has_co: the form had them */
	const char *co[STORY_COAUTHORS_MAX];
	int has_co;
	const char *pending;       /* token of a chosen image waiting (featured.h) */
	int pending_w, pending_h;
	const char *recovered;     /* where the form's text came from, when kept */
	const struct draft *autosave; /* a newer autosave the editor may restore */
};

static const char *tags_text(struct pool *p, const struct story *s)
{
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < s->ntags; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", s->tags[i].name);
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

static void from_story(struct req *rq, struct editor *ed, const struct story_edit *e)
{
	struct pool *p = rq->pool;
	ed->cur = e;
	ed->val[EF_TITLE] = e->s.title;
	ed->val[EF_SLUG] = e->s.slug;
	ed->val[EF_EXCERPT] = e->s.excerpt;
	ed->val[EF_BODY] = e->s.body_md;
	ed->val[EF_SECTION] = pool_printf(p, "%lld", e->s.section.id);
	ed->val[EF_TAGS] = tags_text(p, &e->s);
	ed->val[EF_AUTHOR] = pool_printf(p, "%lld", e->s.author.id);
	ed->val[EF_WHEN] = admin_datetime_input(p, e->s.published_at, &rq->site->zone);
	ed->val[EF_VERSION] = pool_printf(p, "%lld", e->version);
	ed->val[EF_MEDIA] = e->featured_media_id ? pool_printf(p, "%lld", e->featured_media_id) : "";
	ed->val[EF_LANG] = e->s.lang ? e->s.lang : "";
	ed->comments_open = e->s.comments_open;
	for (size_t i = 0; i < STORY_COAUTHORS_MAX; i++)
		ed->co[i] = i < e->ncoauthors ? pool_printf(p, "%lld", e->coauthors[i]) : "";
}

static struct tv *options_sections(struct req *rq, const char *selected)
{
	struct tv *list = tv_list(rq->pool);
	struct section *v = NULL;
	size_t n = 0;
	store_sections(rq->store, rq->pool, &v, &n);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(rq->pool);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "name", admin_section_label(rq->pool, &v[i], v[i].name));
		tv_put_bool(o, "selected", selected && atoll(selected) == v[i].id);
		tv_append(list, o);
	}
	return list;
}

static struct tv *options_authors(struct req *rq, const char *selected)
{
	struct tv *list = tv_list(rq->pool);
	struct user *v = NULL;
	size_t n = 0;
	store_users_all(rq->store, rq->pool, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (v[i].disabled && !(selected && atoll(selected) == v[i].id))
			continue;
		struct tv *o = tv_obj(rq->pool);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "name", v[i].name);
		tv_put_bool(o, "selected", selected && atoll(selected) == v[i].id);
		tv_append(list, o);
	}
	return list;
}

/* The co-author selects: {n, options: [{id, name, selected}]}. */
static struct tv *coauthor_selects(struct req *rq, const struct editor *ed)
{
	struct tv *list = tv_list(rq->pool);
	for (int i = 0; i < STORY_COAUTHORS_MAX; i++) {
		struct tv *o = tv_obj(rq->pool);
		tv_put_int(o, "n", i + 1);
		tv_put(o, "options", options_authors(rq, ed->co[i] ? ed->co[i] : ""));
		tv_append(list, o);
	}
	return list;
}

/* The newest library items, offered for the featured image field:
 * {id, label}. */
static struct tv *recent_media(struct req *rq)
{
	struct tv *list = tv_list(rq->pool);
	struct media_record *v = NULL;
	size_t n = 0;
	store_media_list(rq->store, rq->pool, NULL, 0, RECENT_MEDIA, &v, &n);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(rq->pool);
		tv_put_int(o, "id", v[i].id);
		tv_put_str(o, "label", *v[i].alt ? pool_printf(rq->pool, "%s (%s)", v[i].alt, v[i].name)
						 : v[i].name);
		tv_append(list, o);
	}
	return list;
}

/* f.key = {name: value, width, height}: the stored or the waiting image. */
static void put_image(struct pool *p, struct tv *f, const char *key, const char *name,
		      const char *value, int width, int height)
{
	struct tv *im = tv_obj(p);
	tv_put_str(im, name, value);
	tv_put_int(im, "width", width);
	tv_put_int(im, "height", height);
	tv_put(f, key, im);
}

static void show(struct req *rq, struct resp *rs, int status, const struct editor *ed)
{
	struct pool *p = rq->pool;
	const struct story_edit *cur = ed->cur;
	const char *title = cur ? pool_printf(p, "Edit: %s", cur->s.title) : "New story";
	struct tv *ctx = admin_ctx(rq, title, "/admin/stories");
	struct tv *f = tv_obj(p);
	static const char *const keys[EF__MAX] = { "title", "slug", "excerpt", "body", "section",
						   "tags", "author", "published_at", "version",
						   "featured_image", "featured_media", "lang" };
	static const char *const ekeys[EF__MAX] = { "error_title", "error_slug", "error_excerpt",
						    "error_body", "error_section", "error_tags",
						    "error_author", "error_published_at", NULL,
						    "error_image", "error_media", "error_lang" };
	for (int i = 0; i < EF__MAX; i++) {
		tv_put_str(f, keys[i], ed->val[i] ? ed->val[i] : "");
		if (ed->err[i] && ekeys[i])
			tv_put_str(f, ekeys[i], ed->err[i]);
	}
	struct tv *errors = admin_error_list(p, ed->err, EF__MAX, ed->general);
	tv_put(f, "errors", errors);
	tv_put_bool(f, "has_errors", tv_count(errors) > 0);
	tv_put_bool(f, "comments_open", ed->comments_open);
	enum role r = rq->user->role;
	tv_put_bool(f, "can_publish", role_can(r, CAP_STORY_PUBLISH));
	tv_put_bool(f, "can_reassign", role_can(r, CAP_STORY_OTHERS));
	tv_put(f, "sections", options_sections(rq, ed->val[EF_SECTION]));
	tv_put(f, "library", recent_media(rq));
	if (role_can(r, CAP_STORY_OTHERS)) {
		tv_put(f, "authors", options_authors(rq, ed->val[EF_AUTHOR]));
		tv_put(f, "coauthors", coauthor_selects(rq, ed));
	}
	const char *base = cur ? pool_printf(p, "/admin/stories/%lld", cur->s.id) : "/admin/stories/new";
	tv_put_str(f, "base", base);
	tv_put_bool(f, "is_new", cur == NULL);
	if (cur) {
		enum story_status st = cur->s.status;
		tv_put_int(f, "id", cur->s.id);
		tv_put_str(f, "status", story_status_name(st));
		tv_put_bool(f, "is_live", st == STORY_PUBLISHED || st == STORY_SCHEDULED);
		tv_put_bool(f, "is_published", st == STORY_PUBLISHED);
		tv_put_bool(f, "is_scheduled", st == STORY_SCHEDULED);
		if (st == STORY_PUBLISHED)
			tv_put_str(f, "public_url", story_path(p, &cur->s));
		tv_put_str(f, "updated", date_iso(p, cur->s.updated_at, NULL));
		if (cur->featured_image && *cur->featured_image)
			put_image(p, f, "image", "url", cur->featured_image, cur->featured_width,
				  cur->featured_height);
	}
	if (ed->preview_html)
		tv_put_html(f, "preview_html", ed->preview_html); /* Markdown renderer output */
	if (ed->pending)
		put_image(p, f, "pending", "token", ed->pending, ed->pending_w, ed->pending_h);
	if (ed->recovered)
		tv_put_str(f, "recovered", ed->recovered);
	if (ed->autosave) {
		tv_put_str(f, "autosave_url", pool_printf(p, "%s?draft=%s", base, ed->autosave->token));
		tv_put_str(f, "autosave_when", admin_datetime(p, ed->autosave->created_at, &rq->site->zone));
	}
	tv_put_str(f, "autosave_post", pool_printf(p, "%s/autosave", base));
	const struct static_file *js = site_static(rq->site, "admin-editor.js");
	if (js)
		tv_put_str(f, "script", pool_printf(p, "/static/admin-editor.js?v=%s", js->etag));
	tv_put(ctx, "editor", f);
	admin_render(rq, rs, status, "admin-editor", ctx);
}

static void from_draft(struct req *rq, struct editor *ed, const struct draft *d)
{
	const char *v[EF__MAX] = {
		[EF_TITLE] = d->title, [EF_SLUG] = d->slug, [EF_EXCERPT] = d->excerpt,
		[EF_BODY] = d->body, [EF_SECTION] = d->section, [EF_TAGS] = d->tags,
		[EF_AUTHOR] = d->author, [EF_WHEN] = d->published_at,
		[EF_VERSION] = d->story_id ? pool_printf(rq->pool, "%lld", d->base_version) : "",
	};
	for (int i = 0; i < EF__MAX; i++)
		ed->val[i] = v[i] ? v[i] : "";
	ed->comments_open = d->comments_open;
	const char *when = pool_cat(rq->pool, admin_datetime(rq->pool, d->created_at, &rq->site->zone),
				    " ", rq->site->zone.name, NULL);
	ed->recovered = pool_printf(
		rq->pool,
		d->kind == DRAFT_STASH
			? "This is the text you sent at %s, after your session had ended. It is "
			  "NOT saved yet: check it (and choose the featured image again, if you had "
			  "chosen one), then save."
			: "This is the text autosaved at %s. It is NOT saved yet: check it, then "
			  "save.",
		when);
}

/* ?draft=TOKEN refills the form with this user's kept text for this story
 * (never another account's: the store reads by token AND user); without
 * it, a newer autosave than the story's last save is offered. */
static void drafts(struct req *rq, struct editor *ed, long long story_id)
{
	const char *tok = kv_get(&rq->query, "draft");
	long long now = (long long)time(NULL);
	struct draft *d = pool_alloc(rq->pool, sizeof *d);
	if (tok) {
		if (store_draft_get(rq->store, rq->pool, tok, rq->user->id, story_id, now, d) == STORE_OK)
			from_draft(rq, ed, d);
		else
			ed->general = "That kept text is not available: drafts are kept for a day, and "
				      "only for the account that wrote them.";
		return;
	}
	if (store_draft_autosave(rq->store, rq->pool, rq->user->id, story_id, now, d) == STORE_OK &&
	    (!ed->cur || (d->base_version == ed->cur->version &&
			  d->created_at >= ed->cur->s.updated_at)))
		ed->autosave = d;
}

void admin_editor_new(struct req *rq, struct resp *rs)
{
	struct editor ed = { 0 };
	ed.val[EF_AUTHOR] = pool_printf(rq->pool, "%lld", rq->user->id);
	ed.comments_open = 1;
	drafts(rq, &ed, 0);
	show(rq, rs, 200, &ed);
}

/* The story named by params[0]; an error page when it cannot be read. */
int admin_story_load(struct req *rq, struct resp *rs, long long id, struct story_edit *e)
{
	int rc = store_story_edit_get(rq->store, rq->pool, id, e);
	if (rc == STORE_NOTFOUND)
		http_error(rq, rs, 404, "Not found", "There is no such story.");
	else if (rc) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The story could not be loaded.");
	}
	return rc;
}

void admin_editor_edit(struct req *rq, struct resp *rs)
{
	struct story_edit *e = pool_alloc(rq->pool, sizeof *e);
	if (admin_story_load(rq, rs, guard_story_id(rq), e))
		return;
	struct editor ed = { 0 };
	from_story(rq, &ed, e);
	drafts(rq, &ed, e->s.id);
	show(rq, rs, 200, &ed);
}

/* A free slug: the given one, or with -2, -3 ... appended when derived. */
static const char *pick_slug(struct req *rq, const char *want, int typed, long long id,
			     const char **err)
{
	char slug[SLUG_MAX + 1];
	if (!slug_make(want, slug, sizeof slug))
		snprintf(slug, sizeof slug, "story");
	int used = store_slug_in_use(rq->store, slug, id);
	if (used == 1 && typed) {
		*err = "Another story already uses this slug: choose another.";
		return pool_strdup(rq->pool, slug);
	}
	for (int k = 2; used == 1 && k < 1000; k++) {
		char *s = pool_printf(rq->pool, "%.180s-%d", slug, k);
		if ((used = store_slug_in_use(rq->store, s, id)) == 0)
			return s;
	}
	return pool_strdup(rq->pool, slug);
}

static int section_exists(struct req *rq, long long id)
{
	struct section *v = NULL;
	size_t n = 0;
	if (id == 0)
		return 1;
	store_sections(rq->store, rq->pool, &v, &n);
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return 1;
	return 0;
}

/* Tag names from "a, b, c": trimmed, empty ones and repeats dropped. */
static void parse_tags(struct pool *p, const char *text, struct story *s)
{
	s->tags = pool_alloc(p, TAGS_MAX * sizeof *s->tags);
	s->ntags = 0;
	const char *c = text;
	while (*c && s->ntags < TAGS_MAX) {
		const char *end = strchrnul(c, ',');
		size_t len = (size_t)(end - c);
		str_trim(&c, &len, str_is_blank);
		char *name = pool_strndup(p, c, len);
		char slug[SLUG_MAX + 1];
		int dup = 0;
		if (*name && slug_make(name, slug, sizeof slug)) {
			for (size_t i = 0; i < s->ntags; i++)
				dup |= strcmp(s->tags[i].slug, slug) == 0;
			if (!dup) {
				s->tags[s->ntags].name = name;
				s->tags[s->ntags].slug = pool_strdup(p, slug);
				s->ntags++;
			}
		}
		c = *end ? end + 1 : end;
	}
}

/* The body's HTML with its library pictures looked up (media_ref.h); the
 * first leads (fetchpriority="high") unless the story will show a featured
 * image (has_image: the one it has, or the one this save gives it). */
static int render_body(struct req *rq, struct story_edit *e, int has_image)
{
	struct media_ref r;
	return publish_render(rq->pool, &e->s, media_ref_opts(&r, rq->store, rq->pool, has_image));
}

/* The co-authors the form chose into e (in order; the first author, a
 * repeat and "none" left out), when the user may choose them and the form
 * had the selects; otherwise e keeps the stored ones. */
static void build_coauthors(struct req *rq, struct editor *ed, const struct story_edit *old,
			    struct story_edit *e)
{
	e->coauthors = old ? old->coauthors : NULL;
	e->ncoauthors = old ? old->ncoauthors : 0;
	if (!ed->has_co || !role_can(rq->user->role, CAP_STORY_OTHERS))
		return;
	e->coauthors = pool_alloc(rq->pool, STORY_COAUTHORS_MAX * sizeof *e->coauthors);
	e->ncoauthors = 0;
	for (int i = 0; i < STORY_COAUTHORS_MAX; i++) {
		unsigned long long v;
		struct user u;
		if (!*ed->co[i] || strcmp(ed->co[i], "0") == 0)
			continue;
		if (num_parse_u64(ed->co[i], 1ULL << 62, &v) ||
		    store_user_by_id(rq->store, rq->pool, (long long)v, &u) != STORE_OK) {
			ed->err[EF_AUTHOR] = "Choose co-authors from the list.";
			continue;
		}
		int seen = u.id == e->s.author.id;
		for (size_t j = 0; j < e->ncoauthors; j++)
			seen |= e->coauthors[j] == u.id;
		if (!seen)
			e->coauthors[e->ncoauthors++] = u.id;
	}
}

/* Fills e from the validated form over old (NULL for a new story). */
static void build(struct req *rq, const struct story_edit *old, struct editor *ed,
		  enum action act, struct story_edit *e)
{
	long long now = (long long)time(NULL), id = old ? old->s.id : 0;
	memset(e, 0, sizeof *e);
	e->s.id = id;
	e->s.title = ed->val[EF_TITLE];
	e->s.excerpt = ed->val[EF_EXCERPT];
	e->s.body_md = ed->val[EF_BODY];
	e->s.lang = ed->val[EF_LANG];
	int typed = *ed->val[EF_SLUG] != '\0';
	const char *want = typed ? ed->val[EF_SLUG] : old ? old->s.slug : ed->val[EF_TITLE];
	if (!ed->err[EF_SLUG])
		e->s.slug = pick_slug(rq, want, typed && !(old && strcmp(want, old->s.slug) == 0), id,
				      &ed->err[EF_SLUG]);
	unsigned long long v = 0;
	if (!ed->err[EF_SECTION] && *ed->val[EF_SECTION])
		num_parse_u64(ed->val[EF_SECTION], 1ULL << 62, &v);
	e->s.section.id = (long long)v;
	if (!section_exists(rq, e->s.section.id))
		ed->err[EF_SECTION] = fields[EF_SECTION].invalid_msg;
	e->s.author.id = old ? old->s.author.id : rq->user->id;
	if (role_can(rq->user->role, CAP_STORY_OTHERS) && *ed->val[EF_AUTHOR] &&
	    !ed->err[EF_AUTHOR] && num_parse_u64(ed->val[EF_AUTHOR], 1ULL << 62, &v) == 0) {
		struct user u;
		if (store_user_by_id(rq->store, rq->pool, (long long)v, &u) == STORE_OK)
			e->s.author.id = u.id;
		else
			ed->err[EF_AUTHOR] = fields[EF_AUTHOR].invalid_msg;
	}
	build_coauthors(rq, ed, old, e);
	parse_tags(rq->pool, ed->val[EF_TAGS], &e->s);
	long long when = 0;
	if (!ed->err[EF_WHEN] && *ed->val[EF_WHEN])
		admin_datetime_parse(ed->val[EF_WHEN], &rq->site->zone, &when);
	long long was = old ? old->s.published_at : 0;
	enum story_status before = old ? old->s.status : STORY_DRAFT;
	e->s.status = before;
	e->s.published_at = when ? when : was;
	if (act == ACT_SUBMIT)
		e->s.status = STORY_PENDING;
	else if (act == ACT_UNPUBLISH)
		e->s.status = STORY_DRAFT;
	else if (act == ACT_PUBLISH) {
		long long t = when ? when : (before == STORY_PUBLISHED && was) ? was : now;
		e->s.published_at = t;
		e->s.status = t > now ? STORY_SCHEDULED : STORY_PUBLISHED;
		if (!*e->s.body_md)
			ed->general = "Please write the story before publishing it.";
	}
	/* a published story dated ahead would sit on top of every list until
	 * then: refused (Publish or schedule schedules a new time) */
	if (e->s.status == STORY_PUBLISHED && e->s.published_at > now + 60 && !ed->err[EF_WHEN])
		ed->err[EF_WHEN] = "A published story cannot have a time in the future. To move it "
				   "there, unpublish it, then publish it with that time: it is "
				   "scheduled.";
	e->s.updated_at = now;
	e->s.comments_open = ed->comments_open;
	if (!ed->err[EF_VERSION] && *ed->val[EF_VERSION] &&
	    num_parse_u64(ed->val[EF_VERSION], 1ULL << 62, &v) == 0)
		e->version = (long long)v;
	e->featured_image = old ? old->featured_image : "";
	e->featured_width = old ? old->featured_width : 0;
	e->featured_height = old ? old->featured_height : 0;
	e->featured_bytes = old ? old->featured_bytes : 0;
	e->featured_media_id = old ? old->featured_media_id : 0;
	e->created_at = old ? old->created_at : now;
}

static int tags_differ(const struct story *a, const struct story *b)
{
	if (a->ntags != b->ntags)
		return 1;
	for (size_t i = 0; i < a->ntags; i++)
		if (strcmp(a->tags[i].name, b->tags[i].name) != 0)
			return 1;
	return 0;
}

/* "title, body, status": what a save changed, for the revision list;
 * NULL when it changed nothing. */
static const char *changes(struct pool *p, const struct story_edit *old, const struct story_edit *e)
{
	if (!old)
		return "created";
	struct buf b;
	buf_init(&b, 0);
	const struct story *a = &old->s, *n = &e->s;
#define CH(cond, name) if (cond) buf_printf(&b, "%s%s", b.len ? ", " : "", name)
	CH(strcmp(a->title, n->title), "title");
	CH(strcmp(a->slug, n->slug), "slug");
	CH(strcmp(a->excerpt, n->excerpt), "excerpt");
	CH(strcmp(a->body_md, n->body_md), "body");
	CH(strcmp(a->lang ? a->lang : "", n->lang ? n->lang : ""), "language");
	CH(a->section.id != n->section.id, "section");
	CH(tags_differ(a, n), "tags");
	CH(a->author.id != n->author.id, "author");
	CH(old->ncoauthors != e->ncoauthors ||
		   (e->ncoauthors && memcmp(old->coauthors, e->coauthors,
					    e->ncoauthors * sizeof *e->coauthors) != 0),
	   "co-authors");
	CH(a->status != n->status, story_status_name(n->status));
	CH(a->published_at != n->published_at, "publication time");
	CH(a->comments_open != n->comments_open, "comments");
	CH(strcmp(old->featured_image, e->featured_image) ||
		   old->featured_media_id != e->featured_media_id, "featured image");
#undef CH
	const char *r = b.len ? pool_strdup(p, buf_str(&b)) : NULL;
	buf_release(&b);
	return r;
}

static void conflict(struct req *rq, struct resp *rs, struct editor *ed, const struct story_edit *old)
{
	long long version = 0, at = 0;
	const char *who = "";
	store_story_last_save(rq->store, rq->pool, old->s.id, &version, &who, &at);
	ed->general = pool_printf(
		rq->pool,
		"This story was changed by %s at %s %s while you were editing it, so your changes "
		"were NOT saved (they would have overwritten theirs). Your text is still in the form "
		"below: copy what you need, open the story again, and apply your changes to the "
		"new version.",
		*who ? who : "someone else", admin_datetime(rq->pool, at, &rq->site->zone),
		rq->site->zone.name);
	ed->cur = old;
	show(rq, rs, 409, ed);
}

static int put_tags(struct req *rq, struct story *s)
{
	for (size_t i = 0; i < s->ntags; i++)
		if (store_tag_put(rq->store, s->tags[i].name, s->tags[i].slug, &s->tags[i].id))
			return STORE_ERROR;
	return STORE_OK;
}

/* Writes e in one transaction (see the file comment). */
static int write_story(struct req *rq, const struct story_edit *old, struct story_edit *e,
		       const char *changed, long long mark_at)
{
	struct store *st = rq->store;
	int was_live = old && old->s.status == STORY_PUBLISHED;
	int live = e->s.status == STORY_PUBLISHED;
	int rc = store_begin(st);
	if (!rc)
		rc = put_tags(rq, &e->s);
	if (!rc)
		rc = old ? store_story_update(st, e, rq->user->id, changed)
			 : store_story_create(st, e, rq->user->id, changed, &e->s.id);
	if (!rc && was_live && live) {
		const char *from = story_path(rq->pool, &old->s), *to = story_path(rq->pool, &e->s);
		if (strcmp(from, to) != 0)
			rc = store_redirect_put(st, from, to);
	}
	if (!rc && mark_at) /* "Updated <time>" on the page, dateModified in JSON-LD */
		rc = store_story_mark_updated(st, e->s.id, mark_at);
	/* the whole site's lists: recomputed by the scheduler, which this
	 * wakes, without holding the write lock meanwhile */
	if (!rc && (was_live || live))
		rc = store_related_mark_due(st);
	if (!rc)
		rc = store_commit(st);
	if (rc)
		store_rollback(st);
	else if (was_live || live)
		scheduler_wake();
	return rc;
}

/* The posted editor form into ed: line ends made LF (browsers post CRLF),
 * then the field table's checks. */
static void read_form(struct req *rq, struct editor *ed)
{
	struct field_val fv[EF__MAX];
	kv_lf(rq->pool, &rq->form);
	form_validate(rq->pool, fields, EF__MAX, &rq->form, fv);
	for (int i = 0; i < EF__MAX; i++) {
		ed->val[i] = fv[i].val;
		ed->err[i] = fv[i].error;
	}
	ed->comments_open = kv_get(&rq->form, "comments_open") != NULL;
	ed->mark_updated = kv_get(&rq->form, "mark_updated") != NULL;
	size_t n = 0;
	for (size_t i = 0; i < rq->form.n; i++)
		if (strcmp(rq->form.v[i].key, "coauthor") == 0) {
			ed->has_co = 1;
			if (n < STORY_COAUTHORS_MAX)
				ed->co[n++] = rq->form.v[i].val;
			else
				ed->err[EF_AUTHOR] = "A byline names five authors at most.";
		}
	while (n < STORY_COAUTHORS_MAX)
		ed->co[n++] = "";
}


static int count_errors(const struct editor *ed)
{
	int n = ed->general != NULL;
	for (int i = 0; i < EF__MAX; i++)
		n += ed->err[i] != NULL;
	return n;
}

/* The featured image this post brings: its file part, or the image an
 * earlier answer (a preview, an error) kept waiting for it. */
static const struct upload *chosen_image(struct req *rq, struct editor *ed, struct upload *kept)
{
	const struct upload *up = upload_get(&rq->files, "featured_image");
	const char *tok = kv_get(&rq->form, "pending_image");
	if (up || !tok || !*tok)
		return up;
	if (featured_pending_get(rq->site, rq->pool, tok, rq->user->id, kept)) {
		ed->err[EF_IMAGE] = "The image chosen before is no longer available: choose it again.";
		return NULL;
	}
	ed->pending = tok;
	return kept;
}

/* The form comes back (a preview, an error): a good new image waits for
 * the save instead of being chosen again. */
static void keep_image(struct req *rq, struct editor *ed, const struct upload *up,
		       const struct featured *img)
{
	if (!up || ed->err[EF_IMAGE])
		return;
	if (!ed->pending &&
	    featured_pending_put(rq->site, rq->pool, up, rq->user->id, &ed->pending)) {
		ed->err[EF_IMAGE] = "The image could not be kept: choose it again when you save.";
		return;
	}
	ed->pending_w = img->width;
	ed->pending_h = img->height;
}

/* Checks a chosen featured image by its bytes (admin_media_check); img
 * gets its size for the form that comes back. */
static void image_check(struct req *rq, const struct upload *up, struct media_input *in,
			struct featured *img, const char **err)
{
	const char *why;
	if (admin_media_check(rq, up, in, &why)) {
		*err = pool_printf(rq->pool, "The featured image was refused: %s. Choose a JPEG, PNG, "
					     "WebP or GIF picture.", why);
		return;
	}
	img->width = in->turned ? in->height : in->width;
	img->height = in->turned ? in->width : in->height;
}

/* The library item the form's featured_media names, when it is not the
 * story's image already: 1 with *m, 0 (an error set when it is missing). */
static int library_item(struct req *rq, struct editor *ed, const struct story_edit *old,
			struct media_record *m)
{
	unsigned long long id;
	if (!*ed->val[EF_MEDIA] || num_parse_u64(ed->val[EF_MEDIA], 1ULL << 62, &id))
		return 0;
	if (old && old->featured_media_id == (long long)id)
		return 0;
	if (store_media_get(rq->store, rq->pool, (long long)id, m) != STORE_OK) {
		ed->err[EF_MEDIA] = pool_printf(rq->pool, "There is no library item %llu.", id);
		return 0;
	}
	return 1;
}

/* The story as stored (*old NULL for a new one): 0, or -1 with the
 * answer in rs. */
static int load_current(struct req *rq, struct resp *rs, long long id, struct story_edit **old)
{
	*old = NULL;
	if (!id)
		return 0;
	*old = pool_alloc(rq->pool, sizeof **old);
	return admin_story_load(rq, rs, id, *old) ? -1 : 0;
}

static void submit(struct req *rq, struct resp *rs, enum action act)
{
	long long id = guard_story_id(rq);
	struct story_edit *old, e;
	if (load_current(rq, rs, id, &old))
		return;
	struct editor ed = { .cur = old };
	read_form(rq, &ed);
	if (old && !*ed.val[EF_VERSION])
		ed.err[EF_VERSION] = fields[EF_VERSION].missing_msg;
	build(rq, old, &ed, act, &e);
	/* the featured image: checked by content whatever the action, written
	 * only when everything else is fine and the story is being saved */
	struct upload kept;
	const struct upload *up = chosen_image(rq, &ed, &kept);
	struct featured img = { 0 };
	struct media_input in;
	struct media_record lib;
	int use_lib = 0;
	if (up && !ed.err[EF_IMAGE])
		image_check(rq, up, &in, &img, &ed.err[EF_IMAGE]);
	else if (!up && !ed.err[EF_MEDIA])
		use_lib = library_item(rq, &ed, old, &lib);
	int nerr = count_errors(&ed);
	int removing = kv_get(&rq->form, "remove_image") && !up;
	int has_image = up || (!removing && (use_lib || (e.featured_image && *e.featured_image)));
	if (act == ACT_PREVIEW || nerr) {
		keep_image(rq, &ed, up, &img);
		if (act == ACT_PREVIEW && render_body(rq, &e, has_image) == 0)
			ed.preview_html = e.s.body_html;
		show(rq, rs, nerr ? 422 : 200, &ed);
		return;
	}
	if (render_body(rq, &e, has_image)) {
		ed.general = "The story could not be rendered: it may be too long.";
		show(rq, rs, 422, &ed);
		return;
	}
	if (up) { /* into the library: variants made, metadata stripped */
		const char *why = NULL;
		int added;
		if (admin_media_take(rq, &in, &lib, &added, &why)) {
			ed.err[EF_IMAGE] = pool_printf(rq->pool, "The featured image was not stored: %s.", why);
			show(rq, rs, 422, &ed);
			return;
		}
		use_lib = 1;
		log_info("admin: %s chose media %lld as a featured image (client named it \"%.80s\")",
			 rq->user->email, lib.id, up->filename);
	}
	if (removing) {
		e.featured_image = "";
		e.featured_width = e.featured_height = 0;
		e.featured_bytes = 0;
		e.featured_media_id = 0;
	} else if (use_lib && lib.id != e.featured_media_id) {
		if (admin_media_jpeg(rq, &lib, ADMIN_FEATURED_WIDTH, &img)) {
			ed.err[EF_MEDIA] = "That library item has no JPEG size to show: choose another.";
			show(rq, rs, 422, &ed);
			return;
		}
		e.featured_image = img.path;
		e.featured_width = img.width;
		e.featured_height = img.height;
		e.featured_bytes = img.bytes;
		e.featured_media_id = lib.id;
	}
	const char *changed = changes(rq->pool, old, &e);
	/* marked updated: only a published story that stays published */
	int mark = ed.mark_updated && old && old->s.status == STORY_PUBLISHED &&
		   e.s.status == STORY_PUBLISHED;
	if (mark)
		changed = changed ? pool_cat(rq->pool, changed, ", marked updated", NULL)
				  : "marked updated";
	if (!changed) { /* nothing to write: no revision, no version, no change */
		store_drafts_drop(rq->store, rq->user->id, id);
		admin_done(rq, rs, pool_printf(rq->pool, "/admin/stories/%lld", id), "unchanged");
		return;
	}
	/* a new library item stays in the library */
	int rc = write_story(rq, old, &e, changed, mark ? (long long)time(NULL) : 0);
	if (!rc && old && strcmp(old->featured_image, e.featured_image) != 0)
		featured_remove(rq->site, rq->pool, old->featured_image); /* replaced or removed */
	if (rc == STORE_CONFLICT && strstr(store_errmsg(rq->store), "slug")) {
		ed.err[EF_SLUG] = "Another story already uses this slug: choose another.";
		keep_image(rq, &ed, up, &img);
		show(rq, rs, 422, &ed);
		return;
	}
	if (rc == STORE_CONFLICT) {
		keep_image(rq, &ed, up, &img);
		conflict(rq, rs, &ed, old);
		return;
	}
	if (rc) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Not saved", "The story could not be saved. Please try again.");
		return;
	}
	if (ed.pending)
		featured_pending_drop(rq->site, rq->pool, ed.pending, rq->user->id);
	store_drafts_drop(rq->store, rq->user->id, id); /* kept text is older than this save */
	static const char *const msg[] = { "saved", "submitted", "published", "unpublished", NULL };
	const char *key = msg[act];
	if (act == ACT_PUBLISH && e.s.status == STORY_SCHEDULED)
		key = "scheduled";
	log_info("admin: %s %s story %lld (%s)", rq->user->email, key, e.s.id,
		 story_status_name(e.s.status));
	admin_done(rq, rs, pool_printf(rq->pool, "/admin/stories/%lld", e.s.id), key);
}

void admin_editor_save(struct req *rq, struct resp *rs) { submit(rq, rs, ACT_SAVE); }
void admin_editor_submit(struct req *rq, struct resp *rs) { submit(rq, rs, ACT_SUBMIT); }
void admin_editor_publish(struct req *rq, struct resp *rs) { submit(rq, rs, ACT_PUBLISH); }
void admin_editor_unpublish(struct req *rq, struct resp *rs) { submit(rq, rs, ACT_UNPUBLISH); }
void admin_editor_preview(struct req *rq, struct resp *rs) { submit(rq, rs, ACT_PREVIEW); }

/* ---- kept text: the signed-out save and the autosave ---- */

static const char *new_token(struct pool *p)
{
	unsigned char raw[32];
	char hex[DRAFT_TOKEN_HEX];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	return pool_strdup(p, hex);
}

/* The form's fields as a draft of story_id for user_id (0: no owner yet). */
static void to_draft(struct req *rq, const struct editor *ed, long long user_id,
		     long long story_id, enum draft_kind kind, struct draft *d)
{
	unsigned long long v = 0;
	if (*ed->val[EF_VERSION])
		num_parse_u64(ed->val[EF_VERSION], 1ULL << 62, &v);
	*d = (struct draft){ .token = new_token(rq->pool), .user_id = user_id,
			     .story_id = story_id, .kind = kind, .base_version = (long long)v,
			     .title = ed->val[EF_TITLE], .slug = ed->val[EF_SLUG],
			     .excerpt = ed->val[EF_EXCERPT], .body = ed->val[EF_BODY],
			     .section = ed->val[EF_SECTION], .tags = ed->val[EF_TAGS],
			     .author = ed->val[EF_AUTHOR], .published_at = ed->val[EF_WHEN],
			     .comments_open = ed->comments_open };
}

/* 1 when the posted form is the editor's and every field passed its
 * checks (a missing title aside: the text is still worth keeping). */
static int editor_form_ok(struct req *rq, struct editor *ed)
{
	read_form(rq, ed);
	if (!*ed->val[EF_TITLE])
		ed->err[EF_TITLE] = NULL;
	return count_errors(ed) == 0 && kv_get(&rq->form, "gz_csrf") &&
	       (*ed->val[EF_TITLE] || *ed->val[EF_BODY]);
}

/* A stash is stored under a key that only the browser that posted it
 * can name again: a hash of its (ended) session's id and the token the
 * sign-in redirect carries. The claim at sign-in recomputes it from the
 * same browser's old cookie, so a stash posted by someone else, whose
 * token a victim is sent, is never claimed by the victim. */
static const char *stash_key(struct req *rq, const char *session_id, const char *token)
{
	unsigned char h[32];
	char hex[2 * sizeof h + 1];
	const char *msg = pool_cat(rq->pool, "stash:", session_id, ":", token, NULL);
	crypto_generichash(h, sizeof h, (const unsigned char *)msg, strlen(msg), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return pool_strdup(rq->pool, hex);
}

/* The id of the session the request's cookie names (alive or ended) when
 * the form's gz_csrf is that session's token: the post came from a page
 * of ours that a signed-in browser loaded. NULL otherwise. */
static const char *ended_session(struct req *rq)
{
	char id[SESSION_TOKEN_HEX], want[CSRF_TOKEN_HEX];
	const char *cookie = kv_get(&rq->cookies, SESSION_COOKIE);
	const char *sent = kv_get(&rq->form, CSRF_FIELD);
	if (!cookie || !sent || session_token_id(cookie, id))
		return NULL;
	csrf_token(rq->site, id, want);
	if (strlen(sent) != strlen(want) || sodium_memcmp(sent, want, strlen(want)) != 0)
		return NULL;
	return pool_strdup(rq->pool, id);
}

void admin_editor_stash(struct req *rq, struct resp *rs)
{
	struct editor ed = { 0 };
	long long id = guard_story_id(rq);
	int is_new = rq->nparams >= 1 && strcmp(rq->params[0], "new") == 0;
	struct draft d;
	struct story s;
	const char *sid = ended_session(rq);
	/* from our own page (Origin) in a browser that was signed in (its old
	 * session's token), for a story that exists, with the editor's fields */
	if (!csrf_origin_ok(rq) || !sid || (!id && !is_new) ||
	    (id && store_story_by_id(rq->store, rq->pool, id, &s) != STORE_OK) ||
	    !editor_form_ok(rq, &ed)) {
		resp_redirect(rs, 303, "/admin/sign-in");
		return;
	}
	to_draft(rq, &ed, 0, id, DRAFT_STASH, &d);
	const char *token = d.token;
	d.token = stash_key(rq, sid, token);
	if (store_draft_put(rq->store, &d, (long long)time(NULL))) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		resp_redirect(rs, 303, "/admin/sign-in");
		return;
	}
	log_info("admin: kept a signed-out post to %s from %s until the next sign-in", rq->path,
		 rq->client_ip);
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/admin/sign-in?msg=expired&next=");
	url_query(&b, is_new ? pool_printf(rq->pool, "/admin/stories/new?draft=%s", token)
			     : pool_printf(rq->pool, "/admin/stories/%lld?draft=%s", id, token));
	resp_redirect(rs, 303, pool_strdup(rq->pool, buf_str(&b)));
	buf_release(&b);
}

void admin_editor_claim(struct req *rq, const char *next, long long user_id)
{
	const char *q = next ? strchr(next, '?') : NULL;
	const char *t = q ? strstr(q, "draft=") : NULL;
	char old[SESSION_TOKEN_HEX];
	const char *cookie = kv_get(&rq->cookies, SESSION_COOKIE); /* the ended session's */
	if (!t || (t[-1] != '?' && t[-1] != '&') || !cookie || session_token_id(cookie, old))
		return;
	t += 6;
	size_t n = strspn(t, "0123456789abcdef");
	if (n != DRAFT_TOKEN_HEX - 1)
		return;
	const char *tok = pool_strndup(rq->pool, t, n);
	if (store_draft_claim(rq->store, stash_key(rq, old, tok), tok, user_id,
			      (long long)time(NULL)) == 1)
		log_info("admin: user %lld took back the text kept at sign-in", user_id);
}

static void answer(struct resp *rs, int status, const char *state, const char *message)
{
	rs->status = status;
	rs->content_type = "application/json";
	rs->cache_control = "private, no-store";
	buf_puts(&rs->body, "{\"state\":");
	json_string(&rs->body, state);
	buf_puts(&rs->body, ",\"message\":");
	json_string(&rs->body, message);
	buf_puts(&rs->body, "}\n");
}

void admin_editor_autosave(struct req *rq, struct resp *rs)
{
	long long id = guard_story_id(rq), now = (long long)time(NULL);
	struct story_edit *old, e;
	if (load_current(rq, rs, id, &old))
		return;
	struct editor ed = { .cur = old };
	if (!editor_form_ok(rq, &ed)) {
		answer(rs, 422, "invalid", "Not autosaved: the form has errors. Save to see them.");
		return;
	}
	unsigned long long v = 0;
	if (old && (num_parse_u64(ed.val[EF_VERSION], 1ULL << 62, &v) || (long long)v != old->version)) {
		/* a newer save exists: this text must not look newer than it */
		answer(rs, 409, "conflict",
		       "This story was saved by someone else since you opened it, so autosave has "
		       "stopped. Copy your text, then open the story again.");
		return;
	}
	build(rq, old, &ed, ACT_SAVE, &e);
	if (old && !changes(rq->pool, old, &e)) {
		store_drafts_drop(rq->store, rq->user->id, id);
		answer(rs, 200, "unchanged", "No changes since the last save.");
		return;
	}
	struct draft d;
	to_draft(rq, &ed, rq->user->id, id, DRAFT_AUTOSAVE, &d);
	if (store_draft_put(rq->store, &d, now)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		answer(rs, 500, "error", "Not autosaved: the server could not store the draft.");
		return;
	}
	answer(rs, 200, "saved",
	       pool_printf(rq->pool, "Draft autosaved at %s %s (not published).",
			   admin_datetime(rq->pool, now, &rq->site->zone) + 11, rq->site->zone.name));
}

/* ---- revisions ---- */

struct diff_out { struct pool *p; struct tv *list; size_t changed; };

static void diff_add(void *arg, enum diff_op op, const char *line, size_t len)
{
	struct diff_out *d = arg;
	static const char *const cls[] = { "same", "del", "add" };
	static const char *const sign[] = { " ", "-", "+" };
	struct tv *o = tv_obj(d->p);
	tv_put_str(o, "class", cls[op]);
	tv_put_str(o, "sign", sign[op]);
	tv_put_str(o, "text", pool_strndup(d->p, line, len));
	tv_append(d->list, o);
	d->changed += op != DIFF_SAME;
}

static int rev_param(struct req *rq, const char *s, long long story_id, struct revision *r)
{
	unsigned long long v;
	if (!s || num_parse_u64(s, 1ULL << 62, &v))
		return -1;
	return store_revision_get(rq->store, rq->pool, (long long)v, r) == STORE_OK &&
			       r->story_id == story_id
		       ? 0
		       : -1;
}

void admin_revisions(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	long long id = guard_story_id(rq);
	struct story_edit *cur = pool_alloc(p, sizeof *cur);
	if (admin_story_load(rq, rs, id, cur))
		return;
	struct revision *v = NULL;
	size_t n = 0;
	store_revisions(rq->store, p, id, &v, &n);
	struct tv *ctx = admin_ctx(rq, pool_printf(p, "Revisions: %s", cur->s.title), "/admin/stories");
	struct tv *list = tv_list(p);
	const char *sel = kv_get(&rq->query, "rev");
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", v[i].id);
		tv_put_int(o, "version", v[i].version);
		tv_put_str(o, "who", v[i].user_name);
		tv_put_str(o, "when", admin_datetime(p, v[i].created_at, &rq->site->zone));
		tv_put_str(o, "when_iso", date_iso(p, v[i].created_at, NULL));
		tv_put_str(o, "changed", v[i].changed);
		tv_put_str(o, "title", v[i].title);
		tv_put_str(o, "status", story_status_name(v[i].status));
		tv_put_bool(o, "current", v[i].version == cur->version);
		tv_put_bool(o, "selected", sel && atoll(sel) == v[i].id);
		tv_append(list, o);
	}
	struct tv *so = tv_obj(p);
	tv_put_int(so, "id", id);
	tv_put_str(so, "title", cur->s.title);
	tv_put(ctx, "story", so);
	tv_put(ctx, "revisions", list);
	struct revision r;
	if (sel && rev_param(rq, sel, id, &r) == 0) {
		struct tv *d = tv_obj(p);
		struct diff_out out = { p, tv_list(p), 0 };
		diff_lines(r.body_md, cur->s.body_md, diff_add, &out);
		tv_put_int(d, "id", r.id);
		tv_put_int(d, "version", r.version);
		tv_put_str(d, "who", r.user_name);
		tv_put_str(d, "when", admin_datetime(p, r.created_at, &rq->site->zone));
		tv_put_str(d, "old_title", r.title);
		tv_put_str(d, "new_title", cur->s.title);
		tv_put_bool(d, "title_changed", strcmp(r.title, cur->s.title) != 0);
		tv_put_bool(d, "same", out.changed == 0 && strcmp(r.title, cur->s.title) == 0);
		tv_put(d, "lines", out.list);
		tv_put_bool(d, "is_current", r.version == cur->version);
		tv_put(ctx, "diff", d);
	}
	admin_render(rq, rs, 200, "admin-revisions", ctx);
}

void admin_revision_restore(struct req *rq, struct resp *rs)
{
	long long id = guard_story_id(rq);
	struct story_edit *cur = pool_alloc(rq->pool, sizeof *cur);
	if (admin_story_load(rq, rs, id, cur))
		return;
	struct revision r;
	if (rq->nparams < 2 || rev_param(rq, rq->params[1], id, &r)) {
		http_error(rq, rs, 404, "Not found", "There is no such revision of this story.");
		return;
	}
	struct story_edit e = *cur;
	e.s.title = r.title;
	e.s.excerpt = r.excerpt;
	e.s.body_md = r.body_md;
	e.s.updated_at = (long long)time(NULL);
	if (render_body(rq, &e, e.featured_image && *e.featured_image)) {
		http_error(rq, rs, 500, "Not restored", "The revision could not be rendered.");
		return;
	}
	const char *changed = pool_printf(rq->pool, "restored version %lld", r.version);
	int rc = write_story(rq, cur, &e, changed, 0);
	if (rc) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, rc == STORE_CONFLICT ? 409 : 500, "Not restored",
			   "The revision could not be restored. Please try again.");
		return;
	}
	admin_done(rq, rs, pool_printf(rq->pool, "/admin/stories/%lld", id), "restored");
}
