/*
 * import: WordPress WXR -> Gazette (see import.h for the mapping).
 *
 * The one design decision: two streaming passes over the file and one
 * transaction. The first pass only learns the attachments (a gallery may
 * name images exported after the post) and the number of items (for the
 * progress bar); the second writes everything inside BEGIN ... COMMIT.
 * Nothing touches the filesystem before the commit except a private
 * staging folder inside media/, renamed into place only after it, so an
 * error, --dry-run, SIGINT or kill -9 leaves the site as it was.
 *
 * This file is the driver: it walks the channel, authors, terms and items
 * and writes users, sections, tags, stories, comments, redirects and the
 * import map inside the transaction. What it hands off: the uploads and
 * the staging folder (import_media.c), turning WordPress content into the
 * stored HTML and text (import_body.c), and the counters, progress and
 * summary (import_report.c); import_int.h is what they share.
 */
#include "import_int.h"
#include "../store/store_front.h"
#include "../media/av.h"
#include "wxr.h"
#include "../comments/comment_text.h"
#include "../content/publish.h"
#include "../content/readtime.h"
#include "../content/sanitize.h"
#include "../content/section.h"
#include "../content/slug.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../store/store_redirect.h"
#include "../store/store_section.h"
#include "../util/pool.h"
#include "../util/num.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

int import_store_failed(struct imp *im, const char *what)
{
	if (!im->failed)
		snprintf(im->err, im->errlen, "%s: %s", what, store_errmsg(im->st));
	im->failed = 1;
	return -1;
}

/* ---------------------------------------------------------------- small helpers */

/* "YYYY-MM-DD HH:MM:SS" as UTC seconds; -1 when absent or zero. */
static long long parse_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) < 3 || y < 1970 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return (long long)timegm(&tm);
}

static long long item_date(const char *gmt, const char *local)
{
	long long t = parse_date(gmt);
	return t >= 0 ? t : parse_date(local);
}

/* The source's offset east of UTC for an item, from its local and GMT
 * dates: 1 and *off, or 0 when either is absent (a draft's GMT date is
 * zero) or the difference is no zone's (past 14 hours, not whole minutes). */
static int item_offset(const char *gmt, const char *local, int *off)
{
	long long g = parse_date(gmt), l = parse_date(local);
	if (g < 0 || l < 0 || l - g > 14 * 3600 || g - l > 14 * 3600 || (l - g) % 60)
		return 0;
	*off = (int)(l - g);
	return 1;
}

