/*
 * admin_front: the edited front page at /admin/front (editors and admins,
 * CAP_FRONT): pin a story as the lead or as one of up to 8 featured
 * stories (each with an optional expiry), unpin and reorder them; the
 * breaking-news banner (text, an http(s) link, an optional expiry); the
 * section blocks (a section and how many of its newest stories, in the
 * editors' order). A story is named by its number or by its address, as
 * an editor copies it from the site. The rules are the store's
 * (store_front.h); a refused form comes back with its values and the
 * message, 404/409/422.
 */
#include "admin.h"
#include "../site/site.h"
#include "../render/template.h"
#include "../site/url.h"
#include "../store/store_front.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>
#include <time.h>

enum pf { PF_STORY, PF_PLACE, PF_EXPIRES, PF__MAX };
enum bf { BF_TEXT, BF_URL, BF_EXPIRES, BF__MAX };
enum kf { KF_SECTION, KF_COUNT, KF__MAX };

#define FRONT_BANNER_MAX 200

static int field_place(const char *s)
{
	return strcmp(s, "lead") == 0 || strcmp(s, "featured") == 0;
}

static const struct field_spec pin_fields[PF__MAX] = {
	[PF_STORY] = { "story", 1000, 1, "Name the story to pin: its number or its address.",
		       "That address is too long to be a story's.", NULL, NULL },
	[PF_PLACE] = { "place", 10, 1, "Choose lead or featured.", "Choose lead or featured.",
		       field_place, "Choose lead or featured." },
	[PF_EXPIRES] = { "expires", 20, 0, NULL, "Give the expiry as a date and time.",
			 admin_field_datetime, "Give the expiry as a date and time." },
};

static const struct field_spec banner_fields[BF__MAX] = {
	[BF_TEXT] = { "text", FRONT_BANNER_MAX, 0, NULL,
		      "The banner's text is too long: the limit is 200 bytes.", NULL, NULL },
	[BF_URL] = { "url", 2000, 0, NULL, "The link is too long: the limit is 2000 bytes.",
		     field_http_url, "The link must be an http:// or https:// address." },
	[BF_EXPIRES] = { "expires", 20, 0, NULL, "Give the expiry as a date and time.",
			 admin_field_datetime, "Give the expiry as a date and time." },
};

static const struct field_spec block_fields[KF__MAX] = {
	[KF_SECTION] = { "section", 20, 1, "Choose a section from the list.",
			 "Choose a section from the list.", field_uint, "Choose a section from the list." },
	[KF_COUNT] = { "count", 3, 1, "Say how many stories the block shows (1 to 12).",
		       "A block shows 1 to 12 stories.", field_uint, "A block shows 1 to 12 stories." },
};

/* What a refused form brings back: which form, its values, the message. */
struct refill {
	const char *pin[PF__MAX], *banner[BF__MAX], *block[KF__MAX];
	const char *pin_error, *banner_error, *block_error;
};

static int status_of(int rc)
{
	return rc == STORE_NOTFOUND ? 404 : rc == STORE_CONFLICT ? 409 : rc == STORE_INVALID ? 422 : 500;
}

static struct tv *pin_list(struct req *rq, const struct front_pin *v, size_t n, int lead)
{
	struct pool *p = rq->pool;
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < n; i++) {
		if (v[i].lead != lead)
			continue;
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", v[i].story.id);
		tv_put_str(o, "title", v[i].story.title);
		tv_put_str(o, "url", story_path(p, &v[i].story));
		if (v[i].expires_at)
			tv_put_str(o, "expires", admin_datetime(p, v[i].expires_at, &rq->site->zone));
		tv_put_bool(o, "hidden", v[i].story.status != STORY_PUBLISHED);
		tv_append(list, o);
	}
	return list;
}

static struct tv *form_obj(struct pool *p, const struct field_spec *spec, size_t n,
			   const char *const *vals, const char *error)
{
	struct tv *f = tv_obj(p);
	for (size_t i = 0; i < n; i++)
		tv_put_str(f, spec[i].name, vals ? vals[i] : "");
	if (error)
		tv_put_str(f, "error", error);
	return f;
}

