/*
 * admin: the newsroom at /admin, one file per area (sign-in, stories,
 * editor, comments, users and account, settings) plus what they share
 * (admin.c): the page context with the signed-in user, the menu with
 * counts, the CSRF token for forms, and the one-line notices shown after
 * a redirect. Every page works without JavaScript.
 *
 * Handlers run behind the route table's guards (auth/guard.h): a handler
 * of a GUARD_LOGIN route always has rq->user, and never re-checks roles.
 */
#ifndef GZ_ADMIN_H
#define GZ_ADMIN_H

#include "../http/http.h"
#include "../media/media.h"
#include "../store/store.h"

struct tv;
struct tz;

/* admin_signin.c */
void admin_signin_form(struct req *rq, struct resp *rs);
void admin_signin_post(struct req *rq, struct resp *rs);
void admin_signin_code(struct req *rq, struct resp *rs);
void admin_signout(struct req *rq, struct resp *rs);
void admin_signout_everywhere(struct req *rq, struct resp *rs);
void admin_home(struct req *rq, struct resp *rs);

/* admin_stories.c */
void admin_stories(struct req *rq, struct resp *rs);

/* admin_editor.c */
void admin_editor_new(struct req *rq, struct resp *rs);
void admin_editor_edit(struct req *rq, struct resp *rs);
void admin_editor_save(struct req *rq, struct resp *rs);
void admin_editor_submit(struct req *rq, struct resp *rs);
void admin_editor_publish(struct req *rq, struct resp *rs);
void admin_editor_unpublish(struct req *rq, struct resp *rs);
void admin_editor_preview(struct req *rq, struct resp *rs);
/* POST .../autosave (the editor's script): keeps the form beside the
 * story for this user, never into it; 409 when the story has a newer save. */
void admin_editor_autosave(struct req *rq, struct resp *rs);
/* A save, preview or publish that found no session (the router's keeper
 * for ROUTE_KEEP rows): keeps a valid editor form from our own origin
 * and sends the writer to sign in with next=the editor ?draft=TOKEN; the
 * kept form only ever refills the editor, it saves nothing. */
void admin_editor_stash(struct req *rq, struct resp *rs);
/* At sign-in: gives the kept form named in next ("...?draft=TOKEN") to
 * the account that signed in, if nobody has it yet. */
void admin_editor_claim(struct req *rq, const char *next, long long user_id);
void admin_revisions(struct req *rq, struct resp *rs);
void admin_revision_restore(struct req *rq, struct resp *rs);

/* Story id with its body, tags and version into e: 0, or the store's
 * code with a 404 or 500 answer in rs. */
struct story_edit;
int admin_story_load(struct req *rq, struct resp *rs, long long id, struct story_edit *e);

/* admin_corrections.c: a story's corrections, and appending one */
void admin_corrections(struct req *rq, struct resp *rs);
void admin_correction_add(struct req *rq, struct resp *rs);

/* admin_comments.c */
void admin_comments(struct req *rq, struct resp *rs);
void admin_comment_action(struct req *rq, struct resp *rs);
void admin_comments_bulk(struct req *rq, struct resp *rs);
void admin_comment_edit_form(struct req *rq, struct resp *rs);
void admin_comment_edit(struct req *rq, struct resp *rs);
void admin_comment_reply(struct req *rq, struct resp *rs);

/* admin_users.c */
void admin_users(struct req *rq, struct resp *rs);
void admin_user_add(struct req *rq, struct resp *rs);
void admin_user_change(struct req *rq, struct resp *rs);
void admin_account(struct req *rq, struct resp *rs);
void admin_account_password(struct req *rq, struct resp *rs);
/* POST /admin/account/mail: mail=each or mail=digest (mail/mail.h). */
void admin_account_mail(struct req *rq, struct resp *rs);
void admin_account_2fa(struct req *rq, struct resp *rs);

/* admin_sections.c */
void admin_sections(struct req *rq, struct resp *rs);
void admin_section_add(struct req *rq, struct resp *rs);
void admin_section_edit(struct req *rq, struct resp *rs);
void admin_section_save(struct req *rq, struct resp *rs);
void admin_section_move(struct req *rq, struct resp *rs);
void admin_section_delete(struct req *rq, struct resp *rs);
/* name after "— " per nesting level, for a section's <option>. */
const char *admin_section_label(struct pool *p, const struct section *sec, const char *name);

/* admin_sitepages.c: static pages */
void admin_sitepages(struct req *rq, struct resp *rs);
void admin_sitepage_new(struct req *rq, struct resp *rs);
void admin_sitepage_add(struct req *rq, struct resp *rs);
void admin_sitepage_edit(struct req *rq, struct resp *rs);
void admin_sitepage_save(struct req *rq, struct resp *rs);
void admin_sitepage_delete(struct req *rq, struct resp *rs);

/* admin_menus.c: the header and footer menus */
void admin_menus(struct req *rq, struct resp *rs);
void admin_menu_add(struct req *rq, struct resp *rs);
void admin_menu_move(struct req *rq, struct resp *rs);
void admin_menu_delete(struct req *rq, struct resp *rs);

/* admin_profile.c */
void admin_account_profile(struct req *rq, struct resp *rs);
void admin_user_profile(struct req *rq, struct resp *rs);
void admin_user_profile_save(struct req *rq, struct resp *rs);
/* Puts "profile" (the byline form: name, bio, links, photo, action) in
 * ctx, for the account page and the admin's profile page. */
void admin_profile_put(struct req *rq, struct tv *ctx, const struct author *a, const char *action,
		       const char *error);

