/*
 * comment_rules: the admin's comment settings applied to a new comment
 * (see comment_rules.h). Read from the settings table per comment: a
 * comment is rare next to page views, and a changed setting applies at
 * once without a restart.
 */
#include "comment_rules.h"
#include "../auth/guard.h"
#include "../site/site.h"
#include "../util/num.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <string.h>
#include <strings.h>
#include <time.h>

static int int_setting(struct store *st, struct pool *p, const char *key, int def)
{
	const char *v;
	long long n;
	if (store_setting_get(st, p, key, &v) != STORE_OK || num_parse_i64(v, 0, 1000000, &n))
		return def;
	return (int)n;
}

static const char *text_setting(struct store *st, struct pool *p, const char *key)
{
	const char *v;
	return store_setting_get(st, p, key, &v) == STORE_OK ? v : "";
}

void comment_rules_load(struct store *st, struct pool *p, struct comment_rules *out)
{
	out->closed = int_setting(st, p, RULE_CLOSED, 0);
	out->close_days = int_setting(st, p, RULE_CLOSE_DAYS, 0);
	out->max_links = int_setting(st, p, RULE_MAX_LINKS, 2);
	out->require_2fa = int_setting(st, p, RULE_REQUIRE_2FA, 0);
	out->hold_words = text_setting(st, p, RULE_HOLD_WORDS);
	out->reject_words = text_setting(st, p, RULE_REJECT_WORDS);
}

int comment_rules_closed(const struct comment_rules *r, const struct story *s, long long now)
{
	if (r->closed)
		return 1;
	return r->close_days > 0 && s->published_at > 0 &&
	       now - s->published_at > (long long)r->close_days * 86400;
}

long long comment_rules_closes_in(const struct comment_rules *r, const struct story *s,
				  long long now)
{
	if (r->closed || r->close_days <= 0 || s->published_at <= 0)
		return 0;
	long long left = s->published_at + (long long)r->close_days * 86400 - now;
	return left > 0 ? left : 0;
}

int comment_rules_links(const char *text)
{
	int n = 0;
	for (const char *c = text; c && *c; c++)
		if (strncasecmp(c, "http://", 7) == 0 || strncasecmp(c, "https://", 8) == 0 ||
		    (strncasecmp(c, "www.", 4) == 0 && (c == text || !str_is_alnum(c[-1]) )))
			n++;
	/* "http://www.x" counts once: drop the www. found inside a URL */
	for (const char *c = text; c && (c = strcasestr(c, "://www.")); c++)
		n--;
	return n;
}

int comment_rules_word(const char *words, const char *text)
{
	const char *w = words;
	while (w && *w && text) {
		const char *end = strchrnul(w, '\n');
		const char *a = w;
		size_t n = (size_t)(end - w);
		str_trim(&a, &n, str_is_space);
		for (const char *t = text; n && *t; t++)
			if (strncasecmp(t, a, n) == 0)
				return 1;
		w = *end ? end + 1 : end;
	}
	return 0;
}

static int any_field(const char *words, const struct comment *c)
{
	return comment_rules_word(words, c->author) || comment_rules_word(words, c->email) ||
	       comment_rules_word(words, c->url) || comment_rules_word(words, c->body) ||
	       comment_rules_word(words, c->ip);
}

enum comment_verdict comment_rules_judge(const struct comment_rules *r, const struct comment *c)
{
	if (any_field(r->reject_words, c))
		return VERDICT_REJECT;
	if (any_field(r->hold_words, c))
		return VERDICT_HOLD;
	if (r->max_links > 0 && comment_rules_links(c->body) > r->max_links)
		return VERDICT_HOLD;
	return VERDICT_OK;
}
