/*
 * media: checking an image file, and making its variants with libvips.
 *
 * Design decision: a file is judged by its bytes before libvips sees a
 * pixel (content/image.c: its type, its declared size, that its structure
 * is whole and nothing follows it), then loaded only by the loader of that
 * type: every other libvips loader (SVG, PDF, ImageMagick, ...) is blocked
 * for the process. It is decoded once, shrunk on load to the widest
 * variant (libjpeg scales by 1/2, 1/4, 1/8 while decoding) and kept in
 * memory at that size, and every variant is resized from that copy, so a
 * 24-megapixel photo costs one partial decode and a few megabytes. Files
 * are named by a hash of the original's bytes: a name never changes
 * content, and the same picture twice is found by its hash.
 */
#include "media.h"
#include "av.h"
#include "../content/image.h"
#include "../util/fileio.h"
#include "../util/log.h"
#include "../util/pool.h"
#include "../util/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

const int media_widths[MEDIA_MAX_WIDTHS] = { 320, 640, 960, 1280, 1920 };

#define HASH_KEY "gazette-media-1" /* a new key when the variants' encoding changes */
#define NAME_MAX_BYTES 200
#define JPEG_Q 80
#define WEBP_Q 75
#define AVIF_Q 50
#define WEBP_MAX_SIDE 16383 /* WebP's largest width or height */

static const struct {
	const char *ext, *mime;
} formats[MEDIA_FORMAT__MAX] = {
	[MEDIA_WEBP] = { "webp", "image/webp" },
	[MEDIA_JPEG] = { "jpg", "image/jpeg" },
	[MEDIA_AVIF] = { "avif", "image/avif" },
};

