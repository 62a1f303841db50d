/*
 * import_pictures: a WordPress site's pictures, galleries, covers and
 * players brought into Gazette (see import_int.h). Every image a post
 * uses that is found in --uploads goes through the media library
 * (media_read, media_make, store_media_add: once per file, and by content
 * hash once per picture) and is written by the one figure writer
 * (media/figure.h); so does every [audio]/[video] file and audio or video
 * block found there (media_read_any: recognised by its content, kept as it
 * is as media/HASH.EXT, played with preload="none"). What is not found is counted and listed with its
 * story; what cannot be shown is counted as not supported.
 *
 * The one design decision: figures are written after the sanitizer. The
 * body keeps a placeholder (<div class="gzm-NONCE-N"></div>, a block the
 * sanitizer keeps and closes any open paragraph before) where a figure
 * goes, and import_pictures_fill puts the figure writer's HTML there, so
 * the sanitizer never has to let <picture>, srcset or the gallery's ids
 * through from imported HTML.
 */
#include "import_int.h"
#include "wxr.h"
#include "../content/embed.h"
#include "../content/sanitize.h"
#include "../media/figure.h"
#include "../media/media.h"
#include "../render/escape.h"
#include "../store/store.h"
#include "../store/store_import.h"
#include "../store/store_media.h"
#include "../util/pool.h"
#include "../util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum pic { PIC_FOUND, PIC_MISSING, PIC_REFUSED, PIC_DRY };

#define MEDIA_ID_DRY (-2) /* in the pictures table: would be added (a dry run) */

#define UPLOADS "/wp-content/uploads/"

/* ---------------------------------------------------------------- small parsers */

/* The value of attribute name in the tag tag[0..n) ("<img ...>"),
 * entities decoded; NULL when absent. */
static const char *tag_attr(struct pool *p, const char *tag, size_t n, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 1; i + nl + 1 < n; i++) {
		if (!str_is_xml_space(tag[i - 1]) || strncmp(tag + i, name, nl) != 0 ||
		    tag[i + nl] != '=')
			continue;
		const char *v = tag + i + nl + 1, *end = tag + n;
		char q = (*v == '"' || *v == '\'') ? *v++ : 0;
		const char *e = v;
		while (e < end && (q ? *e != q : !str_is_xml_space(*e) && *e != '>' && *e != '/'))
			e++;
		const char *raw = pool_strndup(p, v, (size_t)(e - v));
		if (!strchr(raw, '&'))
			return raw;
		struct buf t;
		buf_init(&t, 0);
		import_body_text(raw, &t);
		const char *out = pool_strdup(p, buf_str(&t));
		buf_release(&t);
		return out;
	}
	return NULL;
}

/* The plain text of an HTML fragment (a caption may hold links). */
static const char *text_of(struct pool *p, const char *html, size_t n)
{
	struct buf t;
	buf_init(&t, 0);
	if (n)
		sanitize_text(html, n, &t);
	const char *out = pool_strdup(p, buf_str(&t));
	buf_release(&t);
	return out;
}

/* The content of the first <name ...>...</name> in s[0..n), as [*b, *e). */
static int element(const char *s, size_t n, const char *name, const char **b, const char **e)
{
	char open[24], close[24];
	snprintf(open, sizeof open, "<%s", name);
	snprintf(close, sizeof close, "</%s>", name);
	const char *end = s + n;
	for (const char *o = s; (o = strstr(o, open)) && o < end; o++) {
		char c = o[strlen(open)];
		if (c != '>' && !str_is_xml_space(c))
			continue;
		const char *gt = strchr(o, '>'), *cl = gt ? strstr(gt, close) : NULL;
		if (!cl || cl > end)
			return 0;
		*b = gt + 1;
		*e = cl;
		return 1;
	}
	return 0;
}

/* A string value of key in a block's JSON attributes ("url":"..."), with
 * \/ \" and \\ unescaped; NULL when absent. */
static const char *json_str(struct pool *p, const char *json, size_t n, const char *key)
{
	char k[40];
	snprintf(k, sizeof k, "\"%s\":\"", key);
	const char *v = strstr(json, k);
	if (!v || v >= json + n)
		return NULL;
	v += strlen(k);
	char *out = pool_alloc(p, n + 1), *o = out;
	for (; v < json + n && *v != '"'; v++)
		*o++ = *v == '\\' && v + 1 < json + n ? *++v : *v;
	*o = '\0';
	return out;
}