static void front_page(struct req *rq, struct resp *rs, int status, const struct refill *r)
{
	struct pool *p = rq->pool;
	long long now = (long long)time(NULL);
	struct tv *ctx = admin_ctx(rq, "Front page", "/admin/front");
	struct front_pin *pins = NULL;
	size_t npins = 0;
	store_front_pins(rq->store, p, now, &pins, &npins);
	struct tv *lead = pin_list(rq, pins, npins, 1), *featured = pin_list(rq, pins, npins, 0);
	tv_put(ctx, "lead", lead);
	tv_put(ctx, "featured", featured);
	tv_put_bool(ctx, "has_featured", tv_count(featured) > 0);

	struct tv *pf = form_obj(p, pin_fields, PF__MAX, r ? r->pin : NULL, r ? r->pin_error : NULL);
	tv_put_bool(pf, "lead", r && r->pin[PF_PLACE] && strcmp(r->pin[PF_PLACE], "lead") == 0);
	tv_put(ctx, "pin", pf);

	struct front_banner b;
	const char *cur[BF__MAX] = { "", "", "" };
	if (store_front_banner(rq->store, p, now, &b) == STORE_OK) {
		cur[BF_TEXT] = b.text;
		cur[BF_URL] = b.url;
		cur[BF_EXPIRES] = b.expires_at ? admin_datetime(p, b.expires_at, &rq->site->zone) : "";
	}
	tv_put(ctx, "banner", form_obj(p, banner_fields, BF__MAX, r && r->banner_error ? r->banner : cur,
				       r ? r->banner_error : NULL));

	struct front_block *blocks = NULL;
	size_t nblocks = 0;
	store_front_blocks(rq->store, p, &blocks, &nblocks);
	struct tv *bl = tv_list(p);
	for (size_t i = 0; i < nblocks; i++) {
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", blocks[i].section.id);
		tv_put_str(o, "name", blocks[i].section.name);
		tv_put_int(o, "count", blocks[i].count);
		tv_append(bl, o);
	}
	tv_put(ctx, "blocks", bl);
	tv_put_bool(ctx, "has_blocks", nblocks > 0);
	struct tv *kf = form_obj(p, block_fields, KF__MAX, r ? r->block : NULL, r ? r->block_error : NULL);
	struct section *secs = NULL;
	size_t nsecs = 0;
	store_sections(rq->store, p, &secs, &nsecs);
	struct tv *opts = tv_list(p);
	for (size_t i = 0; i < nsecs; i++) {
		struct tv *o = tv_obj(p);
		tv_put_int(o, "id", secs[i].id);
		tv_put_str(o, "name", admin_section_label(p, &secs[i], secs[i].name));
		tv_put_bool(o, "selected", r && r->block[KF_SECTION] &&
						   strcmp(r->block[KF_SECTION],
							  pool_printf(p, "%lld", secs[i].id)) == 0);
		tv_append(opts, o);
	}
	tv_put(kf, "sections", opts);
	tv_put(ctx, "block", kf);
	admin_render(rq, rs, status, "admin-front", ctx);
}

void admin_front(struct req *rq, struct resp *rs)
{
	front_page(rq, rs, 200, NULL);
}

/* Validates rq->form with spec into vals; the first message or NULL. */
static const char *read_form(struct req *rq, const struct field_spec *spec, size_t n,
			     const char **vals)
{
	struct field_val fv[4];
	form_validate(rq->pool, spec, n, &rq->form, fv);
	const char *err = NULL;
	for (size_t i = 0; i < n; i++) {
		vals[i] = fv[i].val;
		if (!err && fv[i].error)
			err = fv[i].error;
	}
	return err;
}

/* An expiry field: 0 for none; -1 with *err when it has passed. */
static int expiry_of(const struct req *rq, const char *s, long long now, long long *out,
		     const char **err)
{
	*out = 0;
	if (!*s)
		return 0;
	admin_datetime_parse(s, &rq->site->zone, out); /* the validator accepted it */
	if (*out <= now) {
		*err = "The expiry has passed already: give a later time, or none.";
		return -1;
	}
	return 0;
}

/* The story an editor named: "12", "/2024/07/05/slug", or the whole URL
 * (the last segment of its path is the slug). 0 and *id, or a store code. */
