/*
 * locale: the words a site shows readers in its language: every string of
 * the reader-facing templates ({{t.key}}), the month and day names dates
 * are written with, and the few phrases C code builds (counts, "and").
 *
 * A locale is a file of "key = value" lines, LANG.conf under a theme's
 * locale/ folder (themes/default/locale/en.conf, ur.conf, az.conf). The one
 * decision: English is always loaded first and every other layer is laid
 * over it, so a key a locale lacks falls back to English, never to nothing:
 *   default en.conf, site theme en.conf, default LANG.conf, site LANG.conf
 * (a site's theme/locale/ur.conf may hold just the strings it changes).
 * LANG is the site's BCP 47 tag, or its primary subtag when no file has
 * the whole tag ("ur-PK" reads ur.conf). Loaded once at start; read-only
 * afterwards, so any thread may read it.
 */
#ifndef GZ_LOCALE_H
#define GZ_LOCALE_H

#include <stddef.h>

struct pool;

#define LOCALE_MAX_KEYS 512
#define LOCALE_MAX_VALUE 400   /* bytes of one value */

struct locale {
	char lang[16];            /* the tag asked for, e.g. "ur" */
	char file_lang[16];       /* the file that answered, "" when English only */
	struct pool *pool;        /* owns keys and values */
	const char **keys, **vals;
	size_t n;
	const char *month[12];    /* month_1 .. month_12 */
	const char *day[7];       /* day_0 (Sunday) .. day_6, as struct tm's tm_wday */
};

/* Loads the layers above for lang from default_theme (must hold
 * locale/en.conf) and site_theme (NULL or missing is fine). 0 ok; -1 with
 * "path:line: message" in err (a line without '=', a bad key, invalid
 * UTF-8, a value too long, more than LOCALE_MAX_KEYS keys). */
int locale_load(struct locale *l, const char *lang, const char *site_theme,
		const char *default_theme, char *err, size_t errlen);
void locale_release(struct locale *l);
/* The value of key, or NULL when no layer has it. */
const char *locale_get(const struct locale *l, const char *key);
/* The value of key with "{n}" replaced by n, from the pool; a key of
 * counts looks for key_zero (n == 0), key_one (n == 1), then key_other. */
const char *locale_count(const struct locale *l, struct pool *p, const char *key, long long n);
/* v with its first "{n}" replaced by n (v itself when it has none). */
const char *locale_fill(struct pool *p, const char *v, const char *n);
/* 1 when s is a well-formed BCP 47 language tag as far as a site needs:
 * a 2-3 letter language, then subtags of 1-8 letters or digits joined by
 * '-' (en, ur, az-Latn, pt-BR, zh-Hant-TW), at most 15 bytes. */
int locale_tag_ok(const char *s);

#endif
