/*
 * admin_media: the media library in the newsroom (issue 14): a grid of
 * thumbnails, newest first, searched by alt text, caption, credit and
 * file name; an upload form that takes several pictures at once; each
 * item's page (alt, caption, credit, focal point, the Markdown to paste,
 * its variants, the stories that use it); deletion, refused while a story
 * uses the item. Every picture goes through src/media/ (checked by its
 * bytes, variants made, metadata stripped), and so do a featured image
 * uploaded in the editor and a byline photo (admin_media_check,
 * admin_media_take, admin_media_jpeg).
 *
 * Design decision: an upload of several files is judged file by file. A
 * refused file leaves nothing (media_make removes what it wrote), the
 * good ones are added, and the answer lists both, with media.c's message
 * for each refusal; the page works without JavaScript (admin-media.js
 * only adds drag and drop and the focal point by click). Who may change
 * or delete an item is the route table's (GUARD_MEDIA: own uploads, or
 * CAP_MEDIA_OTHERS).
 */
#include "admin.h"
#include "../auth/roles.h"
#include "featured.h"
#include "../http/multipart.h"
#include "../media/figure.h"
#include "../media/media.h"
#include "../media/media_ref.h"
#include "../pages/pages.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_media.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PER_PAGE 40
#define THUMB_WIDTH 320

enum mf { MF_ALT, MF_CAPTION, MF_CREDIT, MF_FOCAL_X, MF_FOCAL_Y, MF__MAX };

/* A number from 0 to 1 written plainly ("0", "0.25", ".5", "1"). */
static int field_unit(const char *s)
{
	char *end;
	if (strspn(s, "0123456789.") != strlen(s) || strlen(s) > 12)
		return 0;
	double v = strtod(s, &end);
	return end != s && !*end && v >= 0.0 && v <= 1.0;
}

static const struct field_spec fields[MF__MAX] = {
	[MF_ALT] = { "alt", 1000, 0, NULL, "The alt text is too long: the limit is 1,000 bytes.",
		     NULL, NULL },
	[MF_CAPTION] = { "caption", 2000, 0, NULL,
			 "The caption is too long: the limit is 2,000 bytes.", NULL, NULL },
	[MF_CREDIT] = { "credit", 300, 0, NULL, "The credit is too long: the limit is 300 bytes.",
			NULL, NULL },
	[MF_FOCAL_X] = { "focal_x", 20, 1, "Give the focal point's across position (0 to 1).",
			 "Give the focal point's across position as a number from 0 to 1.",
			 field_unit, "Give the focal point's across position as a number from 0 to 1." },
	[MF_FOCAL_Y] = { "focal_y", 20, 1, "Give the focal point's down position (0 to 1).",
			 "Give the focal point's down position as a number from 0 to 1.",
			 field_unit, "Give the focal point's down position as a number from 0 to 1." },
};

/* ---- what the editor and the library share ---- */

/* Checks an upload: a picture within upload_limit, and with av also an
 * audio or video file within media_upload_limit (media_check_any). */
static int check(struct req *rq, const struct upload *up, int av, struct media_input *in,
		 const char **err)
{
	char why[512];
	long limit = rq->site->cfg.upload_limit;
	enum media_err e = MEDIA_TOO_LARGE;
	if (av)
		e = media_check_any(rq->pool, up->data, up->len, up->filename,
				    rq->site->cfg.media_upload_limit, in, why, sizeof why);
	else if (up->len <= (size_t)limit)
		e = media_check(rq->pool, up->data, up->len, up->filename, in, why, sizeof why);
	if ((e == MEDIA_OK && in->kind == MEDIA_KIND_PICTURE && up->len > (size_t)limit) ||
	    (!av && e == MEDIA_TOO_LARGE && up->len > (size_t)limit)) {
		e = MEDIA_TOO_LARGE;
		snprintf(why, sizeof why, "too large: the limit is %ld KB per picture", limit / 1024);
	}
	if (e) {
		*err = pool_strdup(rq->pool, why);
		return -1;
	}
	return 0;
}

int admin_media_check(struct req *rq, const struct upload *up, struct media_input *in,
		      const char **err)
{
	return check(rq, up, 0, in, err);
}