/* ---------------------------------------------------------------- the library */

/* The uploads path of url when it is a file of the old site's uploads
 * folder, else NULL (another host, data:, empty). */
static const char *uploads_rel(struct imp *im, struct pool *p, const char *url)
{
	if (!url)
		return NULL;
	const char *path = strncmp(url, UPLOADS, sizeof UPLOADS - 1) == 0 ? url
										 : import_old_path(im, p, url);
	const char *u = path ? strstr(path, UPLOADS) : NULL;
	if (!u)
		return NULL;
	u += sizeof UPLOADS - 1;
	size_t n = strcspn(u, "?#");
	const char *rel = pool_strndup(p, u, n);
	return import_media_rel_ok(rel) ? rel : NULL;
}

static int in_uploads(struct imp *im, struct pool *p, const char *rel)
{
	struct stat sb;
	return !stat(pool_printf(p, "%s/%s", im->o->uploads, rel), &sb) && S_ISREG(sb.st_mode);
}

/* WordPress' resized copy (name-300x200.jpg) stands for its original
 * (name.jpg) when the original is there: the library makes its own sizes. */
static const char *original_of(struct imp *im, struct pool *p, const char *rel)
{
	const char *dot = strrchr(rel, '.'), *dash = dot;
	while (dash && dash > rel && *dash != '-' && *dash != '/')
		dash--;
	int w, h;
	char x;
	if (!dot || !dash || *dash != '-' || sscanf(dash, "-%dx%d%c", &w, &h, &x) != 3 || x != '.')
		return rel;
	const char *orig = pool_printf(p, "%.*s%s", (int)(dash - rel), rel, dot);
	return in_uploads(im, p, orig) ? orig : rel;
}

/* A file not in --uploads, listed with its story (each line once). */
static void note_missing(struct imp *im, const char *rel)
{
	char line[1400];
	snprintf(line, sizeof line, "  %s (%s)\n", rel, im->owner ? im->owner : "?");
	if (strstr(buf_str(&im->missing), line))
		return;
	if (++im->nmissing <= 200)
		buf_puts(&im->missing, line);
}

/* The library record of uploads/rel: the cached one, the one with the
 * same content, or a new one made now (alt and caption from the
 * attachment, else those given). av: an audio or video file is taken too
 * (media_read_any), kept as it is as media/HASH.EXT. */
static enum pic take(struct imp *im, struct pool *p, const char *rel, const char *alt,
		     const char *caption, int av, struct media_record *m)
{
	if (!im->o->uploads)
		return PIC_MISSING;
	rel = original_of(im, p, rel);
	struct attach *c = import_attach_find(&im->pics, rel, 0);
	if (c && c->media_id > 0)
		return store_media_get(im->st, p, c->media_id, m) == STORE_OK ? PIC_FOUND : PIC_REFUSED;
	if (c && c->media_id == MEDIA_ID_DRY)
		return PIC_DRY;
	if (c && c->media_id < 0)
		return PIC_REFUSED;
	if (!in_uploads(im, p, rel)) {
		note_missing(im, rel);
		return PIC_MISSING;
	}
	if (!c && !(c = import_attach_find(&im->pics, rel, 1)))
		return PIC_REFUSED;
	char err[512];
	struct media_input in;
	const char *path = pool_printf(p, "%s/%s", im->o->uploads, rel);
	long av_limit = im->o->av_limit > 0 ? im->o->av_limit : MEDIA_AV_LIMIT_DEFAULT;
	if (av ? media_read_any(p, path, av_limit, &in, err, sizeof err)
	       : media_read(p, path, &in, err, sizeof err)) {
		c->media_id = -1;
		import_warn(im, "%s: not taken into the library: %s", rel, err);
		return PIC_REFUSED;
	}
	if (store_media_by_hash(im->st, p, in.hash, m) == STORE_OK) {
		c->media_id = m->id;
		im->lib_known++;
		return PIC_FOUND;
	}
	if (im->o->dry_run) { /* counted as it would be added, made never */
		c->media_id = MEDIA_ID_DRY;
		if (strstr(buf_str(&im->made), in.hash))
			im->lib_known++; /* the same bytes under another name */
		else {
			buf_printf(&im->made, "%s\n", in.hash);
			im->lib_added++;
			im->lib_av_added += in.kind != MEDIA_KIND_PICTURE;
		}
		return PIC_DRY;
	}
	struct media_made made;
	if (media_make(p, im->site_dir, &in, &made, err, sizeof err)) {
		c->media_id = -1;
		import_warn(im, "%s: not taken into the library: %s", rel, err);
		return PIC_REFUSED;
	}
	*m = (struct media_record){
		.hash = pool_strdup(p, in.hash), .name = in.name, .mime = in.mime, .ext = in.ext,
		.width = made.width, .height = made.height, .bytes = (long long)in.len,
		.alt = c->alt && *c->alt ? c->alt : alt ? alt : "",
		.caption = c->caption && *c->caption ? c->caption : caption ? caption : "",
		.credit = "", .focal_x = 0.5, .focal_y = 0.5,
		.variants = media_variants_text(p, &made), .formats = media_formats_text(p, made.formats),
	};
	int added;
	if (store_media_add(im->st, p, m, &added) != STORE_OK) {
		c->media_id = -1;
		import_warn(im, "%s: not added to the library: %s", rel, store_errmsg(im->st));
		media_remove(p, im->site_dir, in.hash, in.ext, &made);
		return PIC_REFUSED;
	}
	c->media_id = m->id;
	if (!added) { /* recorded by another taker meanwhile: its files */
		im->lib_known++;
		return PIC_FOUND;
	}
	/* removed again if the import does not commit (import_pictures_discard) */
	buf_printf(&im->made, "%s\t%s\t%s\t%s\n", in.hash, in.ext, m->variants, m->formats);
	im->lib_added++;
	im->lib_av_added += in.kind != MEDIA_KIND_PICTURE;
	im->changed = 1;
	return PIC_FOUND;
}

