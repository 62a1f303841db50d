/*
 * ratelimit: per-key token buckets (a key is a client address), shared by
 * all workers behind one mutex. The table has a fixed number of slots, so
 * a flood of new addresses cannot grow memory: the least recently seen
 * slot is reused.
 */
#ifndef GZ_RATELIMIT_H
#define GZ_RATELIMIT_H

struct ratelimit;

/* `per_minute` events per key per minute, bursts up to the same number. */
struct ratelimit *ratelimit_new(unsigned per_minute, unsigned slots);
void ratelimit_free(struct ratelimit *rl);
/* Takes one token for key at time now (seconds). 0: allowed; 1: limited,
 * with *retry_after set to the whole seconds until a token is back. */
int ratelimit_take(struct ratelimit *rl, const char *key, double now, unsigned *retry_after);

#endif
