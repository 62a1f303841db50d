/*
 * comment_form: from the reader's POST to a durably stored comment and a
 * 303, or back to the story page with the reader's values and a message.
 *
 * Checks run cheapest and most telling first: the story exists and takes
 * comments, the honeypot, the field table, the reply target, the form's
 * signed timestamp, the per-address rate limit, the word list; then, in
 * the batch that would store it, whether this client already spent the
 * stamp and duplicates. Only a comment that passes every one is stored,
 * and the 303 is sent only after the insert has committed
 * (synchronous=FULL), so a 303 means "saved".
 *
 * A stamp is good for one comment per client (issue 12). Readers of a
 * cached page share the stamp of its 100 ms step, so "spent" is kept per
 * stamp AND client key (rq->client_key: the IPv6 /64, or the address
 * trusted_proxy names), as a keyed hash. The stamp is spent in the
 * transaction that stores the comment (comment_queue.c), so a post
 * refused for any other reason (the field table, the word list, the rate
 * limit, a duplicate) leaves it good, and two posts racing with one stamp
 * store one comment. Staff posts carry the session's CSRF token instead
 * and spend nothing (comment_reply.c).
 */
#include "../stats/metrics.h"
#include "comment_form.h"
#include "comment_text.h"
#include "comment_reply.h"
#include "comment_rules.h"
#include "comment_queue.h"
#include "../site/url.h"
#include "../util/date.h"
#include "../render/template.h"
#include "../site/site.h"
#include "../store/store_stamp.h"
#include "../util/locale.h"
#include "../util/log.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/ratelimit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct field_spec fields[CF__MAX] = {
	[CF_COMMENT] = { "comment", 65525, 1, "Please enter your comment!",
			 "Your comment is too long: the limit is 65,525 bytes.", NULL, NULL },
	[CF_AUTHOR] = { "author", 245, 1, "Please enter your name here",
			"Your name is too long: the limit is 245 bytes.", NULL, NULL },
	[CF_EMAIL] = { "email", 100, 1, "Please enter your email address here",
		       "Your email address is too long: the limit is 100 bytes.", field_email,
		       "Please enter a valid email address." },
	[CF_URL] = { "url", 200, 0, NULL, "Your website address is too long: the limit is 200 bytes.",
		     field_http_url, "Please enter a website address starting with http:// or https://." },
	[CF_PARENT] = { "comment_parent", 20, 0, NULL, "The comment you replied to is not available.",
			field_uint, "The comment you replied to is not available." },
};

const struct field_spec *comment_form_field(enum comment_field f)
{
	return &fields[f];
}

/* The form's stamp, "MILLISECONDS.SIG": when the form was shown (13
 * digits, so the text has one length whatever the time: the page cache
 * rewrites it in cached pages as they are sent, see cache.h), signed for
 * the story. The time is the end of the 100 ms step in which the page
 * left, never earlier than the reader got it. */
#define TS_SIG_LEN 16
#define TS_DIGITS 13
#define TS_STEP_MS 100

