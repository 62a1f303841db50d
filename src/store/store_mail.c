/*
 * store_mail: the mail queue, events, subscriptions and one-time links
 * (see store_mail.h).
 */
#include "store_mail.h"
#include "store_int.h"

static const char SQL_EVENTS[] =
	"SELECT id, kind, ref_id FROM mail_events ORDER BY id LIMIT ?1";
static const char SQL_EVENT_DONE[] = "DELETE FROM mail_events WHERE id = ?1";
static const char SQL_ENQUEUE[] =
	"INSERT INTO mail_queue(recipient, headers, body, created_at, next_at)"
	" VALUES(?1, ?2, ?3, ?4, ?4)";
static const char SQL_DUE[] =
	"SELECT id, recipient, headers, body, attempts FROM mail_queue"
	" WHERE sent_at IS NULL AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2";
static const char SQL_SENT[] =
	"UPDATE mail_queue SET sent_at = ?2, attempts = attempts + 1, last_error = '' WHERE id = ?1";
static const char SQL_FAILED[] =
	"UPDATE mail_queue SET attempts = attempts + 1, next_at = ?2, last_error = ?3 WHERE id = ?1";
/* a message still due at ?2 (unsent, not claimed by a node whose claim
 * holds past ?2) becomes this node's until ?3 */
static const char SQL_CLAIM[] = "UPDATE mail_queue SET next_at = ?3"
				" WHERE id = ?1 AND sent_at IS NULL AND next_at <= ?2";
static const char SQL_PURGE[] = "DELETE FROM mail_queue WHERE sent_at < ?1";
static const char SQL_UNSENT[] = "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL";
static const char SQL_STAFF[] =
	"SELECT id, name, email, role, mail_digest, mail_digest_at FROM users"
	" WHERE disabled = 0 ORDER BY id";
static const char SQL_DIGEST_SET[] = "UPDATE users SET mail_digest = ?2 WHERE id = ?1";
static const char SQL_DIGEST_OF[] = "SELECT mail_digest FROM users WHERE id = ?1";
static const char SQL_DIGEST_ADD[] =
	"INSERT INTO mail_digest(user_id, line, created_at) VALUES(?1, ?2, ?3)";
static const char SQL_DIGEST_LINES[] =
	"SELECT line FROM mail_digest WHERE user_id = ?1 ORDER BY id";
static const char SQL_DIGEST_DROP[] = "DELETE FROM mail_digest WHERE user_id = ?1";
static const char SQL_DIGEST_AT[] = "UPDATE users SET mail_digest_at = ?2 WHERE id = ?1";
static const char SQL_STORY[] = "SELECT title, author_id FROM stories WHERE id = ?1";
static const char SQL_SUBSCRIBE[] =
	"INSERT INTO mail_subscriptions(comment_id, email, created_at) VALUES(?1, ?2, ?3)"
	" ON CONFLICT(comment_id) DO NOTHING";
#define SUB_COLS "SELECT id, comment_id, email, COALESCE(confirmed_at, 0)," \
	" COALESCE(stopped_at, 0) FROM mail_subscriptions"
static const char SQL_SUB_GET[] = SUB_COLS " WHERE id = ?1";
static const char SQL_SUB_OF[] = SUB_COLS " WHERE comment_id = ?1";
/* addresses with a confirmation to mail: asked for since ?2, none mailed
 * to the address since ?1 */
#define CONFIRM_DUE(e) \
	"SELECT min(email) FROM mail_subscriptions s WHERE mailed_at IS NULL AND created_at >= ?2" \
	" AND confirmed_at IS NULL AND stopped_at IS NULL AND NOT EXISTS(SELECT 1 FROM" \
	" mail_subscriptions t WHERE" NOCASE_EQ(e, "t.email", "s.email") " AND t.mailed_at >= ?1)" \
	" AND (SELECT count(DISTINCT mailed_at) FROM mail_subscriptions t" \
	" WHERE" NOCASE_EQ(e, "t.email", "s.email") " AND t.mailed_at >= ?4) < ?5" \
	" GROUP BY lower(email) LIMIT ?3"
