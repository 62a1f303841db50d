/*
 * admin_profile: a byline's public face: display name, bio, photo and
 * links, shown on the author page (/author/SLUG), and the first and last
 * names, which no page shows (kept from and for WordPress). Everyone edits their
 * own in Account; admins edit anyone's from Users. The photo goes
 * through the media library (issue 14: checked, variants made, metadata
 * and GPS removed; the byline shows a JPEG variant); photos stored before
 * under media/people/ are still shown, and deleted when replaced
 * (featured.c). The bio is plain text, shown as escaped paragraphs.
 */
#include "admin.h"
#include "featured.h"
#include "../http/multipart.h"
#include "../pages/pages.h"
#include "../render/template.h"
#include "../media/media.h"
#include "../store/store_media.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <string.h>

#define PHOTOS "people"
#define PROFILE_LINKS 5

enum pf { PF_NAME, PF_FIRST, PF_LAST, PF_BIO, PF_LINKS, PF__MAX };

static const struct field_spec fields[PF__MAX] = {
	[PF_NAME] = { "name", 100, 1, "Please enter the name shown in bylines.",
		      "The name is too long: the limit is 100 bytes.", NULL, NULL },
	[PF_FIRST] = { "first_name", 100, 0, NULL,
		       "The first name is too long: the limit is 100 bytes.", NULL, NULL },
	[PF_LAST] = { "last_name", 100, 0, NULL,
		      "The last name is too long: the limit is 100 bytes.", NULL, NULL },
	[PF_BIO] = { "bio", 5000, 0, NULL, "The bio is too long: the limit is 5,000 bytes.", NULL,
		     NULL },
	[PF_LINKS] = { "links", 2600, 0, NULL, "Too many links: the limit is 5 of 500 bytes each.",
		       NULL, NULL },
};

/* The links field, one URL a line, checked and normalised to "a\nb";
 * NULL or a message. */
static const char *links_parse(struct pool *p, const char *in, const char **out)
{
	struct buf b;
	const char *err = NULL;
	int n = 0;
	buf_init(&b, 4096);
	for (const char *l = in; *l && !err;) {
		const char *end = strchrnul(l, '\n');
		const char *s = l;
		size_t len = (size_t)(end - l);
		str_trim(&s, &len, str_is_xml_space); /* the line's CR too */
		l = *end ? end + 1 : end;
		if (!len)
			continue;
		const char *url = pool_strndup(p, s, len);
		if (++n > PROFILE_LINKS)
			err = "Too many links: the limit is 5.";
		else if (len > 500 || !field_http_url(url))
			err = pool_printf(p, "\"%.80s\" is not a web address: each link must start with "
					     "http:// or https://.", url);
		else {
			if (b.len)
				buf_putc(&b, '\n');
			buf_puts(&b, url);
		}
	}
	*out = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return err;
}

void admin_profile_put(struct req *rq, struct tv *ctx, const struct author *a, const char *action,
		       const char *error)
{
	struct pool *p = rq->pool;
	struct tv *o = tv_obj(p);
	tv_put_str(o, "action", action);
	tv_put_str(o, "name", a->name);
	tv_put_str(o, "first_name", a->first_name ? a->first_name : "");
	tv_put_str(o, "last_name", a->last_name ? a->last_name : "");
	tv_put_str(o, "bio", a->bio);
	tv_put_str(o, "links", a->links);
	tv_put_str(o, "author_url", page_path(p, "/author/", a->slug));
	if (*a->photo) {
		struct tv *ph = tv_obj(p);
		tv_put_str(ph, "url", a->photo);
		tv_put_int(ph, "width", a->photo_width);
		tv_put_int(ph, "height", a->photo_height);
		tv_put(o, "photo", ph);
	}
	if (error)
		tv_put_str(o, "error", error);
	tv_put(ctx, "profile", o);
}

static void profile_page(struct req *rq, struct resp *rs, int status, const struct author *a,
			 const char *action, const char *error)
{
	struct tv *ctx = admin_ctx(rq, pool_printf(rq->pool, "Profile: %s", a->name), "/admin/users");
	admin_profile_put(rq, ctx, a, action, error);
	admin_render(rq, rs, status, "admin-profile", ctx);
}

