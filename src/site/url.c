/*
 * url: see url.h. Slugs are percent-encoded as path segments (url_path),
 * so an imported slug with any character still makes one valid address.
 */
#include "url.h"
#include "../render/escape.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/date.h"
#include "../util/pool.h"

const char *page_path(struct pool *p, const char *prefix, const char *slug)
{
	if (slug && !slug[url_plain_len(slug)]) /* a slug needing no escape: most */
		return pool_cat(p, prefix, slug, NULL);
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, prefix);
	url_path(&b, slug);
	const char *r = pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return r;
}

const char *story_path(struct pool *p, const struct story *s)
{
	char date[13];
	date_path(date, s->published_at);
	return page_path(p, date, s->slug);
}
