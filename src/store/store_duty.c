/*
 * store_duty: which node does a background duty (see store_duty.h).
 */
#include "store_duty.h"
#include "store_int.h"
#include "db_pg.h"

/* "GzDuty" in ASCII, plus the duty (PostgreSQL 15 reads no hex literal) */
#define DUTY_KEY "78590460130425"
static const char SQL_DUTY_LOCK[] = "SELECT pg_try_advisory_lock(" DUTY_KEY " + ?1)";
/* this session's lock on the duty: a bigint key is classid (high 32 bits)
 * and objid (low 32) with objsubid 1 */
static const char SQL_DUTY_HELD[] =
	"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1"
	" AND granted AND pid = pg_backend_pid()"
	" AND (classid::bigint << 32) + objid::bigint = " DUTY_KEY " + ?1";

static const char *const names[DUTY__MAX] = {
	[DUTY_PUBLISH] = "publishing", [DUTY_PURGE] = "purges", [DUTY_RELATED] = "related lists",
	[DUTY_THREADS] = "comment threads", [DUTY_MAIL] = "mail",
};

const char *store_duty_name(enum store_duty d)
{
	return d < DUTY__MAX ? names[d] : "?";
}

/* A connection made again keeps none of the old one's locks: the duties
 * recorded are forgotten once its generation moves on. */
static void forget_old_duties(struct store *st)
{
	if (st->duties_gen != pg_gen(st->db->pg)) {
		st->duties = 0;
		st->duties_gen = pg_gen(st->db->pg);
	}
}

int store_duty_claim(struct store *st, enum store_duty d, int *taken)
{
	*taken = 0;
	if (DB_LITE(st->db))
		return 1;
	forget_old_duties(st);
	if (st->duties & (1u << d))
		return 1;
	/* a session lock: taken once, held while the connection lives (not
	 * asked again, as each pg_try_advisory_lock that succeeds stacks) */
	long long got = 0;
	if (int_row(st, SQL_DUTY_LOCK, (long long)d, &got, "duty lock"))
		return STORE_ERROR;
	forget_old_duties(st); /* connected again to ask: the lock is on that one */
	if (got) {
		st->duties |= 1u << d;
		*taken = 1;
	}
	return got ? 1 : 0;
}

int store_duty_shared(const struct store *st)
{
	return !DB_LITE(st->db);
}

int store_duty_held(struct store *st, enum store_duty d)
{
	if (DB_LITE(st->db))
		return 1;
	unsigned gen = pg_gen(st->db->pg);
	if (st->duties_gen != gen || !(st->duties & (1u << d)))
		return 0;
	long long n = 0;
	/* a broken connection: this fails, or is made again (a new gen) */
	if (int_row(st, SQL_DUTY_HELD, (long long)d, &n, "duty held"))
		return 0;
	return n == 1 && pg_gen(st->db->pg) == gen;
}
