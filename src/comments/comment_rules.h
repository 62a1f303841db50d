/*
 * comment_rules: the moderation settings an admin edits at
 * /admin/settings (kept in the settings table, so no restart is needed)
 * and how a new comment fares against them: comments closed site-wide,
 * closed on stories older than N days, held when they carry more than N
 * links, held or refused when they contain a listed word (in the name,
 * email, website, text or address, ignoring case, as WordPress does).
 * gazette.conf keeps the older switches (comments_open,
 * comment_auto_approve_known, comment_max_depth).
 */
#ifndef GZ_COMMENT_RULES_H
#define GZ_COMMENT_RULES_H

#include "../http/http.h"
#include "../store/store.h"

#define RULE_CLOSED "comments_closed"        /* "1": closed site-wide */
#define RULE_CLOSE_DAYS "comment_close_days" /* close on stories older than N days; 0 never */
#define RULE_MAX_LINKS "comment_max_links"   /* hold with more than N links; default 2 */
#define RULE_HOLD_WORDS "comment_hold_words" /* one per line */
#define RULE_REJECT_WORDS "comment_reject_words"

struct comment_rules {
	int closed, close_days, max_links, require_2fa;
	const char *hold_words, *reject_words;
};

enum comment_verdict { VERDICT_OK, VERDICT_HOLD, VERDICT_REJECT };

/* The current settings (defaults for absent keys). */
void comment_rules_load(struct store *st, struct pool *p, struct comment_rules *out);
/* 1 when comments on s are closed by the rules r (site-wide or by age,
 * at time now). Loaded once by the caller: a story page or a post reads
 * the rules one time. */
int comment_rules_closed(const struct comment_rules *r, const struct story *s, long long now);
/* Seconds until comments on s close by age (0: never, or closed): a page
 * showing the form may be cached that long at most. */
long long comment_rules_closes_in(const struct comment_rules *r, const struct story *s,
				  long long now);
/* What the rules say of comment c. */
enum comment_verdict comment_rules_judge(const struct comment_rules *r, const struct comment *c);
/* The number of links in text: http://, https:// and www. occurrences. */
int comment_rules_links(const char *text);
/* 1 when any line of `words` occurs in text, ignoring ASCII case. */
int comment_rules_word(const char *words, const char *text);

#endif
