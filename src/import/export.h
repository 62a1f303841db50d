/*
 * export: the whole site written out, story by story (memory holds one
 * story and its comments at a time).
 *
 * export_wxr writes a WordPress eXtended RSS 1.2 file that WordPress'
 * importer accepts and that `gazette import wordpress` reads back to the
 * same content: stories as posts (their HTML as classic content, local
 * and GMT dates, front-page pins as sticky, co-authors as `author` terms),
 * static pages as pages (parent, menu order), sections as categories,
 * tags, users as authors (with first and last names), comments with
 * their status and parents.
 *
 * export_json writes one JSON document (docs/import.md, "The JSON export"): site, users
 * (never password hashes), sections, tags, stories with their bodies and
 * comments, redirects.
 */
#ifndef GZ_EXPORT_H
#define GZ_EXPORT_H

#include <stddef.h>
#include <stdio.h>

struct store;
struct tz;

struct export_site {
	const char *name, *description, *base_url, *lang;
	const struct tz *zone;  /* the site's (`timezone`): WXR's local times; NULL: UTC */
};

/* 0 ok; -1 with err set (store or write error). */
int export_wxr(struct store *st, const struct export_site *site, FILE *out, char *err,
	       size_t errlen);
int export_json(struct store *st, const struct export_site *site, FILE *out, char *err,
		size_t errlen);

#endif
