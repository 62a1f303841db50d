/*
 * reads: the in-memory read counter (see reads.h). Each stripe is an open
 * addressing table of slugs under its own mutex, and each serving thread
 * counts in its own stripe (given on its first count): a story everyone
 * reads at once is counted in parallel, not queued on one lock. A slug's
 * slot comes from an FNV-1a hash; the same slug may sit in several
 * stripes, and the flush adds them up.
 */
#include "reads.h"
#include "../util/str.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	unsigned count;
	char slug[READS_SLUG_MAX + 1];
};

struct stripe {
	pthread_mutex_t lock;
	size_t used;
	struct slot slots[READS_SLOTS];
};

struct reads {
	struct stripe stripes[READS_STRIPES];
};

struct reads *reads_new(void)
{
	struct reads *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	for (int i = 0; i < READS_STRIPES; i++)
		pthread_mutex_init(&r->stripes[i].lock, NULL);
	return r;
}

void reads_free(struct reads *r)
{
	if (!r)
		return;
	for (int i = 0; i < READS_STRIPES; i++)
		pthread_mutex_destroy(&r->stripes[i].lock);
	free(r);
}

/* Lowercase needles, found in the User-Agent whatever its case. */
static const char *const robots[] = {
	"bot", "crawl", "spider", "slurp", "preview", "fetch", "monitor", "headless", "lighthouse",
	"curl", "wget", "python", "java/", "go-http", "okhttp", "libwww", "httpclient", "scrapy",
	"facebookexternalhit", "whatsapp", "archiver", "feed", "reader",
};

int reads_is_bot(const char *ua)
{
	if (!ua || !*ua)
		return 1;
	char low[512];
	size_t n = strlen(ua);
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = str_lower_ascii(ua[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof robots / sizeof robots[0]; i++)
		if (strstr(low, robots[i]))
			return 1;
	return 0;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

const char *reads_story_slug(const char *path, size_t *len)
{
	/* "/YYYY/MM/DD/" is 12 bytes */
	if (strlen(path) < 13 || path[0] != '/' || !digits(path + 1, 4) || path[5] != '/' ||
	    !digits(path + 6, 2) || path[8] != '/' || !digits(path + 9, 2) || path[11] != '/')
		return NULL;
	const char *slug = path + 12;
	size_t n = strcspn(slug, "/?#");
	if (!n || n > READS_SLUG_MAX || slug[n])
		return NULL;
	*len = n;
	return slug;
}

void reads_count(struct reads *r, const char *slug, size_t len)
{
	if (!r || !len || len > READS_SLUG_MAX)
		return;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)slug[i]) * 16777619u;
	static atomic_uint next_stripe;
	static _Thread_local int mine = -1;
	if (mine < 0)
		mine = (int)(atomic_fetch_add(&next_stripe, 1) % READS_STRIPES);
	struct stripe *s = &r->stripes[mine];
	pthread_mutex_lock(&s->lock); /* contended only by the flush */
	for (size_t k = 0, i = h % READS_SLOTS; k < READS_SLOTS;
	     k++, i = (i + 1) % READS_SLOTS) {
		struct slot *o = &s->slots[i];
		if (o->count && strncmp(o->slug, slug, len) == 0 && o->slug[len] == '\0') {
			o->count++;
			break;
		}
		if (!o->count) {
			/* past 3/4 full, new slugs wait for the next flush */
			if (s->used * 4 < READS_SLOTS * 3) {
				memcpy(o->slug, slug, len);
				o->slug[len] = '\0';
				o->count = 1;
				s->used++;
			}
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

size_t reads_take(struct reads *r, void (*fn)(void *arg, const char *slug, unsigned count),
		  void *arg)
{
	size_t n = 0;
	/* copied out under each stripe's lock, handed over without it */
	struct slot *taken = r ? malloc(READS_SLOTS * sizeof *taken) : NULL;
	if (!taken)
		return 0;
	for (int i = 0; i < READS_STRIPES; i++) {
		struct stripe *s = &r->stripes[i];
		size_t m = 0;
		pthread_mutex_lock(&s->lock);
		for (size_t k = 0; k < READS_SLOTS; k++)
			if (s->slots[k].count) {
				taken[m++] = s->slots[k];
				s->slots[k].count = 0;
			}
		s->used = 0;
		pthread_mutex_unlock(&s->lock);
		for (size_t k = 0; k < m; k++)
			fn(arg, taken[k].slug, taken[k].count);
		n += m;
	}
	free(taken);
	return n;
}