static enum pic picture(struct imp *im, struct pool *p, const char *rel, const char *alt,
			const char *caption, struct media_record *m)
{
	return take(im, p, rel, alt, caption, 0, m);
}

int import_attach_library(struct imp *im, struct pool *p, const char *rel, long long *id)
{
	struct media_record m;
	enum pic r = take(im, p, rel, NULL, NULL, !import_is_picture(rel), &m);
	*id = r == PIC_FOUND ? m.id : 0;
	return r == PIC_FOUND || r == PIC_DRY ? 0 : -1;
}

static void count(struct imp *im, enum media_kind k, enum pic r)
{
	im->media[k][r == PIC_FOUND || r == PIC_DRY ? MF_FOUND
		     : r == PIC_MISSING		    ? MF_MISSING
						    : MF_UNSUPPORTED]++;
}

/* Keeps html (a figure) for after the sanitizer; writes its placeholder. */
static void place(struct imp *im, struct placed *pl, struct buf *out, const struct buf *html)
{
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 8;
		char **v = realloc(pl->html, cap * sizeof *v);
		if (!v)
			return;
		pl->html = v;
		pl->cap = cap;
	}
	pl->html[pl->n] = strdup(buf_str(html));
	buf_printf(out, "<div class=\"gzm-%s-%zu\"></div>", im->nonce, pl->n);
	pl->n++;
}

static void place_figure(struct imp *im, struct placed *pl, struct buf *out,
			 const struct media_record *m, const char *alt, const char *caption)
{
	struct buf f;
	buf_init(&f, 0);
	figure_html(&f, m, alt, caption, NULL, 0);
	place(im, pl, out, &f);
	buf_release(&f);
}

void import_pictures_fill(struct imp *im, struct placed *pl, const char *html, struct buf *out)
{
	char pre[48];
	int pn = snprintf(pre, sizeof pre, "<div class=\"gzm-%s-", im->nonce);
	for (const char *s = html, *m; ; s = m) {
		m = strstr(s, pre);
		if (!m) {
			buf_puts(out, s);
			break;
		}
		buf_add(out, s, (size_t)(m - s));
		char *end;
		unsigned long k = strtoul(m + pn, &end, 10);
		if (strncmp(end, "\"></div>", 8) != 0 || k >= pl->n) {
			buf_add(out, m, (size_t)pn);
			m += pn;
			continue;
		}
		buf_puts(out, pl->html[k] ? pl->html[k] : "");
		m = end + 8;
	}
	for (size_t i = 0; i < pl->n; i++)
		free(pl->html[i]);
	free(pl->html);
	memset(pl, 0, sizeof *pl);
}