/* WordPress keeps non-ASCII slugs percent-encoded: decode for slug_make. */
static char *pct_decode(struct pool *p, const char *s)
{
	char *out = pool_alloc(p, strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s == '%' && num_hex_digit(s[1]) >= 0 && num_hex_digit(s[2]) >= 0) {
			*o++ = (char)(num_hex_digit(s[1]) * 16 + num_hex_digit(s[2]));
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

const char *import_slug(struct pool *p, const char *wp_slug, const char *fallback)
{
	char out[SLUG_MAX + 1];
	if (slug_make(pct_decode(p, wp_slug), out, sizeof out) == 0 &&
	    slug_make(fallback ? fallback : "", out, sizeof out) == 0)
		return "";
	return pool_strdup(p, out);
}

const char *import_old_path(struct imp *im, struct pool *p, const char *url)
{
	const char *bases[2] = { im->base, im->blog };
	for (int i = 0; i < 2; i++) {
		const char *b = bases[i];
		size_t bl = strlen(b);
		while (bl && b[bl - 1] == '/')
			bl--;
		if (!bl || strncmp(url, b, bl) != 0)
			continue;
		const char *rest = url + bl;
		if (*rest == '\0')
			return "/";
		if (*rest != '/' && *rest != '?')
			continue;
		const char *hash = strchr(rest, '#');
		size_t n = hash ? (size_t)(hash - rest) : strlen(rest);
		return *rest == '?' ? pool_printf(p, "/%.*s", (int)n, rest)
				    : pool_strndup(p, rest, n);
	}
	return NULL;
}

/* Writes from -> to; with weak, only when from has no redirect yet. */
static int redirect_one(struct imp *im, struct pool *p, const char *from, const char *to, int weak)
{
	const char *was;
	if (weak && store_redirect_get(im->st, p, from, &was) == STORE_OK)
		return 0;
	return store_redirect_put(im->st, from, to) ? import_store_failed(im, "redirect") : 0;
}

static int redirect_pair(struct imp *im, struct pool *p, const char *from, const char *to, int weak)
{
	if (!from || !*from || from[0] != '/' || strcmp(from, to) == 0 || strlen(from) > 2000)
		return 0;
	size_t tl = strlen(to);
	if (strncmp(from, to, tl) == 0 && strcmp(from + tl, "/") == 0)
		return 0; /* the router already serves the trailing-slash form */
	if (redirect_one(im, p, from, to, weak))
		return -1;
	size_t n = strlen(from);
	if (strchr(from, '?') || n < 2)
		return 0;
	const char *alt = from[n - 1] == '/' ? pool_strndup(p, from, n - 1) : pool_printf(p, "%s/", from);
	return strcmp(alt, to) == 0 ? 0 : redirect_one(im, p, alt, to, weak);
}

int import_redirect(struct imp *im, struct pool *p, const char *from, const char *to)
{
	return redirect_pair(im, p, from, to, 0);
}

/* A redirect that never takes an address another item owns: an item's
 * <guid> may name another post's /?p=N (a copied or re-imported post),
 * whose own redirect, written before or after, wins. */
static int redirect_weak(struct imp *im, struct pool *p, const char *from, const char *to)
{
	return redirect_pair(im, p, from, to, 1);
}

const char *import_hash(struct pool *p, const char *const *parts, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h = import_fnv(parts[i] ? parts[i] : "", h);
		h = (h ^ 0x1f) * 1099511628211ull;
	}
	return pool_printf(p, "%016llx", (unsigned long long)h);
}

/* ---------------------------------------------------------------- pass 1 */

/* Pass 1 learns where the old site was (to know its uploads URLs). */
static int p1_channel(void *arg, const struct wxr_channel *c)
{
	struct imp *im = arg;
	im->base = pool_strdup(im->p, c->base_site_url[0] ? c->base_site_url : c->link);
	im->blog = pool_strdup(im->p, c->base_blog_url[0] ? c->base_blog_url : im->base);
	return 0;
}

static int p1_item(void *arg, const struct wxr_item *it)
{
	struct imp *im = arg;
	im->items_total++;
	if (strcmp(it->post_type, "page") == 0)
		return import_pages_learn(im, it) ? 1 : im->o->interrupted && *im->o->interrupted;
	if (strcmp(it->post_type, "attachment") != 0)
		return im->o->interrupted && *im->o->interrupted;
	struct attach *a = import_attach_find(&im->att, it->post_id, 1);
	if (!a)
		return 1;
	free(a->url);
	free(a->caption);
	free(a->alt);
	a->url = strdup(it->attachment_url[0] ? it->attachment_url : it->guid);
	a->caption = strdup(it->excerpt);
	const char *alt = "";
	for (size_t i = 0; i < it->nmeta; i++)
		if (strcmp(it->meta[i].key, "_wp_attachment_image_alt") == 0)
			alt = it->meta[i].value;
	a->alt = strdup(alt);
	free(a->parent);
	a->parent = strdup(it->post_parent);
	a->order = atol(it->menu_order);
	/* the library takes alt and caption from the attachment of a file */
	struct pool *p = pool_new();
	const char *path = import_old_path(im, p, a->url);
	const char *rel = path ? strstr(path, "/wp-content/uploads/") : NULL;
	struct attach *pic = rel ? import_attach_find(&im->pics, rel + 20, 1) : NULL;
	if (pic) {
		free(pic->alt);
		free(pic->caption);
		pic->alt = strdup(alt);
		pic->caption = strdup(it->excerpt);
	}
	pool_free(p);
	return 0;
}

/* ---------------------------------------------------------------- pass 2: channel, authors, terms */

static int on_channel(void *arg, const struct wxr_channel *c)
{
	struct imp *im = arg;
	im->base = pool_strdup(im->p, c->base_site_url[0] ? c->base_site_url : c->link);
	im->blog = pool_strdup(im->p, c->base_blog_url[0] ? c->base_blog_url : im->base);
	im->source = im->base[0] ? im->base : pool_strdup(im->p, c->title);
	/* the site's feeds, once per source */
	long long id;
	if (store_import_map_get(im->st, im->p, im->source, "site", "feeds", &id, NULL) == 0)
		return 0;
	if (store_import_map_put(im->st, im->source, "site", "feeds", 0, ""))
		return import_store_failed(im, "import map"), 1;
	return import_redirect(im, im->p, "/feed/", "/feed") ||
			       import_redirect(im, im->p, "/feed/atom/", "/feed.atom") ||
			       import_redirect(im, im->p, "/comments/feed/", "/comments/feed")
		       ? 1
		       : 0;
}

/* A user for this login: the mapped one, one with the same e-mail, or a
 * new one (no password). */
static int user_for(struct imp *im, struct pool *p, const char *login, const char *email,
		    const char *display, long long *id)
{
	if (store_import_map_get(im->st, p, im->source, "user", login, id, NULL) == STORE_OK)
		return 0;
	const char *mail = *email ? email : pool_printf(p, "%s@wordpress-import.invalid", login);
	struct author a;
	int rc = store_import_user_by_email(im->st, p, mail, &a);
	if (rc == STORE_OK) {
		*id = a.id;
		im->count[N_USERS_KNOWN]++;
	} else if (rc == STORE_NOTFOUND) {
		const char *base = import_slug(p, login, display);
		if (!*base)
			base = "author";
		const char *slug = base;
		for (int k = 2; (rc = store_import_user_slug_taken(im->st, slug)) == 1; k++)
			slug = pool_printf(p, "%s-%d", base, k);
		if (rc < 0 || store_user_add(im->st, *display ? display : login, slug, mail, "",
					     "author", id))
			return import_store_failed(im, "user");
		im->count[N_USERS]++;
		im->changed = 1;
	} else
		return import_store_failed(im, "user");
	if (store_import_map_put(im->st, im->source, "user", login, *id, ""))
		return import_store_failed(im, "import map");
	return 0;
}

static int on_author(void *arg, const struct wxr_author *a)
{
	struct imp *im = arg;
	if (!*a->login)
		return 0;
	struct pool *p = pool_new();
	long long id;
	int known = store_import_map_get(im->st, p, im->source, "user", a->login, &id, NULL) == 0;
	int rc = user_for(im, p, a->login, a->email, a->display_name, &id);
	if (rc == 0 && !known && (*a->first_name || *a->last_name) &&
	    store_import_user_names(im->st, id, a->first_name, a->last_name))
		rc = import_store_failed(im, "user names");
	if (rc == 0 && !known) {
		struct author au;
		const char *nice = import_slug(p, a->login, NULL);
		if (store_author_by_slug(im->st, p, nice, &au) != STORE_OK || au.id != id) {
			/* the Gazette slug differs (taken): find ours by e-mail */
			const char *mail = *a->email ? a->email
						     : pool_printf(p, "%s@wordpress-import.invalid", a->login);
			if (store_import_user_by_email(im->st, p, mail, &au) != STORE_OK)
				au.slug = nice;
		}
		const char *to = pool_printf(p, "/author/%s", au.slug);
		rc = import_redirect(im, p, pool_printf(p, "/author/%s/", nice), to) ||
		     import_redirect(im, p, pool_printf(p, "/author/%s/feed/", nice),
			      pool_printf(p, "/author/%s/feed", au.slug)) ||
		     (*a->id && import_redirect(im, p, pool_printf(p, "/?author=%s", a->id), to));
	}
	pool_free(p);
	return rc ? 1 : 0;
}

static struct term_info *cat_find(struct imp *im, const char *slug)
{
	for (size_t i = 0; i < im->ncats; i++)
		if (strcmp(im->cats[i].slug, slug) == 0)
			return &im->cats[i];
	return NULL;
}

/* The category's old path: parents first, as WordPress builds it. */
static const char *cat_path(struct imp *im, struct pool *p, const char *slug)
{
	const char *path = slug;
	struct term_info *t = cat_find(im, slug);
	for (int depth = 0; t && *t->parent && depth < 16; depth++) {
		path = pool_printf(p, "%s/%s", t->parent, path);
		t = cat_find(im, t->parent);
	}
	return path;
}

static int on_category(struct imp *im, struct pool *p, const struct wxr_term *t)
{
	if (im->ncats == im->capcats) {
		im->capcats = im->capcats ? im->capcats * 2 : 32;
		struct term_info *nv = pool_alloc(im->p, im->capcats * sizeof *nv);
		if (im->ncats)
			memcpy(nv, im->cats, im->ncats * sizeof *nv);
		im->cats = nv;
	}
	struct term_info *ti = &im->cats[im->ncats++];
	ti->slug = pool_strdup(im->p, t->slug);
	ti->parent = pool_strdup(im->p, t->parent);
	ti->section_id = 0;
	long long id;
	if (strcmp(t->slug, "uncategorized") == 0) { /* WordPress' "no category" */
		if (store_import_map_get(im->st, p, im->source, "section", t->slug, &id, NULL) == 0)
			return 0;
		if (store_import_map_put(im->st, im->source, "section", t->slug, 0, ""))
			return import_store_failed(im, "import map");
		return import_redirect(im, p, pool_printf(p, "/category/%s/", t->slug), "/");
	}
	const char *slug = import_slug(p, t->slug, t->name);
	if (store_import_map_get(im->st, p, im->source, "section", t->slug, &id, NULL) != STORE_OK) {
		/* a child category becomes a child section (WordPress lists
		 * parents first); a section already there keeps its place */
		struct section sec;
		struct term_info *up = *t->parent ? cat_find(im, t->parent) : NULL;
		const char *name = *t->name ? t->name : slug;
		int existed = store_section_by_slug(im->st, p, slug, &sec) == STORE_OK;
		long long parent = up ? up->section_id : 0;
		int rc = existed ? (id = sec.id, STORE_OK)
				 : store_section_create(im->st, name, slug, "", parent, &id);
		if (rc == STORE_INVALID) /* the path would be too long: at the top */
			rc = store_section_create(im->st, name, slug, "", 0, &id);
		if (rc || store_section_get(im->st, p, id, &sec) ||
		    store_import_map_put(im->st, im->source, "section", t->slug, id, ""))
			return import_store_failed(im, "section");
		if (!existed) {
			im->count[N_SECTIONS]++;
			im->changed = 1;
		}
		const char *to = section_url(p, sec.path);
		const char *old = pool_printf(p, "/category/%s/", cat_path(im, p, t->slug));
		if (import_redirect(im, p, old, to) ||
		    import_redirect(im, p, pool_printf(p, "%sfeed/", old), pool_printf(p, "%s/feed", to)) ||
		    (*t->id && import_redirect(im, p, pool_printf(p, "/?cat=%s", t->id), to)))
			return -1;
	}
	ti->section_id = id;
	return 0;
}

static int tag_id(struct imp *im, struct pool *p, const char *wp_slug, const char *name,
		  long long *id)
{
	const char *slug = import_slug(p, wp_slug, name);
	if (!*slug)
		return 1;
	if (store_import_map_get(im->st, p, im->source, "tag", wp_slug, id, NULL) == STORE_OK)
		return 0;
	struct tag t;
	/* tags that differ only in case ("Election", "election") are one
	 * tag, the first spelling met; the others' addresses lead to it */
	int rc = *name ? store_import_tag_by_name(im->st, p, name, &t) : STORE_NOTFOUND;
	int existed = rc == STORE_OK;
	if (existed)
		*id = t.id, slug = t.slug;
	else if (rc == STORE_NOTFOUND) {
		existed = store_tag_by_slug(im->st, p, slug, &t) == STORE_OK;
		rc = store_tag_put(im->st, *name ? name : slug, slug, id);
	}
	if (rc || store_import_map_put(im->st, im->source, "tag", wp_slug, *id, ""))
		return import_store_failed(im, "tag");
	if (!existed) {
		im->count[N_TAGS]++;
		im->changed = 1;
	}
	const char *to = pool_printf(p, "/tag/%s", slug);
	if (import_redirect(im, p, pool_printf(p, "/tag/%s/", wp_slug), to) ||
	    import_redirect(im, p, pool_printf(p, "/tag/%s/feed/", wp_slug), pool_printf(p, "%s/feed", to)) ||
	    import_redirect(im, p, pool_printf(p, "/?tag=%s", wp_slug), to))
		return -1;
	return 0;
}

static int on_term(void *arg, const struct wxr_term *t)
{
	struct imp *im = arg;
	struct pool *p = pool_new();
	int rc = 0;
	long long id;
	if (strcmp(t->taxonomy, "category") == 0 && !cat_find(im, t->slug))
		rc = on_category(im, p, t);
	else if (strcmp(t->taxonomy, "post_tag") == 0)
		rc = tag_id(im, p, t->slug, t->name, &id) < 0 ? -1 : 0;
	else if (strcmp(t->taxonomy, "category") != 0)
		import_names_add(&im->taxonomies, *t->taxonomy ? t->taxonomy : "(none)");
	pool_free(p);
	return rc ? 1 : 0;
}

/* ---------------------------------------------------------------- pass 2: items */

int import_status(struct imp *im, const struct wxr_item *it, enum story_status *out)
{
	const char *s = it->status;
	if (strcmp(s, "publish") == 0)
		*out = STORY_PUBLISHED;
	else if (strcmp(s, "future") == 0)
		*out = STORY_SCHEDULED;
	else if (strcmp(s, "pending") == 0)
		*out = STORY_PENDING;
	else if (strcmp(s, "draft") == 0)
		*out = STORY_DRAFT;
	else if (strcmp(s, "private") == 0) {
		*out = STORY_DRAFT;
		im->count[N_PRIVATE]++;
		import_warn(im, "post %s \"%.60s\" is private: imported as a draft", it->post_id, it->title);
	} else if (strcmp(s, "trash") == 0) {
		im->count[N_SKIP_TRASH]++;
		return -1;
	} else if (strcmp(s, "auto-draft") == 0 || strcmp(s, "inherit") == 0) {
		im->count[N_SKIP_AUTODRAFT]++;
		return -1;
	} else {
		*out = STORY_DRAFT;
		import_warn(im, "post %s has unknown status \"%.20s\": imported as a draft", it->post_id, s);
	}
	if (*it->password && *out != STORY_DRAFT) {
		*out = STORY_DRAFT;
		im->count[N_PASSWORD]++;
		import_warn(im, "post %s \"%.60s\" is password-protected: imported as a draft", it->post_id,
		     it->title);
	}
	return 0;
}

/* The sections of an item besides its first (a post in several
 * categories is listed in each). */
struct more_sections {
	long long *v;
	size_t n;
};

static void more_add(struct more_sections *m, const struct story *s, long long id)
{
	for (size_t k = 0; k < m->n; k++)
		if (m->v[k] == id)
			return;
	if (id != s->section.id)
		m->v[m->n++] = id;
}

/* The logins of a co-author plugin's terms (Co-Authors Plus: taxonomy
 * "author", the term's name the user's login, its slug "cap-NAME"), in
 * byline order. */
struct bylines {
	const char **login;
	size_t n;
};

static void byline_add(struct bylines *b, const struct wxr_item_term *t)
{
	const char *login = *t->name ? t->name : t->nicename;
	if (!*t->name && strncmp(login, "cap-", 4) == 0)
		login += 4;
	for (size_t k = 0; k < b->n; k++)
		if (strcmp(b->login[k], login) == 0)
			return;
	if (*login)
		b->login[b->n++] = login;
}

/* Section, tags, co-authors and the hash input for an item's terms. */
static int item_terms(struct imp *im, struct pool *p, const struct wxr_item *it, struct story *s,
		      struct more_sections *more, struct bylines *by, struct buf *hashin)
{
	s->tags = pool_alloc(p, (it->nterms + 1) * sizeof *s->tags);
	s->ntags = 0;
	more->v = pool_alloc(p, (it->nterms + 1) * sizeof *more->v);
	more->n = 0;
	by->login = pool_alloc(p, (it->nterms + 1) * sizeof *by->login);
	by->n = 0;
	for (size_t i = 0; i < it->nterms; i++) {
		const struct wxr_item_term *t = &it->terms[i];
		buf_printf(hashin, "%s:%s,", t->domain, t->nicename);
		if (strcmp(t->domain, "post_format") == 0) {
			import_names_add(&im->taxonomies, "post_format (ignored)");
			continue;
		}
		if (strcmp(t->domain, "author") == 0) {
			byline_add(by, t);
			continue;
		}
		if (strcmp(t->domain, "category") == 0) {
			struct term_info *ti = cat_find(im, t->nicename);
			if (!ti) { /* a category the channel did not declare (WXR 1.0) */
				struct wxr_term wt = { "", "category", t->nicename, t->name, "", "" };
				if (on_category(im, p, &wt))
					return -1;
				ti = cat_find(im, t->nicename);
			}
			if (!ti->section_id)
				continue; /* uncategorized */
			if (!s->section.id)
				s->section.id = ti->section_id;
			else
				more_add(more, s, ti->section_id);
			continue;
		} else if (strcmp(t->domain, "post_tag") != 0) {
			im->count[N_CUSTOM_TERMS]++;
		}
		long long id;
		int rc = tag_id(im, p, t->nicename, t->name, &id);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			int dup = 0;
			for (size_t k = 0; k < s->ntags; k++)
				dup |= s->tags[k].id == id;
			if (!dup)
				s->tags[s->ntags++].id = id;
		}
	}
	return 0;
}