/* The loaders left unblocked, by the sniffed type's extension. */
static const struct {
	const char *ext, *name, *klass, *nick;
} loaders[] = {
	{ "jpg", "JPEG", "VipsForeignLoadJpeg", "jpegload" },
	{ "png", "PNG", "VipsForeignLoadPng", "pngload" },
	{ "gif", "GIF", "VipsForeignLoadNsgif", "gifload" },
	{ "webp", "WebP", "VipsForeignLoadWebp", "webpload" },
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_failed;
static unsigned written_formats;
static char init_err[256];

const char *media_err_name(enum media_err e)
{
	static const char *const names[MEDIA__MAX] = {
		"ok", "not an image", "too large", "too many frames", "corrupt", "polyglot", "i/o",
	};
	return e < MEDIA__MAX ? names[e] : "?";
}

enum media_class media_kind_of(const char *mime)
{
	if (mime && strncmp(mime, "audio/", 6) == 0)
		return MEDIA_KIND_AUDIO;
	if (mime && strncmp(mime, "video/", 6) == 0)
		return MEDIA_KIND_VIDEO;
	return MEDIA_KIND_PICTURE;
}

const char *media_kind_name(enum media_class k)
{
	static const char *const names[MEDIA_KIND__MAX] = { "picture", "audio", "video" };
	return k < MEDIA_KIND__MAX ? names[k] : "?";
}

const char *media_format_ext(enum media_format f) { return formats[f].ext; }
const char *media_format_mime(enum media_format f) { return formats[f].mime; }

static enum media_err fail(enum media_err e, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static enum media_err fail(enum media_err e, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return e;
}

/* libvips' last error, first line only, and cleared. */
static const char *vips_why(struct pool *p)
{
	const char *b = vips_error_buffer();
	size_t n = strcspn(b, "\n");
	const char *why = pool_strndup(p, b, n ? n : 0);
	vips_error_clear();
	return *why ? why : "libvips could not read it";
}

/* 1 when this libvips writes AVIF (heifsave with the AV1 encoder). */
static int avif_works(void)
{
	VipsImage *im = NULL;
	void *buf = NULL;
	size_t len = 0;
	int ok = vips_black(&im, 16, 16, "bands", 3, NULL) == 0 &&
		 vips_heifsave_buffer(im, &buf, &len, "compression",
				      VIPS_FOREIGN_HEIF_COMPRESSION_AV1, NULL) == 0 &&
		 len > 12 && memcmp((char *)buf + 4, "ftypavif", 8) == 0;
	if (im)
		g_object_unref(im);
	g_free(buf);
	vips_error_clear();
	return ok;
}

static void start(void)
{
	if (sodium_init() < 0) { /* the content hash and temp names */
		snprintf(init_err, sizeof init_err, "libsodium could not start");
		init_failed = 1;
		return;
	}
	if (VIPS_INIT("gazette")) {
		snprintf(init_err, sizeof init_err, "libvips: %s", vips_error_buffer());
		init_failed = 1;
		return;
	}
	vips_cache_set_max(0); /* no operation cache: each picture once */
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	for (size_t i = 0; i < sizeof loaders / sizeof loaders[0]; i++)
		vips_operation_block_set(loaders[i].klass, FALSE);
	written_formats = 1u << MEDIA_WEBP | 1u << MEDIA_JPEG;
	if (avif_works())
		written_formats |= 1u << MEDIA_AVIF;
}

int media_init(char *err, size_t errlen)
{
	pthread_once(&once, start);
	if (init_failed) {
		snprintf(err, errlen, "%s", init_err);
		return -1;
	}
	return 0;
}

unsigned media_formats(void) { return written_formats; }

/* ---- names ---- */

const char *media_variant_name(struct pool *p, const char *hash, int width, enum media_format f)
{
	return pool_printf(p, "%s-%d.%s", hash, width, formats[f].ext);
}

const char *media_av_name(struct pool *p, const char *hash, const char *ext)
{
	return pool_printf(p, "%s.%s", hash, ext);
}

int media_is_variant(const char *name)
{
	size_t h = strspn(name, "0123456789abcdef");
	if (h == MEDIA_HASH_HEX && name[h] == '.')
		return av_type_of_ext(name + h + 1) != NULL;
	if (h != MEDIA_HASH_HEX || name[h] != '-')
		return 0;
	const char *w = name + h + 1;
	size_t d = strspn(w, "0123456789");
	if (d == 0 || d > 5 || w[d] != '.')
		return 0;
	for (int f = 0; f < MEDIA_FORMAT__MAX; f++)
		if (strcmp(w + d + 1, formats[f].ext) == 0)
			return 1;
	return 0;
}

const char *media_clean_name(struct pool *p, const char *name)
{
	const char *base = name ? name : "";
	for (const char *s = base; *s; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	while (*base == '.' || *base == ' ')
		base++;
	char *out = pool_alloc(p, strlen(base) + 1);
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)base; *s; s++)
		if (*s >= 0x20 && *s != 0x7f)
			out[n++] = (char)*s;
	out[n] = '\0';
	if (!utf8_valid(out, n)) { /* keep what is plain ASCII */
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)out[i] < 0x80)
				out[k++] = out[i];
		out[n = k] = '\0';
	}
	if (n > NAME_MAX_BYTES) { /* cut on a character boundary */
		n = NAME_MAX_BYTES;
		while (n && ((unsigned char)out[n] & 0xc0) == 0x80)
			n--;
		out[n] = '\0';
	}
	return n ? out : "image";
}

const char *media_variants_text(struct pool *p, const struct media_made *m)
{
	const char *s = "";
	for (size_t i = 0; i < m->nv; i++)
		s = pool_printf(p, "%s%s%dx%d", s, i ? " " : "", m->v[i].width, m->v[i].height);
	return s;
}

const char *media_formats_text(struct pool *p, unsigned f)
{
	const char *s = "";
	for (int i = 0; i < MEDIA_FORMAT__MAX; i++)
		if (f & 1u << i)
			s = pool_printf(p, "%s%s%s", s, *s ? " " : "", formats[i].ext);
	return s;
}

int media_variants_parse(const char *variants, const char *fmts, struct media_made *m)
{
	memset(m, 0, sizeof *m);
	for (const char *s = variants; s && *s;) {
		int w, h, used;
		if (m->nv == MEDIA_MAX_WIDTHS || sscanf(s, "%5dx%5d%n", &w, &h, &used) != 2 || w <= 0 ||
		    h <= 0)
			return -1;
		m->v[m->nv++] = (struct media_variant){ w, h };
		s += used;
		s += *s == ' ';
	}
	for (const char *s = fmts; s && *s;) {
		size_t n = strcspn(s, " ");
		int found = 0;
		for (int i = 0; i < MEDIA_FORMAT__MAX; i++)
			if (strlen(formats[i].ext) == n && strncmp(s, formats[i].ext, n) == 0) {
				m->formats |= 1u << i;
				found = 1;
			}
		if (!found)
			return -1;
		s += n;
		s += *s == ' ';
	}
	if (m->nv) {
		m->width = m->v[m->nv - 1].width;
		m->height = m->v[m->nv - 1].height;
	}
	return m->nv && m->formats ? 0 : -1;
}

