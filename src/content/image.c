/*
 * image: sniffing JPEG, PNG, GIF and WebP by their magic bytes and reading
 * the width and height from the header, without decoding pixels.
 *
 * Design decision: only the four formats a browser shows everywhere, and
 * a file is accepted only when both its signature and its size fields
 * read cleanly: a file that merely starts like a PNG but has no IHDR is
 * refused, so what the editor stores is at least a well-begun image. The
 * JPEG reader walks the marker segments to the first SOFn frame, each
 * step bounded by the bytes present. image_end walks a whole file the
 * same way (to EOI, IEND, the GIF trailer, the RIFF size), so the media
 * library can refuse a truncated file or one with another appended.
 */
#include "image.h"

#include <string.h>
#include <strings.h>

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }
static unsigned le24(const unsigned char *p) { return (unsigned)p[2] << 16 | le16(p); }
static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int png(const unsigned char *d, size_t n, struct image_info *o)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	if (n < 8 || memcmp(d, sig, 8) != 0)
		return 0;
	/* the first chunk must be IHDR, 13 bytes long */
	if (n < 24 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return -1;
	unsigned long w = be32(d + 16), h = be32(d + 20);
	if (w == 0 || h == 0 || w > 0x7fffffffUL || h > 0x7fffffffUL)
		return -1;
	*o = (struct image_info){ "image/png", "png", (unsigned)w, (unsigned)h };
	return 1;
}

static int gif(const unsigned char *d, size_t n, struct image_info *o)
{
	if (n < 6 || (memcmp(d, "GIF87a", 6) != 0 && memcmp(d, "GIF89a", 6) != 0))
		return 0;
	if (n < 10)
		return -1;
	*o = (struct image_info){ "image/gif", "gif", le16(d + 6), le16(d + 8) };
	return 1;
}

