/*
 * config: the site's gazette.conf, "key = value" lines with '#' comments.
 * Every key is a row of one table with its type, default and bounds, so an
 * unknown key or a bad value is reported with its line number and nothing
 * else has to validate settings again.
 */
#ifndef GZ_CONFIG_H
#define GZ_CONFIG_H

#include <stddef.h>

struct config {
	char site_name[128];
	char tagline[256];
	char base_url[256];      /* e.g. http://127.0.0.1:8080 (no trailing /) */
	char lang[16];
	char timezone[64];        /* IANA zone of dates shown (site->zone); stored times are UTC */
	char listen[64];         /* default listen address */
	int per_page;
	int comment_min_seconds;
	int comment_form_max_age;   /* seconds a loaded form stays good */
	int comment_rate_per_minute;
	int search_rate_per_minute; /* searches (pages and feeds) per client address */
	int comment_auto_approve_known;
	int comment_max_depth;
	int comments_open;
	int threads;
	int conn_timeout;        /* seconds */
	int per_ip_connections;
	long body_limit;         /* bytes */
	long upload_limit;       /* bytes of one uploaded image (the editor's routes take this + 1 MB) */
	long media_upload_limit; /* bytes of one audio or video file in the media library */
	int body_min_rate;       /* bytes/s a request body must keep up after conn_timeout; 0 off */
	long body_memory;        /* bytes all request bodies in flight may hold in memory */
	int feed_items;          /* entries in a feed */
	char robots_extra[900];  /* lines added to robots.txt; "\n" separates them */
	char logo_url[256];      /* publisher logo for JSON-LD; "" = the favicon */
	long cache_size;         /* bytes of rendered pages kept; 0 = no cache */
	char user[64];           /* account `serve` switches to when started as root */
	char db[512];            /* a postgresql:// URL; "" the site folder's gazette.db (SQLite) */
	char db_read[512];       /* a PostgreSQL read replica's URL for pages' reads; "" none */
	char trusted_proxy[64];  /* address whose X-Forwarded-For/-Proto count; "" none */
	int https;               /* 1: served over HTTPS (Strict-Transport-Security) */
	int seccomp;             /* 1: restrict system calls once serving */
	int session_idle;        /* seconds a signed-in session survives unused */
	int session_lifetime;    /* seconds a session lasts at most */
	int schedule_interval;   /* seconds between the scheduler's runs */
	char embeds_off[256];    /* embed providers switched off, e.g. "tiktok facebook" */
	char backup_dir[256];    /* folder of the daily backups ("" none; relative: in the site folder) */
	int backup_keep;         /* daily backups kept, the newest */
	char metrics_allow[256]; /* networks /metrics answers (util/ipnet.h) */
	char log_format[16];     /* "combined" or "json": the access log's lines */
	char access_log[256];    /* file of access lines; "" standard output */
	/* mail (docs/mail.md): the relay; "" makes no mail at all */
	char smtp_url[256];      /* smtp://host:port or smtps://host:port */
	char smtp_user[128];
	char smtp_password[128];
	char smtp_password_file[256]; /* read at start; relative to the site folder */
	char smtp_from[256];     /* the From address, e.g. newsroom@example.org */
	char smtp_starttls[16];  /* required, optional or off (smtp:// only) */
	int mail_interval;       /* seconds between the scheduler's mail runs; the retry base */
	int mail_max_attempts;   /* attempts before a message is given up */
};

void config_defaults(struct config *c);
/* Reads path over the defaults. 0 ok; -1 with "path:line: message" in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* After a reload into c: the settings that only take effect at start
 * and differ from old get old's values back, and their names ("listen,
 * threads") go to names. Returns how many. */
size_t config_keep_restart(struct config *c, const struct config *old, char *names, size_t len);
/* Writes a commented config file holding c's values; 0 ok. */
int config_write(const struct config *c, const char *path, char *err, size_t errlen);

#endif
