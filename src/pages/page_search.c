/*
 * page_search: GET /search?q=WORDS[&page=N]: ranked results with the
 * matched words highlighted, their number, pagination, and a page that
 * helps when nothing matched.
 *
 * The one decision: the reader's text never reaches the database as
 * syntax. (The store matches only the rarest of many words, at most
 * STORE_SEARCH_TERMS; the page names the ones left out.) search_query_build turns it into quoted words (or refuses it,
 * 400, past 2,000 characters); the store only ever sees that. Highlighted
 * titles and snippets come back with marker bytes and are escaped here
 * before the markers become <mark>, so stored text cannot inject markup.
 */
#include "pages.h"
#include "../media/figure.h"
#include "../render/escape.h"
#include "../render/template.h"
#include "../search/query.h"
#include "../site/site.h"
#include "../store/store_search.h"
#include "../util/log.h"
#include "../util/locale.h"
#include "../util/pool.h"

#include <string.h>

static const char *marked_html(struct pool *p, const char *text)
{
	struct buf b;
	buf_init(&b, 1024 * 1024);
	search_highlight_html(&b, text);
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

static const char *search_path(struct pool *p, const char *words, unsigned long long page)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	buf_puts(&b, "/search?q=");
	url_query(&b, words);
	if (page > 1)
		buf_printf(&b, "&page=%llu", page);
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

static struct tv *results_tv(struct req *rq, const struct search_hit *hits, size_t n)
{
	struct pool *p = rq->pool;
	struct tv *list = tv_list(p);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = story_summary(rq, &hits[i].story);
		story_card_picture(p, o, &hits[i].story, CARD_SIZES_LIST, CARD_MAX_WIDTH, 0);
		tv_put_html(o, "title_html", marked_html(p, hits[i].title_marked));
		tv_put_html(o, "snippet_html", marked_html(p, hits[i].snippet_marked));
		tv_append(list, o);
	}
	return list;
}

static struct tv *pages_tv(struct pool *p, const char *words, unsigned long long page,
			   unsigned long long pages)
{
	struct tv *o = tv_obj(p);
	tv_put_int(o, "page", (long long)page);
	tv_put_int(o, "pages", (long long)pages);
	if (page > 1)
		tv_put_str(o, "prev_url", search_path(p, words, page - 1));
	if (page < pages)
		tv_put_str(o, "next_url", search_path(p, words, page + 1));
	return o;
}

static const char *total_label(struct req *rq, size_t total)
{
	if (total > STORE_SEARCH_RANKED) {
		const char *n = pool_printf(rq->pool, "%d,%03d", STORE_SEARCH_RANKED / 1000,
					    STORE_SEARCH_RANKED % 1000);
		return locale_fill(rq->pool, page_t(rq, "result_count_many"), n);
	}
	return page_t_count(rq, "result_count", (long long)total);
}

static long long words_in(const char *words)
{
	long long n = *words != '\0';
	for (const char *c = words; *c; c++)
		n += *c == ' ';
	return n;
}

/* The words of `words` (space-separated) that `used` does not hold: the
 * common ones the store left out of a long query. */
static const char *left_out(struct pool *p, const char *words, const char *used)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	for (const char *w = words; *w;) {
		size_t len = strcspn(w, " ");
		int found = 0;
		for (const char *u = used; *u && !found;) {
			size_t ulen = strcspn(u, " ");
			found = ulen == len && memcmp(u, w, len) == 0;
			u += ulen + (u[ulen] == ' ');
		}
		if (!found)
			buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)len, w);
		w += len + (w[len] == ' ');
	}
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

/* Renders the page; status 200 unless the input was refused. */
static void show(struct req *rq, struct resp *rs, int status, const char *title,
		 const char *input, const char *words, struct tv *search)
{
	struct pool *p = rq->pool;
	const char *canonical = words ? search_path(p, words, 1) : "/search";
	struct tv *ctx = page_ctx(rq, title, NULL, canonical);
	if (words) /* the search's own feeds: /search/feed?q=WORDS */
		page_feeds(rq, ctx, "/search", locale_fill(p, page_t(rq, "feed_search"), words),
			   strchr(canonical, '?') + 1);
	tv_put_str(ctx, "search_q", input);
	tv_put_str(ctx, "robots", "noindex, follow");
	tv_put(ctx, "search", search);
	if (status == 200)
		rs->cache_control = HTTP_CACHE_PUBLIC;
	page_render(rq, rs, status, "search", ctx);
}

void page_search(struct req *rq, struct resp *rs)
{
	struct pool *p = rq->pool;
	const char *input = kv_get(&rq->query, "q");
	unsigned long long page = page_number(rq);
	struct tv *search = tv_obj(p);
	if (!input)
		input = "";
	if (page == 0) {
		http_error(rq, rs, 404, "Page not found", "There is no such page of results.");
		return;
	}
	struct buf match, words;
	buf_init(&match, 64 * 1024);
	buf_init(&words, 64 * 1024);
	struct search_query q;
	enum search_qerr e = search_query_build(input, strlen(input), &match, &words, &q);
	const char *m = pool_strdup(p, q.match ? q.match : "");
	const char *w = pool_strdup(p, q.words ? q.words : "");
	buf_release(&match);
	buf_release(&words);
	if (e == SEARCH_QTOOLONG) {
		tv_put_str(search, "error", page_t(rq, "search_too_long"));
		show(rq, rs, 400, page_t(rq, "search_too_long_title"), "", NULL, search);
		return;
	}
	if (e == SEARCH_QEMPTY) {
		tv_put_bool(search, "prompt", 1);
		if (*input)
			tv_put_str(search, "error", page_t(rq, "search_no_words"));
		show(rq, rs, 200, page_t(rq, "search"), input, NULL, search);
		return;
	}
	size_t per = (size_t)rq->site->cfg.per_page, n = 0, total = 0;
	struct search_hit *hits = NULL;
	const char *used = w;
	if (store_search(rq->store, p, m, (size_t)(page - 1) * per, per, &hits, &n, &total, &used)) {
		log_error("%s: search: %s", rq->uri, store_errmsg(rq->store));
		http_error(rq, rs, 500, "Something went wrong", "The search could not be run.");
		return;
	}
	size_t listed = total < STORE_SEARCH_RANKED ? total : STORE_SEARCH_RANKED;
	unsigned long long pages = listed ? (listed + per - 1) / per : 1;
	if (page > pages) {
		http_error(rq, rs, 404, "Page not found", "There is no such page of results.");
		return;
	}
	tv_put_str(search, "words", used);
	tv_put_int(search, "total", (long long)total);
	tv_put_str(search, "total_label", total_label(rq, total));
	tv_put_bool(search, "truncated", q.truncated);
	const char *left = left_out(p, w, used);
	if (*left) {
		tv_put_str(search, "left_out", left);
		tv_put_int(search, "max_terms", words_in(used));
	}
	tv_put(search, "results", results_tv(rq, hits, n));
	tv_put_bool(search, "none", total == 0);
	tv_put_str(search, "feed_url", pool_printf(p, "/search/feed?q=%s",
						   strchr(search_path(p, w, 1), '=') + 1));
	if (pages > 1)
		tv_put(search, "pagination", pages_tv(p, w, page, pages));
	const char *title =
		page_title_n(rq, locale_fill(p, page_t(rq, "search_results_title"), used), page);
	show(rq, rs, 200, title, input, w, search);
}
