/*
 * demo: loads the demo content (sections, authors, photos, stories,
 * comments) from the text files under demo/ into a new site, in one
 * transaction, through the same paths an editor's work takes: the photos
 * through `gazette media add`'s (cli_media_add), the stories through
 * publish_render.
 *
 * A demo story names its photos by key, not by library id: `featured:
 * rocket` in its header, `![](media:rocket)` in its body (the keys are
 * demo/photos.txt's first field). The loader writes the id the photo got
 * in their place before rendering, so the stored Markdown is what an
 * editor would have typed; loaded without photos, the lines that place one
 * are left out.
 */
#include "cli.h"
#include "../comments/comment_text.h"
#include "../content/doc.h"
#include "../content/publish.h"
#include "../content/slug.h"
#include "../media/media.h"
#include "../media/media_ref.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../store/store_media.h"
#include "../util/buf.h"
#include "../util/locale.h"
#include "../util/pool.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_FILE_MAX (1 << 20)
#define DEMO_PHOTOS_MAX 16

struct demo_photo {
	const char *key;
	struct media_record r;
	int added; /* made by this load: its files go if the load fails */
};

struct loader {
	struct store *st;
	struct pool *p;
	const char *dir;
	const char *site_dir;
	int photos;           /* load demo/photos.txt and place its photos */
	char *err;
	size_t errlen;
	struct demo_photo photo[DEMO_PHOTOS_MAX];
	size_t nphotos;
	/* comment labels ("c1") to ids, for replies */
	const char *label[64];
	long long label_id[64];
	size_t nlabels;
};

static char *slurp(struct pool *p, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = pool_alloc(p, DEMO_FILE_MAX + 1);
	size_t n = fread(data, 1, DEMO_FILE_MAX, f);
	fclose(f);
	data[n] = '\0';
	return data;
}

static int failf(struct loader *l, const char *file, const char *msg)
{
	snprintf(l->err, l->errlen, "%s: %s", file, msg);
	return -1;
}

/* Sorted names of the files in sub/ (at most 256). */
static int list_files(struct loader *l, const char *sub, char ***names, size_t *n)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", l->dir, sub);
	struct dirent **ents;
	int k = scandir(path, &ents, NULL, alphasort);
	if (k < 0)
		return failf(l, path, "cannot read the folder");
	*names = pool_alloc(l->p, (size_t)(k + 1) * sizeof **names);
	*n = 0;
	for (int i = 0; i < k; i++) {
		if (ents[i]->d_name[0] != '.')
			(*names)[(*n)++] = pool_printf(l->p, "%s/%s", path, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return 0;
}

/* The next non-empty piece of *s up to sep, cut in place; NULL at the end.
 * (strtok without its hidden state: banned.h bans strtok and strtok_r.) */
static char *next_token(char **s, char sep)
{
	char *p = *s;
	while (p && *p == sep)
		p++;
	if (!p || !*p) {
		*s = NULL;
		return NULL;
	}
	char *e = strchr(p, sep);
	if (e)
		*e++ = '\0';
	*s = e;
	return p;
}

/* Lines of "a|b|c..." with at least `fields` fields. */
static int each_line(struct loader *l, const char *file, size_t fields,
		     int (*fn)(struct loader *, char **f, int lineno))
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", l->dir, file);
	char *data = slurp(l->p, path), *rest;
	if (!data)
		return failf(l, path, "cannot read");
	int lineno = 0;
	rest = data;
	for (char *line = next_token(&rest, '\n'); line; line = next_token(&rest, '\n')) {
		char *f[8] = { 0 }, *s2 = line;
		size_t nf = 0;
		lineno++;
		for (char *t = next_token(&s2, '|'); t && nf < 8; t = next_token(&s2, '|'))
			f[nf++] = t;
		if (nf < fields)
			return failf(l, path, pool_printf(l->p, "line %d: expected %zu fields", lineno, fields));
		if (fn(l, f, lineno))
			return -1;
	}
	return 0;
}

static int add_section(struct loader *l, char **f, int lineno)
{
	long long id;
	return store_section_put(l->st, f[0], f[1], lineno, &id) ? failf(l, "sections.txt", store_errmsg(l->st)) : 0;
}

static int add_author(struct loader *l, char **f, int lineno)
{
	long long id;
	return store_user_add(l->st, f[0], f[1], f[2], f[3], "author", &id)
		       ? failf(l, "authors.txt", store_errmsg(l->st))
		       : 0;
}