int admin_media_take(struct req *rq, const struct media_input *in, struct media_record *out,
		     int *added, const char **err)
{
	char why[512];
	struct media_made made;
	*added = 0;
	int rc = store_media_by_hash(rq->store, rq->pool, in->hash, out);
	if (rc == STORE_OK)
		return 0; /* the same picture: one entry */
	if (rc == STORE_NOTFOUND && media_make(rq->pool, rq->site->dir, in, &made, why, sizeof why)) {
		*err = pool_strdup(rq->pool, why);
		return -1;
	}
	if (rc == STORE_NOTFOUND) {
		*out = (struct media_record){
			.hash = in->hash, .name = in->name, .mime = in->mime, .ext = in->ext,
			.width = made.width, .height = made.height, .bytes = (long long)in->len,
			.alt = "", .caption = "", .credit = "", .focal_x = 0.5, .focal_y = 0.5,
			.uploaded_by = rq->user->id,
			.variants = media_variants_text(rq->pool, &made),
			.formats = media_formats_text(rq->pool, made.formats),
		};
		rc = store_media_add(rq->store, rq->pool, out, added);
		if (rc == STORE_OK && !*added)
			return 0; /* the same picture, recorded by another taker meanwhile */
		if (rc == STORE_OK) {
			log_info("admin: %s added media %lld (%s, %dx%d)", rq->user->email, out->id,
				 out->name, out->width, out->height);
			return 0;
		}
		media_remove(rq->pool, rq->site->dir, in->hash, in->ext, &made);
	}
	log_error("%s: %s", rq->uri, store_errmsg(rq->store));
	*err = "the library could not record it; please try again";
	return -1;
}

int admin_media_jpeg(struct req *rq, const struct media_record *m, int max_width,
		     struct featured *out)
{
	struct media_file f;
	if (media_jpeg_upto(rq->pool, pool_printf(rq->pool, "%s/media", rq->site->dir), m->hash,
			    m->variants, m->formats, max_width, &f))
		return -1;
	*out = (struct featured){ .path = f.path, .width = f.width, .height = f.height,
				  .bytes = f.bytes };
	return 0;
}

/* ---- the library: grid, search, upload ---- */

/* The thumbnail of m: {id, url, src, width, height, alt, name}. */
static struct tv *thumb(struct pool *p, const struct media_record *m)
{
	struct media_made made;
	struct tv *o = tv_obj(p);
	tv_put_int(o, "id", m->id);
	tv_put_str(o, "url", pool_printf(p, "/admin/media/%lld", m->id));
	tv_put_str(o, "alt", m->alt);
	tv_put_str(o, "name", m->name);
	enum media_class k = media_kind_of(m->mime);
	tv_put_str(o, "kind", media_kind_name(k));
	if (k != MEDIA_KIND_PICTURE) { /* a labelled tile: no picture to show */
		tv_put_bool(o, "is_player", 1);
		tv_put_str(o, "kind_label", k == MEDIA_KIND_AUDIO ? "Audio" : "Video");
		tv_put_str(o, "size", pool_printf(p, "%s, %lld KB", media_kind_name(k),
						  (m->bytes + 1023) / 1024));
		return o;
	}
	tv_put_str(o, "size", pool_printf(p, "%d × %d", m->width, m->height));
	if (media_variants_parse(m->variants, m->formats, &made) == 0) {
		const struct media_variant *v = &made.v[media_pick(&made, THUMB_WIDTH)];
		enum media_format f = made.formats & 1u << MEDIA_WEBP ? MEDIA_WEBP : MEDIA_JPEG;
		tv_put_str(o, "src", pool_printf(p, "/media/%s",
						 media_variant_name(p, m->hash, v->width, f)));
		tv_put_int(o, "width", v->width);
		tv_put_int(o, "height", v->height);
	}
	return o;
}

/* "/admin/media?q=Q&page=N" with q encoded. */
static const char *list_link(struct pool *p, const char *q, size_t page)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "/admin/media?");
	if (q && *q) {
		buf_puts(&b, "q=");
		url_query(&b, q);
		buf_puts(&b, "&");
	}
	buf_printf(&b, "page=%zu", page);
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

