/*
 * admin_slots: the ad and analytics slots at /admin/slots (admins only,
 * CAP_SETTINGS): the four slots' HTML and the in-article slot's
 * paragraph, the declared origins with what each is for, and the audit
 * log of every change to either, newest first. content/slot.h says what
 * a slot may hold; sanitize_slot judges it against the origins declared
 * now. A change, its audit row and the "site" change-log tag commit in
 * one transaction; a change of origins puts the new public CSP in force
 * (admin_csp_apply) just before its commit.
 */
#include "admin.h"
#include "../content/sanitize.h"
#include "../content/slot.h"
#include "../http/secure.h"
#include "../site/site.h"
#include "../render/template.h"
#include "../store/store_moderation.h"
#include "../store/store_slots.h"
#include "../store/store_user.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <stdio.h>
#include <string.h>

#define AUDIT_SHOWN 200    /* rows of the audit log on the page */
#define AUDIT_DETAIL_MAX 600 /* bytes of a slot's HTML kept in its audit row */

static const char *const slot_titles[SLOT__MAX] = { "Top", "In the article", "Sidebar", "Footer" };
static const char *const slot_hints[SLOT__MAX] = {
	"Below the masthead, on every public page.",
	"In a story, after the paragraph chosen below (at the end of a shorter story).",
	"Beside the story (below it on a phone), and on list pages.",
	"Above the footer, on every public page.",
};

/* The declared origins as the lists sanitize_slot takes: those for
 * scripts and those for images, leaving out `without` (NULL: none). */
static void origin_lists(struct pool *p, const struct slot_origin *v, size_t n, const char *without,
			 const char **scripts, const char **images)
{
	struct buf s, i;
	buf_init(&s, 0);
	buf_init(&i, 0);
	for (size_t k = 0; k < n; k++) {
		if (without && strcmp(v[k].origin, without) == 0)
			continue;
		if (v[k].uses & SLOT_USE_SCRIPT)
			buf_printf(&s, "%s%s", s.len ? " " : "", v[k].origin);
		if (v[k].uses & SLOT_USE_IMG)
			buf_printf(&i, "%s%s", i.len ? " " : "", v[k].origin);
	}
	*scripts = pool_strdup(p, buf_str(&s));
	*images = pool_strdup(p, buf_str(&i));
	buf_release(&s);
	buf_release(&i);
}

void admin_slot_sources(struct store *st, struct pool *p, struct buf *src)
{
	static const int dir[4] = { SECURE_SRC_SCRIPT, SECURE_SRC_IMG, SECURE_SRC_CONNECT,
				    SECURE_SRC_FRAME };
	struct slot_origin *v = NULL;
	size_t n = 0;
	if (store_slot_origins(st, p, &v, &n) != STORE_OK) {
		log_error("slots: the declared origins could not be read: %s", store_errmsg(st));
		return;
	}
	for (size_t k = 0; k < n; k++)
		for (int b = 0; b < 4; b++)
			if (v[k].uses >> b & 1u)
				buf_printf(&src[dir[b]], "%s%s", src[dir[b]].len ? " " : "", v[k].origin);
}

/* "script, image": what an origin is for. */
static const char *uses_text(struct pool *p, unsigned uses)
{
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 4; i++)
		if (uses >> i & 1u)
			buf_printf(&b, "%s%s", b.len ? ", " : "", slot_use_names[i]);
	const char *t = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return t;
}

static int paragraph_of(struct req *rq)
{
	const char *v = NULL;
	if (store_setting_get(rq->store, rq->pool, SLOT_PARAGRAPH_KEY, &v) != STORE_OK)
		v = NULL;
	return slot_paragraph(v);
}

/* What the page shows. html: the slots as typed (NULL: as stored);
 * paragraph as typed (NULL: stored); origin_in: the add form's origin;
 * error: the slots form's, origin_error: the origins form's. */
struct slots_form {
	const char *html[SLOT__MAX];
	const char *paragraph;
	const char *origin;
	unsigned uses;
	const char *error, *origin_error;
};

