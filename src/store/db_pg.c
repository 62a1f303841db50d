/*
 * db_pg: the PostgreSQL engine of the statement API, over libpq (see
 * db_pg.h for what it does and db.h for the API).
 */
#include "db_pg.h"
#include "db.h"
#include "../util/pool.h"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct pgc {
	PGconn *conn;
	unsigned next;           /* names the next prepared statement */
	long long changes;       /* rows the last write touched */
	char err[512];
	unsigned gen;            /* connections made again (reconnect) */
	int txn;                 /* a transaction begun by pg_exec, not yet ended */
	char *spec;              /* what it was made with: its password leaves err */
	_Atomic long long *retry_at; /* its server's reconnect throttle (retry_for) */
	const char *pending;     /* that transaction's BEGIN, not sent yet: it
				  * goes with the next statement (pipelined) */
	struct later *later, **later_tail; /* pgq_later's queue, for pg_flush */
	int later_lost;          /* one could not be queued: the flush fails */
	int settled;             /* made with options (a request's): its owner
				  * calls pg_settle at each request's end */
	int cancelled;           /* the server cancelled a statement (count_gave_up):
				  * the next ones fail at once, until pg_settle */
	int ended;               /* the server said it ends the connection (quiet) */
};

/* A statement queued by pgq_later: its parameters' copies follow it. */
struct later {
	struct later *next;
	struct pgq *s;
	struct db_ans *ans;
	const char **vals;
};

struct pgq {
	struct pgc *c;
	char name[24];
	int nparams, ncols;
	const char **vals;       /* each parameter's text, NULL for NULL */
	char **own;              /* the copies this statement made */
	char (*num)[32];         /* formatted numbers */
	PGresult *res;           /* after the first step */
	int ran, row, nrows, failed;
	int write;               /* INSERT, UPDATE, DELETE or WITH: may be refused */
	char *text;              /* the rewritten SQL and its parameters' types, */
	Oid *types;              /* to prepare it again on a new connection */
	unsigned gen;            /* the connection's gen it was prepared on */
};

#define PG_RETRY_NS 1000000000LL /* between two tries to connect again */
#define PG_TRYING_NS 60000000000LL /* a try under way (connect_timeout is less) */

/* No try to connect a lost connection again before this (ns), per
 * server in this process: one try a second, whichever of its connections
 * makes it (a replica that is away never holds up the primary's). Kept
 * for as many specs as a process opens (a primary, a replica); past
 * that, the last slot is shared. */
#define PG_SERVERS 8
static struct {
	char *spec;
	_Atomic long long at;
} servers[PG_SERVERS];
static pthread_mutex_t servers_mu = PTHREAD_MUTEX_INITIALIZER;

static _Atomic long long *retry_for(const char *spec)
{
	pthread_mutex_lock(&servers_mu);
	int i = 0;
	while (i < PG_SERVERS - 1 && servers[i].spec && strcmp(servers[i].spec, spec))
		i++;
	if (!servers[i].spec && i < PG_SERVERS - 1)
		servers[i].spec = strdup(spec); /* NULL: tried again next time */
	pthread_mutex_unlock(&servers_mu);
	return &servers[i].at;
}

/* Connections found broken or not made again, by this thread (pg_outages):
 * a worker's request counts only what its own connection saw, never
 * another worker's lost connection. */
static _Thread_local _Atomic unsigned long long outages;

unsigned long long pg_outages(void)
{
	return atomic_load(&outages);
}

void pg_outages_add(unsigned long long n)
{
	atomic_fetch_add(&outages, n);
}

/* A statement the server gave up on, counted as an outage: cancelled by
 * statement_timeout (or pg_cancel_backend: 57014) or by lock_timeout
 * (55P03). Its request meets a busy or blocked database, as a lost
 * connection is a moment's absence of it: a 503 with Retry-After. The
 * request's next statements fail at once (c->cancelled, on a connection
 * whose owner settles it: a request's): each would otherwise wait out its
 * own timeout on the same lock (a page of four statements held 20 s, not
 * 5). */
static void count_gave_up(struct pgc *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && (!strcmp(state, "57014") || !strcmp(state, "55P03"))) {
		atomic_fetch_add(&outages, 1);
		c->cancelled = c->settled;
	}
}

void pg_settle(struct pgc *c)
{
	if (c)
		c->cancelled = 0;
}

/* Time in round trips to the server, per thread (pg_time_ns). */
static _Thread_local long long pg_ns;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long pg_time_ns(void)
{
	return pg_ns;
}

/* Round trips to the server, per thread (pg_round_trips). */
static _Thread_local long long pg_trips;

long long pg_round_trips(void)
{
	return pg_trips;
}

void pg_scrub(const char *spec, char *msg, size_t cap);

/* Keeps libpq's message, without its trailing line break nor the
 * connection's password. */
static void set_err(struct pgc *c, const char *msg)
{
	if (!msg || !*msg)
		msg = "PostgreSQL error";
	/* scrubbed whole, before it is cut to err's size (a password cut
	 * in two would not be found) */
	size_t cap = strlen(msg) * 4 + 1;
	char *t = c->spec ? malloc(cap) : NULL;
	if (t) {
		memcpy(t, msg, strlen(msg) + 1);
		pg_scrub(c->spec, t, cap);
	}
	snprintf(c->err, sizeof c->err, "%s", t ? t : c->spec ? "PostgreSQL error" : msg);
	free(t);
	size_t n = strlen(c->err);
	while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = 0;
}

/* A write's row count, for db_changes (a SELECT leaves it as it was, as
 * SQLite's does). */
