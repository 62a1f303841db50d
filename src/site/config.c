/*
 * config: table-driven parsing of gazette.conf (see config.h).
 */
#include "config.h"
#include "../content/embed.h"
#include "../util/locale.h"
#include "../util/num.h"
#include "../util/str.h"
#include "../util/tz.h"
#include "../util/ipnet.h"

#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

enum ctype { C_STR, C_INT, C_LONG };

struct ckey {
	const char *name;
	enum ctype type;
	size_t off, size;      /* offset in struct config; size for strings */
	long long min, max;
	const char *help;
	/* a string's own rule beyond its length: 0 ok, else -1 and msg */
	int (*check)(const char *val, char *msg, size_t msglen);
};

#define S(f, h) SC(f, NULL, h)
#define I(f, lo, hi, h) { #f, C_INT, offsetof(struct config, f), 0, lo, hi, h, NULL }
#define SC(f, c, h) { #f, C_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0, h, c }
#define L(f, lo, hi, h) { #f, C_LONG, offsetof(struct config, f), 0, lo, hi, h, NULL }

static int embeds_ok(const char *val, char *msg, size_t msglen)
{
	unsigned mask;
	return embed_parse_list(val, &mask, msg, msglen);
}

static int zone_ok(const char *val, char *msg, size_t msglen)
{
	struct tz z;
	int rc = tz_load(&z, val, NULL, msg, msglen);
	tz_release(&z);
	return rc;
}

static int nets_ok(const char *val, char *msg, size_t msglen)
{
	return ipnet_check(val, msg, msglen);
}

static int format_ok(const char *val, char *msg, size_t msglen)
{
	if (strcmp(val, "combined") == 0 || strcmp(val, "json") == 0)
		return 0;
	snprintf(msg, msglen, "log_format must be combined or json");
	return -1;
}

static int lang_ok(const char *val, char *msg, size_t msglen)
{
	if (locale_tag_ok(val))
		return 0;
	snprintf(msg, msglen, "language must be a BCP 47 tag such as en, ur or az");
	return -1;
}

/* A file the server opens as root before it confines itself (the access
 * log, the relay's password): inside the site folder, so a gazette.conf
 * from a restored archive names no file elsewhere. */
static int site_file_ok(const char *key, const char *val, char *msg, size_t msglen)
{
	if (!*val || (val[0] != '/' && !strstr(val, "..")))
		return 0;
	snprintf(msg, msglen, "%s: a path relative to the site folder, without .. (link to a "
		 "file elsewhere if need be)", key);
	return -1;
}

static int access_log_ok(const char *val, char *msg, size_t msglen)
{
	return site_file_ok("access_log", val, msg, msglen);
}

static int password_file_ok(const char *val, char *msg, size_t msglen)
{
	return site_file_ok("smtp_password_file", val, msg, msglen);
}

/* Not below a folder the site serves or a backup holds (nor above it). */
static int backup_dir_ok(const char *val, char *msg, size_t msglen)
{
	if (strstr(val, "//") || strstr(val, "/./")) {
		snprintf(msg, msglen, "backup_dir: write the path without // or /./");
		return -1;
	}
	static const char *const inside[] = { "media", "media-originals", "theme" };
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
		size_t n = strlen(inside[i]);
		const char *v = val;
		while (v[0] == '.' && v[1] == '/')
			v += 2;
		if (!strncmp(v, inside[i], n) && (v[n] == '\0' || v[n] == '/')) {
			snprintf(msg, msglen, "backup_dir must not be inside %s/ (it is served or "
				 "backed up)", inside[i]);
			return -1;
		}
	}
	if (val[0] != '/' && strstr(val, "..")) {
		snprintf(msg, msglen, "backup_dir: a relative path stays inside the site folder (no ..)");
		return -1;
	}
	return 0;
}

/* key's value: empty, or a PostgreSQL URL */
static int pg_url_ok(const char *key, const char *empty, const char *val, char *msg, size_t msglen)
{
	if (!*val || !strncmp(val, "postgresql://", 13) || !strncmp(val, "postgres://", 11))
		return 0;
	snprintf(msg, msglen, "%s must start with postgresql:// or postgres:// (or be empty%s)", key,
		 empty);
	return -1;
}

static int db_ok(const char *val, char *msg, size_t msglen)
{
	return pg_url_ok("db", ": gazette.db", val, msg, msglen);
}