void comment_moderation_hash(const struct req *rq, long long id, char out[33])
{
	site_sign(rq->site, pool_printf(rq->pool, "moderation:%lld", id), out, 32);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void comment_form_stamp(const void *site, long long story_id, long long ms, char *out,
			size_t outlen)
{
	/* a viral story's page is built many times a second: sign once a step */
	const struct site *st = site;
	static _Thread_local struct {
		unsigned char secret[sizeof st->secret];
		long long story, ms;
		char stamp[TS_DIGITS + 1 + TS_SIG_LEN + 1];
	} last;
	if (!(last.stamp[0] && last.story == story_id && last.ms == ms &&
	      memcmp(last.secret, st->secret, sizeof last.secret) == 0)) {
		char msg[64], sig[TS_SIG_LEN + 1];
		snprintf(msg, sizeof msg, "form:%lld:%0*lld", story_id, TS_DIGITS, ms);
		site_sign(st, msg, sig, TS_SIG_LEN);
		snprintf(last.stamp, sizeof last.stamp, "%0*lld.%s", TS_DIGITS, ms, sig);
		memcpy(last.secret, st->secret, sizeof last.secret);
		last.story = story_id;
		last.ms = ms;
	}
	snprintf(out, outlen, "%s", last.stamp);
}

/* When the form was shown, in ms, or -1 unless the stamp is ours for this
 * story. A stamp of 10 digits is from before stamps carried milliseconds. */
static long long stamp_shown_ms(struct req *rq, long long story_id, const char *stamp)
{
	const char *dot = stamp ? strchr(stamp, '.') : NULL;
	long long shown;
	if (!dot || (dot - stamp != TS_DIGITS && dot - stamp != 10))
		return -1;
	char *num = pool_strndup(rq->pool, stamp, (size_t)(dot - stamp));
	if (num_parse_i64(num, 0, 9999999999999LL, &shown) ||
	    !site_sign_ok(rq->site, pool_printf(rq->pool, "form:%lld:%s", story_id, num), dot + 1,
			  TS_SIG_LEN))
		return -1;
	return dot - stamp == 10 ? shown * 1000 : shown;
}

static const char STAMP_SPENT[] =
	"This form has already sent a comment. If you meant to send another one, "
	"please send it again now.";

/* NULL when the stamp is good and old enough, else the reader's message.
 * *shown is when the form was shown (ms) when the stamp is ours. */
static const char *stamp_problem(struct req *rq, long long story_id, const char *stamp,
				 long long *shown)
{
	*shown = stamp_shown_ms(rq, story_id, stamp);
	if (*shown < 0)
		return "The form could not be verified. Please send your comment again.";
	/* the stamp may be up to a step ahead of the clock */
	long long age = now_ms() - *shown, min = rq->site->cfg.comment_min_seconds;
	if (min > 0 && age < min * 1000)
		return "You sent the form very quickly. Please wait a moment and send it again.";
	if (age > (long long)rq->site->cfg.comment_form_max_age * 1000)
		return "This form has expired. Please send your comment again.";
	return NULL;
}

/* The key under which this client spends stamp (store_stamp.h): keyed
 * with the site's secret, so the table holds no address. */
static const char *stamp_key(struct req *rq, const char *stamp)
{
	char *key = pool_alloc(rq->pool, 33);
	site_sign(rq->site, pool_printf(rq->pool, "spent:%s:%s", stamp, rq->client_key), key, 32);
	return key;
}

/* The reader's messages by their locale key (the theme's locale files):
 * the checks keep writing English, and the form shows the site's words. */
static const struct {
	const char *en, *key;
} said[] = {
	{ "Please enter your comment!", "comment_missing" },
	{ "Your comment is too long: the limit is 65,525 bytes.", "comment_too_long" },
	{ "Please enter your name here", "name_missing" },
	{ "Your name is too long: the limit is 245 bytes.", "name_too_long" },
	{ "Please enter your email address here", "email_required" },
	{ "Your email address is too long: the limit is 100 bytes.", "email_too_long" },
	{ "Please enter a valid email address.", "email_missing" },
	{ "Your website address is too long: the limit is 200 bytes.", "url_too_long" },
	{ "Please enter a website address starting with http:// or https://.", "url_invalid" },
	{ "The comment you replied to is not available.", "reply_unavailable" },
	{ "Replies cannot be nested any deeper here; please reply further up the thread.",
	  "reply_too_deep" },
	{ "The form could not be verified. Please send your comment again.", "form_unverified" },
	{ "You sent the form very quickly. Please wait a moment and send it again.",
	  "form_too_quick" },
	{ "This form has expired. Please send your comment again.", "form_expired" },
	{ STAMP_SPENT, "form_spent" },
};

static const char *in_site_words(const struct req *rq, const char *msg)
{
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
		if (strcmp(msg, said[i].en) == 0) {
			const char *w = locale_get(&rq->site->locale, said[i].key);
			return w ? w : msg;
		}
	return msg;
}

struct tv *comment_form_tv(struct req *rq, const struct story *s, const struct comment_rules *r,
			   const struct comment_form_state *st, struct cache_live *live)
{
	struct pool *p = rq->pool;
	struct tv *f = tv_obj(p), *errors = tv_list(p);
	static const char *const keys[CF__MAX] = { "comment", "author", "email", "url", NULL };
	static const char *const ekeys[CF__MAX] = { "error_comment", "error_author", "error_email",
						     "error_url", NULL };
	int open = s->comments_open && rq->site->cfg.comments_open &&
		   !comment_rules_closed(r, s, (long long)time(NULL));
	tv_put_bool(f, "open", open);
	tv_put_str(f, "action", "/comments");
	tv_put_int(f, "story_id", s->id);
	char stamp[TS_DIGITS + 1 + TS_SIG_LEN + 1];
	long long shown = (now_ms() / TS_STEP_MS + 1) * TS_STEP_MS - 1;
	if (shown <= st->stamp_after) /* a form back for its spent stamp gets another */
		shown = (st->stamp_after / TS_STEP_MS + 1) * TS_STEP_MS + TS_STEP_MS - 1;
	comment_form_stamp(rq->site, s->id, shown, stamp, sizeof stamp);
	const char *ts = pool_strdup(p, stamp); /* template values are not copied */
	tv_put_str(f, "ts", ts);
	if (live && open) { /* a closed form shows no stamp: nothing to renew */
		live->text = ts;
		live->key = s->id;
		live->fn = comment_form_stamp;
		/* a copy confirmed by a 304 keeps its form a day at least */
		live->keep = rq->site->cfg.comment_form_max_age - 86400;
	}
	if (st->general_error) {
		struct tv *e = tv_obj(p);
		tv_put_str(e, "message", in_site_words(rq, st->general_error));
		tv_append(errors, e);
	}
	for (int i = 0; i < CF__MAX; i++) {
		if (keys[i])
			tv_put_str(f, keys[i], st->value[i] ? st->value[i] : "");
		if (st->error[i]) {
			struct tv *e = tv_obj(p);
			const char *msg = in_site_words(rq, st->error[i]);
			tv_put_str(e, "message", msg);
			tv_append(errors, e);
			if (ekeys[i])
				tv_put_str(f, ekeys[i], msg);
		}
	}
	tv_put_bool(f, "has_errors", tv_count(errors) > 0);
	tv_put_bool(f, "notify", st->notify);
	tv_put_bool(f, "mail", *rq->site->cfg.smtp_url != '\0'); /* the opt-in box */
	tv_put(f, "errors", errors);
	tv_put_int(f, "comment_parent", st->parent_id);
	if (st->parent_id > 0) {
		struct comment c;
		if (store_comment_get(rq->store, p, st->parent_id, &c) == STORE_OK &&
		    c.story_id == s->id && c.status == COMMENT_APPROVED) {
			tv_put_str(f, "reply_to", c.author);
			tv_put_str(f, "cancel_url", pool_printf(p, "%s#respond", story_path(p, s)));
		} else
			tv_put_int(f, "comment_parent", 0);
	}
	return f;
}

/* The story the form was sent for (its summary: a post that is stored
 * never shows the body), or an error page; *rules loaded. */
static int load_story(struct req *rq, struct resp *rs, struct story *s,
		      struct comment_rules *rules)
{
	unsigned long long id;
	const char *v = kv_get(&rq->form, "comment_post_ID");
	int rc = v && num_parse_u64(v, 1ULL << 62, &id) == 0
			 ? store_story_summary_by_id(rq->store, rq->pool, (long long)id, s)
			 : STORE_NOTFOUND;
	if (rc == STORE_OK && s->status != STORY_PUBLISHED)
		rc = STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		http_error(rq, rs, 404, "Story not found", "The story you tried to comment on does not exist.");
		return -1;
	}
	if (rc) {
		log_error("comment: %s", store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "Your comment could not be saved.");
		return -1;
	}
	comment_rules_load(rq->store, rq->pool, rules);
	if (!s->comments_open || !rq->site->cfg.comments_open ||
	    comment_rules_closed(rules, s, (long long)time(NULL))) {
		metrics_count(METRIC_COMMENT_CLOSED);
		http_error(rq, rs, 403, "Comments are closed", "Comments are closed on this story.");
		return -1;
	}
	return 0;
}

