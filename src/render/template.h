/*
 * template: theme templates, a Mustache subset whose escaping is decided by
 * the value's type, never by the tag.
 *
 * Tags: {{name}} {{a.b.c}} {{.}}  variable (missing -> nothing)
 *       {{#name}}...{{/name}}      section: once per list item (item pushed),
 *                                  once for an object (pushed), once for
 *                                  true / non-empty string / non-zero int
 *       {{^name}}...{{/name}}      inverted section
 *       {{>name}}                  partial: template "name" of the same set,
 *                                  looked up at render time (may recurse)
 *       {{! comment }}
 * A line holding only a section, inverted, close, partial or comment tag and
 * blanks is dropped with its newline, as in Mustache.
 *
 * Escaping: a string value (tv_str, tv_put_str) is always written through
 * html_text, so it is safe between tags and inside quoted attributes. Only a
 * value built as HTML (tv_html, tv_put_html) is written raw, and C code uses
 * that for Markdown-renderer / sanitizer output only. There is no {{{x}}} or
 * {{&x}}: a theme cannot un-escape reader input.
 *
 * Lookup walks the context stack innermost first, so a key missing from a
 * list item is found on an outer object. For recursive data (a comment's
 * "replies") give every object every key its template reads, even as an
 * empty list, or the lookup finds the parent's.
 *
 * Threads: a loaded set is immutable; any number of threads may call
 * tpl_render on it at once. Values are per request and not shared.
 */
#ifndef GZ_TEMPLATE_H
#define GZ_TEMPLATE_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/pool.h"

#define TPL_MAX_NEST 64              /* sections open at once in one file */
#define TPL_MAX_PARTIAL_DEPTH 32     /* nested {{>x}}; deeper renders nothing */
#define TPL_MAX_FILE (1024 * 1024)   /* bytes in one template file */
#define TPL_MAX_STEPS 10000000UL     /* nodes visited by one tpl_render */

/* ---- Values: built per request, all memory from the pool ---- */

struct tv;

/* Constructors never return NULL (the pool aborts on exhaustion). */
struct tv *tv_obj(struct pool *p);
struct tv *tv_list(struct pool *p);
/* The string is not copied: keep it alive as long as the pool. NULL is "". */
struct tv *tv_str(struct pool *p, const char *s);
/* Trusted HTML, written unescaped. Sanitizer/renderer output only. */
struct tv *tv_html(struct pool *p, const char *html);

/* Set obj[key]; a later put of the same key replaces the value. The key is
 * not copied. v == NULL (or s/html == NULL) leaves the key as it was. */
void tv_put(struct tv *obj, const char *key, struct tv *v);
void tv_put_str(struct tv *obj, const char *key, const char *s);
void tv_put_html(struct tv *obj, const char *key, const char *html);
void tv_put_int(struct tv *obj, const char *key, long long n);
void tv_put_bool(struct tv *obj, const char *key, int b);
/* Add an item at the end of a list. */
void tv_append(struct tv *list, struct tv *item);
/* Items in a list (puts to an object); 0 for NULL or a scalar. */
size_t tv_count(const struct tv *list);

/* ---- Template sets ---- */

struct tpl_set;

/* Load every *.html of default_theme_dir (must exist), then every *.html of
 * site_theme_dir (NULL or missing is fine), which replaces the same-named
 * template. Name = file name without ".html". 0 ok; -1 with a message such
 * as "themes/x/page.html:12: section 'a' is never closed" in err. The caller
 * owns *out and frees it with tpl_set_free. */
int tpl_set_load(struct tpl_set **out, const char *site_theme_dir,
		 const char *default_theme_dir, char *err, size_t errlen);
void tpl_set_free(struct tpl_set *set);

/* An empty set (NULL when out of memory), for tests and fuzzing. */
struct tpl_set *tpl_set_new(void);
/* Parse text as template `name`, replacing any template of that name.
 * 0 ok; -1 with "name:line: message" in err, and the set unchanged. Not
 * thread-safe: build the set before rendering from several threads. */
int tpl_set_add_string(struct tpl_set *set, const char *name, const char *text,
		       char *err, size_t errlen);

/* Strings every render of the set sees as {{name.key}} (the locale's
 * "t"), looked up below the render's context, so a context key `name`
 * hides them. The n keys and values are copied; a later call replaces
 * them all. They count in tpl_reach_hash: a stored render made with other
 * words is stale. 0 ok. Not thread-safe, like tpl_set_add_string. */
int tpl_set_strings(struct tpl_set *set, const char *name, const char *const *keys,
		    const char *const *vals, size_t n);

/* 1 when the set holds a template of that name. */
int tpl_has(const struct tpl_set *set, const char *name);
/* A 64-bit hash of the source text of template `name` and of every
 * template its partials reach (0 when absent): what can change the output
 * of rendering `name`, so something rendered and stored can tell a
 * changed theme. */
unsigned long long tpl_reach_hash(const struct tpl_set *set, const char *name);
/* 1 when template `name`, or a template its partials reach, has a tag
 * {{var}}, {{#var}} or {{^var}}. */
int tpl_reach_uses(const struct tpl_set *set, const char *name, const char *var);
/* Append template `name` rendered with ctx (an object, or NULL) to out.
 * 0 ok; -1 when the template is unknown, out overflowed (out->err), or the
 * render exceeded TPL_MAX_STEPS (a runaway theme); out then holds a prefix. */
int tpl_render(const struct tpl_set *set, const char *name,
	       const struct tv *ctx, struct buf *out);

#endif
