/*
 * site: opens a site folder into the shared, read-mostly struct site.
 *
 * The theme is looked up in two places: the site's own theme/ folder first,
 * then the default theme shipped with Gazette, so a site overrides any one
 * file without recompiling. Static files are read into memory at start and
 * given a content hash that versions their URLs.
 */
#include "site.h"
#include "../content/embed.h"
#include "../render/template.h"
#include "../store/store.h"
#include "../cache/cache.h"
#include "../stats/reads.h"
#include "../util/fileio.h"
#include "../util/locale.h"
#include "../util/log.h"
#include "../util/pool.h"
#include "../util/ratelimit.h"

#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GAZETTE_DATADIR
#define GAZETTE_DATADIR "/usr/local/share/gazette"
#endif

static const struct {
	const char *name, *type;
} static_types[] = {
	{ "style.css", "text/css; charset=utf-8" },
	{ "comment-form.js", "text/javascript; charset=utf-8" },
	{ "admin-editor.js", "text/javascript; charset=utf-8" },
	{ "embed.js", "text/javascript; charset=utf-8" },
	{ "admin-media.js", "text/javascript; charset=utf-8" },
	{ "favicon.svg", "image/svg+xml" },
	{ "admin.css", "text/css; charset=utf-8" },
};

static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* dir (a buffer of PATH_MAX) with rel appended, when that holds the
 * default theme; else dir as it was and 0. */
static int data_dir_at(char *dir, size_t end, const char *rel)
{
	if (end + strlen(rel) + sizeof "/themes/default" > PATH_MAX)
		return 0;
	snprintf(dir + end, PATH_MAX - end, "%s/themes/default", rel);
	int found = is_dir(dir);
	snprintf(dir + end, PATH_MAX - end, "%s", found ? rel : "");
	return found;
}

const char *site_data_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("GAZETTE_DATA");
	if (env && *env)
		return env;
	if (dir[0]) /* found at start: a reload under the sandbox may not see /proc */
		return dir;
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n > 0) {
		dir[n] = '\0';
		char *slash = strrchr(dir, '/');
		/* the source tree (./gazette beside themes/), then an installed
		 * PREFIX/bin/gazette beside PREFIX/share/gazette, wherever
		 * PREFIX was moved to (a DESTDIR, an unpacked package) */
		if (slash && (data_dir_at(dir, (size_t)(slash - dir), "") ||
			      data_dir_at(dir, (size_t)(slash - dir), "/../share/gazette")))
			return dir;
	}
	snprintf(dir, sizeof dir, "%s", GAZETTE_DATADIR);
	return dir;
}

/* Reads a whole file (max 4 MiB) into malloc'd memory. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fileio_fopen(path);
	if (!f)
		return NULL;
	char *data = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && n <= 4L << 20 && fseek(f, 0, SEEK_SET) == 0) {
			data = malloc((size_t)n + 1);
			if (data && fread(data, 1, (size_t)n, f) == (size_t)n) {
				data[n] = '\0';
				*len = (size_t)n;
			} else {
				free(data);
				data = NULL;
			}
		}
	}
	fclose(f);
	return data;
}

static int load_statics(struct site *s, const char *site_theme, const char *def_theme,
			char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof static_types / sizeof static_types[0]; i++) {
		char path[PATH_MAX];
		struct static_file *f = &s->statics[s->nstatics];
		snprintf(path, sizeof path, "%s/%s", site_theme, static_types[i].name);
		f->data = read_file(path, &f->len);
		if (!f->data) {
			snprintf(path, sizeof path, "%s/%s", def_theme, static_types[i].name);
			f->data = read_file(path, &f->len);
		}
		if (!f->data) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		unsigned char h[8];
		crypto_generichash(h, sizeof h, (const unsigned char *)f->data, f->len, NULL, 0);
		sodium_bin2hex(f->etag, sizeof f->etag, h, sizeof h);
		snprintf(f->name, sizeof f->name, "%s", static_types[i].name);
		f->type = static_types[i].type;
		s->nstatics++;
	}
	const struct static_file *css = site_static(s, "style.css");
	snprintf(s->css_url, sizeof s->css_url, "/static/style.css?v=%s", css->etag);
	return 0;
}

void site_keep_dirs(void)
{
	char def_theme[PATH_MAX];
	snprintf(def_theme, sizeof def_theme, "%s/themes/default", site_data_dir());
	/* posix/ and right/ repeat the zones (right/ with leap seconds, which
	 * tz_load never asks for): the copy stays ~450 files, 2 MB */
	static const char *const tz_skip[] = { "posix", "right", NULL };
	const char *dirs[] = { def_theme, TZ_DIR };
	const char *const *skips[] = { NULL, tz_skip };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (fileio_keep_dir(dirs[i], skips[i]) && !(i == 1 && errno == ENOENT)) /* UTC needs no zoneinfo */
			log_error("%s: %s: a reload inside the site folder will not read it (an "
				  "absolute GAZETTE_DATA is needed)", dirs[i], strerror(errno));
}