/* ---------------------------------------------------------------- forms */

/* An <img> tag's picture: PIC_* with m filled when found; unsupported
 * when it is not a file of the old site's uploads. */
static enum pic img_picture(struct imp *im, struct pool *p, const char *tag, size_t n,
			    const char *caption, struct media_record *m, const char **alt)
{
	*alt = tag_attr(p, tag, n, "alt");
	const char *rel = uploads_rel(im, p, tag_attr(p, tag, n, "src"));
	return rel ? picture(im, p, rel, *alt, caption, m) : PIC_REFUSED;
}

int import_pictures_caption(struct imp *im, struct placed *pl, struct buf *out, const char *img,
			    const char *caption)
{
	struct pool *p = pool_new();
	struct media_record m;
	const char *alt;
	const char *cap = text_of(p, caption, strlen(caption));
	enum pic r = img ? img_picture(im, p, img, strlen(img), cap, &m, &alt) : PIC_REFUSED;
	count(im, MK_CAPTION, r);
	if (r == PIC_FOUND)
		place_figure(im, pl, out, &m, alt ? alt : "", cap);
	pool_free(p);
	/* a dry run writes nothing (the body is not kept) but counts as a real one */
	return r == PIC_FOUND || r == PIC_DRY ? 0 : -1;
}

/* Appends a to v (n of cap slots), doubling it from the pool when full. */
static void push(struct pool *p, struct attach ***v, size_t *n, size_t *cap, struct attach *a)
{
	if (*n == *cap) {
		struct attach **nv = pool_alloc(p, *cap * 2 * sizeof *nv);
		memcpy(nv, *v, *n * sizeof **v);
		*v = nv;
		*cap *= 2;
	}
	(*v)[(*n)++] = a;
}

/* A gallery's attachments: those named (ids, in that order) or the
 * post's children in menu order. */
static size_t gallery_ids(struct imp *im, struct pool *p, const char *ids, struct attach ***out)
{
	size_t n = 0, cap = 16;
	struct attach **v = pool_alloc(p, cap * sizeof *v);
	if (ids) {
		char id[24];
		for (const char *s = ids; *s;) {
			size_t k = 0;
			while (*s && *s != ',') {
				if (*s != ' ' && k < sizeof id - 1)
					id[k++] = *s;
				s++;
			}
			id[k] = '\0';
			s += *s == ',';
			struct attach *a = k ? import_attach_find(&im->att, id, 0) : NULL;
			if (!a)
				continue;
			push(p, &v, &n, &cap, a);
		}
	} else {
		for (size_t i = 0; i < im->att.cap; i++) {
			struct attach *a = &im->att.v[i];
			if (!a->id || !a->parent || !im->post_id || strcmp(a->parent, im->post_id) != 0 ||
			    !a->url || !import_is_picture(a->url))
				continue;
			push(p, &v, &n, &cap, a);
		}
		for (size_t i = 1; i < n; i++) /* menu_order, then ID, as WordPress sorts */
			for (size_t k = i; k > 0; k--) {
				struct attach *x = v[k - 1], *y = v[k];
				long long xi = atoll(x->id), yi = atoll(y->id);
				if (x->order < y->order || (x->order == y->order && xi <= yi))
					break;
				v[k - 1] = y;
				v[k] = x;
			}
	}
	*out = v;
	return n;
}

/* Writes a gallery of the pictures at rels (with alts and captions) when
 * at least one is found; the missing ones are counted and listed. */