/* key|file|alt|caption|credit: a photo under demo/photos/ into the library. */
static int add_photo(struct loader *l, char **f, int lineno)
{
	char err[512];
	if (l->nphotos == DEMO_PHOTOS_MAX)
		return failf(l, "photos.txt", "too many photos");
	struct demo_photo *ph = &l->photo[l->nphotos];
	const struct cli_media_text t = { f[2], f[3], f[4] };
	const char *file = pool_printf(l->p, "%s/photos/%s", l->dir, f[1]);
	if (cli_media_add(l->st, l->p, l->site_dir, file, &t, &ph->r, &ph->added, err, sizeof err))
		return failf(l, file, err);
	ph->key = f[0];
	l->nphotos++;
	return 0;
}

static const struct demo_photo *photo_find(const struct loader *l, const char *key, size_t len)
{
	for (size_t i = 0; i < l->nphotos; i++)
		if (strlen(l->photo[i].key) == len && memcmp(l->photo[i].key, key, len) == 0)
			return &l->photo[i];
	return NULL;
}

/* The length of the photo key at s ([a-z0-9_-], starting with a letter), 0 for none. */
static size_t key_len(const char *s)
{
	size_t n = 0;
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
	       s[n] == '-')
		n++;
	return n;
}

/* body with each (media:KEY written (media:ID, or, without photos, with
 * the lines that hold one left out. NULL (l->err set) for an unknown key. */
static const char *photo_refs(struct loader *l, const char *path, const char *body)
{
	static const char mark[] = "(media:";
	struct buf out = BUF_INIT;
	const char *line = body;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		const char *at, *m;
		char *cut = pool_strndup(l->p, line, len);
		if (!l->photos && (m = strstr(cut, mark)) && key_len(m + sizeof mark - 1)) {
			line += len; /* a line that places a photo, without photos */
			continue;
		}
		for (const char *scan = at = cut; (m = strstr(scan, mark)); scan = m) {
			m += sizeof mark - 1;
			size_t k = key_len(m);
			if (!k)
				continue; /* media:42, written as it is */
			const struct demo_photo *ph = photo_find(l, m, k);
			if (!ph) {
				buf_release(&out);
				failf(l, path, pool_printf(l->p, "media:%.*s: no such photo in photos.txt",
							   (int)k, m));
				return NULL;
			}
			buf_add(&out, at, (size_t)(m - at));
			buf_printf(&out, "%lld", ph->r.id);
			at = m += k;
		}
		buf_puts(&out, at);
		line += len;
	}
	const char *r = out.err ? NULL : pool_strdup(l->p, buf_str(&out));
	buf_release(&out);
	if (!r)
		failf(l, path, "out of memory");
	return r;
}

/* The story's featured image: photo key's JPEG up to 1280 wide, as the
 * editor sets one from the library. */
static int set_featured(struct loader *l, const char *path, long long story_id, const char *key)
{
	const struct demo_photo *ph = photo_find(l, key, strlen(key));
	struct media_file f;
	if (!ph)
		return failf(l, path, pool_printf(l->p, "featured: %s: no such photo", key));
	if (media_jpeg_upto(l->p, pool_printf(l->p, "%s/media", l->site_dir), ph->r.hash,
			    ph->r.variants, ph->r.formats, MEDIA_FEATURED_WIDTH, &f))
		return failf(l, path, "featured: the photo has no JPEG variant");
	if (store_import_story_image(l->st, story_id, f.path, f.width, f.height, f.bytes, ph->r.id))
		return failf(l, path, store_errmsg(l->st));
	return 0;
}

static int add_tags(struct loader *l, struct story *s, const char *list)
{
	char *save = pool_strdup(l->p, list);
	s->tags = pool_alloc(l->p, 16 * sizeof *s->tags);
	for (char *t = next_token(&save, ','); t && s->ntags < 16; t = next_token(&save, ',')) {
		while (*t == ' ')
			t++;
		char slug[256];
		if (!slug_make(t, slug, sizeof slug))
			continue;
		struct tag *tag = &s->tags[s->ntags];
		tag->name = t;
		tag->slug = pool_strdup(l->p, slug);
		if (store_tag_put(l->st, t, tag->slug, &tag->id))
			return -1;
		s->ntags++;
	}
	return 0;
}