static int story_named(struct req *rq, const char *s, long long *id)
{
	unsigned long long u;
	if (num_parse_u64(s, 1ULL << 62, &u) == 0) {
		*id = (long long)u;
		return STORE_OK;
	}
	const char *path = strstr(s, "://");
	path = path ? strchr(path + 3, '/') : s;
	if (!path)
		return STORE_NOTFOUND;
	size_t len = strcspn(path, "?#");
	while (len && path[len - 1] == '/')
		len--;
	const char *slash = memrchr(path, '/', len);
	const char *slug = slash ? slash + 1 : path;
	size_t sl = len - (size_t)(slug - path);
	if (!sl)
		return STORE_NOTFOUND;
	struct story st;
	int rc = store_story_by_slug(rq->store, rq->pool, pool_strndup(rq->pool, slug, sl), &st);
	if (rc == STORE_OK)
		*id = st.id;
	return rc;
}

/* Ends the transaction of a front-page change whose result (or
 * store_begin's failure) is rc: committed, 0; else rolled back, the code
 * with *msg (the store's message, or what the caller gives for
 * NOTFOUND). */
static int change(struct req *rq, int rc, const char **msg, const char *notfound)
{
	if (rc == STORE_OK) {
		if (store_commit(rq->store) == STORE_OK)
			return STORE_OK;
		rc = STORE_ERROR;
	}
	*msg = rc == STORE_NOTFOUND ? notfound
	       : rc == STORE_INVALID ? pool_strdup(rq->pool, store_errmsg(rq->store))
				      : "The front page could not be saved. Please try again.";
	if (rc == STORE_ERROR)
		log_error("admin front: %s", store_errmsg(rq->store));
	store_rollback(rq->store);
	return rc;
}

void admin_front_pin(struct req *rq, struct resp *rs)
{
	struct refill r = { 0 };
	long long now = (long long)time(NULL), expires = 0, id = 0;
	const char *msg = read_form(rq, pin_fields, PF__MAX, r.pin);
	int rc = msg ? STORE_INVALID : STORE_OK;
	if (!rc && expiry_of(rq, r.pin[PF_EXPIRES], now, &expires, &msg))
		rc = STORE_INVALID;
	if (!rc && (rc = story_named(rq, r.pin[PF_STORY], &id)) != STORE_OK)
		msg = "There is no published story at that number or address.";
	if (!rc) {
		int lead = strcmp(r.pin[PF_PLACE], "lead") == 0;
		rc = store_begin(rq->store);
		rc = change(rq, rc ? rc : store_front_pin(rq->store, id, lead, expires, now), &msg,
				    "There is no published story at that number or address.");
	}
	if (rc) {
		r.pin_error = msg;
		front_page(rq, rs, status_of(rc), &r);
		return;
	}
	log_info("admin: %s pinned story %lld (%s)", rq->user->email, id, r.pin[PF_PLACE]);
	admin_done(rq, rs, "/admin/front", "front-pinned");
}

/* The story or section a button names (field `name`); 0 when it is not
 * a number, answered 400. */
static long long button_id(struct req *rq, struct resp *rs, const char *name)
{
	const char *v = kv_get(&rq->form, name);
	unsigned long long u;
	if (!v || num_parse_u64(v, 1ULL << 62, &u) || !u) {
		http_error(rq, rs, 400, "Bad request", "This button names nothing on the front page.");
		return 0;
	}
	return (long long)u;
}

/* -1 up, 1 down, 0 (answered 400) neither. */
static int direction(struct req *rq, struct resp *rs)
{
	const char *d = kv_get(&rq->form, "direction");
	if (d && strcmp(d, "up") == 0)
		return -1;
	if (d && strcmp(d, "down") == 0)
		return 1;
	http_error(rq, rs, 400, "Bad request", "Move it up or down.");
	return 0;
}

/* The end of a button's change: 303 with the notice, or the page again. */
static void button_done(struct req *rq, struct resp *rs, int rc, const char *msg,
			const char *notice, int block)
{
	if (!rc) {
		admin_done(rq, rs, "/admin/front", notice);
		return;
	}
	struct refill r = { 0 };
	if (block)
		r.block_error = msg;
	else
		r.pin_error = msg;
	front_page(rq, rs, status_of(rc), &r);
}

