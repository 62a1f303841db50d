/*
 * site: everything one running site shares across requests: its folder,
 * settings, compiled theme, secret, static files and the per-address rate
 * limiter. Built once by site_open, read-only afterwards except for the
 * rate limiter (which has its own lock), so workers share it freely.
 */
#ifndef GZ_SITE_H
#define GZ_SITE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "config.h"
#include "../util/locale.h"
#include "../util/tz.h"

struct tpl_set;
struct store;
struct ratelimit;
struct cache;
struct reads;
struct mail_relay;

struct static_file {
	char name[64];
	const char *type;
	char *data;
	size_t len;
	char etag[24];       /* short content hash, also the cache-busting version */
};

#define SITE_STATIC_MAX 16

struct site {
	char dir[512];
	/* the database: gazette.conf's db (a postgresql:// URL), else
	 * DIR/gazette.db (site_db_spec); store_open's spec */
	char db_path[1200];
	struct config cfg;
	struct tz zone;           /* cfg.timezone, loaded: every date shown to people */
	struct tpl_set *tpl;
	struct locale locale;     /* cfg.lang's words: templates' {{t.key}}, month names, counts */
	unsigned char secret[32];
	/* 1 once secret is read (site_store_open: at site_open, or at the
	 * first connection of a node started while PostgreSQL was down) */
	_Atomic int secret_ready;
	struct static_file statics[SITE_STATIC_MAX];
	size_t nstatics;
	char css_url[128];
	struct ratelimit *comment_rl;
	struct ratelimit *search_rl; /* routes flagged ROUTE_RATE_SEARCH (src/app/routes.c) */
	struct cache *cache;     /* rendered pages; disabled when cache_size = 0 */
	/* the cache's epoch this generation was made for (cache_drop_all by
	 * its reload; 0 at start): pages it builds after a later drop are
	 * not kept */
	unsigned long long cache_epoch;
	struct reads *reads;     /* story reads not yet in the database (stats/reads.h) */
	/* the SMTP relay (mail/mail_relay.h), prepared by `serve` before the
	 * sandbox; NULL: mail stays queued */
	struct mail_relay *mail;
	unsigned embeds;         /* embed providers gazette.conf allows, a mask over embed_providers[] */
	/* the providers on now: gazette.conf's, less those an admin switched
	 * off in Settings (site_embeds_set); read with site_embeds */
	_Atomic unsigned embeds_on;
	/* called with each new connection of a site with a theme: the
	 * application's (the comment thread builder, set by cli_site_open) */
	void (*on_store)(const struct site *s, struct store *st);
	/* a reload's (site_reload): the rate limiters, page cache and reads
	 * are the first site's, which frees them */
	int borrowed;
};

/* Where the default theme and demo content live: $GAZETTE_DATA, else the
 * folder of the running binary (the source tree), else ../share/gazette
 * from it (an installed PREFIX/bin/gazette, wherever PREFIX was unpacked),
 * else the compile-time GAZETTE_DATADIR (make's DATADIR). */
const char *site_data_dir(void);

/* Copies the default theme and the system's zoneinfo (but its posix/ and
 * right/) into memory (fileio_keep_dir, util/fileio.h) so that a reload
 * still reads them once `serve`, started as root, has confined itself to
 * the site folder (http/sandbox.c). No descriptor of them stays open: a
 * change to the installed default theme needs a restart. One that cannot
 * be kept is logged: serving goes on, and a reload that needs it is
 * refused. */
void site_keep_dirs(void);

/* Opens the site in dir: reads gazette.conf, loads the theme (site's
 * theme/ over the default), static files and the secret. 0 ok. */
int site_open(struct site *s, const char *dir, char *err, size_t errlen);

/* The embed providers on now (a mask over embed_providers[]), and the one
 * field of a serving site that changes: set when the admin's Settings
 * switch a provider (admin_csp_apply). */
unsigned site_embeds(const struct site *s);
void site_embeds_set(const struct site *s, unsigned mask);
void site_release(struct site *s);
/* Opens (or reopens, after a rotation) the access log the settings name,
 * in their log_format. 0, or -1 with errno (util/log.h). */
int site_access_log_open(const struct site *s);
/* A new generation of a serving site (SIGHUP): gazette.conf and the
 * theme read again from old's folder into *s, sharing old's page cache,
 * rate limiters and read counts; settings that only take effect at start
 * keep old's values and are logged as needing a restart. 0, or -1 with
 * err (old stays in force). Free it with site_release. */
int site_reload(const struct site *old, struct site *s, char *err, size_t errlen);
/* The database of the site in dir with settings cfg: cfg->db (a
 * postgresql:// URL) when set, else dir/gazette.db. */
void site_db_spec(const char *dir, const struct config *cfg, char *spec, size_t len);
/* dir's gazette.conf into *cfg (the defaults when there is none) and the
 * database it names into spec (site_db_spec): 0, or -1 with err. */
int site_db_config(const char *dir, struct config *cfg, char *spec, size_t len, char *err,
		   size_t errlen);
/* The database of the site in dir, opened for a command that needs no
 * theme (`gazette user`, `comments`, ...): site_db_config, a SQLite file
 * that is missing refused ("no site database", never made empty), then
 * store_open. cfg (may be NULL) gets the settings. 0, or -1 with err. */
int site_db_open(const char *dir, struct config *cfg, struct store **out, char *err,
		 size_t errlen);
/* 1 when the site's database is still reachable once `serve` sandboxed
 * itself (store_spec_confinable; chrooted: started as root). */
int site_db_confinable(const struct site *s, int chrooted);
/* A new connection to the site's database (the caller closes it), its
 * hooks attached (on_store), the site's secret read if not yet: 0;
 * STORE_UNAVAILABLE when PostgreSQL's server cannot be reached (a node
 * serves on without it and tries again); STORE_REFUSED when it answered
 * and refused the connection (site_open fails: `serve` does not start;
 * a node serving already answers 503 and tries again); -1 with err. */
int site_store_open(const struct site *s, struct store **out, char *err, size_t errlen);
/* site_store_open for a worker's connection: store_open_request's
 * statement and lock timeouts. */
int site_request_store_open(const struct site *s, struct store **out, char *err, size_t errlen);
/* s's secret read with st if not yet (a generation made by a reload while
 * the database was down, reached by a connection made before): 0, or -1
 * with err. */
int site_secret_load(const struct site *s, struct store *st, char *err, size_t errlen);
const struct static_file *site_static(const struct site *s, const char *name);

/* HMAC-SHA256 (libsodium crypto_auth) of msg under the site secret, as
 * lowercase hex truncated to hexlen (<= 64) characters. */
void site_sign(const struct site *s, const char *msg, char *hex, size_t hexlen);
/* Constant-time check of a hex signature made by site_sign. */
int site_sign_ok(const struct site *s, const char *msg, const char *hex, size_t hexlen);

#endif