static int db_read_ok(const char *val, char *msg, size_t msglen)
{
	return pg_url_ok("db_read", "", val, msg, msglen);
}

static int smtp_url_ok(const char *val, char *msg, size_t msglen)
{
	if (!*val || !strncmp(val, "smtp://", 7) || !strncmp(val, "smtps://", 8))
		return 0;
	snprintf(msg, msglen, "smtp_url must start with smtp:// or smtps:// (or be empty)");
	return -1;
}

static int starttls_ok(const char *val, char *msg, size_t msglen)
{
	if (!strcmp(val, "required") || !strcmp(val, "optional") || !strcmp(val, "off"))
		return 0;
	snprintf(msg, msglen, "smtp_starttls must be required, optional or off");
	return -1;
}

/* A header value must not carry a line break (header injection). */
static int one_line_ok(const char *val, char *msg, size_t msglen)
{
	if (!*val || (strchr(val, '@') && !strpbrk(val, "\r\n<>\" \t")))
		return 0;
	snprintf(msg, msglen, "smtp_from must be a plain address such as newsroom@example.org");
	return -1;
}

/* A row without help is an older name, read but never written. */
static const struct ckey keys[] = {
	S(site_name, "the name in the masthead and page titles"),
	S(tagline, "a line under the masthead"),
	S(base_url, "public URL of the site, without a trailing slash"),
	{ "language", C_STR, offsetof(struct config, lang), sizeof(((struct config *)0)->lang), 0, 0,
	  "language of the site (BCP 47: en, ur, az...): its words come from the theme's "
	  "locale/LANGUAGE.conf (docs/languages.md), right-to-left for ur, ar, fa, he...", lang_ok },
	SC(lang, lang_ok, NULL), /* the name before issue 15 */
	SC(timezone, zone_ok, "time zone of every date and time shown to readers and editors, an IANA name "
	   "from the system's zoneinfo (e.g. Europe/Berlin; stored times stay UTC)"),
	S(listen, "address:port that `gazette serve` binds by default"),
	I(per_page, 1, 100, "stories per list page"),
	I(comment_min_seconds, 0, 3600, "minimum seconds between showing the comment form and sending it"),
	I(comment_form_max_age, 1, 30 * 86400, "seconds a comment form is accepted after the reader loaded it (keep it a day or more: 86400)"),
	I(comment_rate_per_minute, 1, 100000000, "comments one client address may post per minute"),
	I(search_rate_per_minute, 1, 100000000, "searches (result pages and search feeds) one client address may make per minute"),
	I(comment_auto_approve_known, 0, 1, "1: approve commenters who have an approved comment"),
	I(comment_max_depth, 1, 10, "deepest reply nesting"),
	I(comments_open, 0, 1, "1: readers may comment"),
	I(threads, 1, 64, "worker threads serving requests"),
	I(conn_timeout, 1, 3600, "seconds an idle connection is kept"),
	I(per_ip_connections, 1, 10000, "simultaneous connections per client address"),
	L(body_limit, 1024, 1L << 30, "largest request body in bytes"),
	L(upload_limit, 1024, 1L << 30, "largest featured image in bytes (the editor accepts bodies this + 1 MB large)"),
	L(media_upload_limit, 1024, 1L << 34, "largest audio or video file the media library takes, in bytes (its upload form accepts bodies of this, or 20 x upload_limit when larger, + 1 MB)"),
	I(body_min_rate, 0, 1 << 30, "bytes per second a request body must arrive at, on average, once conn_timeout seconds have passed (0: no minimum)"),
	L(body_memory, 1L << 16, 1L << 40, "bytes of memory all request bodies in flight may hold together (a body past 64 KB waits in a temporary file in the site folder; over the bound new ones get 503)"),
	I(feed_items, 1, 200, "entries in each RSS, Atom and JSON feed"),
	S(robots_extra, "lines added to robots.txt, separated by \\n"),
	S(logo_url, "absolute URL of the publisher logo (default: the favicon)"),
	L(cache_size, 0, 1L << 40, "bytes of rendered pages kept in memory (0 turns the page cache off)"),
	S(user, "account `gazette serve` switches to when started as root (it owns the site folder)"),
	SC(db, db_ok, "PostgreSQL database the site lives in, postgresql://USER:PASSWORD@HOST:PORT/NAME "
	   "(every node of the site names the same one; a server started as root reaches it by TCP, "
	   "not a Unix socket: docs/deploy.md); empty: gazette.db (SQLite) in the site folder"),
	SC(db_read, db_read_ok, "a streaming replica of db, postgresql://...: pages read their snapshot "
	   "there while it has replayed what the primary had (else, and when it is down, the primary); "
	   "empty: every read on db (docs/deploy.md)"),
	S(trusted_proxy, "address of a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed (empty: none)"),
	I(https, 0, 1, "1: the site is served over HTTPS (sends Strict-Transport-Security)"),
	I(seccomp, 0, 1, "1: restrict the server's system calls once it is serving (Linux seccomp)"),
	I(session_idle, 1, 30 * 86400, "seconds a signed-in admin session lasts without use"),
	I(session_lifetime, 1, 365 * 86400, "seconds an admin session lasts at most, used or not"),
	I(schedule_interval, 1, 3600, "seconds between checks for scheduled stories that are due"),
	SC(embeds_off, embeds_ok, "embed providers switched off, separated by spaces: their URLs stay plain links "
	   "(youtube vimeo twitter instagram facebook tiktok soundcloud spotify datawrapper flourish googlemaps; "
	   "docs/embeds.md)"),
	SC(backup_dir, backup_dir_ok, "folder where the server writes a backup of the site each day, "
	  "gazette-YYYY-MM-DD.tar (UTC date; empty: no daily backup). A relative path is "
	  "inside the site folder, the only place a server started as root can reach (docs/backup.md)"),
	I(backup_keep, 1, 3650, "daily backups kept in backup_dir: the newest, older ones are deleted"),
	SC(metrics_allow, nets_ok, "addresses and networks that may read /metrics, separated by spaces "
	   "(e.g. 127.0.0.0/8 ::1 10.0.0.0/8); others get 404"),
	SC(log_format, format_ok, "access log lines: combined (Apache's, with the request id and seconds "
	   "appended) or json (one object a line)"),
	SC(access_log, access_log_ok, "file the access log is appended to (relative to the site folder; reopened on "
	  "SIGHUP, for logrotate); empty: standard output"),
	SC(smtp_url, smtp_url_ok, "mail relay, smtp://HOST:PORT (STARTTLS per smtp_starttls) or smtps://HOST:PORT "
	   "(TLS from the start); empty: no mail is made at all (docs/mail.md)"),
	S(smtp_user, "user name for the relay's AUTH (empty: no AUTH)"),
	S(smtp_password, "password for the relay's AUTH (or smtp_password_file)"),
	SC(smtp_password_file, password_file_ok, "file holding the relay password (first line), read at start; relative to the site folder"),
	SC(smtp_from, one_line_ok, "address mail is sent from (empty: gazette@ and the host of base_url)"),
	SC(smtp_starttls, starttls_ok, "STARTTLS on smtp://: required, optional or off"),
	I(mail_interval, 1, 3600, "seconds between the scheduler's mail runs; a failed message waits this, doubled per attempt (at most 6 hours)"),
	I(mail_max_attempts, 1, 100, "attempts before a message is given up (it stays in mail_queue with its last error)"),
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->site_name, sizeof c->site_name, "The Gazette");
	snprintf(c->tagline, sizeof c->tagline, "News, analysis and comment");
	snprintf(c->base_url, sizeof c->base_url, "http://127.0.0.1:8080");
	snprintf(c->lang, sizeof c->lang, "en");
	snprintf(c->timezone, sizeof c->timezone, "UTC");
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
	c->per_page = 10;
	c->comment_min_seconds = 2;
	c->comment_form_max_age = 2 * 86400;
	c->comment_rate_per_minute = 5;
	c->search_rate_per_minute = 60;
	c->comment_auto_approve_known = 1;
	c->comment_max_depth = 5;
	c->comments_open = 1;
	c->threads = 4;  /* two per core: a thread waiting on fsync leaves the core to another */
	c->conn_timeout = 30;
	c->per_ip_connections = 64;
	c->body_limit = 1L << 20;
	c->upload_limit = 5L << 20;
	c->media_upload_limit = 200L << 20;
	c->backup_keep = 7;
	c->body_min_rate = 2048;
	c->body_memory = 32L << 20;
	c->feed_items = 20;
	c->cache_size = 64L << 20;
	snprintf(c->user, sizeof c->user, "nobody");
	c->seccomp = 1;
	c->session_idle = 8 * 3600;
	c->session_lifetime = 7 * 86400;
	c->schedule_interval = 15;
	snprintf(c->metrics_allow, sizeof c->metrics_allow, "127.0.0.0/8 ::1");
	snprintf(c->log_format, sizeof c->log_format, "combined");
	snprintf(c->smtp_starttls, sizeof c->smtp_starttls, "required");
	c->mail_interval = 30;
	c->mail_max_attempts = 12;
}