static int gallery_of(struct imp *im, struct pool *p, struct placed *pl, struct buf *out,
		      const char *const *rels, const char *const *alts, const char *const *caps,
		      size_t n)
{
	struct media_record *ms = pool_alloc(p, (n + 1) * sizeof *ms);
	size_t found = 0, dry = 0;
	enum pic *rs = pool_alloc(p, (n + 1) * sizeof *rs);
	for (size_t i = 0; i < n; i++) {
		rs[i] = rels[i] ? picture(im, p, rels[i], alts[i], caps[i], &ms[found]) : PIC_REFUSED;
		dry += rs[i] == PIC_DRY;
		if (rs[i] == PIC_FOUND) {
			if (alts[i] && *alts[i])
				ms[found].alt = alts[i];
			if (caps[i] && *caps[i])
				ms[found].caption = caps[i];
			found++;
		}
	}
	if (!found && !dry) {
		count(im, MK_GALLERY, PIC_MISSING);
		return -1; /* the images stay as they were, counted as body images */
	}
	for (size_t i = 0; i < n; i++)
		count(im, MK_GALLERY_IMG, rs[i]);
	count(im, MK_GALLERY, PIC_FOUND);
	if (!found)
		return 0; /* a dry run: counted, nothing written */
	struct buf g;
	buf_init(&g, 0);
	gallery_html(&g, ms, found, NULL, 0);
	place(im, pl, out, &g);
	buf_release(&g);
	return 0;
}

int import_pictures_gallery(struct imp *im, struct placed *pl, struct buf *out, const char *ids)
{
	struct pool *p = pool_new();
	struct attach **v;
	size_t n = gallery_ids(im, p, ids, &v);
	const char **rels = pool_alloc(p, (n + 1) * sizeof *rels);
	const char **alts = pool_alloc(p, (n + 1) * sizeof *alts);
	const char **caps = pool_alloc(p, (n + 1) * sizeof *caps);
	for (size_t i = 0; i < n; i++) {
		rels[i] = uploads_rel(im, p, v[i]->url);
		alts[i] = v[i]->alt;
		caps[i] = v[i]->caption;
	}
	int rc = gallery_of(im, p, pl, out, rels, alts, caps, n);
	pool_free(p);
	return rc;
}

static void player(struct imp *im, struct buf *out, int video, const char *src, int bare);

int import_pictures_player(struct imp *im, struct buf *out, int video, const char *src)
{
	player(im, out, video, src, 0);
	return 0;
}

/* The player of a file found in --uploads, taken into the library
 * (figure.c writes it: <figure class="audio|video"> with a preload="none"
 * player; bare: the player alone, inside the figure a block already has),
 * or a link to where the file was. */
static void player(struct imp *im, struct buf *out, int video, const char *src, int bare)
{
	struct pool *p = pool_new();
	const char *rel = uploads_rel(im, p, src);
	struct media_record m;
	enum pic r = !rel ? PIC_REFUSED : take(im, p, rel, NULL, NULL, 1, &m);
	if (r == PIC_FOUND && !figure_is_player(&m)) {
		import_warn(im, "%s: a picture where %s was expected: linked", rel,
			    video ? "a video" : "audio");
		r = PIC_REFUSED;
	}
	count(im, video ? MK_VIDEO : MK_AUDIO, r);
	if (r == PIC_FOUND) {
		figure_html(out, &m, NULL, NULL, NULL, bare ? FIGURE_INLINE : 0);
	} else if (src && *src) { /* a link to where it was (and in a dry run) */
		buf_puts(out, bare ? "<a href=\"" : "<p><a href=\"");
		html_attr(out, src);
		buf_puts(out, "\">");
		html_text(out, src);
		buf_puts(out, bare ? "</a>" : "</a></p>");
	}
	pool_free(p);
}

/* ---------------------------------------------------------------- blocks */

/* <!-- wp:image --> with its alt and figcaption: a figure when found. */
static int block_image(struct imp *im, struct pool *p, struct placed *pl, struct buf *out,
		       const char *in, size_t n)
{
	const char *img = strstr(in, "<img"), *gt = img ? strchr(img, '>') : NULL;
	if (!gt || gt > in + n)
		return -1;
	const char *cb, *ce;
	const char *cap = element(in, n, "figcaption", &cb, &ce) ? text_of(p, cb, (size_t)(ce - cb)) : "";
	struct media_record m;
	const char *alt;
	enum pic r = img_picture(im, p, img, (size_t)(gt + 1 - img), cap, &m, &alt);
	if (r != PIC_FOUND)
		return -1; /* left as it is: the tag pass counts it */
	count(im, MK_BODY, r);
	place_figure(im, pl, out, &m, alt ? alt : "", cap);
	return 0;
}