/* A byline photo through the media library (admin_media.c: checked by
 * its bytes, variants made, metadata and GPS removed): *img its JPEG
 * variant up to ADMIN_PHOTO_WIDTH. NULL, or why not. */
static const char *photo(struct req *rq, const struct upload *up, struct featured *img)
{
	struct media_input in;
	struct media_record m;
	const char *why = NULL;
	int added;
	if (admin_media_check(rq, up, &in, &why))
		return pool_printf(rq->pool, "The photo must be a JPEG, PNG, WebP or GIF file: %s.",
				   why);
	if (admin_media_take(rq, &in, &m, &added, &why))
		return pool_printf(rq->pool, "The photo could not be stored: %s.", why);
	if (admin_media_jpeg(rq, &m, ADMIN_PHOTO_WIDTH, img))
		return "The photo could not be stored. Please try again.";
	return NULL;
}

/* Validates the form and the photo, stores them; 0 done, else answered. */
static int save(struct req *rq, struct resp *rs, const struct author *old, const char *action)
{
	struct pool *p = rq->pool;
	struct field_val fv[PF__MAX];
	struct author a = *old;
	const char *error = NULL;
	form_validate(p, fields, PF__MAX, &rq->form, fv);
	for (int i = 0; i < PF__MAX && !error; i++)
		error = fv[i].error;
	a.name = fv[PF_NAME].val;
	a.first_name = fv[PF_FIRST].val;
	a.last_name = fv[PF_LAST].val;
	a.bio = fv[PF_BIO].val;
	const char *links_err = links_parse(p, fv[PF_LINKS].val, &a.links);
	if (!error)
		error = links_err;
	const struct upload *up = upload_get(&rq->files, "photo");
	struct featured img = { 0 };
	if (up && up->len == 0)
		up = NULL; /* an empty file input */
	if (!error && up)
		error = photo(rq, up, &img);
	if (error) {
		a.links = fv[PF_LINKS].val; /* refill what was typed */
		profile_page(rq, rs, 422, &a, action, error);
		return -1;
	}
	if (up) {
		a.photo = img.path;
		a.photo_width = img.width;
		a.photo_height = img.height;
	} else if (kv_get(&rq->form, "remove_photo")) {
		a.photo = "";
		a.photo_width = a.photo_height = 0;
	}
	int rc = store_begin(rq->store);
	if (!rc)
		rc = store_user_set_profile(rq->store, a.id, &a);
	if (!rc)
		rc = store_commit(rq->store);
	if (rc) {
		store_rollback(rq->store); /* a new photo stays in the media library */
		log_error("%s: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Not saved", "The profile could not be saved.");
		return -1;
	}
	if (strcmp(old->photo, a.photo) != 0)
		image_upload_remove(rq->site, p, PHOTOS, old->photo); /* replaced or removed */
	log_info("admin: %s changed the profile of user %lld", rq->user->email, a.id);
	return 0;
}

void admin_account_profile(struct req *rq, struct resp *rs)
{
	struct author a;
	if (store_user_profile(rq->store, rq->pool, rq->user->id, &a)) {
		http_error(rq, rs, 500, "Not saved", "The profile could not be read.");
		return;
	}
	if (save(rq, rs, &a, "/admin/account/profile") == 0)
		admin_done(rq, rs, "/admin/account", "profile");
}

static int user_param(struct req *rq, struct resp *rs, struct author *a)
{
	long long id = admin_param_id(rq);
	if (!id || store_user_profile(rq->store, rq->pool, id, a))
		return admin_not_found(rq, rs, "account");
	return 0;
}

void admin_user_profile(struct req *rq, struct resp *rs)
{
	struct author a;
	if (user_param(rq, rs, &a) == 0)
		profile_page(rq, rs, 200, &a, pool_printf(rq->pool, "/admin/users/%lld/profile", a.id),
			     NULL);
}

void admin_user_profile_save(struct req *rq, struct resp *rs)
{
	struct author a;
	if (user_param(rq, rs, &a))
		return;
	const char *action = pool_printf(rq->pool, "/admin/users/%lld/profile", a.id);
	if (save(rq, rs, &a, action) == 0)
		admin_done(rq, rs, action, "profile");
}