static int set_key(struct config *c, const struct ckey *k, const char *val, char *err,
		   size_t errlen)
{
	char *field = (char *)c + k->off;
	if (k->type == C_STR) {
		if (strlen(val) >= k->size) {
			snprintf(err, errlen, "%s is longer than %zu bytes", k->name, k->size - 1);
			return -1;
		}
		if (k->check && k->check(val, err, errlen))
			return -1;
		memcpy(field, val, strlen(val) + 1);
		return 0;
	}
	long long v;
	if (num_parse_i64(val, k->min, k->max, &v)) {
		snprintf(err, errlen, "%s must be a whole number from %lld to %lld", k->name,
			 k->min, k->max);
		return -1;
	}
	if (k->type == C_INT)
		*(int *)field = (int)v;
	else
		*(long *)field = (long)v;
	return 0;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[1024], msg[200];
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		lineno++;
		char *s = str_trim_nul(line, str_is_xml_space);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = str_trim_nul(s, str_is_xml_space);
		char *val = str_trim_nul(eq + 1, str_is_xml_space);
		const struct ckey *k = NULL;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (strcmp(keys[i].name, key) == 0)
				k = &keys[i];
		if (!k) {
			snprintf(err, errlen, "%s:%d: unknown setting \"%s\"", path, lineno, key);
			rc = -1;
		} else if (set_key(c, k, val, msg, sizeof msg)) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = -1;
		}
	}
	fclose(f);
	return rc;
}

