/*
 * page_wp: the list addresses a WordPress site answered, for a site
 * imported from one (docs/import.md): /?s=q is a search, /page/N/ and
 * /?paged=N the home page's page N, /?m=YYYYMM[DD] a date archive,
 * /?feed=rss2 (or atom) the site's feed. An
 * id in the query (/?p=N, /?page_id=N, /?cat=N ...) that no imported
 * redirect names (app_match asks the store first) is no page: 404, not
 * the home page it would otherwise fall through to.
 *
 * The one design decision: these answer 301 to Gazette's own address, so
 * the page itself is built (and cached) once, under its one address.
 */
#include "pages.h"
#include "../render/escape.h"
#include "../util/buf.h"
#include "../util/num.h"
#include "../util/pool.h"

#include <string.h>

/* WordPress's query variables naming one thing by id or slug. */
static const char *const id_vars[] = { "p", "page_id", "attachment_id", "cat", "tag", "author",
				       "name", "pagename" };

static void moved(struct req *rq, struct resp *rs, const char *to)
{
	resp_redirect(rs, 301, to);
	rs->cache_control = "public, max-age=3600";
}

/* "/?page=N" for the home page's page n (1: "/"). */
static const char *home_page(struct pool *p, unsigned long long n)
{
	return n > 1 ? pool_printf(p, "/?page=%llu", n) : "/";
}

/* The date archive of WordPress's m=YYYY[MM[DD]], or NULL. */
static const char *archive_of_m(struct pool *p, const char *m)
{
	size_t n = strlen(m);
	unsigned long long v;
	if ((n != 4 && n != 6 && n != 8) || num_parse_u64(m, 99999999, &v))
		return NULL;
	const char *to = pool_printf(p, "/%.4s", m);
	if (n >= 6)
		to = pool_printf(p, "%s/%.2s", to, m + 4);
	if (n == 8)
		to = pool_printf(p, "%s/%.2s", to, m + 6);
	return to;
}

int page_wp_home_query(struct req *rq, struct resp *rs)
{
	const char *s = kv_get(&rq->query, "s"), *v;
	if (s) {
		struct buf b;
		buf_init(&b, 0);
		buf_puts(&b, "/search?q=");
		url_query(&b, s);
		moved(rq, rs, pool_strdup(rq->pool, buf_str(&b)));
		buf_release(&b);
		return 1;
	}
	unsigned long long n;
	if ((v = kv_get(&rq->query, "paged")) && num_parse_u64(v, 1000000, &n) == 0) {
		moved(rq, rs, home_page(rq->pool, n));
		return 1;
	}
	if ((v = kv_get(&rq->query, "m")) && (v = archive_of_m(rq->pool, v))) {
		moved(rq, rs, v);
		return 1;
	}
	for (size_t i = 0; i < sizeof id_vars / sizeof id_vars[0]; i++)
		if (kv_get(&rq->query, id_vars[i])) {
			page_not_found(rq, rs, "There is no page at this address: the story or page "
					       "it named is not on this site.");
			return 1;
		}
	if ((v = kv_get(&rq->query, "feed"))) { /* ?feed=rss2, ?feed=atom */
		moved(rq, rs, strcmp(v, "atom") == 0 ? "/feed.atom" : "/feed");
		return 1;
	}
	return 0;
}

void page_wp_paged(struct req *rq, struct resp *rs)
{
	unsigned long long n;
	if (num_parse_u64(rq->params[0], 1000000, &n) || n == 0) {
		page_not_found(rq, rs, "There is no page at this address.");
		return;
	}
	moved(rq, rs, home_page(rq->pool, n));
}
