/*
 * locale: see locale.h. The one decision: layers are read in order into
 * one flat table, a later layer's key replacing the earlier value, so a
 * lookup never has to know about fallbacks.
 */
#include "locale.h"
#include "fileio.h"
#include "pool.h"
#include "str.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int key_ok(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
			return 0;
	return 1;
}

static int put(struct locale *l, const char *key, const char *val)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->keys[i], key) == 0) {
			l->vals[i] = pool_strdup(l->pool, val);
			return 0;
		}
	if (l->n == LOCALE_MAX_KEYS)
		return -1;
	l->keys[l->n] = pool_strdup(l->pool, key);
	l->vals[l->n++] = pool_strdup(l->pool, val);
	return 0;
}

/* One "key = value" line; 0 ok (a blank or comment line too). */
static int read_line(struct locale *l, char *line, const char **why)
{
	char *s = str_trim_nul(line, str_is_xml_space);
	if (*s == '\0' || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq)
		return *why = "expected key = value", -1;
	*eq = '\0';
	char *key = str_trim_nul(s, str_is_xml_space);
	char *val = str_trim_nul(eq + 1, str_is_xml_space);
	if (!key_ok(key))
		return *why = "a key is lowercase letters, digits and '_'", -1;
	if (!utf8_valid(val, strlen(val)))
		return *why = "the value is not valid UTF-8", -1;
	if (strlen(val) > LOCALE_MAX_VALUE)
		return *why = "the value is too long", -1;
	if (put(l, key, val))
		return *why = "too many keys", -1;
	return 0;
}

/* Reads dir/locale/lang.conf over l. 1 read, 0 no such file, -1 error. */
static int read_layer(struct locale *l, const char *dir, const char *lang, char *err,
		      size_t errlen)
{
	char path[4096], line[LOCALE_MAX_VALUE + 200];
	if (!dir || (size_t)snprintf(path, sizeof path, "%s/locale/%s.conf", dir, lang) >= sizeof path)
		return 0;
	FILE *f = fileio_fopen(path);
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int lineno = 0, rc = 1;
	const char *why = NULL;
	while (rc == 1 && fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			why = "the line is too long", rc = -1;
		else if (read_line(l, line, &why))
			rc = -1;
	}
	if (rc < 0)
		snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
	fclose(f);
	return rc;
}

/* The language's own layers: the whole tag, else its primary subtag. */
static int read_lang(struct locale *l, const char *site_theme, const char *default_theme,
		     char *err, size_t errlen)
{
	char tag[16];
	snprintf(tag, sizeof tag, "%s", l->lang);
	for (char *c = tag; *c; c++)
		*c = str_lower_ascii(*c);
	for (int pass = 0; pass < 2; pass++) {
		if (strcmp(tag, "en") == 0)
			return 0;
		int a = read_layer(l, default_theme, tag, err, errlen);
		int b = a < 0 ? 0 : read_layer(l, site_theme, tag, err, errlen);
		if (a < 0 || b < 0)
			return -1;
		if (a || b) {
			snprintf(l->file_lang, sizeof l->file_lang, "%s", tag);
			return 0;
		}
		tag[strcspn(tag, "-_")] = '\0';
	}
	return 0;
}

static void names(struct locale *l)
{
	static const char *const en_month[12] = { "January", "February", "March", "April",
						  "May", "June", "July", "August",
						  "September", "October", "November", "December" };
	static const char *const en_day[7] = { "Sunday", "Monday", "Tuesday", "Wednesday",
					       "Thursday", "Friday", "Saturday" };
	char key[16];
	for (int i = 0; i < 12; i++) {
		snprintf(key, sizeof key, "month_%d", i + 1);
		const char *v = locale_get(l, key);
		l->month[i] = v ? v : en_month[i];
	}
	for (int i = 0; i < 7; i++) {
		snprintf(key, sizeof key, "day_%d", i);
		const char *v = locale_get(l, key);
		l->day[i] = v ? v : en_day[i];
	}
}

int locale_load(struct locale *l, const char *lang, const char *site_theme,
		const char *default_theme, char *err, size_t errlen)
{
	memset(l, 0, sizeof *l);
	snprintf(l->lang, sizeof l->lang, "%s", lang && *lang ? lang : "en");
	l->pool = pool_new();
	l->keys = pool_alloc(l->pool, LOCALE_MAX_KEYS * sizeof *l->keys);
	l->vals = pool_alloc(l->pool, LOCALE_MAX_KEYS * sizeof *l->vals);
	int rc = read_layer(l, default_theme, "en", err, errlen);
	if (rc == 0)
		snprintf(err, errlen, "%s/locale/en.conf: missing", default_theme);
	if (rc < 1 || read_layer(l, site_theme, "en", err, errlen) < 0 ||
	    read_lang(l, site_theme, default_theme, err, errlen)) {
		locale_release(l);
		return -1;
	}
	names(l);
	return 0;
}

void locale_release(struct locale *l)
{
	pool_free(l->pool);
	memset(l, 0, sizeof *l);
}

const char *locale_get(const struct locale *l, const char *key)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->keys[i], key) == 0)
			return l->vals[i];
	return NULL;
}

const char *locale_count(const struct locale *l, struct pool *p, const char *key, long long n)
{
	const char *v = NULL;
	if (n == 0)
		v = locale_get(l, pool_cat(p, key, "_zero", NULL));
	if (!v && n == 1)
		v = locale_get(l, pool_cat(p, key, "_one", NULL));
	if (!v)
		v = locale_get(l, pool_cat(p, key, "_other", NULL));
	return v ? locale_fill(p, v, pool_lld(p, n)) : pool_lld(p, n);
}

const char *locale_fill(struct pool *p, const char *v, const char *n)
{
	const char *at = strstr(v, "{n}");
	if (!at)
		return v;
	return pool_cat(p, pool_strndup(p, v, (size_t)(at - v)), n, at + 3, NULL);
}

int locale_tag_ok(const char *s)
{
	size_t len = strlen(s), i = 0, seg = 0, first = 1;
	if (len == 0 || len > 15)
		return 0;
	for (;; i++) {
		char c = s[i];
		if (c == '-' || c == '\0') {
			if (first ? seg < 2 || seg > 3 : seg < 1 || seg > 8)
				return 0;
			if (c == '\0')
				return 1;
			first = 0, seg = 0;
			continue;
		}
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!letter && !(!first && c >= '0' && c <= '9'))
			return 0;
		seg++;
	}
}