const struct static_file *site_static(const struct site *s, const char *name)
{
	for (size_t i = 0; i < s->nstatics; i++)
		if (strcmp(s->statics[i].name, name) == 0)
			return &s->statics[i];
	return NULL;
}

void site_db_spec(const char *dir, const struct config *cfg, char *spec, size_t len)
{
	if (cfg->db[0])
		snprintf(spec, len, "%s", cfg->db);
	else
		snprintf(spec, len, "%s/gazette.db", dir);
}

/* A SQLite site's file must be there (opening it would make an empty
 * one); PostgreSQL's database is the server's to say. */
static int db_present(const char *spec, const char *dir, char *err, size_t errlen)
{
	if (store_spec_pg(spec) || access(spec, F_OK) == 0)
		return 0;
	snprintf(err, errlen, "%s: no site database (run `gazette init --site %s`)", spec, dir);
	return -1;
}

int site_db_config(const char *dir, struct config *cfg, char *spec, size_t len, char *err,
		   size_t errlen)
{
	char path[PATH_MAX];
	config_defaults(cfg);
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	if (access(path, F_OK) == 0 && config_load(cfg, path, err, errlen))
		return -1;
	site_db_spec(dir, cfg, spec, len);
	return 0;
}

int site_db_open(const char *dir, struct config *cfg, struct store **out, char *err,
		 size_t errlen)
{
	struct config own;
	char spec[sizeof own.db + PATH_MAX];
	if (!cfg)
		cfg = &own;
	if (site_db_config(dir, cfg, spec, sizeof spec, err, errlen) ||
	    db_present(spec, dir, err, errlen))
		return -1;
	return store_open(out, spec, err, errlen) ? -1 : 0;
}

int site_db_confinable(const struct site *s, int chrooted)
{
	return store_spec_confinable(s->db_path, chrooted) &&
	       (!*s->cfg.db_read || store_spec_confinable(s->cfg.db_read, chrooted));
}

/* The secret is made at init and kept in the database: read (or, the
 * first time, made) with the first connection to it, which for a node
 * started while its database was down is a worker's, later. */
static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;

int site_secret_load(const struct site *cs, struct store *st, char *err, size_t errlen)
{
	if (atomic_load_explicit(&cs->secret_ready, memory_order_acquire))
		return 0;
	struct site *s = (struct site *)cs; /* the one field set after site_open */
	pthread_mutex_lock(&secret_lock);
	int rc = STORE_OK;
	if (!atomic_load_explicit(&s->secret_ready, memory_order_relaxed)) {
		struct pool *p = pool_new();
		const char *hex = NULL;
		rc = store_setting_get(st, p, "secret", &hex);
		if (rc == STORE_NOTFOUND) {
			char fresh[65];
			randombytes_buf(s->secret, sizeof s->secret);
			sodium_bin2hex(fresh, sizeof fresh, s->secret, sizeof s->secret);
			rc = store_setting_set(st, "secret", fresh);
		} else if (rc == STORE_OK) {
			size_t got = 0;
			if (sodium_hex2bin(s->secret, sizeof s->secret, hex, strlen(hex), NULL, &got,
					   NULL) ||
			    got != sizeof s->secret)
				rc = STORE_ERROR;
		}
		if (rc != STORE_OK)
			snprintf(err, errlen, "site secret: %s", store_errmsg(st));
		else
			atomic_store_explicit(&s->secret_ready, 1, memory_order_release);
		pool_free(p);
	}
	pthread_mutex_unlock(&secret_lock);
	return rc == STORE_OK ? 0 : -1;
}