/* <!-- wp:gallery -->: its images in order, each with its figcaption. */
static int block_gallery(struct imp *im, struct pool *p, struct placed *pl, struct buf *out,
			 const char *in, size_t n)
{
	size_t cap = 64, k = 0;
	const char **rels = pool_alloc(p, cap * sizeof *rels);
	const char **alts = pool_alloc(p, cap * sizeof *alts);
	const char **caps = pool_alloc(p, cap * sizeof *caps);
	const char *end = in + n;
	for (const char *img = in; k < cap && (img = strstr(img, "<img")) && img < end; img++) {
		const char *gt = strchr(img, '>');
		if (!gt || gt > end)
			break;
		size_t tl = (size_t)(gt + 1 - img);
		rels[k] = uploads_rel(im, p, tag_attr(p, img, tl, "src"));
		alts[k] = tag_attr(p, img, tl, "alt");
		const char *next = strstr(gt, "<img"), *cb, *ce;
		size_t span = (size_t)((next && next < end ? next : end) - gt);
		caps[k] = element(gt, span, "figcaption", &cb, &ce) ? text_of(p, cb, (size_t)(ce - cb)) : "";
		k++;
	}
	return gallery_of(im, p, pl, out, rels, alts, caps, k);
}

/* <!-- wp:cover {"url":...} -->: the background as a figure, the inner
 * text as paragraphs after it. */
static int block_cover(struct imp *im, struct pool *p, struct placed *pl, struct buf *out,
		       const char *json, size_t jn, const char *in, size_t n)
{
	const char *url = json_str(p, json, jn, "url"), *alt = json_str(p, json, jn, "alt");
	const char *rel = uploads_rel(im, p, url);
	struct media_record m;
	enum pic r = !url ? PIC_REFUSED : rel ? picture(im, p, rel, alt, "", &m) : PIC_REFUSED;
	count(im, MK_COVER, r);
	if (r == PIC_FOUND)
		place_figure(im, pl, out, &m, alt ? alt : "", "");
	else if (url && r != PIC_DRY && !(r == PIC_MISSING && im->o->uploads))
		import_media_keep_url(im, url);
	/* the text: without the background picture's own tags */
	const char *cb = in, *ic = strstr(in, "wp-block-cover__inner-container");
	if (ic && ic < in + n && strchr(ic, '>') && strchr(ic, '>') < in + n)
		cb = strchr(ic, '>') + 1;
	const char *text = text_of(p, cb, (size_t)(in + n - cb));
	for (const char *t = text; *t;) {
		const char *e = strstr(t, "\n\n");
		size_t len = e ? (size_t)(e - t) : strlen(t);
		buf_puts(out, "<p>");
		struct buf line;
		buf_init(&line, 0);
		buf_add(&line, t, len);
		html_text(out, buf_str(&line));
		buf_release(&line);
		buf_puts(out, "</p>");
		t += len;
		while (*t == '\n')
			t++;
	}
	return 0;
}

void import_pictures_blocks(struct imp *im, struct placed *pl, const char *html, struct buf *out)
{
	static const char *const names[] = { "image", "gallery", "cover" };
	const char *s = html;
	int unclosed[3] = { 0, 0, 0 }; /* no closing comment of that name from here on */
	for (const char *c; (c = strstr(s, "<!-- wp:"));) {
		const char *name = c + 8;
		int k = -1;
		for (int i = 0; i < 3; i++) {
			size_t nl = strlen(names[i]);
			if (strncmp(name, names[i], nl) == 0 && (name[nl] == ' ' || name[nl] == '-'))
				k = i;
		}
		const char *head_end = strstr(c, "-->");
		char close[32];
		snprintf(close, sizeof close, "<!-- /wp:%s -->", k >= 0 ? names[k] : "");
		const char *cl = k >= 0 && head_end && !unclosed[k] ? strstr(head_end, close) : NULL;
		if (!cl) {
			if (k >= 0)
				unclosed[k] = 1; /* none later either: no second search */
			buf_add(out, s, (size_t)(name - s));
			s = name;
			continue;
		}
		const char *in = head_end + 3, *json = name + strlen(names[k]);
		size_t n = (size_t)(cl - in), jn = (size_t)(head_end - json);
		struct pool *p = pool_new();
		struct buf b;
		buf_init(&b, 0);
		int rc = k == 0   ? block_image(im, p, pl, &b, in, n)
			 : k == 1 ? block_gallery(im, p, pl, &b, in, n)
				  : block_cover(im, p, pl, &b, json, jn, in, n);
		pool_free(p);
		if (rc == 0) {
			buf_add(out, s, (size_t)(c - s));
			buf_puts(out, buf_str(&b));
			s = cl + strlen(close);
		} else {
			buf_add(out, s, (size_t)(in - s));
			s = in;
		}
		buf_release(&b);
	}
	buf_puts(out, s);
}