void admin_front_unpin(struct req *rq, struct resp *rs)
{
	long long id = button_id(rq, rs, "story"), now = (long long)time(NULL);
	const char *msg = NULL;
	if (!id)
		return;
	int rc = store_begin(rq->store);
	rc = change(rq, rc ? rc : store_front_unpin(rq->store, id, now), &msg,
			    "That story is not pinned (any more).");
	if (!rc)
		log_info("admin: %s unpinned story %lld", rq->user->email, id);
	button_done(rq, rs, rc, msg, "front-unpinned", 0);
}

void admin_front_move(struct req *rq, struct resp *rs)
{
	long long id = button_id(rq, rs, "story"), now = (long long)time(NULL);
	const char *msg = NULL;
	int d = id ? direction(rq, rs) : 0;
	if (!d)
		return;
	int rc = store_begin(rq->store);
	rc = change(rq, rc ? rc : store_front_pin_move(rq->store, id, d, now), &msg,
			    "That story is not among the featured ones (any more).");
	button_done(rq, rs, rc, msg, "front-moved", 0);
}

void admin_front_banner(struct req *rq, struct resp *rs)
{
	struct refill r = { 0 };
	long long now = (long long)time(NULL), expires = 0;
	const char *msg = read_form(rq, banner_fields, BF__MAX, r.banner);
	int rc = msg ? STORE_INVALID : STORE_OK;
	if (!rc && *r.banner[BF_TEXT] && !*r.banner[BF_URL])
		msg = "Give the banner a link: the story or page it announces.", rc = STORE_INVALID;
	if (!rc && expiry_of(rq, r.banner[BF_EXPIRES], now, &expires, &msg))
		rc = STORE_INVALID;
	if (!rc) {
		rc = store_begin(rq->store);
		rc = change(rq, rc ? rc : store_front_banner_set(rq->store, r.banner[BF_TEXT],
							       r.banner[BF_URL], expires, now),
				    &msg, "");
	}
	if (rc) {
		r.banner_error = msg;
		front_page(rq, rs, status_of(rc), &r);
		return;
	}
	log_info("admin: %s %s the front page's banner", rq->user->email,
		 *r.banner[BF_TEXT] ? "set" : "removed");
	admin_done(rq, rs, "/admin/front", *r.banner[BF_TEXT] ? "front-banner" : "front-banner-off");
}

void admin_front_block(struct req *rq, struct resp *rs)
{
	struct refill r = { 0 };
	const char *msg = read_form(rq, block_fields, KF__MAX, r.block);
	unsigned long long sec = 0, count = 0;
	int rc = msg ? STORE_INVALID : STORE_OK;
	if (!rc && (num_parse_u64(r.block[KF_SECTION], 1ULL << 62, &sec) ||
		    num_parse_u64(r.block[KF_COUNT], FRONT_BLOCK_MAX, &count) || !count))
		msg = "A block shows 1 to 12 stories.", rc = STORE_INVALID;
	if (!rc) {
		rc = store_begin(rq->store);
		rc = change(rq, rc ? rc : store_front_block_put(rq->store, (long long)sec, (int)count), &msg,
				    "There is no such section: choose one from the list.");
	}
	if (rc) {
		r.block_error = msg;
		front_page(rq, rs, status_of(rc), &r);
		return;
	}
	admin_done(rq, rs, "/admin/front", "front-block");
}

void admin_front_block_remove(struct req *rq, struct resp *rs)
{
	long long id = button_id(rq, rs, "section");
	const char *msg = NULL;
	if (!id)
		return;
	int rc = store_begin(rq->store);
	rc = change(rq, rc ? rc : store_front_block_remove(rq->store, id), &msg,
			    "That section has no block on the front page (any more).");
	button_done(rq, rs, rc, msg, "front-block-off", 1);
}

void admin_front_block_move(struct req *rq, struct resp *rs)
{
	long long id = button_id(rq, rs, "section");
	const char *msg = NULL;
	int d = id ? direction(rq, rs) : 0;
	if (!d)
		return;
	int rc = store_begin(rq->store);
	rc = change(rq, rc ? rc : store_front_block_move(rq->store, id, d), &msg,
			    "That section has no block on the front page (any more).");
	button_done(rq, rs, rc, msg, "front-moved", 1);
}