static enum comment_status comment_status_of(const char *approved)
{
	if (strcmp(approved, "1") == 0 || strcmp(approved, "approve") == 0)
		return COMMENT_APPROVED;
	if (strcmp(approved, "spam") == 0)
		return COMMENT_SPAM;
	if (strcmp(approved, "trash") == 0 || strcmp(approved, "post-trashed") == 0)
		return COMMENT_TRASH;
	return COMMENT_PENDING;
}

struct cmap { const char *wp_id, *wp_parent; long long id; };

static int import_comments(struct imp *im, struct pool *p, const struct wxr_item *it,
			   long long story_id)
{
	struct cmap *v = pool_alloc(p, (it->ncomments + 1) * sizeof *v);
	size_t n = 0, added = 0;
	for (size_t i = 0; i < it->ncomments; i++) {
		const struct wxr_comment *c = &it->comments[i];
		if (strcmp(c->type, "pingback") == 0 || strcmp(c->type, "trackback") == 0) {
			im->count[N_SKIP_PINGS]++;
			continue;
		}
		long long id;
		if (store_import_map_get(im->st, p, im->source, "comment", c->id, &id, NULL) == 0) {
			im->count[N_COMMENTS_KNOWN]++;
			v[n++] = (struct cmap){ c->id, c->parent, id };
			continue;
		}
		struct buf text;
		buf_init(&text, 0);
		import_body_text(c->content, &text);
		struct comment cm;
		memset(&cm, 0, sizeof cm);
		cm.story_id = story_id;
		cm.author = *c->author ? c->author : "Anonymous";
		cm.email = c->email;
		cm.url = sanitize_url_ok(c->url) && strncmp(c->url, "http", 4) == 0 ? c->url : "";
		cm.body = buf_str(&text);
		struct buf chtml;
		buf_init(&chtml, 0);
		comment_text_html(&chtml, cm.body); /* derived at write time, as new comments are */
		cm.body_html = buf_str(&chtml);
		cm.ip = c->ip;
		cm.status = comment_status_of(c->approved);
		cm.created_at = item_date(c->date_gmt, c->date);
		if (cm.created_at < 0)
			cm.created_at = 0;
		int rc = store_import_comment_add(im->st, &cm, &id);
		buf_release(&text);
		buf_release(&chtml);
		if (rc || store_import_map_put(im->st, im->source, "comment", c->id, id, ""))
			return import_store_failed(im, "comment");
		import_names_add(&im->comment_status, comment_status_name(cm.status));
		im->count[N_COMMENTS]++;
		added++;
		v[n++] = (struct cmap){ c->id, c->parent, -id }; /* negative: parent to set */
	}
	/* threads: parents may come after their replies, or from an earlier import */
	for (size_t i = 0; i < n; i++) {
		if (v[i].id > 0)
			continue;
		v[i].id = -v[i].id;
		if (!*v[i].wp_parent || strcmp(v[i].wp_parent, "0") == 0)
			continue;
		long long parent = 0;
		for (size_t k = 0; k < n && !parent; k++)
			if (strcmp(v[k].wp_id, v[i].wp_parent) == 0)
				parent = v[k].id < 0 ? -v[k].id : v[k].id;
		if (!parent)
			store_import_map_get(im->st, p, im->source, "comment", v[i].wp_parent, &parent,
					     NULL);
		if (!parent) {
			im->count[N_ORPHANS]++;
			continue;
		}
		if (store_import_comment_set_parent(im->st, v[i].id, parent))
			return import_store_failed(im, "comment parent");
	}
	if (added) {
		im->changed = 1;
		if (store_import_story_done(im->st, story_id))
			return import_store_failed(im, "comment count");
	}
	return 0;
}