static void count_changes(struct pgc *c, PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	if (!strncmp(tag, "INSERT", 6) || !strncmp(tag, "UPDATE", 6) ||
	    !strncmp(tag, "DELETE", 6) || !strncmp(tag, "MERGE", 5))
		c->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

/* The server's notices (NOTICE, WARNING) are not errors: not printed. A
 * FATAL one is the server ending an idle connection (a restart,
 * pg_terminate_backend, an idle timeout) before it closes it: the
 * connection is taken as lost from then on (read_idle, usable). */
static void quiet(void *arg, const PGresult *r)
{
	struct pgc *c = arg;
	const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (severity && (!strcmp(severity, "FATAL") || !strcmp(severity, "PANIC")))
		c->ended = 1;
}

/* Where a spec writes its password: [start, end) pairs into at (at most
 * max), by the text, so a spec libpq refuses is covered too: a URL's
 * USER:PASSWORD@ and its query's password=..., a connection string's
 * password = value (quoted or not). */
static int secret_spans(const char *spec, size_t (*at)[2], int max)
{
	int n = 0;
	const char *scheme = strstr(spec, "://");
	if (scheme && !strncmp(spec, "postgres", 8)) {
		const char *auth = scheme + 3, *end = auth + strcspn(auth, "/?");
		const char *atsign = NULL, *colon;
		for (const char *p = auth; p < end; p++)
			if (*p == '@')
				atsign = p;
		if (atsign && (colon = memchr(auth, ':', (size_t)(atsign - auth))) && n < max) {
			at[n][0] = (size_t)(colon + 1 - spec);
			at[n++][1] = (size_t)(atsign - spec);
		}
		for (const char *q = strchr(end, '?'); q && *q && n < max; q += strcspn(q + 1, "&") + 1) {
			if (!strncmp(q + 1, "password=", 9)) {
				const char *v = q + 10;
				at[n][0] = (size_t)(v - spec);
				at[n++][1] = (size_t)(v + strcspn(v, "&") - spec);
			}
		}
		return n;
	}
	for (const char *p = spec; (p = strstr(p, "password")) && n < max; p += 8) {
		if (p > spec && p[-1] != ' ' && p[-1] != '\t')
			continue;
		const char *v = p + 8 + strspn(p + 8, " \t");
		if (*v != '=')
			continue;
		v += 1 + strspn(v + 1, " \t");
		const char *e = v;
		if (*v == '\'') {
			for (e = ++v; *e && *e != '\''; e++)
				if (*e == '\\' && e[1])
					e++;
		} else {
			e = v + strcspn(v, " \t");
		}
		at[n][0] = (size_t)(v - spec);
		at[n++][1] = (size_t)(e - spec);
	}
	return n;
}

void pg_spec_redact(const char *spec, char *out, size_t cap)
{
	size_t at[8][2], o = 0, from = 0, len = strlen(spec);
	int n = secret_spans(spec, at, 8);
	if (!cap)
		return;
	for (int i = 0; i <= n; i++) {
		size_t upto = i < n ? at[i][0] : len;
		o += (size_t)snprintf(out + o, cap - o, "%.*s%s", (int)(upto - from), spec + from,
				      i < n && at[i][1] > at[i][0] ? "****" : "");
		if (o >= cap)
			return; /* cut short: never past a password, as those are masked */
		from = i < n ? at[i][1] : len;
	}
}

/* Each occurrence of word in msg (at most cap bytes) as ****. */
static void mask(char *msg, size_t cap, const char *word, size_t wlen)
{
	char *out = wlen && cap ? malloc(cap) : NULL;
	if (!out)
		return;
	size_t o = 0;
	for (const char *p = msg; *p && o + 1 < cap;) {
		if (!strncmp(p, word, wlen)) {
			for (int i = 0; i < 4 && o + 1 < cap; i++)
				out[o++] = '*';
			p += wlen;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = 0;
	memcpy(msg, out, o + 1);
	free(out);
}

void pg_scrub(const char *spec, char *msg, size_t cap)
{
	if (!spec || !msg)
		return;
	size_t at[8][2];
	int n = secret_spans(spec, at, 8);
	for (int i = 0; i < n; i++) {
		char word[512];
		size_t w = at[i][1] - at[i][0];
		if (w >= sizeof word)
			w = sizeof word - 1;
		memcpy(word, spec + at[i][0], w);
		word[w] = 0;
		mask(msg, cap, word, w);
	}
	/* and as libpq read it (percent-decoded, unquoted) */
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(spec, &why);
	PQfreemem(why);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val)
			mask(msg, cap, o->val, strlen(o->val));
	PQconninfoFree(opts);
}

/* The keywords and values every connection is made with (keys, vals: room
 * for PG_PARAMS), conninfo last, as dbname (expand_dbname: the keywords
 * before it lose to its own): a server that accepts and never answers
 * fails the connect in 5 s; a link that went half-open is noticed by the
 * kernel (keepalives, unacknowledged data) in about a minute; options,
 * when not NULL, the server settings of pg_connect_with. */
#define PG_PARAMS 9
static void params(const char *conninfo, const char *options, const char **keys,
		   const char **vals)
{
	static const char *const k[] = { "connect_timeout", "keepalives", "keepalives_idle",
					 "keepalives_interval", "keepalives_count",
					 "tcp_user_timeout" };
	static const char *const v[] = { "5", "1", "30", "10", "3", "30000" };
	int n = 0;
	for (; n < (int)(sizeof k / sizeof k[0]); n++) {
		keys[n] = k[n];
		vals[n] = v[n];
	}
	if (options) {
		keys[n] = "options";
		vals[n++] = options;
	}
	keys[n] = "dbname";
	vals[n++] = conninfo;
	keys[n] = vals[n] = NULL;
}

int pg_connect_with(const char *conninfo, const char *options, struct pgc **out, char *err,
		    size_t errlen)
{
	*out = NULL;
	struct pgc *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *keys[PG_PARAMS], *vals[PG_PARAMS];
	params(conninfo, options, keys, vals);
	c->conn = PQconnectdbParams(keys, vals, 1);
	c->spec = strdup(conninfo);
	c->retry_at = retry_for(conninfo);
	c->settled = options != NULL;
	if (!c->conn || !c->spec || PQstatus(c->conn) != CONNECTION_OK ||
	    PQsetClientEncoding(c->conn, "UTF8") != 0) {
		set_err(c, c->conn && c->spec ? PQerrorMessage(c->conn) : "out of memory");
		snprintf(err, errlen, "%s", c->err);
		pg_close(c);
		return -1;
	}
	PQsetNoticeReceiver(c->conn, quiet, c);
	*out = c;
	return 0;
}

int pg_connect(const char *conninfo, struct pgc **out, char *err, size_t errlen)
{
	return pg_connect_with(conninfo, NULL, out, err, errlen);
}

/* A failed connect that took longer than this waited on a host that said
 * nothing: no ping after it (it would wait as long again). */
#define PG_ANSWERED_NS 2000000000LL

int pg_connect_probe(const char *conninfo, struct pgc **out, char *err, size_t errlen)
{
	long long t = now_ns();
	if (pg_connect(conninfo, out, err, errlen) == 0)
		return 0;
	if (now_ns() - t >= PG_ANSWERED_NS)
		return -1;
	/* PQPING_OK: a server took the connection and then refused it (its
	 * SQLSTATE was not 57P03, "not accepting connections now": that one
	 * is PQPING_REJECT, a server starting, stopping or recovering, which
	 * waiting fixes) */
	const char *keys[PG_PARAMS], *vals[PG_PARAMS];
	params(conninfo, NULL, keys, vals);
	if (PQpingParams(keys, vals, 1) != PQPING_OK)
		return -1;
	for (char *p = err; *p; p++) /* one line (libpq writes one per host tried) */
		if (*p == '\n')
			*p = ' ';
	/* every connection slot taken (SQLSTATE 53300: the server's, the
	 * role's or the database's limit), which waiting fixes. libpq keeps
	 * a refused connection's SQLSTATE to itself, so its message says it
	 * (the server's own words; under a translated lc_messages it is
	 * taken for a refusal, as before) */
	if (strstr(err, "too many clients") || strstr(err, "too many connections") ||
	    strstr(err, "connection slots are reserved"))
		return -1;
	return -2;
}

/* What a comma-separated list of hosts names: PG_HOST_ADDRESS when each
 * is an IPv4 or IPv6 address, PG_HOST_SOCKET when one is a socket's
 * folder (or none is given: libpq's default socket), else PG_HOST_NAME. */
static enum pg_host hosts_kind(const char *list)
{
	if (!list || !*list)
		return PG_HOST_SOCKET;
	enum pg_host kind = PG_HOST_ADDRESS;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		char one[256];
		unsigned char addr[sizeof(struct in6_addr)];
		if (n == 0 || *p == '/' || *p == '@')
			return PG_HOST_SOCKET; /* a folder, or an abstract socket */
		snprintf(one, sizeof one, "%.*s", (int)n, p);
		if (inet_pton(AF_INET, one, addr) != 1 && inet_pton(AF_INET6, one, addr) != 1)
			kind = PG_HOST_NAME;
		p += n + (p[n] == ',');
	}
	return kind;
}

int pg_spec_hosts(const char *conninfo)
{
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &why);
	if (!opts) {
		PQfreemem(why);
		return -1;
	}
	const char *host = NULL, *hostaddr = NULL;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!strcmp(o->keyword, "host"))
			host = o->val;
		else if (!strcmp(o->keyword, "hostaddr"))
			hostaddr = o->val;
	}
	/* hostaddr, when given, is where libpq connects (host then only
	 * names the server for TLS and passwords) */
	enum pg_host kind = hostaddr && *hostaddr ? hosts_kind(hostaddr) : hosts_kind(host);
	PQconninfoFree(opts);
	return (int)kind;
}