static int webp(const unsigned char *d, size_t n, struct image_info *o)
{
	if (n < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
		return 0;
	if (n < 30)
		return -1;
	unsigned w, h;
	const unsigned char *c = d + 20; /* the first chunk's payload */
	if (memcmp(d + 12, "VP8 ", 4) == 0) {
		/* frame tag (3 bytes), start code 9d 01 2a, 14-bit sizes */
		if (c[3] != 0x9d || c[4] != 0x01 || c[5] != 0x2a)
			return -1;
		w = le16(c + 6) & 0x3fff;
		h = le16(c + 8) & 0x3fff;
	} else if (memcmp(d + 12, "VP8L", 4) == 0) {
		if (c[0] != 0x2f)
			return -1;
		unsigned long bits = (unsigned long)c[1] | (unsigned long)c[2] << 8 |
				     (unsigned long)c[3] << 16 | (unsigned long)c[4] << 24;
		w = (unsigned)(bits & 0x3fff) + 1;
		h = (unsigned)((bits >> 14) & 0x3fff) + 1;
	} else if (memcmp(d + 12, "VP8X", 4) == 0) {
		w = le24(c + 4) + 1;
		h = le24(c + 7) + 1;
	} else
		return -1;
	*o = (struct image_info){ "image/webp", "webp", w, h };
	return 1;
}

/* SOFn markers: C0-CF except C4 (DHT), C8 (JPG) and CC (DAC). */
static int is_sof(unsigned char m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

static int jpeg(const unsigned char *d, size_t n, struct image_info *o)
{
	if (n < 3 || d[0] != 0xff || d[1] != 0xd8 || d[2] != 0xff)
		return 0;
	size_t i = 2;
	while (i + 1 < n) {
		if (d[i] != 0xff)
			return -1;
		unsigned char m = d[i + 1];
		if (m == 0xff) { /* fill byte */
			i++;
			continue;
		}
		i += 2;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue; /* standalone markers */
		if (m == 0xd9 || m == 0xda) /* end of image or scan before a frame */
			return -1;
		if (i + 2 > n)
			return -1;
		unsigned len = be16(d + i);
		if (len < 2)
			return -1;
		if (is_sof(m)) {
			if (len < 7 || i + 7 > n)
				return -1;
			*o = (struct image_info){ "image/jpeg", "jpg", be16(d + i + 5), be16(d + i + 3) };
			return 1;
		}
		i += len;
	}
	return -1;
}

int image_sniff(const unsigned char *d, size_t n, struct image_info *out)
{
	int (*const readers[])(const unsigned char *, size_t, struct image_info *) = {
		png, jpeg, gif, webp
	};
	struct image_info info;
	if (!d)
		return -1;
	for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
		int r = readers[i](d, n, &info);
		if (r < 0)
			return -1;
		if (r > 0) {
			if (info.width == 0 || info.height == 0)
				return -1;
			*out = info;
			return 0;
		}
	}
	return -1;
}

/* ---- where an image ends (truncation, polyglots) ---- */

/* Past a JPEG's entropy-coded data from i: stuffed FF00, restart markers
 * and fill bytes belong to it; the next other marker ends it. */
static size_t jpeg_scan_end(const unsigned char *d, size_t n, size_t i)
{
	while (i + 1 < n) {
		if (d[i] != 0xff) {
			i++;
			continue;
		}
		unsigned char m = d[i + 1];
		if (m == 0x00 || (m >= 0xd0 && m <= 0xd7))
			i += 2;
		else if (m == 0xff)
			i++;
		else
			return i;
	}
	return n;
}

static int jpeg_end(const unsigned char *d, size_t n, size_t *end)
{
	size_t i = 2;
	if (n < 3 || d[0] != 0xff || d[1] != 0xd8)
		return -1;
	while (i + 1 < n) {
		if (d[i] != 0xff)
			return -1;
		unsigned char m = d[i + 1];
		if (m == 0xff) {
			i++;
			continue;
		}
		i += 2;
		if (m == 0xd9) {
			*end = i;
			return 0;
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;
		if (i + 2 > n || be16(d + i) < 2 || i + be16(d + i) > n)
			return -1;
		i += be16(d + i);
		if (m == 0xda)
			i = jpeg_scan_end(d, n, i);
	}
	return -1;
}

static int png_end(const unsigned char *d, size_t n, size_t *end)
{
	size_t i = 8;
	while (i + 12 <= n) {
		unsigned long len = be32(d + i);
		if (len > 0x7fffffffUL || len > n - i - 12)
			return -1;
		int iend = memcmp(d + i + 4, "IEND", 4) == 0;
		i += 12 + (size_t)len;
		if (iend) {
			*end = i;
			return 0;
		}
	}
	return -1;
}

/* Past a run of GIF sub-blocks (a size byte, that many bytes; 0 ends). */
static size_t gif_blocks(const unsigned char *d, size_t n, size_t i)
{
	while (i < n && d[i] != 0)
		i += 1 + (size_t)d[i];
	return i < n ? i + 1 : (size_t)-1;
}

static int gif_end(const unsigned char *d, size_t n, size_t *end)
{
	if (n < 13)
		return -1;
	size_t i = 13;
	if (d[10] & 0x80)
		i += 3 * ((size_t)2 << (d[10] & 7));
	while (i < n) {
		unsigned char b = d[i];
		if (b == 0x3b) {
			*end = i + 1;
			return 0;
		}
		if (b == 0x21) /* extension: label, sub-blocks */
			i = i + 2 <= n ? gif_blocks(d, n, i + 2) : (size_t)-1;
		else if (b == 0x2c && i + 10 <= n) { /* image: descriptor, table, LZW size, data */
			unsigned char f = d[i + 9];
			i += 10;
			if (f & 0x80)
				i += 3 * ((size_t)2 << (f & 7));
			i = i < n ? gif_blocks(d, n, i + 1) : (size_t)-1;
		} else
			return -1;
		if (i == (size_t)-1)
			return -1;
	}
	return -1;
}

static int webp_end(const unsigned char *d, size_t n, size_t *end)
{
	if (n < 12)
		return -1;
	size_t size = (size_t)d[4] | (size_t)d[5] << 8 | (size_t)d[6] << 16 | (size_t)d[7] << 24;
	size_t e = 8 + size + (size & 1);
	if (size < 4 || e > n)
		return -1;
	*end = e;
	return 0;
}

int image_end(const unsigned char *d, size_t n, const struct image_info *info, size_t *end)
{
	if (!d || !info || !info->ext)
		return -1;
	switch (info->ext[0]) {
	case 'j': return jpeg_end(d, n, end);
	case 'p': return png_end(d, n, end);
	case 'g': return gif_end(d, n, end);
	case 'w': return webp_end(d, n, end);
	}
	return -1;
}

int image_trailing(const unsigned char *d, size_t n, const struct image_info *info)
{
	size_t end;
	if (image_end(d, n, info, &end))
		return -1;
	/* a camera's multi-picture JPEG (CIPA MPF) stores its other pictures
	 * as whole JPEGs after the first */
	while (info->ext[0] == 'j' && n - end > 3 && d[end] == 0xff && d[end + 1] == 0xd8) {
		size_t more;
		if (jpeg_end(d + end, n - end, &more))
			return 1;
		end += more;
	}
	for (size_t i = end; i < n; i++)
		if (d[i] != 0)
			return 1;
	return 0;
}

/* 1 when d (n bytes) starts, after blanks and a UTF-8 BOM, with word,
 * ignoring case. */
static int starts_word(const unsigned char *d, size_t n, const char *word)
{
	size_t i = 0, w = strlen(word);
	if (n >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		i = 3;
	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return n - i >= w && strncasecmp((const char *)d + i, word, w) == 0;
}

/* 1 when d's first KB holds "<svg" (an SVG drawing may open with a
 * declaration, a comment or a DOCTYPE). */
static int svg_near_start(const unsigned char *d, size_t n)
{
	size_t m = n < 1024 ? n : 1024;
	for (size_t i = 0; i + 4 <= m; i++)
		if (d[i] == '<' && strncasecmp((const char *)d + i + 1, "svg", 3) == 0)
			return 1;
	return 0;
}

const char *image_other_kind(const unsigned char *d, size_t n)
{
	if (!d)
		return NULL;
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return "a PDF document";
	if ((starts_word(d, n, "<?xml") || starts_word(d, n, "<svg") || starts_word(d, n, "<!--") ||
	     starts_word(d, n, "<!doctype svg")) && svg_near_start(d, n))
		return "an SVG drawing";
	if (starts_word(d, n, "<!doctype html") || starts_word(d, n, "<html") ||
	    starts_word(d, n, "<head") || starts_word(d, n, "<script"))
		return "an HTML page";
	if (n >= 4 && memcmp(d, "PK\x03\x04", 4) == 0)
		return "a ZIP archive";
	if (n >= 12 && memcmp(d + 4, "ftyp", 4) == 0) {
		if (memcmp(d + 8, "avif", 4) == 0 || memcmp(d + 8, "avis", 4) == 0)
			return "an AVIF image";
		if (memcmp(d + 8, "hei", 3) == 0 || memcmp(d + 8, "mif1", 4) == 0 ||
		    memcmp(d + 8, "msf1", 4) == 0)
			return "a HEIC image";
		return "a video or audio file";
	}
	if (n >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0))
		return "a TIFF image";
	if (n >= 2 && d[0] == 'B' && d[1] == 'M')
		return "a BMP image";
	return NULL;
}

const char *image_type_of_ext(const char *ext)
{
	static const char *const map[][2] = {
		{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "gif", "image/gif" },
		{ "webp", "image/webp" },
	};
	for (size_t i = 0; ext && i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(ext, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}
