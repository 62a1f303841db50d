/*
 * figure: library pictures as HTML (see figure.h). The record's variant
 * list ("320x213 640x427 ...") and format list ("webp jpg avif") say which
 * files exist; every srcset lists all widths of one format, the <img>
 * falls back to JPEG (or the first format the record has), and the
 * <source> elements come first in the order browsers should prefer:
 * AVIF, then WebP.
 *
 * The one design decision: width and height come from the record (the
 * upright original), so every variant, being the same picture scaled, has
 * the aspect ratio the browser reserves before any byte arrives.
 */
#include "figure.h"
#include "media.h"
#include "../content/markdown.h"
#include "../render/escape.h"
#include "../store/store_media.h"
#include "../util/pool.h"

#include <string.h>

static const enum media_format source_order[] = { MEDIA_AVIF, MEDIA_WEBP };

static int has_format(const struct media_made *mm, enum media_format f)
{
	return (mm->formats & (1u << f)) != 0;
}

/* The format of the <img>: JPEG when there is one (every browser shows
 * it), else WebP, else AVIF. */
static enum media_format img_format(const struct media_made *mm)
{
	if (has_format(mm, MEDIA_JPEG))
		return MEDIA_JPEG;
	return has_format(mm, MEDIA_WEBP) ? MEDIA_WEBP : MEDIA_AVIF;
}

/* /media/HASH-WIDTH.EXT, escaped for an attribute. */
static void variant_url(struct buf *out, const char *hash, int width, enum media_format f)
{
	html_raw(out, "/media/");
	html_attr(out, hash);
	buf_putc(out, '-');
	buf_put_int(out, width);
	buf_putc(out, '.');
	html_raw(out, media_format_ext(f));
}

/* What one <img> (and its <source>s) lists and says. */
struct pic {
	size_t upto;       /* variants [0, upto) */
	int w, h;          /* its width and height attributes */
	int num, den;      /* width descriptors: each variant's width x num / den */
	const char *cls;   /* its class, or NULL */
	int fx, fy;        /* focal classes fx-N fy-N, or -1 for none */
};

/* "URL 320w, URL 640w" for the variants p lists of format f. */
static void srcset(struct buf *out, const char *hash, const struct media_made *mm,
		   const struct pic *pc, enum media_format f)
{
	for (size_t i = 0; i < pc->upto; i++) {
		if (i)
			html_raw(out, ", ");
		variant_url(out, hash, mm->v[i].width, f);
		long long d = ((long long)mm->v[i].width * pc->num + pc->den / 2) / pc->den;
		buf_putc(out, ' ');
		buf_put_int(out, d > 0 ? d : 1);
		buf_putc(out, 'w');
	}
}

static const char *or_default(const char *s, const char *dflt)
{
	return s ? s : dflt ? dflt : "";
}

/* The record's size upright; its largest variant's when the record has none. */
static void picture_size(const struct media_record *m, const struct media_made *mm, int *w, int *h)
{
	*w = m->width > 0 && m->height > 0 ? m->width : mm->width;
	*h = m->width > 0 && m->height > 0 ? m->height : mm->height;
}

/* A whole picture's <img>: its own size, every width as it is. */
static struct pic whole(const struct media_record *m, const struct media_made *mm, size_t upto,
			const char *cls)
{
	struct pic pc = { .upto = upto, .num = 1, .den = 1, .cls = cls, .fx = -1, .fy = -1 };
	picture_size(m, mm, &pc.w, &pc.h);
	return pc;
}

/* The attributes every picture's <img> ends with: its size, alt text and
 * loading (the lead eager and first, every other one lazy). */
static void img_end(struct buf *out, int w, int h, const char *alt, unsigned flags)
{
	if (w > 0 && h > 0) {
		html_raw(out, " width=\"");
		buf_put_int(out, w);
		html_raw(out, "\" height=\"");
		buf_put_int(out, h);
		buf_putc(out, '"');
	}
	html_raw(out, " alt=\"");
	html_attr(out, alt);
	html_raw(out, "\" decoding=\"async\"");
	html_raw(out, flags & FIGURE_LEAD ? " fetchpriority=\"high\">" : " loading=\"lazy\">");
}