/* What pgq_later queued and no pg_flush ran. */
static void discard_later(struct pgc *c)
{
	while (c->later) {
		struct later *next = c->later->next;
		free(c->later);
		c->later = next;
	}
	c->later_tail = &c->later;
	c->later_lost = 0;
}

void pg_close(struct pgc *c)
{
	if (!c)
		return;
	discard_later(c);
	PQfinish(c->conn);
	free(c->spec);
	free(c);
}

/* 0 when c can run a statement: connected, or connected again now (a
 * server restarted, a network cut healed: PQreset, with the same
 * settings; gen moves on, so each statement is prepared again at its
 * next step). A connection lost inside a transaction is not made again
 * until that transaction is ended (ROLLBACK): its statements would
 * otherwise run outside it. -1 with the reason in err. */
static int usable(struct pgc *c)
{
	if (!pg_lost(c))
		return 0;
	atomic_fetch_add(&outages, 1);
	if (c->txn) {
		set_err(c, "the connection to PostgreSQL was lost during a transaction");
		return -1;
	}
	/* once a try failed, one try a second per server, by one thread: a cached page's
	 * check, every request of every worker, never waits on a server
	 * that is away */
	long long now = now_ns(), at = atomic_load(c->retry_at);
	/* 0: no try has failed; each lost connection tries at once (a
	 * restarted server: every worker back at its next request) */
	if (at != 0 && (now < at || !atomic_compare_exchange_strong(c->retry_at, &at,
								    now + PG_TRYING_NS))) {
		set_err(c, "the connection to PostgreSQL is lost (trying again each second)");
		return -1;
	}
	PQreset(c->conn);
	if (PQstatus(c->conn) != CONNECTION_OK || PQsetClientEncoding(c->conn, "UTF8") != 0) {
		set_err(c, PQerrorMessage(c->conn));
		atomic_store(c->retry_at, now_ns() + PG_RETRY_NS);
		return -1;
	}
	atomic_store(c->retry_at, 0); /* back: the others connect again at once */
	c->ended = 0;
	c->gen++;
	return 0;
}

int pg_lost(struct pgc *c)
{
	return PQstatus(c->conn) != CONNECTION_OK || c->ended;
}

unsigned pg_gen(struct pgc *c)
{
	return c->gen;
}

/* Reads, without waiting, what the server sent an idle connection: a
 * server that ended it meanwhile (a restart, pg_terminate_backend, an
 * idle timeout) leaves it lost (pg_lost: its FATAL said so, or the
 * stream ended), found before a transaction is sent on it rather than
 * by the transaction, which could not then be sent again if it carried
 * its COMMIT (flush). */
static void read_idle(struct pgc *c)
{
	struct pollfd pfd = { .fd = PQsocket(c->conn), .events = POLLIN };
	/* a few reads at most: the server's last words, then the end */
	for (int i = 0; i < 4 && pfd.fd >= 0 && !pg_lost(c) && poll(&pfd, 1, 0) > 0; i++) {
		if (!PQconsumeInput(c->conn))
			break;
		PQisBusy(c->conn); /* parses what came: a FATAL reaches quiet() */
	}
}

/* usable(), for a statement that carries the transaction's BEGIN (not
 * sent yet): nothing of that transaction is on the lost connection, so a
 * new one may be made. */
static int ready(struct pgc *c)
{
	if (c->cancelled)
		return -1; /* pg_errmsg: why it was */
	if (!c->pending)
		return usable(c);
	read_idle(c);
	int txn = c->txn;
	c->txn = 0;
	int rc = usable(c);
	c->txn = txn;
	return rc;
}

/* The words in lower case: they are no statements (sql-once.js). */
static int is_begin(const char *sql)
{
	return !strncasecmp(sql, "begin", 5);
}