static int story_redirects(struct imp *im, struct pool *p, const struct wxr_item *it,
			   const struct story *s)
{
	char ymd[32], ym[32];
	time_t t = (time_t)s->published_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ymd, sizeof ymd, "/%Y/%m/%d/", &tm);
	strftime(ym, sizeof ym, "/%Y/%m/", &tm);
	const char *to = pool_printf(p, "%s%s", ymd, s->slug);
	const char *wp = *it->post_name ? it->post_name : NULL;
	const char *link = import_old_path(im, p, it->link);
	const char *guid = import_old_path(im, p, it->guid);
	const char *q = pool_printf(p, "/?p=%s", it->post_id);
	if (import_redirect(im, p, link, to) || import_redirect(im, p, q, to) ||
	    (guid && strchr(guid, '?') && redirect_weak(im, p, guid, to)))
		return -1;
	if (link && strchr(link, '?') == NULL) {
		size_t n = strlen(link);
		const char *feed = pool_printf(p, "%s%sfeed/", link, n && link[n - 1] == '/' ? "" : "/");
		if (import_redirect(im, p, feed, pool_printf(p, "%s/comments/feed", to)))
			return -1;
	}
	if (!wp)
		return 0;
	return import_redirect(im, p, pool_printf(p, "%s%s/", ymd, wp), to) ||
			       import_redirect(im, p, pool_printf(p, "%s%s/", ym, wp), to) ||
			       import_redirect(im, p, pool_printf(p, "/%s/", wp), to)
		       ? -1
		       : 0;
}