static void img_tag(struct buf *out, const struct media_record *m, const struct media_made *mm,
		    const struct pic *pc, const char *alt, const char *sizes, unsigned flags)
{
	enum media_format f = img_format(mm);
	html_raw(out, "<img");
	if (pc->cls) {
		html_raw(out, " class=\"");
		html_raw(out, pc->cls);
		if (pc->fx >= 0) {
			html_raw(out, " fx-");
			buf_put_int(out, pc->fx);
			html_raw(out, " fy-");
			buf_put_int(out, pc->fy);
		}
		html_raw(out, "\"");
	}
	html_raw(out, " src=\"");
	variant_url(out, m->hash, mm->v[pc->upto / 2].width, f);
	html_raw(out, "\" srcset=\"");
	srcset(out, m->hash, mm, pc, f);
	html_raw(out, "\" sizes=\"");
	html_attr(out, sizes);
	html_raw(out, "\"");
	img_end(out, pc->w, pc->h, alt, flags);
}

static void picture(struct buf *out, const struct media_record *m, const struct media_made *mm,
		    const struct pic *pc, const char *alt, const char *sizes, unsigned flags)
{
	html_raw(out, pc->fx >= 0 ? "<picture class=\"card-pic\">" : "<picture>");
	for (size_t i = 0; i < sizeof source_order / sizeof source_order[0]; i++) {
		enum media_format f = source_order[i];
		if (!has_format(mm, f) || f == img_format(mm))
			continue;
		html_raw(out, "<source type=\"");
		html_raw(out, media_format_mime(f));
		html_raw(out, "\" srcset=\"");
		srcset(out, m->hash, mm, pc, f);
		html_raw(out, "\" sizes=\"");
		html_attr(out, sizes);
		html_raw(out, "\">");
	}
	img_tag(out, m, mm, pc, alt, sizes, flags);
	html_raw(out, "</picture>");
}

static void figcaption(struct buf *out, const char *caption, const char *credit)
{
	if (!*caption && !*credit)
		return;
	html_raw(out, "<figcaption>");
	html_text(out, caption);
	if (*credit) {
		html_raw(out, *caption ? " <span class=\"credit\">" : "<span class=\"credit\">");
		html_text(out, credit);
		html_raw(out, "</span>");
	}
	html_raw(out, "</figcaption>");
}

void figure_missing_html(struct buf *out, const char *alt)
{
	markdown_media_missing(out, alt);
}

/* Parses m's lists into mm; writes the missing marker and returns -1 when
 * they do not name one file. */
static int parse(struct buf *out, const struct media_record *m, const char *alt,
		 struct media_made *mm)
{
	if (m->hash && media_variants_parse(m->variants, m->formats, mm) == 0)
		return 0;
	figure_missing_html(out, or_default(alt, m->alt));
	return -1;
}

/* The inline form: the variants no wider than the second (two widths
 * cover a small picture at 1x and 2x). */
static void inline_img(struct buf *out, const struct media_record *m, const struct media_made *mm,
		       const char *alt, const char *sizes, unsigned flags)
{
	struct pic pc = whole(m, mm, mm->nv < 2 ? mm->nv : 2, "media-inline");
	img_tag(out, m, mm, &pc, alt, or_default(sizes, INLINE_SIZES), flags);
}

/* ---- audio and video ---- */

/* <audio>/<video> of m's one file, with a link to it inside for browsers
 * that play neither. preload="none": nothing is fetched until the reader
 * presses play. The title (alt) names the player for screen readers. */
static void player(struct buf *out, const struct media_record *m, const char *title, int video)
{
	const char *el = video ? "video" : "audio";
	buf_printf(out, "<%s controls preload=\"none\" src=\"/media/", el);
	html_attr(out, m->hash);
	html_raw(out, ".");
	html_attr(out, m->ext);
	html_raw(out, "\"");
	if (*title) {
		html_raw(out, " title=\"");
		html_attr(out, title);
		html_raw(out, "\"");
	}
	html_raw(out, "><a href=\"/media/");
	html_attr(out, m->hash);
	html_raw(out, ".");
	html_attr(out, m->ext);
	html_raw(out, "\">");
	html_text(out, *title ? title : m->name);
	buf_printf(out, "</a></%s>", el);
}