static int exec_now(struct pgc *c, const char *sql)
{
	int begins = is_begin(sql), rollback = !strncasecmp(sql, "rollback", 8);
	int ends = rollback || !strncasecmp(sql, "commit", 6);
	if (rollback && pg_lost(c)) {
		c->txn = 0; /* the server ended it with the connection */
		return usable(c);
	}
	if (usable(c))
		return -1;
	int outside = !c->txn; /* nothing of a transaction can be lost */
	if (begins)
		c->txn = 1;
	else if (ends)
		c->txn = 0; /* over, committed or not */
	for (int tries = 0;; tries++) {
		long long t = now_ns();
		PGresult *r = PQexec(c->conn, sql);
		pg_ns += now_ns() - t;
		pg_trips++;
		ExecStatusType st = PQresultStatus(r);
		int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
		/* a COMMIT of a transaction a failed statement aborted answers
		 * OK with the tag ROLLBACK: nothing was committed, and the
		 * caller must not say it was (a 303 for a lost comment) */
		if (ok && ends && !rollback && !strcasecmp(PQcmdStatus(r), "rollback")) { /* the tag */
			set_err(c, "the transaction was rolled back: a statement in it had failed");
			ok = 0;
		} else if (ok)
			count_changes(c, r);
		else
			set_err(c, r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
		if (!ok)
			count_gave_up(c, r);
		PQclear(r);
		if (!ok && pg_lost(c))
			atomic_fetch_add(&outages, 1);
		/* a BEGIN outside a transaction that found the connection
		 * broken (the server restarted since the last statement): once
		 * more on a new one; nothing else, as a write may have run */
		if (ok || tries || !outside || !begins || !pg_lost(c))
			return ok ? 0 : -1;
		int txn = c->txn;
		c->txn = 0;
		if (usable(c))
			return -1;
		c->txn = txn;
	}
}

/* A BEGIN pg_exec kept for the next statement, sent now (a COPY cannot
 * carry it). */
static int send_pending(struct pgc *c)
{
	if (!c->pending)
		return 0;
	const char *begin = c->pending;
	c->pending = NULL;
	c->txn = 0;
	return exec_now(c, begin);
}

/* A BEGIN outside a transaction is not sent: it goes with the next
 * statement, in the same round trip (run_pipelined), and a transaction
 * that ran nothing ends without one. Any other SQL sends a BEGIN still
 * pending first. */
int pg_exec(struct pgc *c, const char *sql)
{
	int ends = !strncasecmp(sql, "rollback", 8) || !strncasecmp(sql, "commit", 6);
	/* after a cancelled statement only a ROLLBACK runs (a COMMIT would
	 * keep the rest of a transaction whose statement was undone) */
	if (c->cancelled && strncasecmp(sql, "rollback", 8))
		return -1; /* pg_errmsg: why it was */
	/* statements queued (pgq_later) go before anything else, or with
	 * the transaction's ROLLBACK, nowhere */
	if (!strncasecmp(sql, "rollback", 8))
		discard_later(c);
	else if ((c->later || c->later_lost) && pg_flush(c))
		return -1;
	if (is_begin(sql) && !c->txn) {
		c->pending = sql;
		c->txn = 1;
		return 0;
	}
	if (c->pending && ends) {
		c->pending = NULL;
		c->txn = 0;
		return 0; /* nothing ran: nothing to end */
	}
	if (send_pending(c))
		return -1;
	return exec_now(c, sql);
}

int pg_copy_begin(struct pgc *c, const char *sql)
{
	if (send_pending(c) || usable(c))
		return -1;
	long long t = now_ns();
	PGresult *r = PQexec(c->conn, sql);
	pg_ns += now_ns() - t;
	pg_trips++;
	int ok = PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		set_err(c, r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
	PQclear(r);
	return ok ? 0 : -1;
}

int pg_copy_put(struct pgc *c, const char *data, size_t n)
{
	/* PQputCopyData takes an int: a longer value goes in pieces */
	while (n) {
		int k = n > (1u << 30) ? 1 << 30 : (int)n;
		if (PQputCopyData(c->conn, data, k) != 1) {
			set_err(c, PQerrorMessage(c->conn));
			return -1;
		}
		data += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Where a refused COPY stopped, from the error's context, in English
 * ("COPY t, line 3, column title: ..."; a translated one names nothing). */
static void copy_where(PGresult *r, long long *line, char *column, size_t cap)
{
	const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT);
	const char *at = ctx ? strstr(ctx, ", line ") : NULL;
	*line = 0;
	column[0] = 0;
	if (!at)
		return;
	char *end;
	*line = strtoll(at + 7, &end, 10);
	if (strncmp(end, ", column ", 9) == 0) {
		size_t k = strcspn(end + 9, ":\n");
		snprintf(column, cap, "%.*s", (int)k, end + 9);
	}
}

long long pg_copy_end(struct pgc *c, long long *line, char *column, size_t cap)
{
	long long t = now_ns(), rows = -1;
	*line = 0;
	column[0] = 0;
	int ended = PQputCopyEnd(c->conn, NULL) == 1;
	if (!ended)
		set_err(c, PQerrorMessage(c->conn));
	PGresult *r;
	while ((r = PQgetResult(c->conn))) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COMMAND_OK && ended && rows < 0) {
			rows = strtoll(PQcmdTuples(r), NULL, 10);
		} else if (st == PGRES_COPY_IN) { /* still copying: the end was not sent */
			PQclear(r);
			break;
		} else if (st != PGRES_COMMAND_OK) {
			const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
			const char *d = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
			char why[sizeof c->err];
			snprintf(why, sizeof why, "%s%s%s", m ? m : PQresultErrorMessage(r),
				 m && d ? ": " : "", m && d ? d : "");
			set_err(c, why);
			copy_where(r, line, column, cap);
			rows = -1;
			ended = 0;
		}
		PQclear(r);
	}
	pg_ns += now_ns() - t;
	pg_trips++;
	return ended ? rows : -1;
}

int pg_wait_notify(struct pgc *c, int timeout_ms,
		   void (*fn)(void *arg, const char *channel, const char *payload), void *arg)
{
	int fd = PQsocket(c->conn);
	if (fd < 0 || PQstatus(c->conn) != CONNECTION_OK) {
		set_err(c, "the connection is closed");
		return -1;
	}
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);
	if (n > 0 && !PQconsumeInput(c->conn)) {
		set_err(c, PQerrorMessage(c->conn));
		return -1;
	}
	PGnotify *nt;
	while ((nt = PQnotifies(c->conn))) {
		fn(arg, nt->relname, nt->extra);
		PQfreemem(nt);
	}
	if (PQstatus(c->conn) != CONNECTION_OK) {
		set_err(c, PQerrorMessage(c->conn));
		return -1;
	}
	return 0;
}

int pg_exec_within(struct pgc *c, const char *sql, int timeout_ms)
{
	if (PQstatus(c->conn) != CONNECTION_OK || !PQsendQuery(c->conn, sql)) {
		set_err(c, PQerrorMessage(c->conn));
		return -1;
	}
	long long end = now_ns() + (long long)timeout_ms * 1000000LL;
	int ok = 1;
	for (;;) {
		while (!PQisBusy(c->conn)) {
			PGresult *r = PQgetResult(c->conn);
			if (!r)
				return ok ? 0 : -1;
			ExecStatusType st = PQresultStatus(r);
			if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
				set_err(c, PQresultErrorMessage(r));
				ok = 0;
			}
			PQclear(r);
		}
		long long left = (end - now_ns()) / 1000000LL;
		struct pollfd pfd = { .fd = PQsocket(c->conn), .events = POLLIN };
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			snprintf(c->err, sizeof c->err, "PostgreSQL did not answer within %d ms",
				 timeout_ms);
			return -1;
		}
		if (!PQconsumeInput(c->conn)) {
			set_err(c, PQerrorMessage(c->conn));
			return -1;
		}
	}
}