size_t media_pick(const struct media_made *m, int max)
{
	size_t k = 0;
	for (size_t i = 0; i < m->nv; i++)
		if (m->v[i].width <= max)
			k = i;
	return k;
}

size_t media_pick_atleast(const struct media_made *m, int min)
{
	for (size_t i = 0; i < m->nv; i++)
		if (m->v[i].width >= min)
			return i;
	return m->nv ? m->nv - 1 : 0;
}

int media_jpeg_upto(struct pool *p, const char *media_dir, const char *hash, const char *variants,
		    const char *fmts, int max_width, struct media_file *out)
{
	struct media_made made;
	struct stat sb;
	if (media_variants_parse(variants, fmts, &made) || !made.nv ||
	    !(made.formats & 1u << MEDIA_JPEG))
		return -1;
	const struct media_variant *v = &made.v[media_pick(&made, max_width)];
	const char *name = media_variant_name(p, hash, v->width, MEDIA_JPEG);
	if (stat(pool_printf(p, "%s/%s", media_dir, name), &sb) != 0)
		return -1;
	*out = (struct media_file){ .path = pool_printf(p, "/media/%s", name),
				    .width = v->width, .height = v->height,
				    .bytes = (long long)sb.st_size };
	return 0;
}

/* s with each character of `special` and backslash escaped by a
 * backslash, and line ends as spaces: fit inside Markdown's [] or "". */
static const char *md_escape(struct pool *p, const char *s, const char *special)
{
	char *o = pool_alloc(p, 2 * strlen(s) + 1), *w = o;
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			*w++ = ' ';
			continue;
		}
		if (*s == '\\' || strchr(special, *s))
			*w++ = '\\';
		*w++ = *s;
	}
	*w = '\0';
	return o;
}

const char *media_markdown(struct pool *p, long long id, const char *alt, const char *caption)
{
	if (!caption || !*caption)
		return pool_printf(p, "![%s](media:%lld)", md_escape(p, alt ? alt : "", "[]"), id);
	return pool_printf(p, "![%s](media:%lld \"%s\")", md_escape(p, alt ? alt : "", "[]"), id,
			   md_escape(p, caption, "\""));
}

/* ---- reading and checking ---- */

static int loader_of(const char *ext)
{
	for (size_t i = 0; i < sizeof loaders / sizeof loaders[0]; i++)
		if (strcmp(loaders[i].ext, ext) == 0)
			return (int)i;
	return -1;
}

/* The header of d as its sniffed type's loader reads it (no pixels). */
static VipsImage *load_header(const unsigned char *d, size_t n, const char *ext)
{
	VipsImage *im = NULL;
	int r = -1;
	void *b = (void *)d; /* libvips takes it as void *, and only reads it */
	switch (ext[0]) {
	case 'j': r = vips_jpegload_buffer(b, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL); break;
	case 'p': r = vips_pngload_buffer(b, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL); break;
	case 'g': r = vips_gifload_buffer(b, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL); break;
	case 'w': r = vips_webpload_buffer(b, n, &im, "access", VIPS_ACCESS_SEQUENTIAL, NULL); break;
	}
	return r == 0 ? im : NULL;
}

#define AV_TAKEN "MP3, M4A, AAC, Ogg (Vorbis, Opus), WAV and FLAC audio, MP4, WebM and Ogg video"

/* The refusal of a file that is none of the formats taken (av: audio and
 * video were taken too). */
static enum media_err not_taken(const unsigned char *d, size_t n, char *err, size_t errlen)
{
	const char *kind = image_other_kind(d, n);
	if (!n)
		return fail(MEDIA_NOT_IMAGE, err, errlen, "not a picture, audio or video: the file "
							  "is empty");
	if (!kind || strcmp(kind, "a video or audio file") == 0)
		kind = av_other_kind(d, n) ? av_other_kind(d, n) : kind;
	if (kind && strcmp(kind, "an SVG drawing") == 0)
		kind = "an SVG drawing, which can carry script";
	if (kind)
		return fail(MEDIA_NOT_IMAGE, err, errlen,
			    "not a picture, audio or video file we take: this file is %s (its "
			    "content was checked, not its name); JPEG, PNG, GIF and WebP "
			    "pictures, " AV_TAKEN " are accepted", kind);
	return fail(MEDIA_NOT_IMAGE, err, errlen,
		    "not a picture, audio or video file we take (its content was checked, not its "
		    "name): JPEG, PNG, GIF and WebP pictures, " AV_TAKEN " are accepted");
}