static void slots_page(struct req *rq, struct resp *rs, int status, const struct slots_form *f)
{
	struct pool *p = rq->pool;
	struct tv *ctx = admin_ctx(rq, "Slots", "/admin/slots");
	struct tv *slots = tv_list(p), *origins = tv_list(p), *audit = tv_list(p);
	for (int i = 0; i < SLOT__MAX; i++) {
		const char *html = f ? f->html[i] : NULL;
		if (!html && store_slot_html(rq->store, p, slot_keys[i], &html) != STORE_OK)
			html = "";
		struct tv *o = tv_obj(p);
		tv_put_str(o, "name", slot_names[i]);
		tv_put_str(o, "field", slot_keys[i]);
		tv_put_str(o, "title", slot_titles[i]);
		tv_put_str(o, "hint", slot_hints[i]);
		tv_put_str(o, "html", html);
		tv_append(slots, o);
	}
	tv_put(ctx, "slots", slots);
	tv_put_str(ctx, "paragraph", f && f->paragraph ? f->paragraph
						       : pool_printf(p, "%d", paragraph_of(rq)));
	struct slot_origin *v = NULL;
	size_t n = 0;
	store_slot_origins(rq->store, p, &v, &n);
	for (size_t k = 0; k < n; k++) {
		struct tv *o = tv_obj(p);
		tv_put_str(o, "origin", v[k].origin);
		tv_put_str(o, "uses", uses_text(p, v[k].uses));
		tv_put_str(o, "added", admin_datetime(p, v[k].added_at, &rq->site->zone));
		tv_append(origins, o);
	}
	tv_put(ctx, "origins", origins);
	tv_put_bool(ctx, "has_origins", n > 0);
	struct tv *add = tv_obj(p), *uses = tv_list(p);
	tv_put_str(add, "origin", f && f->origin ? f->origin : "");
	for (int i = 0; i < 4; i++) {
		struct tv *o = tv_obj(p);
		tv_put_str(o, "name", slot_use_names[i]);
		tv_put_bool(o, "on", f && (f->uses >> i & 1u));
		tv_append(uses, o);
	}
	tv_put(add, "uses", uses);
	tv_put(ctx, "add", add);
	if (f && f->error)
		tv_put_str(ctx, "error", f->error);
	if (f && f->origin_error)
		tv_put_str(ctx, "origin_error", f->origin_error);
	struct audit_entry *a = NULL;
	size_t na = 0;
	store_audit_list(rq->store, p, AUDIT_SHOWN, &a, &na);
	for (size_t k = 0; k < na; k++) {
		struct tv *o = tv_obj(p);
		tv_put_str(o, "at", admin_datetime(p, a[k].at, &rq->site->zone));
		tv_put_str(o, "who", a[k].user_id ? a[k].user_name : "(account removed)");
		tv_put_str(o, "action", a[k].action);
		tv_put_str(o, "detail", a[k].detail);
		tv_append(audit, o);
	}
	tv_put(ctx, "audit", audit);
	tv_put_bool(ctx, "has_audit", na > 0);
	admin_render(rq, rs, status, "admin-slots", ctx);
}

void admin_slots(struct req *rq, struct resp *rs)
{
	slots_page(rq, rs, 200, NULL);
}

/* The slots' save: the settings that changed, each with its audit row. */
struct slots_change {
	const char *keys[SLOT__MAX + 1], *vals[SLOT__MAX + 1], *details[SLOT__MAX + 1];
	size_t n;
};

static int save_slots(struct req *rq, void *arg)
{
	struct slots_change *c = arg;
	int rc = store_settings_put(rq->store, c->keys, c->vals, c->n);
	for (size_t i = 0; !rc && i < c->n; i++)
		rc = store_audit_add(rq->store, rq->user->id,
				     strcmp(c->keys[i], SLOT_PARAGRAPH_KEY) == 0 ? "slot position"
										 : "slot changed",
				     c->details[i]);
	return rc;
}