const char *pg_errmsg(struct pgc *c)
{
	if (!c->err[0])
		set_err(c, PQerrorMessage(c->conn));
	return c->err;
}

long long pg_changes(struct pgc *c)
{
	return c->changes;
}

int pg_in_txn(struct pgc *c)
{
	if (c->pending || pg_lost(c))
		return c->txn;
	PGTransactionStatusType t = PQtransactionStatus(c->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

int pg_readonly(struct pgc *c)
{
	PGresult *r = PQexec(c->conn, "SELECT pg_is_in_recovery()"
				      " OR current_setting('transaction_read_only') = 'on'");
	int ro = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		ro = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return ro;
}

static int ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (unsigned char)ch >= 0x80;
}

static int ident_char(char ch)
{
	return ident_start(ch) || (ch >= '0' && ch <= '9');
}

/* Where the literal, quoted identifier, comment or dollar-quoted string
 * that starts at p ends (just past it), or p when none starts there. */
static const char *skip_quoted(const char *sql, const char *p)
{
	if (*p == '\'' || *p == '"') {
		char q = *p;
		/* E'...' takes backslash escapes */
		int esc = q == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
			  (p - 1 == sql || !ident_char(p[-2]));
		for (p++; *p; p++) {
			if (esc && *p == '\\' && p[1])
				p++;
			else if (*p == q && p[1] == q)
				p++;
			else if (*p == q)
				return p + 1;
		}
		return p;
	}
	if (p[0] == '-' && p[1] == '-') {
		while (*p && *p != '\n')
			p++;
		return p;
	}
	if (p[0] == '/' && p[1] == '*') { /* PostgreSQL's comments nest */
		int depth = 0;
		while (*p) {
			if (p[0] == '/' && p[1] == '*') {
				depth++;
				p += 2;
			} else if (p[0] == '*' && p[1] == '/') {
				p += 2;
				if (--depth == 0)
					return p;
			} else {
				p++;
			}
		}
		return p;
	}
	if (*p == '$' && (p == sql || !ident_char(p[-1])) && (p[1] == '$' || ident_start(p[1]))) {
		const char *t = p + 1;
		while (ident_char(*t))
			t++;
		if (*t != '$')
			return p;
		size_t n = (size_t)(t - p) + 1; /* the tag, both dollars */
		const char *end = strchr(t + 1, '$');
		while (end && strncmp(end, p, n))
			end = strchr(end + 1, '$');
		return end ? end + n : p + strlen(p);
	}
	return p;
}

/* pg_rewrite, noting in *used (when not NULL) bit N-1 of each ?N it met
 * (N <= 64). */
static int rewrite(const char *sql, char *out, size_t cap, unsigned long long *used)
{
	size_t len = strlen(sql);
	if (cap <= len)
		return -1;
	memcpy(out, sql, len + 1);
	int n = 0;
	const char *p = sql;
	while (*p) {
		const char *q = skip_quoted(sql, p);
		if (q != p) {
			p = q;
			continue;
		}
		if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			out[p - sql] = '$';
			char *e;
			long v = strtol(p + 1, &e, 10);
			if (v > n && v < 65536)
				n = (int)v;
			if (used && v >= 1 && v <= 64)
				*used |= 1ULL << (v - 1);
			p = e;
			continue;
		}
		p++;
	}
	return n;
}

int pg_rewrite(const char *sql, char *out, size_t cap)
{
	return rewrite(sql, out, cap, NULL);
}

/* PostgreSQL infers each parameter's type from where the text uses it; one
 * the text never names (a list's ?3 when only its cursor's ?4 and ?5 are
 * used: the store keeps one numbering per family of statements) would
 * have none, and the prepare fail: it is declared text, and never read. */
#define PG_TEXT_OID 25

/* A statement that may write, by its first word. */
static int writes(const char *sql)
{
	static const char *const words[] = { "INSERT", "UPDATE", "DELETE", "WITH" };
	sql += strspn(sql, " \t\n(");
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i]);
		if (!strncasecmp(sql, words[i], n) && !ident_char(sql[n]))
			return 1;
	}
	return 0;
}

#define PIPE_MAX 6 /* a BEGIN's statements, SAVEPOINT, the statement, RELEASE */

/* The transaction's BEGIN not sent yet (c->pending, "BEGIN...; SELECT
 * ..."), copied into buf and cut into its commands, at most max, into
 * part; it is then no longer pending. How many. */
static int pending_parts(struct pgc *c, char *buf, size_t cap, const char **part, int max)
{
	int n = 0;
	if (!c->pending)
		return 0;
	snprintf(buf, cap, "%s", c->pending);
	c->pending = NULL;
	char *p = buf;
	while (*p && n < max) {
		p += strspn(p, " ;");
		if (!*p)
			break;
		part[n++] = p;
		while (*p && *p != ';') {
			const char *q = skip_quoted(buf, p);
			p = q != p ? (char *)q : p + 1;
		}
		if (*p)
			*p++ = 0;
	}
	return n;
}

/* After a pipeline's results were read: up to its sync's (when synced:
 * the sync was sent and not yet read), out of pipeline mode; one round
 * trip counted. */
static void pipeline_end(struct pgc *c, int synced)
{
	for (PGresult *r; synced && (r = PQgetResult(c->conn));) {
		int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			break;
	}
	if (!PQexitPipelineMode(c->conn) && !pg_lost(c))
		set_err(c, PQerrorMessage(c->conn));
	pg_trips++;
}

/* Runs a prepared statement. SQLite fails only the statement a
 * constraint (or another error) refuses, and the transaction goes on: the
 * store relies on it (a slug taken, tried again as slug-2, in one import).
 * PostgreSQL aborts the whole transaction, so a write inside one runs
 * under a savepoint, rolled back to when the write fails. The savepoint,
 * its release and a BEGIN not sent yet (c->pending) go with the statement
 * in one round trip (libpq's pipeline mode); a failed write costs one
 * more, its ROLLBACK TO SAVEPOINT. Its result, or the first failure's
 * (a BEGIN's lock, say) when the statement did not run. */