/* A reply must name an approved comment of the same story that is not
 * already at the deepest level. */
static const char *parent_problem(struct req *rq, const struct story *s, long long parent_id)
{
	return comment_reply_message(comment_reply_check(rq->store, rq->pool,
							 rq->site->cfg.comment_max_depth, s->id,
							 parent_id, 0));
}

static void rate_limited(struct req *rq, struct resp *rs, unsigned retry)
{
	resp_header(rs, "Retry-After", pool_printf(rq->pool, "%u", retry ? retry : 1));
	http_error(rq, rs, 429, "Too many comments",
		   pool_printf(rq->pool,
			       "You have sent several comments in a short time. Please wait %u "
			       "seconds and try again.",
			       retry ? retry : 1));
}

struct judge_ctx {
	enum comment_verdict verdict; /* the rules' on this comment, asked once before */
	int auto_approve_known;
};

/* Approved only for a known commenter whose text the rules do not hold;
 * asked by the batch's leader (comment_queue.h), for both answers. */
static enum comment_status judge(const struct comment *c, int known, void *arg)
{
	const struct judge_ctx *j = arg;
	return j->auto_approve_known && known && j->verdict == VERDICT_OK ? COMMENT_APPROVED
									  : COMMENT_PENDING;
}

void comment_not_saved(struct req *rq, struct resp *rs, int duplicate)
{
	if (duplicate) {
		http_error(rq, rs, 409, "Duplicate comment",
			   "Duplicate comment detected; it looks as though you’ve already said that!");
		return;
	}
	http_error(rq, rs, 503, "Comment not saved",
		   "Your comment could not be saved right now. Please try again in a moment.");
	resp_header(rs, "Retry-After", "10");
}