static enum media_err not_image(const unsigned char *d, size_t n, char *err, size_t errlen)
{
	const char *kind = n ? image_other_kind(d, n) : "empty";
	if (!n)
		return fail(MEDIA_NOT_IMAGE, err, errlen, "not an image: the file is empty");
	if (kind && strcmp(kind, "an SVG drawing") == 0)
		return fail(MEDIA_NOT_IMAGE, err, errlen,
			    "not an image: this file is an SVG drawing, which can carry script; "
			    "only JPEG, PNG, GIF and WebP pictures are accepted");
	if (kind)
		return fail(MEDIA_NOT_IMAGE, err, errlen,
			    "not an image: this file is %s (its content was checked, not its "
			    "name); JPEG, PNG, GIF and WebP pictures are accepted", kind);
	return fail(MEDIA_NOT_IMAGE, err, errlen,
		    "not an image: the file is not a JPEG, PNG, GIF or WebP picture (its content "
		    "was checked, not its name)");
}

static enum media_err too_large(long long w, long long h, long long frames, char *err,
				size_t errlen)
{
	char fr[48] = "";
	if (frames > 1)
		snprintf(fr, sizeof fr, " x %lld frames", frames);
	return fail(MEDIA_TOO_LARGE, err, errlen,
		    "image too large: %lldx%lld pixels%s, the limit is %lld megapixels (%lld pixels)",
		    w, h, fr, MEDIA_MAX_PIXELS / 1000000, MEDIA_MAX_PIXELS);
}

/* Everything about d that can be known before decoding a pixel. */
static enum media_err check_bytes(const unsigned char *d, size_t n,
				  struct media_input *in, char *err, size_t errlen)
{
	struct image_info info;
	if (image_sniff(d, n, &info) != 0)
		return not_image(d, n, err, errlen);
	const char *type = loaders[loader_of(info.ext)].name;
	if ((long long)info.width * info.height > MEDIA_MAX_PIXELS)
		return too_large(info.width, info.height, 1, err, errlen);
	int trailing = image_trailing(d, n, &info);
	if (trailing < 0)
		return fail(MEDIA_CORRUPT, err, errlen,
			    "truncated or corrupt %s: the file ends before the picture does", type);
	if (trailing > 0) {
		size_t end = 0;
		image_end(d, n, &info, &end);
		return fail(MEDIA_POLYGLOT, err, errlen,
			    "not a plain %s: %zu bytes of something else follow the picture (a file "
			    "hidden after it: a polyglot); save the picture again as a %s",
			    type, n - end, type);
	}
	in->mime = info.type;
	in->ext = info.ext;
	in->width = (int)info.width;
	in->height = (int)info.height;
	return MEDIA_OK;
}

/* Plans the widths: those of media_widths no wider than w, or w itself
 * when it is narrower than the first. */
static void plan(struct media_made *m, int w, int h)
{
	m->nv = 0;
	for (size_t i = 0; i < MEDIA_MAX_WIDTHS; i++)
		if (media_widths[i] <= w)
			m->v[m->nv++].width = media_widths[i];
	if (m->nv == 0)
		m->v[m->nv++].width = w;
	m->width = w;
	m->height = h;
}

/* MEDIA_TOO_LARGE when the widest variant of the upright picture would
 * be higher than WebP allows (a long strip): refused, not half made. */
static enum media_err too_tall(const struct media_input *in, char *err, size_t errlen)
{
	int w = in->turned ? in->height : in->width, h = in->turned ? in->width : in->height;
	struct media_made m;
	plan(&m, w, h);
	int vw = m.v[m.nv - 1].width;
	if ((long long)h * vw / w <= WEBP_MAX_SIDE)
		return MEDIA_OK;
	return fail(MEDIA_TOO_LARGE, err, errlen,
		    "image too tall for its width: %dx%d pixels; a variant %d wide would be "
		    "more than %d high", w, h, vw, WEBP_MAX_SIDE);
}