static const struct sql_pair SQL_CONFIRM_DUE = SQL_PAIR(CONFIRM_DUE);
#define SUB_WAITING(e) \
	"SELECT * FROM (" SUB_COLS " WHERE" NOCASE_EQ(e, "email", "?1") " AND mailed_at IS NULL" \
	" AND confirmed_at IS NULL AND stopped_at IS NULL ORDER BY id DESC LIMIT ?2) w ORDER BY id"
static const struct sql_pair SQL_SUB_WAITING = SQL_PAIR(SUB_WAITING);
#define SUB_MAILED(e) \
	"UPDATE mail_subscriptions SET mailed_at = ?2 WHERE" NOCASE_EQ(e, "email", "?1") \
	" AND mailed_at IS NULL"
static const struct sql_pair SQL_SUB_MAILED = SQL_PAIR(SUB_MAILED);
static const char SQL_COMMENT_KEEP[] =
	"INSERT INTO mail_comments(comment_id) VALUES(?1) ON CONFLICT(comment_id) DO NOTHING";
static const char SQL_COMMENT_KEY[] = "SELECT id FROM mail_comments WHERE comment_id = ?1";
static const char SQL_COMMENT_OF[] = "SELECT comment_id FROM mail_comments WHERE id = ?1";
static const char SQL_REPLIED[] =
	"INSERT INTO mail_comments(comment_id, replied_at) VALUES(?1, ?2)"
	" ON CONFLICT(comment_id) DO UPDATE SET replied_at = ?2 WHERE mail_comments.replied_at IS NULL";
static const char SQL_SUB_CONFIRM[] =
	"UPDATE mail_subscriptions SET confirmed_at = ?2 WHERE id = ?1 AND confirmed_at IS NULL";
static const char SQL_SUB_STOP[] =
	"UPDATE mail_subscriptions SET stopped_at = ?2 WHERE id = ?1 AND stopped_at IS NULL";
static const char SQL_LINK_USE[] =
	"INSERT INTO mail_links_used(key, used_at) VALUES(?1, ?2) ON CONFLICT(key) DO NOTHING";

static void row_event(struct pool *p, dbq *s, void *e)
{
	struct mail_event *x = e;
	x->id = q_col_int(s, 0);
	x->kind = q_col_text(p, s, 1);
	x->ref_id = q_col_int(s, 2);
}

int store_mail_events(struct store *st, struct pool *p, size_t limit, struct mail_event **out,
		      size_t *n)
{
	dbq *s = stmt(st, SQL_EVENTS);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, (long long)limit);
	return collect(st, p, s, sizeof **out, row_event, (void **)out, n);
}

int store_mail_event_done(struct store *st, long long id)
{
	return exec_id(st, SQL_EVENT_DONE, id, "mail event done");
}

int store_mail_enqueue(struct store *st, const char *recipient, const char *headers,
		       const char *body, long long now)
{
	dbq *s = stmt(st, SQL_ENQUEUE);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, recipient);
	q_text(s, 2, headers);
	q_text(s, 3, body);
	q_int(s, 4, now);
	return exec_step(st, s, "mail enqueue");
}

static void row_item(struct pool *p, dbq *s, void *e)
{
	struct mail_item *x = e;
	x->id = q_col_int(s, 0);
	x->recipient = q_col_text(p, s, 1);
	x->headers = q_col_text(p, s, 2);
	x->body = q_col_text(p, s, 3);
	x->attempts = q_col_int(s, 4);
}

int store_mail_due(struct store *st, struct pool *p, long long now, size_t limit,
		   struct mail_item **out, size_t *n)
{
	dbq *s = stmt(st, SQL_DUE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, now);
	q_int(s, 2, (long long)limit);
	return collect(st, p, s, sizeof **out, row_item, (void **)out, n);
}