/* "top: <div>...": what the audit row says of a slot's new HTML. */
static const char *slot_detail(struct pool *p, int i, const char *html)
{
	if (!*html)
		return pool_printf(p, "%s: emptied", slot_names[i]);
	size_t n = strlen(html);
	if (n <= AUDIT_DETAIL_MAX)
		return pool_printf(p, "%s: %s", slot_names[i], html);
	while (n > AUDIT_DETAIL_MAX || (n && ((unsigned char)html[n] & 0xC0) == 0x80))
		n--; /* cut on a character's start */
	return pool_printf(p, "%s: %.*s... (%zu bytes)", slot_names[i], (int)n, html, strlen(html));
}

void admin_slots_save(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	struct slots_form f = { 0 };
	struct slots_change c = { 0 };
	struct slot_origin *v = NULL;
	size_t n = 0;
	const char *scripts, *images;
	if (store_slot_origins(rq->store, p, &v, &n) != STORE_OK) {
		http_error(rq, rs, 500, "Not saved", "The declared origins could not be read.");
		return;
	}
	origin_lists(p, v, n, NULL, &scripts, &images);
	for (int i = 0; i < SLOT__MAX; i++) {
		const char *typed = kv_get(&rq->form, slot_keys[i]);
		f.html[i] = typed ? typed : "";
	}
	f.paragraph = kv_get(&rq->form, "paragraph");
	f.paragraph = f.paragraph ? f.paragraph : "";
	unsigned long long para = 0;
	if (num_parse_u64(f.paragraph, SLOT_PARAGRAPH_MAX, &para) || para == 0)
		f.error = pool_printf(p, "Give the paragraph the in-article slot follows: a number "
					 "from 1 to %d.", SLOT_PARAGRAPH_MAX);
	for (int i = 0; i < SLOT__MAX && !f.error; i++) {
		char err[512];
		struct buf out;
		buf_init(&out, 4 * SLOT_HTML_MAX);
		size_t len = strlen(f.html[i]);
		int rc = len > SLOT_HTML_MAX ? 1 : sanitize_slot(f.html[i], len, scripts, images, &out,
								  err, sizeof err);
		if (len > SLOT_HTML_MAX)
			f.error = pool_printf(p, "The %s slot is too long: the limit is %d bytes.",
					      slot_names[i], SLOT_HTML_MAX);
		else if (rc)
			f.error = rc < 0 ? pool_printf(p, "The %s slot could not be read as HTML.",
						       slot_names[i])
					 : pool_printf(p, "The %s slot: %s.", slot_names[i], err);
		/* blanks around the markup are no content: a slot of blanks (or
		 * of comments) is empty and writes nothing on a page */
		const char *html = buf_str(&out), *stored = NULL;
		size_t hn = out.len;
		str_trim(&html, &hn, str_is_space);
		html = pool_strndup(p, html, hn);
		if (!rc && store_slot_html(rq->store, p, slot_keys[i], &stored) == STORE_OK &&
		    strcmp(stored, html) != 0) {
			c.keys[c.n] = slot_keys[i];
			c.vals[c.n] = html;
			c.details[c.n] = slot_detail(p, i, c.vals[c.n]);
			c.n++;
		}
		buf_release(&out);
	}
	if (f.error) {
		slots_page(rq, rs, 422, &f);
		return;
	}
	if ((int)para != paragraph_of(rq)) {
		c.keys[c.n] = SLOT_PARAGRAPH_KEY;
		c.vals[c.n] = pool_printf(p, "%llu", para);
		c.details[c.n] = pool_printf(p, "in-article: after paragraph %llu", para);
		c.n++;
	}
	if (c.n && admin_csp_txn(rq, rs, save_slots, &c, 0))
		return;
	for (size_t i = 0; i < c.n; i++)
		log_info("admin: %s changed the slots (%s)", rq->user->email, c.keys[i]);
	admin_done(rq, rs, "/admin/slots", c.n ? "slots" : "slots-unchanged");
}

struct origin_change {
	const char *origin;
	unsigned uses; /* 0: remove */
	const char *detail;
};