/* An audio or video record: <figure class="audio|video"> (FIGURE_INLINE:
 * the bare player, which HTML allows inside a sentence). */
static void av_figure(struct buf *out, const struct media_record *m, const char *title,
		      const char *caption, unsigned flags)
{
	int video = media_kind_of(m->mime) == MEDIA_KIND_VIDEO;
	if (!m->hash || !m->ext || strspn(m->ext, "abcdefghijklmnopqrstuvwxyz0123456789") !=
					   strlen(m->ext)) {
		figure_missing_html(out, title);
		return;
	}
	if (flags & FIGURE_INLINE) {
		player(out, m, title, video);
		return;
	}
	buf_printf(out, "<figure class=\"%s\">", video ? "video" : "audio");
	if (video)
		html_raw(out, "<div class=\"video-box\">");
	player(out, m, title, video);
	if (video)
		html_raw(out, "</div>");
	figcaption(out, caption, or_default(m->credit, NULL));
	html_raw(out, "</figure>");
}

int figure_is_player(const struct media_record *m)
{
	return media_kind_of(m->mime) != MEDIA_KIND_PICTURE;
}

void figure_html(struct buf *out, const struct media_record *m, const char *alt, const char *caption,
		 const char *sizes, unsigned flags)
{
	struct media_made mm;
	if (figure_is_player(m)) {
		av_figure(out, m, or_default(alt, m->alt), or_default(caption, m->caption), flags);
		return;
	}
	if (parse(out, m, alt, &mm) < 0)
		return;
	alt = or_default(alt, m->alt);
	if (flags & FIGURE_INLINE) {
		inline_img(out, m, &mm, alt, sizes, flags);
		return;
	}
	struct pic pc = whole(m, &mm, mm.nv, NULL);
	html_raw(out, flags & FIGURE_FEATURED ? "<figure class=\"figure featured\">"
					      : "<figure class=\"figure\">");
	picture(out, m, &mm, &pc, alt, or_default(sizes, FIGURE_SIZES), flags);
	figcaption(out, or_default(caption, m->caption), or_default(m->credit, NULL));
	html_raw(out, "</figure>");
}

/* ---- cards ---- */

static int focal_step(double v)
{
	int n = (int)(v * CARD_FOCAL_STEPS + 0.5);
	return n < 0 ? 0 : n > CARD_FOCAL_STEPS ? CARD_FOCAL_STEPS : n;
}

/* The largest CARD_RATIO box inside a w x h picture: a wider picture
 * loses its sides, a taller one its top and bottom. */
static void card_box(int w, int h, int *bw, int *bh)
{
	if ((long long)w * CARD_RATIO_H > (long long)h * CARD_RATIO_W) {
		*bh = h;
		*bw = (int)(((long long)h * CARD_RATIO_W + CARD_RATIO_H / 2) / CARD_RATIO_H);
	} else {
		*bw = w;
		*bh = (int)(((long long)w * CARD_RATIO_H + CARD_RATIO_W / 2) / CARD_RATIO_W);
	}
	if (*bw < 1)
		*bw = 1;
	if (*bh < 1)
		*bh = 1;
}

int figure_card_html(struct buf *out, const struct media_record *m, const char *alt,
		     const char *sizes, int max_width, unsigned flags)
{
	struct media_made mm;
	if (!m->hash || media_variants_parse(m->variants, m->formats, &mm) || !mm.nv)
		return -1;
	int w, h;
	picture_size(m, &mm, &w, &h);
	struct pic pc = { .upto = media_pick(&mm, max_width) + 1, .cls = "card-img",
			  .fx = focal_step(m->focal_x), .fy = focal_step(m->focal_y) };
	card_box(w, h, &pc.w, &pc.h);
	/* a variant's visible part is its width times the crop's share */
	pc.num = pc.w;
	pc.den = w > 0 ? w : 1;
	picture(out, m, &mm, &pc, or_default(alt, m->alt), sizes, flags);
	return 0;
}

void figure_card_jpeg_html(struct buf *out, const char *url, int width, int height,
			   const char *alt, unsigned flags)
{
	html_raw(out, "<img class=\"card-img\" src=\"");
	html_attr(out, url);
	html_raw(out, "\"");
	img_end(out, width, height, or_default(alt, NULL), flags);
}