/* The library page; result (NULL for none) is what an upload did. */
static void library(struct req *rq, struct resp *rs, int status, struct tv *result)
{
	struct pool *p = rq->pool;
	const char *q = kv_get(&rq->query, "q");
	size_t page = admin_page(rq), n = 0;
	struct media_record *v = NULL;
	struct tv *ctx = admin_ctx(rq, "Media library", "/admin/media");
	if (status == 200 && q && strlen(q) > 200)
		q = pool_strndup(p, q, 200);
	if (store_media_list(rq->store, p, q, (page - 1) * PER_PAGE, PER_PAGE + 1, &v, &n)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		n = 0;
	}
	struct tv *grid = tv_list(p);
	for (size_t i = 0; i < n && i < PER_PAGE; i++) {
		struct tv *o = thumb(p, &v[i]);
		/* the same rule as GUARD_MEDIA: others' items are shown, not linked */
		tv_put_bool(o, "can_edit", role_may_edit_media(rq->user->role,
							       v[i].uploaded_by == rq->user->id));
		tv_append(grid, o);
	}
	tv_put(ctx, "items", grid);
	tv_put_bool(ctx, "has_items", n > 0);
	tv_put_str(ctx, "q", q ? q : "");
	if (n > PER_PAGE)
		tv_put_str(ctx, "next", list_link(p, q, page + 1));
	if (page > 1)
		tv_put_str(ctx, "prev", list_link(p, q, page - 1));
	tv_put_int(ctx, "max_files", ADMIN_MEDIA_MAX_FILES);
	tv_put_int(ctx, "limit_kb", rq->site->cfg.upload_limit / 1024);
	tv_put_int(ctx, "av_limit_mb", rq->site->cfg.media_upload_limit >> 20);
	const struct static_file *js = site_static(rq->site, "admin-media.js");
	if (js)
		tv_put_str(ctx, "script", pool_printf(p, "/static/admin-media.js?v=%s", js->etag));
	if (result)
		tv_put(ctx, "result", result);
	admin_render(rq, rs, status, "admin-media", ctx);
}

void admin_media(struct req *rq, struct resp *rs) { library(rq, rs, 200, NULL); }

void admin_media_upload(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	struct tv *added = tv_list(p), *refused = tv_list(p), *result = tv_obj(p);
	size_t nadded = 0, nrefused = 0;
	for (size_t i = 0; i < rq->files.n; i++) {
		const struct upload *up = &rq->files.v[i];
		struct media_input in;
		struct media_record m;
		const char *err = NULL;
		int is_new = 0;
		if (strcmp(up->name, "files") != 0)
			continue;
		if (check(rq, up, 1, &in, &err) == 0)
			admin_media_take(rq, &in, &m, &is_new, &err);
		if (err) {
			struct tv *o = tv_obj(p);
			tv_put_str(o, "name", media_clean_name(p, up->filename));
			tv_put_str(o, "message", err);
			tv_append(refused, o);
			nrefused++;
			continue;
		}
		struct tv *o = thumb(p, &m);
		tv_put_bool(o, "existing", !is_new);
		tv_append(added, o);
		nadded++;
	}
	if (nadded + nrefused == 0) {
		tv_put_str(result, "error", "Choose one or more picture, audio or video files to upload.");
		library(rq, rs, 422, result);
		return;
	}
	tv_put(result, "added", added);
	tv_put(result, "refused", refused);
	tv_put_bool(result, "has_added", nadded > 0);
	tv_put_bool(result, "has_refused", nrefused > 0);
	library(rq, rs, nadded ? 200 : 422, result);
}

/* ---- one item ---- */

/* The stories using m as a template list {id, title, status, url, how}. */
static struct tv *uses_list(struct req *rq, const struct media_record *m, size_t *n)
{
	struct media_use *u = NULL;
	struct tv *list = tv_list(rq->pool);
	*n = 0;
	if (store_media_uses(rq->store, rq->pool, m, &u, n)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		*n = 0;
	}
	static const char *const how[] = { "in the text", "featured image", "byline photo" };
	for (size_t i = 0; i < *n; i++) {
		struct tv *o = tv_obj(rq->pool);
		int byline = u[i].kind == MEDIA_USE_BYLINE;
		tv_put_int(o, "id", u[i].id);
		tv_put_str(o, "title", u[i].title);
		if (!byline)
			tv_put_str(o, "status", story_status_name(u[i].status));
		tv_put_str(o, "url", pool_printf(rq->pool, byline ? "/admin/users/%lld/profile"
								 : "/admin/stories/%lld", u[i].id));
		tv_put_str(o, "how", how[u[i].kind]);
		tv_append(list, o);
	}
	return list;
}

