/*
 * Unit tests for the scheduler's duties on PostgreSQL (issue 16), against
 * a server of its own (tests/unit/with_pg.sh). What it proves: a store
 * that claimed the mail duty holds it (store_duty_held) until the server
 * ends its connection (pg_terminate_backend, as a restart or a network cut
 * would); then it holds it no more, even once its store connected again by
 * itself, and a mail run on it sends nothing (the message's attempts stay
 * 0: no try reached the relay) while another node takes the duty; claimed
 * again, the run sends (tries) it. Two stores claiming one queued message
 * (store_mail_claim): one wins, and a claim made holds past its time
 * only (a node that died sending it).
 */
#include "t.h"
#include "t_pg.h"
#include "../../src/mail/mail.h"
#include "../../src/mail/mail_relay.h"
#include "../../src/site/site.h"
#include "../../src/store/store.h"
#include "../../src/store/store_duty.h"
#include "../../src/store/store_mail.h"
#include "../../src/store/db.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char url[256];

/* a SQL text's one integer, on a connection of its own */
static long long ask(const char *sql)
{
	struct pgc *c;
	char err[256];
	long long v = -1;
	if (pg_connect(url, &c, err, sizeof err))
		return -1;
	struct pgq *s;
	if (pg_prepare(c, sql, &s) == 0) {
		if (pgq_step(s) == DB_ROW)
			v = pgq_col_int(s, 0);
		pgq_free(s);
	}
	pg_close(c);
	return v;
}

/* A TCP port on 127.0.0.1 nobody listens on: a relay there refuses. */
static int closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static long long enqueue(struct store *st, long long now)
{
	CHECK(store_begin(st) == STORE_OK);
	CHECK(store_mail_enqueue(st, "reader@example.org", "Subject: x\r\n", "body\r\n", now) ==
	      STORE_OK);
	CHECK(store_commit(st) == STORE_OK);
	return ask("SELECT max(id) FROM mail_queue");
}

static void test_mail_duty_lost(void)
{
	struct store *a = t_pg_open(url), *b = t_pg_open(url);
	CHECK(a && b);
	if (!a || !b)
		return;
	struct site site;
	memset(&site, 0, sizeof site);
	config_defaults(&site.cfg);
	snprintf(site.cfg.smtp_url, sizeof site.cfg.smtp_url, "smtp://127.0.0.1:%d", closed_port());
	snprintf(site.cfg.smtp_starttls, sizeof site.cfg.smtp_starttls, "off");
	snprintf(site.cfg.base_url, sizeof site.cfg.base_url, "http://news.example");
	char err[512];
	CHECK(mail_relay_open(&site.cfg, "/tmp", &site.mail, err, sizeof err) == 0);
	long long now = (long long)time(NULL);
	long long id = enqueue(a, now);
	CHECK(id > 0);

	int taken;
	CHECK(store_duty_held(a, DUTY_MAIL) == 0); /* not claimed yet */
	CHECK(store_duty_claim(a, DUTY_MAIL, &taken) == 1 && taken == 1);
	CHECK(store_duty_held(a, DUTY_MAIL) == 1);
	CHECK(store_duty_held(a, DUTY_PUBLISH) == 0);
	CHECK(store_duty_claim(b, DUTY_MAIL, &taken) == 0); /* a's */
	CHECK(t_pg_terminate_others(url) == 0);
	/* the lock went with a's connection: a holds it no more (its store
	 * connects again by itself meanwhile), and b takes it */
	CHECK(store_duty_held(a, DUTY_MAIL) == 0);
	CHECK(store_duty_held(a, DUTY_MAIL) == 0); /* on the new connection, too */
	CHECK(store_duty_claim(b, DUTY_MAIL, &taken) == 1 && taken == 1);
	/* a's mail pass, begun before it knew: nothing reaches the relay */
	CHECK(mail_run(a, &site, now) == 0);
	CHECK(ask("SELECT attempts FROM mail_queue WHERE id = (SELECT max(id) FROM mail_queue)") ==
	      0);
	CHECK(ask("SELECT count(*) FROM mail_queue WHERE id = (SELECT max(id) FROM mail_queue) AND "
		  "sent_at IS NULL AND next_at <= extract(epoch FROM now())::bigint") == 1); /* for b */
	/* b's pass tries it (the relay refuses: one failed attempt) */
	CHECK(mail_run(b, &site, now) == 0);
	CHECK(ask("SELECT attempts FROM mail_queue WHERE id = (SELECT max(id) FROM mail_queue)") ==
	      1);
	mail_relay_free(site.mail);
	store_close(a);
	store_close(b);
}

static int claim(struct store *st, long long id, long long now, long long until)
{
	if (store_begin(st))
		return STORE_ERROR;
	int rc = store_mail_claim(st, id, now, until);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc)
		store_rollback(st);
	return rc;
}

static void test_mail_claim_race(void)
{
	struct store *a = t_pg_open(url), *b = t_pg_open(url);
	CHECK(a && b);
	if (!a || !b)
		return;
	long long now = (long long)time(NULL);
	long long id = enqueue(a, now);
	struct pool *p = pool_new();
	struct mail_item *va, *vb;
	size_t na = 0, nb = 0;
	/* both read it due, then both claim it: one wins */
	CHECK(store_mail_due(a, p, now, 50, &va, &na) == STORE_OK && na >= 1);
	CHECK(store_mail_due(b, p, now, 50, &vb, &nb) == STORE_OK && nb >= 1);
	CHECK(claim(a, id, now, now + 600) == STORE_OK);
	CHECK(claim(b, id, now, now + 600) == STORE_CONFLICT);
	CHECK(claim(a, id, now, now + 600) == STORE_CONFLICT); /* once */
	/* a claim past its time (a node died sending): due again */
	CHECK(claim(b, id, now + 601, now + 1200) == STORE_OK);
	/* a sent message is never claimed again */
	CHECK(store_begin(b) == STORE_OK && store_mail_sent(b, id, now) == STORE_OK &&
	      store_commit(b) == STORE_OK);
	CHECK(claim(a, id, now + 5000, now + 6000) == STORE_CONFLICT);
	pool_free(p);
	store_close(a);
	store_close(b);
}

int main(int argc, char **argv)
{
	if (t_pg_url(argv[0], url, sizeof url))
		return 2;
	RUN(test_mail_duty_lost);
	RUN(test_mail_claim_race);
	return T_DONE();
}