/* admin_media.c: the media library */
#define ADMIN_MEDIA_MAX_FILES 20 /* files in one upload (the route's multipart cap) */
struct upload;
struct media_input;
struct media_record;
struct featured;
void admin_media(struct req *rq, struct resp *rs);
void admin_media_upload(struct req *rq, struct resp *rs);
void admin_media_edit(struct req *rq, struct resp *rs);
void admin_media_save(struct req *rq, struct resp *rs);
void admin_media_delete(struct req *rq, struct resp *rs);
/* Checks an uploaded picture: upload_limit, then media_check (by its
 * bytes). 0, or -1 with *err, a message for the person who sent it. */
int admin_media_check(struct req *rq, const struct upload *up, struct media_input *in,
		      const char **err);
/* Puts a checked picture in the library for rq->user, variants made (the
 * existing entry when the same picture is there: *added 0). 0 with *out,
 * or -1 with *err; nothing is left behind on failure. */
int admin_media_take(struct req *rq, const struct media_input *in, struct media_record *out,
		     int *added, const char **err);
/* The JPEG variant of library item m at most max_width wide (the
 * narrowest when all are wider): its path, pixel size and bytes, for a
 * story's featured image (ADMIN_FEATURED_WIDTH) or a byline photo
 * (ADMIN_PHOTO_WIDTH). 0, or -1 when it has none. */
#define ADMIN_FEATURED_WIDTH MEDIA_FEATURED_WIDTH
#define ADMIN_PHOTO_WIDTH 640
int admin_media_jpeg(struct req *rq, const struct media_record *m, int max_width,
		     struct featured *out);

/* admin_front.c: the edited front page (CAP_FRONT) */
void admin_front(struct req *rq, struct resp *rs);
void admin_front_pin(struct req *rq, struct resp *rs);
void admin_front_unpin(struct req *rq, struct resp *rs);
void admin_front_move(struct req *rq, struct resp *rs);
void admin_front_banner(struct req *rq, struct resp *rs);
void admin_front_block(struct req *rq, struct resp *rs);
void admin_front_block_remove(struct req *rq, struct resp *rs);
void admin_front_block_move(struct req *rq, struct resp *rs);

/* admin_settings.c */
void admin_settings(struct req *rq, struct resp *rs);
void admin_settings_save(struct req *rq, struct resp *rs);
/* Puts the embed providers an admin switched off (the settings table)
 * and the origins declared for slots (admin_slot_sources) into force:
 * the site's providers (site_embeds_set) and the public CSP
 * (secure_set_public). At start and after each change of either. */
void admin_csp_apply(const struct site *site, struct store *st);
/* Runs fn in one transaction; 0, or -1 with a 500 answered. With csp,
 * the public policy the change makes is put in force before the commit
 * (admin_csp_apply, reading inside the transaction): a cached page keeps
 * the CSP of its prebuilt response, so a page rebuilt once the commit is
 * seen must be built under the new one. A failed commit puts the old one
 * back. */
int admin_csp_txn(struct req *rq, struct resp *rs, int (*fn)(struct req *rq, void *arg), void *arg,
		  int csp);

/* admin_slots.c: ad and analytics slots, declared origins, the audit log
 * (CAP_SETTINGS) */
void admin_slots(struct req *rq, struct resp *rs);
void admin_slots_save(struct req *rq, struct resp *rs);
void admin_slot_origin_add(struct req *rq, struct resp *rs);
void admin_slot_origin_delete(struct req *rq, struct resp *rs);
/* Appends each declared origin to the CSP directives it is for
 * (src[SECURE_SRC_SCRIPT]... of http/secure.h), space-separated. */
struct buf;
void admin_slot_sources(struct store *st, struct pool *p, struct buf *src);

/* ---- shared (admin.c) ---- */

/* The context of every signed-in admin page: page_ctx plus "me", "csrf",
 * "menu" (with pending-comment counts), "admin_css" and "notice" (from
 * ?msg=, looked up in a fixed table: a URL cannot inject text). */
struct tv *admin_ctx(struct req *rq, const char *title, const char *current);
/* Renders template `name` (an admin-*.html) with ctx. */
void admin_render(struct req *rq, struct resp *rs, int status, const char *name, struct tv *ctx);
/* 303 to path with ?msg=key (or &msg=key when path has a query). */
void admin_done(struct req *rq, struct resp *rs, const char *path, const char *msg_key);
/* "2024-07-05T09:30" in the site's zone z (NULL: UTC), to show; "" for 0. */
const char *admin_datetime(struct pool *p, long long t, const struct tz *z);
/* "2024-07-05T09:30:15" in zone z for <input type=datetime-local step=1>,
 * so a save that changes nothing keeps the seconds; "" for 0. */
const char *admin_datetime_input(struct pool *p, long long t, const struct tz *z);
/* Parses that form (seconds optional) as a wall-clock time in zone z into
 * UTC (tz_from_local); 0 ok, -1 when malformed. */
int admin_datetime_parse(const char *s, const struct tz *z, long long *out);
/* 1 when s is "" or parses as a datetime (a form_validate validator). */
int admin_field_datetime(const char *s);
/* Form errors as a template list of {message}, general first. */
struct tv *admin_error_list(struct pool *p, const char *const *errors, size_t n,
			    const char *general);
/* params[0] as a row id; 0 when it is not one. */
long long admin_param_id(const struct req *rq);
/* Answers 404 "There is no such WHAT." and returns -1. */
int admin_not_found(struct req *rq, struct resp *rs, const char *what);
/* ?page=N (1 when absent or bad). */
size_t admin_page(const struct req *rq);

#endif