/* What libvips reads from the header, checked against the sniffed type
 * and the limits. */
static enum media_err check_header(struct pool *p, struct media_input *in, char *err,
				   size_t errlen)
{
	int l = loader_of(in->ext);
	const char *type = loaders[l].name;
	/* the loader libvips itself would pick must be that type's too */
	const char *found = vips_foreign_find_load_buffer(in->data, in->len);
	const char *nick = found ? vips_nickname_find(g_type_from_name(found)) : NULL;
	if (!nick || strncmp(nick, loaders[l].nick, strlen(loaders[l].nick)) != 0) {
		vips_error_clear();
		return fail(MEDIA_CORRUPT, err, errlen, "truncated or corrupt %s: it does not read "
							"as one", type);
	}
	VipsImage *im = load_header(in->data, in->len, in->ext);
	if (!im)
		return fail(MEDIA_CORRUPT, err, errlen, "truncated or corrupt %s: %s", type,
			    vips_why(p));
	long long w = vips_image_get_width(im), h = vips_image_get_height(im);
	int frames = vips_image_get_n_pages(im);
	in->turned = vips_image_get_orientation_swap(im);
	g_object_unref(im);
	if (w != in->width || h != in->height)
		return fail(MEDIA_CORRUPT, err, errlen, "corrupt %s: its headers disagree on its size",
			    type);
	if (frames > MEDIA_MAX_FRAMES)
		return fail(MEDIA_TOO_MANY_FRAMES, err, errlen,
			    "too many frames: the animation has %d frames, the limit is %d", frames,
			    MEDIA_MAX_FRAMES);
	if (w * h * frames > MEDIA_MAX_PIXELS)
		return too_large(w, h, frames, err, errlen);
	in->frames = frames;
	return too_tall(in, err, errlen);
}

/* The keyed content hash of d into in->hash. */
static void content_hash(const unsigned char *d, size_t n, struct media_input *in)
{
	unsigned char h[crypto_generichash_BYTES_MIN];
	crypto_generichash(h, sizeof h, d, n, (const unsigned char *)HASH_KEY, sizeof HASH_KEY - 1);
	sodium_bin2hex(in->hash, sizeof in->hash, h, MEDIA_HASH_HEX / 2);
}

/* An audio or video file av_sniff recognised: only its size is judged. */
static enum media_err check_av(struct pool *p, const unsigned char *data, size_t len,
			       const char *name, const struct av_info *ai, long av_limit,
			       struct media_input *in, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	if (len > (size_t)av_limit)
		return fail(MEDIA_TOO_LARGE, err, errlen,
			    "file too large: this %s %s is %zu bytes, the limit for audio and video "
			    "is %ld bytes (media_upload_limit)",
			    ai->kind == AV_AUDIO ? "audio file," : "video,", ai->name, len, av_limit);
	in->data = data;
	in->len = len;
	in->name = media_clean_name(p, name);
	in->mime = ai->mime;
	in->ext = ai->ext;
	in->kind = ai->kind == AV_AUDIO ? MEDIA_KIND_AUDIO : MEDIA_KIND_VIDEO;
	content_hash(data, len, in);
	return MEDIA_OK;
}

enum media_err media_check_any(struct pool *p, const unsigned char *data, size_t len,
			       const char *name, long av_limit, struct media_input *in, char *err,
			       size_t errlen)
{
	struct av_info ai;
	struct image_info ii;
	if (av_sniff(data, len, &ai) == 0)
		return check_av(p, data, len, name, &ai, av_limit, in, err, errlen);
	if (image_sniff(data, len, &ii) != 0) {
		memset(in, 0, sizeof *in);
		return not_taken(data, len, err, errlen);
	}
	return media_check(p, data, len, name, in, err, errlen);
}

enum media_err media_check(struct pool *p, const unsigned char *data, size_t len,
			   const char *name, struct media_input *in, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	if (media_init(err, errlen))
		return MEDIA_IO;
	if (len > (size_t)MEDIA_MAX_BYTES)
		return fail(MEDIA_TOO_LARGE, err, errlen, "file too large: %zu bytes, the limit is %ld",
			    len, MEDIA_MAX_BYTES);
	in->data = data;
	in->len = len;
	in->name = media_clean_name(p, name);
	enum media_err e = check_bytes(data, len, in, err, errlen);
	if (e || (e = check_header(p, in, err, errlen)))
		return e;
	content_hash(data, len, in);
	return MEDIA_OK;
}