/* sql with ?1 id, ?2 a time */
static int id_at(struct store *st, const char *sql, long long id, long long at, const char *what)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, at);
	return exec_step(st, s, what);
}

/* runs a write that must change one row: STORE_CONFLICT when it changed
 * none (done already, by this node or another) */
static int changed_one(struct store *st, dbq *s, const char *what)
{
	int rc = exec_step(st, s, what);
	return rc ? rc : q_changes(st) == 1 ? STORE_OK : STORE_CONFLICT;
}

int store_mail_claim(struct store *st, long long id, long long now, long long until)
{
	dbq *s = stmt(st, SQL_CLAIM);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, now);
	q_int(s, 3, until);
	return changed_one(st, s, "mail claim");
}

int store_mail_sent(struct store *st, long long id, long long now)
{
	return id_at(st, SQL_SENT, id, now, "mail sent");
}

int store_mail_failed(struct store *st, long long id, long long next_at, const char *err)
{
	dbq *s = stmt(st, SQL_FAILED);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	q_int(s, 2, next_at);
	q_text(s, 3, err);
	return exec_step(st, s, "mail failed");
}

int store_mail_purge(struct store *st, long long before)
{
	return exec_id(st, SQL_PURGE, before, "mail purge");
}

int store_mail_unsent(struct store *st, long long *n)
{
	return int_row(st, SQL_UNSENT, 0, n, "mail unsent");
}

static void row_person(struct pool *p, dbq *s, void *e)
{
	struct mail_person *x = e;
	x->id = q_col_int(s, 0);
	x->name = q_col_text(p, s, 1);
	x->email = q_col_text(p, s, 2);
	if (role_parse(q_col_str(s, 3), &x->role))
		x->role = ROLE_NONE;
	x->digest = q_col_int(s, 4);
	x->digest_at = q_col_int(s, 5);
}

int store_mail_staff(struct store *st, struct pool *p, struct mail_person **out, size_t *n)
{
	dbq *s = stmt(st, SQL_STAFF);
	return s ? collect(st, p, s, sizeof **out, row_person, (void **)out, n) : STORE_ERROR;
}

int store_mail_digest_set(struct store *st, long long user_id, int digest)
{
	return id_at(st, SQL_DIGEST_SET, user_id, digest, "mail digest set");
}

int store_mail_digest_of(struct store *st, long long user_id, int *digest)
{
	long long v = 0;
	int rc = int_row(st, SQL_DIGEST_OF, user_id, &v, "mail digest of");
	*digest = v == 1;
	return rc;
}

int store_mail_digest_add(struct store *st, long long user_id, const char *line, long long now)
{
	dbq *s = stmt(st, SQL_DIGEST_ADD);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, user_id);
	q_text(s, 2, line);
	q_int(s, 3, now);
	return exec_step(st, s, "mail digest add");
}

static void row_line(struct pool *p, dbq *s, void *e)
{
	*(const char **)e = q_col_text(p, s, 0);
}

int store_mail_digest_lines(struct store *st, struct pool *p, long long user_id,
			    const char ***out, size_t *n)
{
	dbq *s = stmt(st, SQL_DIGEST_LINES);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, user_id);
	return collect(st, p, s, sizeof **out, row_line, (void **)out, n);
}

int store_mail_digest_taken(struct store *st, long long user_id, long long now)
{
	int rc = exec_id(st, SQL_DIGEST_DROP, user_id, "mail digest drop");
	return rc ? rc : id_at(st, SQL_DIGEST_AT, user_id, now, "mail digest at");
}

int store_mail_story(struct store *st, struct pool *p, long long id, const char **title,
		     long long *author_id)
{
	dbq *s = stmt(st, SQL_STORY);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	int rc = one_result(st, q_step(s), "mail story");
	if (rc == STORE_OK) {
		*title = q_col_text(p, s, 0);
		*author_id = q_col_int(s, 1);
	}
	done(s);
	return rc;
}