/* site_store_open, for a request's connection when request is 1 */
static int store_for(const struct site *s, struct store **out, int request, char *err,
		     size_t errlen)
{
	int rc = request ? store_open_request(out, s->db_path, err, errlen)
			 : store_open(out, s->db_path, err, errlen);
	if (rc)
		return rc == STORE_UNAVAILABLE || rc == STORE_REFUSED ? rc : -1;
	if (site_secret_load(s, *out, err, errlen)) {
		store_close(*out);
		*out = NULL;
		return -1;
	}
	if (s->tpl && s->on_store)
		s->on_store(s, *out);
	return 0;
}

int site_store_open(const struct site *s, struct store **out, char *err, size_t errlen)
{
	return store_for(s, out, 0, err, errlen);
}

int site_request_store_open(const struct site *s, struct store **out, char *err, size_t errlen)
{
	return store_for(s, out, 1, err, errlen);
}

/* site_open, or with old a reload of it (site_reload): the settings that
 * need a restart kept as old has them before anything uses them, and the
 * database opened by old's spec, its host names resolved at start (a
 * chrooted node cannot resolve them again: a changed db needs a
 * restart); a server that refuses the connection now fails a start, not
 * a reload (the workers' connections, made before, go on). */
static int site_load(struct site *s, const char *dir, const struct site *old, char *err,
		     size_t errlen)
{
	memset(s, 0, sizeof *s);
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	if (!is_dir(dir)) {
		snprintf(err, errlen, "%s: not a site folder (run `gazette init --site %s`)", dir, dir);
		return -1;
	}
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	char path[PATH_MAX], site_theme[PATH_MAX], def_theme[PATH_MAX];
	config_defaults(&s->cfg);
	snprintf(path, sizeof path, "%s/gazette.conf", dir);
	if (config_load(&s->cfg, path, err, errlen) ||
	    tz_load(&s->zone, s->cfg.timezone, NULL, err, errlen)) /* checked by config_load */
		return -1;
	char names[256];
	if (old && config_keep_restart(&s->cfg, &old->cfg, names, sizeof names))
		log_info("reload: %s changed in gazette.conf: needs a restart (kept as they were)",
			 names);
	unsigned off = 0;
	if (embed_parse_list(s->cfg.embeds_off, &off, err, errlen)) /* checked by config_load */
		return -1;
	s->embeds = EMBED_ALL & ~off;
	atomic_init(&s->embeds_on, s->embeds);
	if (old)
		snprintf(s->db_path, sizeof s->db_path, "%s", old->db_path);
	else
		site_db_spec(dir, &s->cfg, s->db_path, sizeof s->db_path);
	if (db_present(s->db_path, dir, err, errlen))
		return -1;
	/* the secret (and migrations, store_open); a PostgreSQL server that
	 * cannot be reached leaves both to the first connection made later */
	struct store *st;
	int rc = site_store_open(s, &st, err, errlen);
	if (rc == STORE_UNAVAILABLE || (rc == STORE_REFUSED && old))
		log_error("database: %s (the site's secret is read once it answers)", err);
	else if (rc)
		return -1;
	else
		store_close(st);
	snprintf(site_theme, sizeof site_theme, "%s/theme", dir);
	snprintf(def_theme, sizeof def_theme, "%s/themes/default", site_data_dir());
	if (tpl_set_load(&s->tpl, site_theme, def_theme, err, errlen) ||
	    locale_load(&s->locale, s->cfg.lang, site_theme, def_theme, err, errlen) ||
	    tpl_set_strings(s->tpl, "t", (const char *const *)s->locale.keys,
			    (const char *const *)s->locale.vals, s->locale.n))
		goto fail;
	s->zone.months = s->locale.month; /* dates in the site's language */
	size_t primary = strcspn(s->cfg.lang, "-");
	if (!s->locale.file_lang[0] && !(primary == 2 && strncasecmp(s->cfg.lang, "en", 2) == 0))
		log_error("no locale file for language \"%s\" (theme locale/%s.conf): "
			  "pages show English words (docs/languages.md)", s->cfg.lang, s->cfg.lang);
	/* a story.html written before threads were stored shows no comments */
	if (tpl_has(s->tpl, "story") && !tpl_reach_uses(s->tpl, "story", "comments_html"))
		log_error("%s/story.html never shows comments_html: story pages will show no "
			  "comments (docs/theme-contract.md)", site_theme);
	if (load_statics(s, site_theme, def_theme, err, errlen))
		goto fail;
	s->comment_rl = ratelimit_new((unsigned)s->cfg.comment_rate_per_minute, 4096);
	s->search_rl = ratelimit_new((unsigned)s->cfg.search_rate_per_minute, 4096);
	s->cache = cache_new((size_t)s->cfg.cache_size);
	s->reads = reads_new();
	if (!s->comment_rl || !s->search_rl || !s->cache || !s->reads) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	site_release(s);
	return -1;
}