/* Stores the comment durably (group commit), spending its stamp. */
static enum cq_result store_comment(struct req *rq, struct comment *c, enum comment_verdict verdict,
				    const char *key, long long shown, long long *id)
{
	struct judge_ctx j = { verdict, rq->site->cfg.comment_auto_approve_known };
	c->created_at = (long long)time(NULL);
	struct cq_stamp stamp = { key, shown / 1000,
				  c->created_at - rq->site->cfg.comment_form_max_age - 1 };
	return comment_queue_insert(rq->store, c, &stamp, judge, &j, id);
}

static void redirect_to_comment(struct req *rq, struct resp *rs, const struct story *s,
				const struct comment *c, long long id)
{
	const char *path = story_path(rq->pool, s);
	if (c->status == COMMENT_APPROVED) {
		resp_redirect(rs, 303, pool_printf(rq->pool, "%s#comment-%lld", path, id));
		return;
	}
	char hash[33];
	comment_moderation_hash(rq, id, hash);
	resp_redirect(rs, 303, pool_printf(rq->pool, "%s?unapproved=%lld&moderation-hash=%s#comment-%lld",
					   path, id, hash, id));
}

/* A reader's post that reached the queue, counted by what became of it. */
static void count_stored(enum cq_result r, const struct comment *c)
{
	static const enum metric by_result[] = {
		[CQ_DUPLICATE] = METRIC_COMMENT_DUPLICATE, [CQ_STAMP_SPENT] = METRIC_COMMENT_INVALID,
		[CQ_ERROR] = METRIC_COMMENT_ERROR,
	};
	if (r == CQ_STORED)
		metrics_count(c->status == COMMENT_APPROVED ? METRIC_COMMENT_APPROVED
							    : METRIC_COMMENT_HELD);
	else
		metrics_count(by_result[r]);
}