/* Reads path whole (at most max bytes) and checks it: with av_limit < 0
 * as a picture only, else as media_check_any. */
static enum media_err read_checked(struct pool *p, const char *path, long av_limit,
				   struct media_input *in, char *err, size_t errlen)
{
	long max = av_limit > MEDIA_MAX_BYTES ? av_limit : MEDIA_MAX_BYTES;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	memset(in, 0, sizeof *in);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		int e = fd < 0 ? errno : EISDIR;
		if (fd >= 0)
			close(fd);
		return fail(MEDIA_IO, err, errlen, "%s: %s", path, strerror(e));
	}
	if (sb.st_size > max) {
		close(fd);
		return fail(MEDIA_TOO_LARGE, err, errlen, "file too large: %lld bytes, the limit is %ld",
			    (long long)sb.st_size, max);
	}
	size_t n = (size_t)sb.st_size, got = 0;
	unsigned char *d = pool_alloc(p, n + 1);
	while (got < n) {
		ssize_t r = read(fd, d + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n)
		return fail(MEDIA_IO, err, errlen, "%s: could not read it all", path);
	if (av_limit < 0)
		return media_check(p, d, n, path, in, err, errlen);
	return media_check_any(p, d, n, path, av_limit, in, err, errlen);
}

enum media_err media_read(struct pool *p, const char *path, struct media_input *in, char *err,
			  size_t errlen)
{
	return read_checked(p, path, -1, in, err, errlen);
}

enum media_err media_read_any(struct pool *p, const char *path, long av_limit,
			      struct media_input *in, char *err, size_t errlen)
{
	return read_checked(p, path, av_limit < 0 ? 0 : av_limit, in, err, errlen);
}

/* ---- making the variants ---- */

/* Removes every metadata field of im (EXIF and its GPS position, XMP,
 * IPTC, ICC, comments, orientation), not only what the savers' "strip"
 * drops: libvips 8.14's webpsave writes the EXIF block despite it. */
static void strip(VipsImage *im)
{
	gchar **f = vips_image_get_fields(im);
	for (gchar **n = f; n && *n; n++)
		vips_image_remove(im, *n); /* the pixel header's own fields stay */
	g_strfreev(f);
}

/* The picture decoded once: upright, 8-bit sRGB, at most `width` wide,
 * in memory. NULL with err. */
static VipsImage *decode(struct pool *p, const struct media_input *in, int width, char *err,
			 size_t errlen)
{
	VipsImage *t = NULL, *c = NULL, *u = NULL, *mem = NULL;
	const char *type = loaders[loader_of(in->ext)].name;
	if (vips_thumbnail_buffer((void *)in->data, in->len, &t, width, "height", VIPS_MAX_COORD,
				  "size", VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_ERROR, NULL))
		goto bad;
	if (vips_image_get_interpretation(t) != VIPS_INTERPRETATION_sRGB) {
		if (vips_colourspace(t, &c, VIPS_INTERPRETATION_sRGB, NULL))
			goto bad;
	} else
		c = g_object_ref(t);
	if (vips_image_get_format(c) != VIPS_FORMAT_UCHAR) {
		if (vips_cast_uchar(c, &u, NULL))
			goto bad;
	} else
		u = g_object_ref(c);
	mem = vips_image_copy_memory(u); /* the one decode happens here */
	if (!mem)
		goto bad;
	strip(mem);
	g_object_unref(t);
	g_object_unref(c);
	g_object_unref(u);
	return mem;
bad:
	snprintf(err, errlen, "truncated or corrupt %s: %s", type, vips_why(p));
	if (t)
		g_object_unref(t);
	if (c)
		g_object_unref(c);
	if (u)
		g_object_unref(u);
	return NULL;
}

/* Drops the EXIF and XMP chunks of a WebP file in place (*len shrinks)
 * and their flags in VP8X: libvips 8.14's webpsave writes an EXIF block
 * made from the image's fields whatever "strip" says. */