void site_release(struct site *s)
{
	tpl_set_free(s->tpl);
	s->tpl = NULL;
	for (size_t i = 0; i < s->nstatics; i++)
		free(s->statics[i].data);
	s->nstatics = 0;
	if (!s->borrowed) {
		ratelimit_free(s->comment_rl);
		cache_free(s->cache);
		reads_free(s->reads);
		ratelimit_free(s->search_rl);
	}
	s->comment_rl = s->search_rl = NULL;
	s->cache = NULL;
	s->reads = NULL;
	tz_release(&s->zone);
	if (s->locale.pool)
		locale_release(&s->locale);
	sodium_memzero(s->secret, sizeof s->secret);
}

int site_access_log_open(const struct site *s)
{
	return log_access_open(s->cfg.access_log,
			       strcmp(s->cfg.log_format, "json") == 0 ? LOG_JSON : LOG_COMBINED);
}

int site_open(struct site *s, const char *dir, char *err, size_t errlen)
{
	return site_load(s, dir, NULL, err, errlen);
}

int site_reload(const struct site *old, struct site *s, char *err, size_t errlen)
{
	if (site_load(s, old->dir, old, err, errlen))
		return -1;
	ratelimit_free(s->comment_rl);
	ratelimit_free(s->search_rl);
	cache_free(s->cache);
	reads_free(s->reads);
	s->comment_rl = old->comment_rl;
	s->search_rl = old->search_rl;
	s->cache = old->cache;
	s->reads = old->reads;
	s->borrowed = 1;
	s->mail = old->mail; /* prepared before the sandbox; `serve` frees it */
	s->on_store = old->on_store;
	s->embeds = old->embeds;
	atomic_store(&s->embeds_on, site_embeds(old));
	if (!atomic_load(&s->secret_ready) && atomic_load(&old->secret_ready)) {
		memcpy(s->secret, old->secret, sizeof s->secret); /* a reload while it is down */
		atomic_store(&s->secret_ready, 1);
	}
	return 0;
}

void site_sign(const struct site *s, const char *msg, char *hex, size_t hexlen)
{
	unsigned char mac[crypto_auth_BYTES];
	char full[2 * crypto_auth_BYTES + 1];
	crypto_auth(mac, (const unsigned char *)msg, strlen(msg), s->secret);
	sodium_bin2hex(full, sizeof full, mac, sizeof mac);
	if (hexlen > 2 * crypto_auth_BYTES)
		hexlen = 2 * crypto_auth_BYTES;
	memcpy(hex, full, hexlen);
	hex[hexlen] = '\0';
}

int site_sign_ok(const struct site *s, const char *msg, const char *hex, size_t hexlen)
{
	char want[2 * crypto_auth_BYTES + 1];
	if (!hex || strlen(hex) != hexlen || hexlen > 2 * crypto_auth_BYTES)
		return 0;
	site_sign(s, msg, want, hexlen);
	return sodium_memcmp(want, hex, hexlen) == 0;
}

unsigned site_embeds(const struct site *s)
{
	return atomic_load_explicit(&s->embeds_on, memory_order_relaxed);
}

void site_embeds_set(const struct site *s, unsigned mask)
{
	/* the site is const to every request; this one field is atomic */
	atomic_store_explicit(&((struct site *)s)->embeds_on, mask & s->embeds,
			      memory_order_relaxed);
}