int store_mail_subscribe(struct store *st, long long comment_id, const char *email, long long now)
{
	dbq *s = stmt(st, SQL_SUBSCRIBE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, comment_id);
	q_text(s, 2, email);
	q_int(s, 3, now);
	return exec_step(st, s, "mail subscribe");
}

static void row_sub(struct pool *p, dbq *s, void *e)
{
	struct mail_sub *x = e;
	x->id = q_col_int(s, 0);
	x->comment_id = q_col_int(s, 1);
	x->email = q_col_text(p, s, 2);
	x->confirmed_at = q_col_int(s, 3);
	x->stopped_at = q_col_int(s, 4);
}

static int sub_by(struct store *st, struct pool *p, const char *sql, long long id,
		  struct mail_sub *out)
{
	dbq *s = stmt(st, sql);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, id);
	return one(st, p, s, row_sub, out);
}

int store_mail_sub_get(struct store *st, struct pool *p, long long id, struct mail_sub *out)
{
	return sub_by(st, p, SQL_SUB_GET, id, out);
}

int store_mail_sub_of(struct store *st, struct pool *p, long long comment_id, struct mail_sub *out)
{
	return sub_by(st, p, SQL_SUB_OF, comment_id, out);
}

int store_mail_confirm_due(struct store *st, struct pool *p, long long mailed_since,
			   long long asked_since, long long day_since, int day_max, size_t limit,
			   const char ***out, size_t *n)
{
	dbq *s = stmt_for(st, &SQL_CONFIRM_DUE);
	if (!s)
		return STORE_ERROR;
	q_int(s, 1, mailed_since);
	q_int(s, 2, asked_since);
	q_int(s, 3, (long long)limit);
	q_int(s, 4, day_since);
	q_int(s, 5, day_max);
	return collect(st, p, s, sizeof **out, row_line, (void **)out, n);
}

int store_mail_sub_waiting(struct store *st, struct pool *p, const char *email, size_t limit,
			   struct mail_sub **out, size_t *n)
{
	dbq *s = stmt_for(st, &SQL_SUB_WAITING);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, email);
	q_int(s, 2, (long long)limit);
	return collect(st, p, s, sizeof **out, row_sub, (void **)out, n);
}

int store_mail_sub_mailed(struct store *st, const char *email, long long now)
{
	dbq *s = stmt_for(st, &SQL_SUB_MAILED);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, email);
	q_int(s, 2, now);
	return exec_step(st, s, "mail subscriptions mailed");
}

int store_mail_sub_confirm(struct store *st, long long id, long long now)
{
	return id_at(st, SQL_SUB_CONFIRM, id, now, "mail subscription confirm");
}

int store_mail_sub_stop(struct store *st, long long id, long long now)
{
	return id_at(st, SQL_SUB_STOP, id, now, "mail subscription stop");
}

int store_mail_link_use(struct store *st, const char *key, long long now)
{
	dbq *s = stmt(st, SQL_LINK_USE);
	if (!s)
		return STORE_ERROR;
	q_text(s, 1, key);
	q_int(s, 2, now);
	return changed_one(st, s, "mail link use");
}

int store_mail_comment_key(struct store *st, long long comment_id, long long *key)
{
	int rc = exec_id(st, SQL_COMMENT_KEEP, comment_id, "mail comment keep");
	return rc ? rc : int_row(st, SQL_COMMENT_KEY, comment_id, key, "mail comment key");
}

int store_mail_comment_of(struct store *st, long long key, long long *comment_id)
{
	return int_row_or_none(st, SQL_COMMENT_OF, key, comment_id, "mail comment of");
}

int store_mail_replied(struct store *st, long long comment_id, long long now)
{
	int rc = id_at(st, SQL_REPLIED, comment_id, now, "mail replied");
	if (rc)
		return rc;
	return q_changes(st) == 1 ? STORE_OK : STORE_CONFLICT;
}