static PGresult *run_pipelined(struct pgq *s, int guard)
{
	struct pgc *c = s->c;
	PGconn *conn = c->conn;
	const char *part[PIPE_MAX];
	char begin[256];
	int n = pending_parts(c, begin, sizeof begin, part, PIPE_MAX - 3);
	if (guard)
		part[n++] = "SAVEPOINT gz_statement";
	int at = n++; /* the statement's place */
	if (guard)
		part[n++] = "RELEASE SAVEPOINT gz_statement";
	int entered = PQenterPipelineMode(conn), sent = entered;
	for (int i = 0; sent && i < n; i++)
		sent = i == at ? PQsendQueryPrepared(conn, s->name, s->nparams, s->vals, NULL, NULL, 0)
			       : PQsendQueryParams(conn, part[i], 0, NULL, NULL, NULL, NULL, 0);
	/* synced even when a send failed, so what was sent is answered and
	 * the connection leaves pipeline mode */
	int synced = entered && PQpipelineSync(conn);
	PGresult *res[PIPE_MAX] = { 0 };
	/* each command's result and the NULL after it, then the sync's; a
	 * command never sent, or a connection lost on the way, gives the
	 * sync's or NULL: a failure */
	for (int i = 0; synced && i < n; i++) {
		res[i] = PQgetResult(conn);
		if (PQresultStatus(res[i]) == PGRES_PIPELINE_SYNC)
			break;
		for (PGresult *more; res[i] && (more = PQgetResult(conn));)
			PQclear(more);
	}
	pipeline_end(c, synced);
	PGresult *out = res[at];
	for (int i = 0; i < at; i++) /* what stopped the statement */
		if (PQresultStatus(res[i]) != PGRES_COMMAND_OK &&
		    PQresultStatus(res[i]) != PGRES_TUPLES_OK) {
			out = res[i];
			break;
		}
	ExecStatusType st = PQresultStatus(out);
	int ok = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
	if (guard && !ok && out == res[at] && !pg_lost(c)) {
		PQclear(PQexec(conn, "ROLLBACK TO SAVEPOINT gz_statement;"
				     " RELEASE SAVEPOINT gz_statement"));
		pg_trips++;
	}
	for (int i = 0; i < n; i++)
		if (res[i] != out)
			PQclear(res[i]);
	if (!out && !sent)
		set_err(c, PQerrorMessage(conn));
	return out;
}

/* One round trip for a statement alone (a read, or a write outside a
 * transaction), else run_pipelined. */
static PGresult *run_prepared(struct pgq *s)
{
	struct pgc *c = s->c;
	int guard = s->write && (c->pending || PQtransactionStatus(c->conn) == PQTRANS_INTRANS);
	if (guard || c->pending)
		return run_pipelined(s, guard);
	pg_trips++;
	return PQexecPrepared(c->conn, s->name, s->nparams, s->vals, NULL, NULL, 0);
}

/* Prepares s (its name, text and types) on its connection and reads its
 * column count: 0, or -1 (pg_errmsg). */