/* WordPress's sticky flag: a new published post becomes a featured story
 * of the front page (store_front.h), the last of them; past the 8 the
 * front page holds, a warning. */
static int import_sticky_pin(struct imp *im, const struct wxr_item *it, const struct story *s,
			     long long id)
{
	if (s->status != STORY_PUBLISHED || strcmp(it->is_sticky, "1") != 0)
		return 0;
	int rc = store_front_pin(im->st, id, 0, 0, (long long)time(NULL));
	if (rc == STORE_INVALID) {
		import_warn(im, "post %s is sticky, but the front page has 8 featured stories: not pinned",
			    it->post_id);
		return 0;
	}
	return rc ? import_store_failed(im, "front page pin") : 0;
}

static int import_story(struct imp *im, struct pool *p, const struct wxr_item *it)
{
	struct story s;
	memset(&s, 0, sizeof s);
	if (import_status(im, it, &s.status))
		return 0;
	if (strcmp(it->is_sticky, "1") == 0)
		im->count[N_STICKY]++;
	const char *kind = "post";
	struct buf hashin;
	buf_init(&hashin, 0);
	buf_printf(&hashin, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f", it->title,
		   it->content, it->excerpt, it->status, it->post_date_gmt, it->post_date,
		   it->post_name, it->creator, it->comment_status);
	struct more_sections more;
	struct bylines by;
	if (item_terms(im, p, it, &s, &more, &by, &hashin)) {
		buf_release(&hashin);
		return -1;
	}
	const char *parts[1] = { buf_str(&hashin) };
	const char *hash = import_hash(p, parts, 1);
	buf_release(&hashin);
	long long id = 0;
	const char *old_hash = NULL;
	int known = store_import_map_get(im->st, p, im->source, kind, it->post_id, &id, &old_hash) ==
		    STORE_OK;
	if (known && strcmp(old_hash, hash) == 0) {
		im->count[N_UNCHANGED]++;
		return import_comments(im, p, it, id);
	}
	if (known && !im->o->update) {
		im->count[N_CHANGED_KEPT]++;
		return import_comments(im, p, it, id);
	}
	/* author */
	/* author: the co-author plugin's first, else WordPress's own */
	const char *login = by.n ? by.login[0] : *it->creator ? it->creator : "wordpress";
	long long *coauthors = pool_alloc(p, (by.n + 1) * sizeof *coauthors);
	size_t ncoauthors = 0;
	if (user_for(im, p, login, "", login, &s.author.id))
		return -1;
	for (size_t i = 1; i < by.n; i++) {
		long long uid;
		if (user_for(im, p, by.login[i], "", by.login[i], &uid))
			return -1;
		int dup = uid == s.author.id; /* two logins, one e-mail: one person */
		for (size_t k = 0; k < ncoauthors; k++)
			dup |= coauthors[k] == uid;
		if (!dup)
			coauthors[ncoauthors++] = uid;
	}
	s.published_at = item_date(it->post_date_gmt, it->post_date);
	if (s.published_at < 0) {
		s.published_at = (long long)time(NULL);
		import_warn(im, "post %s has no date: dated now", it->post_id);
	}
	long long mod = item_date(it->modified_gmt, it->modified);
	s.updated_at = mod > s.published_at ? mod : s.published_at;
	s.comments_open = strcmp(it->comment_status, "open") == 0;
	/* slug: WordPress' own, unique among stories */
	const char *base = import_slug(p, it->post_name, it->title);
	if (!*base)
		base = pool_printf(p, "%s-%s", kind, it->post_id);
	s.slug = base;
	int taken;
	for (int k = 2; (taken = store_import_story_slug_taken(im->st, s.slug, id)) == 1; k++)
		s.slug = pool_printf(p, "%s-%d", base, k);
	if (taken < 0)
		return import_store_failed(im, "slug");
	/* body, text, excerpt (the slug names the story in the report) */
	im->post_id = it->post_id;
	im->owner = pool_printf(p, "story: %s", s.slug);
	import_body_item(im, p, it, &s.body_html, &s.body_md);
	s.title = import_title_text(p, it->title);
	if (!*s.title)
		s.title = pool_printf(p, "Untitled %s", it->post_id);
	s.reading_minutes = reading_minutes(s.body_md);
	struct buf ex;
	buf_init(&ex, 0);
	import_body_text(it->excerpt, &ex);
	/* no excerpt: <!--more-->'s summary, else the opening paragraph (the
	 * story page does not repeat an excerpt that opens the body); either
	 * is the importer's, not the newsroom's (the export leaves it out) */
	int excerpt_auto = ex.len == 0 && *s.body_md;
	s.excerpt = ex.len ? pool_strdup(p, buf_str(&ex)) : import_body_teaser(p, it->content);
	if (!s.excerpt)
		s.excerpt = import_body_excerpt(p, s.body_md);
	buf_release(&ex);
	int off = 0, has_off = item_offset(it->post_date_gmt, it->post_date, &off);
	if (known) {
		s.id = id;
		if (store_import_story_update(im->st, &s))
			return import_store_failed(im, "story update");
		im->count[N_UPDATED]++;
	} else {
		if (store_story_insert(im->st, &s, &id))
			return import_store_failed(im, "story");
		im->count[N_POSTS]++;
		import_names_add(&im->post_status, story_status_name(s.status));
	}
	im->changed = 1;
	if (store_import_story_source(im->st, id, excerpt_auto, has_off, off))
		return import_store_failed(im, "story source");
	if (store_import_map_put(im->st, im->source, kind, it->post_id, id, hash) ||
	    store_import_story_sections(im->st, id, more.v, more.n) ||
	    store_import_story_coauthors(im->st, id, coauthors, ncoauthors))
		return import_store_failed(im, "import map");
	im->count[N_EXTRA_CATS] += more.n > 0;
	if (import_pictures_featured(im, p, it, id))
		return -1;
	if (!known && import_sticky_pin(im, it, &s, id))
		return -1;
	im->post_id = im->owner = NULL;
	if (s.status == STORY_PUBLISHED && story_redirects(im, p, it, &s))
		return -1;
	for (size_t i = 0; i < it->nmeta; i++)
		if (it->meta[i].key[0] != '_')
			import_names_add(&im->unused_meta, it->meta[i].key);
	return import_comments(im, p, it, id);
}