int comment_submit(struct req *rq, struct resp *rs, struct story *s,
		   struct comment_form_state *st)
{
	struct comment_rules rules;
	memset(st, 0, sizeof *st);
	if (load_story(rq, rs, s, &rules))
		return COMMENT_ANSWERED;
	int staff = comment_staff_post(rq, rs, s, st);
	if (staff != COMMENT_NOT_STAFF)
		return staff;
	const char *hp = kv_get(&rq->form, "gz_website");
	if (hp && *hp) {
		log_info("comment: honeypot filled from %s", rq->client_ip);
		metrics_count(METRIC_COMMENT_SPAM);
		http_error(rq, rs, 400, "Comment not accepted", "Your comment could not be accepted.");
		return COMMENT_ANSWERED;
	}
	struct field_val fv[CF__MAX];
	size_t nerr = form_validate(rq->pool, fields, CF__MAX, &rq->form, fv);
	for (int i = 0; i < CF__MAX; i++) {
		st->value[i] = fv[i].val;
		st->error[i] = fv[i].error;
	}
	unsigned long long parent = 0;
	if (!st->error[CF_PARENT] && *fv[CF_PARENT].val)
		num_parse_u64(fv[CF_PARENT].val, 1ULL << 62, &parent);
	st->parent_id = (long long)parent;
	st->notify = *rq->site->cfg.smtp_url && kv_get(&rq->form, "gz_notify") != NULL;
	const char *ts = kv_get(&rq->form, "gz_ts"), *key = NULL;
	long long shown = -1;
	/* whether this client spent the stamp already is asked in the
	 * batch that would store the comment (comment_queue.c): a post
	 * reaches the database once, in its batch's round trips */
	if (nerr == 0 && !(st->general_error = parent_problem(rq, s, st->parent_id)) &&
	    !(st->general_error = stamp_problem(rq, s->id, ts, &shown)))
		key = stamp_key(rq, ts);
	if (nerr || st->general_error) {
		metrics_count(METRIC_COMMENT_INVALID);
		return COMMENT_SHOW_FORM;
	}
	unsigned retry = 0;
	if (ratelimit_take(rq->site->comment_rl, rq->client_key, (double)time(NULL), &retry)) {
		metrics_count(METRIC_COMMENT_RATE);
		rate_limited(rq, rs, retry);
		return COMMENT_ANSWERED;
	}
	struct comment c = { .story_id = s->id, .parent_id = st->parent_id,
			     .author = st->value[CF_AUTHOR], .email = st->value[CF_EMAIL],
			     .url = st->value[CF_URL], .body = st->value[CF_COMMENT],
			     .body_html = comment_text_html_str(rq->pool, st->value[CF_COMMENT]),
			     .ip = rq->client_ip, .user_agent = rq->user_agent,
			     .notify = st->notify };
	enum comment_verdict verdict = comment_rules_judge(&rules, &c);
	if (verdict == VERDICT_REJECT) {
		log_info("comment: refused by the word list from %s", rq->client_ip);
		metrics_count(METRIC_COMMENT_WORDS);
		http_error(rq, rs, 403, "Comment not accepted", "Your comment could not be accepted.");
		return COMMENT_ANSWERED;
	}
	long long id;
	enum cq_result r = store_comment(rq, &c, verdict, key, shown, &id);
	count_stored(r, &c);
	if (r == CQ_STAMP_SPENT) { /* another post with it was stored first */
		st->general_error = STAMP_SPENT;
		st->stamp_after = shown;
		return COMMENT_SHOW_FORM;
	}
	if (r != CQ_STORED)
		comment_not_saved(rq, rs, r == CQ_DUPLICATE);
	else
		redirect_to_comment(rq, rs, s, &c, id);
	return COMMENT_ANSWERED;
}