static int prepare_on(struct pgq *s)
{
	struct pgc *c = s->c;
	PGresult *r = PQprepare(c->conn, s->name, s->text, s->nparams, s->types);
	pg_trips += 2; /* and its description */
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) { /* its parse waits for the tables' locks too */
		set_err(c, r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
		count_gave_up(c, r);
	}
	PQclear(r);
	if (ok) {
		r = PQdescribePrepared(c->conn, s->name);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (ok)
			s->ncols = PQnfields(r);
		else
			set_err(c, r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
		PQclear(r);
	}
	s->gen = c->gen;
	return ok ? 0 : -1;
}

int pg_prepare(struct pgc *c, const char *sql, struct pgq **out)
{
	*out = NULL;
	if (ready(c))
		return -1;
	size_t cap = strlen(sql) + 1;
	char *text = malloc(cap);
	struct pgq *s = calloc(1, sizeof *s);
	unsigned long long used = 0;
	int n = text ? rewrite(sql, text, cap, &used) : -1;
	if (s) {
		s->text = text;
		s->types = n > 0 ? calloc((size_t)n, sizeof *s->types) : NULL;
	}
	for (int i = 0; s && s->types && i < n && i < 64; i++)
		if (!(used >> i & 1))
			s->types[i] = PG_TEXT_OID;
	if (s && n >= 0) {
		s->c = c;
		s->nparams = n;
		s->write = writes(sql);
		s->row = -1;
		snprintf(s->name, sizeof s->name, "gz%u", ++c->next);
		s->vals = calloc((size_t)n + 1, sizeof *s->vals);
		s->own = calloc((size_t)n + 1, sizeof *s->own);
		s->num = calloc((size_t)n + 1, sizeof *s->num);
	}
	if (!s || n < 0 || !s->vals || !s->own || !s->num || (n > 0 && !s->types)) {
		set_err(c, "out of memory");
		if (!s)
			free(text);
		pgq_free(s);
		return -1;
	}
	if (prepare_on(s)) {
		pgq_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void pgq_later(struct pgq *s, struct db_ans *a)
{
	struct pgc *c = s->c;
	a->rc = DB_ERROR;
	a->value = a->changes = 0;
	size_t len = sizeof(struct later) + (size_t)s->nparams * sizeof(char *);
	for (int i = 0; i < s->nparams; i++)
		if (s->vals[i])
			len += strlen(s->vals[i]) + 1;
	struct later *l = malloc(len);
	if (l) {
		l->next = NULL;
		l->s = s;
		l->ans = a;
		l->vals = (const char **)(l + 1);
		char *at = (char *)(l->vals + s->nparams);
		for (int i = 0; i < s->nparams; i++) {
			l->vals[i] = NULL;
			if (s->vals[i]) {
				size_t n = strlen(s->vals[i]) + 1;
				memcpy(at, s->vals[i], n);
				l->vals[i] = at;
				at += n;
			}
		}
		if (!c->later_tail)
			c->later_tail = &c->later;
		*c->later_tail = l;
		c->later_tail = &l->next;
	} else {
		set_err(c, "out of memory");
		a->rc = -1; /* pg_flush fails: a statement is missing */
		c->later_lost = 1;
	}
	pgq_reset(s);
}

/* One answer of pg_flush's pipeline into a. */
static void answer(struct pgc *c, PGresult *r, struct db_ans *a, int write)
{
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		int rows = PQntuples(r);
		a->rc = rows > 0 ? DB_ROW : DB_DONE;
		const char *v = rows > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : NULL;
		a->value = !v ? 0 : *v == 't' ? 1 : *v == 'f' ? 0 : strtoll(v, NULL, 10);
		a->changes = write ? strtoll(PQcmdTuples(r), NULL, 10) : 0; /* a SELECT's: rows read */
		return;
	}
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	a->rc = state && !strncmp(state, "23", 2) ? DB_CONSTRAINT : DB_ERROR;
	if (st != PGRES_PIPELINE_ABORTED) {
		set_err(c, r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
		count_gave_up(c, r);
	}
}

/* The answer to a pipeline's closing COMMIT: 0 when it committed. A
 * failed statement before it aborted the transaction and skipped the
 * COMMIT (PGRES_PIPELINE_ABORTED): the transaction is still open, fit
 * only for its ROLLBACK. Any other answer ended it, committed or not
 * (a connection lost meanwhile: not known, so not said). */
static int commit_answer(struct pgc *c, PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_PIPELINE_ABORTED)
		return 1; /* the failed statement's message is set */
	c->txn = 0;
	if (st == PGRES_COMMAND_OK && !strcasecmp(PQcmdStatus(r), "commit"))
		return 0;
	if (st == PGRES_COMMAND_OK) /* ROLLBACK: see exec_now */
		set_err(c, "the transaction was rolled back: a statement in it had failed");
	else
		set_err(c, PQresultErrorMessage(r));
	return 1;
}

/* Sends queue in one pipeline (with a pending BEGIN, and a COMMIT after
 * it when commit) and reads each answer: 0, or 1 when some statement did
 * not run or failed, or the COMMIT did not commit. */
static int send_queue(struct pgc *c, struct later *queue, const char *commit)
{
	if (ready(c))
		return 1;
	/* prepared on this connection before the pipeline: PQprepare waits */
	for (struct later *l = queue; l; l = l->next)
		if (l->s->gen != c->gen && prepare_on(l->s))
			return 1;
	PGconn *conn = c->conn;
	const char *part[PIPE_MAX];
	char begin[256];
	int n = pending_parts(c, begin, sizeof begin, part, PIPE_MAX), failed = 0;
	int sent = PQenterPipelineMode(conn);
	for (int i = 0; sent && i < n; i++)
		sent = PQsendQueryParams(conn, part[i], 0, NULL, NULL, NULL, NULL, 0);
	for (struct later *l = queue; sent && l; l = l->next)
		sent = PQsendQueryPrepared(conn, l->s->name, l->s->nparams, l->vals, NULL, NULL, 0);
	if (sent && commit)
		sent = PQsendQueryParams(conn, commit, 0, NULL, NULL, NULL, NULL, 0);
	int synced = PQpipelineSync(conn);
	if (!sent || !synced) {
		set_err(c, PQerrorMessage(conn));
		failed = 1;
	}
	/* each command's result and the NULL after it, then the sync's */
	struct later *l = queue;
	int committing = commit != NULL; /* the COMMIT's answer still to read */
	for (int i = 0; synced && (i < n || l || committing); i++) {
		PGresult *r = PQgetResult(conn);
		if (!r || PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			if (!r)
				set_err(c, PQerrorMessage(conn));
			PQclear(r);
			failed = 1;
			synced = 0; /* the sync came early: nothing more to read */
			break;
		}
		if (i < n) {
			ExecStatusType st = PQresultStatus(r);
			if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
				set_err(c, PQresultErrorMessage(r));
				count_gave_up(c, r); /* the writers' lock waited out */
				failed = 1;
			}
		} else if (l) {
			answer(c, r, l->ans, l->s->write);
			if (l->ans->rc != DB_ROW && l->ans->rc != DB_DONE)
				failed = 1;
			l = l->next;
		} else {
			committing = 0;
			failed = commit_answer(c, r) || failed;
		}
		PQclear(r);
		for (PGresult *more; (more = PQgetResult(conn));)
			PQclear(more);
	}
	pipeline_end(c, synced);
	if (failed && pg_lost(c))
		atomic_fetch_add(&outages, 1);
	return failed;
}

/* pg_flush, and with commit (its SQL) the transaction's COMMIT in the
 * same pipeline (pg_flush_commit). */
static int flush(struct pgc *c, const char *commit)
{
	struct later *queue = c->later;
	int failed = c->later_lost;
	c->later = NULL;
	c->later_tail = &c->later;
	c->later_lost = 0;
	long long t = now_ns();
	const char *begin = c->pending;
	if (queue && !failed) {
		failed = send_queue(c, queue, commit);
		/* a connection found broken by the statements that carried their
		 * transaction's BEGIN: nothing of it ran, so once more on a new
		 * one (as pgq_step does); never with its COMMIT, which the
		 * server may have run before the connection broke */
		if (failed && begin && !commit && pg_lost(c)) {
			c->pending = begin;
			for (struct later *l = queue; l; l = l->next)
				*l->ans = (struct db_ans){ .rc = DB_ERROR };
			failed = send_queue(c, queue, NULL);
		}
	} else if (commit && !failed) { /* nothing queued: a COMMIT alone */
		return pg_exec(c, commit);
	}
	while (queue) {
		struct later *next = queue->next;
		free(queue);
		queue = next;
	}
	pg_ns += now_ns() - t;
	return failed ? -1 : 0;
}

int pg_flush(struct pgc *c)
{
	return flush(c, NULL);
}

int pg_flush_commit(struct pgc *c, const char *commit)
{
	return flush(c, commit);
}

/* Parameter i (1-based) cleared for a new value: its slot, or -1 when the
 * statement has no such parameter (ignored, as SQLite does). */
static int slot(struct pgq *s, int i)
{
	if (i < 1 || i > s->nparams)
		return -1;
	free(s->own[i - 1]);
	s->own[i - 1] = NULL;
	s->vals[i - 1] = NULL;
	return i - 1;
}

void pgq_free(struct pgq *s)
{
	if (!s)
		return;
	PQclear(s->res);
	for (int i = 0; s->own && i < s->nparams; i++)
		free(s->own[i]);
	free(s->vals);
	free(s->own);
	free(s->num);
	free(s->text);
	free(s->types);
	free(s);
}

void pgq_int(struct pgq *s, int i, long long v)
{
	int k = slot(s, i);
	if (k >= 0) {
		snprintf(s->num[k], sizeof s->num[k], "%lld", v);
		s->vals[k] = s->num[k];
	}
}

void pgq_double(struct pgq *s, int i, double v)
{
	int k = slot(s, i);
	if (k >= 0) {
		snprintf(s->num[k], sizeof s->num[k], "%.17g", v);
		s->vals[k] = s->num[k];
	}
}

void pgq_null(struct pgq *s, int i)
{
	slot(s, i);
}

void pgq_text(struct pgq *s, int i, const char *v)
{
	int k = slot(s, i);
	if (k >= 0)
		s->vals[k] = v;
}

void pgq_text_n(struct pgq *s, int i, const char *v, size_t n)
{
	int k = slot(s, i);
	if (k < 0)
		return;
	s->own[k] = malloc(n + 1);
	if (!s->own[k])
		return; /* bound as NULL: the statement's constraints decide */
	memcpy(s->own[k], v, n);
	s->own[k][n] = 0;
	s->vals[k] = s->own[k];
}

void pgq_blob(struct pgq *s, int i, const void *v, size_t n)
{
	int k = slot(s, i);
	if (k < 0)
		return;
	static const char hex[] = "0123456789abcdef";
	char *t = malloc(2 * n + 3);
	if (!t)
		return;
	const unsigned char *b = v;
	t[0] = '\\';
	t[1] = 'x';
	for (size_t j = 0; j < n; j++) {
		t[2 + 2 * j] = hex[b[j] >> 4];
		t[3 + 2 * j] = hex[b[j] & 15];
	}
	t[2 * n + 2] = 0;
	s->own[k] = t;
	s->vals[k] = t;
}

int pgq_step(struct pgq *s)
{
	if (!s->ran) {
		s->ran = 1;
		/* statements queued (pgq_later) run first, in their order */
		if ((s->c->later || s->c->later_lost) && pg_flush(s->c)) {
			s->failed = DB_ERROR;
			return s->failed;
		}
		const char *begin = s->c->pending; /* sent with this statement */
		/* a connection made again has none of the old one's statements */
		if (ready(s->c) || (s->gen != s->c->gen && prepare_on(s))) {
			s->failed = DB_ERROR;
			return s->failed;
		}
		long long t = now_ns();
		s->res = run_prepared(s);
		pg_ns += now_ns() - t;
		/* a statement that found the connection broken, when nothing
		 * can be lost: a read outside a transaction, or the statement
		 * that carried its transaction's BEGIN (a write in it was never
		 * committed): once more, connected and prepared again (as
		 * pg_exec does for a BEGIN; a write may have run: not again) */
		if (PQresultStatus(s->res) != PGRES_TUPLES_OK &&
		    PQresultStatus(s->res) != PGRES_COMMAND_OK && pg_lost(s->c) &&
		    (begin || (!s->write && !s->c->txn))) {
			PQclear(s->res);
			s->res = NULL;
			s->c->pending = begin;
			if (ready(s->c) || prepare_on(s)) {
				s->failed = DB_ERROR;
				return s->failed;
			}
			t = now_ns();
			s->res = run_prepared(s);
			pg_ns += now_ns() - t;
		}
		ExecStatusType st = PQresultStatus(s->res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			count_changes(s->c, s->res);
			s->nrows = PQntuples(s->res);
		} else {
			set_err(s->c, s->res ? PQresultErrorMessage(s->res)
					     : PQerrorMessage(s->c->conn));
			const char *state =
				s->res ? PQresultErrorField(s->res, PG_DIAG_SQLSTATE) : NULL;
			s->failed = state && !strncmp(state, "23", 2) ? DB_CONSTRAINT : DB_ERROR;
			count_gave_up(s->c, s->res);
			if (pg_lost(s->c))
				atomic_fetch_add(&outages, 1);
			PQclear(s->res);
			s->res = NULL;
		}
	}
	if (s->failed)
		return s->failed;
	if (s->row < s->nrows)
		s->row++;
	return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* Column i of the current row, or NULL when it is NULL or there is none. */
static const char *value(struct pgq *s, int i)
{
	if (!s->res || s->row < 0 || s->row >= s->nrows || i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

/* A boolean's text ('t' or 'f'): 1 or 0; -1 for anything else. */
static int boolean(const char *v)
{
	return (v[0] == 't' || v[0] == 'f') && !v[1] ? v[0] == 't' : -1;
}

long long pgq_col_int(struct pgq *s, int i)
{
	const char *v = value(s, i);
	if (!v)
		return 0;
	int b = boolean(v);
	return b >= 0 ? b : strtoll(v, NULL, 10);
}

double pgq_col_double(struct pgq *s, int i)
{
	const char *v = value(s, i);
	if (!v)
		return 0;
	int b = boolean(v);
	return b >= 0 ? b : strtod(v, NULL);
}

int pgq_col_null(struct pgq *s, int i)
{
	return value(s, i) == NULL;
}

const char *pgq_col_str(struct pgq *s, int i)
{
	return value(s, i);
}

const char *pgq_col_text(struct pool *p, struct pgq *s, int i)
{
	const char *v = value(s, i);
	return v ? pool_strndup(p, v, (size_t)PQgetlength(s->res, s->row, i)) : pool_strndup(p, "", 0);
}

int pgq_ncols(struct pgq *s)
{
	return s->ncols;
}

int pgq_nparams(struct pgq *s)
{
	return s->nparams;
}

void pgq_reset(struct pgq *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->ran = s->failed = s->nrows = 0;
	s->row = -1;
	for (int i = 0; i < s->nparams; i++) {
		free(s->own[i]);
		s->own[i] = NULL;
		s->vals[i] = NULL;
	}
}

int pg_spec_resolve(const char *spec, char *out, size_t cap, char *err, size_t errlen)
{
	snprintf(out, cap, "%s", spec);
	if (pg_spec_hosts(spec) != PG_HOST_NAME)
		return 0; /* addresses already, a socket, or libpq's to refuse */
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(spec, &why);
	PQfreemem(why);
	const char *host = "";
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "host") && o->val)
			host = o->val;
	char addrs[512] = "";
	size_t n = 0;
	int rc = 0;
	for (const char *p = host; *p && !rc;) {
		size_t len = strcspn(p, ",");
		char one[256], ip[INET6_ADDRSTRLEN];
		snprintf(one, sizeof one, "%.*s", (int)len, p);
		struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
		int gai = getaddrinfo(one, NULL, &hints, &ai);
		struct addrinfo *pick = ai; /* IPv4 first: a server often listens on it only */
		for (struct addrinfo *x = ai; x && pick && pick->ai_family != AF_INET; x = x->ai_next)
			if (x->ai_family == AF_INET)
				pick = x;
		if (gai || !ai) {
			snprintf(err, errlen, "db: cannot resolve the host name %s: %s", one,
				 gai_strerror(gai));
			rc = -1;
		} else {
			void *a = pick->ai_family == AF_INET
					  ? (void *)&((struct sockaddr_in *)pick->ai_addr)->sin_addr
					  : (void *)&((struct sockaddr_in6 *)pick->ai_addr)->sin6_addr;
			inet_ntop(pick->ai_family, a, ip, sizeof ip);
			n += (size_t)snprintf(addrs + n, n < sizeof addrs ? sizeof addrs - n : 0, "%s%s",
					      n ? "," : "", ip);
		}
		if (ai)
			freeaddrinfo(ai);
		p += len + (p[len] == ',');
	}
	PQconninfoFree(opts);
	if (rc)
		return -1;
	/* host= stays (TLS and the password file name the server by it) */
	int url = !strncmp(spec, "postgres", 8) && strstr(spec, "://");
	size_t w = (size_t)snprintf(out, cap, "%s%shostaddr=%s", spec,
				    url ? (strchr(spec, '?') ? "&" : "?") : " ", addrs);
	if (n >= sizeof addrs || w >= cap) {
		snprintf(err, errlen, "db: the URL with its resolved addresses is too long");
		return -1;
	}
	return 0;
}