static struct tv *variants_list(struct pool *p, const struct media_record *m)
{
	struct media_made made;
	struct tv *list = tv_list(p);
	if (media_variants_parse(m->variants, m->formats, &made))
		return list;
	for (size_t i = 0; i < made.nv; i++)
		for (int f = 0; f < MEDIA_FORMAT__MAX; f++) {
			if (!(made.formats & 1u << f))
				continue;
			struct tv *o = tv_obj(p);
			const char *name = media_variant_name(p, m->hash, made.v[i].width, f);
			tv_put_str(o, "name", name);
			tv_put_str(o, "url", pool_printf(p, "/media/%s", name));
			tv_put_str(o, "size", pool_printf(p, "%d × %d", made.v[i].width,
							  made.v[i].height));
			tv_put_str(o, "format", media_format_ext(f));
			tv_append(list, o);
		}
	return list;
}

/* The item's page; vals (NULL: the stored values) refill the form. */
static void item_page(struct req *rq, struct resp *rs, int status, const struct media_record *m,
		      const char *const *vals, const char *const *errs, const char *delete_error)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, pool_printf(p, "Media: %s", m->name), "/admin/media");
	struct tv *f = thumb(p, m);
	struct media_made made;
	if (figure_is_player(m)) { /* the player a story shows, written in one place */
		struct buf b;
		buf_init(&b, 0);
		figure_html(&b, m, NULL, NULL, NULL, 0);
		tv_put_html(f, "player", b.err ? "" : pool_strdup(p, buf_str(&b)));
		buf_release(&b);
		tv_put_str(f, "file", pool_printf(p, "/media/%s", media_av_name(p, m->hash, m->ext)));
	} else if (media_variants_parse(m->variants, m->formats, &made) == 0) {
		const struct media_variant *v = &made.v[media_pick(&made, 960)];
		tv_put_str(f, "preview", pool_printf(p, "/media/%s", media_variant_name(
								      p, m->hash, v->width, MEDIA_JPEG)));
		tv_put_int(f, "preview_width", v->width);
		tv_put_int(f, "preview_height", v->height);
	}
	const char *stored[MF__MAX] = { m->alt, m->caption, m->credit,
					pool_printf(p, "%g", m->focal_x),
					pool_printf(p, "%g", m->focal_y) };
	static const char *const keys[MF__MAX] = { "alt", "caption", "credit", "focal_x", "focal_y" };
	for (int i = 0; i < MF__MAX; i++)
		tv_put_str(f, keys[i], vals ? vals[i] : stored[i]);
	tv_put(f, "errors", admin_error_list(p, errs, errs ? MF__MAX : 0, NULL));
	tv_put_bool(f, "has_errors", errs != NULL);
	tv_put_str(f, "markdown", media_markdown(p, m->id, m->alt, m->caption));
	tv_put_str(f, "type", m->mime);
	tv_put_str(f, "added", admin_datetime(p, m->created_at, &rq->site->zone));
	tv_put_int(f, "kb", (m->bytes + 1023) / 1024);
	tv_put(f, "variants", variants_list(p, m));
	size_t n;
	tv_put(f, "uses", uses_list(rq, m, &n));
	tv_put_bool(f, "used", n > 0);
	if (delete_error)
		tv_put_str(f, "delete_error", delete_error);
	tv_put(ctx, "media", f);
	const struct static_file *js = site_static(rq->site, "admin-media.js");
	if (js)
		tv_put_str(ctx, "script", pool_printf(p, "/static/admin-media.js?v=%s", js->etag));
	admin_render(rq, rs, status, "admin-media-item", ctx);
}