static int save_origin(struct req *rq, void *arg)
{
	struct origin_change *c = arg;
	int rc = c->uses ? store_slot_origin_add(rq->store, c->origin, c->uses)
			 : store_slot_origin_delete(rq->store, c->origin);
	if (!rc)
		rc = store_audit_add(rq->store, rq->user->id,
				     c->uses ? "origin added" : "origin removed", c->detail);
	return rc;
}

void admin_slot_origin_add(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	struct slots_form f = { 0 };
	char origin[SLOT_ORIGIN_MAX + 1];
	const char *typed = kv_get(&rq->form, "origin"), *msg = NULL;
	f.origin = typed ? typed : "";
	for (int i = 0; i < 4; i++)
		if (kv_get(&rq->form, pool_printf(p, "use_%s", slot_use_names[i])))
			f.uses |= 1u << i;
	if (slot_origin_parse(f.origin, origin, sizeof origin, &msg))
		f.origin_error = msg;
	else if (!f.uses)
		f.origin_error = "Tick what the origin is for: scripts, images, connections "
				 "(an analytics script's reports) or frames.";
	if (f.origin_error) {
		slots_page(rq, rs, 422, &f);
		return;
	}
	struct slot_origin *v = NULL;
	size_t n = 0;
	store_slot_origins(rq->store, p, &v, &n);
	for (size_t k = 0; k < n; k++)
		if (strcmp(v[k].origin, origin) == 0) {
			f.origin_error = pool_printf(p, "%s is declared already: remove it first to "
							"change what it is for.", origin);
			slots_page(rq, rs, 409, &f);
			return;
		}
	struct origin_change c = { origin, f.uses,
				   pool_printf(p, "%s (%s)", origin, uses_text(p, f.uses)) };
	if (admin_csp_txn(rq, rs, save_origin, &c, 1))
		return;
	log_info("admin: %s declared %s", rq->user->email, c.detail);
	admin_done(rq, rs, "/admin/slots", "origin-added");
}

/* The first slot that would be refused without origin `without`: its
 * index and the refusal in err, or -1 when every slot still passes. */
static int slot_needing(struct req *rq, const struct slot_origin *v, size_t n, const char *without,
			char *err, size_t errlen)
{
	const char *scripts, *images;
	origin_lists(rq->pool, v, n, without, &scripts, &images);
	for (int i = 0; i < SLOT__MAX; i++) {
		const char *html = "";
		struct buf out;
		if (store_slot_html(rq->store, rq->pool, slot_keys[i], &html) != STORE_OK)
			continue;
		buf_init(&out, 0);
		int rc = sanitize_slot(html, strlen(html), scripts, images, &out, err, errlen);
		buf_release(&out);
		if (rc > 0)
			return i;
	}
	return -1;
}

void admin_slot_origin_delete(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	struct slots_form f = { 0 };
	const char *origin = kv_get(&rq->form, "origin");
	struct slot_origin *v = NULL;
	size_t n = 0, k;
	char err[512];
	if (store_slot_origins(rq->store, p, &v, &n) != STORE_OK) {
		http_error(rq, rs, 500, "Not saved", "The declared origins could not be read.");
		return;
	}
	for (k = 0; origin && k < n && strcmp(v[k].origin, origin) != 0; k++)
		;
	if (!origin || k == n) {
		f.origin_error = "There is no such declared origin.";
		slots_page(rq, rs, 404, &f);
		return;
	}
	int used = slot_needing(rq, v, n, origin, err, sizeof err);
	if (used >= 0) {
		f.origin_error = pool_printf(p, "%s is still used: the %s slot needs it (%s). Change "
						"the slot first.", origin, slot_names[used], err);
		slots_page(rq, rs, 409, &f);
		return;
	}
	struct origin_change c = { v[k].origin, 0,
				   pool_printf(p, "%s (%s)", v[k].origin, uses_text(p, v[k].uses)) };
	if (admin_csp_txn(rq, rs, save_origin, &c, 1))
		return;
	log_info("admin: %s removed the origin %s", rq->user->email, c.detail);
	admin_done(rq, rs, "/admin/slots", "origin-removed");
}