int import_is_picture(const char *rel)
{
	static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif" };
	size_t n = strlen(rel);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t k = strlen(ext[i]);
		if (n > k && strcasecmp(rel + n - k, ext[i]) == 0)
			return 1;
	}
	return 0;
}

int import_is_player_file(const char *rel)
{
	const char *dot = strrchr(rel, '.');
	return dot && !strchr(dot, '/') && av_type_of_ext(dot + 1) != NULL;
}

static int import_attachment(struct imp *im, struct pool *p, const struct wxr_item *it)
{
	long long id;
	if (store_import_map_get(im->st, p, im->source, "attachment", it->post_id, &id, NULL) == 0) {
		im->count[N_UNCHANGED]++;
		return 0;
	}
	struct attach *a = import_attach_find(&im->att, it->post_id, 0);
	const char *url = a && a->url ? a->url : it->attachment_url;
	const char *path = import_old_path(im, p, url);
	const char *rel = path ? strstr(path, "/wp-content/uploads/") : NULL;
	const char *local = NULL;
	if (rel) {
		rel += strlen("/wp-content/uploads/");
		if (!im->o->uploads || !import_media_rel_ok(rel))
			;
		else if (import_is_picture(rel) || import_is_player_file(rel)) {
			/* pictures, audio and video go through the library, never
			 * copied as they came */
			im->owner = pool_printf(p, "attachment %s", it->post_id);
			long long mid;
			if (import_attach_library(im, p, rel, &mid) == 0)
				local = pool_printf(p, "media:%lld", mid);
			im->owner = NULL;
		} else if (import_media_stage(im, rel) == 0)
			local = pool_printf(p, "/media/%s", rel);
	}
	if (local && a && local[0] == '/') {
		free(a->local);
		a->local = strdup(local);
		free(a->url);
		a->url = strdup(local); /* links to the file use the copy */
	}
	if (!local)
		import_media_keep_url(im, url);
	im->count[N_ATTACH]++;
	im->changed = 1;
	if (store_import_map_put(im->st, im->source, "attachment", it->post_id, 0, local ? local : url))
		return import_store_failed(im, "import map");
	if (local && local[0] == '/' &&
	    import_redirect(im, p, pool_printf(p, "/?attachment_id=%s", it->post_id), local))
		return -1;
	return 0;
}

