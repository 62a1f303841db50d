/*
 * ratelimit: token buckets in a small open-addressed table (see ratelimit.h).
 * Lookup is a linear scan of a few probes from the key's hash; a full
 * neighbourhood evicts its least recently seen slot.
 */
#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define KEY_MAX 48
#define PROBES 8

struct slot {
	char key[KEY_MAX];
	double tokens, last;
};

struct ratelimit {
	pthread_mutex_t lock;
	double capacity, rate;   /* tokens, tokens per second */
	unsigned nslots;
	struct slot *slots;
};

struct ratelimit *ratelimit_new(unsigned per_minute, unsigned nslots)
{
	struct ratelimit *rl = calloc(1, sizeof *rl);
	if (!rl)
		return NULL;
	rl->slots = calloc(nslots, sizeof *rl->slots);
	if (!rl->slots) {
		free(rl);
		return NULL;
	}
	pthread_mutex_init(&rl->lock, NULL);
	rl->capacity = per_minute;
	rl->rate = per_minute / 60.0;
	rl->nslots = nslots;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct slot *find(struct ratelimit *rl, const char *key, double now)
{
	unsigned h = hash(key);
	struct slot *oldest = NULL;
	for (unsigned i = 0; i < PROBES; i++) {
		struct slot *s = &rl->slots[(h + i) % rl->nslots];
		if (strncmp(s->key, key, KEY_MAX) == 0)
			return s;
		if (!oldest || s->last < oldest->last)
			oldest = s;
	}
	snprintf(oldest->key, KEY_MAX, "%s", key);
	oldest->tokens = rl->capacity;
	oldest->last = now;
	return oldest;
}

int ratelimit_take(struct ratelimit *rl, const char *key, double now, unsigned *retry_after)
{
	pthread_mutex_lock(&rl->lock);
	struct slot *s = find(rl, key, now);
	s->tokens = fmin(rl->capacity, s->tokens + (now - s->last) * rl->rate);
	s->last = now;
	int limited = s->tokens < 1.0;
	if (limited)
		*retry_after = (unsigned)ceil((1.0 - s->tokens) / rl->rate);
	else
		s->tokens -= 1.0;
	pthread_mutex_unlock(&rl->lock);
	return limited;
}