/* The full-size view of one gallery picture: hidden until its id is the
 * page's :target; its picture is sized for the whole window (the widest
 * variant only where the screen needs it) and lazy, so a hidden view costs
 * nothing where lazy loading works (browsers load lazy pictures at once
 * when JavaScript is off). */
static void lightbox(struct buf *out, const struct media_record *m, const struct media_made *mm,
		     long long gallery_id)
{
	buf_printf(out, "<div class=\"lightbox\" id=\"gz-media-%lld\">", m->id);
	buf_printf(out, "<a class=\"lightbox-close\" href=\"#gz-gallery-%lld\">Close</a>",
		   gallery_id);
	struct pic pc = whole(m, mm, mm->nv, NULL);
	picture(out, m, mm, &pc, or_default(m->alt, NULL), LIGHTBOX_SIZES, 0);
	html_raw(out, "</div>");
}

void gallery_html(struct buf *out, const struct media_record *ms, size_t n, const char *sizes,
		  unsigned flags)
{
	if (!n)
		return;
	sizes = or_default(sizes, GALLERY_SIZES);
	buf_printf(out, "<div class=\"gallery\" id=\"gz-gallery-%lld\">", ms[0].id);
	for (size_t i = 0; i < n; i++) {
		const struct media_record *m = &ms[i];
		struct media_made mm;
		if (parse(out, m, NULL, &mm) < 0)
			continue;
		html_raw(out, "<figure class=\"figure\">");
		buf_printf(out, "<a class=\"gallery-link\" href=\"#gz-media-%lld\">", m->id);
		struct pic pc = whole(m, &mm, mm.nv, NULL);
		picture(out, m, &mm, &pc, or_default(m->alt, NULL), sizes, i == 0 ? flags : 0);
		html_raw(out, "</a>");
		figcaption(out, or_default(m->caption, NULL), or_default(m->credit, NULL));
		html_raw(out, "</figure>");
	}
	for (size_t i = 0; i < n; i++) {
		struct media_made mm;
		if (ms[i].hash && media_variants_parse(ms[i].variants, ms[i].formats, &mm) == 0)
			lightbox(out, &ms[i], &mm, ms[0].id);
	}
	html_raw(out, "</div>");
}

void figure_refs_html(struct buf *out, const struct media_record *ms, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		if (!figure_is_player(&ms[i]))
			while (j < n && !figure_is_player(&ms[j]))
				j++;
		unsigned f = i == 0 ? flags : flags & ~(unsigned)FIGURE_LEAD;
		if (j - i == 1)
			figure_html(out, &ms[i], NULL, NULL, NULL, f);
		else
			gallery_html(out, ms + i, j - i, NULL, f);
		i = j;
	}
}

/* ---- feeds ---- */

#define LIGHTBOX "<div class=\"lightbox\""

/* Writes html to out as figure_feed_html describes. Our markup is regular:
 * text never holds a raw '<' or '>' (escaped), a lightbox holds no <div>. */
static void feed_copy(const char *html, const char *base_url, struct buf *out)
{
	int in_tag = 0;
	for (const char *s = html; *s;) {
		if (*s == '<' && strncmp(s, LIGHTBOX, sizeof LIGHTBOX - 1) == 0) {
			const char *end = strstr(s, "</div>");
			if (!end)
				break;
			s = end + 6;
			continue;
		}
		if (*s == '<')
			in_tag = 1;
		else if (*s == '>')
			in_tag = 0;
		if (in_tag && (strncmp(s, "\"/media/", 8) == 0 || strncmp(s, ", /media/", 9) == 0)) {
			size_t lead = *s == '"' ? 1 : 2;
			buf_add(out, s, lead);
			buf_puts(out, base_url);
			s += lead;
			continue;
		}
		buf_putc(out, *s++);
	}
}

const char *figure_feed_html(struct pool *p, const char *html, const char *base_url)
{
	if (!html || !strstr(html, "/media/"))
		return html;
	struct buf b;
	buf_init(&b, 0);
	feed_copy(html, base_url ? base_url : "", &b);
	const char *out = b.err ? html : pool_strdup(p, buf_str(&b));
	buf_release(&b);
	return out;
}