/* ---------------------------------------------------------------- tags */

/* Where <tag ...> at t ends with its element (</audio>): NULL if unclosed. */
static const char *element_end(const char *t, const char *name)
{
	char close[16];
	snprintf(close, sizeof close, "</%s>", name);
	const char *e = strstr(t, close);
	return e ? e + strlen(close) : NULL;
}

/* An <img> of the uploads: a figure (the link around it goes: the figure
 * has its own full-size view); any other is left and counted. */
static const char *tag_img(struct imp *im, struct pool *p, struct placed *pl, struct buf *out,
			   const char *s, const char *t)
{
	const char *gt = strchr(t, '>');
	if (!gt)
		return NULL;
	size_t tl = (size_t)(gt + 1 - t);
	const char *cls = tag_attr(p, t, tl, "class");
	const char *src = tag_attr(p, t, tl, "src");
	if (cls && strstr(cls, "wp-block-cover__image-background")) /* counted as a cover */
		return NULL;
	if (!src || !*src || strncmp(src, "data:", 5) == 0 || strstr(src, "/media/") == src)
		return NULL;
	struct media_record m;
	const char *alt;
	enum pic r = img_picture(im, p, t, tl, "", &m, &alt);
	count(im, MK_BODY, r);
	if (r != PIC_FOUND)
		return NULL;
	/* a link right around it goes with it */
	const char *from = t, *to = gt + 1;
	const char *a = t;
	while (a > s && str_is_xml_space(a[-1]))
		a--;
	const char *ao = a > s ? a - 1 : a;
	while (ao > s && *ao != '<')
		ao--;
	const char *after = to;
	while (str_is_xml_space(*after))
		after++;
	if (a > s && a[-1] == '>' && strncmp(ao, "<a ", 3) == 0 && strncmp(after, "</a>", 4) == 0) {
		from = ao;
		to = after + 4;
	}
	/* [from, t) was the last thing copied to out, unless out is full */
	if (out->err || (size_t)(t - from) > out->len)
		return NULL;
	out->len -= (size_t)(t - from);
	out->s[out->len] = '\0';
	place_figure(im, pl, out, &m, alt ? alt : "", "");
	return to;
}

static const char *tag_player(struct imp *im, struct pool *p, struct buf *out, const char *t,
			      int video)
{
	const char *name = video ? "video" : "audio";
	const char *gt = strchr(t, '>'), *end = element_end(t, name);
	if (!gt || !end)
		return NULL;
	const char *src = tag_attr(p, t, (size_t)(gt + 1 - t), "src");
	const char *so = strstr(gt, "<source");
	if (!src && so && so < end) {
		const char *sg = strchr(so, '>');
		src = sg ? tag_attr(p, so, (size_t)(sg + 1 - so), "src") : NULL;
	}
	if (src && strncmp(src, "/media/", 7) == 0)
		return NULL; /* ours already */
	player(im, out, video, src ? src : "", 1);
	return end;
}

void import_pictures_tags(struct imp *im, struct placed *pl, const char *html, struct buf *out)
{
	const char *s = html;
	for (const char *t = s; (t = strchr(t, '<'));) {
		int img = strncmp(t, "<img", 4) == 0 && str_is_xml_space(t[4]);
		int audio = strncmp(t, "<audio", 6) == 0 && (t[6] == '>' || str_is_xml_space(t[6]));
		int video = strncmp(t, "<video", 6) == 0 && (t[6] == '>' || str_is_xml_space(t[6]));
		if (!img && !audio && !video) {
			t++;
			continue;
		}
		buf_add(out, s, (size_t)(t - s));
		const char *flushed = s; /* [flushed, t) ends out: a link around an img may go */
		s = t;
		struct pool *p = pool_new();
		const char *next = img ? tag_img(im, p, pl, out, flushed, t) : tag_player(im, p, out, t, video);
		pool_free(p);
		if (next)
			s = t = next;
		else
			t++;
	}
	buf_puts(out, s);
}

/* ---------------------------------------------------------------- embeds */

static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;
	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