/* The item params[0] names (the guard found it): 0, or -1 answered. */
static int load(struct req *rq, struct resp *rs, struct media_record *m)
{
	if (store_media_get(rq->store, rq->pool, admin_param_id(rq), m) == STORE_OK)
		return 0;
	return admin_not_found(rq, rs, "library item");
}

void admin_media_edit(struct req *rq, struct resp *rs)
{
	struct media_record m;
	if (load(rq, rs, &m) == 0)
		item_page(rq, rs, 200, &m, NULL, NULL, NULL);
}

/* For a user who may change only their own uploads (no CAP_MEDIA_OTHERS):
 * the title of a published or scheduled story that shows m, whose text
 * they would change for readers without the right to publish it; else
 * NULL. */
static const char *live_use(struct req *rq, const struct media_record *m)
{
	struct media_use *u = NULL;
	size_t n = 0;
	if (role_can(rq->user->role, CAP_MEDIA_OTHERS))
		return NULL;
	if (store_media_uses(rq->store, rq->pool, m, &u, &n))
		return "the library could not be read";
	for (size_t i = 0; i < n; i++)
		if (u[i].kind != MEDIA_USE_BYLINE &&
		    (u[i].status == STORY_PUBLISHED || u[i].status == STORY_SCHEDULED))
			return u[i].title;
	return NULL;
}

void admin_media_save(struct req *rq, struct resp *rs)
{
	struct media_record m;
	struct field_val fv[MF__MAX];
	const char *vals[MF__MAX], *errs[MF__MAX];
	if (load(rq, rs, &m))
		return;
	kv_lf(rq->pool, &rq->form);
	size_t nerr = form_validate(rq->pool, fields, MF__MAX, &rq->form, fv);
	for (int i = 0; i < MF__MAX; i++) {
		vals[i] = fv[i].val;
		errs[i] = fv[i].error;
	}
	if (nerr) {
		item_page(rq, rs, 422, &m, vals, errs, NULL);
		return;
	}
	const char *live = live_use(rq, &m);
	if (live) { /* readers see it: a change is an editor's to make */
		http_error(rq, rs, 403, "Not saved",
			   pool_printf(rq->pool, "This item shows in a published or scheduled story "
				       "(%s): only an editor or an admin may change its text now.", live));
		return;
	}
	m.alt = vals[MF_ALT];
	m.caption = vals[MF_CAPTION];
	m.credit = vals[MF_CREDIT];
	m.focal_x = strtod(vals[MF_FOCAL_X], NULL);
	m.focal_y = strtod(vals[MF_FOCAL_Y], NULL);
	if (media_ref_set(rq->store, rq->pool, &m, NULL)) {
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Not saved", "The library item could not be saved. Please try again.");
		return;
	}
	admin_done(rq, rs, pool_printf(rq->pool, "/admin/media/%lld", m.id), "media-saved");
}

void admin_media_delete(struct req *rq, struct resp *rs)
{
	struct media_record m;
	struct media_use *u = NULL;
	struct media_made made;
	size_t n = 0;
	if (load(rq, rs, &m))
		return;
	/* the check and the delete in one transaction: no story takes the
	 * item in between */
	int rc = store_begin(rq->store);
	if (!rc)
		rc = store_media_uses(rq->store, rq->pool, &m, &u, &n);
	if (!rc && n) {
		store_rollback(rq->store);
		item_page(rq, rs, 409, &m, NULL, NULL,
			  pool_printf(rq->pool, "Not deleted: it is used %zu %s (listed under "
						"\"Where it is used\"). Take it out first.", n,
				      n == 1 ? "time" : "times"));
		return;
	}
	if (!rc)
		rc = store_media_delete(rq->store, m.id);
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store);
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Not deleted", "The library item could not be deleted. Please try again.");
		return;
	}
	/* audio and video have no variants: media_remove takes their one file */
	if (media_variants_parse(m.variants, m.formats, &made) == 0 || figure_is_player(&m))
		media_remove(rq->pool, rq->site->dir, m.hash, m.ext, &made);
	log_info("admin: %s deleted media %lld (%s)", rq->user->email, m.id, m.name);
	admin_done(rq, rs, "/admin/media", "media-deleted");
}