static int add_story(struct loader *l, const char *path)
{
	char msg[256];
	struct doc d;
	const char *text = slurp(l->p, path);
	if (!text || doc_parse(l->p, text, &d, msg, sizeof msg))
		return failf(l, path, text ? msg : "cannot read");
	struct story s = { 0 };
	struct author a;
	const char *need[] = { "title", "slug", "section", "author", "date", "excerpt", "tags" };
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!doc_get(&d, need[i]))
			return failf(l, path, pool_printf(l->p, "missing \"%s:\"", need[i]));
	s.title = doc_get(&d, "title");
	s.slug = doc_get(&d, "slug");
	s.excerpt = doc_get(&d, "excerpt");
	s.lang = doc_get(&d, "lang"); /* optional: a story in another language */
	if (s.lang && !locale_tag_ok(s.lang))
		return failf(l, path, "lang: expected a BCP 47 tag such as ur or az");
	if (!(s.body_md = photo_refs(l, path, d.body)))
		return -1;
	const char *featured = l->photos ? doc_get(&d, "featured") : NULL;
	s.status = STORY_PUBLISHED;
	s.comments_open = 1;
	s.published_at = doc_time(doc_get(&d, "date"));
	if (s.published_at < 0)
		return failf(l, path, "date: expected YYYY-MM-DDTHH:MM:SSZ");
	char sec_slug[256];
	slug_make(doc_get(&d, "section"), sec_slug, sizeof sec_slug);
	if (store_section_by_slug(l->st, l->p, sec_slug, &s.section))
		return failf(l, path, "section: unknown");
	if (store_user_by_name(l->st, l->p, doc_get(&d, "author"), &a))
		return failf(l, path, "author: unknown");
	s.author = a;
	struct media_ref mr; /* the featured image leads, not the body's first picture */
	if (add_tags(l, &s, doc_get(&d, "tags")) ||
	    publish_render(l->p, &s, media_ref_opts(&mr, l->st, l->p, featured != NULL)))
		return failf(l, path, store_errmsg(l->st));
	long long id;
	if (store_story_insert(l->st, &s, &id))
		return failf(l, path, store_errmsg(l->st));
	return featured ? set_featured(l, path, id, featured) : 0;
}

static long long label_find(struct loader *l, const char *label)
{
	for (size_t i = 0; i < l->nlabels; i++)
		if (strcmp(l->label[i], label) == 0)
			return l->label_id[i];
	return -1;
}

static int add_comment(struct loader *l, const char *path)
{
	char msg[256];
	struct doc d;
	const char *text = slurp(l->p, path);
	if (!text || doc_parse(l->p, text, &d, msg, sizeof msg))
		return failf(l, path, text ? msg : "cannot read");
	struct story s;
	const char *slug = doc_get(&d, "story"), *parent = doc_get(&d, "parent");
	if (!slug || store_story_by_slug(l->st, l->p, slug, &s))
		return failf(l, path, "story: unknown");
	struct comment c = { .story_id = s.id, .status = COMMENT_APPROVED, .ip = "127.0.0.1" };
	c.author = doc_get(&d, "author");
	c.email = doc_get(&d, "email");
	c.url = doc_get(&d, "url");
	c.body = d.body;
	c.body_html = comment_text_html_str(l->p, d.body);
	c.created_at = doc_time(doc_get(&d, "date"));
	if (!c.author || !c.email || c.created_at < 0)
		return failf(l, path, "needs author, email and date");
	if (parent && *parent && (c.parent_id = label_find(l, parent)) < 0)
		return failf(l, path, "parent: unknown label");
	long long id;
	if (store_comment_insert(l->st, &c, &id))
		return failf(l, path, store_errmsg(l->st));
	const char *label = doc_get(&d, "id");
	if (label && l->nlabels < 64) {
		l->label[l->nlabels] = label;
		l->label_id[l->nlabels++] = id;
	}
	return 0;
}

static int load_all(struct loader *l)
{
	char **files;
	size_t n;
	if (each_line(l, "sections.txt", 2, add_section) ||
	    each_line(l, "authors.txt", 4, add_author) ||
	    (l->photos && each_line(l, "photos.txt", 5, add_photo)) ||
	    list_files(l, "stories", &files, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (add_story(l, files[i]))
			return -1;
	if (list_files(l, "comments", &files, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (add_comment(l, files[i]))
			return -1;
	if (publish_refresh_related(l->st, l->p))
		return failf(l, "related", store_errmsg(l->st));
	return 0;
}

/* After a failed load: the files of the photos it made (their rows went
 * with the rollback). */
static void photos_discard(struct loader *l)
{
	for (size_t i = 0; i < l->nphotos; i++) {
		const struct media_record *r = &l->photo[i].r;
		struct media_made m;
		if (l->photo[i].added && media_variants_parse(r->variants, r->formats, &m) == 0)
			media_remove(l->p, l->site_dir, r->hash, r->ext, &m);
	}
}

int demo_load(struct store *st, const char *demo_dir, const char *site_dir, int photos, char *err,
	      size_t errlen)
{
	struct loader l = { .st = st, .p = pool_new(), .dir = demo_dir, .site_dir = site_dir,
			    .photos = photos, .err = err, .errlen = errlen };
	int rc = store_begin(st);
	if (rc == 0)
		rc = load_all(&l);
	if (rc == 0)
		rc = store_commit(st);
	else {
		store_rollback(st);
		photos_discard(&l);
	}
	pool_free(l.p);
	return rc ? -1 : 0;
}