/* 1 when url is a known provider's (embed.h): it becomes a facade. */
static int embeds(const char *url, size_t n)
{
	struct embed_match m;
	const char *u = url;
	str_trim(&u, &n, str_is_xml_space);
	return n && n <= EMBED_URL_MAX && embed_match(u, n, &m);
}

/* Counts what the post asked to embed and the facades it got: [embed],
 * embed blocks and iframes of no known provider are not supported (they
 * stay links); every facade written (bare URLs included) is found. */
void import_pictures_embeds(struct imp *im, const char *in, const char *out)
{
	im->media[MK_EMBED][MF_FOUND] += occurrences(out, "data-embed-url=");
	for (const char *s = in; (s = strstr(s, "[embed")); s++) {
		const char *b = strchr(s, ']'), *e = b ? strstr(b, "[/embed]") : NULL;
		if (e && !embeds(b + 1, (size_t)(e - b - 1)))
			im->media[MK_EMBED][MF_UNSUPPORTED]++;
	}
	for (const char *s = in; (s = strstr(s, "<!-- wp:embed {")); s++) {
		const char *end = strstr(s, "-->");
		struct pool *p = pool_new();
		const char *url = end ? json_str(p, s, (size_t)(end - s), "url") : NULL;
		if (url && !embeds(url, strlen(url)))
			im->media[MK_EMBED][MF_UNSUPPORTED]++;
		pool_free(p);
	}
	for (const char *s = in; (s = strstr(s, "<iframe")); s++) {
		const char *gt = strchr(s, '>');
		struct pool *p = pool_new();
		const char *src = gt ? tag_attr(p, s, (size_t)(gt + 1 - s), "src") : NULL;
		if (!src || !embeds(src, strlen(src)))
			im->media[MK_EMBED][MF_UNSUPPORTED]++;
		pool_free(p);
	}
}

/* ---------------------------------------------------------------- featured */

int import_pictures_featured(struct imp *im, struct pool *p, const struct wxr_item *it,
			     long long story_id)
{
	const char *thumb = NULL;
	for (size_t i = 0; i < it->nmeta; i++)
		if (strcmp(it->meta[i].key, "_thumbnail_id") == 0 && *it->meta[i].value)
			thumb = it->meta[i].value;
	if (!thumb)
		return 0;
	struct attach *a = import_attach_find(&im->att, thumb, 0);
	const char *rel = a ? uploads_rel(im, p, a->url) : NULL;
	struct media_record m;
	enum pic r = rel ? picture(im, p, rel, a->alt, a->caption, &m) : PIC_MISSING;
	if (!a)
		import_warn(im, "post %s: featured image %s is not in the export", it->post_id, thumb);
	count(im, MK_FEATURED, r);
	if (r != PIC_FOUND)
		return 0;
	/* the largest JPEG up to 1280 wide is what the featured image
	 * fields hold, beside the record's id, as the editor does */
	struct media_file f;
	if (media_jpeg_upto(p, im->o->media_dir, m.hash, m.variants, m.formats, MEDIA_FEATURED_WIDTH,
			    &f))
		return 0;
	if (store_import_story_image(im->st, story_id, f.path, f.width, f.height, f.bytes, m.id)) {
		snprintf(im->err, im->errlen, "featured image: %s", store_errmsg(im->st));
		im->failed = 1;
		return -1;
	}
	return 0;
}

void import_pictures_discard(struct imp *im)
{
	struct pool *p = pool_new();
	for (const char *s = buf_str(&im->made); *s;) {
		const char *nl = strchr(s, '\n');
		if (!nl)
			break;
		char *f[4] = { pool_strndup(p, s, (size_t)(nl - s)), NULL, NULL, NULL };
		for (int i = 1; i < 4 && f[i - 1]; i++) {
			f[i] = strchr(f[i - 1], '\t');
			if (f[i])
				*f[i]++ = '\0';
		}
		const char *hash = f[0], *ext = f[1], *variants = f[2], *formats = f[3];
		struct media_made mm;
		/* no variants: an audio or video file (media_remove takes HASH.EXT) */
		if (hash && ext && variants && formats &&
		    (!media_variants_parse(variants, formats, &mm) || !*variants))
			media_remove(p, im->site_dir, hash, ext, &mm);
		s = nl + 1;
	}
	pool_free(p);
}