static void webp_strip(unsigned char *d, size_t *len)
{
	size_t n = *len, i = 12, o = 12;
	if (n < 20 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
		return;
	while (i + 8 <= n) {
		size_t c = (size_t)d[i + 4] | (size_t)d[i + 5] << 8 | (size_t)d[i + 6] << 16 |
			   (size_t)d[i + 7] << 24;
		size_t whole = 8 + c + (c & 1);
		if (whole > n - i)
			return; /* not ours to mend: leave it as written */
		if (memcmp(d + i, "VP8X", 4) == 0 && c >= 1)
			d[i + 8] &= (unsigned char)~0x0c; /* EXIF (8) and XMP (4) flags */
		if (memcmp(d + i, "EXIF", 4) != 0 && memcmp(d + i, "XMP ", 4) != 0) {
			memmove(d + o, d + i, whole);
			o += whole;
		}
		i += whole;
	}
	size_t riff = o - 8;
	d[4] = (unsigned char)riff, d[5] = (unsigned char)(riff >> 8);
	d[6] = (unsigned char)(riff >> 16), d[7] = (unsigned char)(riff >> 24);
	*len = o;
}

/* Encodes im as format f into a buffer (g_free it). -1 with err. */
static int encode(struct pool *p, VipsImage *im, enum media_format f, void **buf, size_t *len,
		  char *err, size_t errlen)
{
	int r;
	VipsImage *flat = NULL;
	switch (f) {
	case MEDIA_JPEG:
		if (vips_image_hasalpha(im)) { /* no alpha in JPEG: on white */
			VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
			r = vips_flatten(im, &flat, "background", white, NULL);
			vips_area_unref(VIPS_AREA(white));
			if (r)
				break;
			im = flat;
		}
		r = vips_jpegsave_buffer(im, buf, len, "Q", JPEG_Q, "strip", TRUE, "optimize_coding",
					 TRUE, "interlace", TRUE, NULL);
		break;
	case MEDIA_WEBP:
		r = vips_webpsave_buffer(im, buf, len, "Q", WEBP_Q, "strip", TRUE, "effort", 2, NULL);
		if (!r)
			webp_strip(*buf, len);
		break;
	case MEDIA_AVIF:
		r = vips_heifsave_buffer(im, buf, len, "Q", AVIF_Q, "strip", TRUE, "compression",
					 VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort", 0, NULL);
		break;
	default:
		r = -1;
	}
	if (flat)
		g_object_unref(flat);
	if (r)
		snprintf(err, errlen, "could not write a %s variant: %s", formats[f].ext, vips_why(p));
	return r;
}

/* Files written under temp names, renamed into place together. */
struct staged {
	const char *tmp[MEDIA_MAX_WIDTHS * MEDIA_FORMAT__MAX + 1];
	const char *final[MEDIA_MAX_WIDTHS * MEDIA_FORMAT__MAX + 1];
	size_t n, renamed;
};

static int stage(struct pool *p, struct staged *s, const char *dir, const char *name,
		 const void *data, size_t len, char *err, size_t errlen)
{
	/* a name of this writer's own: two takers of the same picture at once
	 * (an upload and an import) never write into each other's files */
	unsigned char r[8];
	randombytes_buf(r, sizeof r);
	char hex[2 * sizeof r + 1];
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	const char *tmp = pool_printf(p, "%s/.tmp-%s-%s", dir, hex, name);
	if (fileio_create_synced(tmp, data, len)) {
		snprintf(err, errlen, "could not write %s: %s", tmp, strerror(errno));
		log_error("media: %s", err);
		return -1;
	}
	s->tmp[s->n] = tmp;
	s->final[s->n++] = pool_printf(p, "%s/%s", dir, name);
	return 0;
}

static void unstage(struct staged *s)
{
	for (size_t i = 0; i < s->n; i++)
		unlink(i < s->renamed ? s->final[i] : s->tmp[i]);
}

static int commit(struct staged *s, char *err, size_t errlen)
{
	for (; s->renamed < s->n; s->renamed++)
		if (rename(s->tmp[s->renamed], s->final[s->renamed]) != 0) {
			snprintf(err, errlen, "could not rename %s: %s", s->tmp[s->renamed],
				 strerror(errno));
			log_error("media: %s", err);
			return -1;
		}
	return 0;
}

static int make_dir(const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "could not make %s: %s", dir, strerror(errno));
	return -1;
}

/* Writes every variant of base to media/ under temp names. */
static enum media_err variants(struct pool *p, VipsImage *base, const char *dir,
			       const char *hash, struct media_made *m, struct staged *s,
			       char *err, size_t errlen)
{
	int bw = vips_image_get_width(base);
	for (size_t i = 0; i < m->nv; i++) {
		VipsImage *im = NULL;
		if (m->v[i].width == bw)
			im = g_object_ref(base);
		else if (vips_resize(base, &im, (double)m->v[i].width / bw, NULL)) {
			snprintf(err, errlen, "could not resize: %s", vips_why(p));
			return MEDIA_IO;
		}
		m->v[i].width = vips_image_get_width(im);
		m->v[i].height = vips_image_get_height(im);
		for (int f = 0; f < MEDIA_FORMAT__MAX; f++) {
			void *buf = NULL;
			size_t len = 0;
			if (!(m->formats & 1u << f))
				continue;
			int bad = encode(p, im, (enum media_format)f, &buf, &len, err, errlen) ||
				  stage(p, s, dir, media_variant_name(p, hash, m->v[i].width, f), buf,
					len, err, errlen);
			g_free(buf);
			if (bad) {
				g_object_unref(im);
				return MEDIA_IO;
			}
		}
		g_object_unref(im);
	}
	return MEDIA_OK;
}

/* An audio or video file: written once as media/HASH.EXT, as it came. */
static enum media_err make_av(struct pool *p, const char *media, const struct media_input *in,
			      char *err, size_t errlen)
{
	struct staged s = { 0 };
	if (make_dir(media, err, errlen))
		return MEDIA_IO;
	if (stage(p, &s, media, media_av_name(p, in->hash, in->ext), in->data, in->len, err,
		  errlen) ||
	    commit(&s, err, errlen)) {
		unstage(&s);
		return MEDIA_IO;
	}
	fileio_sync_dir(media);
	return MEDIA_OK;
}

enum media_err media_make(struct pool *p, const char *site_dir, const struct media_input *in,
			  struct media_made *out, char *err, size_t errlen)
{
	const char *media = pool_printf(p, "%s/media", site_dir);
	if (in->kind != MEDIA_KIND_PICTURE) {
		memset(out, 0, sizeof *out);
		return make_av(p, media, in, err, errlen);
	}
	const char *orig = pool_printf(p, "%s/" MEDIA_ORIGINALS, site_dir);
	struct staged s = { 0 };
	int w, h;
	memset(out, 0, sizeof *out);
	if (media_init(err, errlen) || make_dir(media, err, errlen) || make_dir(orig, err, errlen))
		return MEDIA_IO;
	w = in->turned ? in->height : in->width;
	h = in->turned ? in->width : in->height;
	plan(out, w, h);
	out->formats = written_formats;
	VipsImage *base = decode(p, in, out->v[out->nv - 1].width, err, errlen);
	if (!base)
		return MEDIA_CORRUPT;
	out->width = w;
	out->height = h;
	enum media_err e = variants(p, base, media, in->hash, out, &s, err, errlen);
	g_object_unref(base);
	if (!e && stage(p, &s, orig, pool_printf(p, "%s.%s", in->hash, in->ext), in->data, in->len,
			err, errlen))
		e = MEDIA_IO;
	if (!e && commit(&s, err, errlen))
		e = MEDIA_IO;
	if (e) {
		unstage(&s);
		return e;
	}
	fileio_sync_dir(media);
	fileio_sync_dir(orig);
	return MEDIA_OK;
}

void media_remove(struct pool *p, const char *site_dir, const char *hash, const char *ext,
		  const struct media_made *m)
{
	if (m->nv == 0) { /* audio or video */
		unlink(pool_printf(p, "%s/media/%s", site_dir, media_av_name(p, hash, ext)));
		return;
	}
	for (size_t i = 0; i < m->nv; i++)
		for (int f = 0; f < MEDIA_FORMAT__MAX; f++)
			if (m->formats & 1u << f)
				unlink(pool_printf(p, "%s/media/%s", site_dir,
						   media_variant_name(p, hash, m->v[i].width, f)));
	unlink(pool_printf(p, "%s/" MEDIA_ORIGINALS "/%s.%s", site_dir, hash, ext));
}