static int on_item(void *arg, const struct wxr_item *it)
{
	struct imp *im = arg;
	if (im->o->interrupted && *im->o->interrupted)
		return 1;
	struct pool *p = pool_new();
	int rc = 0;
	const char *type = it->post_type;
	if (strcmp(type, "post") == 0 || !*type)
		rc = import_story(im, p, it);
	else if (strcmp(type, "page") == 0)
		rc = import_page(im, p, it);
	else if (strcmp(type, "attachment") == 0)
		rc = import_attachment(im, p, it);
	else {
		im->count[N_SKIP_TYPE]++;
		import_names_add(&im->skipped_types, type);
	}
	pool_free(p);
	im->items_done++;
	import_progress(im, 0);
	return rc || im->failed ? 1 : 0;
}

/* ---------------------------------------------------------------- entry */

int import_wordpress(struct store *st, const char *path, const struct import_opts *o,
		     struct buf *report, char *err, size_t errlen)
{
	struct imp im;
	memset(&im, 0, sizeof im);
	im.st = st;
	im.o = o;
	im.p = pool_new();
	im.err = err;
	im.errlen = errlen;
	buf_init(&im.warnings, 0);
	buf_init(&im.kept_urls, 0);
	buf_init(&im.copied, 0);
	buf_init(&im.missing, 0);
	buf_init(&im.made, 0);
	buf_init(&im.pages_later, 0);
	snprintf(im.nonce, sizeof im.nonce, "%08lx%08lx", (unsigned long)getpid() & 0xffffffffu,
		 (unsigned long)time(NULL) & 0xffffffffu);
	if (o->media_dir) { /* the site folder holds media/ and media-originals/ */
		const char *slash = strrchr(o->media_dir, '/');
		im.site_dir = slash ? pool_strndup(im.p, o->media_dir, (size_t)(slash - o->media_dir)) : ".";
	}
	im.started = time(NULL);
	if (o->media_dir)
		import_media_clean_stale(o->media_dir);
	char xerr[400];
	long long redirects0 = 0;
	struct wxr_handler h1 = { &im, p1_channel, NULL, NULL, p1_item, NULL };
	double t0 = import_now();
	int rc = wxr_read_file(path, &h1, xerr, sizeof xerr);
	im.t_scan = import_now() - t0;
	t0 = import_now();
	if (rc == WXR_OK) {
		struct wxr_handler h2 = { &im, on_channel, on_author, on_term, on_item, NULL };
		if (store_begin(st)) {
			import_store_failed(&im, "begin");
			rc = WXR_ERROR;
		} else if (store_import_redirect_count(st, &redirects0)) {
			import_store_failed(&im, "redirects");
			rc = WXR_ERROR;
		} else
			rc = wxr_read_file(path, &h2, xerr, sizeof xerr);
		if (rc == WXR_OK && import_pages_finish(&im))
			rc = WXR_ERROR;
		/* the summary counts the rows written, not the calls made (a
		 * path written twice, a redirect already there) */
		long long redirects1 = 0;
		if (rc == WXR_OK && store_import_redirect_count(st, &redirects1) == 0 &&
		    redirects1 > redirects0)
			im.count[N_REDIRECTS] = (size_t)(redirects1 - redirects0);
	}
	if (rc == WXR_ERROR && !im.failed)
		snprintf(err, errlen, "%s:%s", path, xerr);
	else if (rc == WXR_STOPPED && !im.failed)
		snprintf(err, errlen, "interrupted: nothing was changed");
	im.t_write = import_now() - t0;
	t0 = import_now();
	if (rc == WXR_OK && im.changed &&
	    (publish_refresh_related(st, im.p) || store_import_touch_all(st))) {
		import_store_failed(&im, "related");
		rc = WXR_ERROR;
	}
	im.t_related = import_now() - t0;
	import_progress(&im, 1);
	if (rc == WXR_OK) {
		import_report_write(&im, report, path);
		if (o->dry_run)
			rc = store_rollback(st);
		else if (store_commit(st)) {
			import_store_failed(&im, "commit");
			rc = WXR_ERROR;
		}
	}
	if (rc != WXR_OK)
		store_rollback(st);
	if (rc == WXR_OK && !o->dry_run && import_media_publish(&im))
		buf_puts(report, "warning: some media files could not be moved into media/\n");
	else if (im.staging[0] && (rc != WXR_OK || o->dry_run))
		import_media_discard(&im);
	if (rc != WXR_OK || o->dry_run)
		import_pictures_discard(&im);
	import_attach_free(&im.att);
	import_attach_free(&im.pics);
	import_attach_free(&im.pages);
	buf_release(&im.pages_later);
	buf_release(&im.missing);
	buf_release(&im.made);
	buf_release(&im.warnings);
	buf_release(&im.kept_urls);
	buf_release(&im.copied);
	pool_free(im.p);
	return rc == WXR_OK ? 0 : -1;
}
