/*
 * db_ans: a statement's answer when it was sent with others in one round
 * trip (q_later and db_flush in db.h; the store's *_later calls and
 * store_flush in store.h).
 */
#ifndef GZ_STORE_DB_ANS_H
#define GZ_STORE_DB_ANS_H

/* What q_step returns; the engine maps its own results to these. */
enum { DB_ERROR = 1, DB_CONSTRAINT = 19, DB_ROW = 100, DB_DONE = 101 };

struct db_ans {
	int rc;                  /* DB_ROW (it returned rows), DB_DONE or an error */
	long long value;         /* the first row's column 0 as an integer */
	long long changes;       /* rows it inserted, updated or deleted */
};

/* It ran: returned rows or finished. */
static inline int db_ans_ok(const struct db_ans *a)
{
	return a->rc == DB_ROW || a->rc == DB_DONE;
}

#endif
