/*
 * store_stamp: the comment_stamps table (see store_stamp.h). Spending is
 * one INSERT, which the key's primary key refuses when it was spent: the
 * writers' lock orders the posts, whichever process they come from, and
 * the comment batch asked before spending, so a refusal means a writer
 * without that lock, and it fails the batch's transaction. (The batch's
 * quick transaction spends with its insert instead, each only if the
 * other is to be: store_comment_insert_if_later, store_comment.c.)
 */
#include "store_stamp.h"
#include "store_int.h"

static const char SQL_SPEND[] =
	"INSERT INTO comment_stamps(key, shown_at) VALUES(?1, ?2)";
static const char SQL_PURGE[] =
	"DELETE FROM comment_stamps WHERE key IN"
	" (SELECT key FROM comment_stamps WHERE shown_at < ?1 LIMIT ?2)";

void store_stamp_spend_later(struct store *st, const char *key, long long shown_at,
			     struct db_ans *a)
{
	dbq *s = stmt(st, SQL_SPEND);
	if (s) {
		q_text(s, 1, key);
		q_int(s, 2, shown_at);
	}
	later(st, s, a);
}

void store_stamps_purge_later(struct store *st, long long before, int limit, struct db_ans *a)
{
	dbq *s = stmt(st, SQL_PURGE);
	if (s) {
		q_int(s, 1, before);
		q_int(s, 2, limit);
	}
	later(st, s, a);
}