/* Settings read once when serving starts (the listening socket, threads,
 * the sandbox, the structures sized by them): a reload keeps their old
 * values and names them. */
static const char *const restart_keys[] = {
	"listen", "threads", "conn_timeout", "per_ip_connections", "body_min_rate", "body_memory",
	"cache_size", "user", "db", "db_read", "seccomp", "comment_rate_per_minute", "search_rate_per_minute",
	"embeds_off",
	/* the relay is prepared before the sandbox (mail/mail_relay.h: its
	 * address resolved, its password file read); the scheduler takes the
	 * other mail and backup settings from the current generation */
	"smtp_url", "smtp_user", "smtp_password", "smtp_password_file", "smtp_starttls",
};

static const struct ckey *key_named(const char *name)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

size_t config_keep_restart(struct config *c, const struct config *old, char *names, size_t len)
{
	size_t n = 0, used = 0;
	if (len)
		names[0] = '\0';
	for (size_t i = 0; i < sizeof restart_keys / sizeof restart_keys[0]; i++) {
		const struct ckey *k = key_named(restart_keys[i]);
		size_t size = k->type == C_STR ? k->size : k->type == C_INT ? sizeof(int) : sizeof(long);
		char *field = (char *)c + k->off;
		const char *was = (const char *)old + k->off;
		if (k->type == C_STR ? strcmp(field, was) == 0 : memcmp(field, was, size) == 0)
			continue;
		memcpy(field, was, size);
		if (used < len)
			used += (size_t)snprintf(names + used, len - used, "%s%s", n ? ", " : "", k->name);
		n++;
	}
	return n;
}

int config_write(const struct config *c, const char *path, char *err, size_t errlen)
{
	/* 0640: it may name a database with its password (db = postgresql://
	 * user:password@...); the server's group reads it (docs/deploy.md) */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fputs("# Gazette site settings: key = value. Restart `gazette serve` after a change,\n"
	      "# or send it SIGHUP: it names in its log the settings that need a restart.\n", f);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct ckey *k = &keys[i];
		const char *field = (const char *)c + k->off;
		if (!k->help)
			continue;
		fprintf(f, "\n# %s\n", k->help);
		if (k->type == C_STR)
			fprintf(f, "%s = %s\n", k->name, field);
		else if (k->type == C_INT)
			fprintf(f, "%s = %d\n", k->name, *(const int *)field);
		else
			fprintf(f, "%s = %ld\n", k->name, *(const long *)field);
	}
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
